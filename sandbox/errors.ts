/**
 * Error shapes. The real API answers errors in two families (see CEKAT-API-NOTES.md):
 *  - "success" family (/api/... page & cursor lists, messages, templates, conversations):
 *      { success: false, error: { code, message, details? } }
 *  - "message" family (/api/crm/*, /api/orders*): { message }
 *  - "events" family (/api/events/*, Cekat Events' ingest, t.cekat.ai): { success: false, error: "<message>", code? }
 *    (the error envelope of cekat-event-sdk's conformance contract; the codes are the sandbox's choice)
 * Every 4xx message names the offending field, so a client can show something useful.
 */
import { STATUS_CODES } from 'node:http';

export interface FieldDetail {
	field: string;
	message: string;
}

export class ApiError extends Error {
	constructor(
		readonly statusCode: number,
		message: string,
		readonly details: FieldDetail[] = [],
		readonly code?: string,
	) {
		super(message);
	}
}

export const badRequest = (field: string, message: string): ApiError => new ApiError(400, message, [{ field, message }]);
export const notFound = (message: string): ApiError => new ApiError(404, message);

/**
 * 'workflow': /business_workflows/* and /business_webhooks* (contract-16: 400 = validation envelope, else { success: false, message }).
 * 'events': /api/events/* (issue 18: { success: false, error, code }).
 */
export type Family = 'success' | 'message' | 'workflow' | 'events';

export function familyOf(path: string): Family {
	if (path === '/api/events' || path.startsWith('/api/events/')) return 'events';
	if (path.startsWith('/business_workflows') || path.startsWith('/business_webhooks')) return 'workflow';
	return path.startsWith('/api/crm') || path.startsWith('/api/orders') ? 'message' : 'success';
}

export const UNAUTHORIZED_BODY = Object.freeze({
	success: false,
	status_code: 401,
	error: Object.freeze({ message: 'Not authenticated' }),
});

function defaultCode(status: number): string {
	if (status === 400) return 'VALIDATION_ERROR';
	if (status === 404) return 'NOT_FOUND';
	if (status === 401) return 'UNAUTHORIZED';
	if (status === 429) return 'RATE_LIMITED';
	return (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/[^A-Z]+/g, '_');
}

/**
 * Codes of the events envelope. Only the envelope's form is evidenced (cekat-event-sdk conformance, error-envelope schema:
 * `success: false`, non-empty `error`, optional `code`); these code values are the sandbox's choice.
 */
function eventsCode(status: number): string {
	if (status === 400) return 'validation_error';
	return (STATUS_CODES[status] ?? 'error').toLowerCase().replace(/[^a-z]+/g, '_').replace(/^_|_$/g, '');
}

export function errorBody(family: Family, err: ApiError): Record<string, unknown> {
	if (family === 'events') {
		const body: Record<string, unknown> = { success: false, error: err.message, code: err.code ?? eventsCode(err.statusCode) };
		// The offending field of a 400 (not evidenced: an extra property the envelope allows).
		if (err.statusCode === 400 && err.details.length) body.field = err.details[0].field;
		return body;
	}
	if (family === 'message') return { message: err.message };
	// Answer shape not evidenced (docs/cekat-api.md): 4xx/5xx other than validation say { success: false, message }.
	if (family === 'workflow' && err.statusCode !== 400) return { success: false, message: err.message };
	const error: Record<string, unknown> = { code: err.code ?? defaultCode(err.statusCode), message: err.message };
	if (err.statusCode === 400) error.details = err.details.length ? err.details : [{ field: 'body', message: err.message }];
	return { success: false, error };
}

/** The subset of an Ajv error object we read (Fastify passes Ajv's errors through). */
export interface SchemaErrorLike {
	instancePath?: string;
	keyword: string;
	params?: Record<string, unknown>;
	message?: string;
}

/** '/orders_products/0/quantity' -> 'orders_products[0].quantity' */
function fieldFromPointer(pointer: string): string {
	let out = '';
	for (const raw of pointer.split('/').slice(1)) {
		const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
	}
	return out;
}

/** Query-string patterns → human messages (the schema keyword alone would say "must match pattern"). */
export const PATTERNS = {
	positiveInt: '^0*[1-9][0-9]*$',
	date: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
} as const;

/** Well-known query parameters and their patterns (used by every list route). */
export const QUERY_PARAM_PATTERNS: Record<string, string> = {
	page: PATTERNS.positiveInt,
	limit: PATTERNS.positiveInt,
	start_date: PATTERNS.date,
	end_date: PATTERNS.date,
};

const PATTERN_MESSAGES: Record<string, string> = {
	[PATTERNS.positiveInt]: 'must be a positive integer',
	[PATTERNS.date]: 'must be a date in YYYY-MM-DD format',
};

/**
 * Maps a Fastify/Ajv validation failure to an ApiError naming the field, e.g. "body/limit must be integer"
 * becomes "limit must be integer". schemaPatterns lets a type error on a query param (a repeated
 * parameter arrives as an array) still say what the value should look like.
 */
export function fromSchemaErrors(errors: SchemaErrorLike[], context: string, schemaPatterns: Record<string, string> = QUERY_PARAM_PATTERNS): ApiError {
	const details: FieldDetail[] = errors.map((e) => describe(e, context, schemaPatterns));
	return new ApiError(400, details[0]?.message ?? 'Invalid request', details);
}

function describe(e: SchemaErrorLike, context: string, patterns: Record<string, string>): FieldDetail {
	const base = fieldFromPointer(e.instancePath ?? '');
	const join = (child: string) => (base ? `${base}.${child}` : child);
	const p = e.params ?? {};
	const isRoot = base === '';
	const where = context === 'querystring' ? 'query parameter' : context === 'params' ? 'path parameter' : 'field';
	switch (e.keyword) {
		case 'required': {
			const f = join(String(p.missingProperty));
			return { field: f, message: `${f} is required` };
		}
		case 'additionalProperties': {
			const f = join(String(p.additionalProperty));
			return { field: f, message: `Unknown ${where} '${f}'` };
		}
		case 'type':
			if (isRoot && context === 'body') return { field: 'body', message: 'Request body must be a JSON object' };
			if (context === 'querystring' && patterns[base] && PATTERN_MESSAGES[patterns[base]]) {
				return { field: base, message: `${base} ${PATTERN_MESSAGES[patterns[base]]}` };
			}
			return { field: base, message: `${base} must be ${String(p.type).replace(',', ' or ')}` };
		case 'pattern': {
			const msg = PATTERN_MESSAGES[String(p.pattern)] ?? 'has an invalid format';
			return { field: base, message: `${base} ${msg}` };
		}
		case 'enum':
			return { field: base, message: `${base} must be one of: ${(p.allowedValues as unknown[]).join(', ')}` };
		case 'minProperties':
			if (isRoot) return { field: 'body', message: 'Request body must not be empty: give at least one field to change' };
			return { field: base, message: `${base} must not be empty` };
		case 'minItems':
			return { field: base, message: `${base} must not be empty` };
		case 'minLength':
			return { field: base, message: `${base} must not be empty` };
		case 'maxLength':
			return { field: base, message: `${base} is too long (max ${String(p.limit)} characters)` };
		case 'minimum':
			return { field: base, message: `${base} must be >= ${String(p.limit)}` };
		case 'maximum':
			return { field: base, message: `${base} must be <= ${String(p.limit)}` };
		default:
			return { field: base || 'body', message: `${base || 'body'} ${e.message ?? 'is invalid'}` };
	}
}
