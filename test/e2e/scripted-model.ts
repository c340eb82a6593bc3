/**
 * A scripted, OpenAI-compatible chat model served over local HTTP, for n8n's OpenAI Chat Model node (an OpenAI
 * credential whose Base URL is `<model.url>`, e.g. http://127.0.0.1:PORT/v1). No LLM: each chat completion is
 * answered by a script, so an AI Agent's run is exact and repeatable.
 *
 *   const model = await startScriptedModel({ script: [
 *     { toolCalls: [{ name: 'Find_orders', arguments: { search: '6281234567890' } }] },
 *     (req) => ({ content: `Found: ${toolResults(req)[0].content}` }),
 *   ] });
 *   // credential { type: 'openAiApi', data: { apiKey: 'anything', url: model.url } }
 *   model.completions  // every POST /v1/chat/completions body n8n sent (messages, tools, …)
 *   await model.close();
 *
 * Serves GET /v1/models (the credential's Test and the model picker) and POST /v1/chat/completions, plain or
 * streamed (server-sent events). Anything else (e.g. the Responses API, POST /v1/responses) is logged and answered
 * 404 in OpenAI's error shape. Used by test/e2e/ai-agent.e2e.ts and by `npm run dev` without an OpenAI key, which
 * uses demoScript(): a few rules that drive the AI-agent example's Cekat tools.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the server received (any route). */
export interface LoggedRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	status: number;
}

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool' | string;
	content?: string | null | Array<{ type: string; text?: string }>;
	tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
	name?: string;
}

export interface ToolDefinition {
	type: 'function';
	function: { name: string; description?: string; parameters?: JsonSchema; strict?: boolean };
}

export interface JsonSchema {
	type?: string | string[];
	description?: string;
	properties?: Record<string, JsonSchema>;
	required?: string[];
	[key: string]: unknown;
}

/** The body of POST /v1/chat/completions (what n8n's OpenAI Chat Model sends). */
export interface ChatCompletionRequest {
	model: string;
	messages: ChatMessage[];
	tools?: ToolDefinition[];
	tool_choice?: unknown;
	stream?: boolean;
	[key: string]: unknown;
}

export interface ToolCall {
	name: string;
	arguments: Record<string, unknown>;
	/** default call_<n> */
	id?: string;
}

/** The model's answer: tool calls (the agent runs them and asks again) or a final message. */
export type Reply = { toolCalls: ToolCall[]; content?: string } | { content: string };

/** One scripted turn: a fixed reply, or a reply computed from the request (e.g. from the tool results in it). */
export type Step = Reply | ((request: ChatCompletionRequest, index: number) => Reply);

/** A list of steps (the n-th completion request gets the n-th step), or one function for every request. */
export type Script = Step[] | ((request: ChatCompletionRequest, index: number) => Reply);

export interface ScriptedModelOptions {
	script?: Script;
	/** 0 = a free port (default) */
	port?: number;
	/** default 127.0.0.1 */
	host?: string;
	/** model ids listed by GET /v1/models; default ['gpt-4o-mini', 'scripted-model'] */
	models?: string[];
	/** called for each request, after it was answered (e.g. to print it) */
	onRequest?: (request: LoggedRequest) => void;
}

export interface ScriptedModel {
	/** Base URL for the OpenAI credential: http://<host>:<port>/v1 */
	url: string;
	port: number;
	/** every request, in order */
	requests: LoggedRequest[];
	/** the bodies of POST /v1/chat/completions, in order */
	completions: ChatCompletionRequest[];
	/** Replaces the script; the next completion request gets its first step. */
	setScript(script: Script): void;
	/** Forgets the logged requests. */
	clear(): void;
	close(): Promise<void>;
}

