import { singleOperation, type OperationDescription } from '../../shared/descriptions';
import { unwrapData } from '../../shared/pagination';
import { itemIds } from './output';

export const get: OperationDescription = {
	option: singleOperation(
		'Get',
		'get',
		'Get a CRM item',
		'Get one item with its column values',
		'GET /api/crm/boards/{boardId}/items/{itemId}',
		{ postReceive: [unwrapData, itemIds] },
	),
	fields: [],
};
