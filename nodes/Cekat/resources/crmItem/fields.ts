/** Fields and constants several CRM Item operations share. */
import type { INodeProperties } from 'n8n-workflow';

import { locator, locatorField, show } from '../../shared/descriptions';

export const R = 'crmItem';

export const boardField: INodeProperties = locatorField(R, ['create', 'delete', 'get', 'getAll', 'search', 'update'], 'boardId', 'Board', 'searchBoards', 'The CRM board');

export const itemField: INodeProperties = locatorField(R, ['get', 'update'], 'itemId', 'Item', 'searchItems', 'An item of the chosen board (search by name); By ID: its item_id');

/** The Group picker: the board's crm_groups; the preSend hook sends its id as group_id. */
export const groupField = (description: string): INodeProperties => ({
	displayName: 'Group',
	name: 'group',
	...locator('group', 'searchGroups'),
	description,
});

export const columnValuesFields = (operations: string[]): INodeProperties[] => [
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
		description: 'Values of the board’s columns (choose the board first: its columns load from Cekat)',
	},
	{
		displayName: 'Column Values (JSON)',
		name: 'valuesJson',
		type: 'json',
		// '{}', not '': the editor marks an empty JSON field as invalid.
		default: '{}',
		displayOptions: show(R, operations),
		description: 'Optional, for dynamic column sets: more values as a JSON object by column name, e.g. {"Stage": "Won", "Tags": ["VIP"]}. Label and agent names become their IDs.',
	},
];

