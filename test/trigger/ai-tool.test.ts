/**
 * The Cekat AI Tool Trigger through n8n-core, against the sandbox's AI tool routes:
 * - the webhook lifecycle as n8n's WebhookService runs it (HookContext: checkExists, then create; delete), with
 *   the checks that fail an activation, Cekat's refusals, the Test URL and split hosts;
 * - the AI agents list through LoadOptionsContext, as the editor loads it;
 * - a tool call: the sandbox calls the registered URL as Cekat's AI agent would (POST /__sandbox/ai-tools/call); a
 *   local stand-in for n8n's webhook route hands it to the node's webhook() (WebhookContext), runs the workflow
 *   (the trigger → a test "Stock" node) through WorkflowExecute and answers as n8n 2.41 does for the response
 *   mode and data the node's webhook description gives (evaluated by the workflow's expression engine).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ExecutionLifecycleHooks, HookContext, LoadOptionsContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	IWebhookData,
	IWebhookDescription,
	WebhookSetupMethodNames,
} from 'n8n-workflow';
import { createRunExecutionData, NodeHelpers, Workflow } from 'n8n-workflow';

import type { AiToolCall, JournalEntry } from '../../sandbox';
import { URLS } from '../engine/harness';
import { findSecret } from '../secrets';
import { additionalData, API_KEY, useTriggerEnv, type TriggerEnv } from './env';

const TYPE = 'n8n-nodes-cekat.cekatAiToolTrigger';
const WEBHOOK_ID = '2f7c1e9a-4b3d-4a6e-8c5f-1d2e3f4a5b6c';
const WORKFLOW_ID = 'ai-tool-test-wf';
const PRODUCTION_URL = `${URLS.webhookBaseUrl}/${WEBHOOK_ID}/tool`;
/** The sandbox's seeded AI agents (seed 42). */
const SEKAR = 'e72e9cb7-2b90-48b6-aa0c-2217c81d61a5';
const KOPI = '16ddd090-1bd6-4688-ae38-4dfb72fd2b02';

const STOCK_TOOL: IDataObject = {
	agentIds: [SEKAR, KOPI],
	toolName: 'check_stock',
	toolDescription: 'Checks whether a product is in stock',
	aiInputs: {
		input: [
			{ name: 'sku', description: 'The product code', type: 'string', required: true, enum: ' KOPI-250, TEH-100 ,' },
			{ name: 'quantity', description: 'How many', type: 'number' },
			{ name: 'gift_wrap', type: 'boolean', required: false, enum: 'ignored for a boolean' },
		],
	},
};

const call = (r: JournalEntry) => `${r.method} ${r.path}`;

function toolNode(parameters: IDataObject): INode {
	return {
		id: 'ai-tool-trigger',
		name: 'Cekat AI Tool Trigger',
		type: TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters: parameters as INodeParameters,
		credentials: { cekatApi: { id: 'cred-1', name: 'Cekat sandbox' } },
	};
}

