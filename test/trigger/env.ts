/**
 * The Cekat Trigger through n8n-core, the way n8n's server drives a trigger:
 * - polls: n8n-core's PollContext on a Workflow whose static data is kept between polls as JSON (as n8n's
 *   database keeps it), `poll()` called as TriggersAndPollers.runPollFunction calls it;
 * - webhooks: a small local HTTP server stands in for n8n's webhook route (the transport only). Each request
 *   goes to the node's webhook() through n8n-core's real WebhookContext, with the workflow's static data
 *   loaded before and saved after (as n8n's LiveWebhooks does); when the node returns workflow data, the
 *   workflow runs through WorkflowExecute in 'webhook' mode (as n8n's WorkflowRunner does), one execution
 *   per accepted event.
 * The sandbox sends real webhook deliveries to that server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import axios, { type AxiosInstance } from 'axios';
import { HookContext, PollContext, WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IRun,
	IWebhookData,
	IWebhookDescription,
	IWorkflowExecuteAdditionalData,
	WebhookSetupMethodNames,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { startSandbox, type JournalEntry, type Sandbox, type SandboxVariant } from '../../sandbox';
import { loadPackage, runNode, TestCredentialsHelper, URLS, type LoadedPackage } from '../engine/harness';
import { API_KEY } from '../key';
import { findSecret } from '../secrets';

export { API_KEY } from '../key';

export const TRIGGER_TYPE = 'n8n-nodes-cekat.cekatTrigger';
export const POLLING_TYPE = 'n8n-nodes-cekat.cekatPollingTrigger';
/** The Cekat Trigger's current version (webhook only, registers itself); 1 is the released one. */
export const TRIGGER_VERSION = 2;
export const WORKFLOW_ID = 'trigger-test-wf';
export const WEBHOOK_ID = '5c1f4d3e-8a1b-4c2d-9e3f-0a1b2c3d4e5f';
export const SALES_BOARD_ID = '659734a9-dfad-4ec5-b138-96cfc05e3a08';

export { byId } from '../engine/env';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Cekat Trigger node (version 2 unless told). */
export function triggerNode(parameters: IDataObject, typeVersion = TRIGGER_VERSION): INode {
	return {
		id: 'cekat-trigger-node',
		name: 'Cekat Trigger',
		type: TRIGGER_TYPE,
		typeVersion,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters: parameters as INodeParameters,
		credentials: { cekatApi: { id: 'cred-1', name: 'Cekat sandbox' } },
	};
}

/** A Cekat Polling Trigger node. */
export function pollingNode(parameters: IDataObject): INode {
	return {
		id: 'cekat-polling-trigger-node',
		name: 'Cekat Polling Trigger',
		type: POLLING_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INodeParameters,
		credentials: { cekatApi: { id: 'cred-1', name: 'Cekat sandbox' } },
	};
}

