import type { IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { show, singleOperation, type OperationDescription } from '../../shared/descriptions';
import { asText, checkCekatId, fieldError, shown } from '../../shared/validation';
import { R } from './fields';

/** preSend of CRM item Delete: one id, a comma-separated list, or a list from an expression. */
export async function buildItemIds(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const raw = this.getNodeParameter('itemIds', '') as unknown;
	const list = Array.isArray(raw) ? raw : asText(this, 'Item IDs', raw).split(',');
	const ids = list.map((id) => asText(this, 'Item IDs', id)).filter((id) => id !== '');
	if (ids.length === 0) throw fieldError(this, 'Item IDs', 'is required');
	ids.forEach((id) => checkCekatId(this, 'Item IDs', id));
	const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
	if (duplicate) throw fieldError(this, 'Item IDs', `${shown(duplicate)} is listed twice`);
	requestOptions.body = { item_ids: ids };
	return requestOptions;
}

export const deleteItems: OperationDescription = {
	option: singleOperation(
		'Delete',
		'delete',
		'Delete CRM items',
		'Delete one or more items from a board',
		'DELETE /api/crm/boards/{boardId}/items',
		{ preSend: [buildItemIds] },
	),
	fields: [
		{
			displayName: 'Item IDs',
			name: 'itemIds',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'id1, id2',
			displayOptions: show(R, ['delete']),
			description: 'IDs of the items to delete, comma-separated (or a list from an expression)',
		},
	],
};