/** A test node standing in for the workflow's logic (n8n's own nodes are not installed here): a stock lookup. */
const STOCK: Record<string, number> = { 'KOPI-250': 12, 'TEH-100': 0 };
const stockNode: INodeType = {
	description: {
		displayName: 'Stock',
		name: 'stock',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Stock' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	},
	async execute(this: IExecuteFunctions) {
		return [
			this.getInputData().flatMap((item) => {
				const { sku, quantity } = (item.json.inputs ?? {}) as { sku?: string; quantity?: number };
				const available = STOCK[String(sku)] ?? 0;
				// two items, so "All Entries" and "First Entry JSON" differ
				return [{ json: { sku, available, enough: available >= (quantity ?? 1) } }, { json: { note: 'second item' } }];
			}),
		];
	},
};

function nodeTypesWithStock(env: TriggerEnv): INodeTypes {
	const pkg = env.pkg.nodeTypes;
	return {
		getByName: (type) => (type === 'test.stock' ? stockNode : pkg.getByName(type)),
		getByNameAndVersion: (type, version) => (type === 'test.stock' ? stockNode : pkg.getByNameAndVersion(type, version)),
		getKnownTypes: () => pkg.getKnownTypes(),
	};
}

function workflowOf(env: TriggerEnv, node: INode, withStock = false): Workflow {
	const stock: INode = { id: 'stock', name: 'Stock', type: 'test.stock', typeVersion: 1, position: [200, 0], parameters: {} };
	return new Workflow({
		id: WORKFLOW_ID,
		name: 'ai tool test',
		nodes: withStock ? [node, stock] : [node],
		connections: withStock ? { [node.name]: { main: [[{ node: 'Stock', type: 'main', index: 0 }]] } } : {},
		active: true,
		nodeTypes: nodeTypesWithStock(env),
		staticData: {},
		settings: {},
	});
}

interface HookResult {
	value?: boolean;
	error?: Error & { description?: string; httpCode?: string };
	requests: JournalEntry[];
}

/** One webhook method of the node, as n8n's WebhookService runs it (HookContext). */
async function hook(
	env: TriggerEnv,
	method: WebhookSetupMethodNames,
	parameters: IDataObject,
	options: { webhookBaseUrl?: string; test?: boolean; serverUrl?: string; apiKey?: string } = {},
): Promise<HookResult> {
	const node = toolNode(parameters);
	const workflow = workflowOf(env, node);
	const urls = options.webhookBaseUrl ? { webhookBaseUrl: options.webhookBaseUrl } : {};
	const data = additionalData(env.pkg, env.sandbox.url, options.apiKey ?? API_KEY, urls, options.serverUrl ?? env.sandbox.serverUrl);
	const nodeType = env.pkg.nodeTypes.getByNameAndVersion(TYPE, 1);
	const webhookData: IWebhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: `${WEBHOOK_ID}/tool`,
		webhookDescription: nodeType.description.webhooks![0] as IWebhookDescription,
		workflowId: WORKFLOW_ID,
		workflowExecuteAdditionalData: data,
		webhookId: WEBHOOK_ID,
		...(options.test ? { isTest: true } : {}),
	};
	const context = new HookContext(workflow, node, data, options.test ? 'manual' : 'trigger', options.test ? 'manual' : 'activate', webhookData);
	const before = env.sandbox.journal().length;
	const result: HookResult = { requests: [] };
	try {
		result.value = (await nodeType.webhookMethods!.default![method]!.call(context)) as boolean;
	} catch (e) {
		result.error = e as HookResult['error'];
	}
	const leak = findSecret(result.error, options.apiKey ?? API_KEY);
	if (leak) throw new Error(`The API key leaked into the hook's error at ${leak}`);
	result.requests = env.sandbox.journal().slice(before);
	return result;
}

/** Publishing: checkExists, then create when it answered false. */
async function activate(env: TriggerEnv, parameters: IDataObject, options: Parameters<typeof hook>[3] = {}): Promise<HookResult> {
	const check = await hook(env, 'checkExists', parameters, options);
	if (check.error || check.value) return check;
	const create = await hook(env, 'create', parameters, options);
	return { value: false, error: create.error, requests: [...check.requests, ...create.requests] };
}

/**
 * A stand-in for n8n's webhook route (the transport only): webhook() through WebhookContext, the workflow through
 * WorkflowExecute, the answer as n8n's webhook helpers give it for the description's response mode and data.
 */
class ToolEndpoint {
	server!: Server;
	baseUrl = '';
	/** what the trigger output, per call */
	readonly outputs: IDataObject[] = [];

