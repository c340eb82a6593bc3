/**
 * The Cekat Polling Trigger (the Cekat Trigger v1's Polling mode, now a node of its own) through n8n-core's
 * PollContext, against the sandbox over HTTP, with the static data kept between polls as n8n keeps it (JSON).
 * The sandbox clock is moved forward between changes.
 */
import type { IDataObject } from 'n8n-workflow';

import { byId, Poller, SALES_BOARD_ID, START, useTriggerEnv, type TriggerEnv } from './env';

const START_MS = START;

const SECOND = 1000;

async function createOrder(env: TriggerEnv, i = 0): Promise<IDataObject> {
	const contact = env.sandbox.store.contacts.all()[i % 50];
	const res = await env.api.post('/api/orders', {
		orders_products: [{ product_name: `Produk ${i}`, quantity: 1, price: 10000 + i }],
		payment_method: 'manual',
		bank_account_number: '1234567890',
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

describe('Cekat Polling Trigger', () => {
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
				position: { ms: Date.parse(newest.created_at), at: new Date(Date.parse(newest.created_at)).toISOString(), ids: [newest.id] },
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
			// the list row is the order as created (list rows carry no updated_at by default)
			expect(second.items![2]).toEqual(expect.objectContaining({ id: c.id, order_number: c.order_number, grand_total: c.grand_total }));
			// one page: it already reached orders older than the position
			expect(second.requests.map((r) => r.query.page)).toEqual(['1']);
			expect(poller.state['poll:newOrder']).toEqual({ position: { ms: env.clock.now, at: new Date(env.clock.now).toISOString(), ids: [c.id] } });

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
			expect(sample.items).toEqual([expect.objectContaining({ id: newest.id, order_number: newest.order_number })]);
			expect(poller.staticDataJson).toBe(stored);
			expect((await poller.poll()).items).toHaveLength(2);
		});
	});

	describe('Order Status Changed', () => {
		/** Orders as the list serves them, first page by last update (what the trigger reads first). */
		const firstPage = async () => (await env.api.get('/api/orders', { params: { sort_field: 'updated_at', sort_direction: 'desc', limit: 100 } })).data.data.orders as IDataObject[];

		it('list rows without updated_at (the default): a status change of a known order is emitted once, with the previous values; other updates and new pending orders are not', async () => {
			expect(env.sandbox.variant.orderUpdatedAt).toBe(false);
			const rows = await firstPage();
			expect(rows[0].updated_at).toBeUndefined();
			const poller = new Poller(env, { event: 'orderStatusChanged' });
			const first = await poller.poll('trigger', 'activate');
			expect(first.error).toBeUndefined();
			expect(first.items).toBeNull();
			// without updated_at nothing tells where to stop: the newest pages are compared
			expect(first.requests.map((r) => r.query)).toEqual(
				Array.from({ length: 5 }, (_, i) => ({ sort_field: 'updated_at', sort_direction: 'desc', page: String(i + 1), limit: '100' })),
			);
			const state = poller.state['poll:orderStatusChanged'] as { statuses: string[][]; createdMs: number };
			expect(state.statuses).toHaveLength(500);

			const known = rows.find((o) => o.payment_status === 'pending')!;
			env.clock.now += 60 * SECOND;
			expect((await env.api.put(`/api/orders/${String(known.id)}`, { payment_status: 'paid' })).status).toBe(200);
			env.clock.now += SECOND;
			await env.api.put(`/api/orders/${String(rows[1].id)}`, { notes: 'Kirim pagi' });
			env.clock.now += SECOND;
			const fresh = await createOrder(env, 5);

			const second = await poller.poll();
			expect(second.error).toBeUndefined();
			expect(second.items?.map((o) => [o.id, o.payment_status, o.previous_order_status, o.previous_payment_status])).toEqual([[known.id, 'paid', known.order_status, 'pending']]);
			expect((await poller.poll()).items).toBeNull();

			// the new order's first change
			env.clock.now += SECOND;
			await env.api.put(`/api/orders/${String(fresh.id)}`, { order_status: 'processing' });
			const third = await poller.poll();
			expect(third.items?.map((o) => [o.id, o.previous_order_status, o.order_status])).toEqual([[fresh.id, 'pending', 'processing']]);
			expect((await poller.poll()).items).toBeNull();
		});

		it('with updated_at on rows (variant orderUpdatedAt) the scan stops at orders not updated since', async () => {
			env.sandbox.setVariant({ orderUpdatedAt: true });
			const poller = new Poller(env, { event: 'orderStatusChanged' });
			await poller.poll('trigger', 'activate');
			const rows = await firstPage();
			expect(rows[0].updated_at).toEqual(expect.any(String));
			env.clock.now += 60 * SECOND;
			const target = rows.find((o) => o.order_status === 'pending')!;
			await env.api.put(`/api/orders/${String(target.id)}`, { order_status: 'shipping' });
			const second = await poller.poll();
			expect(second.items?.map((o) => [o.id, o.order_status, o.previous_order_status])).toEqual([[target.id, 'shipping', 'pending']]);
			expect(second.requests.map((r) => r.query.page)).toEqual(['1']);
			expect((await poller.poll()).items).toBeNull();
		});

		it('statuses are compared without case and passed through as Cekat sends them; an order paid before any poll saw it is emitted', async () => {
			const poller = new Poller(env, { event: 'orderStatusChanged' });
			const created = '2026-06-15 12:00:00'; // Jakarta wall time, no zone
			const list = (orders: object[]) => ({ message: 'success', data: { orders, metadata: { pagination: { total_page: 1, current_page: 1, total_items: orders.length } } } });
			env.sandbox.addFault({ path: '/api/orders', status: 200, body: list([{ id: 'o-1', order_status: 'pending', payment_status: 'pending', created_at: created }]) });
			await poller.poll('trigger', 'activate');
			env.sandbox.addFault({
				path: '/api/orders',
				status: 200,
				body: list([
					{ id: 'o-1', order_status: 'PENDING', payment_status: 'PAID', created_at: created },
					{ id: 'o-2', order_status: 'pending', payment_status: 'PAID', created_at: '2026-06-15T05:00:01.000000+00:00' },
				]),
			});
			const second = await poller.poll();
			expect(second.error).toBeUndefined();
			expect(second.items?.map((o) => [o.id, o.order_status, o.payment_status, o.previous_order_status, o.previous_payment_status])).toEqual([
				['o-2', 'pending', 'PAID', null, null],
				['o-1', 'PENDING', 'PAID', 'pending', 'pending'],
			]);
			// the same statuses in another case: no change
			env.sandbox.addFault({ path: '/api/orders', status: 200, body: list([{ id: 'o-1', order_status: 'pending', payment_status: 'paid', created_at: created }]) });
			expect((await poller.poll()).items).toBeNull();
		});
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
			expect(ids(one.items)).toEqual([sent.data.data.id]);

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

		it('New Conversation: 120 new conversations follow the v2 cursor, each emitted once', async () => {
			const poller = new Poller(env, { event: 'newConversation' });
			const first = await poller.poll('trigger', 'activate');
			// one page is enough to start: everything further down was last active (so created) earlier
			expect(first.requests.map((r) => r.query)).toEqual([{ limit: '100' }]);
			env.clock.now += 60 * SECOND;
			const { conversations } = await seedMore(env, { conversations: 120 });
			const result = await poller.poll();
			expect(result.error).toBeUndefined();
			// 100 new on page 1, 20 new on page 2, then a page all last active before the position ends the scan
			expect(result.requests.map((r) => r.query)).toEqual([
				{ limit: '100' },
				{ limit: '100', cursor_id: expect.any(String), cursor_ts: expect.any(String) },
				{ limit: '100', cursor_id: expect.any(String), cursor_ts: expect.any(String) },
			]);
			expect(new Set(ids(result.items))).toEqual(new Set(conversations));
			expect(result.items).toHaveLength(120);
			expect((await poller.poll()).items).toBeNull();
		});

		it('New Conversation, a v1 list (page totals, newest created first): pages by number, each new conversation once', async () => {
			env.sandbox.setVariant({ conversations: 'v1' });
			const poller = new Poller(env, { event: 'newConversation' });
			await poller.poll('trigger', 'activate');
			env.clock.now += 60 * SECOND;
			const { conversations } = await seedMore(env, { conversations: 120 });
			const result = await poller.poll();
			expect(result.error).toBeUndefined();
			expect(result.requests[1].query).toEqual({ limit: '100', page: '2' });
			expect(new Set(ids(result.items))).toEqual(new Set(conversations));
			expect(result.items).toHaveLength(120);
			expect((await poller.poll()).items).toBeNull();
		});

		it('New Conversation, ordered by last activity: an older conversation becoming active neither stops the scan nor is emitted; the cursor ends at two nulls', async () => {
			const poller = new Poller(env, { event: 'newConversation' });
			const t = (offset: number) => new Date(START_MS + offset).toISOString();
			const conv = (id: string, created: number, active: number) => ({ id, created_at: t(created), last_message: { message: 'halo', created_at: t(active) } });
			const page = (rows: object[], next: { cursor_id: string | null; cursor_ts: string | null }) => ({ success: true, data: rows, metadata: { next_cursor: next } });
			env.sandbox.addFault({ path: '/api/conversations', status: 200, body: page([conv('old-a', -9e6, -1000), conv('old-b', -8e6, -2000)], { cursor_id: 'old-b', cursor_ts: '2026-06-15 11:59:58' }) });
			await poller.poll('trigger', 'activate');
			expect((poller.state['poll:newConversation'] as { position: { ms: number } }).position.ms).toBe(START_MS - 1000);

			env.sandbox.addFault({
				path: '/api/conversations',
				status: 200,
				// old-c (created long ago) just got a message: it comes first; new-1 comes after it
				body: page([conv('old-c', -7e6, 9000), conv('new-1', 5000, 8000), conv('old-a', -9e6, 7000)], { cursor_id: 'old-a', cursor_ts: '2026-06-15 12:00:07' }),
			});
			env.sandbox.addFault({ path: '/api/conversations', status: 200, body: page([conv('new-2', 1000, 2000), conv('old-b', -8e6, -2000)], { cursor_id: null, cursor_ts: null }) });
			const second = await poller.poll();
			expect(second.error).toBeUndefined();
			expect(second.requests.map((r) => r.query)).toEqual([{ limit: '100' }, { limit: '100', cursor_id: 'old-a', cursor_ts: '2026-06-15 12:00:07' }]);
			expect(ids(second.items)).toEqual(['new-2', 'new-1']);

			// the next poll: the same two again (and old ones) emit nothing
			env.sandbox.addFault({ path: '/api/conversations', status: 200, body: page([conv('new-1', 5000, 9500), conv('new-2', 1000, 2000), conv('old-b', -8e6, -2000)], { cursor_id: null, cursor_ts: null }) });
			expect((await poller.poll()).items).toBeNull();
		});

		it('New CRM Item: rows carry item_id and no created_at: the first poll emits nothing, each new item once, deleted items leave the set', async () => {
			const [sales, support] = env.sandbox.store.boards.all();
			expect(sales.id).toBe(SALES_BOARD_ID);
			const poller = new Poller(env, { event: 'newCrmItem', boardId: byId(sales.id) });
			const first = await poller.poll('trigger', 'activate');
			expect(first.error).toBeUndefined();
			expect(first.items).toBeNull();
			expect(first.requests.map((r) => r.path)).toEqual([`/api/crm/boards/${sales.id}/items`]);
			const known = (poller.state[`poll:newCrmItem:${sales.id}`] as { known: string[] }).known;
			expect(known).toHaveLength(env.sandbox.store.itemsOfBoard(sales.id).length);

			const a = await env.api.post(`/api/crm/boards/${sales.id}/items`, { item_name: 'Deal A', Stage: 'New Lead' });
			expect(a.status).toBe(200);
			await env.api.post(`/api/crm/boards/${support.id}/items`, { item_name: 'Ticket', Priority: 'High' });
			const { crm_items: bulk } = await seedMore(env, { crm_items: 3, board_id: sales.id });
			const result = await poller.poll();
			expect(result.error).toBeUndefined();
			const itemIds = (result.items ?? []).map((i) => i.item_id);
			expect(new Set(itemIds)).toEqual(new Set([a.data.data.item_id ?? a.data.data.id, ...bulk]));
			expect(itemIds).toHaveLength(4);
			expect(result.items![0]).toEqual(expect.objectContaining({ item_name: 'Deal A' }));
			expect((await poller.poll()).items).toBeNull();

			// a deleted item leaves the set; nothing is emitted, and no item comes back
			expect((await env.api.delete(`/api/crm/boards/${sales.id}/items`, { data: { item_ids: [bulk[0]] } })).status).toBe(200);
			expect((await poller.poll()).items).toBeNull();
			expect((poller.state[`poll:newCrmItem:${sales.id}`] as { known: string[] }).known).toHaveLength(known.length + 3);
			expect((await poller.poll()).items).toBeNull();
		});

		it('New CRM Item: the picker has From List and By ID; an item id may be in item_id or id', async () => {
			const poller = new Poller(env, { event: 'newCrmItem', boardId: { __rl: true, mode: 'id', value: 'b-1' } });
			const list = (rows: object[]) => ({ message: 'success', data: rows });
			env.sandbox.addFault({ path: '/api/crm/boards/b-1/items', status: 200, body: list([{ item_id: 'i-1', item_name: 'A' }]) });
			await poller.poll('trigger', 'activate');
			env.sandbox.addFault({ path: '/api/crm/boards/b-1/items', status: 200, body: list([{ item_id: 'i-1', item_name: 'A' }, { id: 'i-2', item_name: 'B' }, { item_id: 'i-3', item_name: 'C' }]) });
			expect((await poller.poll()).items).toEqual([{ id: 'i-2', item_name: 'B' }, { item_id: 'i-3', item_name: 'C' }]);
			env.sandbox.addFault({ path: '/api/crm/boards/b-1/items', status: 200, body: list([{ item_id: 'i-3', item_name: 'C' }, { item_id: 'i-1', item_name: 'A' }, { id: 'i-2', item_name: 'B' }]) });
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
});
