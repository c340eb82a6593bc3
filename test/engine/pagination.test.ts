import { useEnv } from './env';

describe('Return All against servers that page badly', () => {
	const env = useEnv();
	afterEach(() => env.sandbox.clearFaults());

	const page = (ids: string[], metadata?: object) => ({ success: true, data: ids.map((id) => ({ id })), ...(metadata ? { metadata } : {}) });

	it('stops when the server ignores the page number (same page again), emitting each record once', async () => {
		env.sandbox.addFault({ path: '/api/contacts', count: 10, kind: 'status', status: 200, body: page(['a', 'b'], { pagination: { current_page: 1, total_page: 50 } }) });
		const result = await env.run({ resource: 'contact', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.json.map((c) => c.id)).toEqual(['a', 'b']);
		expect(env.requests()).toHaveLength(2);
	});

	it('stops on a full page repeated without metadata (orders family)', async () => {
		const orders = Array.from({ length: 100 }, (_, i) => ({ id: `o${i}` }));
		env.sandbox.addFault({ path: '/api/orders', count: 10, kind: 'status', status: 200, body: { message: 'success', data: { orders } } });
		const result = await env.run({ resource: 'order', operation: 'getAll', returnAll: true });
		expect(result.json).toHaveLength(100);
		expect(env.requests()).toHaveLength(2);
	});

	it('stops when the cursor does not move', async () => {
		const body = { success: true, data: [{ id: 'c1' }], metadata: { next_cursor: { cursor_id: 'c1', cursor_ts: '2026-01-01T00:00:00Z' } } };
		env.sandbox.addFault({ path: '/api/conversations', count: 10, kind: 'status', status: 200, body });
		const result = await env.run({ resource: 'conversation', operation: 'getAll', returnAll: true });
		expect(result.json.map((c) => c.id)).toEqual(['c1']);
		expect(env.requests().length).toBeLessThanOrEqual(2);
	});

	it('a failure in the middle of Return All fails the item: no partial list is returned as if complete', async () => {
		// Faults apply in the order they were added: page 1 passes (after a 1 ms delay), page 2 fails.
		env.sandbox.addFault({ path: '/api/contacts', count: 1, kind: 'delay', delayMs: 1 });
		env.sandbox.addFault({ path: '/api/contacts', count: 1, kind: 'status', status: 500, body: { message: 'boom' } });
		const result = await env.run({ resource: 'contact', operation: 'getAll', returnAll: true }, { settings: { onError: 'continueRegularOutput' } });
		expect(env.requests().map((r) => r.status)).toEqual([200, 500]);
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.id).toBeUndefined();
		expect(JSON.stringify(result.items[0].json)).toMatch(/Cekat error 500: boom/);
	});
});
