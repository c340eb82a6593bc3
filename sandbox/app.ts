/**
 * Builds the Fastify app: body parsing, auth, fault injection, journaling, error mapping and all routes.
 *
 * Hook order per API request: onRequest (auth → 401 early) → body parsing → preValidation (faults) →
 * schema validation → handler → onResponse (journal). Control routes (/__sandbox/*) skip auth, faults and
 * the journal.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { parse as parseQueryString } from 'node:querystring';
import { registerControlRoutes, type Faults, htmlErrorPage, MALFORMED_JSON } from './controls';
import { ApiError, errorBody, familyOf, fromSchemaErrors, type SchemaErrorLike, UNAUTHORIZED_BODY } from './errors';
import { type Journal, type JournalEntry, REDACTED, redactDeep } from './journal';
import { registerConversationRoutes } from './routes/conversations';
import { registerCrmRoutes } from './routes/crm';
import { registerDirectoryRoutes } from './routes/directory';
import { registerMessageRoutes } from './routes/messages';
import { registerOrderRoutes } from './routes/orders';
import { registerWorkflowRoutes } from './routes/workflows';
import { type AiTools, registerAiToolRoutes } from './routes/aiTools';
import { EVENTS_INGEST_ROUTE, type EventsConfig, registerEventRoutes } from './routes/events';
import type { Store } from './store';
import type { SandboxSizes } from './types';
import { registerBulkRoutes } from './bulk';
import { registerWebhookControlRoutes, type WebhookEmitter } from './webhooks';
import { type RateLimiter, validateRateLimit } from './ratelimit';
import { type SandboxVariant, validateVariant, VariantError } from './variant';

export interface AppContext {
	store: Store;
	journal: Journal;
	faults: Faults;
	apiKey: string;
	now: () => number;
	reset(opts?: { seed?: number; sizes?: Partial<SandboxSizes> }): void;
	/** Webhook emission (see webhooks.ts); optional so the app also builds without it. */
	webhooks?: WebhookEmitter;
	/** The live variant object: routes read it on every request, POST /__sandbox/variant changes it in place. */
	variant: SandboxVariant;
	rateLimiter: RateLimiter;
	/** Cekat Events ingest (routes/events.ts): its Bearer token and the defined custom events; optional so the app also builds without it. */
	events?: EventsConfig;
	/** AI tools registered by the Cekat AI Tool Trigger (routes/aiTools.ts); optional so the app also builds without it. */
	aiTools?: AiTools;
}

/** 'api': the api.cekat.ai host (every route). 'server': the server.cekat.ai host of the split variant. */
export type HostRole = 'api' | 'server';

/** /business_workflows/* and /business_webhooks* exist only on server.cekat.ai (OFF; contract-16 "Host"). */
export function serverHostOnly(route: string): boolean {
	return route.startsWith('/business_workflows/') || route === '/business_webhooks' || route.startsWith('/business_webhooks/');
}

/**
 * OFF sends CRM, orders, contacts, PUT /api/conversations/{id} and /business_workflows/* to server.cekat.ai
 * (docs/cekat-api.md, "Hosts"); in the split variant the second host serves only those (and the /__sandbox controls).
 */
export function servedByServerHost(method: string, route: string): boolean {
	return (
		serverHostOnly(route) ||
		route.startsWith('/api/crm/') ||
		route === '/api/orders' ||
		route.startsWith('/api/orders/') ||
		route === '/api/contacts' ||
		(method === 'PUT' && route === '/api/conversations/:id')
	);
}

/** Per-request bookkeeping, kept outside the request object (no Fastify type augmentation needed). */
interface RequestState {
	start: number;
	auth: JournalEntry['auth'];
	keyMatched: boolean;
	rawBody?: string;
	parsedBody?: unknown;
	bodyIsJson: boolean;
	faultId?: string;
	journaled: boolean;
}

const CONTROL_PREFIX = '/__sandbox';
const isControl = (url: string) => url.startsWith(CONTROL_PREFIX);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function pathOf(url: string): string {
	const i = url.indexOf('?');
	return i < 0 ? url : url.slice(0, i);
}

