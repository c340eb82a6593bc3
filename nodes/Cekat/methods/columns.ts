import type {
	FieldType,
	IDataObject,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { AGENT_OPTION } from '../shared/constants';
import { cekatApiRequest } from '../shared/transport';


interface CrmColumn {
	id: string;
	name: string;
	type: string;
	settings?: { labels?: Array<{ id: string; name: string }> };
	is_required?: boolean;
	read_only?: boolean;
}

async function boardColumns(ctx: ILoadOptionsFunctions): Promise<CrmColumn[]> {
	const boardId = ctx.getCurrentNodeParameter('boardId', { extractValue: true }) as string | undefined;
	if (!boardId) throw new NodeOperationError(ctx.getNode(), 'Choose a board first');
	const body = await cekatApiRequest.call(ctx, 'GET', `/api/crm/boards/${encodeURIComponent(String(boardId))}`);
	return (((body.data as IDataObject)?.crm_columns ?? []) as unknown) as CrmColumn[];
}

async function agentOptions(ctx: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const options: INodePropertyOptions[] = [];
	for (let page = 1; page <= 50; page++) {
		const body = await cekatApiRequest.call(ctx, 'GET', '/api/agents', { page, limit: 100 });
		const agents = (body.data ?? []) as IDataObject[];
		options.push(...agents.map((a) => ({ name: String(a.name), value: String(a.id), description: AGENT_OPTION })));
		const pagination = ((body.metadata as IDataObject)?.pagination ?? {}) as IDataObject;
		if (agents.length < 100 || page >= Number(pagination.total_page ?? page)) break;
	}
	return options;
}

const FIELD_TYPES: Record<string, FieldType> = { text: 'string', number: 'number', date: 'dateTime', select: 'options', agents: 'options' };

/** resourceMapper: the chosen board's writable columns, typed, select labels and agents as options. */
export async function getColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const columns = (await boardColumns(this)).filter((column) => !column.read_only);
	const agents = columns.some((c) => c.type === 'agents') ? await agentOptions(this) : [];
	const operation = this.getCurrentNodeParameter('operation') as string;
	const fields: ResourceMapperField[] = columns.map((column) => {
		const type = FIELD_TYPES[column.type] ?? 'string';
		const field: ResourceMapperField = {
			id: column.name,
			displayName: column.name,
			type,
			required: operation === 'create' && column.is_required === true,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
		};
		if (column.type === 'select') {
			field.options = (column.settings?.labels ?? [])
				.filter((label) => label.id !== 'default')
				.map((label) => ({ name: label.name, value: label.name }));
		}
		if (column.type === 'agents') field.options = agents;
		return field;
	});
	return { fields };
}

/** Search rules: the board's column names, plus the item name. */
export async function getColumnNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const columns = await boardColumns(this);
	return [
		{ name: 'Item Name', value: 'item_name' },
		...columns.map((c) => ({ name: c.name, value: c.name, description: `${c.type} column` })),
	];
}
