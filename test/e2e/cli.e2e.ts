/**
 * Workflows run headless with `n8n execute --id=… --rawOutput`, the way a cron job or CI runs them:
 * the "paid orders → CRM" example, a tour of operations, and failures (wrong key, 24-hour window).
 */
import type { Sandbox } from '../../sandbox';
import { nodeOutput } from '../../scripts/lib/n8n';
import {
	API_KEY,
	byId,
	calls,
	cekatNode,
	connect,
	contactsByWindow,
	expectAuthenticated,
	manualTrigger,
	prepareInstance,
	SALES_BOARD_ID,
	sandboxApi,
	WRONG_KEY,
	WRONG_KEY_CREDENTIAL,
	type E2eInstance,
	type WindowContact,
} from './helpers';

interface Order {
	id: string;
	order_number: number;
	grand_total: number;
	contact: { phone_number: string };
}
/** A CRM item as Cekat serves it: flat, named by item_id, select values as label ids. */
interface Item {
	item_id: string;
	item_name: string;
	[column: string]: unknown;
}

/** The Sales Pipeline's "Won" label id (the sandbox's board; the example picks it from the list). */
const WON = '3';

describe('n8n execute (CLI)', () => {
	let env: E2eInstance;
	let open: WindowContact;
	let closed: WindowContact;

	beforeAll(async () => {
		// Test data is chosen from the sandbox before the workflows are written.
		env = await prepareInstance((sandbox) => {
			const windows = contactsByWindow(sandbox);
			[open] = windows.open;
			[closed] = windows.closed;
			return [tourWorkflow(open), failureWorkflow(closed), serviceWorkflow(sandbox, open)];
		});
	});
	afterAll(async () => {
		await env?.cleanup();
	});
	beforeEach(() => env.sandbox.reset());

	it('example "paid orders mark CRM deals as won": orders → search for the not-won deal → update, label ids sent', async () => {
		// What the workflow should do, from the API itself before the run.
		const orders = (await sandboxApi<{ orders: Order[] }>(env.sandbox, 'GET', '/api/orders?payment_status=paid&sort_field=updated_at&sort_direction=desc&page=1&limit=20')).orders;
		expect(orders).toHaveLength(20);
		const searchOf = (o: Order) => ({
			condition: 'AND',
			search: [
				{ column_name: 'Customer Phone', operator: 'equals', value: [o.contact.phone_number] },
				{ column_name: 'Stage', operator: 'not_equals', value: [WON] },
			],
		});
		const toUpdate: Array<{ order: Order; item: Item }> = [];
		for (const order of orders) {
			const items = await sandboxApi<Item[]>(env.sandbox, 'POST', `/api/crm/boards/${SALES_BOARD_ID}/items/search`, searchOf(order));
			for (const item of items) toUpdate.push({ order, item });
		}
		expect(toUpdate.length).toBeGreaterThan(0);
		expect(toUpdate.every(({ item }) => item.Stage !== WON)).toBe(true);
		env.sandbox.clearJournal();

		const { code, run, stdout } = await env.n8n.execute('CekatExample0002');
		expect(code).toBe(0);
		expect(run?.data.resultData.error).toBeUndefined();

		// n8n sends the requests of one node's items concurrently: compare each node's requests as a set.
		const journal = env.sandbox.journal();
		expectAuthenticated(journal);
		const sorted = (values: unknown[]) => values.map((v) => JSON.stringify(v)).sort();
		// Each CRM node reads the board once (label ids, column types), then writes.
		const boardReads = journal.filter((e) => e.method === 'GET' && e.path === `/api/crm/boards/${SALES_BOARD_ID}`);
		expect(boardReads).toHaveLength(2);
		const rest = journal.filter((e) => !boardReads.includes(e));
		expect(calls(rest)).toEqual([
			'GET /api/orders',
			...orders.map(() => `POST /api/crm/boards/${SALES_BOARD_ID}/items/search`),
			...toUpdate.map(() => expect.stringMatching(new RegExp(`^PUT /api/crm/boards/${SALES_BOARD_ID}/items/`))),
		]);
		expect(rest[0].query).toEqual({ payment_status: 'paid', sort_field: 'updated_at', sort_direction: 'desc', page: '1', limit: '20' });
		expect(sorted(rest.slice(1, 21).map((e) => e.body))).toEqual(sorted(orders.map(searchOf)));
		expect(sorted(rest.slice(21).map((e) => [e.path, e.body]))).toEqual(
			sorted(toUpdate.map(({ item, order }) => [`/api/crm/boards/${SALES_BOARD_ID}/items/${item.item_id}`, { Stage: WON, 'Deal Value': order.grand_total, Notes: `Paid order ${order.order_number}` }])),
		);

		// Outputs, node by node (CRM items carry id = item_id), and the stored deals.
		expect(nodeOutput(run!, 'Get paid orders').map((o) => o.id)).toEqual(orders.map((o) => o.id));
		expect(nodeOutput(run!, "Find the customer's deal").map((i) => [i.id, i.item_id])).toEqual(toUpdate.map(({ item }) => [item.item_id, item.item_id]));
		const updated = nodeOutput(run!, 'Mark deal as won');
		expect(updated.map((i) => [i.id, i.Stage, i['Deal Value']])).toEqual(toUpdate.map(({ item, order }) => [item.item_id, WON, order.grand_total]));
		for (const { item } of toUpdate) {
			// (a customer with two paid orders gets two concurrent updates; either may land last)
			const candidates = toUpdate.filter((u) => u.item.item_id === item.item_id).map(({ order }) => [WON, order.grand_total, `Paid order ${order.order_number}`]);
			const stored = env.sandbox.store.crmItems.get(item.item_id)!;
			expect(candidates).toContainEqual([stored.values.Stage, stored.values['Deal Value'], stored.values.Notes]);
		}
		expect(stdout).not.toContain(API_KEY);
	});

	it('a tour of operations: order create → update → get, reply in a chat, Return All and Limit across pages, board get', async () => {
		const contactsTotal = env.sandbox.store.contacts.all().length;
		const { code, run, stdout, stderr } = await env.n8n.execute('CekatE2eTour0001');
		expect({ code, error: run?.data.resultData.error }).toEqual({ code: 0, error: undefined });
		const journal = env.sandbox.journal();
		expectAuthenticated(journal);

		// Order: created for a phone typed the local way, then paid, then read back.
		const created = nodeOutput(run!, 'Create order');
		expect(created).toHaveLength(1);
		const orderId = created[0].id as string;
		const createReq = journal.find((e) => e.method === 'POST' && e.path === '/api/orders')!;
		expect(createReq.body).toEqual({
			orders_products: [
				{ product_name: 'Kopi Gayo 250g', quantity: 2, price: 85000 },
				{ product_name: 'Teh Melati', quantity: 1, price: 30000 },
			],
			payment_method: 'manual',
			bank_account_number: 'BCA 1234567890',
			phone_number: open.phone,
			shipping_fee: 15000,
			notes: 'n8n e2e',
		});
		expect(created[0]).toEqual(expect.objectContaining({ grand_total: 2 * 85000 + 30000 + 15000, order_status: 'pending', payment_status: 'pending' }));
		expect(journal.find((e) => e.method === 'PUT')).toEqual(expect.objectContaining({ path: `/api/orders/${orderId}`, body: { payment_status: 'paid', order_status: 'processing' } }));
		expect(nodeOutput(run!, 'Read order')).toEqual([expect.objectContaining({ id: orderId, payment_status: 'paid', order_status: 'processing' })]);
		expect(env.sandbox.store.orders.get(orderId)?.payment_status).toBe('paid');

		// Reply in an open conversation.
		const send = journal.find((e) => e.path === '/messages/whatsapp')!;
		expect(send.body).toEqual({ conversation_id: open.conversationId, message: 'Pesanan Anda sudah kami proses' });
		expect(send.status).toBe(200);
		expect(nodeOutput(run!, 'Reply in chat')).toEqual([expect.objectContaining({ conversation_id: open.conversationId, message: 'Pesanan Anda sudah kami proses' })]);
		expect(env.sandbox.store.messagesOf(open.conversationId).at(-1)?.message).toBe('Pesanan Anda sudah kami proses');

		// Return All follows the pages; Limit stops early.
		const contactPages = journal.filter((e) => e.path === '/api/contacts');
		expect(contactPages.length).toBe(Math.ceil(contactsTotal / 100));
		const contacts = nodeOutput(run!, 'All contacts');
		expect(contacts).toHaveLength(contactsTotal);
		expect(new Set(contacts.map((c) => c.id)).size).toBe(contactsTotal);
		const conversations = nodeOutput(run!, 'Recent conversations');
		expect(conversations).toHaveLength(150);
		expect(journal.filter((e) => e.path === '/api/conversations').length).toBe(2);

		const board = nodeOutput(run!, 'Sales board');
		expect(board).toEqual([expect.objectContaining({ id: SALES_BOARD_ID, name: 'Sales Pipeline' })]);
		expect(stdout + stderr).not.toContain(API_KEY);
	});

	it('customer-service actions in a real n8n: find the contact by phone, hand the chat to agents, label, pipeline, AI off and on, reply buttons, resolve, store data', async () => {
		const { store } = env.sandbox;
		const [agent, colleague] = store.agents.all();
		const label = store.labels[4];
		const status = store.pipelines[1];
		const { code, run } = await env.n8n.execute('CekatE2eService01');
		expect({ code, error: run?.data.resultData.error }).toEqual({ code: 0, error: undefined });
		const journal = env.sandbox.journal();
		expectAuthenticated(journal);
		// Every customer-service route was called once, in the workflow's order, with OFF's bodies.
		const service = journal.filter((e) => e.path.startsWith('/business_workflows/') || e.path === '/messages/whatsapp');
		expect(service.map((e) => [e.method, e.path, e.status])).toEqual([
			['GET', '/business_workflows/contact', 200],
			['POST', '/business_workflows/assign-agent', 200],
			['POST', '/business_workflows/add-collaborator', 200],
			['POST', '/business_workflows/labels', 200],
			['POST', '/business_workflows/pipeline-status', 200],
			['POST', '/business_workflows/conversation-status', 200],
			['POST', '/business_workflows/block-ai', 200],
			['POST', '/business_workflows/unblock-ai', 200],
			['POST', '/business_workflows/labels/remove', 200],
			['POST', '/messages/whatsapp', 200],
			['POST', '/business_workflows/resolve-conversation', 200],
			['POST', '/business_workflows/additional-data', 200],
		]);
		const id = open.conversationId;
		expect(service[0].query).toEqual({ phone_number: open.phone });
		expect(service.slice(1, 9).map((e) => e.body)).toEqual([
			{ conversation_id: id, agent_id: agent.id },
			{ conversation_id: id, agent_id: colleague.id },
			{ conversation_id: id, label_id: label.id, value: 150000, currency: 'idr' },
			{ conversation_id: id, pipeline_status_id: status.id },
			{ conversation_id: id, stage_status: 'pending' },
			{ conversation_id: id },
			{ conversation_id: id },
			{ conversation_id: id, label_id: label.id },
		]);
		expect(service[9].body).toEqual({
			conversation_id: id,
			media_type: 'button',
			message: 'Apakah pesanan Anda sudah diterima?',
			action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Sudah' } }, { type: 'reply', reply: { id: 'no', title: 'Belum' } }] },
		});
		const contact = nodeOutput(run!, 'Find contact');
		expect(contact).toEqual([expect.objectContaining({ phone_number: open.phone })]);
		expect(service[11].body).toEqual({ contact_id: contact[0].id, additional_data: { member_tier: 'gold' } });
		// What Cekat (the sandbox) holds afterwards.
		const after = store.conversations.get(id)!;
		expect({
			handler: after.handled_by_id,
			collaborator: after.collaborators.some((c) => c.id === colleague.id),
			label: after.labels.some((l) => l.id === label.id),
			pipeline: after.pipeline?.id,
			stage: after.stage_status,
			aiBlocked: after.ai_blocked,
		}).toEqual({ handler: agent.id, collaborator: true, label: false, pipeline: status.id, stage: 'resolved', aiBlocked: false });
		expect(store.contacts.get(contact[0].id as string)!.additional_data).toEqual(expect.objectContaining({ member_tier: 'gold' }));
		expect(nodeOutput(run!, 'Resolve')).toEqual([expect.objectContaining({ id, stage_status: 'resolved' })]);
	});

	it('failures: a closed 24-hour window continues (On Error → Continue); a wrong API key fails the run with Cekat’s 401', async () => {
		const before = env.sandbox.store.messagesOf(closed.conversationId).length;
		const { code, run, stdout, stderr } = await env.n8n.execute('CekatE2eFail0001');
		expect(code).not.toBe(0);
		expect(run).toBeDefined();

		const journal = env.sandbox.journal();
		const send = journal.filter((e) => e.path === '/messages/whatsapp');
		expect(send.map((e) => [e.status, e.keyMatched, e.body])).toEqual([[400, true, { conversation_id: closed.conversationId, message: 'Halo' }]]);
		const continued = nodeOutput(run!, 'Closed window');
		expect(continued).toHaveLength(1);
		expect(String(continued[0].error)).toMatch(/24-hour/);
		expect(env.sandbox.store.messagesOf(closed.conversationId)).toHaveLength(before);

		const unauthorized = journal.filter((e) => e.path === '/api/inboxes');
		expect(unauthorized.length).toBeGreaterThanOrEqual(1);
		for (const e of unauthorized) expect([e.status, e.auth, e.keyMatched]).toEqual([401, 'api_key', false]);
		const error = run!.data.resultData.error!;
		expect(error.node?.name).toBe('Wrong key');
		expect(`${error.message} ${error.description ?? ''}`).toMatch(/401|Not authenticated/);
		expect(stdout + stderr).not.toContain(WRONG_KEY);
		expect(stdout + stderr).not.toContain(API_KEY);
	});
});

