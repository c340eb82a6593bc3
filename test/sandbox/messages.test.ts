/** WhatsApp send (24-hour window), template send, legacy message/template lists, ai_credits summary. */
import { expectSuccessFamily400, HOUR, startTestSandbox, type TestEnv, windowConversations } from './helpers';
import { placeholderCount } from '../../sandbox';

let env: TestEnv;
beforeAll(async () => {
	env = await startTestSandbox();
});
afterAll(() => env.sb.close());
afterEach(() => {
	env.sb.reset();
	env.clock.now = Date.parse('2026-06-15T05:00:00.000Z');
});

describe('POST /messages/whatsapp', () => {
	it('the seed has ~40% of WhatsApp conversations inside the window, the rest outside', () => {
		const { inside, outside } = windowConversations(env.sb.store, env.clock.now);
		const share = inside.length / (inside.length + outside.length);
		expect(share).toBeGreaterThan(0.25);
		expect(share).toBeLessThan(0.55);
	});

	it('inside the window: records the message and both message lists return it', async () => {
		const conv = windowConversations(env.sb.store, env.clock.now).inside[0];
		const before = env.sb.store.messagesOf(conv.id).length;
		const res = await env.api.post('/messages/whatsapp', { conversation_id: conv.id, message: 'Pesanan kakak sudah dikirim ya' });
		expect(res.status).toBe(200);
		expect(res.data.success).toBe(true);
		expect(res.data.data).toMatchObject({ message: 'Pesanan kakak sudah dikirim ya', sent_by_type: 'api', status: 'sent', conversation_id: conv.id, media_type: 'text', is_template: false });
		// Jakarta wall time without a zone (BOP): FIXED_NOW 05:00Z is 12:00 in Jakarta.
		expect(res.data.data.created_at).toBe('2026-06-15 12:00:00');
		expect(res.data.data.contact).toEqual({ id: conv.contact_id, display_name: conv.contact_name, phone_number: conv.contact_phone });

		const legacy = await env.api.get(`/messages?conversation_id=${conv.id}`);
		expect(legacy.data.data).toHaveLength(before + 1);
		expect(legacy.data.data[before].id).toBe(res.data.data.id); // oldest first: the new one is last
		const modern = await env.api.get(`/api/messages?conversation_id=${conv.id}&limit=1`);
		expect(modern.data.data[0].id).toBe(res.data.data.id); // newest first
		expect(env.sb.store.conversations.get(conv.id)!.last_message).toEqual({ message: 'Pesanan kakak sudah dikirim ya', created_at: new Date(env.clock.now).toISOString(), sent_by_type: 'api' });
		const detail = await env.api.get(`/api/conversations/${conv.id}`);
		expect(detail.data.data.last_message).toEqual({ message: 'Pesanan kakak sudah dikirim ya', created_at: '2026-06-15T05:00:00.000+00:00', sent_by_type: 'api' });
	});

	it('outside the window: 400 telling to send a template, nothing recorded', async () => {
		const conv = windowConversations(env.sb.store, env.clock.now).outside[0];
		const rev = env.sb.store.revision;
		const res = await env.api.post('/messages/whatsapp', { conversation_id: conv.id, message: 'Halo' });
		expect(res.status).toBe(400);
		expect(res.data.success).toBe(false);
		expect(res.data.error.code).toBe('VALIDATION_ERROR');
		expect(res.data.error.message).toMatch(/24-hour/);
		expect(res.data.error.message).toMatch(/template/i);
		expect(res.data.error.message).toContain('/templates/send');
		expect(env.sb.store.revision).toBe(rev);
	});

	it('the window follows the clock: 25 hours later the same conversation is refused', async () => {
		const conv = windowConversations(env.sb.store, env.clock.now).inside[0];
		env.clock.now += 25 * HOUR;
		const res = await env.api.post('/messages/whatsapp', { conversation_id: conv.id, message: 'Halo' });
		expect(res.status).toBe(400);
		expect(res.data.error.message).toMatch(/24-hour/);
	});

	it('by receiver: picks the contact’s most recent WhatsApp conversation', async () => {
		const s = env.sb.store;
		const { inside } = windowConversations(s, env.clock.now);
		const conv = inside.find((c) => s.latestWhatsappConversation(c.contact_id)!.id === c.id)!;
		const res = await env.api.post('/messages/whatsapp', { receiver: conv.contact_phone, message: 'Halo kak' });
		expect(res.status).toBe(200);
		expect(res.data.data.conversation_id).toBe(conv.id);
	});

	it('receiver format and unknown receiver', async () => {
		for (const receiver of ['+6281234567890', '081234567890', '62-812', '1234567', 'abc']) {
			const res = await env.api.post('/messages/whatsapp', { receiver, message: 'x' });
			expect(res.status).toBe(400);
			expectSuccessFamily400(res.data, 'receiver');
		}
		const unknown = await env.api.post('/messages/whatsapp', { receiver: '6289999999999', message: 'x' });
		expect(unknown.status).toBe(404);
		expect(unknown.data.error.code).toBe('NOT_FOUND');
	});

	it('field rules per media_type', async () => {
		const conv = windowConversations(env.sb.store, env.clock.now).inside[0].id;
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ message: 'x' }, 'conversation_id'],
			[{ conversation_id: conv }, 'message'],
			[{ conversation_id: conv, message: 'x', media_type: 'sticker' }, 'media_type'],
			[{ conversation_id: conv, media_type: 'image' }, 'file_url'],
			[{ conversation_id: conv, media_type: 'document', file_url: 'not a url' }, 'file_url'],
			[{ conversation_id: conv, media_type: 'location', location: { longitude: '106.8' } }, 'location.latitude'],
			[{ conversation_id: conv, media_type: 'location', location: { latitude: -6.2, longitude: '106.8' } }, 'location.latitude'],
			[{ conversation_id: conv, media_type: 'cta_url', message: 'Klik', action: { name: 'url' } }, 'action.name'],
			[{ conversation_id: conv, media_type: 'cta_url', message: 'Klik', action: { name: 'cta_url', parameters: { display_text: 'Buka' } } }, 'action.parameters.url'],
			[{ conversation_id: conv, message: 'x', header: { foo: 1 } }, 'header'],
			[{ conversation_id: conv, message: 'x', footer: 5 }, 'footer'],
			[{ conversation_id: 12, message: 'x' }, 'conversation_id'],
		];
		for (const [body, field] of cases) {
			const res = await env.api.post('/messages/whatsapp', body);
			expect({ body, status: res.status }).toEqual({ body, status: 400 });
			expectSuccessFamily400(res.data, field);
		}
	});

	it('accepts media, location and CTA messages inside the window', async () => {
		const conv = windowConversations(env.sb.store, env.clock.now).inside[0].id;
		const ok = [
			{ media_type: 'image', file_url: 'https://example.com/a.jpg', message: 'Foto produk' },
			{ media_type: 'location', location: { latitude: '-6.2', longitude: '106.8', name: 'Toko Sekar' } },
			{ media_type: 'cta_url', message: 'Lihat katalog', footer: 'Toko Sekar', header: { text: 'Katalog' }, action: { name: 'cta_url', parameters: { display_text: 'Buka', url: 'https://example.com' } } },
		];
		for (const extra of ok) {
			const res = await env.api.post('/messages/whatsapp', { conversation_id: conv, ...extra });
			expect(res.status).toBe(200);
			expect(res.data.data.media_type).toBe(extra.media_type);
		}
		expect(env.sb.store.messagesOf(conv).at(-3)!.media_url).toBe('https://example.com/a.jpg');
	});

	it('instagram conversations cannot be sent to via WhatsApp', async () => {
		const ig = env.sb.store.conversations.all().find((c) => c.platform_type === 'instagram')!;
		const res = await env.api.post('/messages/whatsapp', { conversation_id: ig.id, message: 'x' });
		expect(res.status).toBe(400);
		expect(res.data.error.message).toContain('instagram');
	});
});

