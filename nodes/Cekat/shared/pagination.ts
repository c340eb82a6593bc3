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
import { PAGE_SIZE, RECORDS_AT, recordsIn, walkPages, type ListFamily } from '../../shared/paging';
import { guardedRequest } from './errors';
import { withRateLimit } from './rateLimit';

export type { ListFamily };

export function recordsOf(ctx: IExecuteSingleFunctions, body: unknown, family: ListFamily): IDataObject[] {
	const records = recordsIn(body, family);
	if (!Array.isArray(records)) {
		throw new NodeOperationError(ctx.getNode(), 'Cekat answered a list request without a list of records', {
			itemIndex: ctx.getItemIndex(),
			description: `Expected "${RECORDS_AT[family]}" to be an array.`,
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

/**
 * Builds the declarative `pagination` function of a list operation. It serves both Return All
 * and Limit (a Limit above one page needs several requests too) and emits every record once;
 * where the list ends is walkPages' rule (nodes/shared/paging.ts).
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
		const request = async (options: DeclarativeRestApiSettings.ResultOptions) =>
			await withRateLimit(this, async () => await guardedRequest(this.getNode(), async () => await this.makeRoutingRequest(options), itemIndex));

		if (family === 'whole') {
			const [answer] = await request(requestData);
			return toItems(recordsOf(this, answer?.json, family).slice(0, wanted));
		}

		const baseQs = { ...(requestData.options.qs ?? {}) } as IDataObject;
		delete baseQs.page;
		delete baseQs.cursor_id;
		delete baseQs.cursor_ts;
		const fetchPage = async (position: IDataObject) => {
			const [answer] = await request({ ...requestData, options: { ...requestData.options, qs: { ...baseQs, ...position } } });
			return (answer?.json ?? {}) as IDataObject;
		};
		// Items are built as records arrive (no second array of 100,000 wrappers to collect and map).
		const seenIds = new Set<unknown>();
		const items: INodeExecutionData[] = [];
		const pages = walkPages(fetchPage, (body) => recordsOf(this, body, family), { pageSize: Math.min(PAGE_SIZE, wanted) });
		for await (const { records } of pages) {
			for (const json of records) {
				const id = isObject(json) ? json.id : undefined;
				if (id !== undefined && id !== null) {
					if (seenIds.has(id)) continue;
					seenIds.add(id);
				}
				if (items.push({ json, pairedItem: { item: itemIndex } }) >= wanted) return items;
			}
		}
		return items;
	};
}

/**
 * The node's request hook (Cekat.node.ts, requestOperations): one request, through the same guard
 * as the lists, so that transport errors are rebuilt without the client's request config.
 */
export async function singleRequest(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	// In its turn of the rate limiter's queue; a 429 is sent again after Cekat's wait (rateLimit.ts).
	return await withRateLimit(this, async () => await guardedRequest(this.getNode(), async () => await this.makeRoutingRequest(requestData), this.getItemIndex()));
}

/**
 * Cekat's answer without its envelope (`data`, else the body): one item per record, paired with the input
 * item; a value that is not an object becomes `{ value }`. Used by the routing (unwrapData) and the bulk sends.
 */
export function recordsWithoutEnvelope(body: unknown, itemIndex: number): INodeExecutionData[] {
	const data = isObject(body) && body.data !== undefined ? body.data : body;
	return (Array.isArray(data) ? data : [data]).map((record) => ({
		json: isObject(record) ? record : { value: (record ?? null) as IDataObject[keyof IDataObject] },
		pairedItem: { item: itemIndex },
	}));
}

/** postReceive step of single-record operations: the record without its envelope. */
export async function unwrapData(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	return recordsWithoutEnvelope(response.body, this.getItemIndex());
}

/**
 * postReceive step of the customer-service actions (/business_workflows/*). No evidence shows what they answer:
 * the record under `data` when there is one (unwrapData), else the whole answer, so a bare `{ success, message }`
 * still says what happened.
 */
export async function unwrapObjectData(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const body = response.body;
	if (isObject(body) && isObject(body.data)) return await unwrapData.call(this, items, response);
	const json = isObject(body) ? body : { value: (body ?? null) as IDataObject[keyof IDataObject] };
	return [{ json, pairedItem: { item: this.getItemIndex() } }];
}
