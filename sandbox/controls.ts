/**
 * Test controls under /__sandbox (not part of the real API; no key needed, never journaled):
 * reset, journal, fault injection, state counts and raw data dumps.
 */
import type { FastifyInstance } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { ApiError, badRequest } from './errors';
import type { Journal } from './journal';
import { Store } from './store';
import type { SandboxSizes } from './types';
import { DEFAULT_SIZES, MAX_SIZE } from './types';

export const FAULT_KINDS = ['status', 'drop', 'malformed', 'html', 'empty', 'delay'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
	/** HTTP method to match (any if omitted). */
	method?: string;
	/** Exact request path ('/api/orders') or a route pattern ('/api/orders/:id' or '/api/orders/{id}'). */
	path: string;
	/** Applies to the next N matching requests (default 1). */
	count?: number;
	/** Default: 'delay' when only delayMs is given, else 'status'. */
	kind?: FaultKind;
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	delayMs?: number;
	/** Seconds; sets the Retry-After header. */
	retryAfter?: number;
}

export interface Fault {
	id: string;
	method: string | null;
	path: string;
	kind: FaultKind;
	remaining: number;
	hits: number;
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	delayMs?: number;
	retryAfter?: number;
}

/** '/api/orders/{id}' and '/api/orders/:orderId' both become '/api/orders/:' */
const shapeOf = (p: string) => p.replace(/\{[^/}]+\}/g, ':').replace(/:[^/]+/g, ':');

export class FaultError extends Error {}

export class Faults {
	private list: Fault[] = [];
	private nextId = 1;

	add(spec: FaultSpec): Fault {
		if (!spec || typeof spec !== 'object') throw new FaultError('fault must be an object');
		if (typeof spec.path !== 'string' || !spec.path.startsWith('/')) throw new FaultError("path is required and must start with '/'");
		const kind = spec.kind ?? (spec.delayMs !== undefined && spec.status === undefined ? 'delay' : 'status');
		if (!FAULT_KINDS.includes(kind)) throw new FaultError(`kind must be one of: ${FAULT_KINDS.join(', ')}`);
		const count = spec.count ?? 1;
		if (!Number.isInteger(count) || count < 1) throw new FaultError('count must be an integer >= 1');
		if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599)) {
			throw new FaultError('status must be an integer between 100 and 599');
		}
		if (spec.delayMs !== undefined && (typeof spec.delayMs !== 'number' || spec.delayMs < 0 || spec.delayMs > 120_000)) {
			throw new FaultError('delayMs must be a number between 0 and 120000');
		}
		if (spec.retryAfter !== undefined && (typeof spec.retryAfter !== 'number' || spec.retryAfter < 0)) throw new FaultError('retryAfter must be a number >= 0');
		if (spec.headers !== undefined && (typeof spec.headers !== 'object' || spec.headers === null || Object.values(spec.headers).some((v) => typeof v !== 'string'))) {
			throw new FaultError('headers must be an object of strings');
		}
		if (spec.method !== undefined && typeof spec.method !== 'string') throw new FaultError('method must be a string');
		const fault: Fault = {
			id: `fault-${this.nextId++}`,
			method: spec.method ? spec.method.toUpperCase() : null,
			path: spec.path,
			kind,
			remaining: count,
			hits: 0,
			status: spec.status,
			body: spec.body,
			headers: spec.headers,
			delayMs: spec.delayMs,
			retryAfter: spec.retryAfter,
		};
		this.list.push(fault);
		return fault;
	}

	/** First matching fault (oldest first), consumed by one use. */
	take(method: string, path: string, route: string | null): Fault | undefined {
		if (this.list.length === 0) return undefined;
		const routeShape = route ? shapeOf(route) : null;
		const idx = this.list.findIndex(
			(f) => (f.method === null || f.method === method) && (f.path === path || (routeShape !== null && shapeOf(f.path) === routeShape)),
		);
		if (idx < 0) return undefined;
		const f = this.list[idx];
		f.remaining--;
		f.hits++;
		if (f.remaining <= 0) this.list.splice(idx, 1);
		return f;
	}

	all(): Fault[] {
		return this.list.slice();
	}

	remove(id: string): boolean {
		const before = this.list.length;
		this.list = this.list.filter((f) => f.id !== id);
		return this.list.length < before;
	}

	clear(): void {
		this.list = [];
	}

	get size(): number {
		return this.list.length;
	}
}

