/**
 * Polling mode: n8n asks Cekat's list endpoints for records newer than a position kept in the node's
 * static data, for n8n instances that Cekat cannot reach.
 *
 * - The position is the newest timestamp seen plus the ids seen at exactly that timestamp, so records
 *   sharing a timestamp are neither missed nor emitted twice.
 * - Lists are read newest first, page after page, until a record older than the position (or the end):
 *   however many records arrived between two polls, all are read; they are emitted oldest first.
 * - The first poll of an activation without a position stores the newest record's position and emits
 *   nothing (old records do not flood the workflow).
 * - A poll that fails throws (n8n shows the error) and leaves the position where it was: the next poll
 *   reads the same records again. The position only moves after a poll read everything it needed.
 * - A manual test (the editor's "Fetch Test Event") returns the newest record as a sample and leaves
 *   the position alone.
 */
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PAGE_SIZE } from '../Cekat/shared/constants';
import type { PollEvent } from './events';

export interface Position {
	/** Newest timestamp seen (ms since epoch; 0 when the list was empty). */
	ms: number;
	/** The same as text, for people reading the static data. */
	at: string | null;
	/** Ids of the records at exactly `ms`. */
	ids: string[];
}

/** Last known status of an order: [order_status, payment_status, updated_at ms]. */
type KnownStatus = [string, string, number];

interface PollState {
	position: Position;
	/** Order Status Changed only: the orders' last known statuses, by order id. */
	statuses?: Record<string, KnownStatus>;
}

export interface PollDeps {
	node: INode;
	event: PollEvent;
	boardId?: string;
	/** The node's static data (n8n saves it with the workflow). */
	staticData: IDataObject;
	/** A GET on the Cekat API; throws a NodeApiError with Cekat's message on failure. */
	get(path: string, qs?: IDataObject): Promise<IDataObject>;
	/** Manual test: a sample, the position untouched. */
	manual: boolean;
	/** Milliseconds this poll may spend (n8n's poll budget), if n8n gives one. */
	budgetMs?: number;
	now?: () => number;
}

/** Ids kept per timestamp and statuses kept per trigger: bounds on the static data. */
const MAX_IDS_AT_POSITION = 1000;
export const MAX_KNOWN_STATUSES = 5000;

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Rec {
	record: IDataObject;
	id: string;
	ms: number;
}

/** The static-data key of a trigger: one position per event (and board). */
export function stateKey(event: PollEvent, boardId?: string): string {
	return event === 'newCrmItem' ? `poll:${event}:${boardId ?? ''}` : `poll:${event}`;
}

const FIELD: Record<PollEvent, 'created_at' | 'updated_at'> = {
	newOrder: 'created_at',
	orderStatusChanged: 'updated_at',
	newMessage: 'created_at',
	newConversation: 'created_at',
	newCrmItem: 'created_at',
};

const WHAT: Record<PollEvent, string> = {
	newOrder: 'orders',
	orderStatusChanged: 'orders',
	newMessage: 'messages',
	newConversation: 'conversations',
	newCrmItem: 'CRM items',
};

class Reader {
	private readonly started: number;

	constructor(private readonly deps: PollDeps) {
		this.started = (deps.now ?? Date.now)();
	}

	private fail(message: string, description?: string): NodeOperationError {
		return new NodeOperationError(this.deps.node, message, { description });
	}

	/** A record as the poll sees it; a record without an id or a readable timestamp is an error. */
	private toRec(record: unknown, field: string): Rec {
		if (!isObject(record)) throw this.fail(`Cekat answered a list of ${WHAT[this.deps.event]} with an entry that is not a record`);
		const id = record.id;
		if (id === undefined || id === null || id === '') throw this.fail(`Cekat answered a record of ${WHAT[this.deps.event]} without an id`);
		const raw = record[field];
		const ms = typeof raw === 'string' || typeof raw === 'number' ? new Date(raw).getTime() : NaN;
		if (!Number.isFinite(ms)) {
			throw this.fail(`Cekat answered a record of ${WHAT[this.deps.event]} without a readable "${field}"`, `Record ${String(id)} has ${field} = ${JSON.stringify(raw) ?? 'nothing'}. The trigger needs it to know which records are new.`);
		}
		return { record, id: String(id), ms };
	}

