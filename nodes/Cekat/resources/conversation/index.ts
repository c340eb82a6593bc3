/** Conversation: one file per operation; fields several operations share are in fields.ts. */
import type { INodeProperties } from 'n8n-workflow';

import { resourceProperties } from '../../shared/descriptions';
import { addCollaborator } from './addCollaborator';
import { addLabel } from './addLabel';
import { assignAgent } from './assignAgent';
import { blockAi } from './blockAi';
import { agentField, conversationBodyField, conversationPathField, labelField, R } from './fields';
import { get } from './get';
import { getAgentAssignments } from './getAgentAssignments';
import { getAll } from './getAll';
import { removeLabel } from './removeLabel';
import { resolve } from './resolve';
import { setPipelineStatus } from './setPipelineStatus';
import { setStageStatus } from './setStageStatus';
import { unblockAi } from './unblockAi';
import { update } from './update';

export const conversationDescription: INodeProperties[] = resourceProperties(
	R,
	[
		addCollaborator,
		addLabel,
		assignAgent,
		update,
		blockAi,
		get,
		getAgentAssignments,
		getAll,
		removeLabel,
		resolve,
		setPipelineStatus,
		setStageStatus,
		unblockAi,
	],
	'getAll',
	[conversationPathField, conversationBodyField, agentField, labelField],
);
