import type { INodeProperties } from 'n8n-workflow';

import { listOperation, locator, locatorField, operationPicker, show, singleOperation, returnAllFields } from '../../shared/descriptions';
import { requireFields, requireSomeBody } from '../../shared/validation';
import { unwrapData } from '../../shared/pagination';
import { buildItemIds, buildItemValues, buildSearch, itemIds, listItemIds } from './hooks';

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

/** The Group picker: the board's crm_groups; the preSend hook sends its id as group_id. */
const groupField = (description: string): INodeProperties => ({
	displayName: 'Group',
	name: 'group',
	...locator('group', 'searchGroups'),
	description,
});

const columnValuesFields = (operations: string[]): INodeProperties[] => [
	{
		displayName: 'Columns',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		displayOptions: show(R, operations),
		typeOptions: {
			loadOptionsDependsOn: ['boardId.value'],
			resourceMapper: {
				resourceMapperMethod: 'getColumns',
				mode: 'add',
				fieldWords: { singular: 'column', plural: 'columns' },
				addAllFields: false,
				multiKeyMatch: false,
				supportAutoMap: true,
				noFieldsError: 'This board has no writable columns',
			},
		},
		description: 'Values of the board’s columns, by column name. Choose the board first; the columns load from Cekat.',
	},
	{
		displayName: 'Column Values (JSON)',
		name: 'valuesJson',
		type: 'json',
		// '{}', not '': the editor marks an empty JSON field as invalid.
		default: '{}',
		displayOptions: show(R, operations),
		description: 'Optional, for dynamic column sets: more values as a JSON object keyed by column name, e.g. {"Stage": "Won", "Tags": ["VIP"], "Deal Value": 1500000}. Label and agent names are turned into their IDs.',
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
			postReceive: [unwrapData, itemIds],
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
			postReceive: [unwrapData, itemIds],
		}),
		listOperation({
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many CRM items',
			description: 'List the items of a board',
			url: '/api/crm/boards/{boardId}/items',
			family: 'whole',
			postReceive: [listItemIds],
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
			postReceive: [listItemIds],
		}),
		singleOperation({
			name: 'Update',
			value: 'update',
			action: 'Update a CRM item',
			description: 'Change the name, group or column values of an item',
			method: 'PUT',
			url: '/api/crm/boards/{boardId}/items/{itemId}',
			preSend: [buildItemValues, requireSomeBody],
			postReceive: [unwrapData, itemIds],
		}),
	], 'getAll'),
	...returnAllFields(R, ['getAll', 'search']),
	locatorField({ resource: R, operations: ['create', 'delete', 'get', 'getAll', 'search', 'update'], name: 'boardId', displayName: 'Board', noun: 'board', searchListMethod: 'searchBoards', description: 'The CRM board' }),
	locatorField({ resource: R, operations: ['get', 'update'], name: 'itemId', displayName: 'Item', noun: 'item', searchListMethod: 'searchItems', description: 'An item of the chosen board (search by name); By ID takes its item_id' }),
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
			groupField('The board group (column of cards) to put the item in'),
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
			groupField('Move the item to this board group'),
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
						displayName: 'Column Name or ID',
						name: 'column',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getColumnNames', loadOptionsDependsOn: ['boardId.value'] },
						default: '',
						description: 'Column to test. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						options: OPERATORS,
						default: 'equals',
						description: 'How the column is compared with the value',
					},
					{
						displayName: 'Label Names or IDs',
						name: 'labels',
						type: 'multiOptions',
						typeOptions: { loadOptionsMethod: 'getColumnLabels', loadOptionsDependsOn: ['boardId.value', '&column'] },
						default: [],
						displayOptions: { hide: { operator: ['is_empty', 'is_not_empty'] } },
						description: 'For select and dropdown columns: the labels to match (any of them); used instead of Value. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						displayOptions: { hide: { operator: ['is_empty', 'is_not_empty'] } },
						description: 'Value to compare with. On a select or dropdown column a label name or ID works too. An expression may give a list: the rule then matches any of them.',
					},
				],
			},
		],
	},
];
