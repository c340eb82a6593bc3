import { singleOperation, type OperationDescription } from '../../shared/descriptions';

export const get: OperationDescription = {
	option: singleOperation({
		name: 'Get',
		value: 'get',
		action: 'Get a conversation',
		description: 'Get one conversation: contact, inbox, statuses, agent, labels',
		method: 'GET',
		url: '/api/conversations/{conversationId}',
	}),
	fields: [],
};
