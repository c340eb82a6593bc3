import type { INodeProperties } from 'n8n-workflow';

import { locatorField, operationPicker, show, singleOperation, toBody } from '../../shared/descriptions';
import { requireFields } from '../../shared/validation';

const R = 'crmColumn';

export const crmColumnDescription: INodeProperties[] = [
	operationPicker(R, [
		singleOperation(
			'Get',
			'get',
			'Get a CRM column',
			'Get one column of a board by its ID',
			'GET /api/crm/boards/{boardId}/columns/{columnId}',
		),
		singleOperation(
			'Get by Name',
			'getByName',
			'Get a CRM column by name',
			'Get one column of a board by its name',
			'POST /api/crm/boards/{boardId}/columns/by-name',
			{ preSend: [requireFields('body', { name: 'Column Name' })] },
		),
	], 'get'),
	locatorField(R, ['get', 'getByName'], 'boardId', 'Board', 'searchBoards', 'The CRM board'),
	locatorField(R, ['get'], 'columnId', 'Column', 'searchColumns', 'A column of the chosen board'),
	{
		displayName: 'Column Name',
		name: 'columnName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Deal Value',
		displayOptions: show(R, ['getByName']),
		description: 'The column’s exact name on the board (case-sensitive)',
		routing: toBody('name'),
	},
];
