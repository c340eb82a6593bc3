import type { IDataObject } from 'n8n-workflow';

import { byId, fromList, onlyRequest, useEnv, type Env } from './env';

const DAY = 24 * 60 * 60 * 1000;

function windowConversation(env: Env, open: boolean) {
	const { store } = env.sandbox;
	return store.conversations.all().find((c) => {
		const last = store.lastContactMessageAt(c.id);
		if (store.inboxes.get(c.inbox_id)?.type !== 'whatsapp' || !last) return false;
		const age = Date.now() - Date.parse(last);
		return open ? age < DAY - 60_000 : age > DAY + 60_000;
	})!;
}

describe('Made for people: templates, phone numbers, hints', () => {
	const env = useEnv();
	afterEach(() => env.sandbox.reset());

	function approvedTemplate(placeholders: number) {
		const { store } = env.sandbox;
		return store.templates.all().find((t) => {
			const count = new Set(t.body.match(/\{\{\s*\d+\s*\}\}/g) ?? []).size;
			return t.status === 'APPROVED' && count === placeholders && store.inboxes.get(t.inbox_id)?.type === 'whatsapp';
		})!;
	}

	it('Send Template reaches a brand-new number outside any window, with ordered body variables', async () => {
		const template = approvedTemplate(2);
		expect(template).toBeDefined();
		const result = await env.run({
			resource: 'message',
			operation: 'sendTemplate',
			inboxId: fromList(template.inbox_id),
			templateId: fromList(template.wa_template_id),
			templatePhoneNumber: '0857 1111 2222',
			phoneName: 'Rina',
			bodyVariables: { variable: [{ value: 'Rina' }, { value: '={{ $json.order }}' }] },
			templateOptions: { headerFileUrl: 'https://example.com/invoice.pdf' },
		}, { items: [{ order: 'ORD-000777' }] });
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'POST', '/templates/send').body).toEqual({
			inbox_id: template.inbox_id,
			wa_template_id: template.wa_template_id,
			phone_number: '6285711112222',
			phone_name: 'Rina',
			template_body_variables: ['Rina', 'ORD-000777'],
			file_url: 'https://example.com/invoice.pdf',
		});
		const sent = result.json[0];
		expect(sent.status).toBe('sent');
		expect(String(sent.message)).toContain('ORD-000777');
		const stored = env.sandbox.store.messagesOf(sent.conversation_id as string);
		expect(stored[stored.length - 1]).toEqual(expect.objectContaining({ id: sent.message_id, is_template: true }));
	});

	it('Send Template with the wrong number of variables shows Cekat’s message', async () => {
		const template = approvedTemplate(2);
		const result = await env.run({
			resource: 'message',
			operation: 'sendTemplate',
			inboxId: byId(template.inbox_id),
			templateId: byId(template.wa_template_id),
			templatePhoneNumber: '6285711112222',
			bodyVariables: { variable: [{ value: 'only one' }] },
		});
		expect(result.error?.message).toMatch(/^Cekat error 400: .*2/);
		expect(env.requests()).toHaveLength(1);
	});

	it('Send Template refuses an empty variable and a bad phone before any request', async () => {
		const template = approvedTemplate(2);
		const base = { resource: 'message', operation: 'sendTemplate', inboxId: byId(template.inbox_id), templateId: byId(template.wa_template_id) };
		const empty = await env.run({ ...base, templatePhoneNumber: '6285711112222', bodyVariables: { variable: [{ value: 'a' }, { value: '={{ "" }}' }] } });
		expect(empty.error?.message).toBe('Body Variables #2 ({{2}}): is empty [item 0]');
		const phone = await env.run({ ...base, templatePhoneNumber: '={{ "+62 (812) abc" }}' });
		expect(phone.error?.message).toMatch(/^Phone Number: "\+62 \(812\) abc" is not a phone number/);
		expect(env.requests()).toEqual([]);
	});

	it.each([
		['+62 812-3456-7890', '6281234567890'],
		['0812 3456 7890', '6281234567890'],
		['(0812) 3456-7890', '6281234567890'],
		['6281234567890', '6281234567890'],
		['0062 812 3456 7890', '6281234567890'],
		['+1 (415) 555-0100', '14155550100'],
	])('phone %s is sent as %s', async (input, sent) => {
		env.sandbox.addFault({ path: '/messages/whatsapp', kind: 'status', status: 200, body: { success: true, data: { id: 'm1' } } });
		await env.run({ resource: 'message', operation: 'sendWhatsApp', sendTo: 'phone', receiver: input, messageType: 'text', message: 'x' });
		expect((onlyRequest(env, 'POST', '/messages/whatsapp').body as IDataObject).receiver).toBe(sent);
	});

	it.each(['12345', '0812-ABC', '+62 812 3456 7890 1234 5', ''])('phone %p is refused before any request', async (input) => {
		const result = await env.run({ resource: 'message', operation: 'sendWhatsApp', sendTo: 'phone', receiver: `={{ ${JSON.stringify(input)} }}`, messageType: 'text', message: 'x' });
		expect(result.error?.message).toMatch(/^Phone Number: /);
		expect(env.requests()).toEqual([]);
	});

	it('a 24-hour window refusal tells the user to send a template', async () => {
		const conversation = windowConversation(env, false);
		const result = await env.run({ resource: 'message', operation: 'sendWhatsApp', sendTo: 'conversation', conversationId: byId(conversation.id), messageType: 'text', message: 'Halo' });
		expect(result.error?.message).toMatch(/^Cekat error 400: .*24-hour/);
		expect(result.error?.description).toMatch(/Message → Send Template/);
	});

	it.each([
		[403, { message: 'Forbidden for this plan' }, {}, 'Cekat error 403: Forbidden for this plan', /not allowed to do this/],
		[429, { message: 'Too many requests' }, { 'Retry-After': '120' }, 'Cekat error 429: Too many requests (would have had to wait 120 s)', /wait 120 seconds[\s\S]*Batching[\s\S]*Retry On Fail/],
		[500, { success: false, error: { message: 'Internal error' } }, {}, 'Cekat error 500: Internal error', /server error/],
		[502, { message: 'Bad gateway' }, {}, 'Cekat error 502: Bad gateway', /Retry On Fail/],
	])('HTTP %i gives the server’s message and a hint', async (status, body, headers, message, hint) => {
		env.sandbox.addFault({ path: '/api/inboxes', kind: 'status', status, body, headers: headers as Record<string, string> });
		const result = await env.run({ resource: 'inbox', operation: 'getAll', returnAll: false, limit: 1 });
		expect(result.error?.message).toBe(message);
		expect(result.error?.description).toMatch(hint);
		expect(result.error?.httpCode).toBe(String(status));
	});

	it('a date-time from an earlier node ($now, a Luxon DateTime) becomes its Jakarta date', async () => {
		await env.run({ resource: 'agent', operation: 'getAll', returnAll: false, limit: 1, filters: { startDate: '={{ $now }}', endDate: '={{ $now.plus({ days: 1 }) }}' } });
		const jakarta = (ms: number) => new Date(ms + 7 * 3600_000).toISOString().slice(0, 10);
		const { query } = onlyRequest(env, 'GET', '/api/agents');
		expect(query.start_date).toBe(jakarta(Date.now()));
		expect(query.end_date).toBe(jakarta(Date.now() + DAY));
	});

	it('400 names the fields Cekat listed', async () => {
		env.sandbox.addFault({
			path: '/api/contacts',
			kind: 'status',
			status: 400,
			body: { success: false, error: { code: 'VALIDATION_ERROR', message: 'Invalid query', details: [{ field: 'limit', message: 'must be positive' }] } },
		});
		const result = await env.run({ resource: 'contact', operation: 'getAll', returnAll: false, limit: 5 });
		expect(result.error?.message).toBe('Cekat error 400: Invalid query');
		expect(result.error?.description).toMatch(/Fields: limit: must be positive/);
	});
});
