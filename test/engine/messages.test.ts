import type { IDataObject } from 'n8n-workflow';

import { apiData, onlyRequest, useEnv, type Env } from './env';

const DAY = 24 * 60 * 60 * 1000;

/** A WhatsApp conversation whose last customer message is inside (or outside) the 24-hour window. */
function conversationWithWindow(env: Env, open: boolean) {
	const { store } = env.sandbox;
	const now = Date.now();
	const conversation = store.conversations.all().find((c) => {
		const inbox = store.inboxes.get(c.inbox_id);
		const last = store.lastContactMessageAt(c.id);
		if (inbox?.type !== 'whatsapp' || !last) return false;
		const age = now - Date.parse(last);
		return open ? age < DAY - 60_000 : age > DAY + 60_000;
	});
	if (!conversation) throw new Error(`no conversation with an ${open ? 'open' : 'closed'} window in the seed`);
	return conversation;
}

describe('Messages through the engine', () => {
	const env = useEnv();
	afterEach(() => env.sandbox.reset());

	it('Send WhatsApp (text, to a conversation) sends the message and it shows up in both message lists', async () => {
		const conversation = conversationWithWindow(env, true);
		const result = await env.run({ resource: 'message', operation: 'sendWhatsApp', sendTo: 'conversation', conversationId: conversation.id, messageType: 'text', message: 'Pesanan Anda sudah dikirim' });
		expect(result.error).toBeUndefined();
		const request = onlyRequest(env, 'POST', '/messages/whatsapp');
		expect(request.body).toEqual({ conversation_id: conversation.id, message: 'Pesanan Anda sudah dikirim' });
		const sent = result.json[0];
		expect(sent).toEqual(expect.objectContaining({ message: 'Pesanan Anda sudah dikirim', conversation_id: conversation.id }));

		const history = await env.api.get('/messages', { params: { conversation_id: conversation.id } });
		expect((history.data.data as IDataObject[]).map((m) => m.id)).toContain(sent.id);
		const listed = await apiData<IDataObject[]>(env, '/api/messages', { conversation_id: conversation.id, limit: 100 });
		expect(listed.map((m) => m.id)).toContain(sent.id);
	});

	it('Send WhatsApp to a phone number normalises it', async () => {
		const conversation = conversationWithWindow(env, true);
		const local = `0${conversation.contact_phone.slice(2, 5)}-${conversation.contact_phone.slice(5)}`;
		const result = await env.run({ resource: 'message', operation: 'sendWhatsApp', sendTo: 'phone', receiver: local, messageType: 'text', message: 'Halo' });
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'POST', '/messages/whatsapp').body).toEqual({ receiver: conversation.contact_phone, message: 'Halo' });
	});

	it('Send WhatsApp media, location and CTA-URL button with header and footer', async () => {
		const conversation = conversationWithWindow(env, true);
		const base = { resource: 'message', operation: 'sendWhatsApp', sendTo: 'conversation', conversationId: conversation.id };
		const image = await env.run({ ...base, messageType: 'image', message: 'Invoice', fileUrl: 'https://example.com/a.png' });
		const location = await env.run({ ...base, messageType: 'location', location: { latitude: '-6.2088', longitude: '106.8456', name: 'Toko', address: 'Jl. Sudirman 1' } });
		const button = await env.run({ ...base, messageType: 'cta_url', message: 'Bayar sekarang', buttonText: 'Pay', buttonUrl: 'https://pay.example.com/1', options: { headerText: 'Invoice #1', footer: 'Terima kasih' } });
		for (const result of [image, location, button]) expect(result.error).toBeUndefined();
		const bodies = env.requests().map((r) => r.body);
		expect(bodies).toEqual([
			{ conversation_id: conversation.id, media_type: 'image', message: 'Invoice', file_url: 'https://example.com/a.png' },
			{ conversation_id: conversation.id, media_type: 'location', location: { latitude: '-6.2088', longitude: '106.8456', name: 'Toko', address: 'Jl. Sudirman 1' } },
			{
				conversation_id: conversation.id,
				media_type: 'cta_url',
				message: 'Bayar sekarang',
				action: { name: 'cta_url', parameters: { display_text: 'Pay', url: 'https://pay.example.com/1' } },
				header: { text: 'Invoice #1' },
				footer: 'Terima kasih',
			},
		]);
		expect(image.json[0].media_type).toBe('image');
	});

	it('Send WhatsApp outside the 24-hour window fails with Cekat’s message about templates', async () => {
		const conversation = conversationWithWindow(env, false);
		const before = env.sandbox.store.messagesOf(conversation.id).length;
		const result = await env.run({ resource: 'message', operation: 'sendWhatsApp', sendTo: 'conversation', conversationId: conversation.id, messageType: 'text', message: 'Halo' });
		expect(result.error?.message).toMatch(/^Cekat error 400: .*24-hour/);
		expect(result.error?.message).toMatch(/template/i);
		expect(env.sandbox.store.messagesOf(conversation.id).length).toBe(before);
	});

	it('Get Many pages through the messages of a conversation with filters', async () => {
		const conversation = conversationWithWindow(env, true);
		const expected = env.sandbox.store.messagesOf(conversation.id);
		const result = await env.run({ resource: 'message', operation: 'getAll', returnAll: true, filters: { conversationId: conversation.id, startDate: '2000-01-01' } });
		expect(env.requests()[0].query).toEqual({ conversation_id: conversation.id, start_date: '2000-01-01', page: '1', limit: '100' });
		expect(result.json.map((m) => m.id).sort()).toEqual(expected.map((m) => m.id).sort());
	});

	it('Get Many with Return All covers every message across many pages', async () => {
		const total = env.sandbox.store.messages.size;
		const result = await env.run({ resource: 'message', operation: 'getAll', returnAll: true });
		expect(env.requests()).toHaveLength(Math.ceil(total / 100));
		expect(new Set(result.json.map((m) => m.id)).size).toBe(total);
	});

	it('Get Conversation History uses the legacy route and returns every message', async () => {
		const conversation = conversationWithWindow(env, false);
		const result = await env.run({ resource: 'message', operation: 'getConversationHistory', historyConversationId: conversation.id, returnAll: true });
		expect(onlyRequest(env, 'GET', '/messages').query).toEqual({ conversation_id: conversation.id });
		expect(result.json.map((m) => m.id)).toEqual(env.sandbox.store.messagesOf(conversation.id).map((m) => m.id));
	});

	it('Get AI Credit Usage returns the summary as one item', async () => {
		const result = await env.run({ resource: 'message', operation: 'getAiCreditUsage', filters: { startDate: '2000-01-01', endDate: '2100-01-01' } });
		expect(onlyRequest(env, 'GET', '/api/messages/summary/ai_credits').query).toEqual({ start_date: '2000-01-01', end_date: '2100-01-01' });
		expect(result.json).toHaveLength(1);
		const aiMessages = env.sandbox.store.messages.all().filter((m) => m.sent_by_type === 'ai').length;
		expect(result.json[0]).toEqual(expect.objectContaining({ ai_messages: aiMessages, total_messages: env.sandbox.store.messages.size }));
	});
});
