/**
 * Webhook emission: the sandbox calls a configured URL when its data changes through the API, the way
 * Cekat calls the URL pasted in Settings → Developer and API Setting → Webhooks.
 *
 * Cekat documents the event names but no payload shape and no signature. The sandbox sends
 *   POST <url>  content-type: application/json
 *   { "id": "<event id>", "event": "order.created", "created_at": "<ISO>", "inbox_id"?: "<inbox id>", "data": { ...record } }
 * plus `x-cekat-event: <event>`, and `x-cekat-secret: <secret>` when a secret is configured (the real service
 * has no secret: a user puts it in the URL's query, `?secret=…`, which the sandbox sends as part of the URL).
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
 *   POST   /__sandbox/webhooks/emit               { event, data?, inbox_id?, id?, repeat?, parallel? }  send any event by hand
 *   POST   /__sandbox/webhooks/redeliver/:eventId send a sent event again, byte for byte (Cekat retrying)
 *   GET    /__sandbox/webhooks/deliveries         { deliveries }, oldest first
 *   DELETE /__sandbox/webhooks/deliveries         clear the log
 */
import type { FastifyInstance } from 'fastify';
import { ApiError, badRequest } from './errors';
import { Rng } from './prng';
import type { Store } from './store';

/** Every event name Cekat's webhook settings offer (CEKAT-API-NOTES.md). */
export const WEBHOOK_EVENTS = [
	'message.received',
	'message.sent',
	'conversation.created',
	'conversation.handled_by_updated',
	'conversation.stage_status_updated',
	'conversation.pipeline_status_updated',
	'conversation.labels_updated',
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
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookTarget {
	/** Loopback http(s) URL; may carry a query, e.g. `?secret=…`. */
	url: string;
	/** Sent as the `x-cekat-secret` header when set. */
	secret?: string;
	/** Event names to send (like the checkboxes in Cekat's settings); default: all. */
	events?: string[];
}

export interface WebhookPayload {
	id: string;
	event: string;
	created_at: string;
	inbox_id?: string | null;
	data: unknown;
}

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
}

export interface EmitOptions {
	inboxId?: string | null;
	/** Event id; default: a fresh deterministic UUID. */
	id?: string;
	/** Deliver the same event this many times, one after the other (each after the previous answer). */
	repeat?: number;
	/** With repeat: send the copies at the same time instead (a sender that does not wait). */
	parallel?: boolean;
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

	constructor(
		private readonly store: Store,
		target?: WebhookTarget,
	) {
		this.rng = new Rng(store.seed, 'webhook-ids');
		if (target) this.configure(target);
	}

	get target(): WebhookTarget | undefined {
		return this.current ? { ...this.current, ...(this.current.events ? { events: [...this.current.events] } : {}) } : undefined;
	}

	/** Sets (or with undefined, removes) the target. Throws WebhookConfigError for a bad one. */
	configure(target: WebhookTarget | undefined): void {
		this.current = target === undefined ? undefined : validateTarget(target);
	}

	/** Whether an event would be sent now (a target is set and it wants this event). */
	wants(event: string): boolean {
		return this.current !== undefined && (this.current.events === undefined || this.current.events.includes(event));
	}

	/**
	 * Sends an event to the target (if any, and if it wants the event). Never throws and never waits:
	 * returns the payload that is being delivered, or undefined when nothing is sent.
	 */
	emit(event: string, data: unknown, options: EmitOptions = {}): WebhookPayload | undefined {
		if (!this.wants(event)) return undefined;
		const payload: WebhookPayload = {
			id: options.id ?? this.rng.uuid(),
			event,
			created_at: this.store.nowIso(),
			...(options.inboxId !== undefined ? { inbox_id: options.inboxId } : {}),
			data: snapshot(data),
		};
		this.remember(payload);
		this.deliver(payload, Math.max(1, Math.min(10, Math.floor(options.repeat ?? 1))), options.parallel === true);
		return payload;
	}

