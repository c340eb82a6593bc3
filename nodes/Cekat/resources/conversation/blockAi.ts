import type { OperationDescription } from '../../shared/descriptions';
import { actionOperation } from './fields';

export const blockAi: OperationDescription = {
	option: actionOperation(
		'Block AI',
		'blockAi',
		'Block the AI in a conversation',
		'Stop the AI agent from answering in a conversation',
		'block-ai',
	),
	fields: [],
};
