import { dateRangeOptions, filtersCollection, listOperation, returnAllFields, type OperationDescription } from '../../shared/descriptions';
import { conversationFilter, R } from './fields';

export const getAll: OperationDescription = {
	option: listOperation({
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many messages',
		description: 'List messages, with filters',
		url: '/api/messages',
		family: 'page',
	}),
	fields: [...returnAllFields(R, ['getAll']), filtersCollection(R, ['getAll'], [conversationFilter, ...dateRangeOptions()])],
};
