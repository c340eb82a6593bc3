import type { INodeProperties } from 'n8n-workflow';

import {
	dateRangeOptions,
	filtersCollection,
	listOperation,
	operationPicker,
	returnAllFields,
} from '../../shared/descriptions';

export const inboxDescription: INodeProperties[] = [
	operationPicker('inbox', [
		listOperation({
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many inboxes',
			description: 'List the inboxes (WhatsApp numbers and other channels) connected to the workspace',
			url: '/api/inboxes',
			family: 'page',
		}),
	], 'getAll'),
	...returnAllFields('inbox', ['getAll']),
	filtersCollection('inbox', ['getAll'], dateRangeOptions()),
];
