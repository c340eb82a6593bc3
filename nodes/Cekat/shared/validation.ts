/**
 * Field checks, in one place: ids, dates, numbers, phones, URLs and required values. Each error names
 * the field (as the editor shows it) and the item, and says what would be accepted.
 */
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toJakartaDate } from './dates';
import { normalizePhone } from './phone';

/**
 * What a field check needs of its context: the node and the item. Both the routing engine's
 * per-item context and the bulk sends' item view (shared/send.ts) have it.
 */
export type FieldContext = Pick<IExecuteSingleFunctions, 'getNode' | 'getItemIndex'>;

export function fieldError(
	ctx: FieldContext,
	field: string,
	problem: string,
	description?: string,
): NodeOperationError {
	const itemIndex = ctx.getItemIndex();
	return new NodeOperationError(ctx.getNode(), `${field}: ${problem} [item ${itemIndex}]`, {
		itemIndex,
		description,
	});
}

/** A value as an error message shows it: strings quoted, other values as JSON, both cut short. */
export function shown(value: unknown): string {
	let text: string;
	try {
		text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	} catch {
		text = String(value);
	}
	if (text.length > 60) text = `${text.slice(0, 60)}…`;
	return typeof value === 'string' ? `"${text}"` : text;
}

/** A value that must be text (numbers are taken as text), trimmed; objects and lists are refused. */
export function asText(ctx: FieldContext, label: string, value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'object') throw fieldError(ctx, label, `must be text, got ${shown(value)}`);
	return String(value).trim();
}

/** A text parameter, trimmed. Numbers are taken as text; objects and lists are refused, naming the field. */
export function textParameter(ctx: IExecuteSingleFunctions, parameter: string, label: string): string {
	return asText(ctx, label, ctx.getNodeParameter(parameter, '', { extractValue: true }));
}

export function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

const CEKAT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A Cekat id as examples show it. */
export const EXAMPLE_ID = '3f1c2a9e-51b0-4c1e-9d2a-7c0b4e8f1a22';

/** Whether a text is a Cekat id (a UUID). */
export const isCekatId = (text: string) => CEKAT_ID.test(text);

/** Checks a Cekat id (a UUID) given by a user or an earlier node; throws naming the field. */
export function checkCekatId(ctx: FieldContext, label: string, raw: unknown): string {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) throw fieldError(ctx, label, 'is required');
	const id = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (!CEKAT_ID.test(id)) {
		throw fieldError(
			ctx,
			label,
			// The reason in the message itself: an AI Agent's model gets the message only, not the description.
			`${shown(typeof raw === 'string' ? id : raw)} is not a Cekat ID (a UUID, not a number or name)`,
			`Cekat IDs are UUIDs such as ${EXAMPLE_ID}. Pick the record from the list, or map the "id" field of an earlier Cekat node (an order number like 1245 is not its ID).`,
		);
	}
	return id;
}

/** Reads an id parameter (plain or resource locator) and checks it. */
export function requiredId(ctx: IExecuteSingleFunctions, parameter: string, label: string): string {
	return checkCekatId(ctx, label, ctx.getNodeParameter(parameter, '', { extractValue: true }));
}

/** A WhatsApp number with its country code, normalised (see normalizePhone); throws naming the field. */
export function checkPhone(ctx: FieldContext, label: string, raw: string): string {
	const phone = normalizePhone(raw);
	if (!phone) {
		throw fieldError(ctx, label, `${shown(raw)} is not a phone number`, 'Use the number with its country code, e.g. 6281234567890 or +62 812-3456-7890.');
	}
	return phone;
}

/** A whole number of at least `min` (numeric text is read as a number). */
export function wholeNumber(ctx: IExecuteSingleFunctions, label: string, value: unknown, min: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min) {
		throw fieldError(ctx, label, `must be a whole number of at least ${min}, got ${shown(value)}`);
	}
	return number;
}

/** An http(s) URL. */
export function httpUrl(ctx: FieldContext, label: string, value: string): string {
	if (!/^https?:\/\/\S+$/i.test(value)) {
		throw fieldError(ctx, label, `${shown(value)} is not an http(s) URL`);
	}
	return value;
}

/** A date as Cekat takes it: YYYY-MM-DD in Jakarta time. */
export function jakartaDate(
	ctx: IExecuteSingleFunctions,
	label: string,
	value: unknown,
	hint = 'Use the format YYYY-MM-DD (Jakarta time), or a date from an earlier node.',
): string {
	const date = toJakartaDate(value);
	if (!date) throw fieldError(ctx, label, `${shown(value)} is not a date`, hint);
	return date;
}

/** A number; text may carry thousands separators ("1,250,000"). */
export function decimalNumber(ctx: IExecuteSingleFunctions, label: string, raw: unknown): number {
	const number = typeof raw === 'number' ? raw : Number(String(raw).trim().replace(/,/g, ''));
	if (!Number.isFinite(number)) throw fieldError(ctx, label, `${shown(raw)} is not a number`);
	return number;
}

/** preSend for updates: an update with nothing to change is a mistake, not a no-op request. */
export async function requireSomeBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = requestOptions.body as IDataObject | undefined;
	if (!body || typeof body !== 'object' || Object.keys(body).length === 0) {
		throw fieldError(this, 'Update Fields', 'add at least one field to change');
	}
	return requestOptions;
}

/** preSend factory: body or query fields that must not be empty, checked before any request. */
export function requireFields(where: 'body' | 'qs', labels: Record<string, string>) {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const values = (requestOptions[where] ?? {}) as IDataObject;
		for (const [key, label] of Object.entries(labels)) {
			if (isEmpty(values[key])) throw fieldError(this, label, 'is required');
		}
		return requestOptions;
	};
}

/** preSend factory: a Cekat id sent in the query (e.g. the conversation of the legacy history route). */
export function requireQueryId(key: string, label: string) {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const qs = (requestOptions.qs ?? {}) as IDataObject;
		qs[key] = checkCekatId(this, label, qs[key]);
		requestOptions.qs = qs;
		return requestOptions;
	};
}

/**
 * Ids whose form no evidence shows (conversation labels, pipeline statuses: OFF only passes them through; the
 * sandbox seeds UUIDs). Lenient: one token without spaces, so a typed name such as "Hot Lead" is refused here
 * while any id form Cekat may use still reaches it (an unknown one gets Cekat's own 404).
 */
export function checkLooseId(ctx: IExecuteSingleFunctions, label: string, raw: unknown): string {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) throw fieldError(ctx, label, 'is required');
	const id = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (!/^[\w.:-]{1,128}$/.test(id)) {
		throw fieldError(
			ctx,
			label,
			`${shown(typeof raw === 'string' ? id : raw)} is not an ID`,
			'Pick it from the list, or map the "id" field of an earlier Cekat node; a name is not accepted.',
		);
	}
	return id;
}

/**
 * preSend factory for Cekat's action routes: the ids of the body checked before any request, each naming its
 * field. `uuid` ids are Cekat UUIDs (checkCekatId); `loose` ids have no evidenced form (checkLooseId).
 */
export function checkBodyIds(ids: Record<string, { label: string; form: 'uuid' | 'loose' }>) {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const body = (requestOptions.body ?? {}) as IDataObject;
		for (const [key, { label, form }] of Object.entries(ids)) {
			body[key] = form === 'uuid' ? checkCekatId(this, label, body[key]) : checkLooseId(this, label, body[key]);
		}
		requestOptions.body = body;
		return requestOptions;
	};
}
