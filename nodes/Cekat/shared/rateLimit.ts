import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteData, INode } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

/**
 * Client-side pacing to Cekat's rate limit (docs/reliability.md, "Rate limits"). Cekat answers with
 * `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` (epoch seconds); a 429 was not
 * carried out, so it is the only answer that is ever retried here.
 *
 * One bucket per Base URL host and API key (a hash of it: the key itself is never kept), shared by every
 * item, execution and node of this n8n process. Requests queue in a bucket in order: while the budget
 * is unknown one request goes first (its answer tells the budget); then as many go as remain, and the
 * rest wait for the window's reset. So a node's items do not all burst at once and then meet 429s.
 */

/** Default of the credential's "Rate Limit: Maximum Wait": one whole per-minute window. */
export const DEFAULT_MAX_WAIT_SECONDS = 60;
/** Added to every wait so that clients woken by the same reset do not all arrive in the same instant. */
const JITTER_MS = 250;
/** A 429 that names no wait (or a reset already past): try again after this. */
const FALLBACK_WAIT_MS = 1000;

interface Waiter {
	maxWaitMs: number;
	grant: () => void;
}

interface Bucket {
	limit?: number;
	/** Requests we may still send in this window (the server's count minus ours in flight). */
	remaining?: number;
	/** When the current window ends (ms epoch); undefined once it has passed, until an answer tells the next. */
	resetAt?: number;
	/** A 429 asked to wait until then (ms epoch); the next accepted answer ends it. */
	pauseUntil?: number;
	/** An answer came without rate-limit headers: nothing to pace by. */
	noHeaders?: boolean;
	inFlight: number;
	queue: Waiter[];
	/** The timer that lets the queue go on at the reset; stopped when nobody waits. */
	wake?: { at: number; stop: AbortController };
}

const buckets = new Map<string, Bucket>();
const MAX_BUCKETS = 500;

/** What a context must offer: every n8n context that calls Cekat has these. */
export interface LimitContext {
	getNode(): INode;
	getCredentials<T extends object = ICredentialDataDecryptedObject>(type: string, itemIndex?: number): Promise<T>;
	getExecuteData?(): IExecuteData;
	getExecutionCancelSignal?(): AbortSignal | undefined;
}

interface Scope {
	bucket: Bucket;
	maxWaitMs: number;
}

// Credentials once per node run (getCredentials reads n8n's database), not once per item.
const scopes = new WeakMap<object, Promise<Scope>>();

function bucketOf(key: string): Bucket {
	let bucket = buckets.get(key);
	if (!bucket) {
		if (buckets.size >= MAX_BUCKETS) {
			for (const [k, b] of buckets) if (b.inFlight === 0 && b.queue.length === 0) buckets.delete(k);
		}
		bucket = { inFlight: 0, queue: [] };
		buckets.set(key, bucket);
	}
	return bucket;
}

async function loadScope(ctx: LimitContext): Promise<Scope> {
	const credentials = await ctx.getCredentials('cekatApi');
	const baseUrl = String(credentials.baseUrl ?? '');
	let host = baseUrl;
	try {
		host = new URL(baseUrl).host;
	} catch {
		// keep the text as it is: it still tells credentials apart
	}
	const keyHash = createHash('sha256').update(String(credentials.apiKey ?? ''), 'utf8').digest('base64url').slice(0, 16);
	const raw = credentials.rateLimitMaxWait;
	const seconds = typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_MAX_WAIT_SECONDS;
	return { bucket: bucketOf(`${host} ${keyHash}`), maxWaitMs: seconds * 1000 };
}

async function scopeOf(ctx: LimitContext): Promise<Scope> {
	const run = ctx.getExecuteData?.();
	if (!run) return await loadScope(ctx);
	let scope = scopes.get(run);
	if (!scope) {
		scope = loadScope(ctx);
		scopes.set(run, scope);
		scope.catch(() => scopes.delete(run));
	}
	return await scope;
}

function header(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	if (key === undefined) return undefined;
	const value = headers[key];
	return Array.isArray(value) ? String(value[0]) : value === undefined || value === null ? undefined : String(value);
}

