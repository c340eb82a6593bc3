import { dateRangeOptions, filtersCollection, listOperation, returnAllFields, type OperationDescription } from '../../shared/descriptions';
import { R } from './fields';

export const getAll: OperationDescription = {
	option: listOperation({
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many conversations',
		description: 'List conversations across all inboxes, most recently active first',
		url: '/api/conversations',
		family: 'page',
	}),
	fields: [...returnAllFields(R, ['getAll']), filtersCollection(R, ['getAll'], dateRangeOptions())],
};
