/**
 * A CRM board as Cekat serves it (GET /api/crm/boards/{id}, docs/cekat-api.md "CRM"), and the
 * translation of what a user types (label and agent names) into what Cekat stores (label and agent ids).
 * Shared by the editor methods (column mapper, pickers) and the preSend hooks.
 */
import type { IDataObject, IExecuteFunctions, IExecuteSingleFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { isObject } from '../../../shared/cekatShapes';
import { PAGE_SIZE, recordsOrNone, walkPages } from '../../../shared/paging';
import { cekatApiRequest } from '../../shared/transport';

export interface CrmLabel {
	id: string;
	name: string;
}

export interface CrmColumn {
	id: string;
	name: string;
	/** text, number, date, select, dropdown, agents, timeline, references, files, conversation */
	type: string;
	settings?: { labels?: CrmLabel[] };
	is_required?: boolean;
	read_only?: boolean;
	is_visible?: boolean;
}

export interface CrmBoard {
	columns: CrmColumn[];
	groups: Array<{ id: string; name: string }>;
}

type Context = ILoadOptionsFunctions | IExecuteSingleFunctions;

/**
 * Board details are read once per execution and board, so a run over many items does not re-read
 * them. The key is the execution's node context object (one per execution and node): nothing
 * outlives the execution and nothing is written into its saved data.
 */
const boardsOfExecution = new WeakMap<object, Map<string, Promise<CrmBoard>>>();

async function fetchBoard(ctx: Context, boardId: string): Promise<CrmBoard> {
	// cekatApiRequest only uses getCredentials, getNode and helpers, which every context has.
	const body = await cekatApiRequest.call(ctx as unknown as IExecuteFunctions, 'GET', `/api/crm/boards/${encodeURIComponent(boardId)}`);
	const data = isObject(body.data) ? body.data : {};
	return {
		columns: (Array.isArray(data.crm_columns) ? data.crm_columns : []) as unknown as CrmColumn[],
		groups: (Array.isArray(data.crm_groups) ? data.crm_groups : []) as unknown as CrmBoard['groups'],
	};
}

export async function loadBoard(ctx: Context, boardId: string): Promise<CrmBoard> {
	// Editor calls always read the board afresh: the user may just have changed it in Cekat.
	const execution = 'getContext' in ctx ? (ctx.getContext('node') as object) : undefined;
	if (!execution) return await fetchBoard(ctx, boardId);
	let boards = boardsOfExecution.get(execution);
	if (!boards) boardsOfExecution.set(execution, (boards = new Map()));
	let board = boards.get(boardId);
	if (!board) {
		board = fetchBoard(ctx, boardId);
		const cache = boards;
		board.catch(() => cache.delete(boardId));
		boards.set(boardId, board);
	}
	return await board;
}

/** A column's real labels: the `"default"` placeholder is not one. */
export function labelsOf(column: CrmColumn): CrmLabel[] {
	return (column.settings?.labels ?? []).filter((label) => label.id !== 'default' && String(label.name ?? '') !== '');
}

export const hasLabels = (column: CrmColumn) => column.type === 'select' || column.type === 'dropdown';

/** Columns the user can see in Cekat (Cekat's own node hides `is_visible: false`). */
export const isShown = (column: CrmColumn) => column.is_visible !== false;

/** A label by its id or its name, case and surrounding spaces ignored; an exact id wins. */
export function findLabel(labels: CrmLabel[], text: string): CrmLabel | undefined {
	const wanted = text.trim();
	const lower = wanted.toLowerCase();
	return (
		labels.find((label) => String(label.id) === wanted) ??
		labels.find((label) => String(label.id).toLowerCase() === lower) ??
		labels.find((label) => String(label.name).trim().toLowerCase() === lower)
	);
}

export const labelList = (labels: CrmLabel[]) => labels.map((label) => label.name).join(', ');

/**
 * The entries of a multi-valued input: a list, a JSON list in text, or comma-separated text.
 * Text that is itself one label (a name with a comma) is kept whole by `entriesOf`'s callers.
 */
export function splitEntries(raw: unknown): unknown[] {
	if (Array.isArray(raw)) return raw;
	if (typeof raw === 'string') {
		const text = raw.trim();
		if (text.startsWith('[')) {
			try {
				const parsed = JSON.parse(text) as unknown;
				if (Array.isArray(parsed)) return parsed;
			} catch {
				// not a JSON list: read as comma-separated text
			}
		}
		return text.split(',').map((part) => part.trim()).filter((part) => part !== '');
	}
	return raw === undefined || raw === null || raw === '' ? [] : [raw];
}

/** Agents of the workspace (all pages), for agent names typed in expressions or JSON values. */
export async function loadAgents(ctx: Context): Promise<Array<{ id: string; name: string }>> {
	const agents: Array<{ id: string; name: string }> = [];
	const fetchPage = async (qs: IDataObject) => await cekatApiRequest.call(ctx as unknown as IExecuteFunctions, 'GET', '/api/agents', qs);
	for await (const { records } of walkPages(fetchPage, (body) => recordsOrNone(body, 'page'))) {
		agents.push(...records.map((a) => ({ id: String(a.id), name: String(a.name ?? '') })));
		// A bound, as before: 50 pages of agents is far beyond any workspace.
		if (agents.length >= 50 * PAGE_SIZE) break;
	}
	return agents;
}