	/** Stops a poll that would run past n8n's budget: better an error (position kept) than an abandoned poll. */
	private checkBudget(pages: number): void {
		const { budgetMs, now = Date.now } = this.deps;
		if (budgetMs === undefined || !Number.isFinite(budgetMs)) return;
		if (now() - this.started > budgetMs * 0.8) {
			throw this.fail(
				`Reading new ${WHAT[this.deps.event]} took longer than this poll may run (${pages} pages read)`,
				'So many records arrived since the last poll that one poll cannot read them all. The position did not move, nothing was emitted; the next poll tries again. If this repeats, poll more often.',
			);
		}
	}

	/** Pages of records, newest first, by the event's list endpoint. */
	async *pages(): AsyncGenerator<IDataObject[]> {
		const { event, get } = this.deps;
		const field = FIELD[event];
		if (event === 'newOrder' || event === 'orderStatusChanged') {
			yield* this.pageFamily('/api/orders', { sort_field: field, sort_direction: 'desc' }, (body) => (isObject(body.data) ? body.data.orders : undefined), 'data.orders');
		} else if (event === 'newMessage') {
			yield* this.messagePages();
		} else if (event === 'newConversation') {
			yield* this.conversationPages();
		} else {
			const boardId = this.deps.boardId;
			if (!boardId) throw this.fail('Choose the board whose new items start the workflow');
			const body = await get(`/api/crm/boards/${encodeURIComponent(boardId)}/items`);
			const list = this.listOf(body.data, 'data');
			// A whole list, in no promised order: newest first here.
			yield list.map((r) => this.toRec(r, field)).sort(newestFirst).map((r) => r.record);
		}
	}

	private listOf(value: unknown, where: string): IDataObject[] {
		if (!Array.isArray(value)) {
			throw this.fail(`Cekat answered the list of ${WHAT[this.deps.event]} without a list of records`, `Expected "${where}" to be an array.`);
		}
		return value as IDataObject[];
	}

	/** page + limit lists; a short or empty page is the last, a repeated page ends the list. */
	private async *pageFamily(path: string, qs: IDataObject, pick: (body: IDataObject) => unknown, where: string, firstPage = 1): AsyncGenerator<IDataObject[]> {
		const seen = new Set<string>();
		for (let page = firstPage; ; page++) {
			this.checkBudget(page - 1);
			const body = await this.deps.get(path, { ...qs, page, limit: PAGE_SIZE });
			const records = this.listOf(pick(body), where);
			if (records.length === 0) return;
			const signature = JSON.stringify([records[0]?.id, records[records.length - 1]?.id, records.length]);
			if (seen.has(signature)) return;
			seen.add(signature);
			yield records;
			const pagination = isObject(body.metadata) && isObject(body.metadata.pagination) ? body.metadata.pagination : undefined;
			if (pagination?.total_page !== undefined && page >= Number(pagination.total_page)) return;
			if (records.length < PAGE_SIZE) return;
		}
	}

	/**
	 * Messages: the sandbox lists them newest first; the real order is not documented. When a first page
	 * comes oldest first, the list is read from its last page backwards instead.
	 */
	private async *messagePages(): AsyncGenerator<IDataObject[]> {
		const first = await this.deps.get('/api/messages', { page: 1, limit: PAGE_SIZE });
		const records = this.listOf(first.data, 'data');
		if (records.length === 0) return;
		const recs = records.map((r) => this.toRec(r, 'created_at'));
		const ascending = recs.length > 1 && recs[0].ms < recs[recs.length - 1].ms;
		const pagination = isObject(first.metadata) && isObject(first.metadata.pagination) ? first.metadata.pagination : undefined;
		const totalPages = pagination?.total_page !== undefined ? Number(pagination.total_page) : undefined;
		if (!ascending) {
			yield records;
			if ((totalPages !== undefined && totalPages <= 1) || records.length < PAGE_SIZE) return;
			yield* this.pageFamily('/api/messages', {}, (body) => body.data, 'data', 2);
			return;
		}
		if (totalPages !== undefined && Number.isFinite(totalPages)) {
			// Oldest first with page totals: the newest records are on the last page.
			for (let page = totalPages; page >= 1; page--) {
				this.checkBudget(totalPages - page);
				const body = page === 1 ? first : await this.deps.get('/api/messages', { page, limit: PAGE_SIZE });
				yield [...this.listOf(body.data, 'data')].reverse();
			}
			return;
		}
		// Oldest first without totals: the whole list, then newest first.
		const all: IDataObject[] = [];
		for await (const page of this.pageFamily('/api/messages', {}, (body) => body.data, 'data')) all.push(...page);
		yield all.reverse();
	}

