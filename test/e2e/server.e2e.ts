/**
 * One `n8n start` for the whole file, used the way people use n8n: the node and credential types the editor
 * loads, the credential dialog's Test button, the editor's pickers, published webhook and form workflows.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { REPO_DIR, SANDBOX_CREDENTIAL, type N8nServer } from '../../scripts/lib/n8n';
import {
	API_KEY,
	calls,
	contactsByWindow,
	expectAuthenticated,
	LOCALHOST_CREDENTIAL,
	prepareInstance,
	SALES_BOARD_ID,
	WRONG_KEY,
	WRONG_KEY_CREDENTIAL,
	type E2eInstance,
	type WindowContact,
} from './helpers';

/** The editor sends a node's parameters with their defaults: the hidden `authentication` that picks the Cekat API credential (the Event resource's is cekatEventsApi). */
const EDITOR_DEFAULTS = { authentication: 'cekatApi' };

const OWNER = { email: 'e2e@cekat.local', password: 'CekatE2e2026', firstName: 'End', lastName: 'ToEnd' };
const NEW_LEAD_GROUP = '1bb6caaa-461e-440b-b8c8-d4e30090fa14';
const KOPI_INBOX = 'eb8360fb-0665-4481-9926-639b96e17e51';
const PROMO_TEMPLATE = '1331193203051637';

interface NodeTypeDescription {
	name: string;
	displayName: string;
	usableAsTool?: boolean;
	inputs: unknown;
	outputs: unknown;
	credentials?: Array<{ name: string; required?: boolean }>;
	iconUrl?: { light: string; dark: string };
	properties: Array<{ name: string }>;
}
interface MapperField {
	id: string;
	type: string;
	required: boolean;
	options?: Array<{ name: string; value: string }>;
}

const example = (file: string) => JSON.parse(readFileSync(path.join(REPO_DIR, 'examples', file), 'utf8')) as {
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown> }>;
	connections: Record<string, Record<string, Array<Array<{ node: string }>>>>;
};

