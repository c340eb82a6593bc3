import { listOperation, locatorField, returnAllFields, toQuery, type OperationDescription } from '../../shared/descriptions';
import { requireQueryId } from '../../shared/validation';
import { R } from './fields';

export const getConversationHistory: OperationDescription = {
	option: listOperation({
		name: 'Get Conversation History',
		value: 'getConversationHistory',
		action: 'Get the messages of a conversation',
		description: 'List all messages of one conversation, oldest first',
		url: '/messages',
		family: 'whole',
		preSend: [requireQueryId('conversation_id', 'Conversation')],
	}),
	fields: [
		...returnAllFields(R, ['getConversationHistory']),
		{
			...locatorField(R, ['getConversationHistory'], 'historyConversationId', 'Conversation', 'searchConversations', 'The conversation whose messages to list'),
			routing: toQuery('conversation_id'),
		},
	],
};
