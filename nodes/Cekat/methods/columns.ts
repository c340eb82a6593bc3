import type {
	FieldType,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { hasLabels, isShown, labelsOf, loadAgents, loadBoard, type CrmColumn } from '../resources/crmItem/board';

async function boardColumns(ctx: ILoadOptionsFunctions): Promise<CrmColumn[]> {
	const boardId = ctx.getCurrentNodeParameter('boardId', { extractValue: true }) as string | undefined;
	if (!boardId) throw new NodeOperationError(ctx.getNode(), 'Choose a board first');
	return (await loadBoard(ctx, String(boardId))).columns;
}

/**
 * Column types the mapper offers. files and conversation columns take shapes the evidence does
 * not show: they are left to Column Values (JSON).
 */
const FIELD_TYPES: Record<string, FieldType> = {
	text: 'string',
	number: 'number',
	date: 'dateTime',
	select: 'options',
	dropdown: 'options',
	agents: 'options',
	timeline: 'string',
	references: 'string',
};

/** What a column's mapper field shows beside its name, where the input is not obvious. */
const HINTS: Record<string, string> = {
	dropdown: ' (one or more labels)',
	agents: ' (one or more agents)',
	timeline: ' (from – to, e.g. 2026-01-01 to 2026-01-31)',
	references: ' (IDs, comma-separated)',
};

/**
 * resourceMapper: the chosen board's visible, writable columns, typed. Select and dropdown
 * columns offer their label names (the value kept is the label id, which Cekat stores); agents
 * columns offer agent names (the value kept is the agent id). The field id is the column name,
 * the key Cekat takes; the hook reads each column's type from the board itself.
 */
export async function getColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const columns = (await boardColumns(this)).filter((c) => !c.read_only && isShown(c) && FIELD_TYPES[c.type] !== undefined);
	const agents = columns.some((c) => c.type === 'agents') ? await loadAgents(this) : [];
	const operation = this.getCurrentNodeParameter('operation') as string;
	const fields: ResourceMapperField[] = columns.map((column) => {
		const field: ResourceMapperField = {
			id: column.name,
			displayName: `${column.name}${HINTS[column.type] ?? ''}`,
			type: FIELD_TYPES[column.type],
			required: operation === 'create' && column.is_required === true,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
		};
		if (hasLabels(column)) field.options = labelsOf(column).map((label) => ({ name: label.name, value: String(label.id) }));
		if (column.type === 'agents') field.options = agents.map((a) => ({ name: a.name, value: a.id }));
		return field;
	});
	return { fields };
}

/** Search rules: the board's visible column names, plus the item name. */
export async function getColumnNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const columns = (await boardColumns(this)).filter(isShown);
	return [
		{ name: 'Item Name', value: 'item_name' },
		...columns.map((c) => ({ name: c.name, value: c.name, description: `${c.type} column` })),
	];
}

/** Search rules: the labels of the rule's column (select and dropdown columns), named, valued by id. */
export async function getColumnLabels(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const name = this.getCurrentNodeParameter('&column') as string | undefined;
	if (!name || typeof name !== 'string' || name.startsWith('=')) return [];
	const column = (await boardColumns(this)).find((c) => c.name === name);
	if (!column || !hasLabels(column)) return [];
	return labelsOf(column).map((label) => ({ name: label.name, value: String(label.id) }));
}
