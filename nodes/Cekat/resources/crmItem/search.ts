import { listOperation, returnAllFields, show, type OperationDescription } from '../../shared/descriptions';
import { R } from './fields';
import { buildSearch, listItemIds } from './hooks';

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

export const search: OperationDescription = {
	option: listOperation({
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
	fields: [
		...returnAllFields(R, ['search']),
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
	],
};
