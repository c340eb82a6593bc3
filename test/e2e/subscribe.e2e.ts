/**
 * The Cekat Trigger v2 in a real n8n (`n8n start`): publishing the workflow makes n8n run the node's webhook
 * lifecycle, which subscribes the Production URL in Cekat (the sandbox's OFF routes on its Server URL); an event the
 * sandbox emits then runs the workflow once; unpublishing removes the subscription. Also: the node types n8n
 * serves for the two triggers (v2 without Poll Times; the Polling Trigger with them).
 */
import type { N8nServer } from '../../scripts/lib/n8n';
import { sleep } from '../../scripts/lib/n8n';
import { API_KEY, executionsOf, prepareInstance, waitFor, type E2eInstance } from './helpers';

const OWNER = { email: 'e2e-subscribe@cekat.local', password: 'CekatE2e2026', firstName: 'Subscribe', lastName: 'Test' };
const WORKFLOW = 'CekatE2eSubscr01';
const WEBHOOK_ID = '4b6e2d9a-1c3f-4e5a-9b8c-7d6e5f4a3b2c';
const SECRET = 'e2e-sub-Hx7Pq2';
/** The sandbox as both hosts: the default Server URL (server.cekat.ai) must not be called from a test. */
const CREDENTIAL = { id: 'CekatSubscribe01', name: 'Cekat sandbox (server URL too)' } as const;

const workflow = {
	id: WORKFLOW,
	name: 'e2e: trigger that subscribes itself',
	nodes: [
		{
			id: 'e2e-subscribe-trigger',
			name: 'Contact updated',
			type: 'n8n-nodes-cekat.cekatTrigger',
			typeVersion: 2,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: { events: ['contact.updated'], secret: SECRET },
			credentials: { cekatApi: { ...CREDENTIAL } },
		},
	],
	connections: {},
};

describe('Cekat Trigger v2 subscribes itself in n8n', () => {
	let env: E2eInstance;
	let server: N8nServer;

	const executions = async () => await executionsOf(server, WORKFLOW);
	const subscriptionCalls = () => env.sandbox.journal().filter((e) => e.path.startsWith('/business_workflows/webhooks') || e.path.startsWith('/business_webhooks'));

	beforeAll(async () => {
		env = await prepareInstance([workflow]);
		await env.n8n.importCredentials([{ ...CREDENTIAL, type: 'cekatApi', data: { apiKey: API_KEY, baseUrl: env.sandbox.url, serverUrl: env.sandbox.serverUrl } }]);
		// n8n's public URL, as a deployment sets it: the URL the trigger registers (127.0.0.1, where n8n listens)
		env.n8n.opts.env = { ...env.n8n.opts.env, WEBHOOK_URL: `${env.n8n.url}/` };
		server = await env.n8n.start();
		await server.setupOwnerAndLogin(OWNER);
	});
	afterAll(async () => {
		await server?.stop();
		await env?.cleanup();
	});

	it('serves the Cekat Trigger v2 without Poll Times and the Cekat Polling Trigger with them', async () => {
		type NodeTypeJson = { name: string; version: number | number[]; polling?: boolean; properties: Array<{ name: string }>; webhooks?: unknown[]; defaultVersion?: number };
		const types = (await (await server.http('/types/nodes.json')).json()) as NodeTypeJson[];
		const triggers = types.filter((t) => t.name === 'n8n-nodes-cekat.cekatTrigger');
		const v2 = triggers.find((t) => t.version === 2);
		expect(v2).toEqual(expect.objectContaining({ webhooks: [expect.objectContaining({ name: 'default', httpMethod: 'POST', path: 'cekat' })] }));
		expect(v2!.polling).toBeUndefined();
		expect(v2!.properties.map((p) => p.name)).not.toContain('pollTimes');
		expect(triggers.find((t) => t.version === 1)?.polling).toBe(true);
		const polling = types.find((t) => t.name === 'n8n-nodes-cekat.cekatPollingTrigger');
		expect(polling).toEqual(expect.objectContaining({ polling: true }));
		expect(polling!.webhooks ?? []).toEqual([]);
		expect(polling!.properties.map((p) => p.name).slice(0, 2)).toEqual(['pollTimes', 'pollingNotice']);
		expect(server.log).not.toMatch(/Failed to load package/);
	});

	it('publish → the sandbox holds the subscription → an event runs the workflow once → unpublish → the subscription is gone', async () => {
		const url = `${env.n8n.url}/webhook/${WEBHOOK_ID}/cekat`;
		const registered = `${url}?secret=${SECRET}`;
		env.sandbox.clearJournal();
		await server.publishWorkflow(WORKFLOW);

		// n8n registers webhooks while it activates: the subscription is there once the activation answered
		const [sub] = await waitFor('the subscription', () => (env.sandbox.subscriptions().length ? env.sandbox.subscriptions() : undefined));
		expect(env.sandbox.subscriptions()).toHaveLength(1);
		expect(sub).toEqual(expect.objectContaining({ variant: 'workflows', name: 'n8n: e2e: trigger that subscribes itself', url: registered, events: ['contact.updated'] }));
		expect(subscriptionCalls().map((e) => [e.method, e.path, e.auth, e.keyMatched, e.status])).toEqual([
			['GET', '/business_workflows/webhooks', 'api_key', true, 200],
			['POST', '/business_workflows/webhooks/subscribe', 'api_key', true, 200],
		]);

		// an event Cekat sends to the subscription (the sandbox emits it; nothing else is configured)
		const emitted = await fetch(`${env.sandbox.url}/__sandbox/webhooks/emit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'contact.updated' }) });
		expect(emitted.status).toBe(200);
		const { payload } = (await emitted.json()) as { payload: { id: string } };
		const delivery = await waitFor('the delivery', async () => {
			await env.sandbox.webhooks.settle();
			return env.sandbox.webhooks.deliveries().find((d) => d.status !== null);
		});
		expect(delivery).toEqual(expect.objectContaining({ url: registered, status: 200, subscription_id: sub.id, response: { received: true, id: payload.id } }));
		const runs = await waitFor('the execution', async () => {
			const list = await executions();
			return list.length === 1 && list[0].status === 'success' ? list : undefined;
		});
		expect(runs.map((r) => [r.mode, r.status])).toEqual([['webhook', 'success']]);
		await sleep(1000);
		expect(await executions()).toHaveLength(1);

		// unpublish: n8n runs delete, which unsubscribes the URL
		env.sandbox.clearJournal();
		const off = await server.rest('POST', `/workflows/${WORKFLOW}/deactivate`, {});
		expect(off.status).toBe(200);
		await waitFor('the unsubscription', () => (env.sandbox.subscriptions().length === 0 ? true : undefined));
		expect(subscriptionCalls().map((e) => [e.method, e.path, e.body, e.status])).toEqual([['POST', '/business_workflows/webhooks/unsubscribe', { webhookUrl: registered }, 200]]);
		// nothing is subscribed any more: the sandbox has nowhere to send an event
		const after = await fetch(`${env.sandbox.url}/__sandbox/webhooks/emit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'contact.updated' }) });
		expect(after.status).toBe(409);
		expect(await executions()).toHaveLength(1);
	});
});