	/** The conversation cursor (newest first): cursor_id + cursor_ts from metadata.next_cursor. */
	private async *conversationPages(): AsyncGenerator<IDataObject[]> {
		let cursor: IDataObject = {};
		const seen = new Set<string>();
		for (let pages = 0; ; pages++) {
			this.checkBudget(pages);
			const body = await this.deps.get('/api/conversations', { limit: PAGE_SIZE, ...cursor });
			const records = this.listOf(body.data, 'data');
			if (records.length === 0) return;
			yield records;
			const next = isObject(body.metadata) ? body.metadata.next_cursor : undefined;
			if (!isObject(next) || next.cursor_id === undefined || next.cursor_id === null) return;
			const key = JSON.stringify([next.cursor_id, next.cursor_ts]);
			if (seen.has(key)) return;
			seen.add(key);
			cursor = { cursor_id: next.cursor_id, cursor_ts: next.cursor_ts };
		}
	}

	/**
	 * Reads newest first until a record older than the position. Returns the new records (any order),
	 * every record seen at the newest timestamp, and the newest record.
	 */
	async collect(position: Position | undefined): Promise<{ fresh: Rec[]; newest?: Rec; atNewest: string[]; firstPage: Rec[] }> {
		const field = FIELD[this.deps.event];
		const seen = new Set<string>();
		const fresh: Rec[] = [];
		const firstPage: Rec[] = [];
		let newest: Rec | undefined;
		let atNewest: string[] = [];
		let pageIndex = 0;
		for await (const page of this.pages()) {
			let older = false;
			for (const raw of page) {
				const rec = this.toRec(raw, field);
				if (pageIndex === 0) firstPage.push(rec);
				if (seen.has(rec.id)) continue;
				seen.add(rec.id);
				if (!newest || rec.ms > newest.ms) {
					newest = rec;
					atNewest = [rec.id];
				} else if (rec.ms === newest.ms) {
					atNewest.push(rec.id);
				}
				if (!position) continue;
				if (rec.ms > position.ms || (rec.ms === position.ms && !position.ids.includes(rec.id))) fresh.push(rec);
				else if (rec.ms < position.ms) older = true;
			}
			// Without a position only the newest record matters; with one, stop past it (the whole page was read).
			if (!position || older) break;
			pageIndex++;
		}
		return { fresh, newest, atNewest, firstPage };
	}
}