export function buildApp(ctx: AppContext, opts: { logger?: boolean; role?: HostRole } = {}): FastifyInstance {
	const role: HostRole = opts.role ?? 'api';
	const states = new WeakMap<FastifyRequest, RequestState>();

	const app = Fastify({
		logger: opts.logger === true,
		// Query values stay strings (schemas use patterns); bodies are validated strictly, never coerced or
		// stripped, so "unknown field" and "wrong type" reach the client as 400s.
		ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false, allowUnionTypes: true } },
		// Invalid URL encodings and the like: answer 400 in the family shape instead of Fastify's default.
		frameworkErrors: (err, req, reply) => {
			const path = pathOf(req.raw.url ?? '/');
			const api = new ApiError(400, `Bad request: ${err.message}`, [{ field: 'url', message: err.message }]);
			void (reply as FastifyReply).code(400).send(errorBody(familyOf(path), api));
		},
	});

	// One parser for every content type: keep the raw text for the journal; parse JSON ourselves so a
	// malformed body becomes a 400 that says so; other content types reach validation as a string.
	app.removeAllContentTypeParsers();
	app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
		const text = body as string;
		const st = states.get(req);
		if (st) st.rawBody = text;
		if (text === '') return done(null, undefined);
		const ct = String(req.headers['content-type'] ?? '').toLowerCase();
		if (ct === '' || ct.includes('json')) {
			try {
				const parsed: unknown = JSON.parse(text);
				if (st) {
					st.parsedBody = parsed;
					st.bodyIsJson = true;
				}
				return done(null, parsed);
			} catch (e) {
				return done(new ApiError(400, `Request body is not valid JSON: ${(e as Error).message}`, [{ field: 'body', message: 'invalid JSON' }]), undefined);
			}
		}
		return done(null, text);
	});

	// --- auth ----------------------------------------------------------------------------------------------
	app.addHook('onRequest', (req, reply, done) => {
		const url = req.raw.url ?? req.url;
		if (isControl(url)) return done();
		const rawKey = req.headers['api_key'];
		const apiKeyHeader = Array.isArray(rawKey) ? rawKey[0] : rawKey;
		const authz = req.headers.authorization;
		// INV: `Authorization: api_key <key>` or `Authorization: Bearer <key>`; seeds: header `api_key: <key>`.
		const bearer = typeof authz === 'string' && /^bearer\s/i.test(authz) ? authz.slice(7).trim() : undefined;
		const authzKey = typeof authz === 'string' && /^api_key\s/i.test(authz) ? authz.slice(8).trim() : undefined;
		const hasKey = apiKeyHeader !== undefined || authzKey !== undefined;
		const hasBearer = bearer !== undefined;
		// Cekat Events (t.cekat.ai) take only `Authorization: Bearer <events token>`, never the API key (routes/events.ts).
		const eventsRoute = ctx.events !== undefined && req.routeOptions.url === EVENTS_INGEST_ROUTE;
		const keyMatched = eventsRoute
			? hasBearer && bearer === ctx.events?.token
			: (apiKeyHeader !== undefined && apiKeyHeader === ctx.apiKey) || (authzKey !== undefined && authzKey === ctx.apiKey) || (hasBearer && bearer === ctx.apiKey);
		states.set(req, {
			start: performance.now(),
			auth: hasKey && hasBearer ? 'both' : hasKey ? 'api_key' : hasBearer ? 'bearer' : 'none',
			keyMatched,
			bodyIsJson: false,
			journaled: false,
		});
		// Every API answer carries the rate-limit headers; past the limit the request is not carried out.
		// (Not the Cekat Events ingest: the counter is the Open API's (api.cekat.ai); t.cekat.ai's limits are not evidenced.)
		if (!eventsRoute) {
			const rl = ctx.rateLimiter.take();
			void reply.headers(rl.headers);
			if (!rl.allowed) {
				void reply.code(429).send({ message: 'Too many requests, please try again later.' });
				return;
			}
		}
		// Split hosts: routes the server host does not serve answer 404 there, as an unknown route would.
		// …and the api host of the split variant does not serve the server-only routes.
		const routeUrl = req.routeOptions.url;
		const misplaced =
			routeUrl !== undefined &&
			(role === 'server' ? !servedByServerHost(req.method, routeUrl) : ctx.variant.hosts === 'split' && serverHostOnly(routeUrl));
		if (misplaced) {
			const path = pathOf(url);
			void reply.code(404).send(errorBody(familyOf(path), new ApiError(404, `Route ${req.method} ${path} not found`)));
			return;
		}
		// Unknown routes answer 404 whatever the key (the not-found handler); known routes need the key.
		if (!keyMatched && req.routeOptions.url !== undefined) {
			if (eventsRoute) {
				// The error envelope of the event contract; the message and code are the sandbox's (not evidenced).
				const error = hasBearer ? 'Invalid access token' : 'Missing access token: send Authorization: Bearer <access token>';
				void reply.code(401).send({ success: false, error, code: 'unauthorized' });
				return;
			}
			void reply.code(401).send(UNAUTHORIZED_BODY);
			return;
		}
		done();
	});

	// --- fault injection -----------------------------------------------------------------------------------
	app.addHook('preValidation', async (req, reply) => {
		if (ctx.faults.size === 0) return;
		const url = req.raw.url ?? req.url;
		if (isControl(url)) return;
		const st = states.get(req);
		const fault = ctx.faults.take(req.method, pathOf(url), req.routeOptions.url ?? null);
		if (!fault || !st) return;
		st.faultId = fault.id;
		if (fault.delayMs) await sleep(fault.delayMs);
		if (fault.kind === 'delay') return; // then handle normally
		if (fault.headers) void reply.headers(fault.headers);
		if (fault.retryAfter !== undefined) void reply.header('retry-after', String(fault.retryAfter));
		const family = familyOf(pathOf(url));
		switch (fault.kind) {
			case 'drop':
				// No answer at all: the client sees a reset/closed socket.
				reply.hijack();
				record(req, 0, undefined);
				req.raw.socket?.destroy();
				return reply;
			case 'malformed':
				return reply.code(fault.status ?? 200).type('application/json; charset=utf-8').send(MALFORMED_JSON);
			case 'html': {
				const status = fault.status ?? 502;
				return reply.code(status).type('text/html; charset=utf-8').send(htmlErrorPage(status));
			}
			case 'empty':
				return reply.code(fault.status ?? 200).send();
			case 'status':
			default: {
				const status = fault.status ?? 500;
				const body =
					fault.body !== undefined
						? fault.body
						: errorBody(family, new ApiError(status, `${status === 429 ? 'Too many requests' : 'Injected fault'} (sandbox ${fault.id})`));
				return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
			}
		}
	});

	// --- journal ---------------------------------------------------------------------------------------------
	const record = (req: FastifyRequest, status: number, responseContentType: string | undefined) => {
		const st = states.get(req);
		if (!st || st.journaled) return;
		st.journaled = true;
		const key = ctx.apiKey;
		let url = req.raw.url ?? req.url;
		const qi = url.indexOf('?');
		let query: Record<string, string | string[]> = qi < 0 ? {} : { ...parseQueryString(url.slice(qi + 1)) } as Record<string, string | string[]>;
		// The key must never be stored: a client that (wrongly) puts it in the URL or body gets it redacted.
		if (key && (url.includes(key) || url.includes(encodeURIComponent(key)))) {
			url = url.split(key).join(REDACTED).split(encodeURIComponent(key)).join(REDACTED);
			query = redactDeep(query, key) as Record<string, string | string[]>;
		}
		let body: unknown = st.rawBody === undefined || st.rawBody === '' ? undefined : st.bodyIsJson ? st.parsedBody : st.rawBody;
		if (key && st.rawBody !== undefined && st.rawBody.includes(key)) body = redactDeep(body, key);
		// …nor the Cekat Events token.
		const token = ctx.events?.token;
		if (token && (url.includes(token) || url.includes(encodeURIComponent(token)))) {
			url = url.split(token).join(REDACTED).split(encodeURIComponent(token)).join(REDACTED);
			query = redactDeep(query, token) as Record<string, string | string[]>;
		}
		if (token && st.rawBody !== undefined && st.rawBody.includes(token)) body = redactDeep(body, token);
		const ct = req.headers['content-type'];
		const entry: JournalEntry = {
			seq: ctx.journal.nextSeq(),
			time: new Date(ctx.now()).toISOString(),
			method: req.method,
			path: pathOf(url),
			url,
			route: req.routeOptions.url ?? null,
			query,
			body,
			keyMatched: st.keyMatched,
			auth: st.auth,
			status,
			durationMs: Math.round((performance.now() - st.start) * 100) / 100,
		};
		if (ct !== undefined) entry.contentType = ct;
		if (responseContentType !== undefined) entry.responseContentType = responseContentType;
		if (st.faultId !== undefined) entry.faultId = st.faultId;
		if (ctx.variant.hosts === 'split') entry.host = role;
		ctx.journal.push(entry);
	};

	// A client that gives up (its timeout) is journaled at once as 499, like nginx's "client closed
	// request"; the handler still runs to its end, as a real server's would.
	// (The response's 'close' before it finished is the reliable sign: onRequestAbort misses requests with a body.)
	app.addHook('onRequest', (req, reply, done) => {
		reply.raw.on('close', () => {
			if (!reply.raw.writableFinished) record(req, 499, undefined);
		});
		done();
	});

	app.addHook('onResponse', (req, reply, done) => {
		const ct = reply.getHeader('content-type');
		record(req, reply.statusCode, ct === undefined ? undefined : String(ct));
		done();
	});

	// --- errors ----------------------------------------------------------------------------------------------
	app.setErrorHandler((err: FastifyError | ApiError, req: FastifyRequest, reply: FastifyReply) => {
		const family = familyOf(pathOf(req.raw.url ?? req.url));
		let api: ApiError;
		if (err instanceof ApiError) api = err;
		else if ((err as FastifyError).validation) {
			api = fromSchemaErrors((err as FastifyError).validation as SchemaErrorLike[], (err as FastifyError).validationContext ?? 'body');
		} else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
			const code = (err as FastifyError).code;
			const msg =
				code === 'FST_ERR_CTP_BODY_TOO_LARGE'
					? 'Request body is too large'
					: code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
						? 'Unsupported Content-Type: send application/json'
						: err.message;
			api = new ApiError(err.statusCode, msg, [{ field: 'body', message: msg }]);
		} else {
			// A bug, not bad input: keep it visible in the log and answer honestly.
			req.log.error(err);
			if (!opts.logger) console.error('[cekat-sandbox] unexpected error', err);
			api = new ApiError(500, 'Internal sandbox error');
		}
		void reply.code(api.statusCode).send(errorBody(family, api));
	});

	app.setNotFoundHandler((req, reply) => {
		const path = pathOf(req.raw.url ?? req.url);
		const api = new ApiError(404, `Route ${req.method} ${path} not found`);
		void reply.code(404).send(errorBody(familyOf(path), api));
	});

	// --- routes ----------------------------------------------------------------------------------------------
	const deps = { store: ctx.store, webhooks: ctx.webhooks, variant: ctx.variant };
	registerCrmRoutes(app, deps);
	registerOrderRoutes(app, deps);
	registerConversationRoutes(app, deps);
	registerMessageRoutes(app, deps);
	registerDirectoryRoutes(app, deps);
	registerWorkflowRoutes(app, deps);
	if (ctx.aiTools) registerAiToolRoutes(app, { store: ctx.store, aiTools: ctx.aiTools });
	if (ctx.events) registerEventRoutes(app, { store: ctx.store, events: ctx.events });
	registerControlRoutes(app, { store: ctx.store, journal: ctx.journal, faults: ctx.faults, reset: ctx.reset });
	if (ctx.webhooks) registerWebhookControlRoutes(app, ctx.webhooks);
	registerBulkRoutes(app, ctx.store, ctx.webhooks);
	registerVariantRoutes(app, ctx);

	return app;
}

