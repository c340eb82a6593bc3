/**
 * Event → Track: the ingest payload, built and checked once per item before any request, exactly as
 * Cekat's SDK contract says (docs/cekat-events.md): identity strings trimmed only to test emptiness,
 * visitor id explicit > X-Cekat-Visitor-ID > cookie _cekat_visitor_id, order amount/currency merged into
 * the properties, event id and occurred-at fixed here so every retry sends the same ones.
 */
import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { fieldError, type FieldContext } from '../validation';

export const COMMON_EVENTS = ['user_registration', 'user_login', 'order_created', 'order_paid'] as const;
export const ORDER_EVENTS: readonly string[] = ['order_created', 'order_paid'];
export const CUSTOM_EVENT = 'custom_event';

/** A check that failed, naming the field and the item (context.field: the field). */
function invalid(ctx: FieldContext, field: string, problem: string) {
	const error = fieldError(ctx, field, problem, 'Nothing was sent for this item.');
	error.context = { ...error.context, field };
	return error;
}

export interface TrackInput {
	eventType: string;
	eventKey?: unknown;
	amount?: unknown;
	currency?: unknown;
	email?: unknown;
	phoneNumber?: unknown;
	contactName?: unknown;
	visitorId?: unknown;
	inboundHeaders?: unknown;
	eventId?: unknown;
	occurredAt?: unknown;
	/** undefined: no properties; an object: the caller's properties (checked here) */
	properties?: unknown;
	/** The properties field's name in errors. */
	propertiesLabel?: string;
	/** The time of the call, for a generated occurred_at. */
	now?: Date;
}

export interface EventPayload extends IDataObject {
	event_key: string;
	is_common: boolean;
	event_id: string;
	occurred_at: string;
}

const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

function text(ctx: FieldContext, field: string, value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (typeof value !== 'string') throw invalid(ctx, field, `must be text, got ${typeof value}`);
	return value;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * A properties value as JSON: null, booleans, strings, finite numbers (integers within ±(2^53 − 1)),
 * arrays and string-keyed plain objects. JavaScript's own JSON conventions apply first (toJSON, so
 * dates and n8n's DateTime become ISO strings; undefined members are left out, undefined array entries
 * become null). Anything JSON cannot carry faithfully is refused, never dropped: NaN, ±Infinity, unsafe
 * integers, BigInt, functions, symbols, symbol keys, Map/Set/class instances, cycles.
 */
export function jsonProperties(ctx: FieldContext, field: string, value: unknown): IDataObject {
	const path: unknown[] = [];
	const check = (v: unknown, where: string, inArray: boolean): unknown => {
		if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
		if (typeof v === 'number') {
			if (!Number.isFinite(v)) throw invalid(ctx, field, `${where} is ${String(v)}; only finite numbers can be sent`);
			if (Number.isInteger(v) && Math.abs(v) > MAX_SAFE) throw invalid(ctx, field, `${where} (${v}) is outside the safe integer range`);
			return v;
		}
		if (v === undefined) return inArray ? null : undefined;
		if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') {
			throw invalid(ctx, field, `${where} is a ${typeof v}, which JSON cannot carry`);
		}
		const object = v as Record<string | symbol, unknown>;
		if (typeof object.toJSON === 'function') return check((object.toJSON as () => unknown)(), where, inArray);
		if (path.includes(v)) throw invalid(ctx, field, `${where} refers back to itself (a cycle)`);
		if (Object.getOwnPropertySymbols(v).length) throw invalid(ctx, field, `${where} has a key that is not text (a symbol)`);
		path.push(v);
		let out: unknown;
		if (Array.isArray(v)) {
			out = v.map((entry, i) => check(entry, `${where}[${i}]`, true));
		} else {
			const proto = Object.getPrototypeOf(v) as unknown;
			if (proto !== Object.prototype && proto !== null) {
				const kind = (v as { constructor?: { name?: string } }).constructor?.name || 'object';
				throw invalid(ctx, field, `${where} is a ${kind}, not plain JSON`);
			}
			const result: IDataObject = {};
			for (const key of Object.keys(v)) {
				const entry = check(object[key], `${where}.${key}`, false);
				if (entry !== undefined) result[key] = entry as IDataObject[string];
			}
			out = result;
		}
		path.pop();
		return out;
	};
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw invalid(ctx, field, `must be an object of name → value, got ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}`);
	}
	return check(value, 'properties', false) as IDataObject;
}

/** A header's first value, case-insensitively, from a Webhook node's `headers` object (or its JSON text). */
function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	for (const key of Object.keys(headers)) {
		if (key.toLowerCase() !== name) continue;
		const value = headers[key];
		const first = Array.isArray(value) ? value[0] : value;
		return typeof first === 'string' ? first : first === undefined || first === null ? undefined : String(first);
	}
	return undefined;
}

function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
	if (!cookieHeader) return undefined;
	for (const part of cookieHeader.split(';')) {
		const at = part.indexOf('=');
		if (at < 0 || part.slice(0, at).trim() !== name) continue;
		const raw = part.slice(at + 1).trim().replace(/^"(.*)"$/, '$1');
		try {
			return decodeURIComponent(raw);
		} catch {
			return raw;
		}
	}
	return undefined;
}

