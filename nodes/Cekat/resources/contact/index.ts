import type { INodeProperties } from 'n8n-workflow';

import {
	listOperation,
	operationPicker,
	returnAllFields,
} from '../../shared/descriptions';

export const contactDescription: INodeProperties[] = [
	operationPicker('contact', [
		listOperation({
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many contacts',
			description: 'List the contacts of the workspace',
			url: '/api/contacts',
			family: 'page',
		}),
	], 'getAll'),
	...returnAllFields('contact', ['getAll']),
];