export async function startScriptedModel(options: ScriptedModelOptions = {}): Promise<ScriptedModel> {
	const models = options.models ?? ['gpt-4o-mini', 'scripted-model'];
	const requests: LoggedRequest[] = [];
	const completions: ChatCompletionRequest[] = [];
	let script: Script = options.script ?? [];
	let step = 0;
	let callCount = 0;
	let answerCount = 0;

	const server = createServer((req, res) => {
		void handle(req, res).catch((e: unknown) => {
			if (!res.headersSent) sendJson(res, 500, openAiError(`scripted model: ${e instanceof Error ? e.message : String(e)}`, 'server_error'));
			else res.end();
		});
	});

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const raw = await readBody(req);
		let body: unknown = raw || undefined;
		try {
			body = raw ? JSON.parse(raw) : undefined;
		} catch {
			// keep the raw text
		}
		const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';
		const entry: LoggedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, status: 0 };
		requests.push(entry);
		const answer = (status: number, json: unknown) => {
			entry.status = status;
			sendJson(res, status, json);
			options.onRequest?.(entry);
		};

		if (req.method === 'GET' && path.endsWith('/models')) {
			answer(200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'scripted' })) });
			return;
		}
		if (req.method === 'POST' && path.endsWith('/chat/completions')) {
			const request = body as ChatCompletionRequest;
			if (!request || !Array.isArray(request.messages)) {
				answer(400, openAiError('messages is required', 'invalid_request_error'));
				return;
			}
			completions.push(request);
			const index = step++;
			let reply: Reply;
			// a script that ends or fails is answered 400, which OpenAI's client does not retry (a 5xx it would)
			try {
				const next = typeof script === 'function' ? script : script[index];
				if (!next) throw new Error(`the script has ${(script as Step[]).length} step(s), this is request ${index + 1}`);
				reply = typeof next === 'function' ? next(request, index) : next;
			} catch (e) {
				answer(400, openAiError(`scripted model: ${e instanceof Error ? e.message : String(e)}`, 'invalid_request_error'));
				return;
			}
			const calls = 'toolCalls' in reply ? reply.toolCalls.map((c) => ({ id: c.id ?? `call_${++callCount}`, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) : [];
			const content = reply.content ?? null;
			const id = `chatcmpl-scripted-${++answerCount}`;
			const usage = { prompt_tokens: approxTokens(JSON.stringify(request.messages)), completion_tokens: approxTokens(JSON.stringify([content, calls])), total_tokens: 0 };
			usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
			const finish = calls.length ? 'tool_calls' : 'stop';
			entry.status = 200;
			if (request.stream) {
				res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
				const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
					res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: now(), model: request.model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`);
				chunk({ role: 'assistant', content: calls.length ? null : '' }, null);
				if (content) chunk({ content }, null);
				calls.forEach((call, i) => chunk({ tool_calls: [{ index: i, ...call }] }, null));
				chunk({}, finish);
				const streamOptions = request.stream_options as { include_usage?: boolean } | undefined;
				if (streamOptions?.include_usage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: now(), model: request.model, choices: [], usage })}\n\n`);
				res.end('data: [DONE]\n\n');
				options.onRequest?.(entry);
				return;
			}
			answer(200, {
				id,
				object: 'chat.completion',
				created: now(),
				model: request.model,
				choices: [{ index: 0, message: { role: 'assistant', content, ...(calls.length ? { tool_calls: calls } : {}) }, logprobs: null, finish_reason: finish }],
				usage,
			});
			return;
		}
		answer(404, openAiError(`scripted model: no route ${req.method} ${path} (it serves GET /v1/models and POST /v1/chat/completions)`, 'invalid_request_error'));
	}

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://${options.host ?? '127.0.0.1'}:${port}/v1`,
		port,
		requests,
		completions,
		setScript(next: Script) {
			script = next;
			step = 0;
		},
		clear() {
			requests.length = 0;
			completions.length = 0;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

const now = () => Math.floor(Date.now() / 1000);
const approxTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

function openAiError(message: string, type: string) {
	return { error: { message, type, param: null, code: null } };
}

function sendJson(res: ServerResponse, status: number, json: unknown): void {
	const text = JSON.stringify(json);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
	res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		let data = '';
		req.setEncoding('utf8');
		req.on('data', (chunk: string) => (data += chunk));
		req.on('end', () => resolve(data));
		req.on('error', reject);
	});
}

