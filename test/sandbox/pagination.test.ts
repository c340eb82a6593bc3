/** Paging covers every record exactly once: page family, orders (every sort), conversation cursor. */
import { startTestSandbox, type TestEnv } from './helpers';

let env: TestEnv;
beforeAll(async () => {
	env = await startTestSandbox();
});
afterAll(() => env.sb.close());

async function collectPages(url: string, limit: number, idOf: (x: any) => string): Promise<{ ids: string[]; pages: number; totalItems: number }> {
	const ids: string[] = [];
	let page = 1;
	let totalPage = Infinity;
	let totalItems = -1;
	for (; page <= totalPage; page++) {
		const sep = url.includes('?') ? '&' : '?';
		const res = await env.api.get(`${url}${sep}page=${page}&limit=${limit}`);
		expect(res.status).toBe(200);
		const p = res.data.metadata.pagination;
		totalPage = p.total_page;
		totalItems = p.total_items;
		expect(p.current_page).toBe(page);
		expect(p.limit).toBe(limit);
		expect(p.current_items).toBe(res.data.data.length);
		if (page < totalPage) expect(res.data.data).toHaveLength(limit);
		ids.push(...res.data.data.map(idOf));
		if (page > 10_000) throw new Error('runaway paging');
	}
	return { ids, pages: page - 1, totalItems };
}

describe('page family', () => {
	const routes: Array<[string, () => string[], (x: any) => string]> = [
		['/api/contacts', () => env.sb.store.contacts.all().map((x) => x.id), (x) => x.id],
		['/api/agents', () => env.sb.store.agents.all().map((x) => x.id), (x) => x.id],
		['/api/inboxes', () => env.sb.store.inboxes.all().map((x) => x.id), (x) => x.id],
		['/api/templates', () => env.sb.store.templates.all().map((x) => x.id), (x) => x.id],
		['/api/campaigns', () => env.sb.store.campaigns.all().map((x) => x.id), (x) => x.id],
		['/api/messages', () => env.sb.store.messages.all().map((x) => x.id), (x) => x.id],
		['/api/agent_assignments', () => env.sb.store.agentAssignments.all().map((x) => x.id), (x) => x.id],
		['/api/conversations/agent-assignments', () => env.sb.store.currentAssignments().map((x) => x.conversation_id), (x) => x.conversation_id],
	];

	it.each(routes)('%s: every record exactly once at limit 10 and 100', async (url, expected, idOf) => {
		const want = expected().sort();
		for (const limit of [10, 100]) {
			const { ids, pages, totalItems } = await collectPages(url, limit, idOf);
			expect(totalItems).toBe(want.length);
			expect(new Set(ids).size).toBe(ids.length);
			expect(ids.slice().sort()).toEqual(want);
			expect(pages).toBe(Math.ceil(want.length / limit));
		}
	});

	it('lists span many pages at limit 10 and several at limit 100 (except the small directories)', () => {
		const s = env.sb.store;
		for (const n of [s.contacts.size, s.messages.size, s.agentAssignments.size, s.orders.size, s.conversations.size]) expect(n).toBeGreaterThan(200);
		expect(s.templates.size).toBeGreaterThan(10);
		expect(s.campaigns.size).toBeGreaterThan(10);
	});

	it('campaign messages: every recipient once', async () => {
		const c = env.sb.store.campaigns.all()[2];
		const want = env.sb.store.campaignMessagesOf(c.id).map((m) => m.id).sort();
		const { ids } = await collectPages(`/api/campaigns/${c.id}/messages`, 7, (x) => x.id);
		expect(ids.slice().sort()).toEqual(want);
	});

	it('limit above 100 is clamped to 100; a page past the end is empty', async () => {
		const res = await env.api.get('/api/contacts?limit=1000');
		expect(res.data.data).toHaveLength(100);
		expect(res.data.metadata.pagination.limit).toBe(100);
		const past = await env.api.get('/api/contacts?page=999&limit=10');
		expect(past.status).toBe(200);
		expect(past.data.data).toEqual([]);
		expect(past.data.metadata.pagination).toMatchObject({ current_page: 999, current_items: 0, total_items: 400, total_page: 40 });
	});

	it('defaults: page 1, limit 10, newest first', async () => {
		const res = await env.api.get('/api/messages');
		expect(res.data.data).toHaveLength(10);
		expect(res.data.metadata.pagination).toMatchObject({ current_page: 1, limit: 10 });
		const ts = res.data.data.map((m: { created_at: string }) => m.created_at);
		expect(ts).toEqual(ts.slice().sort().reverse());
	});

	it('start_date/end_date filter by created_at, Jakarta days inclusive', async () => {
		const s = env.sb.store;
		const from = Date.parse('2026-05-01T00:00:00+07:00');
		const to = Date.parse('2026-05-31T00:00:00+07:00') + 24 * 3600_000;
		const want = s.messages.all().filter((m) => Date.parse(m.created_at) >= from && Date.parse(m.created_at) < to).map((m) => m.id).sort();
		expect(want.length).toBeGreaterThan(10);
		const { ids } = await collectPages('/api/messages?start_date=2026-05-01&end_date=2026-05-31', 100, (x) => x.id);
		expect(ids.sort()).toEqual(want);
	});

	it('an end_date far in the future is no upper bound', async () => {
		const res = await env.api.get('/api/contacts?end_date=9999-12-31&limit=1');
		expect(res.data.metadata.pagination.total_items).toBe(400);
		const early = await env.api.get('/api/contacts?end_date=2000-01-01&limit=1');
		expect(early.data.metadata.pagination.total_items).toBe(0);
	});

	it('messages filter by conversation_id', async () => {
		const conv = env.sb.store.conversations.all()[10];
		const res = await env.api.get(`/api/messages?conversation_id=${conv.id}&limit=100`);
		expect(res.data.data.length).toBe(env.sb.store.messagesOf(conv.id).length);
		expect(res.data.data.every((m: { conversation_id: string }) => m.conversation_id === conv.id)).toBe(true);
	});
});

