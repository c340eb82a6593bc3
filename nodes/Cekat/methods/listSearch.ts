import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { crmItemId } from '../../shared/cekatShapes';
import { PAGE_SIZE, positionOfToken, positionToken, recordsOrNone, walkPages, type ListFamily } from '../../shared/paging';
import { loadBoard } from '../resources/crmItem/board';
import { cekatApiRequest } from '../shared/transport';

const matches = (filter: string | undefined, ...texts: unknown[]) => {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => typeof text === 'string' && text.toLowerCase().includes(needle));
};

function boardIdOf(ctx: ILoadOptionsFunctions): string {
	const boardId = ctx.getCurrentNodeParameter('boardId', { extractValue: true }) as string | undefined;
	if (!boardId) throw new NodeOperationError(ctx.getNode(), 'Choose a board first');
	return String(boardId);
}

/** With a search text, pages with no match are skipped (up to this many) so the list is not empty. */
const MAX_PAGES_PER_SEARCH = 10;

/**
 * Paged lists (page numbers or the conversation cursor): one API page per scroll step, filtered by
 * the search text; the pagination token is where the list goes on.
 */
async function pageSearch(
	ctx: ILoadOptionsFunctions,
	path: string,
	family: ListFamily,
	qs: IDataObject,
	filter: string | undefined,
	toItem: (record: IDataObject) => INodeListSearchItems & { search: unknown[] },
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const results: INodeListSearchItems[] = [];
	const fetchPage = async (position: IDataObject) => await cekatApiRequest.call(ctx, 'GET', path, { ...qs, ...position });
	const read = (body: IDataObject) => recordsOrNone(body, family);
	let fetched = 0;
	for await (const { records, next } of walkPages(fetchPage, read, { start: positionOfToken(paginationToken) })) {
		results.push(
			...records
				.map(toItem)
				.filter((item) => matches(filter, ...item.search))
				.map(({ name, value, url, description }) => ({ name, value, url, description })),
		);
		if (!next) break;
		if (++fetched >= MAX_PAGES_PER_SEARCH || results.length > 0) return { results, paginationToken: positionToken(next) };
	}
	return { results };
}

/** Whole lists (CRM): everything in one answer, shown one page size at a time. */
function slice(all: INodeListSearchItems[], paginationToken?: string): INodeListSearchResult {
	const offset = Number(paginationToken ?? 0);
	const next = offset + PAGE_SIZE;
	return { results: all.slice(offset, next), paginationToken: next < all.length ? String(next) : undefined };
}

export async function searchBoards(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const body = await cekatApiRequest.call(this, 'GET', '/api/crm/boards');
	const boards = recordsOrNone(body, 'whole');
	return slice(
		boards.filter((b) => matches(filter, b.name, b.id)).map((b) => ({ name: String(b.name), value: String(b.id) })),
		paginationToken,
	);
}

export async function searchColumns(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const boardId = boardIdOf(this);
	const body = await cekatApiRequest.call(this, 'GET', `/api/crm/boards/${encodeURIComponent(boardId)}`);
	const columns = (((body.data as IDataObject)?.crm_columns ?? []) as IDataObject[]).filter((c) => matches(filter, c.name, c.id));
	return { results: columns.map((c) => ({ name: `${String(c.name)} (${String(c.type)})`, value: String(c.id) })) };
}

export async function searchItems(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const boardId = encodeURIComponent(boardIdOf(this));
	// The server searches item names; without a search text, the whole list.
	const body = filter
		? await cekatApiRequest.call(this, 'POST', `/api/crm/boards/${boardId}/items/search`, {}, {
				condition: 'AND',
				search: [{ column_name: 'item_name', operator: 'contains', value: [filter] }],
			})
		: await cekatApiRequest.call(this, 'GET', `/api/crm/boards/${boardId}/items`);
	// Rows are flat and carry `item_id`, not `id` (docs/cekat-api.md, CRM).
	const items = recordsOrNone(body, 'whole').filter((i) => crmItemId(i) !== undefined);
	return slice(items.map((i) => ({ name: String(i.item_name ?? crmItemId(i)), value: crmItemId(i) as string })), paginationToken);
}

