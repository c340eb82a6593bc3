/** Fields and helpers several Conversation operations share. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { locatorField, singleOperation, toBody, type OperationHooks } from '../../shared/descriptions';
import { unwrapObjectData } from '../../shared/pagination';
import { checkBodyIds } from '../../shared/validation';

export const R = 'conversation';

/** The customer-service actions: POST /business_workflows/* with `conversation_id` in the body (OFF's handlers). */
export const ACTIONS = [
	'addCollaborator',
	'addLabel',
	'assignAgent',
	'blockAi',
	'removeLabel',
	'resolve',
	'setPipelineStatus',
	'setStageStatus',
	'unblockAi',
];

const CONVERSATION_DESCRIPTION = 'The conversation (search by contact name or phone)';

/** Get and Assign AI Agent: the id goes into the path (/api/conversations/{conversationId}). */
export const conversationPathField: INodeProperties = locatorField(R, ['get', 'update'], 'conversationId', 'Conversation', 'searchConversations', CONVERSATION_DESCRIPTION);

/** The actions: the id goes into the body as `conversation_id`. */
export const conversationBodyField: INodeProperties = {
	...locatorField(R, ACTIONS, 'conversationId', 'Conversation', 'searchConversations', CONVERSATION_DESCRIPTION),
	routing: toBody('conversation_id'),
};

/** Human agent of Assign Agent and Add Collaborator. */
export const agentField: INodeProperties = {
	...locatorField(R, ['assignAgent', 'addCollaborator'], 'agentId', 'Agent', 'searchAgents', 'A human agent of the workspace (search by name)'),
	routing: toBody('agent_id'),
};

/** Conversation label of Add Label and Remove Label (not a CRM label). */
export const labelField: INodeProperties = {
	...locatorField(R, ['addLabel', 'removeLabel'], 'labelId', 'Label', 'searchConversationLabels', 'A conversation label of the workspace (search by name); not a CRM label'),
	routing: toBody('label_id'),
};

/**
 * One customer-service action: POST /business_workflows/<path> on Cekat's server host (the credential sends
 * /business_workflows/* there). Every id is checked before the request; the answer shape is not evidenced (see
 * unwrapObjectData).
 */
export function actionOperation(
	name: string,
	value: string,
	action: string,
	description: string,
	path: string,
	{ ids, preSend = [] }: { ids?: Parameters<typeof checkBodyIds>[0]; preSend?: OperationHooks['preSend'] } = {},
): INodePropertyOptions {
	return singleOperation(name, value, action, description, `POST /business_workflows/${path}`, {
		preSend: [checkBodyIds({ conversation_id: { label: 'Conversation', form: 'uuid' }, ...ids }), ...preSend],
		postReceive: [unwrapObjectData],
	});
}
