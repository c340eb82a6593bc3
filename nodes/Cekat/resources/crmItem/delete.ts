import { show, singleOperation, type OperationDescription } from '../../shared/descriptions';
import { R } from './fields';
import { buildItemIds } from './hooks';

export const deleteItems: OperationDescription = {
	option: singleOperation({
		name: 'Delete',
		value: 'delete',
		action: 'Delete CRM items',
		description: 'Delete one or more items from a board',
		method: 'DELETE',
		url: '/api/crm/boards/{boardId}/items',
		preSend: [buildItemIds],
	}),
	fields: [
		{
			displayName: 'Item IDs',
			name: 'itemIds',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'id1, id2',
			displayOptions: show(R, ['delete']),
			description: 'IDs of the items to delete, separated by commas (or a list from an expression)',
		},
	],
};
