/**
 * Conversation → Assign AI Agent (`PUT /api/conversations/{id}`). Its value stays `update` and its fields keep
 * their names (`updateFields.assignedAiAgent`, a text field before the picker): saved workflows keep working, a
 * saved plain ID included.
 */
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { locator, show, singleOperation, toBody, type OperationDescription } from '../../shared/descriptions';
import { checkCekatId, requireSomeBody } from '../../shared/validation';
import { R } from './fields';

/** preSend: a chosen AI agent must be a Cekat id (a typed name would be stored as the agent). */
export async function checkAiAgent(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const body = (requestOptions.body ?? {}) as IDataObject;
	if (body.assigned_ai_agent !== undefined) body.assigned_ai_agent = checkCekatId(this, 'AI Agent', body.assigned_ai_agent);
	return requestOptions;
}

export const update: OperationDescription = {
	option: singleOperation(
		'Assign AI Agent',
		'update',
		'Assign an AI agent to a conversation',
		'Set the AI agent that answers a conversation, and whether it stays on resolve',
		'PUT /api/conversations/{conversationId}',
		{ preSend: [requireSomeBody, checkAiAgent] },
	),
	fields: [
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions: show(R, ['update']),
			options: [
				{
					displayName: 'AI Agent',
					name: 'assignedAiAgent',
					...locator('AI agent', 'searchAiAgents'),
					description: 'The AI agent to answer (search by name)',
					routing: toBody('assigned_ai_agent'),
				},
				{
					displayName: 'Keep AI Agent On Resolve',
					name: 'keepAssignedAiAgentOnResolve',
					type: 'boolean',
					default: false,
					description: 'Whether the AI agent stays assigned when the conversation is resolved',
					routing: toBody('keep_assigned_ai_agent_on_resolve'),
				},
			],
		},
	],
};
