/**
 * The Cekat Trigger v1 (as saved in the example and older workflows) in a real n8n (`n8n start`): the "paid order →
 * WhatsApp thank-you" example published, the sandbox sending its webhook events to n8n's production URL; the
 * editor's test event in Webhook mode; and the Cekat Polling Trigger, whose polls run on n8n's own schedule (every
 * minute). Version 2's registration in Cekat: subscribe.e2e.ts.
 */
import type { N8nServer } from '../../scripts/lib/n8n';
import { sleep } from '../../scripts/lib/n8n';
import { byId, calls, cekatNode, connect, contactsByWindow, expectAuthenticated, prepareInstance, sandboxApi, type E2eInstance, type WindowContact } from './helpers';

const OWNER = { email: 'e2e-trigger@cekat.local', password: 'CekatE2e2026', firstName: 'Trigger', lastName: 'Test' };
const EXAMPLE = 'CekatExample0005';
const EXAMPLE_WEBHOOK_ID = '7d4c9a1e-2b3f-4c5d-8e6f-9a0b1c2d3e4f';
const POLLING_WORKFLOW = 'CekatE2ePoll0001';
const POLLING_WEBHOOK_ID = '2a9f4c1d-6e3b-4d5a-8b7c-1f0e9d8c7b6a';
const SECRET_WORKFLOW = 'CekatE2eSecret01';
const SECRET_WEBHOOK_ID = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const SECRET = 'e2e-secret-Qm4Zx8';

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

	const executions = async (workflowId: string) => {
		const res = await server.rest<{ results: Array<{ id: string; status: string; mode: string }> }>('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
		expect(res.status).toBe(200);
		return res.body.data!.results;
	};
	const waitFor = async <T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = await check();
			if (value !== undefined) return value;
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
			await sleep(250);
		}
	};
	const deliveries = () => env.sandbox.webhooks.deliveries().filter((d) => d.status !== null);
	const waitForDeliveries = (count: number) => waitFor(`${count} webhook deliveries`, async () => {
		await env.sandbox.webhooks.settle();
		const done = deliveries();
		return done.length >= count ? done : undefined;
	});
	const sends = () => env.sandbox.journal().filter((e) => e.method === 'POST' && e.path === '/messages/whatsapp');

	beforeAll(async () => {
		env = await prepareInstance([pollingWorkflow, secretWorkflow]);
		({ open: [open] } = contactsByWindow(env.sandbox));
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

	it('example "paid order → thank-you": the sandbox’s order.payment_status_updated runs the workflow once; a redelivery starts nothing', async () => {
		await server.publishWorkflow(EXAMPLE);
		const url = `${server.url}/webhook/${EXAMPLE_WEBHOOK_ID}/cekat`;
		// n8n activates published workflows in the background: wait until its URL answers (an event not chosen)
		const probe = await waitFor('the production webhook', async () => {
			const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope('contact.updated', 'probe', { data: {} })) });
			return res.status === 404 ? undefined : { status: res.status, body: await res.json() };
		});
		expect(probe).toEqual({ status: 200, body: { received: true, ignored: 'event "contact.updated" is not one of the chosen events' } });
		env.sandbox.webhooks.configure({ url });

		// an order of a customer who wrote recently (the 24-hour window is open), then paid
		const contact = env.sandbox.store.findContactByPhone(open.phone)!;
		const order = await sandboxApi<Order>(env.sandbox, 'POST', '/api/orders', {
			orders_products: [{ product_name: 'Kopi Gayo 250g', quantity: 2, price: 85000 }],
			payment_method: 'manual',
			bank_account_number: '1234567890',
			contact_id: contact.id,
		});
		await sandboxApi(env.sandbox, 'PUT', `/api/orders/${order.id}`, { payment_status: 'paid' });

		const [created, updated, paid] = await waitForDeliveries(3);
		expect([created, updated, paid].map((d) => [d.event, d.url, d.status])).toEqual([
			['order.created', url, 200],
			['order.updated', url, 200],
			['order.payment_status_updated', url, 200],
		]);
		expect(created.response).toEqual({ received: true, ignored: 'event "order.created" is not one of the chosen events' });
		expect(updated.response).toEqual({ received: true, ignored: 'event "order.updated" is not one of the chosen events' });
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

		// Cekat retries the same event: answered as a duplicate, no second execution, no second message
		expect((await fetch(`${env.sandbox.url}/__sandbox/webhooks/redeliver/${paid.event_id}`, { method: 'POST' })).status).toBe(200);
		// (the thank-you itself made the sandbox send message.sent: not chosen, answered and ignored)
		const all = await waitForDeliveries(5);
		expect(all.slice(3).map((d) => [d.event, d.attempt, d.status, d.response])).toEqual([
			['message.sent', 1, 200, { received: true, ignored: 'event "message.sent" is not one of the chosen events' }],
			['order.payment_status_updated', 2, 200, { received: true, duplicate: true, id: paid.event_id }],
		]);
		await sleep(1500);
		expect(await executions(EXAMPLE)).toHaveLength(1);
		expect(sends()).toHaveLength(1);
		// the event carries only order_id: the workflow reads the order before it writes to the buyer
		expect(calls(env.sandbox.journal())).toEqual(['POST /api/orders', 'PUT /api/orders/' + order.id, 'GET /api/orders/' + order.id, 'POST /messages/whatsapp']);
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

	it('the editor’s "Listen for test event": a test event reaches the next nodes (v1, Webhook mode, manual run)', async () => {
		const run = await server.rest<{ waitingForWebhook?: boolean }>('POST', `/workflows/${EXAMPLE}/run`, { triggerToStartFrom: { name: 'Payment status changed' } });
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
		const res = await server.http(`/webhook-test/${EXAMPLE_WEBHOOK_ID}/cekat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
		expect(res.status).toBe(200);
		const [send] = await waitFor('the test run’s message', () => (sends().length ? sends() : undefined));
		expect(send.body).toEqual(expect.objectContaining({ receiver: open.phone, message: expect.stringContaining(`#${order.order_number} `) }));
		const manual = await waitFor('the manual execution', async () => {
			const list = (await executions(EXAMPLE)).filter((e) => e.mode === 'manual');
			return list.length === 1 && list[0].status === 'success' ? list : undefined;
		});
		expect(manual).toHaveLength(1);
	});

	it('the Cekat Polling Trigger in n8n: no webhook is registered; the first poll emits nothing; new orders run the workflow once each, at n8n’s next polls', async () => {
		// the editor's "Fetch test event": the newest order as a sample, no waiting for a webhook
		const sample = await server.rest<{ executionId?: string; waitingForWebhook?: boolean }>('POST', `/workflows/${POLLING_WORKFLOW}/run`, {
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