function tourWorkflow(open: WindowContact) {
	const localPhone = `0${open.phone.slice(2, 5)} ${open.phone.slice(5, 9)} ${open.phone.slice(9)}`;
	return {
		id: 'CekatE2eTour0001',
		name: 'e2e: tour of operations',
		nodes: [
			manualTrigger,
			cekatNode('Create order', [250, -300], {
				resource: 'order',
				operation: 'create',
				products: { product: [{ productName: 'Kopi Gayo 250g', quantity: 2, price: 85000 }, { productName: 'Teh Melati', quantity: 1, price: 30000 }] },
				paymentMethod: 'manual',
				bankAccountNumber: 'BCA 1234567890',
				buyer: 'phone',
				phoneNumber: localPhone,
				additionalFields: { shippingFee: 15000, notes: 'n8n e2e' },
			}),
			cekatNode('Mark paid', [500, -300], { resource: 'order', operation: 'update', orderId: byId('={{ $json.id }}'), updateFields: { paymentStatus: 'paid', orderStatus: 'processing' } }),
			cekatNode('Read order', [750, -300], { resource: 'order', operation: 'get', orderId: byId("={{ $('Create order').item.json.id }}") }),
			cekatNode('Reply in chat', [250, -100], {
				resource: 'message',
				operation: 'sendWhatsApp',
				sendTo: 'conversation',
				conversationId: byId(open.conversationId),
				messageType: 'text',
				message: 'Pesanan Anda sudah kami proses',
			}),
			cekatNode('All contacts', [250, 100], { resource: 'contact', operation: 'getAll', returnAll: true }),
			cekatNode('Recent conversations', [250, 300], { resource: 'conversation', operation: 'getAll', returnAll: false, limit: 150 }),
			cekatNode('Sales board', [250, 500], { resource: 'crmBoard', operation: 'get', boardId: { __rl: true, mode: 'list', value: SALES_BOARD_ID, cachedResultName: 'Sales Pipeline' } }),
		],
		connections: connect({
			Start: ['Create order', 'Reply in chat', 'All contacts', 'Recent conversations', 'Sales board'],
			'Create order': ['Mark paid'],
			'Mark paid': ['Read order'],
		}),
	};
}