export function htmlErrorPage(status: number): string {
	const text = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
	return `<!DOCTYPE html>\n<html>\n<head><title>${text}</title></head>\n<body>\n<center><h1>${text}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`;
}

/** A body that starts like a real list answer and stops mid-string: JSON.parse must fail on it. */
export const MALFORMED_JSON = '{"success":true,"data":[{"id":"3f1c2a9e-51b0-4c1e-9d2a-7c0b4e8f1a22","name":"Toko Se';

export function validateSizes(sizes: unknown): Partial<SandboxSizes> {
	if (sizes === undefined || sizes === null) return {};
	if (typeof sizes !== 'object' || Array.isArray(sizes)) throw badRequest('sizes', 'sizes must be an object');
	const out: Partial<SandboxSizes> = {};
	for (const [k, v] of Object.entries(sizes)) {
		if (!(k in DEFAULT_SIZES)) throw badRequest(`sizes.${k}`, `Unknown size '${k}' (known: ${Object.keys(DEFAULT_SIZES).join(', ')})`);
		if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_SIZE) {
			throw badRequest(`sizes.${k}`, `sizes.${k} must be an integer between 0 and ${MAX_SIZE}`);
		}
		out[k as keyof SandboxSizes] = v;
	}
	return out;
}

export interface ControlDeps {
	store: Store;
	journal: Journal;
	faults: Faults;
	reset(opts?: { seed?: number; sizes?: Partial<SandboxSizes> }): void;
}

export function registerControlRoutes(app: FastifyInstance, deps: ControlDeps): void {
	const { store, journal, faults } = deps;
	const p = '/__sandbox';

	app.post(`${p}/reset`, async (req) => {
		const body = (req.body ?? {}) as Record<string, unknown>;
		if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('body', 'body must be an object');
		if (body.seed !== undefined && (typeof body.seed !== 'number' || !Number.isInteger(body.seed))) throw badRequest('seed', 'seed must be an integer');
		const sizes = validateSizes(body.sizes);
		deps.reset({ seed: body.seed as number | undefined, sizes });
		return { ok: true, seed: store.seed, sizes: store.sizes, counts: store.counts() };
	});

	app.get(`${p}/journal`, async (req) => {
		const since = (req.query as Record<string, string | undefined>).since;
		if (since !== undefined && !/^\d+$/.test(since)) throw badRequest('since', 'since must be a non-negative integer (a journal seq)');
		return { entries: journal.entries(since ? Number(since) : 0) };
	});
	app.delete(`${p}/journal`, async () => {
		journal.clear();
		return { ok: true };
	});

	app.post(`${p}/faults`, async (req) => {
		try {
			const f = faults.add(req.body as FaultSpec);
			return { id: f.id, fault: f };
		} catch (e) {
			if (e instanceof FaultError) throw badRequest('fault', e.message);
			throw e;
		}
	});
	app.get(`${p}/faults`, async () => ({ faults: faults.all() }));
	app.delete(`${p}/faults`, async () => {
		faults.clear();
		return { ok: true };
	});
	app.delete(`${p}/faults/:id`, async (req) => {
		const { id } = req.params as { id: string };
		if (!faults.remove(id)) throw new ApiError(404, `Fault ${id} not found`);
		return { ok: true };
	});

	// Only things that change when the data changes: comparing two snapshots proves a request changed nothing.
	app.get(`${p}/state`, async () => ({
		seed: store.seed,
		sizes: store.sizes,
		generated_at: store.generatedAt,
		revision: store.revision,
		counts: store.counts(),
	}));

	app.get(`${p}/data`, async () => ({ collections: Store.COLLECTION_NAMES }));
	app.get(`${p}/data/:collection`, async (req) => {
		const { collection } = req.params as { collection: string };
		const data = store.dump(collection);
		if (!data) throw new ApiError(404, `Unknown collection '${collection}' (known: ${Store.COLLECTION_NAMES.join(', ')})`);
		// The bare array: tests read it directly.
		return data;
	});
}
