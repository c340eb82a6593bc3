/** Helpers shared by the route modules: query schemas, paging, Jakarta date ranges, envelopes. */
import { badRequest, PATTERNS } from '../errors';
import type { Store } from '../store';
import type { WebhookEmitter } from '../webhooks';
import { DEFAULT_VARIANT, type SandboxVariant } from '../variant';

export interface RouteDeps {
	store: Store;
	/** Sends webhook events when data changes (nothing when no target is configured). */
	webhooks?: WebhookEmitter;
	/** Live variant (read per request); DEFAULT_VARIANT when omitted. */
	variant?: SandboxVariant;
}

export type Query = Record<string, string | undefined>;

export const DEFAULT_LIMIT = 10;
/** The real maximum page size is unknown; exporters use 100, so larger values are clamped to 100. */
export const MAX_LIMIT = 100;

const str = { type: 'string' } as const;
const positiveInt = { type: 'string', pattern: PATTERNS.positiveInt } as const;
const date = { type: 'string', pattern: PATTERNS.date } as const;

/**
 * Query schema for list routes. Everything arrives as a string; patterns reject "abc", "0", "-1", "1.5",
 * and unknown parameters are ignored (no additionalProperties: false), as real APIs do.
 */
export function listQuerySchema(extra: Record<string, object> = {}): object {
	return {
		type: 'object',
		properties: { page: positiveInt, limit: positiveInt, start_date: date, end_date: date, ...extra },
	};
}

export const stringParam = str;

export function paramsSchema(...names: string[]): object {
	return { type: 'object', properties: Object.fromEntries(names.map((n) => [n, str])), required: names };
}

export interface Paging {
	page: number;
	limit: number;
}

export function readPaging(q: Query): Paging {
	const page = q.page ? Math.min(Number(q.page), Number.MAX_SAFE_INTEGER) : 1;
	const limit = q.limit ? Math.min(Number(q.limit), MAX_LIMIT) : DEFAULT_LIMIT;
	return { page, limit };
}

export interface PageResult<T> {
	data: T[];
	pagination: { current_page: number; total_page: number; total_items: number; current_items: number; limit: number };
}

export function paginate<T>(items: readonly T[], { page, limit }: Paging): PageResult<T> {
	const start = (page - 1) * limit;
	const data = start < items.length ? items.slice(start, start + limit) : [];
	return {
		data,
		pagination: {
			current_page: page,
			total_page: Math.ceil(items.length / limit),
			total_items: items.length,
			current_items: data.length,
			limit,
		},
	};
}

/**
 * Page-family envelope: { success, data, metadata: { pagination } }. pagination is
 * { current_page, total_page, total_items, current_items, limit } by default, or BOP's
 * { total_data, total_page, current_page } with the pageMetadata: 'total_data' variant.
 * `map` turns the internal rows of the page into wire rows.
 */
export function pageEnvelope<T, W = T>(
	items: readonly T[],
	paging: Paging,
	variant: Pick<SandboxVariant, 'pageMetadata'> = DEFAULT_VARIANT,
	map?: (x: T) => W,
): { success: true; data: W[]; metadata: { pagination: Record<string, number> } } {
	const { data, pagination } = paginate(items, paging);
	const rows = map ? data.map(map) : (data as unknown as W[]);
	if (variant.pageMetadata === 'total_data') {
		return { success: true, data: rows, metadata: { pagination: { total_data: pagination.total_items, total_page: pagination.total_page, current_page: pagination.current_page } } };
	}
	return { success: true, data: rows, metadata: { pagination } };
}

const HOUR = 3_600_000;
const JAKARTA_OFFSET = 7 * HOUR;
const MAX_ISO_MS = Date.UTC(10000, 0, 1);

/** Start of a Jakarta (UTC+7) calendar day in epoch ms; throws 400 naming the field if the date is invalid. */
export function jakartaDayStart(value: string, field: string): number {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (m) {
		const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
		const utc = Date.UTC(y, mo - 1, d);
		const back = new Date(utc);
		if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) return utc - JAKARTA_OFFSET;
	}
	throw badRequest(field, `${field} must be a valid date in YYYY-MM-DD format (Jakarta time), got '${value}'`);
}

export interface IsoRange {
	/** inclusive lower bound (ISO string) */
	from?: string;
	/** exclusive upper bound (ISO string) */
	to?: string;
}

/** start_date / end_date → ISO bounds; both days inclusive, in Jakarta time. */
export function readDateRange(q: Query, startField = 'start_date', endField = 'end_date'): IsoRange {
	const range: IsoRange = {};
	const s = q[startField];
	const e = q[endField];
	if (s !== undefined) range.from = new Date(jakartaDayStart(s, startField)).toISOString();
	if (e !== undefined) {
		const to = jakartaDayStart(e, endField) + 24 * HOUR;
		// Past year 9999 the ISO form gains a sign ('+010000-…') and would sort before every real date:
		// treat such an end date as "no upper bound".
		if (to < MAX_ISO_MS) range.to = new Date(to).toISOString();
	}
	return range;
}

export function hasRange(r: IsoRange): boolean {
	return r.from !== undefined || r.to !== undefined;
}

export function inRange(ts: string, r: IsoRange): boolean {
	return (r.from === undefined || ts >= r.from) && (r.to === undefined || ts < r.to);
}

export function filterByRange<T>(items: readonly T[], r: IsoRange, get: (x: T) => string): readonly T[] {
	return hasRange(r) ? items.filter((x) => inRange(get(x), r)) : items;
}

/** Phone numbers: digits only, 8–15 of them (E.164 without '+'). */
export const PHONE_RE = /^[0-9]{8,15}$/;

export function isHttpUrl(s: string): boolean {
	try {
		const u = new URL(s);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}
