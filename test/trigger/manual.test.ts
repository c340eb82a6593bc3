/**
 * The triggers' own step in a workflow run (WorkflowExecute), as n8n runs it:
 * - after a webhook or a poll, the run starts at the trigger with the trigger's output as its input;
 * - a manual run in the editor ("Listen for Test Event" for the Cekat Trigger, "Fetch Test Event" for the Cekat
 *   Polling Trigger) runs in 'manual' mode: n8n's engine passes a webhook node's test event on, and calls poll()
 *   of a polling node, which then fetches a sample.
 */
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../engine/harness';
import { API_KEY, Poller, pollingNode, triggerNode, useTriggerEnv, type TriggerEnv } from './env';

async function run(env: TriggerEnv, node: INode, items: IDataObject[], mode: 'manual' | 'webhook' | 'trigger') {
	const result = await runNode({
		nodeTypes: env.pkg.nodeTypes,
		credentialTypes: env.pkg.credentialTypes,
		node,
		items,
		credentials: { apiKey: API_KEY, baseUrl: env.sandbox.url },
		mode,
	});
	const task = result.data.resultData.runData[node.name]?.[0];
	return { output: ((task?.data?.main?.[0] ?? []) as INodeExecutionData[]).map((i) => i.json), error: task?.error ?? result.data.resultData.error, status: result.status };
}

describe('Cekat Trigger v2 and Cekat Polling Trigger in a workflow run', () => {
	const env = useTriggerEnv();
	afterEach(() => env.sandbox.reset());

	// What the trigger's webhook() outputs for a real delivery: Cekat's body plus event, old_value, new_value.
	const event = {
		id: 'ev-1',
		object: 'order',
		timestamp: 1781499600,
		event_name: 'order.payment_status_updated',
		order_id: 'o-1',
		changed: { old_value: 'PENDING', new_value: 'PAID' },
		event: 'order.payment_status_updated',
		old_value: 'PENDING',
		new_value: 'PAID',
	};

	it('Cekat Trigger, a test event in the editor (manual run): the event is the output, no request is made', async () => {
		const result = await run(env, triggerNode({ events: ['*'] }), [event], 'manual');
		expect(result.error).toBeUndefined();
		expect(result.output).toEqual([event]);
		expect(env.requests()).toEqual([]);
	});

	it('Cekat Trigger, a production event: the event is the output', async () => {
		const result = await run(env, triggerNode({ events: ['*'] }), [event], 'webhook');
		expect(result.output).toEqual([event]);
	});

	it('Cekat Polling Trigger, production: the polled records are the output, unchanged and in order', async () => {
		const poller = new Poller(env, { event: 'newOrder' });
		await poller.poll('trigger', 'activate');
		env.clock.now += 60_000;
		await env.api.post('/__sandbox/seed-more', { orders: 3 });
		const { items } = await poller.poll();
		env.sandbox.clearJournal();
		const result = await run(env, pollingNode({ event: 'newOrder' }), items!, 'trigger');
		expect(result.output).toEqual(items);
		expect(env.requests()).toEqual([]);
	});

	it('Cekat Polling Trigger, "Fetch Test Event" (manual run): the newest record as a sample', async () => {
		env.clock.now += 60_000;
		const created = await env.api.post('/__sandbox/seed-more', { conversations: 1 });
		const result = await run(env, pollingNode({ event: 'newConversation' }), [{}], 'manual');
		expect(result.error).toBeUndefined();
		expect(result.output.map((c) => c.id)).toEqual(created.data.created.conversations);
		expect(env.requests().map((r) => [r.method, r.path, r.query, r.auth])).toEqual([['GET', '/api/conversations', { limit: '100' }, 'api_key']]);
	});

	it('Cekat Polling Trigger, "Fetch Test Event" for status changes: the last updated order, without previous values', async () => {
		const order = env.sandbox.store.orders.all()[0];
		env.clock.now += 60_000;
		await env.api.put(`/api/orders/${order.id}`, { payment_status: 'paid' });
		const result = await run(env, pollingNode({ event: 'orderStatusChanged' }), [{}], 'manual');
		expect(result.output).toEqual([expect.objectContaining({ id: order.id, payment_status: 'paid', previous_order_status: null, previous_payment_status: null })]);
	});

	it('Cekat Polling Trigger, a manual run that fails shows Cekat’s error', async () => {
		env.sandbox.addFault({ path: '/api/messages', status: 429, retryAfter: 120 });
		const result = await run(env, pollingNode({ event: 'newMessage' }), [{}], 'manual');
		expect(result.output).toEqual([]);
		expect(result.error?.message).toMatch(/^Cekat error 429: Too many requests/);
		expect(result.error?.description).toContain('Cekat asks to wait 120 seconds');
	});
});