describe('orders', () => {
	async function allOrders(query: string, limit: number): Promise<any[]> {
		const out: any[] = [];
		for (let page = 1; page < 10_000; page++) {
			const res = await env.api.get(`/api/orders?page=${page}&limit=${limit}${query}`);
			expect(res.status).toBe(200);
			const orders = res.data.data.orders;
			out.push(...orders);
			if (orders.length < limit) return out; // no totals: stop on a short or empty page
		}
		throw new Error('runaway paging');
	}

	it.each([
		['', 100],
		['', 10],
		['&sort_field=grand_total&sort_direction=asc', 100],
		['&sort_field=grand_total&sort_direction=desc', 37],
		['&sort_field=order_number&sort_direction=asc', 100],
		['&sort_field=updated_at', 100],
		['&sort_field=created_at&sort_direction=asc', 50],
	])('every order exactly once (query "%s", limit %d), in sort order', async (query, limit) => {
		const orders = await allOrders(query, limit);
		const ids = orders.map((o) => o.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.sort()).toEqual(env.sb.store.orders.all().map((o) => o.id).sort());
		const field = /sort_field=(\w+)/.exec(query)?.[1] ?? 'created_at';
		const dir = /sort_direction=(\w+)/.exec(query)?.[1] ?? 'desc';
		// List rows carry no updated_at by default (BOP): read it from the store.
		const keys = orders.map((o) => (field === 'updated_at' ? env.sb.store.orders.get(o.id)!.updated_at : o[field]));
		for (let i = 1; i < keys.length; i++) {
			if (dir === 'asc') expect(keys[i] >= keys[i - 1]).toBe(true);
			else expect(keys[i] <= keys[i - 1]).toBe(true);
		}
	});

	it('ties on grand_total exist, so the tie-break matters', () => {
		const totals = env.sb.store.orders.all().map((o) => o.grand_total);
		expect(new Set(totals).size).toBeLessThan(totals.length);
	});

	it('filtered paging also covers every match once', async () => {
		const want = env.sb.store.orders.all().filter((o) => o.order_status === 'pending' || o.order_status === 'shipping').map((o) => o.id).sort();
		const got = (await allOrders('&order_status=pending,shipping', 25)).map((o) => o.id);
		expect(got.slice().sort()).toEqual(want);
	});
});

