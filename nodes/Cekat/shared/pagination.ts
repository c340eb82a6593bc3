import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isObject } from '../../shared/cekatShapes';
import { PAGE_SIZE } from './constants';
import { guardedRequest } from './errors';

/**
 * Where a list answer keeps its records:
 * - `page`: `data[]` with `metadata.pagination` (or `metadata.next_cursor` on conversations)
 * - `orders`: `data.orders[]`, no metadata: a short page is the last one
 * - `whole`: `data[]`, the whole list in one answer (CRM, legacy routes)
 */
export type ListFamily = 'page' | 'orders' | 'whole';

export function recordsOf(ctx: IExecuteSingleFunctions, body: unknown, family: ListFamily): IDataObject[] {
	const data = isObject(body) ? body.data : undefined;
	const records = family === 'orders' && isObject(data) ? data.orders : data;
	if (!Array.isArray(records)) {
		throw new NodeOperationError(ctx.getNode(), 'Cekat answered a list request without a list of records', {
			itemIndex: ctx.getItemIndex(),
			description: `Expected ${family === 'orders' ? '"data.orders"' : '"data"'} to be an array.`,
		});
	}
	return records as IDataObject[];
}

function wantedCount(ctx: IExecuteSingleFunctions): number {
	if (ctx.getNodeParameter('returnAll', false) as boolean) return Infinity;
	const limit = Number(ctx.getNodeParameter('limit', 50));
	if (!Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(ctx.getNode(), `Limit: must be a whole number of at least 1 [item ${ctx.getItemIndex()}]`, {
			itemIndex: ctx.getItemIndex(),
		});
	}
	return limit;
}

type NextPage = { qs: IDataObject } | undefined;

/**
 * Page totals, wherever Cekat puts them: `metadata.pagination { current_page, total_page, total_items }`
 * (the seeds) or `{ total_data, total_page, current_page }` (docsboptr, docs/cekat-api.md "Page metadata",
 * which does not show where that object sits: under `metadata.pagination`, `metadata` or the body).
 */
export function pageTotals(body: IDataObject): { current?: number; totalPages: number } | undefined {
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

/**
 * Decides the next request from the answer's own paging data, else from a short page. The
 * conversation list (v2) pages by cursor and ends with both `next_cursor` values null
 * (docs/cekat-api.md, Conversations); v1 answered page totals instead.
 */
function nextPage(body: IDataObject, page: number, got: number, pageSize: number): NextPage {
	const metadata = isObject(body.metadata) ? body.metadata : undefined;
	const cursor = metadata?.next_cursor;
	if (isObject(cursor) && cursor.cursor_id !== undefined && cursor.cursor_id !== null) {
		const qs: IDataObject = { cursor_id: cursor.cursor_id };
		if (cursor.cursor_ts !== undefined && cursor.cursor_ts !== null) qs.cursor_ts = cursor.cursor_ts;
		return { qs };
	}
	if (metadata && 'next_cursor' in metadata) return undefined;
	const totals = pageTotals(body);
	if (totals) {
		const current = totals.current ?? page;
		return current < totals.totalPages && got > 0 ? { qs: { page: page + 1 } } : undefined;
	}
	return got >= pageSize ? { qs: { page: page + 1 } } : undefined;
}

/**
 * Builds the declarative `pagination` function of a list operation. It serves both Return All
 * and Limit (a Limit above one page needs several requests too), emits every record once, stops
 * on the last page by metadata, a short or empty page or a missing cursor, and stops if the
 * server repeats a page (a server that ignores paging must not make the node loop).
 */
export function paginate(family: ListFamily) {
	return async function paginateList(
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		const wanted = wantedCount(this);
		const itemIndex = this.getItemIndex();
		const toItems = (records: IDataObject[]) =>
			records.map((json) => ({ json, pairedItem: { item: itemIndex } }));

		if (family === 'whole') {
			const [answer] = await guardedRequest(this.getNode(), async () => await this.makeRoutingRequest(requestData), itemIndex);
			return toItems(recordsOf(this, answer?.json, family).slice(0, wanted));
		}

		const pageSize = Math.min(PAGE_SIZE, wanted);
		const baseQs = { ...(requestData.options.qs ?? {}) } as IDataObject;
		delete baseQs.page;
		delete baseQs.cursor_id;
		delete baseQs.cursor_ts;
		let pageQs: IDataObject = { page: 1 };
		let page = 1;
		const seenIds = new Set<unknown>();
		const seenPages = new Set<string>();
		const collected: IDataObject[] = [];

		while (collected.length < wanted) {
			const qs: IDataObject = { ...baseQs, ...pageQs, limit: pageSize };
			// The cursor replaces the page number on the conversation list.
			if (qs.cursor_id !== undefined) delete qs.page;
			const [answer] = await guardedRequest(
				this.getNode(),
				async () => await this.makeRoutingRequest({ ...requestData, options: { ...requestData.options, qs } }),
				itemIndex,
			);
			const body = (answer?.json ?? {}) as IDataObject;
			const records = recordsOf(this, body, family);
			if (records.length === 0) break;

			// Whole first and last records: rows without an id (current assignments) must still differ.
			const signature = JSON.stringify([records[0], records[records.length - 1], records.length]);
			if (seenPages.has(signature)) break;
			seenPages.add(signature);

			for (const record of records) {
				const id = isObject(record) ? record.id : undefined;
				if (id !== undefined && id !== null) {
					if (seenIds.has(id)) continue;
					seenIds.add(id);
				}
				collected.push(record);
				if (collected.length >= wanted) break;
			}

			const next = nextPage(body, page, records.length, pageSize);
			if (!next) break;
			if (next.qs.page !== undefined) page = Number(next.qs.page);
			pageQs = next.qs;
		}
		return toItems(collected);
	};
}

/**
 * The `pagination` hook of single-record operations: one request, through the same guard as the
 * lists, so that transport errors are rebuilt without the client's request config.
 */
export async function singleRequest(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	return await guardedRequest(this.getNode(), async () => await this.makeRoutingRequest(requestData), this.getItemIndex());
}

/** postReceive step of single-record operations: the record without its envelope. */
export async function unwrapData(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const body = response.body;
	const data = isObject(body) && body.data !== undefined ? body.data : body;
	const itemIndex = this.getItemIndex();
	if (Array.isArray(data)) return data.map((json) => ({ json: json as IDataObject, pairedItem: { item: itemIndex } }));
	const json = isObject(data) ? data : { value: (data ?? null) as IDataObject[keyof IDataObject] };
	return [{ json, pairedItem: { item: itemIndex } }];
}
