import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** What a user can do next, by HTTP status. */
const STATUS_HINTS: Record<string, string> = {
	'400': 'Cekat rejected the request. Check the fields named above.',
	'401': 'Check the API key and the Base URL of the Cekat credential.',
	'403': 'The API key is valid but not allowed to do this. Check the workspace plan and the key’s permissions.',
	'404': 'The ID does not exist in this Cekat workspace (or the Base URL points to the wrong server).',
	'429': 'Cekat is rate limiting. Use the node’s Batching option or Retry On Fail with a wait between tries.',
	'5xx': 'Cekat had a server error. Try again later, or enable Retry On Fail.',
};

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads every error shape Cekat is known to answer with (see CEKAT-API-NOTES.md). */
export function extractCekatError(body: unknown): { message?: string; fields: string[] } {
	const fields: string[] = [];
	if (typeof body === 'string') {
		const text = body.trim();
		return { message: text && !text.startsWith('<') ? text.slice(0, 300) : undefined, fields };
	}
	if (!isObject(body)) return { fields };
	let message: string | undefined;
	const error = body.error;
	if (isObject(error)) {
		if (typeof error.message === 'string') message = error.message;
		if (Array.isArray(error.details)) {
			for (const detail of error.details) {
				if (isObject(detail) && typeof detail.field === 'string') {
					fields.push(
						typeof detail.message === 'string' ? `${detail.field}: ${detail.message}` : detail.field,
					);
				}
			}
		}
	} else if (typeof error === 'string') {
		message = error;
	}
	if (!message && typeof body.message === 'string' && body.message !== 'success') {
		message = body.message;
	}
	if (!message && typeof body.detail === 'string') message = body.detail;
	return { message, fields };
}

export function statusHint(status: number): string | undefined {
	return STATUS_HINTS[String(status)] ?? (status >= 500 ? STATUS_HINTS['5xx'] : undefined);
}

/**
 * postReceive step of every operation: the node asks n8n not to throw on HTTP errors, so this
 * one place turns a failed answer into a NodeApiError carrying Cekat's own message.
 */
export async function checkResponse(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const status = response.statusCode;
	const body = response.body;
	const itemIndex = this.getItemIndex();
	if (status >= 400) {
		const { message, fields } = extractCekatError(body);
		const what = message ?? `HTTP ${status}`;
		const description = [fields.length ? `Fields: ${fields.join('; ')}` : undefined, statusHint(status)]
			.filter(Boolean)
			.join('\n');
		throw new NodeApiError(this.getNode(), (isObject(body) ? body : { body: String(body ?? '') }) as JsonObject, {
			message: `Cekat error ${status}: ${what}`,
			description,
			httpCode: String(status),
			itemIndex,
		});
	}
	if (typeof body === 'string' && body.trim() !== '') {
		throw new NodeApiError(this.getNode(), { body: body.slice(0, 500) } as JsonObject, {
			message: `Cekat answered HTTP ${status} with a body that is not valid JSON`,
			description: 'The response could not be read. This is usually a temporary problem of the service or a proxy: try again, or enable Retry On Fail.',
			httpCode: String(status),
			itemIndex,
		});
	}
	if (isObject(body) && body.success === false) {
		const { message } = extractCekatError(body);
		throw new NodeApiError(this.getNode(), body as JsonObject, {
			message: `Cekat error: ${message ?? 'the request did not succeed'}`,
			httpCode: String(status),
			itemIndex,
		});
	}
	return items;
}