	constructor(
		private readonly env: TriggerEnv,
		public parameters: IDataObject,
	) {}

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			void this.handle(req, res).catch((e: unknown) => {
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ message: (e as Error).message }));
			});
		});
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
		return this;
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private async handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const text = Buffer.concat(chunks).toString('utf8');
		const request = Object.assign(req, { body: text ? JSON.parse(text) : {}, query: {}, params: {} });
		const node = toolNode(this.parameters);
		const workflow = workflowOf(this.env, node, true);
		const nodeType = this.env.pkg.nodeTypes.getByNameAndVersion(TYPE, 1);
		const description = nodeType.description.webhooks![0] as IWebhookDescription;
		const data = additionalData(this.env.pkg, this.env.sandbox.url, API_KEY, { httpRequest: request as never, httpResponse: res as never });
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: `${WEBHOOK_ID}/tool`,
			webhookDescription: description,
			workflowId: WORKFLOW_ID,
			workflowExecuteAdditionalData: data,
			webhookId: WEBHOOK_ID,
		};
		// n8n's evaluateResponseOptions: the description's expressions over the node's parameters (defaults filled in).
		const startNode = workflow.getNode(node.name)!;
		const responseMode = workflow.expression.getSimpleParameterValue(startNode, description.responseMode, 'webhook', {}, undefined, 'onReceived');
		const responseData = workflow.expression.getComplexParameterValue(startNode, description.responseData, 'webhook', {}, undefined, 'firstEntryJson');
		const context = new WebhookContext(workflow, node, data, 'webhook', webhookData, [], null);
		const result = await nodeType.webhook!.call(context);
		const items = result.workflowData![0];
		this.outputs.push(items[0].json);
		const send = (body: unknown) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (responseMode === 'onReceived') {
			// extractWebhookOnReceivedResponse: '' → the node's webhookResponse, else { message: 'Workflow was started' }
			send(responseData || (result.webhookResponse ?? { message: 'Workflow was started' }));
		}
		const hooks = new ExecutionLifecycleHooks('webhook', 'ai-tool-execution', { id: WORKFLOW_ID, name: 'ai tool test', active: true, nodes: [], connections: {} } as never);
		const run = await new WorkflowExecute(
			{ ...additionalData(this.env.pkg, this.env.sandbox.url), hooks },
			'webhook',
			createRunExecutionData({ executionData: { nodeExecutionStack: [{ node: startNode, data: { main: [items] }, source: null }] } }),
		).processRunExecutionData(workflow);
		if (responseMode !== 'lastNode') return;
		const last = run.data.resultData.lastNodeExecuted!;
		const output = (run.data.resultData.runData[last][0].data!.main[0] ?? []) as INodeExecutionData[];
		// extractWebhookLastNodeResponse: allEntries → every item's json; firstEntryJson → the first one's
		send(responseData === 'allEntries' ? output.map((i) => i.json) : output[0]?.json);
	}
}

async function callTool(env: TriggerEnv, body: IDataObject): Promise<{ status: number; data: AiToolCall & { error?: { message: string } } }> {
	const res = await env.api.post('/__sandbox/ai-tools/call', body);
	return { status: res.status, data: res.data as AiToolCall & { error?: { message: string } } };
}

