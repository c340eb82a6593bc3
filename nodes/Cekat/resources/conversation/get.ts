import { singleOperation, type OperationDescription } from '../../shared/descriptions';

export const get: OperationDescription = {
	option: singleOperation({
		name: 'Get',
		value: 'get',
		action: 'Get a conversation',
		description: 'Get one conversation: contact, inbox, stage status, agent, labels, pipeline status',
		method: 'GET',
		url: '/api/conversations/{conversationId}',
	}),
	fields: [],
};
