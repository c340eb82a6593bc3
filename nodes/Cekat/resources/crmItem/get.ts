import { singleOperation, type OperationDescription } from '../../shared/descriptions';
import { unwrapData } from '../../shared/pagination';
import { itemIds } from './output';

export const get: OperationDescription = {
	option: singleOperation({
		name: 'Get',
		value: 'get',
		action: 'Get a CRM item',
		description: 'Get one item with its column values',
		method: 'GET',
		url: '/api/crm/boards/{boardId}/items/{itemId}',
		postReceive: [unwrapData, itemIds],
	}),
	fields: [],
};
