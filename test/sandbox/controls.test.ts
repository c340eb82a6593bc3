/** /__sandbox controls: faults (every kind), journal, reset, state, data dumps; determinism; sizes. */
import axios from 'axios';
import { FIXED_NOW, startTestSandbox, type TestEnv } from './helpers';
import { startSandbox } from '../../sandbox';

let env: TestEnv;
beforeAll(async () => {
	env = await startTestSandbox();
});
afterAll(() => env.sb.close());
afterEach(async () => {
	await env.anon.post('/__sandbox/reset');
});

const addFault = async (spec: object) => {
	const res = await env.anon.post('/__sandbox/faults', spec);
	expect(res.status).toBe(200);
	return res.data.id as string;
};

describe('faults', () => {
	it('status 429 with Retry-After, for the next N matching requests only', async () => {
		await addFault({ method: 'GET', path: '/api/inboxes', status: 429, retryAfter: 3, count: 2 });
		const a = await env.api.get('/api/inboxes?limit=1');
		expect(a.status).toBe(429);
		expect(a.headers['retry-after']).toBe('3');
		expect(a.data.success).toBe(false);
		expect((await env.api.post('/api/inboxes', {})).status).toBe(404); // other method: not matched, not consumed
		expect((await env.api.get('/api/inboxes')).status).toBe(429);
		expect((await env.api.get('/api/inboxes')).status).toBe(200);
		const list = await env.anon.get('/__sandbox/faults');
		expect(list.data.faults).toEqual([]);
	});

	it('matches route patterns ({id} or :id) and sends a custom body and headers', async () => {
		await addFault({ path: '/api/orders/{id}', status: 503, body: { message: 'maintenance' }, headers: { 'x-test': 'yes' } });
		const order = env.sb.store.orders.all()[0];
		const res = await env.api.get(`/api/orders/${order.id}`);
		expect(res.status).toBe(503);
		expect(res.data).toEqual({ message: 'maintenance' });
		expect(res.headers['x-test']).toBe('yes');
		expect((await env.api.get(`/api/orders/${order.id}`)).status).toBe(200);
		await addFault({ path: '/api/crm/boards/:boardId/items/:anything', status: 500 });
		const board = env.sb.store.boards.all()[0];
		const item = env.sb.store.itemsOfBoard(board.id)[0];
		const faulted = await env.api.get(`/api/crm/boards/${board.id}/items/${item.id}`);
		expect(faulted.status).toBe(500);
		expect(faulted.data.message).toContain('Injected fault');
	});

	it('drop closes the socket without an answer (journaled with status 0)', async () => {
		await addFault({ path: '/api/agents', kind: 'drop' });
		const err = await env.api.get('/api/agents').then(
			() => null,
			(e: unknown) => e,
		);
		expect(axios.isAxiosError(err)).toBe(true);
		expect((err as { response?: unknown }).response).toBeUndefined();
		const j = await env.anon.get('/__sandbox/journal');
		const last = j.data.entries.at(-1);
		expect(last).toMatchObject({ path: '/api/agents', status: 0, faultId: expect.any(String) });
		expect((await env.api.get('/api/agents')).status).toBe(200);
	});

	it('malformed answers 200 with unparsable JSON', async () => {
		await addFault({ path: '/api/contacts', kind: 'malformed' });
		const res = await env.api.get('/api/contacts', { transformResponse: [(d) => d], responseType: 'text' });
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toContain('application/json');
		expect(() => JSON.parse(res.data)).toThrow();
	});

	it('html answers an HTML error page (default 502)', async () => {
		await addFault({ path: '/api/templates', kind: 'html' });
		const res = await env.api.get('/api/templates');
		expect(res.status).toBe(502);
		expect(res.headers['content-type']).toContain('text/html');
		expect(res.data).toContain('<title>502 Bad Gateway</title>');
	});

	it('empty answers with no body (default 200)', async () => {
		await addFault({ path: '/api/campaigns', kind: 'empty' });
		const res = await env.api.get('/api/campaigns', { transformResponse: [(d) => d], responseType: 'text' });
		expect(res.status).toBe(200);
		expect(res.data).toBe('');
		await addFault({ path: '/api/campaigns', kind: 'empty', status: 204 });
		expect((await env.api.get('/api/campaigns')).status).toBe(204);
	});

	it('delay waits, then answers normally; status+delayMs waits then answers the status', async () => {
		await addFault({ path: '/api/inboxes', kind: 'delay', delayMs: 300 });
		let t = Date.now();
		const a = await env.api.get('/api/inboxes');
		expect(Date.now() - t).toBeGreaterThanOrEqual(280);
		expect(a.status).toBe(200);
		await addFault({ path: '/api/inboxes', status: 504, delayMs: 200 });
		t = Date.now();
		const b = await env.api.get('/api/inboxes');
		expect(Date.now() - t).toBeGreaterThanOrEqual(180);
		expect(b.status).toBe(504);
	});

	it('faulted requests are journaled with the status sent', async () => {
		await env.anon.delete('/__sandbox/journal');
		await addFault({ path: '/api/orders', status: 429 });
		await env.api.get('/api/orders?limit=3');
		const j = (await env.anon.get('/__sandbox/journal')).data.entries;
		expect(j).toHaveLength(1);
		expect(j[0]).toMatchObject({ method: 'GET', path: '/api/orders', route: '/api/orders', status: 429, query: { limit: '3' } });
	});

	it('rejects invalid fault specs; lists and clears faults', async () => {
		for (const spec of [{}, { path: 'api' }, { path: '/x', kind: 'boom' }, { path: '/x', count: 0 }, { path: '/x', status: 42 }]) {
			expect((await env.anon.post('/__sandbox/faults', spec)).status).toBe(400);
		}
		const id = await addFault({ path: '/api/agents', status: 500, count: 5 });
		const list = await env.anon.get('/__sandbox/faults');
		expect(list.data.faults).toEqual([expect.objectContaining({ id, path: '/api/agents', remaining: 5, kind: 'status' })]);
		expect(env.sb.faults()).toHaveLength(1);
		await env.anon.delete('/__sandbox/faults');
		expect((await env.api.get('/api/agents')).status).toBe(200);
		// The programmatic API does the same.
		env.sb.addFault({ path: '/api/agents', status: 418 });
		expect((await env.api.get('/api/agents')).status).toBe(418);
	});

	it('unauthenticated requests get 401 and do not consume a fault', async () => {
		await addFault({ path: '/api/agents', status: 500 });
		expect((await env.anon.get('/api/agents')).status).toBe(401);
		expect((await env.api.get('/api/agents')).status).toBe(500);
	});
});

