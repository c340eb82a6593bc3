import type { INodeProperties } from 'n8n-workflow';

import { idField, operationPicker, show, singleOperation } from '../../shared/descriptions';
import { requireFields } from '../../shared/hooks';

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
	idField('crmColumn', ['get', 'getByName'], 'boardId', 'Board ID', 'ID of the CRM board, from CRM Board → Get Many'),
	idField('crmColumn', ['get'], 'columnId', 'Column ID', 'ID of the column, from the crm_columns of CRM Board → Get'),
	{
		displayName: 'Column Name',
		name: 'columnName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Deal Value',
		displayOptions: show('crmColumn', ['getByName']),
		description: 'Exact name of the column as shown on the board (case-sensitive)',
		routing: { send: { type: 'body', property: 'name' } },
	},
];
