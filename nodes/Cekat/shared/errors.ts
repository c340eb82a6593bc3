import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INode,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { isObject } from '../../shared/cekatShapes';
import { PATH_PARAMETER_NAMES } from './constants';
import { markRetryable, noteAnswer } from './rateLimit';

/** What a user can do next, by HTTP status. */
const STATUS_HINTS: Record<string, string> = {
	'400': 'Cekat refused the request. Check the fields it named.',
	'401': 'Check the API key and the Base URL of the Cekat credential.',
	'403': 'The API key is not allowed to do this: check the workspace plan and the key’s permissions.',
	'404': 'Check that the ID exists in this Cekat workspace (and the Base URL is the right server).',
	'429': 'Cekat is rate limiting this workspace. Raise the credential’s Rate Limit: Maximum Wait, or use Batching or Retry On Fail.',
	'5xx': 'Cekat had a server error. Try again later, or turn on Retry On Fail.',
};

const WINDOW_HINT =
	'WhatsApp allows free-form messages only within 24 hours of the customer’s last message. Outside them, use Message → Send Template.';

/** An empty or unreadable answer. */
const PASSING = 'Usually a passing problem of the service or a proxy: try again, or turn on Retry On Fail.';

/** Reads every error shape Cekat is known to answer with (docs/cekat-api.md, "Errors"). */
export function extractCekatError(body: unknown): { message?: string; fields: string[] } {
	const fields: string[] = [];
	if (typeof body === 'string') {
		const text = body.trim();
		if (text.startsWith('<')) {
			// An HTML error page (a proxy or gateway), not Cekat's JSON: its title says what happened.
			const title = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(text)?.[1]?.trim();
			return { message: `${title ?? 'an HTML error page'} (answered by a proxy or gateway, not by Cekat's API)`, fields };
		}
		return { message: text ? text.slice(0, 300) : undefined, fields };
	}
	if (!isObject(body)) return { fields };
	let message: string | undefined;
	const error = body.error;
	if (isObject(error)) {
		if (typeof error.message === 'string') message = error.message;
		if (Array.isArray(error.details)) {
			for (const detail of error.details) {
				if (isObject(detail) && typeof detail.field === 'string') {
					fields.push(typeof detail.message === 'string' ? `${detail.field}: ${detail.message}` : detail.field);
				}
			}
		}
	} else if (typeof error === 'string') {
		message = error;
	}
	if (!message && typeof body.message === 'string' && body.message !== 'success') message = body.message;
	if (!message && typeof body.detail === 'string') message = body.detail;
	return { message, fields };
}

export interface ErrorContext {
	itemIndex?: number;
	/** Labelled ids the request used, e.g. { 'Order ID': '…' }, named in 404 hints. */
	ids?: Record<string, string>;
}

function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	return key === undefined ? undefined : String(headers[key]);
}

/** Builds the NodeApiError for a failed Cekat answer: Cekat's message first, then what to do. */
export function cekatApiError(
	node: INode,
	status: number,
	body: unknown,
	headers: IDataObject | undefined,
	context: ErrorContext = {},
): NodeApiError {
	const { message, fields } = extractCekatError(body);
	const hints: string[] = [];
	if (fields.length) hints.push(`Fields: ${fields.join('; ')}`);
	if (status === 404 && context.ids && Object.keys(context.ids).length) {
		hints.push(`Not found: ${Object.entries(context.ids).map(([label, id]) => `${label} "${id}"`).join(', ')}.`);
	}
	if (status === 429) {
		const retryAfter = headerValue(headers, 'retry-after');
		if (retryAfter) hints.push(`Cekat asks to wait ${retryAfter} seconds before the next request.`);
	}
	if (status === 400 && message && /24[- ]?hour|window/i.test(message)) hints.push(WINDOW_HINT);
	const hint = STATUS_HINTS[String(status)] ?? (status >= 500 ? STATUS_HINTS['5xx'] : undefined);
	if (hint) hints.push(hint);
	const response = (isObject(body) ? body : { body: typeof body === 'string' ? body.slice(0, 500) : '' }) as JsonObject;
	return new NodeApiError(node, response, {
		message: `Cekat error ${status}: ${message ?? (status === 429 ? 'Too many requests' : `HTTP ${status}`)}`,
		description: hints.join('\n'),
		httpCode: String(status),
		itemIndex: context.itemIndex,
	});
}