describe('POST /templates/send', () => {
	const approved = (name: string) => env.sb.store.templates.all().find((t) => t.name === name && t.status === 'APPROVED')!;

	it('counts {{n}} placeholders', () => {
		expect(placeholderCount('Halo {{1}}, pesanan {{2}} {{1}}')).toBe(2);
		expect(placeholderCount('Tanpa variabel')).toBe(0);
	});

	it('works outside the window, fills the variables, records an is_template message', async () => {
		const s = env.sb.store;
		const conv = windowConversations(s, env.clock.now).outside.find((c) => c.inbox_id === approved('order_shipped').inbox_id)!;
		const tpl = approved('order_shipped');
		const res = await env.api.post('/templates/send', { inbox_id: tpl.inbox_id, wa_template_id: tpl.wa_template_id, phone_number: conv.contact_phone, template_body_variables: ['Budi', 'ORD-000042'] });
		expect(res.status).toBe(200);
		expect(res.data.data.status).toBe('sent');
		expect(res.data.data.contact_id).toBe(conv.contact_id);
		expect(res.data.data.message).toBe('Halo Budi, pesanan ORD-000042 sudah kami kirim. Terima kasih sudah berbelanja!');
		const stored = s.messages.get(res.data.data.message_id)!;
		expect(stored.is_template).toBe(true);
		expect(stored.message).toBe(res.data.data.message);
		// A template does not open the window: a free-form send to that conversation is still refused.
		const conversation = s.conversations.get(res.data.data.conversation_id)!;
		const again = await env.api.post('/messages/whatsapp', { conversation_id: conversation.id, message: 'x' });
		expect(again.status).toBe(400);
	});

	it('creates the contact and a conversation for a new phone number', async () => {
		const s = env.sb.store;
		const tpl = approved('otp_login');
		const before = s.counts();
		const res = await env.api.post('/templates/send', { inbox_id: tpl.inbox_id, wa_template_id: tpl.wa_template_id, phone_number: '6281377778888', phone_name: 'Rara', template_body_variables: ['123456'] });
		expect(res.status).toBe(200);
		const after = s.counts();
		expect(after.contacts).toBe(before.contacts + 1);
		expect(after.conversations).toBe(before.conversations + 1);
		expect(after.messages).toBe(before.messages + 1);
		expect(s.findContactByPhone('6281377778888')!.contact_name).toBe('Rara');
	});

	it('rejects wrong variable counts, unapproved or foreign templates, bad phones', async () => {
		const s = env.sb.store;
		const tpl = approved('promo_flash_sale');
		const rev = s.revision;
		const wrong = await env.api.post('/templates/send', { inbox_id: tpl.inbox_id, wa_template_id: tpl.wa_template_id, phone_number: '6281300000001', template_body_variables: ['a'] });
		expect(wrong.status).toBe(400);
		expectSuccessFamily400(wrong.data, 'template_body_variables');
		expect(wrong.data.error.message).toContain('expects 3');

		const pending = s.templates.all().find((t) => t.status !== 'APPROVED')!;
		const notApproved = await env.api.post('/templates/send', { inbox_id: pending.inbox_id, wa_template_id: pending.wa_template_id, phone_number: '6281300000001', template_body_variables: [] });
		expect(notApproved.status).toBe(400);
		expect(notApproved.data.error.message).toContain(pending.status);

		const other = s.inboxes.all().find((i) => i.id !== tpl.inbox_id)!;
		const foreign = await env.api.post('/templates/send', { inbox_id: other.id, wa_template_id: tpl.wa_template_id, phone_number: '6281300000001', template_body_variables: ['a', 'b', 'c'] });
		expect(foreign.status).toBe(404);

		const noInbox = await env.api.post('/templates/send', { inbox_id: 'nope', wa_template_id: tpl.wa_template_id, phone_number: '6281300000001', template_body_variables: ['a', 'b', 'c'] });
		expect(noInbox.status).toBe(404);

		const phone = await env.api.post('/templates/send', { inbox_id: tpl.inbox_id, wa_template_id: tpl.wa_template_id, phone_number: '+62 813', template_body_variables: ['a', 'b', 'c'] });
		expectSuccessFamily400(phone.data, 'phone_number');

		const missing = await env.api.post('/templates/send', { inbox_id: tpl.inbox_id, phone_number: '6281300000001' });
		expectSuccessFamily400(missing.data, 'wa_template_id');
		expect(s.revision).toBe(rev);
		expect(s.findContactByPhone('6281300000001')).toBeUndefined();
	});
});