/** `serverUrl`: the credential's Server URL (subscriptions go there); the sandbox's own by default. */
export function additionalData(
	pkg: LoadedPackage,
	baseUrl: string,
	apiKey = API_KEY,
	extra: Partial<IWorkflowExecuteAdditionalData> = {},
	serverUrl = baseUrl,
): IWorkflowExecuteAdditionalData {
	return {
		...URLS,
		credentialsHelper: new TestCredentialsHelper(pkg.credentialTypes, { 'cred-1': { apiKey, baseUrl, serverUrl } }),
		currentNodeExecutionIndex: 0,
		variables: {},
		executionId: 'trigger-test',
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not used');
		},
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** A Workflow object with the trigger and the given static data (a copy of the stored JSON). */
export function makeWorkflow(pkg: LoadedPackage, node: INode, staticDataJson: string): Workflow {
	return new Workflow({
		id: WORKFLOW_ID,
		name: 'trigger test',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: pkg.nodeTypes,
		staticData: JSON.parse(staticDataJson) as IDataObject,
		settings: {},
	});
}

/** The static data as n8n stores it: saved only when a node changed it (its __dataChanged flag). */
function saveIfChanged(workflow: Workflow, previous: string): string {
	return (workflow.staticData as IDataObject & { __dataChanged?: boolean }).__dataChanged ? JSON.stringify(workflow.staticData) : previous;
}

export interface TriggerEnv {
	sandbox: Sandbox;
	/** the sandbox clock (ms); tests move it forward */
	clock: { now: number };
	api: AxiosInstance;
	pkg: LoadedPackage;
	requests(): JournalEntry[];
}

export const START = Date.parse('2026-06-15T05:00:00.000Z');

/** One sandbox per test file, with a movable clock; a clean journal and deliveries per test. */
export function useTriggerEnv(options: { variant?: Partial<SandboxVariant> } = {}): TriggerEnv {
	const env = {} as TriggerEnv;
	beforeAll(async () => {
		env.clock = { now: START };
		env.sandbox = await startSandbox({ port: 0, apiKey: API_KEY, now: () => env.clock.now, ...(options.variant ? { variant: options.variant } : {}) });
		env.api = axios.create({ baseURL: env.sandbox.url, headers: { api_key: API_KEY }, validateStatus: () => true });
		env.pkg = await loadPackage();
		env.requests = () => env.sandbox.journal();
	});
	beforeEach(() => {
		env.sandbox.clearJournal();
		env.sandbox.webhooks.clearDeliveries();
	});
	afterAll(async () => {
		await env.sandbox?.close();
	});
	return env;
}

export interface PollResult {
	/** What poll() returned: the items' json, or null */
	items: IDataObject[] | null;
	error?: Error & { description?: string; httpCode?: string };
	/** the sandbox requests of this poll */
	requests: JournalEntry[];
}

/** A Cekat Polling Trigger, activated: its static data lives between polls (as JSON, like n8n's database). */
export class Poller {
	staticDataJson = '{}';

	constructor(
		private readonly env: TriggerEnv,
		readonly parameters: IDataObject,
		private readonly apiKey = API_KEY,
		/** The Cekat Trigger v1 (Polling mode unless the parameters say otherwise) instead of the Polling Trigger. */
		private readonly triggerV1 = false,
	) {}

	get node(): INode {
		return this.triggerV1 ? triggerNode({ mode: 'polling', ...this.parameters }, 1) : pollingNode(this.parameters);
	}

	/** The node's own static data (what the trigger keeps between polls). */
	get state(): IDataObject {
		return ((JSON.parse(this.staticDataJson) as IDataObject)[`node:${this.node.name}`] ?? {}) as IDataObject;
	}

	/** One poll, as n8n's poll executor runs it; `budgetMs` stands for n8n's poll budget (default: n8n-core's). */
	async poll(mode: WorkflowExecuteMode = 'trigger', activation: WorkflowActivateMode = 'activate', budgetMs?: number): Promise<PollResult> {
		const node = this.node;
		const workflow = makeWorkflow(this.env.pkg, node, this.staticDataJson);
		const data = additionalData(this.env.pkg, this.env.sandbox.url, this.apiKey);
		const context =
			budgetMs === undefined
				? new PollContext(workflow, node, data, mode, activation)
				: new PollContext(workflow, node, data, mode, activation, undefined, undefined, undefined, undefined, undefined, () => budgetMs);
		const nodeType = this.env.pkg.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const before = this.env.sandbox.journal().length;
		let items: IDataObject[] | null = null;
		let error: PollResult['error'];
		try {
			const result = await nodeType.poll!.call(context);
			items = result === null ? null : result[0].map((item) => item.json);
		} catch (e) {
			error = e as PollResult['error'];
		}
		const leak = findSecret({ items, error }, this.apiKey);
		if (leak) throw new Error(`The API key leaked into the poll's result at ${leak}`);
		this.staticDataJson = saveIfChanged(workflow, this.staticDataJson);
		return { items, error, requests: this.env.sandbox.journal().slice(before) };
	}
}

export interface WebhookCall {
	status: number;
	body: unknown;
	/** the workflow execution it started, if any */
	run?: IRun;
}

/**
 * A stand-in for n8n's webhook route: it receives POSTs on 127.0.0.1 and hands each one to the trigger's
 * webhook() through n8n-core's WebhookContext, loading and saving the workflow's static data around it.
 */
export class WebhookReceiver {
	staticDataJson = '{}';
	readonly calls: WebhookCall[] = [];
	/** the output of each execution, in order */
	readonly executions: IDataObject[][] = [];
	private server!: Server;
	url = '';
	private pending = new Set<Promise<void>>();

	constructor(
		private readonly env: TriggerEnv,
		public parameters: IDataObject,
		/** 1: the released node, in Webhook mode unless the parameters say otherwise. */
		readonly version = TRIGGER_VERSION,
	) {}

	get node(): INode {
		return triggerNode(this.version === 1 ? { mode: 'webhook', ...this.parameters } : this.parameters, this.version);
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			const done = this.handle(req, res).catch((e: unknown) => {
				if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ message: (e as Error).message }));
			});
			this.pending.add(done);
			void done.finally(() => this.pending.delete(done));
		});
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		// The path n8n gives a node with a webhookId: /webhook/<webhookId>/<path>.
		this.url = `http://127.0.0.1:${port}/webhook/${WEBHOOK_ID}/cekat`;
		return this;
	}

	async close(): Promise<void> {
		await this.settle();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** Waits for every request (and the execution it started) received so far. */
	async settle(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
	}

	/** The methods n8n registers for this node's webhook, resolved as its WebhookService does. */
	registeredMethods(): string[] {
		const node = this.node;
		const workflow = makeWorkflow(this.env.pkg, node, '{}');
		const description = this.env.pkg.nodeTypes.getByNameAndVersion(TRIGGER_TYPE, this.version).description.webhooks![0];
		const methods = workflow.expression.getSimpleParameterValue(node, description.httpMethod, 'internal', {}, undefined, 'GET');
		return String(methods)
			.split(',')
			.filter((m) => m)
			.map((m) => m.trim());
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks);
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		// n8n parses JSON bodies before the node sees them and keeps the raw body.
		let body: unknown = {};
		if (String(req.headers['content-type'] ?? '').includes('json') && rawBody.length > 0) {
			try {
				body = JSON.parse(rawBody.toString('utf8'));
			} catch {
				body = {};
			}
		}
		const request = Object.assign(req, { body, rawBody, query: Object.fromEntries(url.searchParams), params: {} });

		const node = this.node;
		const workflow = makeWorkflow(this.env.pkg, node, this.staticDataJson);
		const nodeType = this.env.pkg.nodeTypes.getByNameAndVersion(TRIGGER_TYPE, this.version);
		const description = nodeType.description.webhooks![0] as IWebhookDescription;
		const data = additionalData(this.env.pkg, this.env.sandbox.url, API_KEY, {
			httpRequest: request as never,
			httpResponse: res as never,
		});
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: `${WEBHOOK_ID}/cekat`,
			webhookDescription: description,
			workflowId: WORKFLOW_ID,
			workflowExecuteAdditionalData: data,
			webhookId: WEBHOOK_ID,
		};
		const context = new WebhookContext(workflow, node, data, 'webhook', webhookData, [], null);
		const result = await nodeType.webhook!.call(context);
		// n8n saves the static data once the webhook answered (LiveWebhooks: saveStaticData in the response callback).
		this.staticDataJson = saveIfChanged(workflow, this.staticDataJson);

		const call: WebhookCall = { status: 0, body: undefined };
		this.calls.push(call);
		if (result.noWebhookResponse) {
			call.status = res.statusCode;
			return;
		}
		if (result.workflowData) {
			// responseMode onReceived: n8n answers once the execution has started, with the node's webhookResponse
			// (the description's responseData is empty), else { message: 'Workflow was started' }.
			const started = result.webhookResponse ?? { message: 'Workflow was started' };
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(started));
			call.status = 200;
			call.body = started;
			const items = result.workflowData[0].map((item: INodeExecutionData) => item.json);
			const run = await runNode({
				nodeTypes: this.env.pkg.nodeTypes,
				credentialTypes: this.env.pkg.credentialTypes,
				node,
				items,
				credentials: { apiKey: API_KEY, baseUrl: this.env.sandbox.url },
				mode: 'webhook',
			});
			call.run = run;
			const leak = findSecret(run, API_KEY);
			if (leak) throw new Error(`The API key leaked into the execution data at ${leak}`);
			const output = (run.data.resultData.runData[node.name]?.[0]?.data?.main?.[0] ?? []) as INodeExecutionData[];
			this.executions.push(output.map((item) => item.json));
			return;
		}
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify(result.webhookResponse ?? { message: 'Webhook call received' }));
		call.status = 200;
		call.body = result.webhookResponse;
	}

	/** The node's own static data. */
	get state(): IDataObject {
		return ((JSON.parse(this.staticDataJson) as IDataObject)['node:Cekat Trigger'] ?? {}) as IDataObject;
	}
}

