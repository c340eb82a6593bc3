import type { IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { asText, fieldError, requiredId } from '../../shared/validation';
import { listOperation, returnAllFields, show, type OperationDescription } from '../../shared/descriptions';
import { R } from './fields';
import { findLabel, hasLabels, labelList, labelsOf, loadBoard, splitEntries } from './board';
import { listItemIds } from './output';

const NO_VALUE_OPERATORS = new Set(['is_empty', 'is_not_empty']);

/**
 * preSend of CRM item Search: builds `{ condition, search: [{ column_name, operator, value[] }] }`.
 * On select and dropdown columns the value is the label IDS (PM: `"value": ["1"]`): labels picked
 * from the rule's list are ids already, typed names or ids are translated with the board's labels.
 */
export async function buildSearch(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const condition = this.getNodeParameter('condition', 'AND') as string;
	const rules = this.getNodeParameter('rules.rule', []) as Array<{ column?: string; operator?: string; value?: unknown; labels?: unknown }>;
	if (rules.length === 0) throw fieldError(this, 'Rules', 'add at least one rule');
	const checked = rules.map((rule, index) => {
		const column = asText(this, `Rules #${index + 1} Column`, rule.column);
		if (!column) throw fieldError(this, `Rules #${index + 1}`, 'the column name is empty');
		const operator = String(rule.operator ?? 'equals');
		const texts = (list: unknown[]) => list.map((v) => asText(this, `Rules #${index + 1} Value`, v)).filter((v) => v !== '');
		let value: unknown[] = [];
		let typed: unknown[] = [];
		if (!NO_VALUE_OPERATORS.has(operator)) {
			typed = texts(Array.isArray(rule.value) ? rule.value : [rule.value]);
			const picked = texts(splitEntries(rule.labels));
			value = picked.length ? picked : typed;
			if (value.length === 0) throw fieldError(this, `Rules #${index + 1}`, `a value is required for "${operator}"`);
		}
		return { column_name: column, operator, value, typed };
	});

	// Only rules with values on a board column can involve labels: read the board for those.
	if (checked.some((rule) => rule.value.length > 0 && rule.column_name !== 'item_name')) {
		const board = await loadBoard(this, requiredId(this, 'boardId', 'Board'));
		checked.forEach((rule, index) => {
			const column = board.columns.find((c) => c.name === rule.column_name);
			if (!column || !hasLabels(column)) {
				// Labels picked for another column before the rule's column changed do not apply here.
				if (rule.typed.length) rule.value = rule.typed;
				return;
			}
			if (rule.value.length === 0) return;
			const labels = labelsOf(column);
			rule.value = rule.value.map((entry) => {
				const found = findLabel(labels, entry as string);
				if (!found) {
					throw fieldError(this, `Rules #${index + 1} Value`, `"${String(entry)}" is not a label of "${column.name}" (${labelList(labels)})`, 'Use a label’s name or its ID.');
				}
				return String(found.id);
			});
		});
	}
	requestOptions.body = { condition, search: checked.map(({ column_name, operator, value }) => ({ column_name, operator, value })) };
	return requestOptions;
}

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
	option: listOperation(
		'Search',
		'search',
		'Search CRM items',
		'Find items of a board by rules on their columns',
		'POST /api/crm/boards/{boardId}/items/search',
		'whole',
		{ preSend: [buildSearch], postReceive: [listItemIds] },
	),
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
			description: 'Whether items must match all rules or any',
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
							description: 'Select and dropdown columns: labels to match (any), instead of Value. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
						},
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							default: '',
							displayOptions: { hide: { operator: ['is_empty', 'is_not_empty'] } },
							description: 'Value to compare with (on a select or dropdown column, a label name or ID). A list from an expression matches any of them.',
						},
					],
				},
			],
		},
	],
};