function numberHeader(headers: IDataObject | undefined, name: string): number | undefined {
	const text = header(headers, name)?.trim();
	if (!text) return undefined;
	const value = Number(text);
	return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** What an answer says about the limit; times in ms epoch. */
export function readRateLimit(headers: IDataObject | undefined, now = Date.now()): { limit?: number; remaining?: number; resetAt?: number; retryAt?: number } {
	const limit = numberHeader(headers, 'x-ratelimit-limit');
	const remaining = numberHeader(headers, 'x-ratelimit-remaining');
	const reset = numberHeader(headers, 'x-ratelimit-reset');
	// Cekat sends epoch seconds; a small number can only be "seconds from now" (as some gateways send).
	const resetAt = reset === undefined ? undefined : reset < 1e9 ? now + reset * 1000 : reset < 1e12 ? reset * 1000 : reset;
	// Retry-After: seconds, or an HTTP date.
	const retryAfter = header(headers, 'retry-after')?.trim();
	let retryAt: number | undefined;
	if (retryAfter) {
		if (/^\d+(\.\d+)?$/.test(retryAfter)) retryAt = now + Number(retryAfter) * 1000;
		else if (!Number.isNaN(Date.parse(retryAfter))) retryAt = Date.parse(retryAfter);
	}
	return { limit, remaining, resetAt, retryAt };
}

function schedule(bucket: Bucket, at: number): void {
	if (bucket.wake && bucket.wake.at <= at) return;
	bucket.wake?.stop.abort();
	const wake = { at, stop: new AbortController() };
	bucket.wake = wake;
	sleep(Math.max(0, at - Date.now()), wake.stop.signal).then(
		() => {
			if (bucket.wake === wake) bucket.wake = undefined;
			pump(bucket);
		},
		() => {}, // stopped: nobody waits any more, or an earlier wake-up replaced it
	);
}

/** Lets queued requests go, in order, as far as the known budget allows. */
function pump(bucket: Bucket): void {
	const now = Date.now();
	if (bucket.resetAt !== undefined && now >= bucket.resetAt) {
		// The window is over: assume a full budget again until an answer says otherwise.
		bucket.remaining = bucket.limit;
		bucket.resetAt = undefined;
	}
	if (bucket.pauseUntil !== undefined && now >= bucket.pauseUntil) bucket.pauseUntil = undefined;
	if (!bucket.queue.length && bucket.wake) {
		bucket.wake.stop.abort();
		bucket.wake = undefined;
	}
	while (bucket.queue.length) {
		const waiter = bucket.queue[0];
		const paused = bucket.pauseUntil !== undefined;
		const remaining = paused ? 0 : bucket.remaining;
		const resetAt = paused ? bucket.pauseUntil : bucket.resetAt;
		let go: boolean;
		if (waiter.maxWaitMs === 0) go = true;
		else if (remaining === undefined) go = bucket.noHeaders === true || bucket.inFlight === 0;
		else if (remaining > 0) go = true;
		// Spent, and the reset is unknown or further than the user accepts: send, Cekat's answer decides.
		else if (resetAt === undefined) go = bucket.inFlight === 0;
		else go = resetAt - now > waiter.maxWaitMs;
		if (!go) {
			if (remaining !== undefined && remaining <= 0 && resetAt !== undefined) schedule(bucket, resetAt + Math.random() * JITTER_MS);
			return;
		}
		bucket.queue.shift();
		if (!paused && remaining !== undefined && remaining > 0) bucket.remaining = remaining - 1;
		bucket.inFlight++;
		waiter.grant();
	}
}

function cancelled(ctx: LimitContext): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), 'The execution was cancelled while waiting for Cekat’s rate limit');
}

async function acquire(bucket: Bucket, maxWaitMs: number, ctx: LimitContext, signal: AbortSignal | undefined, first: boolean): Promise<void> {
	if (signal?.aborted) throw cancelled(ctx);
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => {
			const at = bucket.queue.indexOf(waiter);
			if (at >= 0) bucket.queue.splice(at, 1);
			pump(bucket);
			reject(cancelled(ctx));
		};
		const waiter: Waiter = {
			maxWaitMs,
			grant: () => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			},
		};
		signal?.addEventListener('abort', onAbort, { once: true });
		// A request retried after a 429 is older than the ones queued behind it: it goes first.
		if (first) bucket.queue.unshift(waiter);
		else bucket.queue.push(waiter);
		pump(bucket);
	});
}

