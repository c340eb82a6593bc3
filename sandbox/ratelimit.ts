/**
 * Fixed-window request counter behind the x-ratelimit-* headers. A saved PM answer carries
 * `x-ratelimit-limit: 10`, `x-ratelimit-remaining: 8`, `x-ratelimit-reset: <epoch seconds>`; the real limits
 * vary (INV: 300/min/IP for conversations v2, BOP: 60/300/1000 by plan). The default here is generous so tests
 * and benchmarks are not throttled; set a small limit to test a client's 429 handling.
 * Driven by the sandbox clock, so a test moves to the next window by moving the clock.
 */
export interface RateLimitOptions {
	/** Requests per window; default 100,000. */
	limit?: number;
	/** Window length in seconds; default 60. */
	windowSeconds?: number;
}

export const DEFAULT_RATE_LIMIT = 100_000;
export const DEFAULT_RATE_WINDOW_SECONDS = 60;

export class RateLimiter {
	limit: number;
	windowSeconds: number;
	private windowStart = -1;
	private used = 0;

	constructor(private readonly now: () => number, opts: RateLimitOptions = {}) {
		this.limit = opts.limit ?? DEFAULT_RATE_LIMIT;
		this.windowSeconds = opts.windowSeconds ?? DEFAULT_RATE_WINDOW_SECONDS;
	}

	configure(opts: RateLimitOptions): void {
		if (opts.limit !== undefined) this.limit = opts.limit;
		if (opts.windowSeconds !== undefined) this.windowSeconds = opts.windowSeconds;
		this.reset();
	}

	reset(): void {
		this.windowStart = -1;
		this.used = 0;
	}

	/** Counts one request; `allowed` is false once the window's limit is spent (that request is not carried out). */
	take(): { allowed: boolean; headers: Record<string, string> } {
		const nowS = Math.floor(this.now() / 1000);
		const len = Math.max(1, this.windowSeconds);
		const start = nowS - (nowS % len);
		if (start !== this.windowStart) {
			this.windowStart = start;
			this.used = 0;
		}
		const allowed = this.used < this.limit;
		if (allowed) this.used++;
		return {
			allowed,
			headers: {
				'x-ratelimit-limit': String(this.limit),
				'x-ratelimit-remaining': String(Math.max(0, this.limit - this.used)),
				'x-ratelimit-reset': String(start + len),
			},
		};
	}

	state(): { limit: number; windowSeconds: number; used: number } {
		return { limit: this.limit, windowSeconds: this.windowSeconds, used: this.used };
	}
}

export function validateRateLimit(raw: unknown): RateLimitOptions {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('body must be an object { limit?, windowSeconds? }');
	const { limit, windowSeconds } = raw as Record<string, unknown>;
	const out: RateLimitOptions = {};
	if (limit !== undefined) {
		if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) throw new Error('limit must be a non-negative integer');
		out.limit = limit;
	}
	if (windowSeconds !== undefined) {
		if (typeof windowSeconds !== 'number' || !Number.isInteger(windowSeconds) || windowSeconds < 1) throw new Error('windowSeconds must be a positive integer');
		out.windowSeconds = windowSeconds;
	}
	return out;
}
