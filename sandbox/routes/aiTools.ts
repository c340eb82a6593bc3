/**
 * Cekat AI tools: a workflow registered as a tool of Cekat's AI agents (OFF: Cekat's own n8n node,
 * nodes/Cekat/CekatAiToolTrigger.node.ts), on the server host (/business_workflows/*).
 *
 * Evidenced (OFF): the paths and the bodies.
 *   POST /business_workflows/ai-tools/create { ai_agent_ids: string[], name, description, ai_inputs: null |
 *     [{ name, description, type: 'string' | 'number' | 'boolean', required, enum?: string[] }], webhook_url, workflow_id }
 *   POST /business_workflows/ai-tools/delete { webhook_url }
 * NOT evidenced (OFF only logs the answers; docs/ai-tool-trigger.md):
 *   - the answers: create → { success: true, data: <tool> }, delete → { success: true, data: { removed: n } } (0 when
 *     none: deleting is idempotent); 400 in the validation envelope, 404 { success: false, message } for an unknown
 *     AI agent;
 *   - a create for a webhook_url that already has a tool REPLACES it: OFF's checkExists always answers false, so it
 *     creates again on every activation (n8n restarts too), which Cekat must take without piling up tools;
 *   - the name rule [A-Za-z0-9_-]{1,64} (the usual function-calling rule; Cekat's is unknown);
 *   - how Cekat's AI agent calls a tool: the control route below POSTs the arguments as a flat JSON object to the
 *     webhook URL (or any `body` given as is), and shows what the workflow answered.
 * Controls: GET /__sandbox/ai-tools → { tools }; POST /__sandbox/ai-tools/call { tool: <id or name>, agent_id?,
 * inputs?, body?, timeout_ms? } → { tool, request: { url, body }, status, content_type, body }.
 */
import type { FastifyInstance } from 'fastify';

import { ApiError, badRequest } from '../errors';
import type { Store } from '../store';
import { checkWebhookUrl } from '../subscriptions';

export type AiInputType = 'string' | 'number' | 'boolean';

export interface AiToolInput {
	name: string;
	description: string;
	type: AiInputType;
	required: boolean;
	enum?: string[];
}

export interface AiTool {
	id: string;
	name: string;
	description: string;
	ai_agent_ids: string[];
	ai_inputs: AiToolInput[] | null;
	webhook_url: string;
	workflow_id: string | null;
	created_at: string;
}

/** What a tool call answered (POST /__sandbox/ai-tools/call). */
export interface AiToolCall {
	tool: AiTool;
	request: { url: string; body: unknown };
	status: number;
	content_type: string | null;
	body: unknown;
}

const TYPES: AiInputType[] = ['string', 'number', 'boolean'];
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const DEFAULT_TIMEOUT_MS = 30_000;

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The registered tools; sb.reset() empties it. */
export class AiTools {
	private list: AiTool[] = [];
	private next = 1;

	all(): AiTool[] {
		return this.list.map((t) => structuredClone(t));
	}

	/** A tool for a URL that has one replaces it (assumed, see above). */
	upsert(input: Omit<AiTool, 'id' | 'created_at'>, nowIso: string): AiTool {
		this.list = this.list.filter((t) => t.webhook_url !== input.webhook_url);
		const tool: AiTool = { id: `ai-tool-${this.next++}`, ...input, created_at: nowIso };
		this.list.push(tool);
		return tool;
	}

	removeByUrl(url: string): number {
		const before = this.list.length;
		this.list = this.list.filter((t) => t.webhook_url !== url);
		return before - this.list.length;
	}

	clear(): void {
		this.list = [];
		this.next = 1;
	}
}

function text(body: Rec, field: string, required: boolean): string {
	const v = body[field];
	if (v === undefined || v === null) {
		if (required) throw badRequest(field, `${field} is required`);
		return '';
	}
	if (typeof v !== 'string') throw badRequest(field, `${field} must be a string`);
	if (required && v.trim() === '') throw badRequest(field, `${field} is required`);
	return v;
}

function parseInputs(raw: unknown): AiToolInput[] | null {
	if (raw === undefined || raw === null) return null;
	if (!Array.isArray(raw)) throw badRequest('ai_inputs', 'ai_inputs must be null or a list of { name, description, type, required, enum? }');
	const seen = new Set<string>();
	const inputs = raw.map((entry, i): AiToolInput => {
		const at = `ai_inputs[${i}]`;
		if (!isRec(entry)) throw badRequest(at, `${at} must be an object`);
		const name = text(entry, 'name', true);
		if (!NAME.test(name)) throw badRequest(`${at}.name`, `${at}.name '${name}' must be 1-64 letters, digits, _ or -`);
		if (seen.has(name)) throw badRequest(`${at}.name`, `${at}.name '${name}' is used twice`);
		seen.add(name);
		const type = entry.type ?? 'string';
		if (!TYPES.includes(type as AiInputType)) throw badRequest(`${at}.type`, `${at}.type must be one of: ${TYPES.join(', ')}`);
		if (entry.required !== undefined && typeof entry.required !== 'boolean') throw badRequest(`${at}.required`, `${at}.required must be a boolean`);
		const input: AiToolInput = { name, description: text(entry, 'description', false), type: type as AiInputType, required: entry.required === true };
		if (entry.enum !== undefined && entry.enum !== null) {
			// OFF sends the values of a text field: strings.
			if (!Array.isArray(entry.enum) || entry.enum.length === 0 || !entry.enum.every((v) => typeof v === 'string')) {
				throw badRequest(`${at}.enum`, `${at}.enum must be a non-empty list of strings`);
			}
			input.enum = [...entry.enum] as string[];
		}
		return input;
	});
	return inputs.length ? inputs : null;
}

