import type { INodeProperties } from 'n8n-workflow';

import {
	dateRangeOptions,
	filtersCollection,
	listOperation,
	operationPicker,
	returnAllFields,
} from '../../shared/descriptions';

export const templateDescription: INodeProperties[] = [
	operationPicker('template', [
		listOperation({
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many templates',
			description: 'List the WhatsApp message templates',
			url: '/api/templates',
			family: 'page',
		}),
	], 'getAll'),
	...returnAllFields('template', ['getAll']),
	filtersCollection('template', ['getAll'], dateRangeOptions()),
];
