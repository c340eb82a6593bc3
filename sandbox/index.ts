/**
 * Cekat sandbox: a local stand-in for the Cekat Open API, for the node's tests and for manual runs.
 *
 *   const sb = await startSandbox({ port: 0, variant: { paymentStatusCase: 'upper' } });
 *   await axios.get(`${sb.url}/api/inboxes?limit=1`, { headers: { api_key: sb.apiKey } });
 *   sb.journal(); sb.addFault({ path: '/api/orders', status: 429, retryAfter: 2 }); await sb.close();
 */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { buildApp } from './app';
import { type Fault, type FaultSpec, Faults } from './controls';
import { Journal, type JournalEntry } from './journal';
import { Store } from './store';
import type { SandboxSizes, TrackedEvent } from './types';
import { WebhookEmitter, type WebhookTarget } from './webhooks';
import type { Subscription } from './subscriptions';
import { DEFAULT_RATE_LIMIT, DEFAULT_RATE_WINDOW_SECONDS, RateLimiter, type RateLimitOptions } from './ratelimit';
import { parseVariant, resolveVariant, type SandboxVariant } from './variant';
import { DEFAULT_EVENTS_TOKEN, type EventsConfig } from './routes/events';
import { AiTools, type AiTool } from './routes/aiTools';

export type { JournalEntry } from './journal';
export type { Fault, FaultKind, FaultSpec } from './controls';
export { FAULT_KINDS } from './controls';
export { Store, Collection } from './store';
export type { SandboxSizes } from './types';
export * from './types';
export { placeholderCount } from './routes/messages';
export { WEBHOOK_EVENTS, WebhookEmitter, WebhookConfigError } from './webhooks';
export type { Delivery, EmitOptions, WebhookEvent, WebhookPayload, WebhookTarget } from './webhooks';
export { Subscriptions, wireBusinessWebhook, wireWorkflowSubscription } from './subscriptions';
export type { OrderFilters, Subscription, SubscriptionVariant } from './subscriptions';
export { seedMore } from './bulk';
export { DEFAULT_VARIANT, parseVariant, validateVariant, VariantError } from './variant';
export type { SandboxVariant } from './variant';
export { DEFAULT_RATE_LIMIT, RateLimiter } from './ratelimit';
export type { RateLimitOptions } from './ratelimit';
export * as wire from './wire';
export type { SeedMoreRequest, SeedMoreResult } from './bulk';
export { COMMON_EVENT_KEYS, DEFAULT_EVENTS_TOKEN, EVENTS_INGEST_ROUTE, ORDER_EVENT_KEYS, parseEventDefinitions, validateEventPayload } from './routes/events';
export type { EventPayload, EventsConfig } from './routes/events';
export type { AiTool, AiToolCall, AiToolInput } from './routes/aiTools';

export const DEFAULT_API_KEY = 'sandbox-api-key';
export const DEFAULT_SEED = 42;
export const DEFAULT_JOURNAL_LIMIT = 50_000;

export interface SandboxOptions {
	/** default 'sandbox-api-key' */
	apiKey?: string;
	/** default '127.0.0.1' */
	host?: string;
	/** 0 = a free port (default) */
	port?: number;
	/** default 42 */
	seed?: number;
	sizes?: Partial<SandboxSizes>;
	/** ring-buffer size of the journal, default 50,000 */
	journalLimit?: number;
	logger?: boolean;
	/** ms clock, default Date.now; drives generated timestamps, the 24-hour window and new records */
	now?: () => number;
	/** Send webhook events to this loopback URL when data changes (also `POST /__sandbox/webhooks`). */
	webhookUrl?: string;
	/** Sent as the `x-cekat-secret` header of every delivery. */
	webhookSecret?: string;
	/** Event names to send; default all. */
	webhookEvents?: string[];
	/**
	 * Answer shapes where sources conflict (sandbox/variant.ts); default DEFAULT_VARIANT. The environment variable
	 * CEKAT_SANDBOX_VARIANT (e.g. 'orderUpdatedAt,paymentStatusCase=upper') applies first, this option over it.
	 * reset() returns to the variant chosen here.
	 */
	variant?: Partial<SandboxVariant>;
	/** x-ratelimit-* counter; default 100,000 requests per 60 s. */
	rateLimit?: RateLimitOptions;
	/** Port of the second ("server.cekat.ai") host in the split variant; 0 = a free port (default). */
	serverPort?: number;
	/** Bearer token of the Cekat Events ingest (POST /api/events/ingest); default 'sandbox-events-token'. */
	eventsToken?: string;
	/**
	 * Defined custom events: a custom event_key not in the list answers 404 event_definition_not_found. Default: no list,
	 * every custom key is accepted (the real service's rule is not evidenced). Also POST /__sandbox/events/definitions.
	 */
	eventDefinitions?: string[] | null;
}

