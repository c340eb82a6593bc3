import { singleOperation, type OperationDescription } from '../../shared/descriptions';

export const get: OperationDescription = {
	option: singleOperation(
		'Get',
		'get',
		'Get a conversation',
		'Get one conversation: contact, inbox, statuses, agent, labels',
		'GET /api/conversations/{conversationId}',
	),
	fields: [],
};