/** The text of a message's content (string or content parts). */
export function textOf(message: ChatMessage | undefined): string {
	const content = message?.content;
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => part.text ?? '').join('');
	return '';
}

/** The newest user message of a request. */
export function lastUserMessage(request: ChatCompletionRequest): string {
	return textOf([...request.messages].reverse().find((m) => m.role === 'user'));
}

export interface ToolResult {
	id: string;
	/** the tool's name, from the assistant message that called it */
	name: string;
	/** the arguments the model called it with */
	arguments: Record<string, unknown>;
	/** what the tool returned to the agent (text; n8n sends JSON of the tool's output items) */
	content: string;
}

/**
 * The tool calls the model made since the newest user message, each with what the tool returned: the agent's
 * work on the current chat message so far. (n8n's agent gives the model each earlier call as its own assistant
 * message followed by its result, also calls the model made together.)
 */
export function toolResults(request: ChatCompletionRequest): ToolResult[] {
	const messages = request.messages;
	const since = messages.slice(messages.map((m) => m.role).lastIndexOf('user') + 1);
	const calls = new Map(since.flatMap((m) => m.tool_calls ?? []).map((c) => [c.id, c.function]));
	return since
		.filter((m) => m.role === 'tool')
		.map((m) => {
			const call = calls.get(m.tool_call_id ?? '');
			let args: Record<string, unknown> = {};
			try {
				args = call ? (JSON.parse(call.arguments) as Record<string, unknown>) : {};
			} catch {
				// left empty
			}
			return { id: m.tool_call_id ?? '', name: call?.name ?? m.name ?? '', arguments: args, content: textOf(m) };
		});
}

/** Parses a tool result's JSON (n8n sends the tool node's output items as a JSON array), or undefined. */
export function parseToolContent<T = unknown>(content: string): T | undefined {
	try {
		return JSON.parse(content) as T;
	} catch {
		return undefined;
	}
}

/** What demoScript() answers when a question has no order or phone number in it. */
export const DEMO_HELP =
	'I am a scripted stand-in for a chat model (npm run dev without OPENAI_API_KEY), so I follow a few rules only. ' +
	'Ask about an order number ("What is the status of order 1245?") or a phone number ("Orders and deal of 6289692426085?"), ' +
	'and add "tell them on WhatsApp" to send the buyer a message. For a real model, set OPENAI_API_KEY and run npm run dev again.';

const ORDER_STATUS_ID: Record<string, string> = {
	pending: 'sedang menunggu konfirmasi',
	processing: 'sedang kami proses',
	shipping: 'sedang dalam pengiriman',
	completed: 'sudah selesai',
	cancelled: 'dibatalkan',
};

interface DemoOrder {
	order_number?: number;
	order_status?: string;
	payment_status?: string;
	grand_total?: number;
	contact?: { display_name?: string; phone_number?: string };
}

const rupiah = (n: unknown) => (typeof n === 'number' ? `Rp ${n.toLocaleString('id-ID')}` : 'Rp ?');

/**
 * A stand-in "model" for the AI-agent example (examples/ai-agent.json) without an LLM: a few rules on the newest
 * question. A phone number → Find orders (search by it) and Find CRM deal; an order number → Find orders; with
 * "WhatsApp" / "tell" / "kabari" in the question, then Send WhatsApp message to the order's buyer; then an answer
 * built from what the tools returned. Tools are recognised by their arguments (search; phone; phone + message),
 * so renamed tool nodes still work. Anything else gets DEMO_HELP.
 */
