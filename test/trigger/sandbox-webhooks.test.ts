/**
 * The sandbox's webhook emission and bulk records (the controls the trigger tests rely on): targets are
 * loopback only, deliveries never block or fail an API request, events follow data changes, the delivery log.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import axios, { type AxiosInstance } from 'axios';

import { startSandbox, WEBHOOK_EVENTS, type Sandbox } from '../../sandbox';

interface Received {
	headers: Record<string, unknown>;
	url: string;
	body: { id: string; event: string; created_at: string; inbox_id?: string | null; data: Record<string, unknown> };
}

describe('sandbox webhooks', () => {
	let sb: Sandbox;
	let api: AxiosInstance;
	let server: Server;
	let url: string;
	let received: Received[] = [];
	let answer = 200;

	beforeAll(async () => {
		sb = await startSandbox({ port: 0 });
		api = axios.create({ baseURL: sb.url, headers: { api_key: sb.apiKey }, validateStatus: () => true });
		server = createServer((req, res) => {
			let text = '';
			req.on('data', (c: Buffer) => (text += c.toString()));
			req.on('end', () => {
				received.push({ headers: req.headers, url: req.url ?? '', body: JSON.parse(text) });
				res.writeHead(answer, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ ok: answer < 400 }));
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
	});
	afterAll(async () => {
		await sb.close();
		await new Promise<void>((r) => server.close(() => r()));
	});
	afterEach(async () => {
		await sb.webhooks.settle();
		sb.webhooks.configure(undefined);
		sb.reset();
		received = [];
		answer = 200;
	});

	it('configures a loopback target; other hosts, bad URLs and unknown events are refused', async () => {
		expect((await api.get('/__sandbox/webhooks')).data).toEqual({ target: null });
		for (const [body, message] of [
			[{ url: 'http://example.com/hook' }, "url must point to this machine (127.0.0.1, localhost or ::1), got 'example.com'"],
			[{ url: 'not a url' }, "url is not a valid URL: 'not a url'"],
			[{ url: 'ftp://127.0.0.1/x' }, 'url must be http(s)'],
			[{}, 'url is required'],
			[{ url, events: ['order.exploded'] }, `unknown event 'order.exploded' (known: ${WEBHOOK_EVENTS.join(', ')})`],
		] as const) {
			const res = await api.post('/__sandbox/webhooks', body);
			expect([res.status, res.data.error?.message]).toEqual([400, message]);
		}
		const ok = await api.post('/__sandbox/webhooks', { url, secret: 's', events: ['order.created'] });
		expect(ok.data).toEqual({ ok: true, target: { url, secret: 's', events: ['order.created'] } });
		expect((await api.get('/__sandbox/webhooks')).data.target).toEqual({ url, secret: 's', events: ['order.created'] });
		expect((await api.delete('/__sandbox/webhooks')).status).toBe(200);
		expect((await api.get('/__sandbox/webhooks')).data).toEqual({ target: null });
		// control routes are not journaled
		expect(sb.journal()).toEqual([]);
	});

	it('without a target nothing is sent; emitting by hand needs one', async () => {
		const res = await api.post('/__sandbox/webhooks/emit', { event: 'order.created', data: {} });
		expect(res.status).toBe(409);
		const contact = sb.store.contacts.all()[0];
		expect((await api.post('/api/orders', { orders_products: [{ product_name: 'A', quantity: 1, price: 1 }], payment_method: 'manual', contact_id: contact.id })).status).toBe(200);
		await sb.webhooks.settle();
		expect(sb.webhooks.deliveries()).toEqual([]);
	});

	it('data changes through the API send their events, in order, with the record; the target’s event list filters', async () => {
		sb.webhooks.configure({ url, secret: 'shh' });
		const conv = sb.store.conversations.all().find((c) => c.platform_type === 'whatsapp')!;
		const created = await api.post('/api/orders', { orders_products: [{ product_name: 'A', quantity: 1, price: 1000 }], payment_method: 'manual', conversation_id: conv.id });
		const order = created.data.data;
		await api.put(`/api/orders/${order.id}`, { order_status: 'processing', payment_status: 'paid' });
		await api.put(`/api/conversations/${conv.id}`, { stage_status: conv.stage_status === 'resolved' ? 'open' : 'resolved' });
		const board = sb.store.boards.all()[1];
		const item = await api.post(`/api/crm/boards/${board.id}/items`, { item_name: 'Tiket', Priority: 'High' });
		await api.put(`/api/crm/boards/${board.id}/items/${item.data.data.id}`, { Description: 'rusak', Assignee: null });
		await api.delete(`/api/crm/boards/${board.id}/items`, { data: { item_ids: [item.data.data.id] } });
		await sb.webhooks.settle();

		expect(received.map((r) => r.body.event)).toEqual([
			'order.created',
			'order.updated',
			'order.order_status_updated',
			'order.payment_status_updated',
			'conversation.stage_status_updated',
			'crm_item.created',
			'crm_item.updated',
			'crm_value.upserted',
			'crm_value.deleted',
			'crm_item.deleted',
		]);
		const [first] = received;
		expect(first.headers).toEqual(expect.objectContaining({ 'content-type': 'application/json', 'x-cekat-event': 'order.created', 'x-cekat-secret': 'shh' }));
		expect(first.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), event: 'order.created', created_at: expect.any(String), inbox_id: conv.inbox_id, data: order });
		expect(received[3].body.data).toEqual(expect.objectContaining({ id: order.id, payment_status: 'paid', previous_payment_status: 'pending' }));
		expect(received[7].body.data).toEqual({ board_id: board.id, item_id: item.data.data.id, column_name: 'Description', value: 'rusak' });
		// the event carries the record as it was: the later update did not change the first event's data
		expect((received[0].body.data as { order_status: string }).order_status).toBe('pending');

		const log = sb.webhooks.deliveries();
		expect(log.map((d) => [d.seq, d.event, d.status, d.attempt, d.url])).toEqual(received.map((r, i) => [i + 1, r.body.event, 200, 1, url]));
		expect(log[0].response).toEqual({ ok: true });
		expect((await api.get('/__sandbox/webhooks/deliveries')).data.deliveries).toEqual(log);

		// only the events the target asks for
		received = [];
		sb.webhooks.configure({ url, events: ['order.payment_status_updated'] });
		await api.put(`/api/orders/${order.id}`, { order_status: 'completed', payment_status: 'settled' });
		await sb.webhooks.settle();
		expect(received.map((r) => r.body.event)).toEqual(['order.payment_status_updated']);
	});

	it('messages sent through the API send message.sent; a template to a new number also conversation.created', async () => {
		sb.webhooks.configure({ url });
		const template = sb.store.templates.all().find((t) => t.status === 'APPROVED' && !/\{\{/.test(t.body)) ?? sb.store.templates.all().find((t) => t.status === 'APPROVED')!;
		const vars = Array.from({ length: (template.body.match(/\{\{\s*\d+\s*\}\}/g) ?? []).length }, (_, i) => `v${i}`);
		const res = await api.post('/templates/send', { inbox_id: template.inbox_id, wa_template_id: template.wa_template_id, phone_number: '6289999000111', template_body_variables: [...new Set(vars)] });
		expect(res.status).toBe(200);
		await sb.webhooks.settle();
		expect(received.map((r) => [r.body.event, r.body.inbox_id])).toEqual([
			['conversation.created', template.inbox_id],
			['message.sent', template.inbox_id],
		]);
	});

	it('a failing or unreachable target never fails the API request; the log shows what happened', async () => {
		answer = 500;
		sb.webhooks.configure({ url });
		await api.post('/__sandbox/webhooks/emit', { event: 'contact.updated', data: { id: 'c' } });
		// a port nothing listens on
		const closed = createServer();
		await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
		const port = (closed.address() as AddressInfo).port;
		await new Promise<void>((r) => closed.close(() => r()));
		sb.webhooks.configure({ url: `http://127.0.0.1:${port}/nothing-here` });
		const contact = sb.store.contacts.all()[0];
		const res = await api.post('/api/orders', { orders_products: [{ product_name: 'A', quantity: 1, price: 1 }], payment_method: 'manual', contact_id: contact.id });
		expect(res.status).toBe(200);
		await sb.webhooks.settle();
		expect(sb.webhooks.deliveries().map((d) => [d.event, d.status, d.error])).toEqual([
			['contact.updated', 500, undefined],
			['order.created', 0, 'ECONNREFUSED'],
		]);
	});

	it('emit by hand: any name, repeat, parallel, redeliver; reset clears the log and repeats the ids', async () => {
		sb.webhooks.configure({ url });
		const one = (await api.post('/__sandbox/webhooks/emit', { event: 'message.received', inbox_id: 'inbox-1', data: { id: 'm' }, repeat: 2 })).data.payload;
		const custom = (await api.post('/__sandbox/webhooks/emit', { event: 'anything.custom', id: 'my-id' })).data.payload;
		expect(custom).toEqual({ id: 'my-id', event: 'anything.custom', created_at: expect.any(String), data: {} });
		expect((await api.post(`/__sandbox/webhooks/redeliver/${one.id}`)).status).toBe(200);
		expect((await api.post('/__sandbox/webhooks/redeliver/unknown')).status).toBe(404);
		expect((await api.post('/__sandbox/webhooks/emit', { event: 'x', repeat: 11 })).status).toBe(400);
		await sb.webhooks.settle();
		expect(received.map((r) => [r.body.id, r.body.event, r.body.inbox_id])).toEqual([
			[one.id, 'message.received', 'inbox-1'],
			[one.id, 'message.received', 'inbox-1'],
			['my-id', 'anything.custom', undefined],
			[one.id, 'message.received', 'inbox-1'],
		]);
		expect(sb.webhooks.deliveries().map((d) => d.attempt)).toEqual([1, 2, 1, 3]);
		// the redelivered body is byte for byte the first one
		expect(received[3].body).toEqual(received[0].body);

		received = [];
		const par = (await api.post('/__sandbox/webhooks/emit', { event: 'order.created', repeat: 3, parallel: true })).data.payload;
		await sb.webhooks.settle();
		expect(received.map((r) => r.body.id)).toEqual([par.id, par.id, par.id]);

		sb.reset();
		expect(sb.webhooks.deliveries()).toEqual([]);
		expect(sb.webhooks.target).toEqual({ url });
		const again = (await api.post('/__sandbox/webhooks/emit', { event: 'message.received', data: {} })).data.payload;
		expect(again.id).toBe(one.id);
	});

	it('seed-more: many records with the sandbox clock, optionally with their events', async () => {
		sb.webhooks.configure({ url });
		const before = sb.store.counts();
		const res = await api.post('/__sandbox/seed-more', { orders: 120, messages: 5, conversations: 2, crm_items: 3, emit: true });
		expect(res.status).toBe(200);
		const { created } = res.data;
		expect([created.orders.length, created.messages.length, created.conversations.length, created.crm_items.length]).toEqual([120, 5, 2, 3]);
		const after = sb.store.counts();
		expect([after.orders - before.orders, after.messages - before.messages, after.conversations - before.conversations, after.crm_items - before.crm_items]).toEqual([120, 5, 2, 3]);
		// created like the API creates them: readable through it
		const order = (await api.get(`/api/orders/${created.orders[0]}`)).data.data;
		expect(order).toEqual(expect.objectContaining({ order_status: 'pending', payment_status: 'pending', order_number: `ORD-${String(before.orders + 1).padStart(6, '0')}` }));
		const firstPage = (await api.get('/api/orders', { params: { limit: 100 } })).data.data.orders;
		expect(created.orders).toContain(firstPage[0].id);
		await sb.webhooks.settle();
		expect(received).toHaveLength(130);
		expect(new Set(received.map((r) => r.body.event))).toEqual(new Set(['order.created', 'message.received', 'conversation.created', 'crm_item.created']));

		received = [];
		expect((await api.post('/__sandbox/seed-more', { orders: 1 })).status).toBe(200);
		await sb.webhooks.settle();
		expect(received).toEqual([]);
		for (const bad of [{ orders: -1 }, { orders: 1.5 }, { messages: 10_001 }, { emit: 'yes' }, { crm_items: 1, board_id: 5 }]) {
			expect((await api.post('/__sandbox/seed-more', bad)).status).toBe(400);
		}
		expect((await api.post('/__sandbox/seed-more', { crm_items: 1, board_id: 'nope' })).status).toBe(404);
	});
});
