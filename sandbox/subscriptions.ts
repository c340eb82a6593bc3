/**
 * Webhook subscriptions made through the API (contract-16), beside the single `/__sandbox/webhooks` target.
 *
 * Two evidenced APIs, one per variant `subscriptions` (sandbox/variant.ts):
 *   'workflows' (OFF, default): POST /business_workflows/webhooks/subscribe { name?, webhookUrl, events[], inboxId?,
 *     boardId?, filters?{ payment_method?, order_status?, payment_status? } }, POST …/unsubscribe { webhookUrl },
 *     GET /business_workflows/webhooks?webhookUrl= (bare array).
 *   'business_webhooks' (REF): POST /business_webhooks { name, webhook_url, events[], inbox_id, board_id, headers{},
 *     secret }; GET /business_webhooks and DELETE /business_webhooks/:id are not evidenced at all.
 * Both kinds live in one registry (tagged with their variant) and both receive deliveries whatever the current
 * variant; each list route shows only its own variant's subscriptions.
 */
import { badRequest } from './errors';
import { Rng } from './prng';
import { WEBHOOK_EVENTS } from './webhooks';

export type SubscriptionVariant = 'workflows' | 'business_webhooks';

export interface OrderFilters {
	payment_method?: string;
	order_status?: string;
	payment_status?: string;
}

export interface Subscription {
	id: string;
	variant: SubscriptionVariant;
	name: string | null;
	url: string;
	events: string[];
	inboxId: string | null;
	boardId: string | null;
	/** OFF's order filters; null when none. */
	filters: OrderFilters | null;
	/** REF: sent as given on every delivery. */
	headers: Record<string, string>;
	/** REF: stored, never echoed by the API and never sent (how Cekat sends it is not documented). */
	secret: string | null;
	created_at: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const FILTER_KEYS = ['payment_method', 'order_status', 'payment_status'] as const;

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
/** '' and null mean "no filter" (OFF's trigger sends inboxId: '' when none is chosen). */
const optionalId = (body: Rec, field: string): string | null => {
	const v = body[field];
	if (v === undefined || v === null || v === '') return null;
	if (typeof v !== 'string') throw badRequest(field, `${field} must be a string`);
	return v;
};

export function checkWebhookUrl(field: string, raw: unknown): string {
	if (typeof raw !== 'string' || raw.trim() === '') throw badRequest(field, `${field} is required`);
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw badRequest(field, `${field} is not a valid URL: '${raw}'`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badRequest(field, `${field} must be an http(s) URL`);
	// The sandbox never calls out of the machine.
	if (!LOOPBACK.has(url.hostname)) throw badRequest(field, `${field} must point to this machine (127.0.0.1, localhost or ::1) in the sandbox, got '${url.hostname}'`);
	return raw;
}

function checkEvents(raw: unknown): string[] {
	if (!Array.isArray(raw) || raw.length === 0) throw badRequest('events', 'events must be a non-empty list of event names');
	for (const [i, e] of raw.entries()) {
		if (typeof e !== 'string') throw badRequest(`events[${i}]`, `events[${i}] must be a string`);
		if (!(WEBHOOK_EVENTS as readonly string[]).includes(e)) throw badRequest(`events[${i}]`, `events[${i}]: unknown event '${e}' (known: ${WEBHOOK_EVENTS.join(', ')})`);
	}
	return [...new Set(raw as string[])];
}

function checkName(body: Rec): string | null {
	const v = body.name;
	if (v === undefined || v === null || v === '') return null;
	if (typeof v !== 'string') throw badRequest('name', 'name must be a string');
	return v;
}

/** Validated input of either subscribe route (everything checked before anything is stored). */
export type SubscriptionInput = Omit<Subscription, 'id' | 'created_at'>;

export function parseWorkflowSubscribe(raw: unknown): SubscriptionInput {
	if (!isRec(raw)) throw badRequest('body', 'Request body must be a JSON object');
	const url = checkWebhookUrl('webhookUrl', raw.webhookUrl);
	const events = checkEvents(raw.events);
	let filters: OrderFilters | null = null;
	if (raw.filters !== undefined && raw.filters !== null) {
		if (!isRec(raw.filters)) throw badRequest('filters', 'filters must be an object { payment_method?, order_status?, payment_status? }');
		const out: OrderFilters = {};
		for (const key of FILTER_KEYS) {
			const v = raw.filters[key];
			if (v === undefined || v === null || v === '') continue;
			if (typeof v !== 'string') throw badRequest(`filters.${key}`, `filters.${key} must be a string`);
			out[key] = v;
		}
		filters = Object.keys(out).length > 0 ? out : null;
	}
	return {
		variant: 'workflows',
		name: checkName(raw),
		url,
		events,
		inboxId: optionalId(raw, 'inboxId'),
		boardId: optionalId(raw, 'boardId'),
		filters,
		headers: {},
		secret: null,
	};
}

export function parseBusinessWebhook(raw: unknown): SubscriptionInput {
	if (!isRec(raw)) throw badRequest('body', 'Request body must be a JSON object');
	const url = checkWebhookUrl('webhook_url', raw.webhook_url);
	const events = checkEvents(raw.events);
	const headers: Record<string, string> = {};
	if (raw.headers !== undefined && raw.headers !== null) {
		if (!isRec(raw.headers)) throw badRequest('headers', 'headers must be an object of strings');
		for (const [k, v] of Object.entries(raw.headers)) {
			if (typeof v !== 'string') throw badRequest(`headers.${k}`, `headers.${k} must be a string`);
			if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)) throw badRequest(`headers.${k}`, `headers: '${k}' is not a valid header name`);
			headers[k] = v;
		}
	}
	let secret: string | null = null;
	if (raw.secret !== undefined && raw.secret !== null && raw.secret !== '') {
		if (typeof raw.secret !== 'string') throw badRequest('secret', 'secret must be a string');
		secret = raw.secret;
	}
	return {
		variant: 'business_webhooks',
		name: checkName(raw),
		url,
		events,
		inboxId: optionalId(raw, 'inbox_id'),
		boardId: optionalId(raw, 'board_id'),
		filters: null,
		headers,
		secret,
	};
}