function newestFirst(a: Rec, b: Rec): number {
	return a.ms !== b.ms ? b.ms - a.ms : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function oldestFirst(a: Rec, b: Rec): number {
	return -newestFirst(a, b);
}

function nextPosition(previous: Position | undefined, newest: Rec | undefined, atNewest: string[]): Position {
	if (!newest) return previous ?? { ms: 0, at: null, ids: [] };
	if (previous && previous.ms > newest.ms) return previous;
	const ids = previous && previous.ms === newest.ms ? [...new Set([...previous.ids, ...atNewest])] : atNewest;
	return { ms: newest.ms, at: new Date(newest.ms).toISOString(), ids: ids.slice(-MAX_IDS_AT_POSITION) };
}

function readState(value: unknown): PollState | undefined {
	if (!isObject(value) || !isObject(value.position)) return undefined;
	const p = value.position;
	if (typeof p.ms !== 'number' || !Array.isArray(p.ids)) return undefined;
	return {
		position: { ms: p.ms, at: typeof p.at === 'string' ? p.at : null, ids: (p.ids as unknown[]).map(String) },
		statuses: isObject(value.statuses) ? (value.statuses as unknown as Record<string, KnownStatus>) : undefined,
	};
}

const statusOf = (record: IDataObject): [string, string] => [String(record.order_status ?? ''), String(record.payment_status ?? '')];

function withStatuses(statuses: Record<string, KnownStatus>, recs: Rec[]): Record<string, KnownStatus> {
	const next: Record<string, KnownStatus> = { ...statuses };
	for (const rec of recs) next[rec.id] = [...statusOf(rec.record), rec.ms];
	const ids = Object.keys(next);
	if (ids.length <= MAX_KNOWN_STATUSES) return next;
	// Keep the most recently updated orders.
	ids.sort((a, b) => next[b][2] - next[a][2]);
	return Object.fromEntries(ids.slice(0, MAX_KNOWN_STATUSES).map((id) => [id, next[id]]));
}

/**
 * One poll. Returns the records to emit (oldest first), or null when there is nothing new.
 * Static data is written only at the end, after everything was read.
 */
export async function poll(deps: PollDeps): Promise<IDataObject[] | null> {
	const key = stateKey(deps.event, deps.boardId);
	const reader = new Reader(deps);

	if (deps.manual) {
		const { newest } = await reader.collect(undefined);
		if (!newest) return null;
		return [deps.event === 'orderStatusChanged' ? { ...newest.record, previous_order_status: null, previous_payment_status: null } : newest.record];
	}

	const state = readState(deps.staticData[key]);
	if (!state) {
		// First poll: start from now.
		const { newest, atNewest, firstPage } = await reader.collect(undefined);
		const fresh: PollState = { position: nextPosition(undefined, newest, atNewest) };
		// The newest page's statuses are known; orders not known yet are judged by their timestamps (see below).
		if (deps.event === 'orderStatusChanged') fresh.statuses = withStatuses({}, firstPage);
		deps.staticData[key] = fresh as unknown as IDataObject;
		return null;
	}

	// Records that arrive (or, sorted by last update, are updated) while the pages are read go to the top of
	// the list: the pages behind shift down (a record may show up twice: kept once, by id) and nothing slips
	// past unseen. Such a record is newer than the new position, so the next poll emits it.
	const result = await reader.collect(state.position);

	const fresh = result.fresh.sort(oldestFirst);
	const position = nextPosition(state.position, result.newest, result.atNewest);
	let out: IDataObject[];
	let statuses = state.statuses;
	if (deps.event === 'orderStatusChanged') {
		const known: Record<string, KnownStatus> = { ...(state.statuses ?? {}) };
		out = [];
		for (const rec of fresh) {
			const [orderStatus, paymentStatus] = statusOf(rec.record);
			const before = known[rec.id];
			if (before) {
				if (before[0] !== orderStatus || before[1] !== paymentStatus) {
					out.push({ ...rec.record, previous_order_status: before[0], previous_payment_status: before[1] });
				}
			} else {
				// Not known (older than what the trigger has seen): a status change is assumed when the order was
				// updated after it was created and is no longer in the initial pending/pending state.
				const created = new Date(rec.record.created_at as string).getTime();
				if (Number.isFinite(created) && rec.ms > created && !(orderStatus === 'pending' && paymentStatus === 'pending')) {
					out.push({ ...rec.record, previous_order_status: null, previous_payment_status: null });
				}
			}
			known[rec.id] = [orderStatus, paymentStatus, rec.ms];
		}
		statuses = withStatuses(known, []);
	} else {
		out = fresh.map((rec) => rec.record);
	}

	const unchanged = position.ms === state.position.ms && position.ids.length === state.position.ids.length && fresh.length === 0;
	if (!unchanged) deps.staticData[key] = { position, ...(statuses ? { statuses } : {}) } as unknown as IDataObject;
	return out.length ? out : null;
}
