import type { INodeProperties } from 'n8n-workflow';

import {
	dateRangeOptions,
	filtersCollection,
	listOperation,
	operationPicker,
	returnAllFields,
} from '../../shared/descriptions';

export const agentDescription: INodeProperties[] = [
	operationPicker('agent', [
		listOperation({
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many agents',
			description: 'List the human agents of the workspace',
			url: '/api/agents',
			family: 'page',
		}),
	], 'getAll'),
	...returnAllFields('agent', ['getAll']),
	filtersCollection('agent', ['getAll'], dateRangeOptions()),
];