/** Answer shape not evidenced (docs/cekat-api.md): OFF's fields, as its checkExists reads them. */
export const wireWorkflowSubscription = (s: Subscription) => ({
	id: s.id,
	name: s.name,
	webhookUrl: s.url,
	events: [...s.events],
	inboxId: s.inboxId,
	boardId: s.boardId,
	filters: s.filters ? { ...s.filters } : null,
});

/** Answer shape not evidenced (docs/cekat-api.md): REF's body fields; the secret and headers are never echoed. */
export const wireBusinessWebhook = (s: Subscription) => ({
	id: s.id,
	name: s.name,
	webhook_url: s.url,
	events: [...s.events],
	inbox_id: s.inboxId,
	board_id: s.boardId,
});

export class Subscriptions {
	private list: Subscription[] = [];
	private rng: Rng;

	constructor(
		seed: number,
		private readonly nowIso: () => string,
	) {
		this.rng = new Rng(seed, 'webhook-subscriptions');
	}

	get size(): number {
		return this.list.length;
	}

	all(): Subscription[] {
		return this.list.map((s) => structuredClone(s));
	}

	/** Live entries (the emitter reads them on each event). */
	live(): readonly Subscription[] {
		return this.list;
	}

	of(variant: SubscriptionVariant): Subscription[] {
		return this.list.filter((s) => s.variant === variant);
	}

	add(input: SubscriptionInput): Subscription {
		const sub: Subscription = { id: this.rng.uuid(), ...input, created_at: this.nowIso() };
		this.list.push(sub);
		return sub;
	}

	/** OFF: subscribing a URL that already has a subscription replaces it (not evidenced; keeps deliveries single). */
	replaceByUrl(input: SubscriptionInput): Subscription {
		this.list = this.list.filter((s) => !(s.variant === input.variant && s.url === input.url));
		return this.add(input);
	}

	removeByUrl(variant: SubscriptionVariant, url: string): number {
		const before = this.list.length;
		this.list = this.list.filter((s) => !(s.variant === variant && s.url === url));
		return before - this.list.length;
	}

	removeById(variant: SubscriptionVariant, id: string): boolean {
		const before = this.list.length;
		this.list = this.list.filter((s) => !(s.variant === variant && s.id === id));
		return this.list.length < before;
	}

	/** sb.reset(): none left, ids start again. */
	reset(seed: number): void {
		this.list = [];
		this.rng = new Rng(seed, 'webhook-subscriptions');
	}
}