	/** Sends an already sent event again (same id, same body). Undefined if unknown or no target. */
	redeliver(eventId: string, repeat = 1): WebhookPayload | undefined {
		const payload = this.payloads.get(eventId);
		if (!payload || !this.current) return undefined;
		this.deliver(payload, Math.max(1, Math.min(10, Math.floor(repeat))));
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

	/** After a store reset: same ids again, empty log; the target stays (it is a start option). */
	reset(): void {
		this.rng = new Rng(this.store.seed, 'webhook-ids');
		// (deliveries already queued still go out; the log starts empty)
		this.log = [];
		this.payloads.clear();
		this.attempts.clear();
	}

	private remember(payload: WebhookPayload): void {
		this.payloads.set(payload.id, payload);
		if (this.payloads.size > PAYLOAD_LIMIT) this.payloads.delete(this.payloads.keys().next().value as string);
	}

	private deliver(payload: WebhookPayload, times: number, parallel = false): void {
		const target = this.current;
		if (!target) return;
		const body = JSON.stringify(payload);
		const run = this.queue.then(async () => {
			if (parallel) await Promise.all(Array.from({ length: times }, async () => await this.send(target, payload, body)));
			else for (let i = 0; i < times; i++) await this.send(target, payload, body);
		});
		this.queue = run.catch(() => undefined);
		this.pending.add(run);
		void run.finally(() => this.pending.delete(run));
	}

	private async send(target: WebhookTarget, payload: WebhookPayload, body: string): Promise<void> {
		const attempt = (this.attempts.get(payload.id) ?? 0) + 1;
		this.attempts.set(payload.id, attempt);
		if (this.attempts.size > PAYLOAD_LIMIT) this.attempts.delete(this.attempts.keys().next().value as string);
		const entry: Delivery = {
			seq: ++this.seq,
			event_id: payload.id,
			event: payload.event,
			url: target.url,
			attempt,
			status: null,
			started_at: new Date().toISOString(),
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
					'x-cekat-event': payload.event,
					...(target.secret ? { 'x-cekat-secret': target.secret } : {}),
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
		if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('body', 'body must be an object { event, data?, inbox_id?, id?, repeat? }');
		const { event, data, inbox_id: inboxId, id, repeat, parallel } = body;
		if (typeof event !== 'string' || event === '') throw badRequest('event', 'event is required (an event name)');
		if (inboxId !== undefined && inboxId !== null && typeof inboxId !== 'string') throw badRequest('inbox_id', 'inbox_id must be a string');
		if (id !== undefined && (typeof id !== 'string' || id === '')) throw badRequest('id', 'id must be a non-empty string');
		if (repeat !== undefined && (typeof repeat !== 'number' || !Number.isInteger(repeat) || repeat < 1 || repeat > 10)) {
			throw badRequest('repeat', 'repeat must be an integer from 1 to 10');
		}
		if (parallel !== undefined && typeof parallel !== 'boolean') throw badRequest('parallel', 'parallel must be a boolean');
		if (!webhooks.target) throw new ApiError(409, 'No webhook target: POST /__sandbox/webhooks { url } first');
		// Any name may be sent by hand (a test of an unknown event), unless the target filters it out.
		const payload = webhooks.emit(event, data ?? {}, {
			inboxId: inboxId as string | null | undefined,
			id: id as string | undefined,
			repeat: repeat as number | undefined,
			parallel: parallel === true,
		});
		return { ok: true, sent: payload !== undefined, payload: payload ?? null };
	});

	app.post(`${p}/redeliver/:eventId`, async (req) => {
		const { eventId } = req.params as { eventId: string };
		const repeat = Number((req.query as Record<string, string | undefined>).repeat ?? 1);
		if (!webhooks.target) throw new ApiError(409, 'No webhook target: POST /__sandbox/webhooks { url } first');
		const payload = webhooks.redeliver(eventId, Number.isInteger(repeat) && repeat > 0 ? repeat : 1);
		if (!payload) throw new ApiError(404, `Event ${eventId} was not sent by this sandbox (or was forgotten)`);
		return { ok: true, payload };
	});

	app.get(`${p}/deliveries`, async () => ({ deliveries: webhooks.deliveries() }));
	app.delete(`${p}/deliveries`, async () => {
		webhooks.clearDeliveries();
		return { ok: true };
	});
}
