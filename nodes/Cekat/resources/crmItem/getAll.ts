import { listOperation, returnAllFields, type OperationDescription } from '../../shared/descriptions';
import { R } from './fields';
import { listItemIds } from './output';

export const getAll: OperationDescription = {
	option: listOperation({
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many CRM items',
		description: 'List the items of a board',
		url: '/api/crm/boards/{boardId}/items',
		family: 'whole',
		postReceive: [listItemIds],
	}),
	fields: [
		...returnAllFields(R, ['getAll']),
	],
};
