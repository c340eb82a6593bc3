import type { INodeProperties } from 'n8n-workflow';

import { listOperation, locatorField, operationPicker, returnAllFields, singleOperation } from '../../shared/descriptions';

export const crmBoardDescription: INodeProperties[] = [
	operationPicker('crmBoard', [
		listOperation({
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many CRM boards',
			description: 'List the CRM boards of the workspace',
			url: '/api/crm/boards',
			family: 'whole',
		}),
		singleOperation({
			name: 'Get',
			value: 'get',
			action: 'Get a CRM board',
			description: 'Get a board with its columns and groups',
			method: 'GET',
			url: '/api/crm/boards/{boardId}',
		}),
	], 'getAll'),
	...returnAllFields('crmBoard', ['getAll']),
	locatorField('crmBoard', ['get'], 'boardId', 'Board', 'searchBoards', 'The CRM board'),
];