describe('Cekat AI Tool Trigger: registration in Cekat', () => {
	const env = useTriggerEnv();
	afterEach(() => {
		env.sandbox.clearFaults();
		env.sandbox.reset();
	});

	it('publish: checkExists answers false (as Cekat’s own node), create sends OFF’s body to the Server URL; the sandbox holds the tool', async () => {
		const result = await activate(env, STOCK_TOOL);
		expect(result.error).toBeUndefined();
		expect(result.requests.map((r) => [call(r), r.auth, r.keyMatched, r.status])).toEqual([['POST /business_workflows/ai-tools/create', 'api_key', true, 200]]);
		expect(result.requests[0].body).toEqual({
			ai_agent_ids: [SEKAR, KOPI],
			name: 'check_stock',
			description: 'Checks whether a product is in stock',
			ai_inputs: [
				{ name: 'sku', description: 'The product code', type: 'string', required: true, enum: ['KOPI-250', 'TEH-100'] },
				{ name: 'quantity', description: 'How many', type: 'number', required: false },
				// Allowed Values apply to text inputs only
				{ name: 'gift_wrap', description: '', type: 'boolean', required: false },
			],
			webhook_url: PRODUCTION_URL,
			workflow_id: WORKFLOW_ID,
		});
		expect(env.sandbox.aiTools()).toEqual([expect.objectContaining({ name: 'check_stock', ai_agent_ids: [SEKAR, KOPI], webhook_url: PRODUCTION_URL, workflow_id: WORKFLOW_ID })]);
	});

	it('no inputs and no description: ai_inputs null and description "" (what Cekat’s own node sends)', async () => {
		const result = await activate(env, { agentIds: [SEKAR], toolName: 'ping' });
		expect(result.error).toBeUndefined();
		expect(result.requests[0].body).toEqual({ ai_agent_ids: [SEKAR], name: 'ping', description: '', ai_inputs: null, webhook_url: PRODUCTION_URL, workflow_id: WORKFLOW_ID });
	});

	it('publishing again (n8n restarting, or an edit) creates again; the sandbox keeps one tool per URL', async () => {
		await activate(env, STOCK_TOOL);
		const again = await activate(env, { ...STOCK_TOOL, toolDescription: 'Stock of coffee and tea' });
		expect(again.requests.map(call)).toEqual(['POST /business_workflows/ai-tools/create']);
		expect(env.sandbox.aiTools().map((t) => [t.name, t.description])).toEqual([['check_stock', 'Stock of coffee and tea']]);
	});

	it('unpublish: delete sends { webhook_url }; the tool is gone; a 404 (gone already) is not an error, a 500 is', async () => {
		await activate(env, STOCK_TOOL);
		const off = await hook(env, 'delete', STOCK_TOOL);
		expect(off.error).toBeUndefined();
		expect(off.value).toBe(true);
		expect(off.requests.map((r) => [call(r), r.body, r.status])).toEqual([['POST /business_workflows/ai-tools/delete', { webhook_url: PRODUCTION_URL }, 200]]);
		expect(env.sandbox.aiTools()).toEqual([]);

		env.sandbox.addFault({ path: '/business_workflows/ai-tools/delete', status: 404, body: { success: false, message: 'AI tool not found' } });
		const gone = await hook(env, 'delete', STOCK_TOOL);
		expect([gone.value, gone.error, gone.requests.map((r) => r.status)]).toEqual([true, undefined, [404]]);

		env.sandbox.addFault({ path: '/business_workflows/ai-tools/delete', status: 500, body: { success: false, message: 'Database down' } });
		const failed = await hook(env, 'delete', STOCK_TOOL);
		expect(failed.error?.message).toMatch(/^Cekat error 500: .*Database down/);
	});

	it.each([
		['no AI agent', { agentIds: [] }, 'Choose at least one AI agent'],
		['an empty AI agent id (an expression)', { agentIds: ['', ' '] }, 'Choose at least one AI agent'],
		['no tool name', { toolName: '' }, 'Tool Name "": use 1–64 letters, digits, _ or -, e.g. check_stock'],
		['a tool name with a space', { toolName: 'check stock' }, 'Tool Name "check stock": use 1–64 letters, digits, _ or -, e.g. check_stock'],
		['a tool name of 65 characters', { toolName: 'x'.repeat(65) }, `Tool Name "${'x'.repeat(65)}": use 1–64 letters, digits, _ or -`],
		['an input without a name', { aiInputs: { input: [{ name: '', type: 'string' }] } }, 'AI input name "": use 1–64 letters, digits, _ or -, e.g. sku'],
		['an input name with a dot', { aiInputs: { input: [{ name: 'order.id' }] } }, 'AI input name "order.id": use 1–64 letters'],
		['two inputs with one name', { aiInputs: { input: [{ name: 'sku' }, { name: 'sku', type: 'number' }] } }, 'AI input "sku" is there twice'],
	])('%s: the activation fails with a clear message before any request', async (_what, change, message) => {
		const result = await activate(env, { ...STOCK_TOOL, ...change });
		expect(result.error?.constructor.name).toBe('NodeOperationError');
		expect(result.error?.message).toContain(message);
		expect(result.requests).toEqual([]);
		expect(env.sandbox.aiTools()).toEqual([]);
	});

	it('Cekat refuses (an unknown AI agent: 404; a server error: 500): its message fails the activation; nothing is held', async () => {
		const unknown = await activate(env, { ...STOCK_TOOL, agentIds: ['not-an-agent'] });
		expect(unknown.error?.message).toMatch(/^Cekat error 404: .*AI agent not-an-agent not found/);
		env.sandbox.addFault({ path: '/business_workflows/ai-tools/create', status: 500, body: { success: false, message: 'Could not save the tool' } });
		const failed = await activate(env, STOCK_TOOL);
		expect(failed.error?.message).toMatch(/^Cekat error 500: .*Could not save the tool/);
		expect(env.sandbox.aiTools()).toEqual([]);
	});

	it('a wrong API key: Cekat’s 401, and the key appears nowhere in the error', async () => {
		const result = await activate(env, STOCK_TOOL, { apiKey: 'ck_wrong_ai_tool_key_1' });
		expect(result.error?.message).toMatch(/^Cekat error 401/);
		expect(result.requests.map((r) => [r.auth, r.keyMatched])).toEqual([['api_key', false]]);
	});

	it('the editor’s "Listen for test event" registers the Test URL (and removes it after)', async () => {
		const on = await activate(env, STOCK_TOOL, { test: true });
		expect(on.error).toBeUndefined();
		expect(env.sandbox.aiTools().map((t) => t.webhook_url)).toEqual([`${URLS.webhookTestBaseUrl}/${WEBHOOK_ID}/tool`]);
		await hook(env, 'delete', STOCK_TOOL, { test: true });
		expect(env.sandbox.aiTools()).toEqual([]);
	});

	it('the AI Agents list: Cekat’s AI agents by name (GET /business_workflows/ai-agents), as the editor loads it', async () => {
		const node = toolNode({});
		const workflow = workflowOf(env, node);
		const nodeType = env.pkg.nodeTypes.getByNameAndVersion(TYPE, 1);
		const current = NodeHelpers.getNodeParameters(nodeType.description.properties, {}, true, false, node, nodeType.description) ?? {};
		const data = { ...additionalData(env.pkg, env.sandbox.url, API_KEY, {}, env.sandbox.serverUrl), currentNodeParameters: current };
		const context = new LoadOptionsContext(workflow, node, data, 'parameters');
		const before = env.sandbox.journal().length;
		const options = (await (nodeType.methods!.loadOptions!.getAiAgents as (this: unknown) => Promise<INodePropertyOptions[]>).call(context)) ?? [];
		expect(options).toEqual(env.sandbox.store.aiAgents.map((a) => ({ name: a.name, value: a.id })));
		expect(options.map((o) => o.name)).toEqual(['Sekar AI', 'Asisten Kopi', 'Bot Sales']);
		expect(env.sandbox.journal().slice(before).map(call)).toEqual(['GET /business_workflows/ai-agents']);
	});
});

