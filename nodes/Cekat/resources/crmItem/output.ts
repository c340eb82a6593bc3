/** CRM item outputs: Cekat names an item's id `item_id`; the node adds `id` beside it. */
import type { IDataObject, IExecuteSingleFunctions, INodeExecutionData } from 'n8n-workflow';

import { isObject, withItemId } from '../../../shared/cekatShapes';

/** postReceive of item Get, Create and Update: `id` (from `item_id`) beside Cekat's fields. */
export async function itemIds(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return items.map((item) => ({ ...item, json: withItemId(item.json) }));
}

/** postReceive of item Get Many and Search (before paging reads `data`): the same `id` on each row. */
export async function listItemIds(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return items.map((item) =>
		Array.isArray(item.json.data)
			? { ...item, json: { ...item.json, data: (item.json.data as unknown[]).map((row) => (isObject(row) ? withItemId(row) : row)) as IDataObject[] } }
			: item,
	);
}
