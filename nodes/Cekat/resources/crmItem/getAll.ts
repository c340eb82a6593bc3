import { listOperation, returnAllFields, type OperationDescription } from '../../shared/descriptions';
import { R } from './fields';
import { listItemIds } from './output';

export const getAll: OperationDescription = {
	option: listOperation(
		'Get Many',
		'getAll',
		'Get many CRM items',
		'List the items of a board',
		'GET /api/crm/boards/{boardId}/items',
		'whole',
		{ postReceive: [listItemIds] },
	),
	fields: [
		...returnAllFields(R, ['getAll']),
	],
};
