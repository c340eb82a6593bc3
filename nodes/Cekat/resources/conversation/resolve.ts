import type { OperationDescription } from '../../shared/descriptions';
import { actionOperation } from './fields';

export const resolve: OperationDescription = {
	option: actionOperation(
		'Resolve',
		'resolve',
		'Resolve a conversation',
		'Mark a conversation as resolved',
		'resolve-conversation',
	),
	fields: [],
};