function failureWorkflow(closed: WindowContact) {
	return {
		id: 'CekatE2eFail0001',
		name: 'e2e: failures',
		nodes: [
			manualTrigger,
			cekatNode(
				'Closed window',
				[250, 0],
				{ resource: 'message', operation: 'sendWhatsApp', sendTo: 'conversation', conversationId: byId(closed.conversationId), messageType: 'text', message: 'Halo' },
				{ onError: 'continueRegularOutput' },
			),
			cekatNode('Wrong key', [500, 0], { resource: 'inbox', operation: 'getAll', returnAll: false, limit: 1 }, {}, WRONG_KEY_CREDENTIAL),
		],
		connections: connect({ Start: ['Closed window'], 'Closed window': ['Wrong key'] }),
	};
}

/** The customer-service actions chained, one item flowing through (pickers saved in list mode, as the editor saves them). */
function serviceWorkflow(sandbox: Sandbox, open: WindowContact) {
	const localPhone = `0${open.phone.slice(2, 5)}-${open.phone.slice(5, 9)}-${open.phone.slice(9)}`;
	const [agent, colleague] = sandbox.store.agents.all();
	const label = sandbox.store.labels[4];
	const status = sandbox.store.pipelines[1];
	const listed = (value: string, cachedResultName: string) => ({ __rl: true, mode: 'list', value, cachedResultName });
	const conversation = byId(open.conversationId);
	const act = (name: string, x: number, operation: string, extra: Record<string, unknown> = {}) =>
		cekatNode(name, [x, 0], { resource: 'conversation', operation, conversationId: conversation, ...extra });
	return {
		id: 'CekatE2eService01',
		name: 'e2e: customer-service actions',
		nodes: [
			manualTrigger,
			cekatNode('Find contact', [200, 0], { resource: 'contact', operation: 'getByPhone', phoneNumber: localPhone }),
			act('Assign agent', 400, 'assignAgent', { agentId: listed(agent.id, agent.name) }),
			act('Add collaborator', 600, 'addCollaborator', { agentId: listed(colleague.id, colleague.name) }),
			act('Add label', 800, 'addLabel', { labelId: listed(label.id, label.name), labelOptions: { value: 150000, currency: 'idr' } }),
			act('Pipeline', 1000, 'setPipelineStatus', { pipelineStatusId: listed(status.id, status.name) }),
			act('Pending', 1200, 'setStageStatus', { stageStatus: 'pending' }),
			act('Block AI', 1400, 'blockAi'),
			act('Unblock AI', 1600, 'unblockAi'),
			act('Remove label', 1800, 'removeLabel', { labelId: listed(label.id, label.name) }),
			cekatNode('Ask with buttons', [2000, 0], {
				resource: 'message',
				operation: 'sendWhatsApp',
				sendTo: 'conversation',
				conversationId: conversation,
				messageType: 'button',
				message: 'Apakah pesanan Anda sudah diterima?',
				replyButtons: { button: [{ id: 'yes', title: 'Sudah' }, { id: 'no', title: 'Belum' }] },
			}),
			act('Resolve', 2200, 'resolve'),
			cekatNode('Store data', [2400, 0], {
				resource: 'contact',
				operation: 'updateAdditionalData',
				contactId: byId("={{ $('Find contact').item.json.id }}"),
				dataMode: 'pairs',
				additionalData: { data: [{ key: 'member_tier', value: 'gold' }] },
			}),
		],
		connections: connect({
			Start: ['Find contact'],
			'Find contact': ['Assign agent'],
			'Assign agent': ['Add collaborator'],
			'Add collaborator': ['Add label'],
			'Add label': ['Pipeline'],
			Pipeline: ['Pending'],
			Pending: ['Block AI'],
			'Block AI': ['Unblock AI'],
			'Unblock AI': ['Remove label'],
			'Remove label': ['Ask with buttons'],
			'Ask with buttons': ['Resolve'],
			Resolve: ['Store data'],
		}),
	};
}
