/**
 * Webhook emission: the sandbox calls a configured URL when its data changes through the API, the way
 * Cekat's business webhooks call a subscribed URL.
 *
 * Bodies follow Cekat's "Business Webhook Events — Consolidated Reference" (docs/cekat-api.md, Webhooks; REF):
 *   { "id": "<event uuid>", "object": "order", "timestamp": <epoch seconds>, "event_name": "order.created", …extras, "data": {…} }
 * `ai_summary.generated` and `conversation_note.*` use `event_type` instead of `event_name` and carry their
 * fields at the top level (no `data`); `order.order_status_updated` / `order.payment_status_updated` carry
 * `order_id` + `changed` and no `data`. See `buildEnvelope` for each event.
 * Headers: content-type application/json, plus `x-cekat-event: <event>` and `x-cekat-secret: <secret>` when a
 * secret is configured. Neither header is evidenced (REF does not say how the subscription's `secret` is sent);
 * a user can always put the secret in the URL's query, `?secret=…`, which the sandbox sends as part of the URL.
 *
 * Deliveries are fire-and-forget: an API request never waits for, or fails because of, a delivery. They are sent
 * one at a time, in the order of the events (a redelivery after the previous answer, as a retrying sender does);
 * `parallel: true` on a hand-made event sends its repeats at once instead (two deliveries within milliseconds).
 * Each one is journaled in a small delivery log (`GET /__sandbox/webhooks/deliveries`) that tests read to wait
 * for them.
 * Targets must be loopback addresses (127.0.0.1, localhost, ::1): the sandbox never calls out of the machine.
 *
 * Control routes:
 *   POST   /__sandbox/webhooks                    { url, secret?, events? }  configure (events: the names to send; default all)
 *   GET    /__sandbox/webhooks                    { target }
 *   DELETE /__sandbox/webhooks                    stop sending
 *   POST   /__sandbox/webhooks/emit               { event, data?, fields?, inbox_id?, board_id?, id?, repeat?, parallel? }
 *          send any event by hand: without `data` the sandbox builds a realistic body from its own records
 *          (e.g. a real conversation for conversation.*); `data` replaces the body's `data`, `fields` are set at
 *          the top level, `inbox_id` / `board_id` go where that event carries them.
 *   POST   /__sandbox/webhooks/redeliver/:eventId send a sent event again, byte for byte (Cekat retrying)
 *   GET    /__sandbox/webhooks/deliveries         { deliveries }, oldest first
 *   DELETE /__sandbox/webhooks/deliveries         clear the log
 */
import type { FastifyInstance } from 'fastify';
import { ApiError, badRequest } from './errors';
import { Rng } from './prng';
import type { Store } from './store';
import { type Subscription, Subscriptions } from './subscriptions';
import type { Contact, Conversation, Message } from './types';
import { wireContact, wireConversation, wireMessage, wireOrder } from './wire';

