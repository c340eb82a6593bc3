/**
 * The Cekat Trigger v1 (as released: Webhook and Polling modes, no registration) still loads and works, so
 * workflows saved with it keep running after the node became a VersionedNodeType with version 2 as default.
 * The receive and poll logic it shares with v2 and the Cekat Polling Trigger is tested in their files.
 */
import type { INodeTypeDescription } from 'n8n-workflow';

import { Hooks, Poller, TRIGGER_TYPE, useTriggerEnv, waitForDeliveries, WebhookReceiver } from './env';

describe('Cekat Trigger v1 (saved workflows)', () => {
	const env = useTriggerEnv();
	afterEach(async () => {
		await env.sandbox.webhooks.settle();
		env.sandbox.webhooks.configure(undefined);
		env.sandbox.reset();
	});

	it('loads as version 1 of cekatTrigger (default 2), keeps both modes, registers nothing, receives and polls as before', async () => {
		const v1 = env.pkg.nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 1).description as INodeTypeDescription;
		const v2 = env.pkg.nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 2).description as INodeTypeDescription;
		const base = env.pkg.nodeTypes.getByName(TRIGGER_TYPE).description as INodeTypeDescription & { defaultVersion?: number };
		// (n8n's loader adds Poll Times to a polling node)
		expect([v1.version, v1.polling, v1.properties.slice(0, 2).map((p) => p.name)]).toEqual([1, true, ['pollTimes', 'mode']]);
		expect([v2.version, v2.polling, v2.properties.filter((p) => ['pollTimes', 'mode'].includes(p.name))]).toEqual([2, undefined, []]);
		expect(base.defaultVersion).toBe(2);

		// Webhook mode: a POST webhook; Polling mode: none (n8n skips an empty method)
		const receiver = await new WebhookReceiver(env, { events: ['order.created'] }, 1).start();
		try {
			expect(receiver.registeredMethods()).toEqual(['POST']);
			expect(new WebhookReceiver(env, { mode: 'polling', event: 'newOrder' }, 1).registeredMethods()).toEqual([]);

			// the lifecycle hooks do nothing: the user pastes the URL in Cekat
			const hooks = new Hooks(env, { mode: 'webhook', events: ['order.created'] }, { version: 1 });
			for (const method of ['checkExists', 'create', 'delete'] as const) expect(await hooks.run(method)).toEqual({ value: true, requests: [] });

			// a delivery starts one execution
			env.sandbox.webhooks.configure({ url: receiver.url });
			const sent = await env.api.post('/__sandbox/webhooks/emit', { event: 'order.created' });
			expect(sent.status).toBe(200);
			await waitForDeliveries(env, receiver, 1);
			expect(receiver.executions.map((e) => e.map((i) => [i.event, i.id]))).toEqual([[['order.created', sent.data.payload.id]]]);
		} finally {
			await receiver.close();
		}

		// Webhook mode: poll() answers at once without a request; Polling mode: the first poll stores a position
		const idle = new Poller(env, { mode: 'webhook', events: ['*'] }, undefined, true);
		expect(await idle.poll('trigger', 'activate')).toEqual({ items: null, error: undefined, requests: [] });
		const poller = new Poller(env, { event: 'newOrder' }, undefined, true);
		const first = await poller.poll('trigger', 'activate');
		expect(first.error).toBeUndefined();
		expect(first.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/orders']);
		expect(Object.keys(poller.state)).toEqual(['poll:newOrder']);
	});
});