/** Throws when an answer is not a usable success: HTTP error, unreadable body, `success: false`. */
export function assertCekatSuccess(
	node: INode,
	response: { statusCode: number; body: unknown; headers?: IDataObject },
	context: ErrorContext = {},
): void {
	const { statusCode: status, body } = response;
	if (status >= 400) throw cekatApiError(node, status, body, response.headers, context);
	if (body === undefined || body === null || typeof body === 'string') {
		const empty = typeof body !== 'string' || body.trim() === '';
		throw new NodeApiError(node, { body: empty ? '' : body.slice(0, 500) } as JsonObject, {
			message: `Cekat answered HTTP ${status} with ${empty ? 'an empty body' : 'a body that is not valid JSON'}`,
			description: PASSING,
			httpCode: String(status),
			itemIndex: context.itemIndex,
		});
	}
	if (isObject(body) && body.success === false) throw cekatApiError(node, status >= 400 ? status : 400, body, response.headers, context);
}

/**
 * postReceive step of every operation (the node asks n8n not to throw on HTTP errors, so this one
 * place turns a failed answer into a NodeApiError with Cekat's own message). Built per operation so
 * that a 404 can name the ids of the operation's path.
 */
export function checkResponse(url: string) {
	const pathParameters = [...url.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
	return async function (
		this: IExecuteSingleFunctions,
		items: INodeExecutionData[],
		response: IN8nHttpFullResponse,
	): Promise<INodeExecutionData[]> {
		const itemIndex = this.getItemIndex();
		const ids: Record<string, string> = {};
		if (response.statusCode === 404) {
			for (const parameter of pathParameters) {
				const value = this.getNodeParameter(parameter, '', { extractValue: true });
				ids[PATH_PARAMETER_NAMES[parameter] ?? parameter] = String(value);
			}
		}
		// Every answer tells the rate limiter the budget; a 429's error is marked for withRateLimit to retry.
		const headers = response.headers as IDataObject;
		const wait = await noteAnswer(this, response.statusCode, headers);
		if (wait !== undefined) throw markRetryable(cekatApiError(this.getNode(), response.statusCode, response.body, headers, { itemIndex }), wait);
		assertCekatSuccess(this.getNode(), response as { statusCode: number; body: unknown; headers?: IDataObject }, { itemIndex, ids });
		return items;
	};
}

interface TransportError {
	code?: string;
	message?: string;
	config?: unknown;
	isAxiosError?: boolean;
}

function transportCause(error: unknown): TransportError | undefined {
	const candidates = [error, (error as { cause?: unknown })?.cause];
	return candidates.find(
		(c): c is TransportError => typeof c === 'object' && c !== null && ((c as TransportError).isAxiosError === true || 'config' in c),
	);
}

/**
 * Runs one request of the routing engine. A failure below HTTP (timeout, dropped connection,
 * unknown host) reaches a node as an error that still holds the HTTP client's request config, API
 * key header included; it is rebuilt here from its code alone, with what it means for the user.
 */
export async function guardedRequest<T>(node: INode, request: () => Promise<T>, itemIndex?: number): Promise<T> {
	try {
		return await request();
	} catch (error) {
		const cause = transportCause(error);
		// Cekat's answers were already turned into NodeApiErrors (checkResponse); the constructor hands
		// those back unchanged and wraps anything else.
		if (!cause) throw new NodeApiError(node, error as JsonObject, { itemIndex });
		const code = cause.code ?? '';
		const text = `${code} ${cause.message ?? ''}`;
		const maybeDone = 'If this was a create, update or send, Cekat may still have done it: check before retrying.';
		const network = 'Check the Base URL of the Cekat credential and the network of this n8n.';
		let message: string;
		let description: string;
		if (/ECONNABORTED|ETIMEDOUT|timeout/i.test(text)) {
			message = 'Cekat did not answer in time';
			description = `No answer came within the node’s timeout (Settings → Request Options → Timeout). ${maybeDone}`;
		} else if (/ECONNRESET|socket hang up|closed/i.test(text)) {
			message = 'The connection to Cekat was closed before it answered';
			description = `A network problem or a proxy ended the request. ${maybeDone}`;
		} else if (/ECONNREFUSED/.test(text)) {
			message = 'Cekat could not be reached: connection refused';
			description = 'Check the Base URL of the Cekat credential (the sandbox must be running for http://localhost:3000).';
		} else if (/ENOTFOUND|EAI_AGAIN/.test(text)) {
			message = 'Cekat could not be reached: the Base URL’s host was not found';
			description = network;
		} else {
			message = `Cekat could not be reached${code ? ` (${code})` : ''}`;
			description = network;
		}
		// No `code` key: NodeApiError would swap the message for its generic text about that code.
		throw new NodeApiError(node, { transportError: code || 'unknown' } as JsonObject, { message, description, itemIndex });
	}
}
