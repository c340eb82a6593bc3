/**
 * Cekat AI Tool Trigger: the workflow becomes a tool that Cekat's AI agents can call (docs/ai-tool-trigger.md).
 *
 * Evidenced (OFF: Cekat's own n8n node, nodes/Cekat/CekatAiToolTrigger.node.ts, read whole):
 * - activation: POST /business_workflows/ai-tools/create { ai_agent_ids, name, description, ai_inputs, webhook_url,
 *   workflow_id } on the server host; ai_inputs is null or [{ name, description, type: string|number|boolean,
 *   required, enum?: string[] }]. OFF's checkExists always answers false, so create runs on every activation
 *   (n8n restarts too): Cekat must take a repeated create for the same URL. We do the same.
 * - deactivation: POST /business_workflows/ai-tools/delete { webhook_url }.
 * - the call: a POST to the webhook; OFF outputs the body as `body` and answers as n8n's Webhook node does,
 *   "When Last Node Finishes" + "All Entries" by default (a JSON array of the last node's items).
 * NOT evidenced: the answers of create/delete (OFF only logs them), the body Cekat's AI agent POSTs (so `inputs`
 * reads it flat or from a wrapper, below), what Cekat does with the answer, the tool name rules (we keep to the
 * usual function-calling rule, [A-Za-z0-9_-]{1,64}). Respond to Webhook does not work here: from its version 1.1
 * it refuses to run unless n8n's own Webhook, Form, Chat or Wait node is upstream.
 */
