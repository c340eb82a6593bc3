import type { INodeProperties } from 'n8n-workflow';

import { listOperation, locatorField, operationPicker, returnAllFields, singleOperation } from '../../shared/descriptions';

const R = 'crmBoard';

export const crmBoardDescription: INodeProperties[] = [
	operationPicker(R, [
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
	...returnAllFields(R, ['getAll']),
	locatorField(R, ['get'], 'boardId', 'Board', 'searchBoards', 'The CRM board'),
];
