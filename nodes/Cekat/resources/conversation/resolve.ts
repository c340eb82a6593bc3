import type { OperationDescription } from '../../shared/descriptions';
import { actionOperation } from './fields';

export const resolve: OperationDescription = {
	option: actionOperation({
		name: 'Resolve',
		value: 'resolve',
		action: 'Resolve a conversation',
		description: 'Mark a conversation as resolved',
		url: '/business_workflows/resolve-conversation',
	}),
	fields: [],
};
