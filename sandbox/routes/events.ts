/**
 * Cekat Events ingest (issue 18): `POST /api/events/ingest`, the endpoint the Cekat Event SDKs call at
 * https://t.cekat.ai. Served here on the sandbox's own port, so a "Cekat Events" credential's Base URL is the sandbox URL.
 *
 * Evidence: cekataiofficial/cekat-event-sdk, conformance/README.md and its schemas (event-payload, success-envelope,
 * error-envelope; copies in /work/shared/conformance/cekat-event-sdk). That contract is written for the SDKs and their
 * mock, not for the real service, so what the real server checks is NOT evidenced beyond:
 *  - the fixed path, `Authorization: Bearer <access_token>`, JSON bodies;
 *  - the payload schema (event_key, is_common, event_id, occurred_at, identity, properties as JSON values);
 *  - the success envelope `{ success: true, data: { success: true, message, event_key, validated_properties[] } }`;
 *  - the error envelope `{ success: false, error, code? }`, and that the SDKs map 400 → api error, 401 →
 *    authentication error, 404 → "event definition not found" error.
 * The sandbox's choices (each named where it is made): the 401 / 400 messages and `code` values, the order of the checks,
 * rejecting is_common: true for a non-common key, validated_properties = the keys of `properties`, the 404 rule,
 * and keeping one record per event_id.
 *
 * Auth (app.ts onRequest): only `Authorization: Bearer <events token>` (the sandbox's events token, not its API key).
 * The Open API's x-ratelimit counter does not apply to this route (t.cekat.ai's limits are not evidenced); faults do.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors';
import type { Store } from '../store';

export const EVENTS_INGEST_ROUTE = '/api/events/ingest';
export const DEFAULT_EVENTS_TOKEN = 'sandbox-events-token';

/** The SDKs' four common-event operations send these keys with is_common: true (conformance "request-common-*" cases). */
export const COMMON_EVENT_KEYS = ['user_registration', 'user_login', 'order_created', 'order_paid'] as const;
/** The order operations add properties.amount (finite number) and properties.currency (nonblank string). */
export const ORDER_EVENT_KEYS = ['order_created', 'order_paid'] as const;

const PAYLOAD_FIELDS = ['event_key', 'is_common', 'event_id', 'occurred_at', 'contact_name', 'phone_number', 'email', 'visitor_id', 'properties'] as const;
const OCCURRED_AT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;

export interface EventsConfig {
	/** The only accepted Bearer token. */
	token: string;
	/**
	 * Defined custom events. null (the default): any custom key is accepted. A list: a custom key (is_common: false) not
	 * in it answers 404 `event_definition_not_found`. The real service's rule for undefined custom events is NOT evidenced:
	 * the SDKs only have an error type for a 404 ("event definition not found"); when and why Cekat answers it is unknown.
	 */
	definitions: string[] | null;
}

export interface EventPayload {
	event_key: string;
	is_common: boolean;
	event_id: string;
	occurred_at: string;
	contact_name?: string;
	phone_number?: string;
	email?: string;
	visitor_id?: string;
	properties?: Record<string, unknown>;
}

const invalid = (field: string, message: string): ApiError => new ApiError(400, message, [{ field, message }], 'validation_error');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonblank = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isCommonKey = (key: string) => (COMMON_EVENT_KEYS as readonly string[]).includes(key);
const isOrderKey = (key: string) => (ORDER_EVENT_KEYS as readonly string[]).includes(key);

/** `properties.a.b[0]`: the JSON path of a property value, for messages. */
const child = (base: string, key: string | number) => (typeof key === 'number' ? `${base}[${key}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`);

/**
 * JSON values as the contract's json-value schema allows: null, booleans, strings, finite numbers (integers within
 * ±(2^53 − 1)), arrays and objects of them. JSON.parse cannot produce NaN, Infinity or cycles, so only integer range
 * is left to check (a JSON integer beyond the safe range arrives rounded; Number.isSafeInteger still tells).
 */
function checkJsonValue(value: unknown, where: string): void {
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw invalid(where, `${where} must be a finite number`);
		if (Number.isInteger(value) && !Number.isSafeInteger(value)) throw invalid(where, `${where} must be an integer within ±9007199254740991`);
		return;
	}
	if (Array.isArray(value)) return value.forEach((v, i) => checkJsonValue(v, child(where, i)));
	if (isObject(value)) {
		for (const [k, v] of Object.entries(value)) checkJsonValue(v, child(where, k));
		return;
	}
	if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
	throw invalid(where, `${where} must be a JSON value`);
}

/**
 * The event-payload schema, first failure wins (400 naming the field). Stricter than the schema where the SDK contract
 * is: event_key, event_id and the identity must be nonblank after trimming (the schema says minLength 1; the SDKs refuse
 * blank values before sending, so a conforming client never sends one). event_id and occurred_at are required here
 * because the contract says every payload carries them (the schema lists only event_key and is_common as required).
 */