describe('legacy lists and the ai_credits summary', () => {
	it('GET /messages needs conversation_id', async () => {
		const res = await env.api.get('/messages');
		expect(res.status).toBe(400);
		expectSuccessFamily400(res.data, 'conversation_id');
	});

	it('GET /templates without inbox_id lists all; unknown inbox is 404', async () => {
		const all = await env.api.get('/templates');
		expect(all.data.data).toHaveLength(env.sb.store.templates.size);
		expect((await env.api.get('/templates?inbox_id=nope')).status).toBe(404);
	});

	it('ai_credits counts AI messages from the store, per Jakarta day', async () => {
		const s = env.sb.store;
		const conv = s.conversations.all().find((c) => s.messagesOf(c.id).some((m) => m.sent_by_type === 'ai'))!;
		const msgs = s.messagesOf(conv.id);
		const res = await env.api.get(`/api/messages/summary/ai_credits?conversation_id=${conv.id}`);
		expect(res.status).toBe(200);
		const ai = msgs.filter((m) => m.sent_by_type === 'ai').length;
		expect(res.data.data).toMatchObject({ conversation_id: conv.id, total_messages: msgs.length, ai_messages: ai, ai_credits_used: ai, start_date: null, end_date: null });
		const sum = res.data.data.breakdown.reduce((n: number, r: { messages: number }) => n + r.messages, 0);
		expect(sum).toBe(msgs.length);

		const all = await env.api.get('/api/messages/summary/ai_credits?start_date=2026-06-01&end_date=2026-06-15');
		const from = Date.parse('2026-06-01T00:00:00+07:00');
		const to = Date.parse('2026-06-16T00:00:00+07:00');
		const inRange = s.messages.all().filter((m) => Date.parse(m.created_at) >= from && Date.parse(m.created_at) < to);
		expect(all.data.data.total_messages).toBe(inRange.length);
		expect(all.data.data.ai_messages).toBe(inRange.filter((m) => m.sent_by_type === 'ai').length);
		expect(all.data.data.breakdown.every((r: { date: string }) => r.date >= '2026-06-01' && r.date <= '2026-06-15')).toBe(true);
		expect((await env.api.get('/api/messages/summary/ai_credits?conversation_id=nope')).status).toBe(404);
	});
});