/** Groups (the board's columns of cards) from the board's `crm_groups`. */
export async function searchGroups(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { groups } = await loadBoard(this, boardIdOf(this));
	return { results: groups.filter((g) => matches(filter, g.name, g.id)).map((g) => ({ name: String(g.name), value: String(g.id) })) };
}

/** The listSearch method of a paged list; `family` 'orders' searches on the server (order number, buyer, phone). */
const paged = (path: string, toItem: (record: IDataObject) => INodeListSearchItems & { search: unknown[] }, family: ListFamily = 'page') =>
	async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const onServer = family === 'orders';
		return await pageSearch(this, path, family, onServer && filter ? { search: filter } : {}, onServer ? undefined : filter, toItem, paginationToken);
	};

export const searchInboxes = paged('/api/inboxes', (i) => ({
	name: `${String(i.name)}${i.phone_number ? ` (${String(i.phone_number)})` : ''} · ${String(i.type)}`,
	value: String(i.id),
	search: [i.name, i.phone_number, i.id],
}));

export const searchCampaigns = paged('/api/campaigns', (c) => ({
	name: `${String(c.name)} · ${String(c.status)}`,
	value: String(c.id),
	search: [c.name, c.id],
}));

export const searchOrders = paged(
	'/api/orders',
	(o) => {
		// The buyer is `contact.display_name`; order_number is an integer (docs/cekat-api.md, Orders).
		const contact = (o.contact ?? {}) as IDataObject;
		const buyer = contact.display_name ?? contact.contact_name ?? '';
		return {
			name: `Order #${String(o.order_number)} · ${String(buyer)} · ${String(o.payment_status ?? '').toLowerCase()} · Rp ${Number(o.grand_total).toLocaleString('en-US')}`,
			value: String(o.id),
			search: [],
		};
	},
	'orders',
);

export const searchConversations = paged('/api/conversations', (c) => ({
	name: `${String(c.contact_name)} (${String(c.contact_phone)}) · ${String(c.inbox_name)}`,
	value: String(c.id),
	search: [c.contact_name, c.contact_phone, c.inbox_name, c.id],
}));

export async function searchTemplates(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const inboxId = this.getCurrentNodeParameter('inboxId', { extractValue: true }) as string | undefined;
	if (!inboxId) throw new NodeOperationError(this.getNode(), 'Choose an inbox first');
	// The legacy route lists an inbox's templates with Meta's wa_template_id, which sending needs.
	const body = await cekatApiRequest.call(this, 'GET', '/templates', { inbox_id: String(inboxId) });
	const templates = recordsOrNone(body, 'whole').filter((t) => t.status === 'APPROVED' && matches(filter, t.name, t.wa_template_id));
	return {
		results: templates.map((t) => ({
			name: `${String(t.name)} · language ${String(t.language)} · ${String(t.category ?? '').toLowerCase()}`,
			value: String(t.wa_template_id),
			description: String(t.body ?? ''),
		})),
	};
}

/**
 * The listSearch method of one of Cekat's server-host lookups (`/business_workflows/<path>`): they answer bare
 * arrays (OFF maps them directly); a `data` list is read too.
 */
const bareList = (path: string) =>
	async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const body = (await cekatApiRequest.call(this, 'GET', `/business_workflows/${path}`)) as unknown;
		const records = (Array.isArray(body) ? body : recordsOrNone(body, 'whole')) as IDataObject[];
		return slice(
			records
				.filter((r) => r.id !== undefined && r.id !== null && matches(filter, r.name, String(r.id)))
				.map((r) => ({ name: String(r.name ?? r.id), value: String(r.id) })),
			paginationToken,
		);
	};

/** Human agents (assign, collaborate). */
export const searchAgents = bareList('agents');
export const searchAiAgents = bareList('ai-agents');
/** Conversation labels (not the CRM's select labels). */
export const searchConversationLabels = bareList('labels');
export const searchPipelineStatuses = bareList('pipeline-status');

export const searchContacts = paged('/api/contacts', (c) => ({
	name: `${String(c.display_name ?? c.contact_name ?? c.id)}${c.phone_number ? ` (${String(c.phone_number)})` : ''}`,
	value: String(c.id),
	search: [c.display_name, c.contact_name, c.phone_number, c.id],
}));