/** The 24 events of REF's catalogue. */
export const WEBHOOK_EVENTS = [
	'message.received',
	'message.sent',
	// Registered at Cekat but never emitted (REF): the sandbox sends it only by hand, with message.sent's shape (a guess).
	'message.failed',
	'conversation.created',
	'conversation.handled_by_updated',
	'conversation.stage_status_updated',
	'conversation.pipeline_status_updated',
	'conversation.labels_updated',
	'conversation.customer_first_response_human_stage',
	'ai_summary.generated',
	'conversation_note.created',
	'conversation_note.updated',
	'contact.updated',
	'crm_item.created',
	'crm_item.updated',
	'crm_item.deleted',
	'crm_value.upserted',
	'crm_value.deleted',
	'order.created',
	'order.updated',
	'order.order_status_updated',
	'order.payment_status_updated',
	'netzme.invoice_paid',
	'template.status_updated',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Events whose discriminator is `event_type` (fields at the top level, no `data`), per REF. */
export const EVENT_TYPE_EVENTS: readonly string[] = ['ai_summary.generated', 'conversation_note.created', 'conversation_note.updated'];

export interface WebhookTarget {
	/** Loopback http(s) URL; may carry a query, e.g. `?secret=…`. */
	url: string;
	/** Sent as the `x-cekat-secret` header when set. */
	secret?: string;
	/** Event names to send (like the events of a subscription); default: all. */
	events?: string[];
}

/** A delivery body: Cekat's envelope (see the file comment). */
export interface WebhookPayload {
	id: string;
	object: string;
	timestamp: number;
	event_name?: string;
	event_type?: string;
	data?: unknown;
	[key: string]: unknown;
}

/** The event name of a body, whichever discriminator it uses. */
export const eventOf = (payload: WebhookPayload): string => String(payload.event_name ?? payload.event_type ?? '');

export interface Delivery {
	seq: number;
	event_id: string;
	event: string;
	url: string;
	/** 1 for the first delivery of an event, 2… for redeliveries. */
	attempt: number;
	/** HTTP status of the answer; null while pending, 0 when no answer came (refused, timeout). */
	status: number | null;
	error?: string;
	/** The answer's body (JSON when it was JSON, else text), cut at 2,000 characters. */
	response?: unknown;
	started_at: string;
	duration_ms?: number;
	/** Set when the delivery went to an API subscription (sandbox/subscriptions.ts), not the /__sandbox target. */
	subscription_id?: string;
}

/** Where one delivery goes: the /__sandbox target or a subscription. */
interface Recipient {
	url: string;
	/** The target's secret (x-cekat-secret). */
	secret?: string;
	/** A REF subscription's headers, sent as given. */
	headers?: Record<string, string>;
	subscriptionId?: string;
}

export interface EmitOptions {
	/** Where the event happened when the entity does not say (placed where the event carries an inbox). */
	inboxId?: string | null;
	/** The entity before the change (old values); without it the emitter's own copy from before is used. */
	before?: unknown;
	/** Event id; default: a fresh deterministic UUID. */
	id?: string;
	/** Deliver the same event this many times, one after the other (each after the previous answer). */
	repeat?: number;
	/** With repeat: send the copies at the same time instead (a sender that does not wait). */
	parallel?: boolean;
	/** Hand-made events: replaces the body's `data`. */
	data?: unknown;
	/** Hand-made events: top-level fields set on the body (after it is built). */
	fields?: Record<string, unknown>;
	/** Hand-made CRM events: the board (top-level `board_id`). */
	boardId?: string | null;
}

const LOG_LIMIT = 2_000;
const PAYLOAD_LIMIT = 2_000;
const DELIVERY_TIMEOUT_MS = 10_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export class WebhookConfigError extends Error {}

/** Checks a target and returns its normalised form; throws WebhookConfigError naming the problem. */
export function validateTarget(raw: unknown): WebhookTarget {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new WebhookConfigError('body must be an object { url, secret?, events? }');
	const { url, secret, events } = raw as Record<string, unknown>;
	if (typeof url !== 'string' || url === '') throw new WebhookConfigError('url is required');
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new WebhookConfigError(`url is not a valid URL: '${url}'`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new WebhookConfigError('url must be http(s)');
	if (!LOOPBACK.has(parsed.hostname)) throw new WebhookConfigError(`url must point to this machine (127.0.0.1, localhost or ::1), got '${parsed.hostname}'`);
	if (secret !== undefined && secret !== null && typeof secret !== 'string') throw new WebhookConfigError('secret must be a string');
	let list: string[] | undefined;
	if (events !== undefined && events !== null) {
		if (!Array.isArray(events) || events.some((e) => typeof e !== 'string')) throw new WebhookConfigError('events must be a list of event names');
		const unknown = (events as string[]).find((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
		if (unknown !== undefined) throw new WebhookConfigError(`unknown event '${unknown}' (known: ${WEBHOOK_EVENTS.join(', ')})`);
		list = [...(events as string[])];
	}
	return { url, ...(typeof secret === 'string' && secret !== '' ? { secret } : {}), ...(list ? { events: list } : {}) };
}

/** A JSON copy: the event carries the record as it was when the event happened. */
const snapshot = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

type Rec = Record<string, unknown>;

const isRec = (value: unknown): value is Rec => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** What the body's `object` says, by the event's family (REF). */
function objectOf(event: string): string {
	const family = event.split('.')[0];
	if (family === 'ai_summary') return 'conversation';
	return family;
}

/** Payment statuses are upper case in webhook bodies (REF: `PENDING`, `PAID`), lower case in the sandbox's lists. */
const upper = (value: unknown): unknown => (typeof value === 'string' ? value.toUpperCase() : value);

/**
 * A record as webhook `data` carries it: as the API serves it (sandbox/wire.ts), read from the store when the
 * record is there (the entity otherwise, e.g. a hand-made one). Orders are the full detail, payment status upper
 * case (REF).
 */
function wired(store: Store, kind: 'order' | 'conversation' | 'contact' | 'message', e: Rec): Rec {
	const id = typeof e.id === 'string' ? e.id : undefined;
	if (kind === 'order') {
		const o = id ? store.orders.get(id) : undefined;
		return o ? (snapshot(wireOrder(o, { orderUpdatedAt: true, paymentStatusCase: 'upper' })) as Rec) : { ...e, payment_status: upper(e.payment_status) };
	}
	if (kind === 'conversation') {
		const c = id ? store.conversations.get(id) : undefined;
		return c ? (snapshot(wireConversation(store, c as Conversation)) as Rec) : e;
	}
	if (kind === 'contact') {
		const c = id ? store.contacts.get(id) : undefined;
		return c ? (snapshot(wireContact(c as Contact)) as Rec) : e;
	}
	const m = id ? store.messages.get(id) : undefined;
	return m ? (snapshot(wireMessage(m as Message)) as Rec) : e;
}

/** The collections whose old values some events carry (old_value, changed, changes). */
type Kind = 'conversation' | 'order' | 'contact' | 'crmItem';

/** Context the builders need: the store (to look records up) and the records as they were before the change. */
interface BuildContext {
	store: Store;
	before(kind: Kind, id: unknown): Rec | undefined;
	nowIso: string;
}

/** A record of the store by id, as a plain copy. */
function lookup(store: Store, kind: Kind | 'inbox' | 'template', id: unknown): Rec | undefined {
	if (typeof id !== 'string') return undefined;
	const collection = {
		conversation: store.conversations,
		order: store.orders,
		contact: store.contacts,
		crmItem: store.crmItems,
		inbox: store.inboxes,
		template: store.templates,
	}[kind] as unknown as { get(id: string): unknown };
	const found = collection.get(id);
	return isRec(found) ? (snapshot(found) as Rec) : undefined;
}

const contactName = (contact: Rec | undefined): unknown => contact?.display_name ?? contact?.contact_name ?? null;

/**
 * The body of one event (without `id`), from the entity a route passes (the store's record, or for crm_value.*
 * `{ board_id, item_id, column_name, value }`). Follows REF's payload for each event; where REF shows only
 * `{ id }` as `data` (status and label events), the sandbox sends the conversation's current detail, as REF says
 * of conversation.created (an assumption, noted in docs/cekat-api.md).
 */
export function buildEnvelope(event: string, entity: unknown, ctx: BuildContext, options: Pick<EmitOptions, 'before' | 'inboxId'> = {}): Omit<WebhookPayload, 'id'> {
	const e: Rec = isRec(entity) ? (snapshot(entity) as Rec) : {};
	const given = isRec(options.before) ? options.before : undefined;
	const head = (discriminator: 'event_name' | 'event_type' = 'event_name') => ({
		object: objectOf(event),
		timestamp: Math.floor(Date.parse(ctx.nowIso) / 1000),
		[discriminator]: event,
	});
	const old = (kind: Kind, field: string): unknown => (given ?? ctx.before(kind, e.id))?.[field] ?? null;

	switch (event) {
		case 'message.received':
		case 'message.sent':
		case 'message.failed': {
			const found = typeof e.conversation_id === 'string' ? lookup(ctx.store, 'conversation', e.conversation_id) : undefined;
			const conversation = found ? wired(ctx.store, 'conversation', found) : isRec(e.conversation) ? e.conversation : { id: e.conversation_id ?? null, inbox_id: options.inboxId ?? null };
			// REF: a customer's message is sent_by_type "user"; the sandbox's lists say "contact".
			const sentBy = e.sent_by_type === 'contact' ? 'user' : (e.sent_by_type ?? (event === 'message.received' ? 'user' : 'agent'));
			return { ...head(), data: { ...wired(ctx.store, 'message', e), sent_by_type: sentBy, conversation } };
		}
		case 'conversation.created':
		case 'conversation.customer_first_response_human_stage':
			return { ...head(), data: wired(ctx.store, 'conversation', e) };
		case 'conversation.handled_by_updated':
			return { ...head(), updated_field: 'handled_by', old_value: old('conversation', 'handled_by_id'), new_value: e.handled_by_id ?? null, data: wired(ctx.store, 'conversation', e) };
		case 'conversation.stage_status_updated':
			return { ...head(), updated_field: 'stage_status', old_value: old('conversation', 'stage_status'), new_value: e.stage_status ?? null, data: wired(ctx.store, 'conversation', e) };
		case 'conversation.pipeline_status_updated': {
			const pipelineId = (value: unknown) => (isRec(value) ? (value.id ?? null) : (value ?? null));
			const before = given ?? ctx.before('conversation', e.id);
			return {
				...head(),
				updated_field: 'pipeline_status_id',
				old_value: before ? pipelineId(before.pipeline_status_id ?? before.pipeline) : null,
				new_value: pipelineId(e.pipeline_status_id ?? e.pipeline),
				data: wired(ctx.store, 'conversation', e),
			};
		}
		case 'conversation.labels_updated': {
			// The label that changed: given by the caller, else the difference with the labels before.
			const labels = (value: unknown) => (Array.isArray(value) ? value.filter(isRec) : []);
			const now = labels(e.labels);
			const then = labels((given ?? ctx.before('conversation', e.id))?.labels);
			const added = now.find((l) => !then.some((t) => t.id === l.id));
			const removed = then.find((t) => !now.some((l) => l.id === t.id));
			const label = isRec(e.label) ? e.label : (added ?? removed ?? now[0] ?? { id: null, name: null });
			const changeType = str(e.change_type) ?? (added || !removed ? 'added' : 'removed');
			const rest = { ...e };
			delete rest.label;
			delete rest.change_type;
			return { ...head(), change_type: changeType, label: { id: label.id ?? null, name: label.name ?? null }, data: wired(ctx.store, 'conversation', rest) };
		}
		case 'ai_summary.generated': {
			const conv = lookup(ctx.store, 'conversation', e.conversation_id ?? e.id) ?? e;
			return {
				...head('event_type'),
				conversation_id: conv.id ?? null,
				phone_number: conv.contact_phone ?? conv.phone_number ?? null,
				display_name: conv.display_name ?? conv.contact_name ?? null,
				inbox_name: conv.inbox_name ?? null,
				ai_summary_text: e.ai_summary_text ?? 'Customer asked about pricing and delivery to Bandung.',
				notes: e.notes ?? conv.notes ?? null,
				generated_at: e.generated_at ?? ctx.nowIso,
			};
		}
		case 'conversation_note.created':
		case 'conversation_note.updated': {
			const conv = lookup(ctx.store, 'conversation', e.conversation_id ?? e.id) ?? e;
			const note = e.note ?? conv.notes ?? 'Customer requested a follow-up call';
			return {
				...head('event_type'),
				contact_id: e.contact_id ?? conv.contact_id ?? null,
				note,
				...(event === 'conversation_note.updated' ? { previous_note: e.previous_note ?? old('conversation', 'notes') } : {}),
				conversation_id: conv.id ?? null,
				inbox_id: e.inbox_id ?? conv.inbox_id ?? options.inboxId ?? null,
			};
		}
		case 'contact.updated': {
			// REF: the first changed field only.
			const before = given ?? ctx.before('contact', e.id);
			let key = str(e.key) ?? undefined;
			if (!key && before) key = Object.keys(e).find((k) => JSON.stringify(e[k]) !== JSON.stringify(before[k]));
			key ??= 'display_name';
			const data = { ...wired(ctx.store, 'contact', e), display_name: contactName(e) };
			const pick = (r: Rec | undefined) => (r ? (key === 'display_name' ? contactName(r) : r[key!]) : null) ?? null;
			return { ...head(), changes: { key, old_value: pick(before), new_value: pick(data) }, data };
		}
		case 'crm_item.created':
		case 'crm_item.updated':
			// REF: data is { id, name } (REST rows say item_id / item_name).
			return { ...head(), board_id: e.board_id ?? null, message: 'success', data: { id: e.id ?? e.item_id ?? null, name: e.item_name ?? e.name ?? null } };
		case 'crm_item.deleted':
			return { ...head(), board_id: e.board_id ?? null, message: 'success', data: { item_id: e.id ?? e.item_id ?? null } };
		case 'crm_value.upserted':
		case 'crm_value.deleted': {
			// The route passes { board_id, item_id, column_name, value }; data is keyed by the column's display name.
			const item = lookup(ctx.store, 'crmItem', e.item_id) ?? ctx.before('crmItem', e.item_id);
			const column = str(e.column_name) ?? 'Priority';
			const beforeItem = isRec(given) ? given : ctx.before('crmItem', e.item_id);
			const beforeValues = beforeItem && isRec(beforeItem.values) ? beforeItem.values : undefined;
			// REF: a deleted value carries the value BEFORE deletion.
			const value = event === 'crm_value.deleted' ? (e.old_value ?? beforeValues?.[column] ?? null) : (e.value ?? null);
			return {
				...head(),
				board_id: e.board_id ?? item?.board_id ?? null,
				message: 'success',
				data: { item_id: e.item_id ?? null, item_name: e.item_name ?? item?.item_name ?? null, [column]: value },
			};
		}
		case 'order.created':
			return { ...head(), message: 'success', data: wired(ctx.store, 'order', e) };
		case 'order.updated': {
			const before = given ?? ctx.before('order', e.id);
			const changed: Rec = {};
			if (before) {
				for (const key of Object.keys(e)) {
					if (key === 'updated_at' || key.startsWith('previous_')) continue;
					if (JSON.stringify(e[key]) === JSON.stringify(before[key])) continue;
					const cased = key === 'payment_status' ? upper : (v: unknown) => v;
					changed[key] = { old_value: cased(before[key] ?? null), new_value: cased(e[key] ?? null) };
				}
			}
			return { ...head(), message: 'success', changed, data: wired(ctx.store, 'order', e) };
		}
		case 'order.order_status_updated':
		case 'order.payment_status_updated': {
			const field = event === 'order.order_status_updated' ? 'order_status' : 'payment_status';
			const previous = e[`previous_${field}`] ?? old('order', field);
			const cased = field === 'payment_status' ? upper : (v: unknown) => v;
			// REF: no data, the order id at the top level.
			return { ...head(), order_id: e.id ?? e.order_id ?? null, changed: { old_value: cased(previous), new_value: cased(e[field] ?? null) } };
		}
		case 'netzme.invoice_paid':
			// Only sent by hand: the entity carries the fields (sampleEntity).
			return {
				...head(),
				invoice_id: e.invoice_id ?? null,
				amount: e.amount ?? null,
				payment_method: e.payment_method ?? 'QRIS',
				payment_time: e.payment_time ?? ctx.nowIso,
				conversations: { id: e.conversation_id ?? null },
			};
		case 'template.status_updated': {
			const inbox = lookup(ctx.store, 'inbox', e.inbox_id);
			return {
				...head(),
				data: {
					id: e.id ?? null,
					wa_template_id: e.wa_template_id ?? null,
					template_status: e.template_status ?? e.status ?? null,
					template_name: e.template_name ?? e.name ?? null,
					inbox_id: e.inbox_id ?? options.inboxId ?? null,
					inbox_name: e.inbox_name ?? inbox?.name ?? null,
				},
			};
		}
		default:
			// Not an event of REF's catalogue (a test of an unknown event): the common envelope.
			return { ...head(), data: e };
	}
}

const carriesInbox = (event: string): boolean => /^(message|conversation|conversation_note)\./.test(event) || event === 'template.status_updated';

/** Puts an inbox id where the event carries one (hand-made events; the trigger reads it there). */
function placeInbox(event: string, body: Rec, inboxId: string | null): void {
	const data = isRec(body.data) ? body.data : undefined;
	if (event.startsWith('message.') && data) data.conversation = { ...(isRec(data.conversation) ? data.conversation : {}), inbox_id: inboxId };
	else if (data) data.inbox_id = inboxId;
	else body.inbox_id = inboxId;
}

/**
 * A realistic entity for an event sent by hand without `data`: a record of the store of the right kind
 * (the first one, so a test knows which).
 */
function sampleEntity(store: Store, event: string): unknown {
	const first = <T>(items: readonly T[]): T | undefined => items[0];
	const conv = first(store.conversations.all());
	switch (event.split('.')[0]) {
		case 'message': {
			const message = conv ? first(store.messagesOf(conv.id)) : undefined;
			return message ?? { id: store.newId(), conversation_id: conv?.id ?? null, message: 'Halo kak', sent_by_type: 'contact' };
		}
		case 'conversation':
			if (event === 'conversation.labels_updated' && conv) return { ...conv, change_type: 'added', label: conv.labels[0] ?? { id: 'label-vip', name: 'VIP' } };
			return conv;
		case 'ai_summary':
			return { conversation_id: conv?.id ?? null };
		case 'conversation_note':
			return event === 'conversation_note.updated'
				? { conversation_id: conv?.id ?? null, note: 'Call back on Tuesday', previous_note: 'Call back on Monday' }
				: { conversation_id: conv?.id ?? null, note: 'Customer requested a follow-up call' };
		case 'contact':
			return first(store.contacts.all());
		case 'crm_item':
			return first(store.crmItems.all());
		case 'crm_value': {
			const item = first(store.crmItems.all()) as unknown as Rec | undefined;
			const values = item && isRec(item.values) ? item.values : {};
			const column = Object.keys(values).find((k) => values[k] !== null) ?? Object.keys(values)[0] ?? 'Priority';
			return { board_id: item?.board_id ?? null, item_id: item?.id ?? null, column_name: column, value: values[column] ?? 'High', old_value: values[column] ?? 'High' };
		}
		case 'order': {
			const order = first(store.orders.all()) as unknown as Rec | undefined;
			if (!order) return undefined;
			if (event === 'order.order_status_updated') return { ...order, order_status: 'processing', previous_order_status: 'pending' };
			if (event === 'order.payment_status_updated') return { ...order, payment_status: 'paid', previous_payment_status: 'pending' };
			return order;
		}
		case 'netzme': {
			const order = store.orders.all().find((o) => o.conversation_id) ?? first(store.orders.all());
			return { invoice_id: `INV-${String(order?.order_number ?? '1')}`, amount: order?.grand_total ?? 150000, payment_method: 'QRIS', conversation_id: order?.conversation_id ?? conv?.id ?? null };
		}
		case 'template':
			return first(store.templates.all());
		default:
			return {};
	}
}

/** The inbox an event names, where it carries one (the same places placeInbox writes). */
function inboxOfBody(event: string, body: Rec): string | null {
	const data = isRec(body.data) ? body.data : undefined;
	if (event.startsWith('message.')) return isRec(data?.conversation) ? str(data.conversation.inbox_id) : null;
	if (data && typeof data.inbox_id === 'string') return data.inbox_id;
	return str(body.inbox_id);
}

/**
 * Whether a subscription wants this event: its events list it, the inbox / board filter matches (an event that
 * names another inbox/board is not sent; one that names none is), and for order events OFF's `filters` match
 * the order (case-insensitive: payment status casing differs between lists and events).
 */
export function subscriptionMatches(sub: Subscription, event: string, body: Rec, store: Store): boolean {
	if (!sub.events.includes(event)) return false;
	if (sub.inboxId !== null && carriesInbox(event)) {
		const inbox = inboxOfBody(event, body);
		if (inbox !== null && inbox !== sub.inboxId) return false;
	}
	if (sub.boardId !== null) {
		const board = str(body.board_id);
		if (board !== null && board !== sub.boardId) return false;
	}
	if (sub.filters && event.startsWith('order.')) {
		const data = isRec(body.data) ? body.data : undefined;
		const orderId = data?.id ?? body.order_id;
		const order: Rec | undefined = data && Object.keys(data).length > 1 ? data : lookup(store, 'order', orderId);
		for (const [key, wanted] of Object.entries(sub.filters)) {
			const have = order?.[key];
			if (typeof have !== 'string' || have.toLowerCase() !== String(wanted).toLowerCase()) return false;
		}
	}
	return true;
}

export class WebhookEmitter {
	private current: WebhookTarget | undefined;
	private log: Delivery[] = [];
	private seq = 0;
	private payloads = new Map<string, WebhookPayload>();
	private attempts = new Map<string, number>();
	private pending = new Set<Promise<void>>();
	/** Deliveries go out one at a time, in order. */
	private queue: Promise<void> = Promise.resolve();
	private rng: Rng;
	/** Copies of the records as they were before the latest change (old values for events); see beforeOf(). */
	private shadow = new Map<string, Rec>();
	private shadowTaken = false;
	/** Subscriptions made through the API (both variants); cleared by reset(). */
	readonly subscriptions: Subscriptions;

	constructor(
		private readonly store: Store,
		target?: WebhookTarget,
	) {
		this.rng = new Rng(store.seed, 'webhook-ids');
		this.subscriptions = new Subscriptions(store.seed, () => store.nowIso());
		if (target) this.configure(target);
	}

	/** Call after adding a subscription: old values of later events need the records as they are now. */
	watch(): void {
		if (!this.shadowTaken) this.takeShadow();
	}

	get target(): WebhookTarget | undefined {
		return this.current ? { ...this.current, ...(this.current.events ? { events: [...this.current.events] } : {}) } : undefined;
	}

	/** Sets (or with undefined, removes) the target. Throws WebhookConfigError for a bad one. */
	configure(target: WebhookTarget | undefined): void {
		this.current = target === undefined ? undefined : validateTarget(target);
		if (this.current && !this.shadowTaken) this.takeShadow();
	}

	/**
	 * Routes change records in place and pass only the new record; events carry old values (old_value, changed,
	 * changes). So the emitter keeps a copy of the records that such events are about, taken when a target is
	 * set and refreshed at each event. A route may pass `before` instead (EmitOptions).
	 */
	private takeShadow(): void {
		this.shadow.clear();
		this.shadowTaken = true;
		const kinds: Array<[Kind, readonly unknown[]]> = [
			['conversation', this.store.conversations.all()],
			['order', this.store.orders.all()],
			['contact', this.store.contacts.all()],
			['crmItem', this.store.crmItems.all()],
		];
		for (const [kind, items] of kinds) for (const item of items) if (isRec(item)) this.shadow.set(`${kind}:${String(item.id)}`, snapshot(item) as Rec);
	}

	private beforeOf(kind: Kind, id: unknown): Rec | undefined {
		return typeof id === 'string' ? this.shadow.get(`${kind}:${id}`) : undefined;
	}

	/** After an event: the record as it is now is the "before" of its next change. */
	private refreshShadow(event: string, entity: unknown): void {
		if (!isRec(entity)) return;
		const family = event.split('.')[0];
		const kind: Kind | undefined = family === 'conversation' ? 'conversation' : family === 'order' ? 'order' : family === 'contact' ? 'contact' : family === 'crm_item' ? 'crmItem' : undefined;
		const id = kind === 'crmItem' || kind !== undefined ? entity.id : undefined;
		if (kind && typeof id === 'string') {
			const current = lookup(this.store, kind, id);
			if (current) this.shadow.set(`${kind}:${id}`, current);
			else this.shadow.delete(`${kind}:${id}`);
		} else if (family === 'crm_value' && typeof entity.item_id === 'string') {
			const current = lookup(this.store, 'crmItem', entity.item_id);
			if (current) this.shadow.set(`crmItem:${entity.item_id}`, current);
		}
	}

	/** Whether an event would be sent now (a target is set and it wants this event). */
	wants(event: string): boolean {
		return this.current !== undefined && (this.current.events === undefined || this.current.events.includes(event));
	}

	/**
	 * Sends an event to the target (if any, and if it wants the event). Never throws and never waits:
	 * returns the body that is being delivered, or undefined when nothing is sent. `entity` is the store's record
	 * the event is about (see buildEnvelope); `options.data` / `fields` / `inboxId` / `boardId` shape hand-made events.
	 */
	emit(event: string, entity: unknown, options: EmitOptions = {}, byHand = false): WebhookPayload | undefined {
		const toTarget = this.wants(event);
		const candidates = this.subscriptions.live().filter((s) => s.events.includes(event));
		if (!toTarget && candidates.length === 0) {
			this.refreshShadow(event, entity);
			return undefined;
		}
		const ctx: BuildContext = { store: this.store, before: (kind, id) => this.beforeOf(kind, id), nowIso: this.store.nowIso() };
		const built = buildEnvelope(event, entity, ctx, options) as Rec;
		if (options.data !== undefined) built.data = snapshot(options.data);
		// An inbox goes where the event names one (REF: messages, conversations, notes, templates); orders, contacts,
		// CRM, AI summaries and Netzme name none. From a route only when the record did not say; by hand always.
		if (options.inboxId !== undefined && carriesInbox(event) && (byHand || !this.hasInbox(event, built))) placeInbox(event, built, options.inboxId);
		if (options.boardId !== undefined) built.board_id = options.boardId;
		if (options.fields) Object.assign(built, snapshot(options.fields));
		const payload = { id: options.id ?? this.rng.uuid(), ...built } as WebhookPayload;
		this.refreshShadow(event, entity);
		const recipients = this.recipientsOf(payload, toTarget, candidates);
		if (recipients.length === 0) return undefined;
		this.remember(payload);
		this.deliver(recipients, payload, Math.max(1, Math.min(10, Math.floor(options.repeat ?? 1))), options.parallel === true);
		return payload;
	}

	/** The target (when it wants the event) and every matching subscription, in creation order. */
	private recipientsOf(payload: WebhookPayload, toTarget: boolean, candidates: readonly Subscription[]): Recipient[] {
		const out: Recipient[] = [];
		if (toTarget && this.current) out.push({ url: this.current.url, ...(this.current.secret ? { secret: this.current.secret } : {}) });
		const event = eventOf(payload);
		for (const sub of candidates) {
			if (subscriptionMatches(sub, event, payload, this.store)) out.push({ url: sub.url, headers: { ...sub.headers }, subscriptionId: sub.id });
		}
		return out;
	}

	/** Whether a built body already names an inbox where the event carries one. */
	private hasInbox(event: string, body: Rec): boolean {
		const data = isRec(body.data) ? body.data : undefined;
		if (event.startsWith('message.')) return isRec(data?.conversation) && typeof data.conversation.inbox_id === 'string';
		if (data) return typeof data.inbox_id === 'string';
		return typeof body.inbox_id === 'string';
	}

	/** A hand-made event (the emit control): a realistic body from the store unless `data` is given. */
	emitByHand(event: string, options: EmitOptions = {}): WebhookPayload | undefined {
		const entity = options.data === undefined ? sampleEntity(this.store, event) : {};
		return this.emit(event, entity, options, true);
	}

	/** Sends an already sent event again (same id, same body). Undefined if unknown or no target. */
	redeliver(eventId: string, repeat = 1): WebhookPayload | undefined {
		const payload = this.payloads.get(eventId);
		if (!payload) return undefined;
		// The target (whatever its event list, as before) and the subscriptions that match now.
		const event = eventOf(payload);
		const recipients = this.recipientsOf(payload, this.current !== undefined, this.subscriptions.live().filter((s) => s.events.includes(event)));
		if (recipients.length === 0) return undefined;
		this.deliver(recipients, payload, Math.max(1, Math.min(10, Math.floor(repeat))));
		return payload;
	}

	deliveries(): Delivery[] {
		return this.log.map((d) => ({ ...d }));
	}

	clearDeliveries(): void {
		this.log = [];
	}

	/** Resolves when every delivery started so far has ended (tests). */
	async settle(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
	}

	/** After a store reset: same ids again, empty log, no subscriptions; the target stays (it is a start option). */
	reset(): void {
		this.rng = new Rng(this.store.seed, 'webhook-ids');
		this.subscriptions.reset(this.store.seed);
		// (deliveries already queued still go out; the log starts empty)
		this.log = [];
		this.payloads.clear();
		this.attempts.clear();
		this.shadowTaken = false;
		this.shadow.clear();
		if (this.current) this.takeShadow();
	}

	private remember(payload: WebhookPayload): void {
		this.payloads.set(payload.id, payload);
		if (this.payloads.size > PAYLOAD_LIMIT) this.payloads.delete(this.payloads.keys().next().value as string);
	}

	private deliver(recipients: Recipient[], payload: WebhookPayload, times: number, parallel = false): void {
		if (recipients.length === 0) return;
		const body = JSON.stringify(payload);
		// Recipients one after the other (the order of the delivery log is fixed); repeats as before.
		const run = this.queue.then(async () => {
			for (const target of recipients) {
				if (parallel) await Promise.all(Array.from({ length: times }, async () => await this.send(target, payload, body)));
				else for (let i = 0; i < times; i++) await this.send(target, payload, body);
			}
		});
		this.queue = run.catch(() => undefined);
		this.pending.add(run);
		void run.finally(() => this.pending.delete(run));
	}

	private async send(target: Recipient, payload: WebhookPayload, body: string): Promise<void> {
		// Attempts count per event and recipient: a second recipient's first delivery is attempt 1.
		const attemptKey = target.subscriptionId ? `${payload.id} ${target.subscriptionId}` : payload.id;
		const attempt = (this.attempts.get(attemptKey) ?? 0) + 1;
		this.attempts.set(attemptKey, attempt);
		if (this.attempts.size > PAYLOAD_LIMIT) this.attempts.delete(this.attempts.keys().next().value as string);
		const entry: Delivery = {
			seq: ++this.seq,
			event_id: payload.id,
			event: eventOf(payload),
			url: target.url,
			attempt,
			status: null,
			started_at: new Date().toISOString(),
			...(target.subscriptionId ? { subscription_id: target.subscriptionId } : {}),
		};
		this.log.push(entry);
		if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
		const start = performance.now();
		try {
			const res = await fetch(target.url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'user-agent': 'cekat-sandbox-webhooks',
					'x-cekat-event': eventOf(payload),
					...(target.secret ? { 'x-cekat-secret': target.secret } : {}),
					...(target.headers ?? {}),
				},
				body,
				signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
			});
			const text = (await res.text()).slice(0, 2_000);
			let response: unknown = text;
			try {
				response = text === '' ? undefined : JSON.parse(text);
			} catch {
				// not JSON: keep the text
			}
			entry.status = res.status;
			if (response !== undefined) entry.response = response;
		} catch (e) {
			entry.status = 0;
			// fetch fails with "fetch failed"; the reason is its cause (ECONNREFUSED, a timeout…)
			const cause = (e as { cause?: { code?: string; message?: string } }).cause;
			entry.error = cause?.code ?? cause?.message ?? (e as Error).message ?? 'error';
		} finally {
			entry.duration_ms = Math.round((performance.now() - start) * 100) / 100;
		}
	}
}

export function registerWebhookControlRoutes(app: FastifyInstance, webhooks: WebhookEmitter): void {
	const p = '/__sandbox/webhooks';
	const config = (fn: () => void) => {
		try {
			fn();
		} catch (e) {
			if (e instanceof WebhookConfigError) throw badRequest('webhooks', e.message);
			throw e;
		}
	};

	app.post(p, async (req) => {
		config(() => webhooks.configure(req.body as WebhookTarget));
		return { ok: true, target: webhooks.target };
	});
	app.get(p, async () => ({ target: webhooks.target ?? null }));
	app.delete(p, async () => {
		webhooks.configure(undefined);
		return { ok: true };
	});

	app.post(`${p}/emit`, async (req) => {
		const body = (req.body ?? {}) as Record<string, unknown>;
		if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('body', 'body must be an object { event, data?, fields?, inbox_id?, board_id?, id?, repeat? }');
		const { event, data, fields, inbox_id: inboxId, board_id: boardId, id, repeat, parallel } = body;
		if (typeof event !== 'string' || event === '') throw badRequest('event', 'event is required (an event name)');
		if (inboxId !== undefined && inboxId !== null && typeof inboxId !== 'string') throw badRequest('inbox_id', 'inbox_id must be a string');
		if (boardId !== undefined && boardId !== null && typeof boardId !== 'string') throw badRequest('board_id', 'board_id must be a string');
		if (fields !== undefined && !isRec(fields)) throw badRequest('fields', 'fields must be an object (top-level fields of the body)');
		if (id !== undefined && (typeof id !== 'string' || id === '')) throw badRequest('id', 'id must be a non-empty string');
		if (repeat !== undefined && (typeof repeat !== 'number' || !Number.isInteger(repeat) || repeat < 1 || repeat > 10)) {
			throw badRequest('repeat', 'repeat must be an integer from 1 to 10');
		}
		if (parallel !== undefined && typeof parallel !== 'boolean') throw badRequest('parallel', 'parallel must be a boolean');
		if (!webhooks.target && webhooks.subscriptions.size === 0) throw new ApiError(409, 'No webhook target: POST /__sandbox/webhooks { url } first (or subscribe through the API)');
		// Any name may be sent by hand (a test of an unknown event), unless the target filters it out.
		const payload = webhooks.emitByHand(event, {
			data,
			fields: fields as Record<string, unknown> | undefined,
			inboxId: inboxId as string | null | undefined,
			boardId: boardId as string | null | undefined,
			id: id as string | undefined,
			repeat: repeat as number | undefined,
			parallel: parallel === true,
		});
		return { ok: true, sent: payload !== undefined, payload: payload ?? null };
	});

	app.post(`${p}/redeliver/:eventId`, async (req) => {
		const { eventId } = req.params as { eventId: string };
		const repeat = Number((req.query as Record<string, string | undefined>).repeat ?? 1);
		if (!webhooks.target && webhooks.subscriptions.size === 0) throw new ApiError(409, 'No webhook target: POST /__sandbox/webhooks { url } first (or subscribe through the API)');
		const payload = webhooks.redeliver(eventId, Number.isInteger(repeat) && repeat > 0 ? repeat : 1);
		if (!payload) throw new ApiError(404, `Event ${eventId} was not sent by this sandbox (or was forgotten)`);
		return { ok: true, payload };
	});

	app.get(`${p}/deliveries`, async () => ({ deliveries: webhooks.deliveries() }));
	// Subscriptions made through the API, both variants (tagged `variant`), secrets included (a test control).
	app.get(`${p}/subscriptions`, async () => ({ subscriptions: webhooks.subscriptions.all() }));
	app.delete(`${p}/deliveries`, async () => {
		webhooks.clearDeliveries();
		return { ok: true };
	});
}
