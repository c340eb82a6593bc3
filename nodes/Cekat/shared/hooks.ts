import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PATH_PARAMETER_NAMES } from './constants';
import { toJakartaDate } from './dates';

const DATE_FIELDS: Record<string, string> = { start_date: 'Start Date', end_date: 'End Date' };

export function fieldError(
	ctx: IExecuteSingleFunctions,
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
export function asText(ctx: IExecuteSingleFunctions, label: string, value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'object') throw fieldError(ctx, label, `must be text, got ${shown(value)}`);
	return String(value).trim();
}

/** A text parameter, trimmed. Numbers are taken as text; objects and lists are refused, naming the field. */
export function textParameter(ctx: IExecuteSingleFunctions, parameter: string, label: string): string {
	return asText(ctx, label, ctx.getNodeParameter(parameter, '', { extractValue: true }));
}

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

const CEKAT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks a Cekat id (a UUID) given by a user or an earlier node; throws naming the field. */
export function checkCekatId(ctx: IExecuteSingleFunctions, label: string, raw: unknown): string {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) throw fieldError(ctx, label, 'is required');
	const id = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	if (!CEKAT_ID.test(id)) {
		throw fieldError(
			ctx,
			label,
			`${shown(typeof raw === 'string' ? id : raw)} is not a Cekat ID`,
			'Cekat IDs are UUIDs such as 3f1c2a9e-51b0-4c1e-9d2a-7c0b4e8f1a22. Pick the record from the list, or map the "id" field of an earlier Cekat node (an order number like ORD-000123 is not its ID).',
		);
	}
	return id;
}

/** Reads an id parameter (plain or resource locator) and checks it. */
export function requiredId(ctx: IExecuteSingleFunctions, parameter: string, label: string): string {
	return checkCekatId(ctx, label, ctx.getNodeParameter(parameter, '', { extractValue: true }));
}

/**
 * preSend step shared by every operation. The description keeps paths readable
 * (`/api/orders/{orderId}`); here each `{parameter}` becomes the URL-encoded value, so a user's
 * value can never change which route is called. Then empty optional values are dropped and
 * date filters are turned into Jakarta YYYY-MM-DD dates.
 */
export async function prepareRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	requestOptions.url = requestOptions.url.replace(/\{(\w+)\}/g, (_match, parameter: string) =>
		encodeURIComponent(requestedId(this, parameter)),
	);

	const qs = (requestOptions.qs ?? {}) as IDataObject;
	for (const key of Object.keys(qs)) {
		if (isEmpty(qs[key])) delete qs[key];
	}
	for (const [key, label] of Object.entries(DATE_FIELDS)) {
		if (qs[key] === undefined) continue;
		const date = toJakartaDate(qs[key]);
		if (!date) {
			throw fieldError(this, label, `${shown(qs[key])} is not a date`, 'Use the format YYYY-MM-DD (Jakarta time), or a date from an earlier node.');
		}
		qs[key] = date;
	}
	if (qs.start_date && qs.end_date && String(qs.start_date) > String(qs.end_date)) {
		throw fieldError(this, 'Start Date', `${String(qs.start_date)} is after the End Date ${String(qs.end_date)}`);
	}
	requestOptions.qs = qs;

	const body = requestOptions.body as IDataObject | undefined;
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		for (const key of Object.keys(body)) {
			if (body[key] === undefined || (typeof body[key] === 'string' && (body[key] as string).trim() === '')) {
				delete body[key];
			}
		}
	}
	return requestOptions;
}

function requestedId(ctx: IExecuteSingleFunctions, parameter: string): string {
	return requiredId(ctx, parameter, PATH_PARAMETER_NAMES[parameter] ?? parameter);
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
