/**
 * Webhook mode: Cekat's business webhooks POST events to the node's URL.
 *
 * Deliveries follow Cekat's "Business Webhook Events" reference (docs/cekat-api.md, Webhooks):
 * `{ id, object, timestamp, event_name, …, data }`, or `event_type` with top-level fields for
 * ai_summary.generated and conversation_note.*. Deduplicated by the top-level `id`. No signature is
 * documented: an optional shared secret is checked in the URL's query or a header.
 */
import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { isObject } from '../shared/cekatShapes';
import { ALL_EVENTS, isCrmEvent, isKnownEvent, scopeOf } from './events';

/** How many recent event ids the node remembers to recognise a redelivery. */
export const SEEN_EVENTS_LIMIT = 1000;
export const SEEN_EVENTS_KEY = 'seenEventIds';
export const SECRET_HEADER = 'x-cekat-secret';

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

/**
 * Reads the event name, id, inbox(es) and board of a delivery; a string when it is not an event.
 * Names: `event_name` (most events), `event_type` (ai_summary.generated, conversation_note.*), then the
 * older guesses `event` and `type`. Id: the top-level `id` of a real envelope (it has a discriminator of its own,
 * so `id` is the event's), else `event_id`, else `id` beside a `data` object, else a hash of the body.
 */
export function readEvent(body: unknown): ReadEvent | string {
	if (!isObject(body)) return 'The request body is not a JSON object';
	const rawEvent = [body.event_name, body.event_type, body.event, body.type].find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
	if (!rawEvent) return 'The request has no event name (expected "event_name", "event_type", "event" or "type")';
	const event = rawEvent.trim().toLowerCase();
	const data = isObject(body.data) ? body.data : undefined;
	const envelope = typeof body.event_name === 'string' || typeof body.event_type === 'string';

	let id: string;
	let idFromPayload = true;
	if (envelope && nonEmpty(body.id)) id = String(body.id);
	else if (nonEmpty(body.event_id)) id = String(body.event_id);
	else if (nonEmpty(body.id) && data) id = String(body.id);
	else {
		id = `sha256:${sha256(stableStringify(body)).toString('hex')}`;
		idFromPayload = false;
	}

	// Where real events name their inbox: notes at the top level, conversation and template events in data,
	// message events in data.conversation (docs/cekat-api.md, Webhooks).
	const inboxIds = new Set<string>();
	const addInbox = (v: unknown) => {
		if (nonEmpty(v)) inboxIds.add(String(v));
	};
	addInbox(body.inbox_id);
	if (data) {
		addInbox(data.inbox_id);
		if (isObject(data.conversation)) addInbox(data.conversation.inbox_id);
	}
	// CRM events name their board at the top level.
	const boardSource = body.board_id ?? data?.board_id;
	return { event, id, idFromPayload, inboxIds: [...inboxIds], ...(nonEmpty(boardSource) ? { boardId: String(boardSource) } : {}) };
}

/**
 * The item a delivery starts the workflow with: Cekat's body unchanged, plus `event` (the event name, whichever
 * key carried it). Order status events (`order.order_status_updated`, `order.payment_status_updated`) carry no
 * `data`, only `order_id` and `changed { old_value, new_value }`: `old_value` / `new_value` are copied to the top
 * level too, so `{{ $json.new_value }}` reads the same as on conversation status events.
 */
export function outputOf(body: IDataObject, event: string): IDataObject {
	const json: IDataObject = { ...body, event };
	if ((event === 'order.order_status_updated' || event === 'order.payment_status_updated') && isObject(body.changed)) {
		if (json.old_value === undefined) json.old_value = body.changed.old_value ?? null;
		if (json.new_value === undefined) json.new_value = body.changed.new_value ?? null;
	}
	return json;
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

	// 3. Filters: the chosen events (only events the node knows), then the board (CRM events) or the inbox
	// (events that name one: messages, conversations, notes, templates). Orders, contacts, AI summaries and
	// Netzme payments name no inbox in Cekat's reference: the Inbox filter does not apply to them.
	const events = (this.getNodeParameter('events', []) as string[]) ?? [];
	if (!isKnownEvent(read.event)) return ignored(`event "${read.event}" is not an event this node knows`);
	if (!events.includes(ALL_EVENTS) && !events.includes(read.event)) return ignored(`event "${read.event}" is not one of the chosen events`);
	const scope = scopeOf(read.event);
	if (isCrmEvent(read.event)) {
		const boardId = String(this.getNodeParameter('boardId', '', { extractValue: true }) ?? '').trim();
		if (boardId !== '' && read.boardId !== boardId) {
			return ignored(read.boardId ? `event of board ${read.boardId}, not of the chosen board` : 'event without a board id, and a board is chosen');
		}
	} else if (scope !== 'none') {
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

	const json = outputOf(payload, read.event);
	return { workflowData: [[{ json }]], webhookResponse: { received: true, id: read.id } };
}

/**
 * The trigger's step of the run an event started: passes the event on and records its id among the seen ones.
 * webhook() records it too, but n8n 2.41 drops that write once the node has static data (a subscription,
 * earlier ids): it starts the run, which resets the shared static data's "changed" flag, before it answers and
 * saves. The run itself loads the static data afresh and saves it when it ends, so the id is recorded here as
 * well (test/e2e/trigger.e2e.ts: Cekat's retry starts nothing). Manual runs save no static data.
 */
export function passEventOn(this: IExecuteFunctions): INodeExecutionData[][] {
	const items = this.getInputData();
	if (this.getMode() !== 'manual') {
		const ids = items.map((item) => readEvent(item.json)).flatMap((read) => (typeof read !== 'string' && read.idFromPayload ? [read.id] : []));
		const staticData = this.getWorkflowStaticData('node');
		const seen = Array.isArray(staticData[SEEN_EVENTS_KEY]) ? (staticData[SEEN_EVENTS_KEY] as string[]) : [];
		const fresh = ids.filter((id) => !seen.includes(id));
		if (fresh.length) staticData[SEEN_EVENTS_KEY] = [...seen, ...fresh].slice(-SEEN_EVENTS_LIMIT);
	}
	return [items];
}
