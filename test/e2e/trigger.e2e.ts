/**
 * The Cekat Trigger in a real n8n (`n8n start`): the "paid order → WhatsApp thank-you" example (Cekat Trigger v2)
 * published, which registers its URL in the sandbox, and the sandbox delivering the subscribed event there; the
 * v1 node as older workflows saved it (a secret, the editor's test event in Webhook mode); and the Cekat Polling
 * Trigger, whose polls run on n8n's own schedule (every minute). Version 2's registration in detail: subscribe.e2e.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { N8nServer } from '../../scripts/lib/n8n';
import { REPO_DIR, sleep } from '../../scripts/lib/n8n';
import { byId, calls, cekatNode, connect, contactsByWindow, executionsOf, expectAuthenticated, prepareInstance, runManually, sandboxApi, waitFor, type E2eInstance, type WindowContact, type Workflow } from './helpers';

const OWNER = { email: 'e2e-trigger@cekat.local', password: 'CekatE2e2026', firstName: 'Trigger', lastName: 'Test' };
const EXAMPLE = 'CekatExample0005';
const EXAMPLE_WEBHOOK_ID = '7d4c9a1e-2b3f-4c5d-8e6f-9a0b1c2d3e4f';
const POLLING_WORKFLOW = 'CekatE2ePoll0001';
const POLLING_WEBHOOK_ID = '2a9f4c1d-6e3b-4d5a-8b7c-1f0e9d8c7b6a';
const SECRET_WORKFLOW = 'CekatE2eSecret01';
const SECRET_WEBHOOK_ID = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const SECRET = 'e2e-secret-Qm4Zx8';
const V1_WORKFLOW = 'CekatE2eTrigV101';
const V1_WEBHOOK_ID = '1c7e4a9b-3f2d-4b8e-a6c5-0d9f8e7a6b5c';

interface Order {
	id: string;
	order_number: number;
	grand_total: number;
	contact: { display_name: string; phone_number: string };
}

/** A delivery as Cekat's business webhooks send it (docs/cekat-api.md, Webhooks). */
const envelope = (event: string, id: string, rest: Record<string, unknown> = {}) => ({ id, object: event.split('.')[0], timestamp: Math.floor(Date.now() / 1000), event_name: event, ...rest });

/** A Cekat Polling Trigger: new orders → a note on each order (so the sandbox shows each item once). */
const pollingWorkflow = {
	id: POLLING_WORKFLOW,
	name: 'e2e: new orders by polling',
	nodes: [
		{
			id: 'e2e-poll-trigger',
			name: 'New order',
			type: 'n8n-nodes-cekat.cekatPollingTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'newOrder' },
			credentials: { cekatApi: { id: 'CekatSandbox0001', name: 'Cekat sandbox' } },
		},
		cekatNode('Note the order', [260, 0], { resource: 'order', operation: 'update', orderId: byId('={{ $json.id }}'), updateFields: { notes: '=Seen by n8n: {{ $json.order_number }}' } }),
	],
	connections: connect({ 'New order': ['Note the order'] }),
};

/** The example as it was saved before its trigger moved to v2: a v1 node in Webhook mode (URL pasted by hand). */
const savedV1Workflow = (() => {
	const example = JSON.parse(readFileSync(path.join(REPO_DIR, 'examples', 'paid-order-thank-you.json'), 'utf8')) as Workflow;
	const trigger = example.nodes.find((n) => n.type === 'n8n-nodes-cekat.cekatTrigger')!;
	return {
		...example,
		id: V1_WORKFLOW,
		name: 'e2e: paid order → thank-you (trigger v1)',
		nodes: example.nodes.map((n) =>
			n === trigger ? { ...n, typeVersion: 1, webhookId: V1_WEBHOOK_ID, parameters: { mode: 'webhook', events: ['order.payment_status_updated'], secret: '' } } : n,
		),
	};
})();

/** Webhook mode with a secret, every event, nothing after the trigger. */
const secretWorkflow = {
	id: SECRET_WORKFLOW,
	name: 'e2e: trigger with a secret',
	nodes: [
		{
			id: 'e2e-secret-trigger',
			name: 'Any event',
			type: 'n8n-nodes-cekat.cekatTrigger',
			typeVersion: 1,
			position: [0, 0],
			webhookId: SECRET_WEBHOOK_ID,
			parameters: { mode: 'webhook', events: ['*'], secret: SECRET },
			credentials: { cekatApi: { id: 'CekatSandbox0001', name: 'Cekat sandbox' } },
		},
	],
	connections: {},
};

