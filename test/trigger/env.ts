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
import { PollContext, WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IRun,
	IWebhookData,
	IWebhookDescription,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { startSandbox, type JournalEntry, type Sandbox } from '../../sandbox';
import { loadPackage, runNode, TestCredentialsHelper, URLS, type LoadedPackage } from '../engine/harness';
import { API_KEY } from '../key';
import { findSecret } from '../secrets';

export { API_KEY } from '../key';

export const TRIGGER_TYPE = 'n8n-nodes-cekat.cekatTrigger';
export const WORKFLOW_ID = 'trigger-test-wf';
export const WEBHOOK_ID = '5c1f4d3e-8a1b-4c2d-9e3f-0a1b2c3d4e5f';
export const SALES_BOARD_ID = '659734a9-dfad-4ec5-b138-96cfc05e3a08';

export { byId } from '../engine/env';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function triggerNode(parameters: IDataObject): INode {
	return {
		id: 'cekat-trigger-node',
		name: 'Cekat Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters: parameters as INodeParameters,
		credentials: { cekatApi: { id: 'cred-1', name: 'Cekat sandbox' } },
	};
}

export function additionalData(pkg: LoadedPackage, baseUrl: string, apiKey = API_KEY, extra: Partial<IWorkflowExecuteAdditionalData> = {}): IWorkflowExecuteAdditionalData {
	return {
		...URLS,
		credentialsHelper: new TestCredentialsHelper(pkg.credentialTypes, { 'cred-1': { apiKey, baseUrl } }),
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
export function useTriggerEnv(): TriggerEnv {
	const env = {} as TriggerEnv;
	beforeAll(async () => {
		env.clock = { now: START };
		env.sandbox = await startSandbox({ port: 0, apiKey: API_KEY, now: () => env.clock.now });
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

/** A trigger in Polling mode, activated: its static data lives between polls (as JSON, like n8n's database). */
export class Poller {
	staticDataJson = '{}';

	constructor(
		private readonly env: TriggerEnv,
		readonly parameters: IDataObject,
		private readonly apiKey = API_KEY,
	) {}

	get node(): INode {
		return triggerNode({ mode: 'polling', ...this.parameters });
	}

	/** The node's own static data (what the trigger keeps between polls). */
	get state(): IDataObject {
		return ((JSON.parse(this.staticDataJson) as IDataObject)['node:Cekat Trigger'] ?? {}) as IDataObject;
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
		const nodeType = this.env.pkg.nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 1);
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
	) {}

	get node(): INode {
		return triggerNode({ mode: 'webhook', ...this.parameters });
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
		const description = this.env.pkg.nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 1).description.webhooks![0];
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
		const nodeType = this.env.pkg.nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 1);
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
