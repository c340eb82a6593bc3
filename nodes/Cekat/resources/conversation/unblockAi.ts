import type { OperationDescription } from '../../shared/descriptions';
import { actionOperation } from './fields';

export const unblockAi: OperationDescription = {
	option: actionOperation({
		name: 'Unblock AI',
		value: 'unblockAi',
		action: 'Unblock the AI in a conversation',
		description: 'Let the AI agent answer in a conversation again',
		url: '/business_workflows/unblock-ai',
	}),
	fields: [],
};