describe('conversations (v2 cursor, default)', () => {
	type Cursor = { cursor_id: string | null; cursor_ts: string | null };
	async function walk(limit: number, extra = ''): Promise<any[]> {
		const out: any[] = [];
		let cursor: Cursor | null = null;
		for (let i = 0; i < 10_000; i++) {
			const c: Cursor | null = cursor;
			const q: string = c ? `&cursor_id=${encodeURIComponent(c.cursor_id!)}&cursor_ts=${encodeURIComponent(c.cursor_ts!)}` : '';
			const res: { status: number; data: any } = await env.api.get(`/api/conversations?limit=${limit}${q}${extra}`);
			expect(res.status).toBe(200);
			expect(res.data.metadata.pagination).toBeUndefined();
			out.push(...res.data.data);
			cursor = res.data.metadata.next_cursor;
			// The end is both values null (INV), not a null object.
			expect(cursor).not.toBeNull();
			if (cursor!.cursor_id === null) {
				expect(cursor).toEqual({ cursor_id: null, cursor_ts: null });
				return out;
			}
			expect(cursor!.cursor_ts).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
		}
		throw new Error('runaway cursor');
	}
	const activity = (id: string) => {
		const c = env.sb.store.conversations.get(id)!;
		return c.last_message?.created_at ?? c.created_at;
	};

	it.each([7, 10, 100])('every conversation exactly once at limit %d, most recent activity first', async (limit) => {
		const convs = await walk(limit);
		const ids = convs.map((c) => c.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.slice().sort()).toEqual(env.sb.store.conversations.all().map((c) => c.id).sort());
		for (let i = 1; i < convs.length; i++) {
			const a = activity(convs[i - 1].id);
			const b = activity(convs[i].id);
			expect(a > b || (a === b && convs[i - 1].id > convs[i].id)).toBe(true);
		}
	});

	it('orders by last activity, not creation: the order differs from created_at', async () => {
		const convs = await walk(100);
		const created = convs.map((c) => Date.parse(c.created_at));
		expect(created).not.toEqual(created.slice().sort((x, y) => y - x));
	});

	it('cursor_ts is the last activity in UTC without a zone; the cursor continues with a date filter', async () => {
		const first = await env.api.get('/api/conversations?limit=5');
		const { cursor_id, cursor_ts } = first.data.metadata.next_cursor;
		expect(cursor_id).toBe(first.data.data[4].id);
		expect(cursor_ts).toBe(activity(cursor_id).replace('T', ' ').replace('Z', ''));
		const s = env.sb.store;
		const from = Date.parse('2026-04-01T00:00:00+07:00');
		const want = s.conversations.all().filter((c) => Date.parse(c.created_at) >= from).map((c) => c.id).sort();
		const got = (await walk(9, '&start_date=2026-04-01')).map((c) => c.id);
		expect(got.sort()).toEqual(want);
	});

	it('page is ignored (v2 has no pages); limit is capped at 100', async () => {
		const p1 = await env.api.get('/api/conversations?limit=10');
		const p2 = await env.api.get('/api/conversations?page=2&limit=10');
		expect(p2.data.data.map((c: { id: string }) => c.id)).toEqual(p1.data.data.map((c: { id: string }) => c.id));
		const big = await env.api.get('/api/conversations?limit=500');
		expect(big.data.data).toHaveLength(100);
	});

	it('a new message moves its conversation to the top', async () => {
		const conv = env.sb.store.conversations.all()[123];
		env.sb.store.addMessage(conv, { message: 'baru', sent_by: conv.contact_id, sent_by_name: conv.contact_name, sent_by_type: 'contact', media_type: 'text', media_url: null, status: 'received', is_template: false });
		try {
			const res = await env.api.get('/api/conversations?limit=1');
			expect(res.data.data[0].id).toBe(conv.id);
			expect(res.data.data[0].last_message).toEqual({ message: 'baru', created_at: expect.stringMatching(/\+00:00$/), sent_by_type: 'contact' });
		} finally {
			env.sb.reset();
		}
	});

	it('a cursor with only one half, or a bad timestamp, is a 400 naming it', async () => {
		const a = await env.api.get('/api/conversations?cursor_id=abc');
		expect(a.status).toBe(400);
		expect(a.data.error.details[0].field).toBe('cursor_ts');
		const b = await env.api.get('/api/conversations?cursor_id=abc&cursor_ts=yesterday');
		expect(b.status).toBe(400);
		expect(b.data.error.message).toContain('cursor_ts');
	});
});

describe('conversations (v1 variant) and page metadata (total_data variant)', () => {
	afterEach(() => env.sb.reset());

	it('v1: page + limit, newest created first, page totals', async () => {
		const sw = await env.anon.post('/__sandbox/variant', { conversations: 'v1' });
		expect(sw.data.variant.conversations).toBe('v1');
		const res = await env.api.get('/api/conversations?page=2&limit=10');
		expect(res.data.metadata.pagination).toMatchObject({ current_page: 2, total_items: 300, total_page: 30, current_items: 10 });
		expect(res.data.metadata.next_cursor).toBeUndefined();
		const all = env.sb.store.conversations.all().slice().sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? 1 : -1));
		expect(res.data.data.map((c: { id: string }) => c.id)).toEqual(all.slice(10, 20).map((c) => c.id));
	});

	it('total_data: { total_data, total_page, current_page } instead of total_items', async () => {
		await env.anon.post('/__sandbox/variant', { pageMetadata: 'total_data' });
		for (const path of ['/api/contacts?limit=50&page=2', '/api/messages?limit=50', '/api/inboxes']) {
			const res = await env.api.get(path);
			expect(Object.keys(res.data.metadata.pagination).sort()).toEqual(['current_page', 'total_data', 'total_page']);
		}
		const c = await env.api.get('/api/contacts?limit=50&page=2');
		expect(c.data.metadata.pagination).toEqual({ total_data: 400, total_page: 8, current_page: 2 });
		env.sb.reset();
		const back = await env.api.get('/api/contacts?limit=50&page=2');
		expect(back.data.metadata.pagination.total_items).toBe(400);
	});
});