/** POST /__sandbox/variant { …partial } switches answer shapes at run time; GET answers the current one. Same for the rate limit. */
function registerVariantRoutes(app: FastifyInstance, ctx: AppContext): void {
	app.get('/__sandbox/variant', async () => ({ variant: ctx.variant }));
	app.post('/__sandbox/variant', async (req) => {
		let change: Partial<SandboxVariant>;
		try {
			change = validateVariant(req.body ?? {});
		} catch (e) {
			if (e instanceof VariantError) throw new ApiError(400, e.message, [{ field: 'variant', message: e.message }]);
			throw e;
		}
		if (change.hosts !== undefined && change.hosts !== ctx.variant.hosts) {
			throw new ApiError(400, "variant 'hosts' is chosen at start (startSandbox({ variant: { hosts } }) or CEKAT_SANDBOX_VARIANT)", [{ field: 'hosts', message: 'start-time only' }]);
		}
		Object.assign(ctx.variant, change);
		return { variant: ctx.variant };
	});
	app.get('/__sandbox/rate-limit', async () => ctx.rateLimiter.state());
	app.post('/__sandbox/rate-limit', async (req) => {
		try {
			ctx.rateLimiter.configure(validateRateLimit(req.body ?? {}));
		} catch (e) {
			throw new ApiError(400, (e as Error).message, [{ field: 'rate-limit', message: (e as Error).message }]);
		}
		return ctx.rateLimiter.state();
	});
}