describe('Cekat Trigger in n8n', () => {
	let env: E2eInstance;
	let server: N8nServer;
	let open: WindowContact;
	/** The example's payment event, redelivered by the next test. */
	let paidEventId: string | undefined;

	const executions = async (workflowId: string) => await executionsOf(server, workflowId);
	const deliveries = () => env.sandbox.webhooks.deliveries().filter((d) => d.status !== null);
	const waitForDeliveries = (count: number) => waitFor(`${count} webhook deliveries`, async () => {
		await env.sandbox.webhooks.settle();
		const done = deliveries();
		return done.length >= count ? done : undefined;
	});
	const sends = () => env.sandbox.journal().filter((e) => e.method === 'POST' && e.path === '/messages/whatsapp');

	beforeAll(async () => {
		env = await prepareInstance([pollingWorkflow, secretWorkflow, savedV1Workflow]);
		({ open: [open] } = contactsByWindow(env.sandbox));
		// n8n's public URL, as a deployment sets it: what the example's v2 trigger registers
		env.n8n.opts.env = { ...env.n8n.opts.env, WEBHOOK_URL: `${env.n8n.url}/` };
		server = await env.n8n.start();
		await server.setupOwnerAndLogin(OWNER);
	});
	afterAll(async () => {
		await server?.stop();
		await env?.cleanup();
	});
	beforeEach(() => {
		env.sandbox.clearJournal();
		env.sandbox.webhooks.clearDeliveries();
	});

	it('loads the trigger type v1: polling and a webhook, the same credential', async () => {
		const types = (await (await server.http('/types/nodes.json')).json()) as Array<Record<string, unknown> & { name: string; properties: Array<{ name: string }> }>;
		const trigger = types.find((t) => t.name === 'n8n-nodes-cekat.cekatTrigger' && t.version === 1);
		expect(trigger).toEqual(
			expect.objectContaining({
				displayName: 'Cekat Trigger',
				group: ['trigger'],
				polling: true,
				inputs: [],
				outputs: ['main'],
				credentials: [{ name: 'cekatApi', required: true }],
				webhooks: [expect.objectContaining({ name: 'default', path: 'cekat', responseMode: 'onReceived' })],
			}),
		);
		// n8n adds Poll Times to polling nodes
		expect(trigger!.properties.map((p) => p.name).slice(0, 2)).toEqual(['pollTimes', 'mode']);
		expect(server.log).not.toMatch(/Failed to load package/);
		expect(server.log.split('\n').filter((line) => /cekat/i.test(line) && /error|fail|warn/i.test(line))).toEqual([]);
	});

	it('example "paid order → thank-you" (trigger v2): publishing registers it in Cekat; the sandbox delivers only order.payment_status_updated, which runs it once', async () => {
		await server.publishWorkflow(EXAMPLE);
		const url = `${env.n8n.url}/webhook/${EXAMPLE_WEBHOOK_ID}/cekat`;
		const [sub] = await waitFor('the subscription', () => (env.sandbox.subscriptions().length ? env.sandbox.subscriptions() : undefined));
		expect(env.sandbox.subscriptions()).toHaveLength(1);
		expect(sub).toEqual(expect.objectContaining({ variant: 'workflows', name: 'n8n: Cekat example: paid order → WhatsApp thank-you', url, events: ['order.payment_status_updated'] }));
		expect(calls(env.sandbox.journal())).toEqual(['GET /business_workflows/webhooks', 'POST /business_workflows/webhooks/subscribe']);
		// no target is configured by hand: the subscription is the only way events reach n8n
		expect(env.sandbox.webhooks.target).toBeUndefined();
		// n8n may answer the publish before the URL is live
		await server.waitForWebhook(`/webhook/${EXAMPLE_WEBHOOK_ID}/cekat`);
		env.sandbox.clearJournal();

		// an order of a customer who wrote recently (the 24-hour window is open), then paid
		const contact = env.sandbox.store.findContactByPhone(open.phone)!;
		const order = await sandboxApi<Order>(env.sandbox, 'POST', '/api/orders', {
			orders_products: [{ product_name: 'Kopi Gayo 250g', quantity: 2, price: 85000 }],
			payment_method: 'manual',
			bank_account_number: '1234567890',
			contact_id: contact.id,
		});
		await sandboxApi(env.sandbox, 'PUT', `/api/orders/${order.id}`, { payment_status: 'paid' });

		// order.created and order.updated are not subscribed: only the payment event is delivered
		const [paid] = await waitForDeliveries(1);
		expect([paid.event, paid.url, paid.status, paid.subscription_id, paid.attempt]).toEqual(['order.payment_status_updated', url, 200, sub.id, 1]);
		expect(paid.response).toEqual({ received: true, id: paid.event_id });

		const [send] = await waitFor('the thank-you message', () => (sends().length ? sends() : undefined));
		const total = (2 * 85000).toLocaleString('id-ID');
		expect(send.body).toEqual({
			receiver: open.phone,
			message: `Terima kasih, ${order.contact.display_name}! Pembayaran pesanan #${order.order_number} sebesar Rp ${total} sudah kami terima. Pesanan Anda segera kami proses.`,
		});
		expect(send.status).toBe(200);
		expectAuthenticated(env.sandbox.journal().filter((e) => e.path === '/messages/whatsapp'));
		const runs = await waitFor('the execution to finish', async () => {
			const list = await executions(EXAMPLE);
			return list.length === 1 && list[0].status === 'success' ? list : undefined;
		});
		expect(runs.map((r) => [r.mode, r.status])).toEqual([['webhook', 'success']]);

		await sleep(1500);
		// order.created, order.updated and the thank-you's message.sent are not subscribed: nothing else was delivered
		expect(deliveries()).toHaveLength(1);
		expect(await executions(EXAMPLE)).toHaveLength(1);
		// the event carries only order_id: the workflow reads the order before it writes to the buyer
		expect(calls(env.sandbox.journal())).toEqual(['POST /api/orders', 'PUT /api/orders/' + order.id, 'GET /api/orders/' + order.id, 'POST /messages/whatsapp']);
		paidEventId = paid.event_id;
	});

	// n8n 2.41 resets the static data's "changed" flag when it starts the run (the node already holds its
	// subscription there): the trigger's execute() makes the run save the seen ids (webhook.ts, passEventOn).
	it('example "paid order → thank-you" (trigger v2): Cekat retrying the same event starts nothing', async () => {
		expect(paidEventId).toBeDefined();
		const url = `${env.n8n.url}/webhook/${EXAMPLE_WEBHOOK_ID}/cekat`;
		expect((await fetch(`${env.sandbox.url}/__sandbox/webhooks/redeliver/${paidEventId}`, { method: 'POST' })).status).toBe(200);
		const [again] = await waitForDeliveries(1);
		// a run the retry started must end here, not send its message into the next test
		await sleep(1500);
		await waitFor('no running execution', async () => ((await executions(EXAMPLE)).every((e) => e.status !== 'running' && e.status !== 'new') ? true : undefined));
		await sleep(500);
		expect(await executions(EXAMPLE)).toHaveLength(1);
		expect(sends()).toHaveLength(0);
		expect([again.event, again.url, again.attempt, again.status, again.response]).toEqual(['order.payment_status_updated', url, 2, 200, { received: true, duplicate: true, id: paidEventId }]);
	});

	it('a secret: without it 401 and no execution; with it (in the URL or the header) one execution per event', async () => {
		await server.publishWorkflow(SECRET_WORKFLOW);
		const url = `${server.url}/webhook/${SECRET_WEBHOOK_ID}/cekat`;
		const post = async (query: string, headers: Record<string, string> = {}, id = 'ev-secret-1') => {
			const res = await fetch(`${url}${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(envelope('contact.updated', id, { data: { id: 'c-1' } })) });
			return { status: res.status, body: (await res.json()) as unknown };
		};
		const first = await waitFor('the production webhook', async () => {
			const res = await post('');
			return res.status === 404 ? undefined : res;
		});
		expect(first).toEqual({ status: 401, body: { message: 'Invalid or missing secret' } });
		expect(await post('?secret=wrong')).toEqual({ status: 401, body: { message: 'Invalid or missing secret' } });
		expect(await post(`?secret=${SECRET}`)).toEqual({ status: 200, body: { received: true, id: 'ev-secret-1' } });
		expect(await post('', { 'x-cekat-secret': SECRET })).toEqual({ status: 200, body: { received: true, duplicate: true, id: 'ev-secret-1' } });
		expect(await post('', { 'x-cekat-secret': SECRET }, 'ev-secret-2')).toEqual({ status: 200, body: { received: true, id: 'ev-secret-2' } });
		await waitFor('two executions', async () => {
			const list = await executions(SECRET_WORKFLOW);
			return list.length === 2 && list.every((e) => e.status === 'success') ? list : undefined;
		});
		await sleep(1000);
		expect(await executions(SECRET_WORKFLOW)).toHaveLength(2);
	});

	it('the editor’s "Listen for test event": a test event reaches the next nodes (v1 as saved, Webhook mode, manual run)', async () => {
		const run = await runManually<{ waitingForWebhook?: boolean }>(server, V1_WORKFLOW, { triggerToStartFrom: { name: 'Payment status changed' } });
		expect(run.status).toBe(200);
		expect(run.body.data).toEqual({ waitingForWebhook: true });

		// an order of the customer whose 24-hour window is open; the test event names it as Cekat does (order_id only)
		const contact = env.sandbox.store.findContactByPhone(open.phone)!;
		const order = await sandboxApi<Order>(env.sandbox, 'POST', '/api/orders', {
			orders_products: [{ product_name: 'Kopi Toraja 200g', quantity: 1, price: 95000 }],
			payment_method: 'manual',
			bank_account_number: '1234567890',
			contact_id: contact.id,
		});
		const event = envelope('order.payment_status_updated', 'test-event-1', { order_id: order.id, changed: { old_value: 'PENDING', new_value: 'PAID' } });
		const res = await server.http(`/webhook-test/${V1_WEBHOOK_ID}/cekat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
		expect(res.status).toBe(200);
		const [send] = await waitFor('the test run’s message', () => (sends().length ? sends() : undefined));
		expect(send.body).toEqual(expect.objectContaining({ receiver: open.phone, message: expect.stringContaining(`#${order.order_number} `) }));
		const manual = await waitFor('the manual execution', async () => {
			const list = (await executions(V1_WORKFLOW)).filter((e) => e.mode === 'manual');
			return list.length === 1 && list[0].status === 'success' ? list : undefined;
		});
		expect(manual).toHaveLength(1);
	});

	it('the Cekat Polling Trigger in n8n: no webhook is registered; the first poll emits nothing; new orders run the workflow once each, at n8n’s next polls', async () => {
		// the editor's "Fetch test event": the newest order as a sample, no waiting for a webhook
		const sample = await runManually<{ executionId?: string; waitingForWebhook?: boolean }>(server, POLLING_WORKFLOW, {
			triggerToStartFrom: { name: 'New order' },
			destinationNode: { nodeName: 'New order', mode: 'inclusive' },
		});
		expect(sample.status).toBe(200);
		expect(sample.body.data?.waitingForWebhook).toBeUndefined();
		await waitFor('the manual poll', () => (env.sandbox.journal().some((e) => e.path === '/api/orders') ? true : undefined));
		env.sandbox.clearJournal();

		await server.publishWorkflow(POLLING_WORKFLOW);
		// activation ran the first poll: it read the newest page and emitted nothing
		const activation = await waitFor('the activation poll', () => {
			const list = env.sandbox.journal().filter((e) => e.path === '/api/orders');
			return list.length ? list : undefined;
		});
		expect(activation.map((e) => [e.method, e.query, e.auth, e.status])).toEqual([['GET', { sort_field: 'created_at', sort_direction: 'desc', page: '1', limit: '100' }, 'api_key', 200]]);
		expect((await server.http(`/webhook/${POLLING_WEBHOOK_ID}/cekat`, { method: 'POST', body: '{}' })).status).toBe(404);

		const created: Order[] = [];
		for (let i = 0; i < 3; i++) {
			created.push(await sandboxApi<Order>(env.sandbox, 'POST', '/api/orders', { orders_products: [{ product_name: `Teh ${i}`, quantity: 1, price: 20000 }], payment_method: 'manual', bank_account_number: '1234567890', phone_number: `62811000000${i}` }));
		}
		const notes = () => env.sandbox.journal().filter((e) => e.method === 'PUT' && e.path.startsWith('/api/orders/'));
		const firstRound = await waitFor('the next poll’s execution', () => (notes().length >= 3 ? notes() : undefined), 90_000);
		// (n8n sends one node's requests concurrently: compared as sets)
		const sorted = (values: unknown[]) => values.map((v) => JSON.stringify(v)).sort();
		expect(sorted(firstRound.map((e) => [e.path, e.body]))).toEqual(sorted(created.map((o) => [`/api/orders/${o.id}`, { notes: `Seen by n8n: ${o.order_number}` }])));

		// two more orders: the following poll emits only those
		const more: Order[] = [];
		for (let i = 3; i < 5; i++) {
			more.push(await sandboxApi<Order>(env.sandbox, 'POST', '/api/orders', { orders_products: [{ product_name: `Teh ${i}`, quantity: 1, price: 20000 }], payment_method: 'manual', bank_account_number: '1234567890', phone_number: `62811000000${i}` }));
		}
		const secondRound = await waitFor('the following poll’s execution', () => (notes().length >= 5 ? notes() : undefined), 90_000);
		expect(sorted(secondRound.slice(3).map((e) => e.path))).toEqual(sorted(more.map((o) => `/api/orders/${o.id}`)));
		// The sandbox sees the last request before n8n has recorded the execution as finished.
		const runs = await waitFor('both poll executions to finish', async () => {
			const list = (await executions(POLLING_WORKFLOW)).filter((e) => e.mode === 'trigger');
			return list.length >= 2 && list.every((r) => r.status !== 'running' && r.status !== 'new') ? list : undefined;
		});
		expect(runs.map((r) => r.status)).toEqual(['success', 'success']);
		expect(notes()).toHaveLength(5);
	}, 240_000);
});
