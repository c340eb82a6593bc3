/**
 * Request journal: a bounded ring buffer, so a long benchmark cannot grow memory without limit.
 * It never stores headers, and the API key value is redacted wherever it appears (URL, query, body).
 */

export interface JournalEntry {
	seq: number;
	time: string;
	method: string;
	/** Raw request path without the query string, as received (not decoded). */
	path: string;
	/** Raw URL including the query string. */
	url: string;
	/** Fastify route pattern, e.g. '/api/orders/:id'; null when no route matched. */
	route: string | null;
	query: Record<string, string | string[]>;
	/** Parsed JSON body, the raw string if it was not JSON, undefined if none. */
	body: unknown;
	keyMatched: boolean;
	/** Which auth headers were present. */
	auth: 'api_key' | 'bearer' | 'both' | 'none';
	/** Response status; 0 when the connection was dropped by a fault. */
	status: number;
	/** Content-Type of the request (absent if the request had none). */
	contentType?: string;
	/** Content-Type of the response (absent if none). */
	responseContentType?: string;
	/** Id of the injected fault that answered this request, if any. */
	faultId?: string;
	durationMs?: number;
	/** Split-hosts variant only: which host answered ('api' = api.cekat.ai, 'server' = server.cekat.ai). */
	host?: 'api' | 'server';
}

export const REDACTED = '[REDACTED]';

export class Journal {
	private buf: JournalEntry[] = [];
	private start = 0;
	private seq = 0;

	constructor(readonly limit: number) {}

	nextSeq(): number {
		return ++this.seq;
	}

	push(e: JournalEntry): void {
		if (this.limit <= 0) return;
		if (this.buf.length < this.limit) this.buf.push(e);
		else {
			this.buf[this.start] = e;
			this.start = (this.start + 1) % this.limit;
		}
	}

	/** Entries oldest first; `since` keeps only entries with a larger seq. */
	entries(since = 0): JournalEntry[] {
		const ordered = this.start === 0 ? this.buf.slice() : this.buf.slice(this.start).concat(this.buf.slice(0, this.start));
		return since > 0 ? ordered.filter((e) => e.seq > since) : ordered;
	}

	/** Clears entries; seq keeps counting so `since` cursors held by clients stay valid. */
	clear(): void {
		this.buf = [];
		this.start = 0;
	}

	get size(): number {
		return this.buf.length;
	}
}

/** Replaces every occurrence of `secret` inside strings of a JSON value. */
export function redactDeep(value: unknown, secret: string): unknown {
	if (!secret) return value;
	if (typeof value === 'string') return value.includes(secret) ? value.split(secret).join(REDACTED) : value;
	if (Array.isArray(value)) return value.map((v) => redactDeep(v, secret));
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) {
			// defineProperty: a JSON key "__proto__" must stay a plain property, not change the prototype.
			Object.defineProperty(out, k.includes(secret) ? k.split(secret).join(REDACTED) : k, { value: redactDeep(v, secret), enumerable: true, writable: true, configurable: true });
		}
		return out;
	}
	return value;
}
