import type { INodeProperties } from 'n8n-workflow';

import {
	dateRangeOptions,
	filtersCollection,
	listOperation,
	locatorField,
	operationPicker,
	show,
	singleOperation,
	returnAllFields,
} from '../../shared/descriptions';
import { requireSomeBody } from '../../shared/validation';

export const conversationDescription: INodeProperties[] = [
	operationPicker('conversation', [
		listOperation({
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many conversations',
			description: 'List conversations across all inboxes, most recently active first',
			url: '/api/conversations',
			family: 'page',
		}),
		singleOperation({
			name: 'Update',
			value: 'update',
			action: 'Update a conversation',
			description: 'Change the AI agent assigned to a conversation',
			method: 'PUT',
			url: '/api/conversations/{conversationId}',
			preSend: [requireSomeBody],
		}),
		listOperation({
			name: 'Get Agent Assignments',
			value: 'getAgentAssignments',
			action: 'Get agent assignments of conversations',
			description: 'List which agent currently handles each conversation',
			url: '/api/conversations/agent-assignments',
			family: 'page',
		}),
	], 'getAll'),
	...returnAllFields('conversation', ['getAll', 'getAgentAssignments']),
	locatorField({ resource: 'conversation', operations: ['update'], name: 'conversationId', displayName: 'Conversation', noun: 'conversation', searchListMethod: 'searchConversations', description: 'The conversation (search by contact name or phone)' }),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show('conversation', ['update']),
		options: [
			{
				displayName: 'Assigned AI Agent',
				name: 'assignedAiAgent',
				type: 'string',
				default: '',
				description: 'ID of the AI agent that should answer this conversation',
				routing: { send: { type: 'body', property: 'assigned_ai_agent' } },
			},
			{
				displayName: 'Keep AI Agent On Resolve',
				name: 'keepAssignedAiAgentOnResolve',
				type: 'boolean',
				default: false,
				description: 'Whether the AI agent stays assigned when the conversation is resolved',
				routing: { send: { type: 'body', property: 'keep_assigned_ai_agent_on_resolve' } },
			},
		],
	},
	filtersCollection('conversation', ['getAll', 'getAgentAssignments'], dateRangeOptions()),
];
