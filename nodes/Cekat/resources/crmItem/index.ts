import type { INodeProperties } from 'n8n-workflow';

import { idField, listOperation, operationPicker, returnAllFields, show, singleOperation } from '../../shared/descriptions';
import { requireFields, requireSomeBody } from '../../shared/hooks';
import { buildItemIds, buildItemValues, buildSearch } from './hooks';

const R = 'crmItem';

const OPERATORS = [
	{ name: 'Contains', value: 'contains' },
	{ name: 'Does Not Contain', value: 'not_contains' },
	{ name: 'Equals', value: 'equals' },
	{ name: 'Greater Than', value: 'greater_than' },
	{ name: 'Greater Than or Equal', value: 'greater_than_or_equal' },
	{ name: 'Is Empty', value: 'is_empty' },
	{ name: 'Is Not Empty', value: 'is_not_empty' },
	{ name: 'Less Than', value: 'less_than' },
	{ name: 'Less Than or Equal', value: 'less_than_or_equal' },
	{ name: 'Not Equals', value: 'not_equals' },
];

const columnValuesFields = (operations: string[]): INodeProperties[] => [
	{
		displayName: 'Column Values',
		name: 'columnValues',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Column Value',
		default: {},
		displayOptions: show(R, operations),
		description: 'Values of the board’s columns, by column name',
		options: [
			{
				displayName: 'Value',
				name: 'values',
				values: [
					{
						displayName: 'Column Name',
						name: 'column',
						type: 'string',
						default: '',
						placeholder: 'Stage',
						description: 'Exact name of the column as shown on the board',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'Number columns take numbers, date columns YYYY-MM-DD, select columns a label name, agents columns a list of agent IDs (e.g. ["id1"])',
					},
				],
			},
		],
	},
	{
		displayName: 'Column Values (JSON)',
		name: 'valuesJson',
		type: 'json',
		default: '',
		displayOptions: show(R, operations),
		description: 'Optional: more values as a JSON object keyed by column name, e.g. {"Stage": "Won", "Deal Value": 1500000}. Handy with expressions for dynamic column sets.',
	},
];

export const crmItemDescription: INodeProperties[] = [
	operationPicker(R, [
		singleOperation({
			name: 'Create',
			value: 'create',
			action: 'Create a CRM item',
			description: 'Create an item (card, lead) on a board',
			method: 'POST',
			url: '/api/crm/boards/{boardId}/items',
			preSend: [buildItemValues, requireFields('body', { item_name: 'Item Name' })],
		}),
		singleOperation({
			name: 'Delete',
			value: 'delete',
			action: 'Delete CRM items',
			description: 'Delete one or more items from a board',
			method: 'DELETE',
			url: '/api/crm/boards/{boardId}/items',
			preSend: [buildItemIds],
		}),
		singleOperation({
			name: 'Get',
			value: 'get',
			action: 'Get a CRM item',
			description: 'Get one item with its column values',
			method: 'GET',
			url: '/api/crm/boards/{boardId}/items/{itemId}',
		}),
		listOperation({
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many CRM items',
			description: 'List the items of a board',
			url: '/api/crm/boards/{boardId}/items',
			family: 'whole',
		}),
		listOperation({
			name: 'Search',
			value: 'search',
			action: 'Search CRM items',
			description: 'Find items of a board by rules on their columns',
			method: 'POST',
			url: '/api/crm/boards/{boardId}/items/search',
			family: 'whole',
			preSend: [buildSearch],
		}),
		singleOperation({
			name: 'Update',
			value: 'update',
			action: 'Update a CRM item',
			description: 'Change the name, group or column values of an item',
			method: 'PUT',
			url: '/api/crm/boards/{boardId}/items/{itemId}',
			preSend: [buildItemValues, requireSomeBody],
		}),
	], 'getAll'),
	idField(R, ['create', 'delete', 'get', 'getAll', 'search', 'update'], 'boardId', 'Board ID', 'ID of the CRM board, from CRM Board → Get Many'),
	idField(R, ['get', 'update'], 'itemId', 'Item ID', 'ID of the item, from CRM Item → Get Many or Search'),
	{
		displayName: 'Item Name',
		name: 'itemName',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show(R, ['create']),
		description: 'Name of the new item (the card title)',
		routing: { send: { type: 'body', property: 'item_name' } },
	},
	...columnValuesFields(['create', 'update']),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(R, ['create']),
		options: [
			{
				displayName: 'Group ID',
				name: 'groupId',
				type: 'string',
				default: '',
				description: 'ID of the board group (column of cards) to put the item in, from crm_groups of CRM Board → Get',
				routing: { send: { type: 'body', property: 'group_id' } },
			},
		],
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(R, ['update']),
		options: [
			{
				displayName: 'Group ID',
				name: 'groupId',
				type: 'string',
				default: '',
				description: 'Move the item to this board group',
				routing: { send: { type: 'body', property: 'group_id' } },
			},
			{
				displayName: 'Item Name',
				name: 'itemName',
				type: 'string',
				default: '',
				description: 'New name of the item',
				routing: { send: { type: 'body', property: 'item_name' } },
			},
		],
	},
	{
		displayName: 'Item IDs',
		name: 'itemIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'id1, id2',
		displayOptions: show(R, ['delete']),
		description: 'IDs of the items to delete, separated by commas (or a list from an expression)',
	},
	{
		displayName: 'Match',
		name: 'condition',
		type: 'options',
		default: 'AND',
		displayOptions: show(R, ['search']),
		options: [
			{ name: 'All Rules (AND)', value: 'AND' },
			{ name: 'Any Rule (OR)', value: 'OR' },
		],
		description: 'Whether an item must match all rules or any one of them',
	},
	{
		displayName: 'Rules',
		name: 'rules',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Rule',
		default: { rule: [{ column: '', operator: 'equals', value: '' }] },
		displayOptions: show(R, ['search']),
		options: [
			{
				displayName: 'Rule',
				name: 'rule',
				values: [
					{
						displayName: 'Column Name',
						name: 'column',
						type: 'string',
						default: '',
						placeholder: 'Stage',
						description: 'Name of the column to test (or item_name)',
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						options: OPERATORS,
						default: 'equals',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						displayOptions: { hide: { operator: ['is_empty', 'is_not_empty'] } },
						description: 'Value to compare with. An expression may give a list: the rule then matches any of them.',
					},
				],
			},
		],
	},
	...returnAllFields(R, ['getAll', 'search']),
];