export function validateEventPayload(body: unknown): EventPayload {
	if (!isObject(body)) throw invalid('body', 'Request body must be a JSON object');
	for (const key of Object.keys(body)) {
		if (!(PAYLOAD_FIELDS as readonly string[]).includes(key)) throw invalid(key, `Unknown field '${key}'`);
	}
	const { event_key, is_common, event_id, occurred_at, properties } = body;
	if (event_key === undefined) throw invalid('event_key', 'event_key is required');
	if (typeof event_key !== 'string') throw invalid('event_key', 'event_key must be a string');
	if (!nonblank(event_key)) throw invalid('event_key', 'event_key must not be blank');
	if (is_common === undefined) throw invalid('is_common', 'is_common is required');
	if (typeof is_common !== 'boolean') throw invalid('is_common', 'is_common must be a boolean');
	// Not evidenced: is_common: true with a key that is not one of the four common events. The SDKs never send it;
	// the sandbox refuses it so a client that mixes them up finds out. is_common: false with a common key is a custom
	// event of that name (accepted, no order checks).
	if (is_common && !isCommonKey(event_key)) {
		throw invalid('is_common', `is_common must be false for '${event_key}': the common events are ${COMMON_EVENT_KEYS.join(', ')}`);
	}
	if (event_id === undefined) throw invalid('event_id', 'event_id is required');
	if (typeof event_id !== 'string') throw invalid('event_id', 'event_id must be a string');
	if (!nonblank(event_id)) throw invalid('event_id', 'event_id must not be blank');
	if (occurred_at === undefined) throw invalid('occurred_at', 'occurred_at is required');
	if (typeof occurred_at !== 'string') throw invalid('occurred_at', 'occurred_at must be a string');
	const time = Date.parse(occurred_at);
	if (!OCCURRED_AT.test(occurred_at) || Number.isNaN(time) || new Date(time).toISOString() !== occurred_at) {
		throw invalid('occurred_at', `occurred_at must be a UTC time with milliseconds, e.g. 2026-09-13T01:15:30.250Z (got '${occurred_at}')`);
	}
	for (const field of ['contact_name', 'phone_number', 'email', 'visitor_id'] as const) {
		if (body[field] !== undefined && typeof body[field] !== 'string') throw invalid(field, `${field} must be a string`);
	}
	if (!nonblank(body.email) && !nonblank(body.phone_number)) {
		throw invalid(body.email === undefined && body.phone_number !== undefined ? 'phone_number' : 'email', 'email or phone_number is required: at least one of them must not be blank');
	}
	if (properties !== undefined) {
		if (!isObject(properties)) throw invalid('properties', 'properties must be an object');
		checkJsonValue(properties, 'properties');
	}
	if (is_common && isOrderKey(event_key)) {
		const props = properties as Record<string, unknown> | undefined;
		if (props?.amount === undefined) throw invalid('properties.amount', `properties.amount is required for ${event_key}`);
		if (typeof props.amount !== 'number' || !Number.isFinite(props.amount)) throw invalid('properties.amount', 'properties.amount must be a finite number');
		if (props.currency === undefined) throw invalid('properties.currency', `properties.currency is required for ${event_key}`);
		if (!nonblank(props.currency)) throw invalid('properties.currency', 'properties.currency must be a nonblank string');
	}
	return body as unknown as EventPayload;
}

export interface EventRouteDeps {
	store: Store;
	events: EventsConfig;
}

export function registerEventRoutes(app: FastifyInstance, { store, events }: EventRouteDeps): void {
	// Auth happened in app.ts (Bearer = events.token); the journal entry is written there too (onResponse).
	app.post(EVENTS_INGEST_ROUTE, async (req) => {
		const payload = validateEventPayload(req.body);
		// Not evidenced (see EventsConfig.definitions): the 404 answers only when the sandbox was given a list.
		if (!payload.is_common && events.definitions !== null && !events.definitions.includes(payload.event_key)) {
			throw new ApiError(404, `Event definition '${payload.event_key}' not found`, [], 'event_definition_not_found');
		}
		const properties = payload.properties ?? {};
		// Duplicate event_id: answered as accepted again, stored once. The contract only says the SDKs keep event_id fixed
		// across retries "so the server can deduplicate" and that SDKs must not claim it does; the sandbox keeps one record.
		store.recordEvent({
			event_id: payload.event_id,
			event_key: payload.event_key,
			is_common: payload.is_common,
			occurred_at: payload.occurred_at,
			...(payload.email !== undefined ? { email: payload.email } : {}),
			...(payload.phone_number !== undefined ? { phone_number: payload.phone_number } : {}),
			...(payload.contact_name !== undefined ? { contact_name: payload.contact_name } : {}),
			...(payload.visitor_id !== undefined ? { visitor_id: payload.visitor_id } : {}),
			properties,
		});
		// validated_properties: the keys of properties (the sandbox's reading; the contract's one example acknowledges an
		// order_paid with ["order_id"] only, so the real list may leave out amount/currency; not evidenced either way).
		return { success: true, data: { success: true, message: 'accepted', event_key: payload.event_key, validated_properties: Object.keys(properties) } };
	});

	// Control: the defined custom events (null = every custom key accepted). Not journaled, no auth (/__sandbox).
	app.get('/__sandbox/events/definitions', async () => ({ definitions: events.definitions }));
	app.post('/__sandbox/events/definitions', async (req) => {
		const body = req.body as { definitions?: unknown } | undefined;
		const defs = body?.definitions;
		if (!isObject(body) || (defs !== null && !(Array.isArray(defs) && defs.every(nonblank)))) {
			throw new ApiError(400, 'definitions must be null or an array of event keys', [{ field: 'definitions', message: 'must be null or an array of nonblank strings' }]);
		}
		events.definitions = defs === null ? null : [...(defs as string[])];
		return { definitions: events.definitions };
	});
}

/** `CEKAT_SANDBOX_EVENT_DEFINITIONS=trial_started,checkout_started` → the list; unset or empty → null (all accepted). */
export function parseEventDefinitions(raw: string | undefined): string[] | null {
	if (raw === undefined || raw.trim() === '') return null;
	return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