describe('journal', () => {
	it('records method, path, route, query, body, auth — never the key', async () => {
		await env.anon.delete('/__sandbox/journal');
		const key = env.sb.apiKey;
		const board = env.sb.store.boards.all()[0];
		await env.api.get('/api/orders?limit=2&tag=a&tag=b');
		await env.api.post(`/api/crm/boards/${board.id}/items/search`, { search: [] });
		await env.anon.get(`/api/inboxes?api_key=${key}`);
		await env.anon.get('/api/inboxes', { headers: { Authorization: `Bearer ${key}` } });
		await env.anon.get('/api/inboxes', { headers: { Authorization: `Bearer ${key}`, api_key: key } });
		await env.anon.get('/api/inboxes', { headers: { api_key: 'wrong' } });
		await env.anon.post('/api/orders', 'plain text', { headers: { 'content-type': 'text/plain', api_key: key } });
		await env.api.post('/api/orders', { notes: `my key is ${key}` });
		await env.api.get('/nowhere');
		await env.anon.get('/__sandbox/state');
		const entries = env.sb.journal();
		expect(entries).toHaveLength(9);
		expect(entries[0]).toMatchObject({ method: 'GET', path: '/api/orders', url: '/api/orders?limit=2&tag=a&tag=b', route: '/api/orders', query: { limit: '2', tag: ['a', 'b'] }, body: undefined, keyMatched: true, auth: 'api_key', status: 200 });
		expect(entries[1]).toMatchObject({ method: 'POST', route: '/api/crm/boards/:boardId/items/search', body: { search: [] }, contentType: expect.stringContaining('application/json') });
		expect(entries[2]).toMatchObject({ auth: 'none', keyMatched: false, status: 401, query: { api_key: '[REDACTED]' }, url: '/api/inboxes?api_key=[REDACTED]' });
		expect(entries[3]).toMatchObject({ auth: 'bearer', keyMatched: true, status: 200 });
		expect(entries[4]).toMatchObject({ auth: 'both', keyMatched: true });
		expect(entries[5]).toMatchObject({ auth: 'api_key', keyMatched: false, status: 401 });
		expect(entries[6]).toMatchObject({ body: 'plain text', status: 400, contentType: 'text/plain' });
		expect(entries[7]).toMatchObject({ body: { notes: 'my key is [REDACTED]' }, status: 400 });
		expect(entries[8]).toMatchObject({ route: null, status: 404 });
		expect(JSON.stringify(entries)).not.toContain(key);
		const seqs = entries.map((e) => e.seq);
		expect(seqs).toEqual(seqs.slice().sort((a, b) => a - b));
		const since = await env.anon.get(`/__sandbox/journal?since=${seqs[6]}`);
		expect(since.data.entries.map((e: { seq: number }) => e.seq)).toEqual(seqs.slice(7));
	});

	it('is a bounded ring buffer', async () => {
		const small = await startSandbox({ port: 0, journalLimit: 5, sizes: { orders: 10, contacts: 10, conversations: 5 } });
		try {
			for (let i = 0; i < 12; i++) await axios.get(`${small.url}/api/inboxes?page=${i + 1}`, { headers: { api_key: small.apiKey } });
			const entries = small.journal();
			expect(entries).toHaveLength(5);
			expect(entries.map((e) => e.query.page)).toEqual(['8', '9', '10', '11', '12']);
		} finally {
			await small.close();
		}
	});
});

