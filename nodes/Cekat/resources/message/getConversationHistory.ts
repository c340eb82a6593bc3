import { listOperation, locatorField, returnAllFields, toQuery, type OperationDescription } from '../../shared/descriptions';
import { requireQueryId } from '../../shared/validation';
import { R } from './fields';

export const getConversationHistory: OperationDescription = {
	option: listOperation(
		'Get Conversation History',
		'getConversationHistory',
		'Get the messages of a conversation',
		'List all messages of one conversation, oldest first',
		'GET /messages',
		'whole',
		{ preSend: [requireQueryId('conversation_id', 'Conversation')] },
	),
	fields: [
		...returnAllFields(R, ['getConversationHistory']),
		{
			...locatorField(R, ['getConversationHistory'], 'historyConversationId', 'Conversation', 'searchConversations', 'The conversation whose messages to list'),
			routing: toQuery('conversation_id'),
		},
	],
};