/** A call as a strict function-calling AI would make it: declared inputs only, of their type and allowed values. */
function checkArguments(tool: AiTool, inputs: Rec): void {
	const declared = tool.ai_inputs ?? [];
	for (const key of Object.keys(inputs)) {
		if (!declared.some((d) => d.name === key)) throw badRequest(`inputs.${key}`, `the tool '${tool.name}' has no input '${key}'`);
	}
	for (const d of declared) {
		const v = inputs[d.name];
		if (v === undefined || v === null) {
			if (d.required) throw badRequest(`inputs.${d.name}`, `input '${d.name}' is required`);
			continue;
		}
		if (typeof v !== d.type || (d.type === 'number' && !Number.isFinite(v))) throw badRequest(`inputs.${d.name}`, `input '${d.name}' must be a ${d.type}`);
		if (d.enum && !d.enum.includes(v as string)) throw badRequest(`inputs.${d.name}`, `input '${d.name}' must be one of: ${d.enum.join(', ')}`);
	}
}

export function registerAiToolRoutes(app: FastifyInstance, { store, aiTools }: { store: Store; aiTools: AiTools }): void {
	const P = '/business_workflows/ai-tools';

	app.post(`${P}/create`, async (req) => {
		if (!isRec(req.body)) throw badRequest('body', 'Request body must be a JSON object');
		const body = req.body;
		// 400s first, then 404s, then the change.
		const ids = body.ai_agent_ids;
		if (!Array.isArray(ids) || ids.length === 0) throw badRequest('ai_agent_ids', 'ai_agent_ids must be a non-empty list of AI agent ids');
		for (const [i, id] of ids.entries()) if (typeof id !== 'string' || id === '') throw badRequest(`ai_agent_ids[${i}]`, `ai_agent_ids[${i}] must be an AI agent id`);
		const name = text(body, 'name', true);
		if (!NAME.test(name)) throw badRequest('name', `name '${name}' must be 1-64 letters, digits, _ or -`);
		const description = text(body, 'description', false);
		const inputs = parseInputs(body.ai_inputs);
		const url = checkWebhookUrl('webhook_url', body.webhook_url);
		const workflowId = body.workflow_id;
		if (workflowId !== undefined && workflowId !== null && typeof workflowId !== 'string' && typeof workflowId !== 'number') throw badRequest('workflow_id', 'workflow_id must be a string');
		const unknown = (ids as string[]).find((id) => !store.aiAgents.some((a) => a.id === id));
		if (unknown !== undefined) throw new ApiError(404, `AI agent ${unknown} not found`);
		const tool = aiTools.upsert(
			{ name, description, ai_agent_ids: [...new Set(ids as string[])], ai_inputs: inputs, webhook_url: url, workflow_id: workflowId === undefined || workflowId === null ? null : String(workflowId) },
			store.nowIso(),
		);
		return { success: true, data: tool };
	});

	app.post(`${P}/delete`, async (req) => {
		if (!isRec(req.body)) throw badRequest('body', 'Request body must be a JSON object');
		const url = text(req.body, 'webhook_url', true);
		return { success: true, data: { removed: aiTools.removeByUrl(url) } };
	});

	// --- controls ----------------------------------------------------------------------------------------
	app.get('/__sandbox/ai-tools', async () => ({ tools: aiTools.all() }));

	app.post('/__sandbox/ai-tools/call', async (req): Promise<AiToolCall> => {
		const body = (req.body ?? {}) as Rec;
		if (!isRec(body)) throw badRequest('body', 'body must be an object { tool, agent_id?, inputs?, body?, timeout_ms? }');
		const key = text(body, 'tool', true);
		const agentId = text(body, 'agent_id', false);
		const matches = aiTools.all().filter((t) => (t.id === key || t.name === key) && (agentId === '' || t.ai_agent_ids.includes(agentId)));
		if (matches.length === 0) throw new ApiError(404, `No AI tool '${key}'${agentId ? ` for AI agent ${agentId}` : ''}`);
		if (matches.length > 1) throw new ApiError(409, `${matches.length} AI tools are named '${key}': call one by its id (${matches.map((t) => t.id).join(', ')})`);
		const [tool] = matches;
		let payload: unknown;
		if (body.body !== undefined) payload = body.body;
		else {
			const inputs = body.inputs ?? {};
			if (!isRec(inputs)) throw badRequest('inputs', 'inputs must be an object { <input name>: value }');
			checkArguments(tool, inputs);
			payload = inputs;
		}
		const timeout = body.timeout_ms ?? DEFAULT_TIMEOUT_MS;
		if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1) throw badRequest('timeout_ms', 'timeout_ms must be a positive integer');
		let res: Response;
		try {
			res = await fetch(tool.webhook_url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(payload),
				signal: AbortSignal.timeout(timeout),
			});
		} catch (e) {
			throw new ApiError(502, `Calling ${tool.webhook_url} failed: ${(e as Error).message}`);
		}
		const raw = await res.text();
		let answer: unknown = raw;
		try {
			answer = raw === '' ? null : JSON.parse(raw);
		} catch {
			// not JSON: the text as it came
		}
		return { tool, request: { url: tool.webhook_url, body: payload }, status: res.status, content_type: res.headers.get('content-type'), body: answer };
	});
}