function release(bucket: Bucket): void {
	bucket.inFlight = Math.max(0, bucket.inFlight - 1);
	pump(bucket);
}

/** 429 errors and the wait their answer asked for; set by noteAnswer's caller, read by withRateLimit. */
const retryWaits = new WeakMap<object, number>();

/**
 * Updates the bucket from an answer's headers (every answer, success or not). For a 429 it returns
 * how long Cekat asks to wait (Retry-After, else the reset), for the caller to mark its error with.
 */
export async function noteAnswer(ctx: LimitContext, statusCode: number, headers: IDataObject | undefined): Promise<number | undefined> {
	const { bucket } = await scopeOf(ctx);
	const now = Date.now();
	const info = readRateLimit(headers, now);
	if (info.limit !== undefined) bucket.limit = info.limit;
	if (info.remaining !== undefined && info.resetAt !== undefined && info.resetAt > now) {
		bucket.noHeaders = false;
		// The others in flight may not be counted by the server yet: count them as spent.
		const estimate = Math.max(0, info.remaining - Math.max(0, bucket.inFlight - 1));
		if (bucket.resetAt === undefined || info.resetAt > bucket.resetAt) {
			bucket.resetAt = info.resetAt;
			bucket.remaining = estimate;
		} else if (info.resetAt === bucket.resetAt) {
			bucket.remaining = Math.min(bucket.remaining ?? estimate, estimate);
		}
		// an answer from a window before the current one says nothing about it
	} else if (info.remaining === undefined && info.resetAt === undefined && bucket.remaining === undefined) {
		bucket.noHeaders = true;
	}
	let wait: number | undefined;
	if (statusCode === 429) {
		const until = info.retryAt ?? info.resetAt;
		wait = until !== undefined && until > now ? until - now : FALLBACK_WAIT_MS;
		// Nothing more goes before then, from any item; the latest 429 says best how long.
		bucket.pauseUntil = now + wait;
	} else if (statusCode < 400) {
		// Cekat carried this one out: whatever a 429 said before is over.
		bucket.pauseUntil = undefined;
	}
	pump(bucket);
	return wait;
}

/** Marks a 429's error with the wait its answer asked for, so that withRateLimit retries it. */
export function markRetryable<E extends object>(error: E, waitMs: number): E {
	retryWaits.set(error, waitMs);
	return error;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Sends one request in its turn of the bucket's queue. A 429 (and only a 429: it was not carried out,
 * so sending it again cannot do anything twice) is sent again after the wait its answer names, while
 * the waits for this request add up to at most the credential's Maximum Wait; past that the 429 fails
 * the item, saying how long it would have had to wait.
 */
export async function withRateLimit<T>(ctx: LimitContext, send: () => Promise<T>): Promise<T> {
	const { bucket, maxWaitMs } = await scopeOf(ctx);
	// No getNode() here: n8n copies the node on every call, and this runs for every page of a Return All.
	const signal = ctx.getExecutionCancelSignal?.();
	let waited = 0;
	let retry = false;
	for (;;) {
		await acquire(bucket, maxWaitMs, ctx, signal, retry);
		const outcome = await send().then(
			(value) => ({ value, error: undefined, failed: false }),
			(error: unknown) => ({ value: undefined, error, failed: true }),
		);
		release(bucket);
		if (!outcome.failed) return outcome.value as T;
		const wait = retryWaits.get(outcome.error as object);
		if (wait === undefined) throw outcome.error;
		if (waited + wait > maxWaitMs) {
			const failure = outcome.error as { message: string; description?: string | null };
			failure.message = `${failure.message} (would have had to wait ${seconds(wait)} s)`;
			failure.description = [
				`Cekat’s limit would have held this request ${seconds(wait)} s${waited ? ` more, after ${seconds(waited)} s of waiting` : ''}; the credential’s Rate Limit: Maximum Wait is ${Math.round(maxWaitMs / 1000)} s.`,
				failure.description,
			]
				.filter(Boolean)
				.join('\n');
			throw outcome.error;
		}
		waited += wait;
		retry = true;
	}
}
