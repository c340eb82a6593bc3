/**
 * Bulk sends through the engine (shared/send.ts): Send WhatsApp and Send Template go out in input order; with
 * On Error → Stop a failure sends nothing more and its error names the sent (with Cekat's message ids), failed
 * and not-attempted items; with Continue every item has its own result in place; nothing is sent twice.
 */
import { Expression, type IDataObject } from 'n8n-workflow';

import { byId, useEnv, type Env } from './env';

const DAY = 24 * 60 * 60 * 1000;
const CONTINUE = { onError: 'continueRegularOutput' } as const;
/** Settings → Request Options → Batching, Items per Batch 1: strictly one send after another. */
const ONE_BY_ONE = { requestOptions: { batching: { batch: { batchSize: 1, batchInterval: 0 } } } };

function conversation(env: Env, open: boolean) {
	const { store } = env.sandbox;
	const found = store.conversations.all().find((c) => {
		const last = store.lastContactMessageAt(c.id);
		if (store.inboxes.get(c.inbox_id)?.type !== 'whatsapp' || !last) return false;
		const age = Date.now() - Date.parse(last);
		return open ? age < DAY - 120_000 : age > DAY + 60_000;
	});
	if (!found) throw new Error(`no conversation with an ${open ? 'open' : 'closed'} window in the seed`);
	return found;
}

/** An approved WhatsApp template of the seed with exactly one body variable. */
function template(env: Env) {
	const { store } = env.sandbox;
	const found = store.templates.all().find((t) => {
		const count = new Set(t.body.match(/\{\{\s*\d+\s*\}\}/g) ?? []).size;
		return t.status === 'APPROVED' && count === 1 && store.inboxes.get(t.inbox_id)?.type === 'whatsapp';
	});
	if (!found) throw new Error('no approved one-variable template in the seed');
	return found;
}

const whatsApp = {
	resource: 'message',
	operation: 'sendWhatsApp',
	sendTo: 'conversation',
	conversationId: byId('={{ $json.conversation }}'),
	messageType: 'text',
	message: '={{ $json.text }}',
};

const whatsAppOneByOne = { ...whatsApp, ...ONE_BY_ONE };

/** 5 items; the 3rd (index 2) goes to a conversation outside the 24-hour window, which Cekat refuses. */
function whatsAppItems(env: Env, tag: string): IDataObject[] {
	const open = conversation(env, true).id;
	const closed = conversation(env, false).id;
	return [0, 1, 2, 3, 4].map((i) => ({ conversation: i === 2 ? closed : open, text: `${tag} ${i}` }));
}

/** The node's requests to a route, in the order the sandbox answered them. */
const posts = (env: Env, path: string) => env.requests().filter((r) => r.method === 'POST' && r.path === path);
const storedTexts = (env: Env, tag: string) =>
	env.sandbox.store.messages
		.all()
		.map((m) => String(m.message))
		.filter((text) => text.startsWith(`${tag} `));