/** The visitor id of the inbound request: X-Cekat-Visitor-ID first, then the _cekat_visitor_id cookie (trimmed, nonblank). */
export function visitorFromHeaders(ctx: FieldContext, field: string, raw: unknown): string | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	let headers: unknown = raw;
	if (typeof raw === 'string') {
		try {
			headers = JSON.parse(raw) as unknown;
		} catch {
			throw invalid(ctx, field, 'must be an object (a Webhook node’s headers)');
		}
	}
	if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
		throw invalid(ctx, field, 'must be an object (a Webhook node’s headers)');
	}
	const map = headers as Record<string, unknown>;
	const header = headerValue(map, 'x-cekat-visitor-id')?.trim();
	if (header) return header;
	const cookie = cookieValue(headerValue(map, 'cookie'), '_cekat_visitor_id')?.trim();
	return cookie || undefined;
}

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/** UTC RFC 3339 with exactly milliseconds; a time without an offset is taken as UTC. */
export function occurredAt(ctx: FieldContext, field: string, value: unknown, now: Date): string {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return now.toISOString();
	let date: Date | undefined;
	if (value instanceof Date) date = value;
	else if (typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') date = new Date(String((value as { toISO: () => string }).toISO()));
	else if (typeof value === 'string') {
		const trimmed = value.trim();
		// Fractions finer than milliseconds are cut, not rounded.
		const cut = trimmed.replace(/(\.\d{3})\d+/, '$1');
		date = new Date(LOCAL_TIME.test(cut) ? `${cut}${cut.includes('T') ? '' : 'T00:00:00'}Z` : cut);
	} else if (typeof value === 'number') date = new Date(value);
	if (!date || Number.isNaN(date.getTime())) {
		throw invalid(ctx, field, `is not an ISO 8601 date-time: ${JSON.stringify(String(value)).slice(0, 60)}`);
	}
	return date.toISOString();
}

/** The payload of one Track call; a field error (naming the field and the item) before anything is sent. */
export function buildEventPayload(ctx: FieldContext, input: TrackInput): EventPayload {
	const now = input.now ?? new Date();
	const type = input.eventType;
	let eventKey: string;
	if (type === CUSTOM_EVENT) {
		const key = text(ctx, 'Event Key', input.eventKey);
		if (blank(key)) throw invalid(ctx, 'Event Key', 'is required for a custom event');
		eventKey = key!;
	} else if ((COMMON_EVENTS as readonly string[]).includes(type)) {
		eventKey = type;
	} else {
		throw invalid(ctx, 'Event', `unknown event type ${JSON.stringify(type)}`);
	}

	const email = text(ctx, 'Email', input.email);
	const phone = text(ctx, 'Phone Number', input.phoneNumber);
	if (blank(email) && blank(phone)) throw invalid(ctx, 'Email', 'an email or a phone number is required (both are empty)');

	const propertiesLabel = input.propertiesLabel ?? 'Properties';
	let properties: IDataObject | undefined = input.properties === undefined ? undefined : jsonProperties(ctx, propertiesLabel, input.properties);
	if (ORDER_EVENTS.includes(type)) {
		let amount = input.amount;
		if (typeof amount === 'string' && amount.trim() !== '' && Number.isFinite(Number(amount))) amount = Number(amount);
		if (typeof amount !== 'number' || !Number.isFinite(amount)) throw invalid(ctx, 'Amount', `must be a finite number, got ${JSON.stringify(String(amount))}`);
		if (Number.isInteger(amount) && Math.abs(amount) > MAX_SAFE) throw invalid(ctx, 'Amount', 'is outside the safe integer range ±9007199254740991');
		const currency = text(ctx, 'Currency', input.currency);
		if (blank(currency)) throw invalid(ctx, 'Currency', 'is required for an order event (e.g. IDR)');
		for (const key of ['amount', 'currency']) {
			if (properties && key in properties) throw invalid(ctx, propertiesLabel, `must not contain "${key}" (the ${key === 'amount' ? 'Amount' : 'Currency'} field sets it)`);
		}
		properties = { ...(properties ?? {}), amount, currency: currency! };
	}

	const payload: EventPayload = {
		event_key: eventKey,
		is_common: type !== CUSTOM_EVENT,
		event_id: text(ctx, 'Event ID', input.eventId)?.trim() || randomUUID(),
		occurred_at: occurredAt(ctx, 'Occurred At', input.occurredAt, now),
	};
	if (!blank(email)) payload.email = email!;
	if (!blank(phone)) payload.phone_number = phone!;
	const contactName = text(ctx, 'Contact Name', input.contactName);
	if (!blank(contactName)) payload.contact_name = contactName!;
	const visitor = text(ctx, 'Visitor ID', input.visitorId)?.trim() || visitorFromHeaders(ctx, 'Inbound Request Headers', input.inboundHeaders);
	if (visitor) payload.visitor_id = visitor;
	if (properties !== undefined) payload.properties = properties;
	return payload;
}
