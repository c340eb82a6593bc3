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
	body: { id: string; object: string; timestamp: number; event_name?: string; event_type?: string; data?: Record<string, unknown>; [key: string]: unknown };
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
		expect((await api.post('/api/orders', { orders_products: [{ product_name: 'A', quantity: 1, price: 1 }], payment_method: 'manual', bank_account_number: '1234567890', contact_id: contact.id })).status).toBe(200);
		await sb.webhooks.settle();
		expect(sb.webhooks.deliveries()).toEqual([]);
	});

	it('data changes through the API send their events, in order, with the record; the target’s event list filters', async () => {
		sb.webhooks.configure({ url, secret: 'shh' });
		const conv = sb.store.conversations.all().find((c) => c.platform_type === 'whatsapp')!;
		const created = await api.post('/api/orders', { orders_products: [{ product_name: 'A', quantity: 1, price: 1000 }], payment_method: 'manual', bank_account_number: '1234567890', conversation_id: conv.id });
		const order = created.data.data;
		await api.put(`/api/orders/${order.id}`, { order_status: 'processing', payment_status: 'paid' });
		const stageBefore = conv.stage_status;
		await api.put(`/api/conversations/${conv.id}`, { stage_status: stageBefore === 'resolved' ? 'open' : 'resolved' });
		const board = sb.store.boards.all()[1];
		const item = await api.post(`/api/crm/boards/${board.id}/items`, { item_name: 'Tiket', Priority: 'High' });
		await api.put(`/api/crm/boards/${board.id}/items/${item.data.data.item_id}`, { Description: 'rusak', Assignee: null });
		await api.delete(`/api/crm/boards/${board.id}/items`, { data: { item_ids: [item.data.data.item_id] } });
		await sb.webhooks.settle();

		expect(received.map((r) => r.body.event_name)).toEqual([
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
		// Cekat's envelope (REF): id, object, timestamp (epoch seconds), event_name, data = the order's detail, payment status upper case
		expect(first.body).toEqual({
			id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			object: 'order',
			timestamp: expect.any(Number),
			event_name: 'order.created',
			message: 'success',
			data: expect.objectContaining({ id: order.id, order_number: order.order_number, contact: order.contact, grand_total: order.grand_total, payment_status: 'PENDING' }),
		});
		expect(Math.abs(first.body.timestamp * 1000 - Date.now())).toBeLessThan(60_000);
		expect(received[1].body).toEqual(expect.objectContaining({ event_name: 'order.updated', changed: expect.objectContaining({ order_status: { old_value: 'pending', new_value: 'processing' }, payment_status: { old_value: 'PENDING', new_value: 'PAID' } }) }));
		// status events: order_id + changed, no data
		expect(received[2].body).toEqual({ id: expect.any(String), object: 'order', timestamp: expect.any(Number), event_name: 'order.order_status_updated', order_id: order.id, changed: { old_value: 'pending', new_value: 'processing' } });
		expect(received[3].body).toEqual(expect.objectContaining({ order_id: order.id, changed: { old_value: 'PENDING', new_value: 'PAID' } }));
		expect(received[3].body.data).toBeUndefined();
		expect(received[4].body).toEqual(
			expect.objectContaining({ object: 'conversation', updated_field: 'stage_status', old_value: stageBefore, new_value: stageBefore === 'resolved' ? 'open' : 'resolved', data: expect.objectContaining({ id: conv.id, inbox_id: conv.inbox_id }) }),
		);
		const itemId = item.data.data.item_id as string;
		expect(received[5].body).toEqual(expect.objectContaining({ object: 'crm_item', board_id: board.id, message: 'success', data: { id: itemId, name: 'Tiket' } }));
		expect(received[7].body).toEqual(expect.objectContaining({ object: 'crm_value', board_id: board.id, data: { item_id: itemId, item_name: 'Tiket', Description: 'rusak' } }));
		// a deleted value carries the value before it was cleared (here: none was set)
		expect(received[8].body.data).toEqual({ item_id: itemId, item_name: 'Tiket', Assignee: null });
		expect(received[9].body).toEqual(expect.objectContaining({ board_id: board.id, data: { item_id: itemId } }));
		// the event carries the record as it was: the later update did not change the first event's data
		expect((received[0].body.data as { order_status: string }).order_status).toBe('pending');

		const log = sb.webhooks.deliveries();
		expect(log.map((d) => [d.seq, d.event, d.status, d.attempt, d.url])).toEqual(received.map((r, i) => [i + 1, r.body.event_name, 200, 1, url]));
		expect(log[0].response).toEqual({ ok: true });
		expect((await api.get('/__sandbox/webhooks/deliveries')).data.deliveries).toEqual(log);

		// only the events the target asks for
		received = [];
		sb.webhooks.configure({ url, events: ['order.payment_status_updated'] });
		await api.put(`/api/orders/${order.id}`, { order_status: 'completed', payment_status: 'settled' });
		await sb.webhooks.settle();
		expect(received.map((r) => [r.body.event_name, r.body.changed])).toEqual([['order.payment_status_updated', { old_value: 'PAID', new_value: 'SETTLED' }]]);
	});

	it('messages sent through the API send message.sent; a template to a new number also conversation.created', async () => {
		sb.webhooks.configure({ url });
		const template = sb.store.templates.all().find((t) => t.status === 'APPROVED' && !/\{\{/.test(t.body)) ?? sb.store.templates.all().find((t) => t.status === 'APPROVED')!;
		const vars = Array.from({ length: (template.body.match(/\{\{\s*\d+\s*\}\}/g) ?? []).length }, (_, i) => `v${i}`);
		const res = await api.post('/templates/send', { inbox_id: template.inbox_id, wa_template_id: template.wa_template_id, phone_number: '6289999000111', template_body_variables: [...new Set(vars)] });
		expect(res.status).toBe(200);
		await sb.webhooks.settle();
		expect(received.map((r) => [r.body.event_name, r.body.event_name === 'message.sent' ? (r.body.data!.conversation as { inbox_id: string }).inbox_id : r.body.data!.inbox_id])).toEqual([
			['conversation.created', template.inbox_id],
			['message.sent', template.inbox_id],
		]);
		expect(received[1].body.data).toEqual(expect.objectContaining({ sent_by_type: expect.not.stringMatching(/^user$/), conversation: expect.objectContaining({ id: received[0].body.data!.id }) }));
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
		const res = await api.post('/api/orders', { orders_products: [{ product_name: 'A', quantity: 1, price: 1 }], payment_method: 'manual', bank_account_number: '1234567890', contact_id: contact.id });
		expect(res.status).toBe(200);
		await sb.webhooks.settle();
		expect(sb.webhooks.deliveries().map((d) => [d.event, d.status, d.error])).toEqual([
			['contact.updated', 500, undefined],
			['order.created', 0, 'ECONNREFUSED'],
		]);
	});

	it('emit by hand: each of the 24 events with a realistic body; any name; data, fields, inbox_id, board_id; repeat, parallel, redeliver; reset repeats the ids', async () => {
		sb.webhooks.configure({ url });
		for (const event of WEBHOOK_EVENTS) expect((await api.post('/__sandbox/webhooks/emit', { event })).data.sent).toBe(true);
		await sb.webhooks.settle();
		expect(WEBHOOK_EVENTS).toHaveLength(24);
		expect(received.map((r) => r.body.event_name ?? r.body.event_type)).toEqual([...WEBHOOK_EVENTS]);
		for (const r of received) {
			expect(r.body).toEqual(expect.objectContaining({ id: expect.any(String), object: expect.any(String), timestamp: expect.any(Number) }));
			const typed = ['ai_summary.generated', 'conversation_note.created', 'conversation_note.updated'].includes(r.body.event_type ?? '');
			expect([typed, r.body.event_name === undefined]).toEqual([typed, typed]);
		}
		const firstId = received[0].body.id;
		const by = (name: string) => received.find((r) => (r.body.event_name ?? r.body.event_type) === name)!.body;
		expect(by('conversation.labels_updated')).toEqual(expect.objectContaining({ change_type: 'added', label: expect.objectContaining({ id: expect.anything() }) }));
		expect(by('contact.updated')).toEqual(expect.objectContaining({ changes: expect.objectContaining({ key: 'display_name' }), data: expect.objectContaining({ display_name: expect.any(String) }) }));
		expect(by('conversation_note.updated')).toEqual(expect.objectContaining({ object: 'conversation_note', note: expect.any(String), previous_note: expect.anything() }));
		expect(by('template.status_updated').data).toEqual(expect.objectContaining({ id: expect.any(String), wa_template_id: expect.any(String), template_status: expect.any(String), template_name: expect.any(String), inbox_name: expect.any(String) }));
		expect(by('netzme.invoice_paid')).toEqual(expect.objectContaining({ object: 'netzme', invoice_id: expect.any(String), payment_method: 'QRIS' }));

		received = [];
		const one = (await api.post('/__sandbox/webhooks/emit', { event: 'message.received', inbox_id: 'inbox-1', data: { id: 'm' }, repeat: 2 })).data.payload;
		const custom = (await api.post('/__sandbox/webhooks/emit', { event: 'anything.custom', id: 'my-id' })).data.payload;
		expect(custom).toEqual({ id: 'my-id', object: 'anything', timestamp: expect.any(Number), event_name: 'anything.custom', data: {} });
		const crm = (await api.post('/__sandbox/webhooks/emit', { event: 'crm_value.upserted', board_id: 'b-9', data: { item_id: 'i', item_name: 'Lead', Priority: 'High' }, fields: { message: 'success_with_failures' } })).data.payload;
		expect(crm).toEqual(expect.objectContaining({ board_id: 'b-9', message: 'success_with_failures', data: { item_id: 'i', item_name: 'Lead', Priority: 'High' } }));
		expect((await api.post(`/__sandbox/webhooks/redeliver/${one.id}`)).status).toBe(200);
		expect((await api.post('/__sandbox/webhooks/redeliver/unknown')).status).toBe(404);
		expect((await api.post('/__sandbox/webhooks/emit', { event: 'x', repeat: 11 })).status).toBe(400);
		expect((await api.post('/__sandbox/webhooks/emit', { event: 'x', fields: [] })).status).toBe(400);
		await sb.webhooks.settle();
		expect(received.map((r) => [r.body.id, r.body.event_name, (r.body.data?.conversation as { inbox_id?: string } | undefined)?.inbox_id])).toEqual([
			[one.id, 'message.received', 'inbox-1'],
			[one.id, 'message.received', 'inbox-1'],
			['my-id', 'anything.custom', undefined],
			[crm.id, 'crm_value.upserted', undefined],
			[one.id, 'message.received', 'inbox-1'],
		]);
		// the redelivered body is byte for byte the first one
		expect(received[4].body).toEqual(received[0].body);

		received = [];
		const par = (await api.post('/__sandbox/webhooks/emit', { event: 'order.created', repeat: 3, parallel: true })).data.payload;
		await sb.webhooks.settle();
		expect(received.map((r) => r.body.id)).toEqual([par.id, par.id, par.id]);

		sb.reset();
		expect(sb.webhooks.deliveries()).toEqual([]);
		expect(sb.webhooks.target).toEqual({ url });
		const again = (await api.post('/__sandbox/webhooks/emit', { event: 'message.received', data: {} })).data.payload;
		expect(again.id).toBe(firstId);
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
		expect(order).toEqual(expect.objectContaining({ order_status: 'pending', payment_status: 'pending', order_number: expect.any(Number) }));
		const firstPage = (await api.get('/api/orders', { params: { limit: 100 } })).data.data.orders;
		expect(created.orders).toContain(firstPage[0].id);
		await sb.webhooks.settle();
		expect(received).toHaveLength(130);
		expect(new Set(received.map((r) => r.body.event_name))).toEqual(new Set(['order.created', 'message.received', 'conversation.created', 'crm_item.created']));

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