import type {
	IDataObject,
	IHookFunctions,
	JsonObject,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { searchAiAgents } from '../Cekat/methods/listSearch';
import { CEKAT_TRIGGER_ICON } from '../CekatTrigger/icon';
import { cekatApiRequest, type CekatRequestContext } from '../Cekat/shared/transport';
import { isObject } from '../shared/cekatShapes';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const RULE = '1–64 letters, digits, _ or -';
/** Where a wrapped call may carry the arguments (guesses: OpenAI-style `arguments` may be a JSON string). */
const WRAPPERS = ['arguments', 'inputs', 'input', 'parameters', 'data'];

interface Input {
	name: string;
	description?: string;
	type?: string;
	required?: boolean;
	enum?: string;
}

/** The create body from the node's fields, checked here so a mistake fails the activation with a clear message. */
export function toolOf(ctx: IHookFunctions): IDataObject {
	const fail = (message: string): never => {
		throw new NodeOperationError(ctx.getNode(), message);
	};
	const agents = ([] as unknown[]).concat(ctx.getNodeParameter('agentIds', []) ?? []).map((a) => String(a).trim()).filter((a) => a);
	if (!agents.length) fail('Choose at least one AI agent');
	const name = String(ctx.getNodeParameter('toolName', '')).trim();
	if (!NAME.test(name)) fail(`Tool Name "${name}": use ${RULE}, e.g. check_stock`);
	const inputs = ((ctx.getNodeParameter('aiInputs', {}) as IDataObject).input ?? []) as Input[];
	const seen = new Set<string>();
	const aiInputs = inputs.map((i) => {
		const n = String(i.name ?? '').trim();
		if (!NAME.test(n)) fail(`AI input name "${n}": use ${RULE}, e.g. sku`);
		if (seen.has(n)) fail(`AI input "${n}" is there twice`);
		seen.add(n);
		const type = i.type ?? 'string';
		const values = type === 'string' ? String(i.enum ?? '').split(',').map((v) => v.trim()).filter((v) => v) : [];
		return { name: n, description: String(i.description ?? ''), type, required: i.required === true, ...(values.length ? { enum: values } : {}) };
	});
	return {
		ai_agent_ids: agents,
		name,
		description: String(ctx.getNodeParameter('toolDescription', '')),
		// OFF sends null when there are no inputs.
		ai_inputs: aiInputs.length ? aiInputs : null,
		webhook_url: ctx.getNodeWebhookUrl('default'),
		workflow_id: ctx.getWorkflow().id,
	};
}

const request = async (ctx: IHookFunctions, path: string, body: IDataObject) =>
	// The hook context has the request helpers cekatApiRequest uses; /business_workflows/* goes to the Server URL.
	await cekatApiRequest.call(ctx as unknown as CekatRequestContext, 'POST', `/business_workflows/ai-tools/${path}`, {}, body);

const parsed = (v: unknown): unknown => {
	if (typeof v !== 'string') return v;
	try {
		return JSON.parse(v);
	} catch {
		return v;
	}
};

/** The tool's arguments: the body itself, unless only a wrapper (`arguments`…) holds a declared input. */
export function inputsOf(body: unknown, names: string[]): IDataObject {
	if (!isObject(body)) return {};
	const has = (o: IDataObject) => names.some((n) => n in o);
	return has(body) ? body : (WRAPPERS.map((k) => parsed(body[k])).filter(isObject).find(has) ?? body);
}

export class CekatAiToolTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cekat AI Tool Trigger',
		name: 'cekatAiToolTrigger',
		// The same relative path as the Cekat Trigger's (one folder below dist/nodes).
		icon: CEKAT_TRIGGER_ICON,
		group: ['trigger'],
		version: 1,
		description: 'Let Cekat AI agents call this workflow as a tool',
		subtitle: '={{$parameter.toolName}}',
		defaults: { name: 'Cekat AI Tool Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cekatApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: '={{$parameter.response == "onReceived" ? "onReceived" : "lastNode"}}',
				// '' when answering at once: n8n then sends { message: "Workflow was started" } (as OFF's node does).
				responseData: '={{$parameter.response == "onReceived" ? "" : $parameter.response}}',
				path: 'tool',
			},
		],
		properties: [
			{
				displayName: 'Publishing adds this tool to the AI agents in Cekat; unpublishing removes it. Inputs: $json.inputs.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'AI Agent Names or IDs',
				name: 'agentIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getAiAgents' },
				required: true,
				default: [],
				description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			},
			{
				displayName: 'Tool Name',
				name: 'toolName',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. check_stock',
				description: RULE,
			},
			{
				displayName: 'Tool Description',
				name: 'toolDescription',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'What the tool does and when to use it (for the AI agent)',
			},
			{
				displayName: 'AI Inputs',
				name: 'aiInputs',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Input',
				default: {},
				description: 'What the AI agent passes to the tool',
				options: [
					{
						name: 'input',
						displayName: 'Input',
						values: [
							{
								displayName: 'Allowed Values',
								name: 'enum',
								type: 'string',
								default: '',
								placeholder: 'e.g. small, medium, large',
								description: 'Comma-separated: the only values allowed',
								displayOptions: { show: { type: ['string'] } },
							},
							{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'What to pass here' },
							{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. sku', description: RULE },
							{ displayName: 'Required', name: 'required', type: 'boolean', default: false, description: 'Whether the AI agent must pass it' },
							{
								displayName: 'Type',
								name: 'type',
								type: 'options',
								options: [
									{ name: 'Boolean', value: 'boolean' },
									{ name: 'Number', value: 'number' },
									{ name: 'String', value: 'string' },
								],
								default: 'string',
								description: 'The type of the value',
							},
						],
					},
				],
			},
			{
				displayName: 'Response',
				name: 'response',
				type: 'options',
				options: [
					{ name: 'All Entries', value: 'allEntries', description: 'When the last node finishes: its items, as a JSON array' },
					{ name: 'First Entry JSON', value: 'firstEntryJson', description: 'When the last node finishes: its first item' },
					{ name: 'Immediately', value: 'onReceived', description: '"Workflow was started", no result' },
				],
				default: 'allEntries',
				description: 'What the AI agent gets back',
			},
		],
	};

	methods = {
		loadOptions: {
			/** Cekat's AI agents (GET /business_workflows/ai-agents, through the pickers' search), all pages. */
			async getAiAgents(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const all: INodePropertyOptions[] = [];
				let token: string | undefined;
				do {
					// Its items are { name, value }: options as they are.
					const page = await searchAiAgents.call(this, undefined, token);
					all.push(...(page.results as INodePropertyOptions[]));
					token = page.paginationToken as string | undefined;
				} while (token);
				return all;
			},
		},
	};

	webhookMethods = {
		default: {
			/** As OFF: always create (Cekat is not evidenced to list tools). */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				await request(this, 'create', toolOf(this));
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default');
				try {
					await request(this, 'delete', { webhook_url: url });
				} catch (error) {
					if (!(error instanceof NodeApiError && error.httpCode === '404')) throw new NodeApiError(this.getNode(), error as JsonObject);
					this.logger.warn(`Cekat: no AI tool to delete for ${String(url)}`);
				}
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const body = this.getBodyData();
		const names = (((this.getNodeParameter('aiInputs', {}) as IDataObject).input ?? []) as Input[]).map((i) => String(i.name).trim());
		const json = { tool: this.getNodeParameter('toolName', '') as string, inputs: inputsOf(body, names), body };
		return { workflowData: [[{ json }]] };
	}
}
