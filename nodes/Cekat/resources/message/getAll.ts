import { dateRangeOptions, filtersCollection, listOperation, returnAllFields, type OperationDescription } from '../../shared/descriptions';
import { conversationFilter, R } from './fields';

export const getAll: OperationDescription = {
	option: listOperation(
		'Get Many',
		'getAll',
		'Get many messages',
		'List messages, with filters',
		'GET /api/messages',
		'page',
	),
	fields: [...returnAllFields(R, ['getAll']), filtersCollection(R, ['getAll'], [conversationFilter, ...dateRangeOptions()])],
};
