/** Fields and constants several Message operations share. */
import type { INodeProperties } from 'n8n-workflow';
import { toQuery } from '../../shared/descriptions';

export const R = 'message';

/** Filter of Get Many and Get AI Credit Usage. */
export const conversationFilter: INodeProperties = {
	displayName: 'Conversation ID',
	name: 'conversationId',
	type: 'string',
	default: '',
	placeholder: 'e.g. 3f1c2a9e-51b0-4c1e-9d2a-7c0b4e8f1a22',
	description: 'Only messages of this conversation',
	routing: toQuery('conversation_id'),
};