describe('PUT /api/conversations/:id', () => {
	it('updates fields, resolves, assigns an agent with a history row', async () => {
		const s = env.sb.store;
		const conv = s.conversations.all().find((c) => c.stage_status !== 'resolved' && c.handled_by_id === null)!;
		const agent = s.agents.all()[3];
		const historyBefore = s.agentAssignments.size;
		const res = await env.api.put(`/api/conversations/${conv.id}`, { stage_status: 'resolved', handled_by_id: agent.id, notes: 'selesai', keep_assigned_ai_agent_on_resolve: true, assigned_ai_agent: 'ai-1' });
		expect(res.status).toBe(200);
		expect(res.data.data).toMatchObject({ stage_status: 'resolved', handled_by_id: agent.id, handled_by_name: agent.name, notes: 'selesai', assigned_ai_agent: 'ai-1', resolved_at: '2026-06-15T05:00:00.000000+00:00', resolved_by_id: null });
		expect(s.agentAssignments.size).toBe(historyBefore + 1);
		const current = await env.api.get('/api/conversations/agent-assignments?limit=1');
		expect(current.data.data[0]).toMatchObject({ conversation_id: conv.id, agent_id: agent.id, assigned_at: new Date(env.clock.now).toISOString() });
		const cleared = await env.api.put(`/api/conversations/${conv.id}`, { assigned_ai_agent: null, stage_status: 'open' });
		expect(cleared.data.data).toMatchObject({ assigned_ai_agent: null, resolved_at: null, stage_status: 'open' });
	});

	it('rejects unknown fields, empty bodies, bad values — and changes nothing', async () => {
		const s = env.sb.store;
		const conv = s.conversations.all()[0];
		const snapshot = JSON.stringify(conv);
		const rev = s.revision;
		const cases: Array<[unknown, string]> = [
			[{ foo: 1 }, 'foo'],
			[{}, 'body'],
			[{ stage_status: 'closed' }, 'stage_status'],
			[{ keep_assigned_ai_agent_on_resolve: 'yes' }, 'keep_assigned_ai_agent_on_resolve'],
			[{ assigned_ai_agent: 5 }, 'assigned_ai_agent'],
		];
		for (const [body, field] of cases) {
			const res = await env.api.put(`/api/conversations/${conv.id}`, body);
			expect(res.status).toBe(400);
			expectSuccessFamily400(res.data, field);
		}
		const badAgent = await env.api.put(`/api/conversations/${conv.id}`, { stage_status: 'resolved', handled_by_id: 'nope' });
		expect(badAgent.status).toBe(404);
		expect(JSON.stringify(s.conversations.get(conv.id))).toBe(snapshot);
		expect(s.revision).toBe(rev);
	});
});
