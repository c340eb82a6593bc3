import type { INodeProperties } from 'n8n-workflow';

import {
	dateRangeOptions,
	filtersCollection,
	listOperation,
	operationPicker,
	returnAllFields,
} from '../../shared/descriptions';

export const agentAssignmentDescription: INodeProperties[] = [
	operationPicker('agentAssignment', [
		listOperation({
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many agent assignments',
			description: 'List the history of agents assigned to and removed from conversations',
			url: '/api/agent_assignments',
			family: 'page',
		}),
	], 'getAll'),
	...returnAllFields('agentAssignment', ['getAll']),
	filtersCollection('agentAssignment', ['getAll'], dateRangeOptions()),
];
