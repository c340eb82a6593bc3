/**
 * Where public evidence of Cekat conflicts (docs/cekat-api.md, "conflict"), the sandbox serves each variant and the
 * node must work with every one. One sandbox per variant; each test asserts what the server received and the output.
 */
import { onlyRequest, useEnv } from './env';

const conversationIds = (env: ReturnType<typeof useEnv>) => env.sandbox.store.conversations.all().map((c) => c.id).sort();

describe('Conversations v2 (cursor only, by last activity; the default)', () => {
	const env = useEnv({ variant: { conversations: 'v2' } });

	it('Return All follows next_cursor until both values are null, every conversation once', async () => {
		const result = await env.run({ resource: 'conversation', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		const requests = env.requests();
		const pages = Math.ceil(env.sandbox.store.conversations.size / 100);
		expect(requests).toHaveLength(pages);
		expect(requests[0].query).toEqual({ page: '1', limit: '100' });
		for (const request of requests.slice(1)) expect(Object.keys(request.query).sort()).toEqual(['cursor_id', 'cursor_ts', 'limit']);
		expect(result.json.map((c) => c.id).sort()).toEqual(conversationIds(env));
	});
});

describe('Conversations v1 (page and limit with page totals)', () => {
	const env = useEnv({ variant: { conversations: 'v1' } });

	it('Return All pages by page number and stops at the last page by its totals', async () => {
		const result = await env.run({ resource: 'conversation', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		const pages = Math.ceil(env.sandbox.store.conversations.size / 100);
		expect(env.requests().map((r) => r.query)).toEqual(Array.from({ length: pages }, (_, i) => ({ page: String(i + 1), limit: '100' })));
		expect(result.json.map((c) => c.id).sort()).toEqual(conversationIds(env));
	});
});

describe.each(['total_items', 'total_data'] as const)('Page metadata %s', (pageMetadata) => {
	const env = useEnv({ variant: { pageMetadata } });

	it('Contact → Get Many reads the page totals: exactly the pages needed, every contact once', async () => {
		const first = await env.api.get('/api/contacts', { params: { limit: 100 } });
		expect(JSON.stringify(first.data)).toContain(pageMetadata === 'total_data' ? '"total_data"' : '"total_items"');
		env.sandbox.clearJournal();
		const total = env.sandbox.store.contacts.size;
		expect(total % 100).toBe(0); // a full last page: only the totals can tell it is the last
		const result = await env.run({ resource: 'contact', operation: 'getAll', returnAll: true });
		expect(env.requests()).toHaveLength(total / 100);
		expect(result.json.map((c) => c.id).sort()).toEqual(env.sandbox.store.contacts.all().map((c) => c.id).sort());
		expect(result.json[0]).toHaveProperty('display_name');
	});
});

describe.each([
	{ orderUpdatedAt: false, paymentStatusCase: 'lower' as const },
	{ orderUpdatedAt: true, paymentStatusCase: 'upper' as const },
])('Orders with updated_at in list rows: $orderUpdatedAt, payment status case: $paymentStatusCase', (variant) => {
	const env = useEnv({ variant });

	it('Get Many with a payment status filter returns Cekat rows unchanged (values passed through as sent)', async () => {
		const result = await env.run({ resource: 'order', operation: 'getAll', returnAll: false, limit: 20, filters: { paymentStatus: ['paid'] } });
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'GET', '/api/orders').query).toEqual({ payment_status: 'paid', page: '1', limit: '20' });
		expect(result.json).toHaveLength(20);
		for (const order of result.json) {
			expect(order.payment_status).toBe(variant.paymentStatusCase === 'upper' ? 'PAID' : 'paid');
			expect('updated_at' in order).toBe(variant.orderUpdatedAt);
			expect(typeof order.order_number).toBe('number');
		}
	});
});

describe('Hosts split (Cekat’s own node sends CRM, orders and contacts to server.cekat.ai)', () => {
	const env = useEnv({ variant: { hosts: 'split' } });

	it('by default every request goes to the Base URL (api host), which serves every route', async () => {
		await env.run({ resource: 'order', operation: 'getAll', returnAll: false, limit: 1 });
		await env.run({ resource: 'inbox', operation: 'getAll', returnAll: false, limit: 1 });
		expect(env.requests().map((r) => [r.path, r.host, r.status])).toEqual([
			['/api/orders', 'api', 200],
			['/api/inboxes', 'api', 200],
		]);
	});

	it('with "Send CRM, Orders and Contacts to the Server URL", those go to the server host and the rest to the Base URL', async () => {
		const credentials = { serverUrl: env.sandbox.serverUrl, crmOnServer: true };
		const board = await env.run({ resource: 'crmBoard', operation: 'getAll', returnAll: true }, { credentials });
		const orders = await env.run({ resource: 'order', operation: 'getAll', returnAll: false, limit: 2 }, { credentials });
		const contacts = await env.run({ resource: 'contact', operation: 'getAll', returnAll: false, limit: 2 }, { credentials });
		const inboxes = await env.run({ resource: 'inbox', operation: 'getAll', returnAll: false, limit: 2 }, { credentials });
		for (const r of [board, orders, contacts, inboxes]) expect(r.error).toBeUndefined();
		expect(env.requests().map((r) => [r.path, r.host, r.status])).toEqual([
			['/api/crm/boards', 'server', 200],
			['/api/orders', 'server', 200],
			['/api/contacts', 'server', 200],
			['/api/inboxes', 'api', 200],
		]);
		expect(orders.json).toHaveLength(2);
	});

	it('a Base URL pointing at the server host alone fails on the routes it does not serve, with Cekat’s 404', async () => {
		const result = await env.run({ resource: 'inbox', operation: 'getAll', returnAll: false, limit: 1 }, { credentials: { baseUrl: env.sandbox.serverUrl } });
		expect(result.error?.message).toMatch(/404/);
		expect(env.requests().map((r) => [r.path, r.host, r.status])).toEqual([['/api/inboxes', 'server', 404]]);
	});
});