describe('reset, state, data', () => {
	it('state only moves when data changes', async () => {
		const a = (await env.anon.get('/__sandbox/state')).data;
		await env.api.get('/api/orders');
		await env.api.put('/api/orders/nope', { notes: 'x' });
		expect((await env.anon.get('/__sandbox/state')).data).toEqual(a);
		await env.api.put(`/api/orders/${env.sb.store.orders.all()[0].id}`, { notes: 'x' });
		const b = (await env.anon.get('/__sandbox/state')).data;
		expect(b.revision).toBe(a.revision + 1);
		expect(b.counts).toEqual(a.counts);
	});

	it('reset restores the seeded state and clears journal and faults', async () => {
		const before = (await env.anon.get('/__sandbox/state')).data;
		expect(before.counts.orders).toBe(1200);
		await env.api.post('/api/orders', { orders_products: [{ product_name: 'x', quantity: 1, price: 1 }], payment_method: 'xendit', phone_number: '6281200001111' });
		await addFault({ path: '/api/agents', status: 500 });
		const mid = (await env.anon.get('/__sandbox/state')).data;
		expect(mid.counts.orders).toBe(1201);
		expect(mid.counts.contacts).toBe(401);
		expect(mid.revision).toBeGreaterThan(before.revision);
		expect((await env.anon.get('/__sandbox/faults')).data.faults).toHaveLength(1);
		const r = await env.anon.post('/__sandbox/reset');
		expect(r.status).toBe(200);
		const after = (await env.anon.get('/__sandbox/state')).data;
		expect(after).toEqual({ ...before, generated_at: expect.any(String) });
		expect((await env.anon.get('/__sandbox/journal')).data.entries).toEqual([]);
		expect((await env.anon.get('/__sandbox/faults')).data.faults).toEqual([]);
		expect((await env.api.get('/api/agents')).status).toBe(200);
	});

	it('reset with another seed and sizes', async () => {
		const ids = env.sb.store.orders.all().map((o) => o.id);
		const r = await env.anon.post('/__sandbox/reset', { seed: 7, sizes: { orders: 30, itemsPerBoard: 5 } });
		expect(r.data.counts).toMatchObject({ orders: 30, crm_items: 10 });
		expect(env.sb.store.orders.all()[0].id).not.toBe(ids[0]);
		expect((await env.anon.post('/__sandbox/reset', { sizes: { bogus: 1 } })).status).toBe(400);
		expect((await env.anon.post('/__sandbox/reset', { seed: 'x' })).status).toBe(400);
		await env.anon.post('/__sandbox/reset');
		expect(env.sb.store.orders.all().map((o) => o.id)).toEqual(ids);
	});

	it('data dumps are the raw arrays', async () => {
		const boards = await env.anon.get('/__sandbox/data/crm_boards');
		expect(boards.data).toEqual(JSON.parse(JSON.stringify(env.sb.store.boards.all())));
		expect(boards.data[0].crm_columns.length).toBeGreaterThan(3);
		const convs = await env.anon.get('/__sandbox/data/conversations');
		expect(convs.data).toHaveLength(300);
		expect((await env.anon.get('/__sandbox/data/nope')).status).toBe(404);
		expect((await env.anon.get('/__sandbox/data')).data.collections).toContain('orders');
	});
});