/** Waits until the sandbox has finished `count` deliveries (and the receiver handled them). */
export async function waitForDeliveries(env: TriggerEnv, receiver: WebhookReceiver, count: number, timeoutMs = 10_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		await env.sandbox.webhooks.settle();
		await receiver.settle();
		const done = env.sandbox.webhooks.deliveries().filter((d) => d.status !== null);
		if (done.length >= count) return done;
		if (Date.now() > deadline) throw new Error(`expected ${count} deliveries, got ${done.length}`);
		await sleep(20);
	}
}

export interface HookResult {
	/** What the hook returned (activate: whether the subscription existed, i.e. create was not called). */
	value?: boolean;
	error?: Error & { description?: string; httpCode?: string };
	/** the sandbox requests of this step */
	requests: JournalEntry[];
}

/** Where a workflow's static data lives between steps (a WebhookReceiver, to share it with deliveries). */
export interface StaticDataHolder {
	staticDataJson: string;
}

/**
 * The Cekat Trigger's webhook lifecycle as n8n's WebhookService runs it, through n8n-core's HookContext:
 * activation = checkExists, then create when it answered false; deactivation = delete. The workflow's static data
 * is saved after each step (ActiveWorkflowManager.addWebhooks / deregisterWebhooks save it).
 */
export class Hooks {
	staticDataJson = '{}';