export function demoScript(): (request: ChatCompletionRequest) => Reply {
	return (request) => {
		const tools = (request.tools ?? []).map((t) => ({ name: t.function.name, args: Object.keys(t.function.parameters?.properties ?? {}).sort().join(',') }));
		const findOrders = tools.find((t) => t.args === 'search')?.name;
		const findDeal = tools.find((t) => t.args === 'phone')?.name;
		const send = tools.find((t) => t.args === 'message,phone')?.name;
		const question = lastUserMessage(request);
		const phoneMatch = question.match(/(?:\+?62|\b0)8[\d \-]{6,16}\d/);
		const phone = phoneMatch ? phoneMatch[0].replace(/\D/g, '').replace(/^0/, '62') : undefined;
		const rest = phoneMatch ? question.replace(phoneMatch[0], ' ') : question;
		const orderNumber = rest.match(/(?:#|\b)(\d{3,7})\b/)?.[1];
		const wantsSend = /whats ?app|\bwa\b|kirim|kabar|beri ?tahu|send|tell|notify|message/i.test(question);
		const done = toolResults(request);

		if (!done.length) {
			const calls: ToolCall[] = [];
			if (findOrders && (phone || orderNumber)) calls.push({ name: findOrders, arguments: { search: phone ?? orderNumber } });
			if (findDeal && phone) calls.push({ name: findDeal, arguments: { phone } });
			return calls.length ? { toolCalls: calls } : { content: DEMO_HELP };
		}

		const lines: string[] = [];
		let orders: DemoOrder[] = [];
		for (const result of done.filter((r) => r.name === findOrders)) {
			const found = parseToolContent<DemoOrder[]>(result.content);
			if (!Array.isArray(found)) lines.push(`Find orders failed: ${result.content}`);
			else orders.push(...found);
		}
		// the search also matches phone numbers that contain the digits: keep the order with that number
		if (orderNumber && !phone) orders = orders.filter((o) => String(o.order_number) === orderNumber);
		const sent = done.find((r) => r.name === send);
		if (wantsSend && send && !sent && orders[0]?.contact?.phone_number) {
			const o = orders[0];
			const name = (o.contact?.display_name ?? '').split(' ')[0];
			const message = `Halo ${name}, pesanan #${o.order_number} Anda ${ORDER_STATUS_ID[o.order_status ?? ''] ?? o.order_status}. Terima kasih!`;
			return { toolCalls: [{ name: send, arguments: { phone: o.contact?.phone_number, message } }] };
		}
		if (orders.length) {
			for (const o of orders.slice(0, 5)) lines.push(`Order #${o.order_number} (${o.contact?.display_name}, ${o.contact?.phone_number}): ${o.order_status}, payment ${o.payment_status}, total ${rupiah(o.grand_total)}.`);
		} else if (done.some((r) => r.name === findOrders)) {
			lines.push(`No order found for ${phone ?? orderNumber}.`);
		}
		for (const result of done.filter((r) => r.name === findDeal)) {
			const deals = parseToolContent<Array<{ item_name?: string; group_name?: string }>>(result.content);
			if (!Array.isArray(deals)) lines.push(`Find CRM deal failed: ${result.content}`);
			else if (!deals.length) lines.push(`No deal on the CRM board for ${phone}.`);
			else for (const d of deals) lines.push(`Deal "${d.item_name}" is in ${d.group_name}.`);
		}
		if (sent) {
			const message = parseToolContent<Array<{ message?: string; status?: string }>>(sent.content);
			lines.push(Array.isArray(message) ? `WhatsApp to ${sent.arguments.phone} (${message[0]?.status}): "${message[0]?.message}"` : `The WhatsApp message was not sent: ${sent.content}`);
		} else if (wantsSend && send && !orders.length) {
			lines.push('No order, so no WhatsApp message was sent.');
		}
		return { content: lines.join('\n') };
	};
}