export interface Sandbox {
	/** The api.cekat.ai stand-in. */
	url: string;
	port: number;
	/** The server.cekat.ai stand-in: a second port in the split-hosts variant, else the same as url. */
	serverUrl: string;
	/** The live variant (change it with setVariant or POST /__sandbox/variant). */
	variant: SandboxVariant;
	/** Switches answer shapes at run time ('hosts' is start-time only); answers the whole variant. */
	setVariant(change: Partial<SandboxVariant>): SandboxVariant;
	rateLimiter: RateLimiter;
	apiKey: string;
	app: FastifyInstance;
	store: Store;
	/** Webhook emission: target, hand-made events, the delivery log (`webhooks.deliveries()`, `await webhooks.settle()`). */
	webhooks: WebhookEmitter;
	/** Back to the seeded state (seed/sizes default to the start options); clears journal, faults, the rate-limit window; restores the start variant. */
	reset(opts?: { seed?: number; sizes?: Partial<SandboxSizes> }): void;
	journal(): JournalEntry[];
	/** Webhook subscriptions made through the API (both variants, tagged `variant`); reset() clears them. */
	subscriptions(): Subscription[];
	/** Bearer token of POST /api/events/ingest. */
	eventsToken: string;
	/** Cekat Events accepted by POST /api/events/ingest, one per event_id (also GET /__sandbox/data/events); reset() clears them. */
	events(): TrackedEvent[];
	/** AI tools registered through POST /business_workflows/ai-tools/create (also GET /__sandbox/ai-tools); reset() clears them. */
	aiTools(): AiTool[];
	/** Defined custom events (null = every custom key accepted); reset() restores the start option. */
	setEventDefinitions(definitions: string[] | null): void;
	clearJournal(): void;
	addFault(spec: FaultSpec): { id: string };
	faults(): Fault[];
	clearFaults(): void;
	close(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
	const apiKey = opts.apiKey ?? DEFAULT_API_KEY;
	const host = opts.host ?? '127.0.0.1';
	const now = opts.now ?? Date.now;
	const baseSeed = opts.seed ?? DEFAULT_SEED;
	const baseSizes = opts.sizes ?? {};

	const store = new Store(now);
	store.load(baseSeed, baseSizes);
	const journal = new Journal(opts.journalLimit ?? DEFAULT_JOURNAL_LIMIT);
	const faults = new Faults();
	const webhookTarget: WebhookTarget | undefined = opts.webhookUrl
		? { url: opts.webhookUrl, ...(opts.webhookSecret ? { secret: opts.webhookSecret } : {}), ...(opts.webhookEvents ? { events: opts.webhookEvents } : {}) }
		: undefined;
	const webhooks = new WebhookEmitter(store, webhookTarget);
	const startVariant = resolveVariant(parseVariant(process.env.CEKAT_SANDBOX_VARIANT), opts.variant);
	const variant: SandboxVariant = { ...startVariant };
	const rateLimiter = new RateLimiter(now, opts.rateLimit);
	const startDefinitions = opts.eventDefinitions ? [...opts.eventDefinitions] : null;
	const events: EventsConfig = { token: opts.eventsToken ?? DEFAULT_EVENTS_TOKEN, definitions: startDefinitions };
	const reset = (r: { seed?: number; sizes?: Partial<SandboxSizes> } = {}) => {
		store.load(r.seed ?? baseSeed, { ...baseSizes, ...(r.sizes ?? {}) });
		journal.clear();
		faults.clear();
		webhooks.reset();
		rateLimiter.configure({ limit: opts.rateLimit?.limit ?? DEFAULT_RATE_LIMIT, windowSeconds: opts.rateLimit?.windowSeconds ?? DEFAULT_RATE_WINDOW_SECONDS });
		Object.assign(variant, startVariant);
		events.definitions = startDefinitions && [...startDefinitions];
		aiTools.clear();
	};

	const aiTools = new AiTools();
	const ctx = { store, journal, faults, apiKey, now, reset, webhooks, variant, rateLimiter, events, aiTools };
	const app = buildApp(ctx, { logger: opts.logger, role: 'api' });
	await app.listen({ port: opts.port ?? 0, host });
	const port = (app.server.address() as AddressInfo).port;
	const hostPart = host.includes(':') ? `[${host}]` : host;
	const url = `http://${hostPart}:${port}`;
	// Split hosts: a second app on its own port, same store, journal, faults and counters.
	let serverApp: FastifyInstance | undefined;
	let serverUrl = url;
	if (variant.hosts === 'split') {
		serverApp = buildApp(ctx, { logger: opts.logger, role: 'server' });
		await serverApp.listen({ port: opts.serverPort ?? 0, host });
		serverUrl = `http://${hostPart}:${(serverApp.server.address() as AddressInfo).port}`;
	}

	return {
		url,
		port,
		serverUrl,
		variant,
		setVariant: (change) => {
			const next = resolveVariant(variant, change);
			if (next.hosts !== variant.hosts) throw new Error("variant 'hosts' is chosen at start");
			return Object.assign(variant, next);
		},
		rateLimiter,
		apiKey,
		app,
		store,
		webhooks,
		reset,
		journal: () => journal.entries(),
		subscriptions: () => webhooks.subscriptions.all(),
		eventsToken: events.token,
		events: () => store.events.all().slice(),
		aiTools: () => aiTools.all(),
		setEventDefinitions: (definitions) => {
			events.definitions = definitions && [...definitions];
		},
		clearJournal: () => journal.clear(),
		addFault: (spec) => ({ id: faults.add(spec).id }),
		faults: () => faults.all(),
		clearFaults: () => faults.clear(),
		close: async () => {
			await app.close();
			if (serverApp) await serverApp.close();
			// deliveries in flight end within their timeout; none outlives the sandbox
			await webhooks.settle();
		},
	};
}

/** Functional form for callers holding only the sandbox object. */
export function addFault(sandbox: Sandbox, spec: FaultSpec): { id: string } {
	return sandbox.addFault(spec);
}