describe('determinism and sizes', () => {
	it('the same seed (and clock) gives identical data; another seed differs', async () => {
		const a = await startSandbox({ port: 0, seed: 1234, now: () => FIXED_NOW });
		const b = await startSandbox({ port: 0, seed: 1234, now: () => FIXED_NOW });
		const c = await startSandbox({ port: 0, seed: 1235, now: () => FIXED_NOW });
		try {
			for (const name of ['inboxes', 'agents', 'contacts', 'conversations', 'messages', 'templates', 'campaigns', 'campaign_messages', 'agent_assignments', 'orders', 'crm_boards', 'crm_items']) {
				expect(JSON.stringify(a.store.dump(name))).toBe(JSON.stringify(b.store.dump(name)));
				expect(JSON.stringify(a.store.dump(name))).not.toBe(JSON.stringify(c.store.dump(name)));
			}
			// Runtime ids are deterministic too.
			const body = { orders_products: [{ product_name: 'x', quantity: 1, price: 1 }], payment_method: 'manual', bank_account_number: 'BCA 1', phone_number: '6281200002222' };
			const ra = await axios.post(`${a.url}/api/orders`, body, { headers: { api_key: a.apiKey } });
			const rb = await axios.post(`${b.url}/api/orders`, body, { headers: { api_key: b.apiKey } });
			expect(ra.data.data.id).toBe(rb.data.data.id);
			expect(ra.data.data.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		} finally {
			await Promise.all([a.close(), b.close(), c.close()]);
		}
	});

	it('resizing one collection leaves the others unchanged', () => {
		const before = JSON.stringify(env.sb.store.dump('conversations'));
		env.sb.reset({ sizes: { orders: 50 } });
		expect(JSON.stringify(env.sb.store.dump('conversations'))).toBe(before);
		env.sb.reset();
	});

	// Generation speed is measured by bench/, not asserted here.
	it('sizes can be raised to 100,000 orders', () => {
		env.sb.reset({ sizes: { orders: 100_000 } });
		expect(env.sb.store.orders.size).toBe(100_000);
		expect(env.sb.store.orders.all()[99_999].order_number).toBe(101_000);
		env.sb.reset();
	});
});
