/** Fields and constants several Message operations share. */
import type { INodeProperties } from 'n8n-workflow';
import { ID_PLACEHOLDER, toQuery } from '../../shared/descriptions';

export const R = 'message';

/** Filter of Get Many and Get AI Credit Usage. */
export const conversationFilter: INodeProperties = {
	displayName: 'Conversation ID',
	name: 'conversationId',
	type: 'string',
	default: '',
	placeholder: ID_PLACEHOLDER,
	description: 'Only messages of this conversation',
	routing: toQuery('conversation_id'),
};
