import { dateRangeOptions, filtersCollection, listOperation, returnAllFields, type OperationDescription } from '../../shared/descriptions';
import { R } from './fields';

export const getAll: OperationDescription = {
	option: listOperation(
		'Get Many',
		'getAll',
		'Get many conversations',
		'List conversations across all inboxes, most recently active first',
		'GET /api/conversations',
		'page',
	),
	fields: [...returnAllFields(R, ['getAll']), filtersCollection(R, ['getAll'], dateRangeOptions())],
};