	constructor(
		private readonly env: TriggerEnv,
		public parameters: IDataObject,
		readonly options: {
			/** n8n's webhook base URL (default: the harness's http://localhost:5678/webhook) */
			webhookBaseUrl?: string;
			/** the credential's Server URL (default: the sandbox's serverUrl) */
			serverUrl?: string;
			apiKey?: string;
			holder?: StaticDataHolder;
			/** the editor's "Listen for test event": the test URL */
			test?: boolean;
			/** 1: the released node (its hooks do nothing) */
			version?: number;
		} = {},
	) {}

	get node(): INode {
		return triggerNode(this.parameters, this.options.version ?? TRIGGER_VERSION);
	}

	private get holder(): StaticDataHolder {
		return this.options.holder ?? this;
	}

	/** The URL n8n gives this node (what gets registered, before any secret). */
	get url(): string {
		const base = this.options.test ? URLS.webhookTestBaseUrl : (this.options.webhookBaseUrl ?? URLS.webhookBaseUrl);
		return `${base}/${WEBHOOK_ID}/cekat`;
	}

	get state(): IDataObject {
		return ((JSON.parse(this.holder.staticDataJson) as IDataObject)['node:Cekat Trigger'] ?? {}) as IDataObject;
	}

	async run(method: WebhookSetupMethodNames): Promise<HookResult> {
		const node = this.node;
		const workflow = makeWorkflow(this.env.pkg, node, this.holder.staticDataJson);
		const urls = this.options.webhookBaseUrl ? { webhookBaseUrl: this.options.webhookBaseUrl } : {};
		const data = additionalData(this.env.pkg, this.env.sandbox.url, this.options.apiKey ?? API_KEY, urls, this.options.serverUrl ?? this.env.sandbox.serverUrl);
		const nodeType = this.env.pkg.nodeTypes.getByNameAndVersion(TRIGGER_TYPE, node.typeVersion);
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: `${WEBHOOK_ID}/cekat`,
			webhookDescription: nodeType.description.webhooks![0] as IWebhookDescription,
			workflowId: WORKFLOW_ID,
			workflowExecuteAdditionalData: data,
			webhookId: WEBHOOK_ID,
			...(this.options.test ? { isTest: true } : {}),
		};
		const mode: WorkflowExecuteMode = this.options.test ? 'manual' : 'trigger';
		const context = new HookContext(workflow, node, data, mode, this.options.test ? 'manual' : 'activate', webhookData);
		const before = this.env.sandbox.journal().length;
		const result: HookResult = { requests: [] };
		try {
			result.value = (await nodeType.webhookMethods!.default![method]!.call(context)) as boolean;
		} catch (e) {
			result.error = e as HookResult['error'];
		}
		const leak = findSecret(result.error, this.options.apiKey ?? API_KEY);
		if (leak) throw new Error(`The API key leaked into the hook's error at ${leak}`);
		this.holder.staticDataJson = saveIfChanged(workflow, this.holder.staticDataJson);
		result.requests = this.env.sandbox.journal().slice(before);
		return result;
	}

	/** Publishing: checkExists, then create when it answered false. `value` = what checkExists answered. */
	async activate(): Promise<HookResult> {
		const check = await this.run('checkExists');
		if (check.error || check.value) return check;
		const create = await this.run('create');
		return { value: false, error: create.error, requests: [...check.requests, ...create.requests] };
	}

	async deactivate(): Promise<HookResult> {
		return await this.run('delete');
	}
}
