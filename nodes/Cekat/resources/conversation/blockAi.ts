import type { OperationDescription } from '../../shared/descriptions';
import { actionOperation } from './fields';

export const blockAi: OperationDescription = {
	option: actionOperation({
		name: 'Block AI',
		value: 'blockAi',
		action: 'Block the AI in a conversation',
		description: 'Stop the AI agent from answering in a conversation',
		url: '/business_workflows/block-ai',
	}),
	fields: [],
};
