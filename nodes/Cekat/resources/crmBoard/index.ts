import type { INodeProperties } from 'n8n-workflow';

import { listOperation, locatorField, operationPicker, returnAllFields, singleOperation } from '../../shared/descriptions';

export const crmBoardDescription: INodeProperties[] = [
	operationPicker('crmBoard', [
		listOperation(
			'Get Many',
			'getAll',
			'Get many CRM boards',
			'List the CRM boards of the workspace',
			'GET /api/crm/boards',
			'whole',
		),
		singleOperation(
			'Get',
			'get',
			'Get a CRM board',
			'Get a board with its columns and groups',
			'GET /api/crm/boards/{boardId}',
		),
	], 'getAll'),
	...returnAllFields('crmBoard', ['getAll']),
	locatorField('crmBoard', ['get'], 'boardId', 'Board', 'searchBoards', 'The CRM board'),
];