describe('n8n start: editor, credential test, webhook and form workflows', () => {
	let env: E2eInstance;
	let server: N8nServer;
	let open: WindowContact;
	let closed: WindowContact;
	/** n8n's log up to "Editor is now accessible": loading the nodes and credentials */
	let startupLog: string;

	beforeAll(async () => {
		env = await prepareInstance();
		({ open: [open], closed: [closed] } = contactsByWindow(env.sandbox));
		server = await env.n8n.start();
		startupLog = server.log;
		await server.setupOwnerAndLogin(OWNER);
		// the editor's Publish button, for the two examples with a webhook / form trigger
		await server.publishWorkflow('CekatExample0001');
		await server.publishWorkflow('CekatExample0003');
		await server.waitForWebhook('/webhook/cekat-order-confirmation');
		await server.waitForWebhook('/form/cekat-new-lead');
	});
	afterAll(async () => {
		await server?.stop();
		await env?.cleanup();
	});
	beforeEach(() => env.sandbox.clearJournal());

	it('loads the node, its AI-tool variant and the credential type without errors', async () => {
		expect(startupLog).toContain('Editor is now accessible');
		const errorLines = startupLog.split('\n').filter((line) => /cekat/i.test(line) && /error|fail|warn/i.test(line));
		expect(errorLines).toEqual([]);
		expect(startupLog).not.toMatch(/Failed to load package/);

		const types = (await (await server.http('/types/nodes.json')).json()) as NodeTypeDescription[];
		const cekat = types.find((t) => t.name === 'n8n-nodes-cekat.cekat');
		const tool = types.find((t) => t.name === 'n8n-nodes-cekat.cekatTool');
		expect(cekat).toEqual(expect.objectContaining({ displayName: 'Cekat', usableAsTool: true, inputs: ['main'], outputs: ['main'], credentials: [
				{ name: 'cekatApi', required: true, displayOptions: { show: { authentication: ['cekatApi'] } } },
				{ name: 'cekatEventsApi', required: true, displayOptions: { show: { authentication: ['cekatEventsApi'] } } },
			] }));
		expect(tool).toEqual(expect.objectContaining({ inputs: [], outputs: ['ai_tool'] }));
		expect(cekat!.properties.map((p) => p.name)).toEqual(expect.arrayContaining(['resource', 'operation']));

		// the icons the editor shows are served from the installed package
		for (const url of [cekat!.iconUrl!.light, cekat!.iconUrl!.dark]) {
			const res = await server.http(`/${url}`);
			expect([url, res.status, res.headers.get('content-type')]).toEqual([url, 200, expect.stringContaining('svg')]);
			expect(await res.text()).toContain('<svg');
		}

		const credentialTypes = (await (await server.http('/types/credentials.json')).json()) as Array<{ name: string; properties: Array<{ name: string; typeOptions?: { password?: boolean } }> }>;
		const credential = credentialTypes.find((c) => c.name === 'cekatApi');
		// (n8n appends its own allowedHttpRequestDomains / allowedDomains to every credential type)
		expect(credential?.properties.map((p) => p.name).slice(0, 2)).toEqual(['apiKey', 'baseUrl']);
		expect(credential?.properties[0].typeOptions?.password).toBe(true);
	});

	it('credential Test: passes with the right key (also via localhost with a trailing slash), fails with a wrong one', async () => {
		expect(await server.testCredential(SANDBOX_CREDENTIAL.id)).toEqual(expect.objectContaining({ status: 'OK' }));
		const right = env.sandbox.journal();
		expect(calls(right)).toEqual(['GET /api/inboxes']);
		expect(right[0].query).toEqual({ limit: '1' });
		expectAuthenticated(right);

		env.sandbox.clearJournal();
		const wrong = await server.testCredential(WRONG_KEY_CREDENTIAL.id);
		expect(wrong.status).toBe('Error');
		expect(JSON.stringify(wrong)).not.toContain(WRONG_KEY);
		const wrongCalls = env.sandbox.journal();
		expect(wrongCalls.length).toBeGreaterThanOrEqual(1);
		for (const e of wrongCalls) expect([e.method, e.path, e.status, e.auth, e.keyMatched]).toEqual(['GET', '/api/inboxes', 401, 'api_key', false]);

		env.sandbox.clearJournal();
		expect(await server.testCredential(LOCALHOST_CREDENTIAL.id)).toEqual(expect.objectContaining({ status: 'OK' }));
		expect(env.sandbox.journal().map((e) => [e.path, e.status, e.keyMatched])).toEqual([['/api/inboxes', 200, true]]);
	});

	it('the editor’s board picker and column mapper load from Cekat; the examples’ stored columns match them', async () => {
		const base = { nodeTypeAndVersion: { name: 'n8n-nodes-cekat.cekat', version: 1 }, credentials: { cekatApi: SANDBOX_CREDENTIAL } };
		const boards = await server.rest<{ results: Array<{ name: string; value: string }> }>('POST', '/dynamic-node-parameters/resource-locator-results', {
			...base,
			path: 'boardId',
			methodName: 'searchBoards',
			currentNodeParameters: { ...EDITOR_DEFAULTS, resource: 'crmItem', operation: 'create' },
		});
		expect(boards.status).toBe(200);
		expect(boards.body.data?.results).toEqual(env.sandbox.store.boards.all().map((b) => ({ name: b.name, value: b.id })));

		const board = env.sandbox.store.boards.get(SALES_BOARD_ID)!;
		const fieldsFor = async (operation: string) => {
			const res = await server.rest<{ fields: MapperField[] }>('POST', '/dynamic-node-parameters/resource-mapper-fields', {
				...base,
				path: 'columns',
				methodName: 'getColumns',
				currentNodeParameters: { ...EDITOR_DEFAULTS, resource: 'crmItem', operation, boardId: { __rl: true, mode: 'list', value: SALES_BOARD_ID } },
			});
			expect(res.status).toBe(200);
			return res.body.data!.fields;
		};
		const createFields = await fieldsFor('create');
		const writable = board.crm_columns.filter((c) => !c.read_only && c.is_visible !== false);
		expect(createFields.map((f) => [f.id, f.required])).toEqual(writable.map((c) => [c.name, c.is_required]));
		const stage = createFields.find((f) => f.id === 'Stage')!;
		// The editor offers label names; the stored choice is Cekat's label id.
		expect(stage.options?.map((o) => [o.name, o.value])).toEqual(
			(board.crm_columns.find((c) => c.name === 'Stage')!.settings as { labels: Array<{ id: string; name: string }> }).labels.filter((l) => l.id !== 'default').map((l) => [l.name, l.id]),
		);
		// Hidden and read-only columns are not offered.
		expect(createFields.map((f) => f.id)).not.toContain('Internal Notes');

		// The Group picker (inside Additional Fields) and a search rule's label list, as the editor asks for them.
		const groups = await server.rest<{ results: Array<{ name: string; value: string }> }>('POST', '/dynamic-node-parameters/resource-locator-results', {
			...base,
			path: 'additionalFields.group',
			methodName: 'searchGroups',
			currentNodeParameters: { ...EDITOR_DEFAULTS, resource: 'crmItem', operation: 'create', boardId: { __rl: true, mode: 'list', value: SALES_BOARD_ID }, additionalFields: {} },
		});
		expect(groups.status).toBe(200);
		expect(groups.body.data?.results).toEqual(board.crm_groups.map((g) => ({ name: g.name, value: g.id })));
		const labels = await server.rest<Array<{ name: string; value: string }>>('POST', '/dynamic-node-parameters/options', {
			...base,
			path: 'parameters.rules.rule[0].labels',
			methodName: 'getColumnLabels',
			currentNodeParameters: {
				...EDITOR_DEFAULTS,
				resource: 'crmItem',
				operation: 'search',
				boardId: { __rl: true, mode: 'list', value: SALES_BOARD_ID },
				condition: 'AND',
				rules: { rule: [{ column: 'Tags', operator: 'equals', labels: [], value: '' }] },
			},
		});
		expect(labels.status).toBe(200);
		expect(labels.body.data).toEqual([
			{ name: 'VIP', value: '0' },
			{ name: 'Reseller', value: '1' },
			{ name: 'Repeat Buyer', value: '2' },
			{ name: 'Wholesale', value: '3' },
		]);

		// The customer-service pickers, as the editor asks for them (From List of each new locator).
		const picker = async (path: string, methodName: string, operation: string, resource = 'conversation') => {
			const res = await server.rest<{ results: Array<{ name: string; value: string }> }>('POST', '/dynamic-node-parameters/resource-locator-results', {
				...base,
				path,
				methodName,
				currentNodeParameters: { ...EDITOR_DEFAULTS, resource, operation },
			});
			expect(res.status).toBe(200);
			return res.body.data!.results.map((r) => r.value);
		};
		const { store } = env.sandbox;
		expect(await picker('agentId', 'searchAgents', 'assignAgent')).toEqual(expect.arrayContaining(store.agents.all().slice(0, 5).map((a) => a.id)));
		expect(await picker('labelId', 'searchConversationLabels', 'addLabel')).toEqual(store.labels.map((l) => l.id));
		expect(await picker('pipelineStatusId', 'searchPipelineStatuses', 'setPipelineStatus')).toEqual(store.pipelines.map((p) => p.id));
		expect(await picker('updateFields.assignedAiAgent', 'searchAiAgents', 'update')).toEqual(store.aiAgents.map((a) => a.id));
		expect((await picker('contactId', 'searchContacts', 'updateAdditionalData', 'contact')).length).toBeGreaterThan(0);
		expect((await picker('conversationId', 'searchConversations', 'resolve')).length).toBeGreaterThan(0);

		// The schemas saved in the examples are what the editor loads for the sandbox's board.
		const fields = { create: createFields, update: await fieldsFor('update') } as Record<string, MapperField[]>;
		for (const file of ['new-lead.json', 'paid-orders-to-crm.json']) {
			for (const node of example(file).nodes.filter((n) => n.parameters.columns)) {
				const stored = (node.parameters.columns as { schema: MapperField[] }).schema;
				const loaded = fields[node.parameters.operation as string];
				expect({ node: node.name, schema: stored.map((f) => [f.id, f.type, f.required]) }).toEqual({ node: node.name, schema: loaded.map((f) => [f.id, f.type, f.required]) });
			}
		}
	});

	it('example "order confirmation": a POST to the published webhook sends the customer a WhatsApp message', async () => {
		const localPhone = `0${open.phone.slice(2, 5)} ${open.phone.slice(5, 9)} ${open.phone.slice(9)}`;
		const firstName = open.name.split(' ')[0];
		const res = await server.http('/webhook/cekat-order-confirmation', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ order_number: 'SHOP-1001', customer_name: firstName, phone: localPhone, total: 1250000 }),
		});
		const text = `Halo ${firstName}, terima kasih! Pesanan SHOP-1001 sebesar Rp 1.250.000 sudah kami terima dan sedang kami proses.`;
		const answer = (await res.json()) as Record<string, unknown>;
		expect(res.status).toBe(200);
		expect(answer).toEqual(expect.objectContaining({ message: text, conversation_id: open.conversationId, status: 'sent' }));

		const journal = env.sandbox.journal();
		expect(calls(journal)).toEqual(['POST /messages/whatsapp']);
		expectAuthenticated(journal);
		expect(journal[0].body).toEqual({ receiver: open.phone, message: text });
		expect(env.sandbox.store.messagesOf(open.conversationId).at(-1)).toEqual(expect.objectContaining({ id: answer.id, message: text }));
		expect(JSON.stringify(answer)).not.toContain(API_KEY);
	});

	it('example "order confirmation" outside the 24-hour window: the webhook answers with Cekat\'s status and message, nothing is sent', async () => {
		const before = env.sandbox.store.messagesOf(closed.conversationId).length;
		const res = await server.http('/webhook/cekat-order-confirmation', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ order_number: 'SHOP-1002', customer_name: 'Rina', phone: closed.phone, total: 99000 }),
		});
		const journal = env.sandbox.journal();
		expect(journal.map((e) => [e.method, e.path, e.status])).toEqual([['POST', '/messages/whatsapp', 400]]);
		// what Cekat answers to this send, asked directly: its status and message reach the caller (not n8n's 500 "Error in workflow")
		const direct = await fetch(`${env.sandbox.url}/messages/whatsapp`, {
			method: 'POST',
			headers: { api_key: API_KEY, 'content-type': 'application/json' },
			body: JSON.stringify(journal[0].body),
		});
		expect(direct.status).toBe(400);
		const cekatMessage = ((await direct.json()) as { error: { message: string } }).error.message;
		expect(cekatMessage).toMatch(/24-hour customer service window is closed/);
		expect(res.status).toBe(400);
		expect(res.headers.get('content-type')).toContain('application/json');
		expect(await res.json()).toEqual({ order_number: 'SHOP-1002', error: `Cekat error 400: ${cekatMessage}` });
		expect(env.sandbox.store.messagesOf(closed.conversationId)).toHaveLength(before);

		// n8n records the runs as successes (this one took the Cekat node's error output); the answer comes
		// from the Respond to Webhook node, so the execution may still be finishing: wait for it
		const statuses = async () =>
			(await server.rest<{ results: Array<{ status: string }> }>('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: 'CekatExample0001' }))}`)).body.data?.results.map((e) => e.status);
		const deadline = Date.now() + 10_000;
		while ((await statuses())?.some((status) => status === 'new' || status === 'running') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
		const finished = await statuses();
		expect(finished?.length).toBeGreaterThan(0);
		expect(finished?.filter((status) => status !== 'success')).toEqual([]);
	});

	it('example "new lead": the form creates a CRM lead and sends a WhatsApp template to the new number', async () => {
		const page = await server.http('/form/cekat-new-lead');
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('Tanya produk kami');

		const phone = '6281355550199';
		expect(env.sandbox.store.findContactByPhone(phone)).toBeUndefined();
		const form = new FormData();
		form.append('field-0', 'Dewi Lestari');
		form.append('field-1', '0813-5555-0199');
		form.append('field-2', 'Kopi Gayo 1 kg untuk kafe');
		const res = await server.http('/form/cekat-new-lead', { method: 'POST', body: form });
		expect(res.status).toBe(200);

		const journal = env.sandbox.journal();
		// The board is read first: the mapper's label names become Cekat's label ids.
		expect(calls(journal)).toEqual([`GET /api/crm/boards/${SALES_BOARD_ID}`, `POST /api/crm/boards/${SALES_BOARD_ID}/items`, 'POST /templates/send']);
		expectAuthenticated(journal);
		expect(journal[1].body).toEqual({
			item_name: 'Dewi Lestari',
			group_id: NEW_LEAD_GROUP,
			Stage: '0', // New Lead
			'Lead Source': '2', // Website
			'Customer Phone': phone,
			Notes: 'Kopi Gayo 1 kg untuk kafe',
		});
		expect(journal[2].body).toEqual({
			inbox_id: KOPI_INBOX,
			wa_template_id: PROMO_TEMPLATE,
			phone_number: phone,
			phone_name: 'Dewi Lestari',
			template_body_variables: ['Dewi Lestari', 'member baru', '10%'],
		});
		expect(journal.map((e) => e.status)).toEqual([200, 200, 200]);

		const lead = env.sandbox.store.crmItems.all().find((i) => i.item_name === 'Dewi Lestari')!;
		expect(lead).toEqual(expect.objectContaining({ board_id: SALES_BOARD_ID, group_id: NEW_LEAD_GROUP }));
		expect(lead.values).toEqual(expect.objectContaining({ Stage: '0', 'Customer Phone': phone, 'Lead Source': '2' }));
		const contact = env.sandbox.store.findContactByPhone(phone)!;
		expect(contact.contact_name).toBe('Dewi Lestari');
		const conversation = env.sandbox.store.conversations.all().find((c) => c.contact_id === contact.id)!;
		expect(env.sandbox.store.messagesOf(conversation.id).at(-1)).toEqual(
			expect.objectContaining({ message: 'Halo Dewi Lestari, ada promo member baru diskon 10% khusus hari ini!', is_template: true }),
		);

		// n8n recorded a successful execution of the example
		const executions = await server.rest<{ results: Array<{ workflowId: string; status: string }> }>('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: 'CekatExample0003' }))}`);
		expect(executions.body.data?.results.map((e) => e.status)).toEqual(['success']);
	});

	it('example "AI agent": imported, with three Cekat tool nodes wired to the agent', async () => {
		const wf = await server.rest<{ nodes: Array<{ name: string; type: string }>; connections: Record<string, Record<string, Array<Array<{ node: string }>>>> }>('GET', '/workflows/CekatExample0004');
		expect(wf.status).toBe(200);
		const tools = wf.body.data!.nodes.filter((n) => n.type === 'n8n-nodes-cekat.cekatTool').map((n) => n.name);
		expect(tools).toEqual(['Find orders', 'Find CRM deal', 'Send WhatsApp message']);
		for (const name of tools) expect(wf.body.data!.connections[name].ai_tool[0][0].node).toBe('AI Agent');
		// the tool node type the workflow uses is one n8n knows (checked in the first test), with the tool description input
		const types = (await (await server.http('/types/nodes.json')).json()) as NodeTypeDescription[];
		const tool = types.find((t) => t.name === 'n8n-nodes-cekat.cekatTool')!;
		expect(tool.properties.map((p) => p.name)).toEqual(expect.arrayContaining(['toolDescription', 'resource', 'operation']));
	});

	it('stops cleanly', async () => {
		expect(await server.stop()).toBe(0);
		expect(server.log).not.toContain(API_KEY);
	});
});
