import type { INodeProperties } from 'n8n-workflow';

import { listOnlyResource } from '../../shared/descriptions';

export const agentDescription: INodeProperties[] = listOnlyResource({
	resource: 'agent',
	action: 'Get many agents',
	description: 'List the human agents of the workspace',
	url: '/api/agents',
	dateFilters: true,
});