describe('Send WhatsApp in bulk', () => {
	const env = useEnv();
	afterEach(() => env.sandbox.reset());

	it('one by one, Stop: items 0–1 sent, item 2 refused, 3–4 not attempted; the error names each and the sandbox holds exactly 0–1', async () => {
		const items = whatsAppItems(env, 'stop');
		const result = await env.run(whatsAppOneByOne, { items });
		expect(result.items).toEqual([]);
		expect(result.error?.message).toMatch(/^Cekat error 400: .*24-hour/);
		// Sent in input order, nothing after the failure.
		expect(posts(env, '/messages/whatsapp').map((r) => (r.body as IDataObject).message)).toEqual(['stop 0', 'stop 1', 'stop 2']);
		expect(storedTexts(env, 'stop').sort()).toEqual(['stop 0', 'stop 1']);

		const ids = ['stop 0', 'stop 1'].map((text) => env.sandbox.store.messages.all().find((m) => m.message === text)!.id);
		const description = String(result.error?.description);
		expect(description).toContain('Bulk send stopped: 2 of 5 items were sent, 1 failed, 2 were not attempted. Nothing was sent twice.');
		expect(description).toContain('Sent (2): items 0–1');
		expect(description).toContain(`item 0 → message ${ids[0]}`);
		expect(description).toContain(`item 1 → message ${ids[1]}`);
		expect(description).toMatch(/Failed \(1\):\n {2}item 2: Cekat error 400: .*24-hour/);
		expect(description).toContain('Not attempted (2): items 3–4');
		// Cekat's hint about templates is kept above the summary.
		expect(description).toMatch(/Send Template[\s\S]*Bulk send stopped/);
		expect(result.error?.context).toEqual(
			expect.objectContaining({
				itemIndex: 2,
				sent: [
					{ item: 0, messageId: ids[0] },
					{ item: 1, messageId: ids[1] },
				],
				failed: [{ item: 2, message: expect.stringMatching(/^Cekat error 400/) }],
				notAttempted: [3, 4],
			}),
		);
	});

	it('Continue: 5 results in input order, paired, 4 sent and the refused one with its error in place', async () => {
		const items = whatsAppItems(env, 'cont');
		const result = await env.run(whatsApp, { items, settings: CONTINUE });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		expect(result.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(String(result.json[2].error)).toMatch(/^Cekat error 400: .*24-hour/);
		for (const i of [0, 1, 3, 4]) expect(result.json[i]).toEqual(expect.objectContaining({ message: `cont ${i}`, id: expect.any(String) }));
		// 8 in flight by default: each sent once (the journal's order is the order answers began).
		expect(posts(env, '/messages/whatsapp').map((r) => (r.body as IDataObject).message).sort()).toEqual(['cont 0', 'cont 1', 'cont 2', 'cont 3', 'cont 4']);
		expect(storedTexts(env, 'cont').sort()).toEqual(['cont 0', 'cont 1', 'cont 3', 'cont 4']);
	});

	it('one by one, arrive in input order even when the first answer is slow (the routing engine sent all at once)', async () => {
		env.sandbox.addFault({ path: '/messages/whatsapp', kind: 'delay', delayMs: 300, count: 1 });
		const open = conversation(env, true).id;
		const items = Array.from({ length: 8 }, (_, i) => ({ conversation: open, text: `order ${i}` }));
		const result = await env.run(whatsAppOneByOne, { items });
		expect(result.error).toBeUndefined();
		expect(result.json.map((m) => m.message)).toEqual(items.map((i) => i.text));
		expect(posts(env, '/messages/whatsapp').map((r) => (r.body as IDataObject).message)).toEqual(items.map((i) => i.text));
		const stored = env.sandbox.store.messages.all().filter((m) => String(m.message).startsWith('order '));
		expect(stored.map((m) => m.message)).toEqual(items.map((i) => i.text));
	});

	it('8 in flight (the default), Stop: no send starts after the failure; every received send is listed as sent or failed, the rest as not attempted', async () => {
		const open = conversation(env, true).id;
		const closed = conversation(env, false).id;
		// The refused item answers at once; the others take 150 ms, so the failure is known while 0–1 and 3–7 are in flight.
		env.sandbox.addFault({ path: '/messages/whatsapp', kind: 'delay', delayMs: 150, count: 2 });
		const items = Array.from({ length: 24 }, (_, i) => ({ conversation: i === 2 ? closed : open, text: `many ${i}` }));
		const result = await env.run(whatsApp, { items });
		const context = result.error?.context as { sent: Array<{ item: number; messageId: string }>; failed: Array<{ item: number }>; notAttempted: number[] };
		expect(context.failed.map((f) => f.item)).toEqual([2]);
		const received = posts(env, '/messages/whatsapp').map((r) => Number(String((r.body as IDataObject).message).split(' ')[1]));
		// Each received once; exactly the sent and the failed ones; started in input order, so a prefix of the items.
		expect(new Set(received).size).toBe(received.length);
		expect([...received].sort((a, b) => a - b)).toEqual([...context.sent.map((x) => x.item), 2].sort((a, b) => a - b));
		expect([...received].sort((a, b) => a - b)).toEqual(Array.from({ length: received.length }, (_, i) => i));
		expect(context.notAttempted).toEqual(Array.from({ length: 24 - received.length }, (_, i) => received.length + i));
		expect(context.notAttempted.length).toBeGreaterThan(0);
		expect(storedTexts(env, 'many').sort()).toEqual(context.sent.map((x) => `many ${x.item}`).sort());
		expect(String(result.error?.description)).toContain(`Bulk send stopped: ${context.sent.length} of 24 items were sent, 1 failed, ${context.notAttempted.length} were not attempted.`);
	});

	it('8 in flight (the default): 40 sends, each once, output in input order', async () => {
		const open = conversation(env, true).id;
		const items = Array.from({ length: 40 }, (_, i) => ({ conversation: open, text: `par ${i}` }));
		const result = await env.run(whatsApp, { items });
		expect(result.error).toBeUndefined();
		expect(result.json.map((m) => m.message)).toEqual(items.map((i) => i.text));
		expect(result.items.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(posts(env, '/messages/whatsapp').map((r) => (r.body as IDataObject).message).sort()).toEqual(items.map((i) => i.text).sort());
		expect(storedTexts(env, 'par').sort()).toEqual(items.map((i) => i.text).sort());
	});

	it('an item refused by the node’s own checks: with Stop nothing is sent; with Continue the others are', async () => {
		const open = conversation(env, true).id;
		const items = [0, 1, 2, 3].map((i) => ({ conversation: i === 2 ? 'ORD-000123' : open, text: `local ${i}` }));
		const stop = await env.run(whatsApp, { items });
		expect(stop.error?.message).toMatch(/^Conversation: "ORD-000123" is not a Cekat ID \(a UUID, not a number or name\) \[item 2\]/);
		expect(stop.error?.description).toContain('Sent (0): none');
		expect(stop.error?.description).toContain('Not attempted (3): items 0–1, 3');
		expect(posts(env, '/messages/whatsapp')).toEqual([]);

		const cont = await env.run(whatsApp, { items, settings: CONTINUE });
		expect(cont.items).toHaveLength(4);
		expect(String(cont.json[2].error)).toMatch(/^Conversation: "ORD-000123" is not a Cekat ID \(a UUID, not a number or name\) \[item 2\]/);
		expect(posts(env, '/messages/whatsapp').map((r) => (r.body as IDataObject).message)).toEqual(['local 0', 'local 1', 'local 3']);
	});

	it('Retry On Fail re-runs the node but never sends a sent item again', async () => {
		const open = conversation(env, true).id;
		const items = [0, 1, 2, 3].map((i) => ({ conversation: i === 2 ? '00000000-0000-4000-8000-000000000000' : open, text: `retry ${i}` }));
		const result = await env.run(whatsAppOneByOne, { items, settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } });
		expect(result.error?.message).toMatch(/^Cekat error 404/);
		// 3 tries: items 0 and 1 once each, the failing item 2 once per try, item 3 never.
		expect(posts(env, '/messages/whatsapp').map((r) => (r.body as IDataObject).message)).toEqual(['retry 0', 'retry 1', 'retry 2', 'retry 2', 'retry 2']);
		expect(storedTexts(env, 'retry').sort()).toEqual(['retry 0', 'retry 1']);
		expect(result.error?.context).toEqual(expect.objectContaining({ sent: [expect.objectContaining({ item: 0 }), expect.objectContaining({ item: 1 })], notAttempted: [3] }));
	});
});

describe('Send Template in bulk', () => {
	const env = useEnv();
	afterEach(() => env.sandbox.reset());

	/** 5 items to new numbers; the 3rd names a template Cekat does not have (404). */
	function setup(tag: string) {
		const t = template(env);
		const parameters = {
			resource: 'message',
			operation: 'sendTemplate',
			inboxId: byId(t.inbox_id),
			templateId: byId('={{ $json.template }}'),
			templatePhoneNumber: '={{ $json.phone }}',
			bodyVariables: { variable: [{ value: '={{ $json.name }}' }] },
		};
		const items = [0, 1, 2, 3, 4].map((i) => ({ template: i === 2 ? '999999999' : t.wa_template_id, phone: `62857000100${i}`, name: `${tag}-${i}` }));
		return { parameters, items };
	}
	const sentTo = (env: Env) => posts(env, '/templates/send').map((r) => (r.body as IDataObject).phone_number);
	const storedFor = (env: Env, tag: string) =>
		env.sandbox.store.messages
			.all()
			.filter((m) => m.is_template && String(m.message).includes(`${tag}-`))
			.map((m) => /(\w+-\d)/.exec(String(m.message).slice(String(m.message).indexOf(`${tag}-`)))![1])
			.sort();

	it('one by one, Stop: the error names sent (message ids), failed and not attempted; the sandbox holds exactly the sent ones', async () => {
		const { parameters, items } = setup('tstop');
		const result = await env.run({ ...parameters, ...ONE_BY_ONE }, { items });
		expect(result.error?.message).toMatch(/^Cekat error 404: Template with wa_template_id 999999999 not found/);
		expect(sentTo(env)).toEqual(['628570001000', '628570001001', '628570001002']);
		expect(storedFor(env, 'tstop')).toEqual(['tstop-0', 'tstop-1']);
		const context = result.error?.context as { sent: Array<{ item: number; messageId: string }>; notAttempted: number[] };
		expect(context.sent.map((s) => s.item)).toEqual([0, 1]);
		const storedIds = env.sandbox.store.messages.all().filter((m) => m.is_template && String(m.message).includes('tstop-')).map((m) => m.id);
		expect(context.sent.map((s) => s.messageId).sort()).toEqual(storedIds.sort());
		expect(context.notAttempted).toEqual([3, 4]);
		const description = String(result.error?.description);
		for (const { item, messageId } of context.sent) expect(description).toContain(`item ${item} → message ${messageId}`);
		expect(description).toMatch(/Failed \(1\):\n {2}item 2: Cekat error 404/);
		expect(description).toContain('Not attempted (2): items 3–4');
	});

	it('Continue: 5 results in input order, 4 sent', async () => {
		const { parameters, items } = setup('tcont');
		const result = await env.run(parameters, { items, settings: CONTINUE });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(String(result.json[2].error)).toMatch(/^Cekat error 404/);
		for (const i of [0, 1, 3, 4]) expect(result.json[i]).toEqual(expect.objectContaining({ status: 'sent', message_id: expect.any(String) }));
		expect(sentTo(env).sort()).toEqual(items.map((i) => i.phone).sort());
		expect(storedFor(env, 'tcont')).toEqual(['tcont-0', 'tcont-1', 'tcont-3', 'tcont-4']);
	});
});

describe('Send parameters that read $json (read from the item, not evaluated)', () => {
	const env = useEnv();
	afterEach(() => env.sandbox.reset());

	/** Send Template with the given expressions for phone, contact name and the body variable. */
	const sendTemplate = (phone: string, name: string, variable: string) => {
		const t = template(env);
		return {
			resource: 'message',
			operation: 'sendTemplate',
			inboxId: byId(t.inbox_id),
			templateId: byId(t.wa_template_id),
			templatePhoneNumber: phone,
			phoneName: name,
			bodyVariables: { variable: [{ value: variable }] },
		};
	};
	const bodies = () => posts(env, '/templates/send').map((r) => r.body as IDataObject);

	// Dotted and bracketed reads, numbers, unicode keys, a missing value, an object (not the item's own).
	const items: IDataObject[] = [
		{ customer: { phones: ['6285700020001'], 'first name': 'Ayu' }, vars: { v: 'satu' } },
		{ customer: { phones: [6285700020002], 'first name': 'Budi Santoso' }, vars: { v: 2 } },
		{ customer: { phones: ['6285700020003'] }, vars: { v: 'tiga' } },
		{ customer: { phones: ['+62 857-0002-0004'], 'first name': 'Çağla' }, vars: { v: 'empat' } },
		// Refused by the node's checks, alike on both paths: an object as a name, no phone number.
		{ customer: { phones: ['6285700020005'], 'first name': { given: 'Eka' } }, vars: { v: 'lima' } },
		{ customer: { phones: [] }, vars: { v: 'enam' } },
	];
	const reads = () => sendTemplate('={{ $json.customer.phones[0] }}', '={{ $json.customer["first name"] }}', "={{ $json['vars'].v }}");
	// The same reads, each wrapped in parentheses: no longer a plain read, so n8n evaluates them.
	const evaluated = () => sendTemplate('={{ ($json.customer.phones[0]) }}', '={{ ($json.customer["first name"]) }}', "={{ ($json['vars'].v) }}");

	it('send exactly what n8n’s evaluation of the same expressions sends, and output the same (errors too)', async () => {
		// Watched, not replaced: how many expressions n8n evaluates on each path.
		const evaluations = jest.spyOn(Expression.prototype, 'resolveSimpleParameterValue');
		const expressions = () => evaluations.mock.calls.filter(([value]) => typeof value === 'string' && value.startsWith('=')).length;
		const fast = await env.run(reads(), { items, settings: CONTINUE });
		const evaluatedFast = expressions();
		const sentFast = bodies();
		env.sandbox.reset();
		evaluations.mockClear();
		const slow = await env.run(evaluated(), { items, settings: CONTINUE });
		const evaluatedSlow = expressions();
		evaluations.mockRestore();
		const sentSlow = bodies();
		// The reads: none evaluated, except for the item whose name is not text (n8n evaluates that item again
		// to name the field in its error). The wrapped ones: one combined evaluation per item at least.
		expect(evaluatedFast).toBeLessThan(items.length);
		expect(evaluatedSlow).toBeGreaterThanOrEqual(items.length);
		expect(fast.error).toBeUndefined();
		expect(slow.error).toBeUndefined();
		expect(sentFast).toEqual(sentSlow);
		expect(sentFast.map((b) => [b.phone_number, b.phone_name, b.template_body_variables])).toEqual([
			['6285700020001', 'Ayu', ['satu']],
			['6285700020002', 'Budi Santoso', ['2']],
			['6285700020003', undefined, ['tiga']],
			['6285700020004', 'Çağla', ['empat']],
		]);
		const shape = (r: typeof fast) => r.json.map((j) => (j.error ? String(j.error) : Object.keys(j).sort()));
		expect(shape(fast)).toEqual(shape(slow));
		expect(shape(fast).slice(4)).toEqual([expect.stringMatching(/Contact Name/), expect.stringMatching(/Phone Number.*required/)]);
		expect(fast.items.map((i) => i.pairedItem)).toEqual(slow.items.map((i) => i.pairedItem));
	});

	it('a read n8n refuses or that is not plain data is evaluated by n8n: its error names the parameter and the item', async () => {
		// `$json.customer.phones[0]` through a missing `customer`: n8n's own error, before any send.
		const result = await env.run(reads(), { items: [items[0], { vars: { v: 'x' } }] });
		expect(bodies()).toEqual([]);
		expect(result.error?.message).toMatch(/Phone Number|phones|customer/);
		expect(result.error?.context?.itemIndex ?? (result.error as { itemIndex?: number })?.itemIndex).toBe(1);
	});

	it('inherited properties (`length`) are evaluated by n8n, not read', async () => {
		const t = sendTemplate('={{ $json.phone }}', '={{ $json.name }}', '={{ $json.list.length }}');
		const result = await env.run(t, { items: [{ phone: '6285700020009', name: 'Dewi', list: ['a', 'b', 'c'] }] });
		expect(result.error).toBeUndefined();
		expect(bodies().map((b) => b.template_body_variables)).toEqual([['3']]);
	});

});

describe('Bulk sends under a rate limit', () => {
	const LIMIT = 10;
	const WINDOW_S = 2;
	const env = useEnv({ rateLimit: { limit: LIMIT, windowSeconds: WINDOW_S } });
	afterEach(() => env.sandbox.reset());

	it(`12 sends under ${LIMIT} per ${WINDOW_S} s: all delivered once, in order, none met a 429`, async () => {
		// Start at a window's beginning so that exactly 2 sends wait for the next one.
		await new Promise((resolve) => setTimeout(resolve, WINDOW_S * 1000 - (Date.now() % (WINDOW_S * 1000)) + 20));
		const open = conversation(env, true).id;
		const items = Array.from({ length: 12 }, (_, i) => ({ conversation: open, text: `limited ${i}` }));
		const result = await env.run(whatsApp, { items });
		expect(result.error).toBeUndefined();
		const own = posts(env, '/messages/whatsapp');
		expect(own.filter((r) => r.status === 429)).toEqual([]);
		expect(own.map((r) => (r.body as IDataObject).message)).toEqual(items.map((i) => i.text));
		expect(storedTexts(env, 'limited')).toEqual(items.map((i) => i.text));
	});
});
