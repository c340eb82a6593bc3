import type { INodeProperties } from 'n8n-workflow';

import { listOnlyResource } from '../../shared/descriptions';

export const agentAssignmentDescription: INodeProperties[] = listOnlyResource({
	resource: 'agentAssignment',
	action: 'Get many agent assignments',
	description: 'List when agents were assigned to or removed from conversations',
	url: '/api/agent_assignments',
	dateFilters: true,
});
