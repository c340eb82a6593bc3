/**
 * Polling mode through n8n-core's PollContext, against the sandbox over HTTP, with the static data kept
 * between polls as n8n keeps it (JSON). The sandbox clock is moved forward between changes.
 */
import type { IDataObject } from 'n8n-workflow';

import { byId, Poller, SALES_BOARD_ID, useTriggerEnv, type TriggerEnv } from './env';

const SECOND = 1000;

async function createOrder(env: TriggerEnv, i = 0): Promise<IDataObject> {
	const contact = env.sandbox.store.contacts.all()[i % 50];
	const res = await env.api.post('/api/orders', {
		orders_products: [{ product_name: `Produk ${i}`, quantity: 1, price: 10000 + i }],
		payment_method: 'manual',
		contact_id: contact.id,
	});
	expect(res.status).toBe(200);
	return res.data.data as IDataObject;
}

async function seedMore(env: TriggerEnv, body: IDataObject): Promise<Record<string, string[]>> {
	const res = await env.api.post('/__sandbox/seed-more', body);
	expect(res.status).toBe(200);
	return res.data.created as Record<string, string[]>;
}

const ids = (items: IDataObject[] | null) => (items ?? []).map((i) => i.id);

describe('Cekat Trigger, Polling mode', () => {
	const env = useTriggerEnv();
	afterEach(() => {
		env.sandbox.clearFaults();
		env.sandbox.reset();
	});

	describe('New Order', () => {
		it('the first poll emits nothing and stores the newest position; then each new order is emitted once, oldest first', async () => {
			const poller = new Poller(env, { event: 'newOrder' });
			const newest = [...env.sandbox.store.orders.all()].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? 1 : -1))[0];

			const first = await poller.poll('trigger', 'activate');
			expect(first.error).toBeUndefined();
			expect(first.items).toBeNull();
			expect(first.requests.map((r) => [r.method, r.path, r.query, r.auth, r.keyMatched])).toEqual([
				['GET', '/api/orders', { sort_field: 'created_at', sort_direction: 'desc', page: '1', limit: '100' }, 'api_key', true],
			]);
			expect(poller.state['poll:newOrder']).toEqual({
				position: { ms: Date.parse(newest.created_at), at: newest.created_at, ids: [newest.id] },
			});

			env.clock.now += 60 * SECOND;
			const a = await createOrder(env, 1);
			env.clock.now += SECOND;
			const b = await createOrder(env, 2);
			env.clock.now += SECOND;
			const c = await createOrder(env, 3);

			const second = await poller.poll();
			expect(second.error).toBeUndefined();
			expect(ids(second.items)).toEqual([a.id, b.id, c.id]);
			expect(second.items![2]).toEqual(c);
			// one page: it already reached orders older than the position
			expect(second.requests.map((r) => r.query.page)).toEqual(['1']);
			expect(poller.state['poll:newOrder']).toEqual({ position: { ms: env.clock.now, at: c.created_at, ids: [c.id] } });

			const third = await poller.poll();
			expect(third.items).toBeNull();
		});

		it('250 orders created between two polls are all emitted, once, reading page after page', async () => {
			const poller = new Poller(env, { event: 'newOrder' });
			await poller.poll('trigger', 'activate');
			env.clock.now += 60 * SECOND;
			const first = await createOrder(env, 0);
			env.clock.now += SECOND;
			// 250 more orders in the same millisecond: one timestamp shared across three pages
			const { orders } = await seedMore(env, { orders: 250 });
			env.clock.now += SECOND;
			const last = await createOrder(env, 1);

			const result = await poller.poll();
			expect(result.error).toBeUndefined();
			expect(result.requests.map((r) => r.query.page)).toEqual(['1', '2', '3']);
			const emitted = ids(result.items);
			expect(emitted).toHaveLength(252);
			expect(new Set(emitted).size).toBe(252);
			expect(emitted[0]).toBe(first.id);
			expect(emitted.at(-1)).toBe(last.id);
			expect(new Set(emitted.slice(1, 251))).toEqual(new Set(orders));

			expect((await poller.poll()).items).toBeNull();
		});

		it('orders sharing the position’s timestamp: the ones seen are not repeated, new ones are not missed', async () => {
			const poller = new Poller(env, { event: 'newOrder' });
			await poller.poll('trigger', 'activate');
			env.clock.now += 60 * SECOND;
			const { orders: firstBatch } = await seedMore(env, { orders: 3 });
			const one = await poller.poll();
			expect(new Set(ids(one.items))).toEqual(new Set(firstBatch));
			expect((poller.state['poll:newOrder'] as IDataObject).position).toEqual(expect.objectContaining({ ms: env.clock.now, ids: expect.arrayContaining(firstBatch) }));

			// the clock has not moved: more orders at exactly the same timestamp
			const { orders: secondBatch } = await seedMore(env, { orders: 2 });
			const two = await poller.poll();
			expect(new Set(ids(two.items))).toEqual(new Set(secondBatch));
			expect((poller.state['poll:newOrder'] as IDataObject).position).toEqual(expect.objectContaining({ ids: expect.arrayContaining([...firstBatch, ...secondBatch]) }));
			expect((await poller.poll()).items).toBeNull();
		});

		it('a failing poll throws Cekat’s error, emits nothing and keeps the position; the next poll emits everything', async () => {
			const poller = new Poller(env, { event: 'newOrder' });
			await poller.poll('trigger', 'activate');
			const stored = poller.staticDataJson;
			env.clock.now += 60 * SECOND;
			const { orders } = await seedMore(env, { orders: 150 });

			// page 1 answers, page 2 fails
			env.sandbox.addFault({ path: '/api/orders', kind: 'delay', delayMs: 0 });
			env.sandbox.addFault({ path: '/api/orders', status: 503, body: { message: 'Service unavailable' } });
			const failed = await poller.poll();
			expect(failed.items).toBeNull();
			expect(failed.error?.message).toBe('Cekat error 503: Service unavailable');
			expect(failed.error?.constructor.name).toBe('NodeApiError');
			expect(failed.requests.map((r) => [r.query.page, r.status])).toEqual([
				['1', 200],
				['2', 503],
			]);
			expect(poller.staticDataJson).toBe(stored);

			// a dropped connection: a clear error too, and the key nowhere in it
			env.sandbox.addFault({ path: '/api/orders', kind: 'drop' });
			const dropped = await poller.poll();
			expect(dropped.error?.message).toBe('The connection to Cekat was closed before it answered');
			expect(poller.staticDataJson).toBe(stored);

			const next = await poller.poll();
			expect(next.error).toBeUndefined();
			expect(new Set(ids(next.items))).toEqual(new Set(orders));
			expect(next.items).toHaveLength(150);
		});

		it('a wrong API key fails the poll with Cekat’s 401 and its hint', async () => {
			const poller = new Poller(env, { event: 'newOrder' }, 'ck_wrong_key_0000');
			const result = await poller.poll('trigger', 'activate');
			expect(result.error?.message).toBe('Cekat error 401: Not authenticated');
			expect(result.error?.description).toContain('Check the API key');
			expect(poller.staticDataJson).toBe('{}');
		});

		it('a poll that would run past n8n’s poll budget stops with an error and keeps the position', async () => {
			const poller = new Poller(env, { event: 'newOrder' });
			await poller.poll('trigger', 'activate');
			const stored = poller.staticDataJson;
			env.clock.now += 60 * SECOND;
			await seedMore(env, { orders: 250 });
			env.sandbox.addFault({ path: '/api/orders', kind: 'delay', delayMs: 300 });
			const result = await poller.poll('trigger', 'activate', 200);
			expect(result.error?.message).toBe('Reading new orders took longer than this poll may run (1 pages read)');
			expect(result.requests).toHaveLength(1);
			expect(poller.staticDataJson).toBe(stored);
			expect((await poller.poll()).items).toHaveLength(250);
		});

		it('a manual test returns the newest order as a sample and leaves the position alone', async () => {
			const poller = new Poller(env, { event: 'newOrder' });
			await poller.poll('trigger', 'activate');
			const stored = poller.staticDataJson;
			env.clock.now += 60 * SECOND;
			await createOrder(env, 1);
			env.clock.now += SECOND;
			const newest = await createOrder(env, 2);
			const sample = await poller.poll('manual', 'manual');
			expect(sample.items).toEqual([newest]);
			expect(poller.staticDataJson).toBe(stored);
			expect((await poller.poll()).items).toHaveLength(2);
		});
	});

	describe('Order Status Changed', () => {
		it('emits an order whose status or payment status changed, with the previous values; other updates and new orders are not emitted', async () => {
			const poller = new Poller(env, { event: 'orderStatusChanged' });
			const first = await poller.poll('trigger', 'activate');
			expect(first.items).toBeNull();
			expect(first.requests.map((r) => r.query)).toEqual([{ sort_field: 'updated_at', sort_direction: 'desc', page: '1', limit: '100' }]);
			const state = poller.state['poll:orderStatusChanged'] as { statuses: Record<string, unknown[]> };
			expect(Object.keys(state.statuses)).toHaveLength(100);

			// a known order (in the newest page by last update) and one the trigger has not seen
			const byUpdate = [...env.sandbox.store.orders.all()].sort((a, b) => (a.updated_at < b.updated_at ? 1 : -1));
			const known = byUpdate.find((o) => o.payment_status === 'pending' && state.statuses[o.id])!;
			const unknown = byUpdate.slice(150).find((o) => o.order_status === 'pending' && o.payment_status === 'pending')!;
			expect(state.statuses[unknown.id]).toBeUndefined();

			env.clock.now += 60 * SECOND;
			expect((await env.api.put(`/api/orders/${known.id}`, { payment_status: 'paid' })).status).toBe(200);
			env.clock.now += SECOND;
			expect((await env.api.put(`/api/orders/${unknown.id}`, { order_status: 'processing' })).status).toBe(200);
			env.clock.now += SECOND;
			const fresh = await createOrder(env, 5);

			const second = await poller.poll();
			expect(second.error).toBeUndefined();
			expect(second.items?.map((o) => [o.id, o.order_status, o.payment_status, o.previous_order_status, o.previous_payment_status])).toEqual([
				[known.id, known.order_status, 'paid', known.order_status, 'pending'],
				[unknown.id, 'processing', 'pending', null, null],
			]);
			expect(second.requests.map((r) => r.query.page)).toEqual(['1']);

			// an update that changes no status, and the new order's first change
			env.clock.now += SECOND;
			await env.api.put(`/api/orders/${known.id}`, { notes: 'Kirim pagi' });
			env.clock.now += SECOND;
			await env.api.put(`/api/orders/${fresh.id}`, { payment_status: 'paid' });
			const third = await poller.poll();
			expect(third.items?.map((o) => [o.id, o.previous_payment_status, o.payment_status])).toEqual([[fresh.id, 'pending', 'paid']]);
			expect((await poller.poll()).items).toBeNull();
		});
	});

	it('Order Status Changed: an order updated while the pages are read is emitted by the next poll; nothing slips past', async () => {
		const poller = new Poller(env, { event: 'orderStatusChanged' });
		await poller.poll('trigger', 'activate');
		// 150 status changes, one second apart: two pages of changes, newest first
		const changed = env.sandbox.store.orders.all().slice(0, 150);
		for (const order of changed) {
			env.clock.now += SECOND;
			const next = order.order_status === 'shipping' ? 'completed' : 'shipping';
			expect((await env.api.put(`/api/orders/${order.id}`, { order_status: next })).status).toBe(200);
		}
		// by last update, newest first: changed[149] … changed[50] on page 1, changed[49] … changed[0] on page 2
		const moved = changed[30];

		// page 1 answers at once; page 2 waits, and meanwhile `moved` is updated again: it jumps to the top
		// (page 1, already read) and the records above its old place shift down one (page 2 repeats changed[50])
		env.sandbox.addFault({ method: 'GET', path: '/api/orders', kind: 'delay', delayMs: 0 });
		env.sandbox.addFault({ method: 'GET', path: '/api/orders', kind: 'delay', delayMs: 400 });
		const polling = poller.poll();
		await new Promise((r) => setTimeout(r, 150));
		env.clock.now += SECOND;
		expect((await env.api.put(`/api/orders/${moved.id}`, { payment_status: 'expired' })).status).toBe(200);
		const result = await polling;

		expect(result.error).toBeUndefined();
		expect(result.requests.filter((r) => r.method === 'GET').map((r) => r.query.page)).toEqual(['1', '2']);
		const emitted = ids(result.items);
		expect(emitted).toHaveLength(149);
		expect(new Set(emitted)).toEqual(new Set(changed.filter((o) => o !== moved).map((o) => o.id)));
		// oldest change first
		expect(emitted).toEqual(changed.filter((o) => o !== moved).map((o) => o.id));

		// the moved order is newer than the position: the next poll emits it, with its latest state
		const next = await poller.poll();
		expect(next.items?.map((o) => [o.id, o.order_status, o.payment_status])).toEqual([[moved.id, moved.order_status, 'expired']]);
		expect((await poller.poll()).items).toBeNull();
	});

	describe('New Message, New Conversation, New CRM Item', () => {
		it('New Message: a message sent through the API, then 150 received ones, each emitted once', async () => {
			const poller = new Poller(env, { event: 'newMessage' });
			expect((await poller.poll('trigger', 'activate')).requests.map((r) => [r.path, r.query])).toEqual([['/api/messages', { page: '1', limit: '100' }]]);
			const conversation = env.sandbox.store.conversations.all().find((c) => {
				const last = env.sandbox.store.lastContactMessageAt(c.id);
				return c.platform_type === 'whatsapp' && last && env.clock.now - Date.parse(last) < 20 * 3_600_000;
			})!;
			env.clock.now += 60 * SECOND;
			const sent = await env.api.post('/messages/whatsapp', { conversation_id: conversation.id, message: 'Terima kasih!' });
			expect(sent.status).toBe(200);
			const one = await poller.poll();
			expect(one.items).toEqual([sent.data.data]);

			env.clock.now += SECOND;
			const { messages } = await seedMore(env, { messages: 150 });
			const two = await poller.poll();
			expect(two.requests.map((r) => r.query.page)).toEqual(['1', '2']);
			expect(new Set(ids(two.items))).toEqual(new Set(messages));
			expect(two.items).toHaveLength(150);
			expect((await poller.poll()).items).toBeNull();
		});

		it('New Message: a list that comes oldest first is read from its last page backwards', async () => {
			const poller = new Poller(env, { event: 'newMessage' });
			await poller.poll('trigger', 'activate');
			const position = (poller.state['poll:newMessage'] as { position: { ms: number } }).position.ms;
			const at = (offset: number) => new Date(position + offset).toISOString();
			const message = (id: string, offset: number) => ({ id, message: id, created_at: at(offset) });
			const page = (records: object[], current: number) => ({
				success: true,
				data: records,
				metadata: { pagination: { current_page: current, total_page: 2, total_items: 5, current_items: records.length, limit: 100 } },
			});
			// (the sandbox answers these two requests with these bodies: a server that lists oldest first)
			env.sandbox.addFault({ path: '/api/messages', status: 200, body: page([message('old-1', -3000), message('old-2', -2000)], 1) });
			env.sandbox.addFault({ path: '/api/messages', status: 200, body: page([message('old-3', -1000), message('new-1', 1000), message('new-2', 2000)], 2) });
			const result = await poller.poll();
			expect(result.error).toBeUndefined();
			expect(result.requests.map((r) => r.query.page)).toEqual(['1', '2']);
			expect(ids(result.items)).toEqual(['new-1', 'new-2']);
		});

		it('New Conversation: 120 conversations follow the cursor, each emitted once', async () => {
			const poller = new Poller(env, { event: 'newConversation' });
			await poller.poll('trigger', 'activate');
			env.clock.now += 60 * SECOND;
			const { conversations } = await seedMore(env, { conversations: 120 });
			const result = await poller.poll();
			expect(result.error).toBeUndefined();
			expect(result.requests.map((r) => r.query)).toEqual([
				{ limit: '100' },
				{ limit: '100', cursor_id: expect.any(String), cursor_ts: expect.any(String) },
			]);
			expect(new Set(ids(result.items))).toEqual(new Set(conversations));
			expect(result.items).toHaveLength(120);
			expect((await poller.poll()).items).toBeNull();
		});

		it('New CRM Item: items added to the chosen board, not to another one', async () => {
			const [sales, support] = env.sandbox.store.boards.all();
			expect(sales.id).toBe(SALES_BOARD_ID);
			const poller = new Poller(env, { event: 'newCrmItem', boardId: byId(sales.id) });
			const first = await poller.poll('trigger', 'activate');
			expect(first.requests.map((r) => r.path)).toEqual([`/api/crm/boards/${sales.id}/items`]);
			env.clock.now += 60 * SECOND;
			const a = await env.api.post(`/api/crm/boards/${sales.id}/items`, { item_name: 'Deal A', Stage: 'New Lead' });
			await env.api.post(`/api/crm/boards/${support.id}/items`, { item_name: 'Ticket', Priority: 'High' });
			env.clock.now += SECOND;
			const { crm_items: bulk } = await seedMore(env, { crm_items: 3, board_id: sales.id });
			const result = await poller.poll();
			expect(ids(result.items)).toEqual([a.data.data.id, ...[...bulk].sort()]);
			expect(result.items![0]).toEqual(a.data.data);
			expect((await poller.poll()).items).toBeNull();
		});

		it('each event keeps its own position: switching the event starts it from now', async () => {
			const orders = new Poller(env, { event: 'newOrder' });
			await orders.poll('trigger', 'activate');
			env.clock.now += 60 * SECOND;
			await createOrder(env, 1);
			// the same node switched to New Conversation: first poll for that event
			const switched = new Poller(env, { event: 'newConversation' });
			switched.staticDataJson = orders.staticDataJson;
			expect((await switched.poll()).items).toBeNull();
			expect(Object.keys(switched.state).sort()).toEqual(['poll:newConversation', 'poll:newOrder']);
		});
	});

	it('in Webhook mode, poll() answers at once without a request', async () => {
		const poller = new Poller(env, { mode: 'webhook', events: ['*'] });
		const result = await poller.poll('trigger', 'activate');
		expect(result).toEqual({ items: null, error: undefined, requests: [] });
		expect(poller.staticDataJson).toBe('{}');
	});
});
