/**
 * Webhook mode: Cekat POSTs events to the node's URL (pasted in Cekat's settings).
 *
 * Cekat documents the event names, not the payload and no signature. The node assumes an envelope
 * `{ id, event, created_at, inbox_id?, data: { …record } }` and reads it robustly: the event name from
 * `event`, `event_type` or `type`; the event id from `event_id`, else `id` when the body is an envelope
 * (it has a `data` object, so `id` is the event's and not a record's), else a hash of the whole body
 * (a redelivery carries the same body, so it is still recognised).
 */
import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { ALL_EVENTS, isCrmEvent } from './events';

/** How many recent event ids the node remembers to recognise a redelivery. */
export const SEEN_EVENTS_LIMIT = 1000;
export const SEEN_EVENTS_KEY = 'seenEventIds';
export const SECRET_HEADER = 'x-cekat-secret';

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const nonEmpty = (value: unknown): value is string | number =>
	(typeof value === 'string' && value.trim() !== '') || (typeof value === 'number' && Number.isFinite(value));

/** JSON with object keys sorted at every depth: equal data gives equal text whatever the key order. */
export function stableStringify(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
	if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableStringify(v))).join(',')}]`;
	const entries = Object.keys(value)
		.sort()
		.filter((key) => (value as IDataObject)[key] !== undefined)
		.map((key) => `${JSON.stringify(key)}:${stableStringify((value as IDataObject)[key])}`);
	return `{${entries.join(',')}}`;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Compares a given secret with the expected one in constant time (both are hashed to equal length first). */
export function secretMatches(expected: string, given: unknown): boolean {
	if (typeof given !== 'string') return false;
	return timingSafeEqual(sha256(expected), sha256(given));
}

export interface ReadEvent {
	event: string;
	/** Key for duplicate detection: the event's own id, or `sha256:<hash of the body>`. */
	id: string;
	/** Whether `id` came from the payload (false: a hash). */
	idFromPayload: boolean;
	inboxIds: string[];
	boardId?: string;
}

/** Reads the event name, id, inbox(es) and board of a payload; a string when it is not an event. */
export function readEvent(body: unknown): ReadEvent | string {
	if (!isObject(body)) return 'The request body is not a JSON object';
	const rawEvent = [body.event, body.event_type, body.type].find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
	if (!rawEvent) return 'The request has no event name (expected "event", "event_type" or "type")';
	const event = rawEvent.trim().toLowerCase();
	const data = isObject(body.data) ? body.data : undefined;

	let id: string;
	let idFromPayload = true;
	if (nonEmpty(body.event_id)) id = String(body.event_id);
	else if (nonEmpty(body.id) && data) id = String(body.id);
	else {
		id = `sha256:${sha256(stableStringify(body)).toString('hex')}`;
		idFromPayload = false;
	}

	const inboxIds = new Set<string>();
	const addInbox = (v: unknown) => {
		if (nonEmpty(v)) inboxIds.add(String(v));
	};
	addInbox(body.inbox_id);
	if (data) {
		addInbox(data.inbox_id);
		if (isObject(data.inbox)) addInbox(data.inbox.id);
		if (isObject(data.conversation)) addInbox(data.conversation.inbox_id);
		// A contact belongs to the inboxes it wrote to.
		if (Array.isArray(data.inboxes)) for (const inbox of data.inboxes) addInbox(isObject(inbox) ? inbox.id : inbox);
	}
	const boardSource = data?.board_id ?? body.board_id;
	return { event, id, idFromPayload, inboxIds: [...inboxIds], ...(nonEmpty(boardSource) ? { boardId: String(boardSource) } : {}) };
}

/** The body, or the raw body parsed as JSON when the server did not parse it (no JSON content type). */
function requestBody(ctx: IWebhookFunctions): unknown {
	const body = ctx.getBodyData() as unknown;
	if (isObject(body) && Object.keys(body).length > 0) return body;
	const raw = (ctx.getRequestObject() as { rawBody?: unknown }).rawBody;
	const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : undefined;
	if (text && text.trim() !== '') {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			return text;
		}
	}
	return body;
}

/** An answer written directly (n8n's webhook answer only carries its configured status code). */
function answer(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
	res.end(JSON.stringify(body));
	return { noWebhookResponse: true };
}

const ignored = (reason: string): IWebhookResponseData => ({ webhookResponse: { received: true, ignored: reason } });

function headerValue(headers: IDataObject, name: string): unknown {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

export async function receiveWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	if (this.getNodeParameter('mode', 'webhook') !== 'webhook') return ignored('the node is in Polling mode');

	// 1. The secret, before anything is read or recorded.
	const secret = String(this.getNodeParameter('secret', '') ?? '');
	if (secret !== '') {
		const query = this.getQueryData() as IDataObject;
		const given = query.secret ?? headerValue(this.getHeaderData() as IDataObject, SECRET_HEADER);
		if (!secretMatches(secret, Array.isArray(given) ? given[0] : given)) {
			return answer(this, 401, { message: 'Invalid or missing secret' });
		}
	}

	// 2. Is it an event?
	const body = requestBody(this);
	const read = readEvent(body);
	if (typeof read === 'string') return answer(this, 400, { received: false, message: read });
	const payload = body as IDataObject;

	// 3. Filters: the chosen events, then the inbox (not for CRM events) or the board (CRM events only).
	const events = (this.getNodeParameter('events', []) as string[]) ?? [];
	if (!events.includes(ALL_EVENTS) && !events.includes(read.event)) return ignored(`event "${read.event}" is not one of the chosen events`);
	if (isCrmEvent(read.event)) {
		const boardId = String(this.getNodeParameter('boardId', '', { extractValue: true }) ?? '').trim();
		if (boardId !== '' && read.boardId !== boardId) {
			return ignored(read.boardId ? `event of board ${read.boardId}, not of the chosen board` : 'event without a board id, and a board is chosen');
		}
	} else {
		const inboxId = String(this.getNodeParameter('inboxId', '', { extractValue: true }) ?? '').trim();
		if (inboxId !== '' && !read.inboxIds.includes(inboxId)) {
			return ignored(read.inboxIds.length ? `event of inbox ${read.inboxIds.join(', ')}, not of the chosen inbox` : 'event without an inbox id, and an inbox is chosen');
		}
	}

	// 4. Once per event: a redelivered id answers 200 and starts nothing.
	const staticData = this.getWorkflowStaticData('node');
	const seen = Array.isArray(staticData[SEEN_EVENTS_KEY]) ? (staticData[SEEN_EVENTS_KEY] as string[]) : [];
	if (seen.includes(read.id)) return { webhookResponse: { received: true, duplicate: true, id: read.id } };
	// A new array (not a push): n8n notices the change and saves it with the workflow's static data.
	staticData[SEEN_EVENTS_KEY] = [...seen, read.id].slice(-SEEN_EVENTS_LIMIT);

	const json: IDataObject = { ...payload, event: read.event };
	if (payload.id === undefined || payload.id === null) json.id = read.id;
	if ((payload.inbox_id === undefined || payload.inbox_id === null) && read.inboxIds.length === 1) json.inbox_id = read.inboxIds[0];
	return { workflowData: [[{ json }]], webhookResponse: { received: true, id: read.id } };
}
