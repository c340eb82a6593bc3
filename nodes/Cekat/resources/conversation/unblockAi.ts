import type { OperationDescription } from '../../shared/descriptions';
import { actionOperation } from './fields';

export const unblockAi: OperationDescription = {
	option: actionOperation(
		'Unblock AI',
		'unblockAi',
		'Unblock the AI in a conversation',
		'Let the AI agent answer in a conversation again',
		'unblock-ai',
	),
	fields: [],
};