describe('Cekat AI Tool Trigger: split hosts (AI tools live on the Server URL only)', () => {
	const env = useTriggerEnv({ variant: { hosts: 'split' } });
	afterEach(() => env.sandbox.reset());

	it('create and delete go to the credential’s Server URL', async () => {
		expect(env.sandbox.serverUrl).not.toBe(env.sandbox.url);
		const on = await activate(env, STOCK_TOOL);
		const off = await hook(env, 'delete', STOCK_TOOL);
		expect([...on.requests, ...off.requests].map((r) => [call(r), r.host, r.status])).toEqual([
			['POST /business_workflows/ai-tools/create', 'server', 200],
			['POST /business_workflows/ai-tools/delete', 'server', 200],
		]);
	});
});

describe('Cekat AI Tool Trigger: a call from Cekat’s AI agent runs the workflow and gets its answer', () => {
	const env = useTriggerEnv();
	let endpoint: ToolEndpoint;
	beforeEach(async () => {
		endpoint = await new ToolEndpoint(env, STOCK_TOOL).start();
	});
	afterEach(async () => {
		await endpoint.close();
		env.sandbox.reset();
	});

	it('publish → the sandbox calls the tool with its inputs → the last node’s items come back (All Entries, the default) → unpublish → no tool', async () => {
		const on = await activate(env, STOCK_TOOL, { webhookBaseUrl: endpoint.baseUrl });
		expect(on.error).toBeUndefined();
		const res = await callTool(env, { tool: 'check_stock', agent_id: KOPI, inputs: { sku: 'KOPI-250', quantity: 3 } });
		expect(res.status).toBe(200);
		expect(res.data.request).toEqual({ url: `${endpoint.baseUrl}/${WEBHOOK_ID}/tool`, body: { sku: 'KOPI-250', quantity: 3 } });
		expect(res.data.status).toBe(200);
		expect(res.data.body).toEqual([{ sku: 'KOPI-250', available: 12, enough: true }, { note: 'second item' }]);
		// the trigger's output: the tool's name, its inputs and the body as received
		expect(endpoint.outputs).toEqual([{ tool: 'check_stock', inputs: { sku: 'KOPI-250', quantity: 3 }, body: { sku: 'KOPI-250', quantity: 3 } }]);

		await hook(env, 'delete', STOCK_TOOL, { webhookBaseUrl: endpoint.baseUrl });
		expect((await callTool(env, { tool: 'check_stock' })).status).toBe(404);
	});

	it('First Entry JSON: the first item, as an object', async () => {
		endpoint.parameters = { ...STOCK_TOOL, response: 'firstEntryJson' };
		await activate(env, endpoint.parameters, { webhookBaseUrl: endpoint.baseUrl });
		const res = await callTool(env, { tool: 'check_stock', inputs: { sku: 'TEH-100' } });
		expect(res.data.body).toEqual({ sku: 'TEH-100', available: 0, enough: false });
	});

	it('Immediately: "Workflow was started" at once (n8n’s answer, as with Cekat’s own node), the workflow still runs', async () => {
		endpoint.parameters = { ...STOCK_TOOL, response: 'onReceived' };
		await activate(env, endpoint.parameters, { webhookBaseUrl: endpoint.baseUrl });
		const res = await callTool(env, { tool: 'check_stock', inputs: { sku: 'TEH-100' } });
		expect(res.data.body).toEqual({ message: 'Workflow was started' });
	});

	it('inputs also when Cekat wraps the arguments (an OpenAI-style JSON string under "arguments"): body kept as sent', async () => {
		await activate(env, STOCK_TOOL, { webhookBaseUrl: endpoint.baseUrl });
		const body = { name: 'check_stock', arguments: '{"sku":"KOPI-250","quantity":20}', conversation_id: 'c-1' };
		const res = await callTool(env, { tool: 'check_stock', body });
		expect(res.data.body).toEqual([{ sku: 'KOPI-250', available: 12, enough: false }, { note: 'second item' }]);
		expect(endpoint.outputs).toEqual([{ tool: 'check_stock', inputs: { sku: 'KOPI-250', quantity: 20 }, body }]);
	});

	it('the sandbox calls like a strict function-calling AI: a missing required input, an unknown one or a value outside the allowed ones is refused before the call', async () => {
		await activate(env, STOCK_TOOL, { webhookBaseUrl: endpoint.baseUrl });
		for (const [inputs, message] of [
			[{}, "input 'sku' is required"],
			[{ sku: 'KOPI-250', colour: 'red' }, "the tool 'check_stock' has no input 'colour'"],
			[{ sku: 'ESPRESSO' }, "input 'sku' must be one of: KOPI-250, TEH-100"],
			[{ sku: 'KOPI-250', quantity: '3' }, "input 'quantity' must be a number"],
		] as const) {
			const res = await callTool(env, { tool: 'check_stock', inputs });
			expect([res.status, res.data.error?.message]).toEqual([400, message]);
		}
		expect(endpoint.outputs).toEqual([]);
	});
});
