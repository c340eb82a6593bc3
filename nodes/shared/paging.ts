/**
 * How Cekat's lists page, written once for the node's lists, its pickers, the column mapper and the
 * trigger's polls (docs/cekat-api.md, "Node": lists). Each envelope family is described here:
 *
 * - `page`: `data[]` with page totals (`metadata.pagination { current_page, total_page, total_items }`, or
 *   `{ total_data, total_page, current_page }` in another holder), or on the conversation list v2 a cursor
 *   (`metadata.next_cursor { cursor_id, cursor_ts }`, both null at the end); v1 answered page totals;
 * - `orders`: `data.orders[]`, no metadata: a short page is the last one;
 * - `whole`: `data[]` (or `data.items[]`), the whole list in one answer (CRM, legacy routes).
 */
import type { IDataObject } from 'n8n-workflow';

import { isObject } from './cekatShapes';

/** Largest page size the Cekat API is known to accept (exporters use 100). */
export const PAGE_SIZE = 100;

export type ListFamily = 'page' | 'orders' | 'whole';

/** Where a family keeps its records, as error messages name it. */
export const RECORDS_AT: Record<ListFamily, string> = { page: 'data', orders: 'data.orders', whole: 'data' };

/** The records of a list answer; not an array when the answer holds none (the caller says so). */
export function recordsIn(body: unknown, family: ListFamily): unknown {
	const data = isObject(body) ? body.data : undefined;
	if (family === 'orders') return isObject(data) ? data.orders : undefined;
	// Whole CRM lists: some answers wrap the rows as `data.items`.
	if (family === 'whole' && isObject(data) && Array.isArray(data.items)) return data.items;
	return data;
}

/** The records of a list answer, or none (editor lists show what there is rather than fail). */
export function recordsOrNone(body: unknown, family: ListFamily): IDataObject[] {
	const records = recordsIn(body, family);
	return (Array.isArray(records) ? records : []) as IDataObject[];
}

/**
 * Page totals, wherever Cekat puts them: `metadata.pagination { current_page, total_page, total_items }`
 * (the seeds) or `{ total_data, total_page, current_page }` (docsboptr, docs/cekat-api.md "Page metadata",
 * which does not show where that object sits: under `metadata.pagination`, `metadata` or the body).
 */
export function pageTotals(body: unknown): { current?: number; totalPages: number } | undefined {
	if (!isObject(body)) return undefined;
	const metadata = isObject(body.metadata) ? body.metadata : undefined;
	for (const holder of [metadata?.pagination, metadata, body.pagination, body]) {
		if (!isObject(holder) || holder.total_page === undefined || holder.total_page === null) continue;
		const totalPages = Number(holder.total_page);
		if (!Number.isFinite(totalPages)) continue;
		const current = holder.current_page === undefined ? undefined : Number(holder.current_page);
		return { current: Number.isFinite(current) ? current : undefined, totalPages };
	}
	return undefined;
}

/** Where a list continues: a page number, or the conversation list's cursor. */
export type PagePosition = { page: number } | { cursor_id: unknown; cursor_ts?: unknown };

/**
 * The next position after a page, from the answer's own paging data, else from a short page; undefined
 * at the end. The conversation list (v2) ends with both `next_cursor` values null.
 */
export function pageAfter(body: IDataObject, page: number, got: number, pageSize: number): PagePosition | undefined {
	const metadata = isObject(body.metadata) ? body.metadata : undefined;
	const cursor = metadata?.next_cursor;
	if (isObject(cursor) && cursor.cursor_id !== undefined && cursor.cursor_id !== null) {
		return cursor.cursor_ts !== undefined && cursor.cursor_ts !== null
			? { cursor_id: cursor.cursor_id, cursor_ts: cursor.cursor_ts }
			: { cursor_id: cursor.cursor_id };
	}
	if (metadata && 'next_cursor' in metadata) return undefined;
	const totals = pageTotals(body);
	if (totals) return (totals.current ?? page) < totals.totalPages && got > 0 ? { page: page + 1 } : undefined;
	return got >= pageSize ? { page: page + 1 } : undefined;
}

/** A picker's pagination token for a position (a page number stays a plain number). */
export const positionToken = (position: PagePosition): string =>
	'page' in position ? String(position.page) : JSON.stringify(position);

export function positionOfToken(token: string | undefined): PagePosition {
	if (!token) return { page: 1 };
	return token.startsWith('{') ? (JSON.parse(token) as PagePosition) : { page: Number(token) };
}

export interface ListPage {
	records: IDataObject[];
	body: IDataObject;
	/** Where the list goes on; undefined on the last page. */
	next?: PagePosition;
}

/**
 * Walks a list page by page. `fetchPage` makes the request (page number or cursor plus `limit`),
 * `read` takes the records out of the answer (and throws the caller's own error when there are none).
 * Ends on an empty page, on the last page by metadata, a short page or a cursor's end, and when the
 * server repeats a page or a position (a server that ignores paging must not make a caller loop).
 */
export async function* walkPages(
	fetchPage: (qs: IDataObject) => Promise<IDataObject>,
	read: (body: IDataObject) => IDataObject[],
	/** `start: null`: the first request without a page number (the trigger's first conversation page). */
	options: { start?: PagePosition | null; pageSize?: number } = {},
): AsyncGenerator<ListPage> {
	const pageSize = options.pageSize ?? PAGE_SIZE;
	let position: PagePosition | Record<string, never> = options.start === undefined ? { page: 1 } : (options.start ?? {});
	let page = 'page' in position ? position.page : 1;
	const seen = new Set<string>();
	for (;;) {
		const body = await fetchPage({ ...position, limit: pageSize } as IDataObject);
		const records = read(body);
		if (records.length === 0) return;
		// First and last records whole (rows without an id, such as current assignments, must still differ).
		const signature = JSON.stringify([records[0], records[records.length - 1], records.length]);
		if (seen.has(signature)) return;
		seen.add(signature);
		const next = pageAfter(body, page, records.length, pageSize);
		const key = next && JSON.stringify(next);
		const repeated = key !== undefined && seen.has(key);
		if (key) seen.add(key);
		yield { records, body, next: repeated ? undefined : next };
		if (!next || repeated) return;
		position = next;
		if ('page' in next) page = next.page;
	}
}
