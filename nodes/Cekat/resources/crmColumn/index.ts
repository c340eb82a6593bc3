import type { INodeProperties } from 'n8n-workflow';

import { locatorField, operationPicker, show, singleOperation, toBody } from '../../shared/descriptions';
import { requireFields } from '../../shared/validation';

export const crmColumnDescription: INodeProperties[] = [
	operationPicker('crmColumn', [
		singleOperation({
			name: 'Get',
			value: 'get',
			action: 'Get a CRM column',
			description: 'Get one column of a board by its ID',
			method: 'GET',
			url: '/api/crm/boards/{boardId}/columns/{columnId}',
		}),
		singleOperation({
			name: 'Get by Name',
			value: 'getByName',
			action: 'Get a CRM column by name',
			description: 'Get one column of a board by its name',
			method: 'POST',
			url: '/api/crm/boards/{boardId}/columns/by-name',
			preSend: [requireFields('body', { name: 'Column Name' })],
		}),
	], 'get'),
	locatorField({ resource: 'crmColumn', operations: ['get', 'getByName'], name: 'boardId', displayName: 'Board', noun: 'board', searchListMethod: 'searchBoards', description: 'The CRM board' }),
	locatorField({ resource: 'crmColumn', operations: ['get'], name: 'columnId', displayName: 'Column', noun: 'column', searchListMethod: 'searchColumns', description: 'A column of the chosen board' }),
	{
		displayName: 'Column Name',
		name: 'columnName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Deal Value',
		displayOptions: show('crmColumn', ['getByName']),
		description: 'Exact name of the column as shown on the board (case-sensitive)',
		routing: toBody('name'),
	},
];
