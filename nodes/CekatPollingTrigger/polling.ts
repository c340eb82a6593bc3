/**
 * Polling mode: n8n asks Cekat's list endpoints for what changed since the last poll, keeping what it needs in
 * the node's static data, for n8n instances that Cekat cannot reach. Each event has its own design, because the
 * real lists differ (docs/cekat-api.md; the "Trigger" section there says what each relies on):
 *
 * - New Order, New Message, New Conversation: a position (the newest `created_at` seen, plus the ids seen at
 *   exactly that time). Records newer than it are emitted, oldest first, each once. Orders and messages are
 *   read newest first until a record older than the position. Conversations come by last activity, not creation:
 *   the scan goes on past older conversations and stops only when a row's last activity is older than the position
 *   (or at the cursor's end: both next_cursor values null).
 * - New CRM Item: rows have no `created_at`: the ids (`item_id`) on the board are kept (as short fingerprints,
 *   at most MAX_KNOWN_ITEMS); an id not seen before is new. Deleted items leave the set, so it stays the board.
 * - Order Status Changed: rows may lack `updated_at`: the last seen statuses of the newest orders are kept by
 *   order id (at most MAX_KNOWN_STATUSES) and compared case-insensitively; values are passed through unchanged.
 *
 * The first poll of an activation stores the state and emits nothing. A poll that fails throws (n8n shows the
 * error) and leaves the state as it was. A manual test ("Fetch Test Event") returns one sample record and leaves
 * the state alone.
 */
import { createHash } from 'crypto';

import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { cekatApiRequest, type CekatRequestContext } from '../Cekat/shared/transport';
import { cekatTimeMs, crmItemId, isObject, sameStatus } from '../shared/cekatShapes';
import { PAGE_SIZE, pageAfter, pageTotals, RECORDS_AT, recordsIn, walkPages, type ListFamily, type PagePosition } from '../shared/paging';
import type { PollEvent } from '../CekatTrigger/events';

export interface Position {
	/** Newest timestamp seen (ms since epoch; 0 when the list was empty). */
	ms: number;
	/** The same as text, for people reading the static data. */
	at: string | null;
	/** Ids of the records at exactly `ms`. */
	ids: string[];
}

/** Order Status Changed: [order id, order_status, payment_status] as last seen, most recently seen last. */
type KnownStatus = [string, string, string];

interface StatusState {
	statuses: KnownStatus[];
	/** Newest `created_at` seen: an unknown order created after it is new since the last poll. */
	createdMs: number;
	/** Newest `updated_at` seen, when rows carry it (0 otherwise): the scan can stop at older rows. */
	updatedMs: number;
}

export interface PollDeps {
	node: INode;
	event: PollEvent;
	boardId?: string;
	/** The node's static data (n8n saves it with the workflow). */
	staticData: IDataObject;
	/** A GET on the Cekat API; throws a NodeApiError with Cekat's message on failure. */
	get(path: string, qs?: IDataObject): Promise<IDataObject>;
	/** Manual test: a sample, the state untouched. */
	manual: boolean;
	/** Milliseconds this poll may spend (n8n's poll budget), if n8n gives one. */
	budgetMs?: number;
	now?: () => number;
}

/** Bounds on the static data. */
const MAX_IDS_AT_POSITION = 1000;
export const MAX_KNOWN_STATUSES = 5000;
export const MAX_KNOWN_ITEMS = 20_000;
/** Order Status Changed reads at most this many pages of the newest orders per poll. */
export const STATUS_SCAN_PAGES = 5;

/** A short, stable stand-in for an id (72 bits): 20,000 ids fit in about 300 KB of static data. */
export function fingerprint(id: string): string {
	return createHash('sha256').update(id, 'utf8').digest('base64url').slice(0, 12);
}

interface Rec {
	record: IDataObject;
	id: string;
	ms: number;
}

/** The static-data key of a trigger: one state per event (and board). */
export function stateKey(event: PollEvent, boardId?: string): string {
	return event === 'newCrmItem' ? `poll:${event}:${boardId ?? ''}` : `poll:${event}`;
}

const WHAT: Record<PollEvent, string> = {
	newOrder: 'orders',
	orderStatusChanged: 'orders',
	newMessage: 'messages',
	newConversation: 'conversations',
	newCrmItem: 'CRM items',
};

/**
 * A conversation's last activity (ms): the newest of the activity fields the row has (its creation counts too);
 * undefined when it has none but `created_at`, so such rows never end a scan early.
 */
function activityMs(record: IDataObject): number | undefined {
	const last = isObject(record.last_message) ? record.last_message.created_at : undefined;
	const times = [last, record.last_message_at, record.updated_at, record.last_activity_at].map(cekatTimeMs).filter((v): v is number => v !== undefined);
	if (!times.length) return undefined;
	return Math.max(...times, cekatTimeMs(record.created_at) ?? 0);
}

class Reader {
	private readonly started: number;

	constructor(private readonly deps: PollDeps) {
		this.started = (deps.now ?? Date.now)();
	}

	fail(message: string, description?: string): NodeOperationError {
		return new NodeOperationError(this.deps.node, message, { description });
	}

	/** A record as the poll sees it; a record without an id or a readable `field` is an error. */
	toRec(record: unknown, field: string): Rec {
		if (!isObject(record)) throw this.fail(`Cekat answered a list of ${WHAT[this.deps.event]} with an entry that is not a record`);
		const id = record.id;
		if (id === undefined || id === null || id === '') throw this.fail(`Cekat answered a record of ${WHAT[this.deps.event]} without an id`);
		const raw = record[field];
		const ms = cekatTimeMs(raw);
		if (ms === undefined) {
			throw this.fail(`Cekat answered a record of ${WHAT[this.deps.event]} without a readable "${field}"`, `Record ${String(id)} has ${field} = ${JSON.stringify(raw) ?? 'nothing'}; the trigger needs it to find new records.`);
		}
		return { record, id: String(id), ms };
	}

	/** Stops a poll that would run past n8n's budget: better an error (state kept) than an abandoned poll. */
	checkBudget(pages: number): void {
		const { budgetMs, now = Date.now } = this.deps;
		if (budgetMs === undefined || !Number.isFinite(budgetMs)) return;
		if (now() - this.started > budgetMs * 0.8) {
			throw this.fail(
				`Reading new ${WHAT[this.deps.event]} took longer than this poll may run (${pages} pages read)`,
				'Too many new records for one poll: nothing was emitted, the position kept; the next poll tries again. If this repeats, poll more often.',
			);
		}
	}

	/** Pages of records, newest first (conversations: by last activity), by the event's list endpoint. */
	async *pages(): AsyncGenerator<IDataObject[]> {
		const { event } = this.deps;
		if (event === 'newOrder') {
			yield* this.list('/api/orders', 'orders', { sort_field: 'created_at', sort_direction: 'desc' });
		} else if (event === 'newMessage') {
			yield* this.messagePages();
		} else {
			// The cursor (v2) or page totals (v1): walkPages reads either.
			yield* this.list('/api/conversations', 'page', {}, null);
		}
	}

	listOf(body: IDataObject, family: ListFamily): IDataObject[] {
		const records = recordsIn(body, family);
		if (!Array.isArray(records)) {
			throw this.fail(`Cekat answered the list of ${WHAT[this.deps.event]} without a list of records`, `Expected "${RECORDS_AT[family]}" to be an array.`);
		}
		return records as IDataObject[];
	}

	/** A list's pages (page numbers or the conversation cursor), within the poll's budget. */
	async *list(path: string, family: ListFamily, qs: IDataObject, start?: PagePosition | null): AsyncGenerator<IDataObject[]> {
		let pages = 0;
		const fetchPage = async (position: IDataObject) => {
			this.checkBudget(pages++);
			return await this.deps.get(path, { ...qs, ...position });
		};
		for await (const { records } of walkPages(fetchPage, (body) => this.listOf(body, family), { start })) yield records;
	}

	/**
	 * Messages: the sandbox lists them newest first; the real order is not documented. When a first page
	 * comes oldest first, the list is read from its last page backwards instead.
	 */
	private async *messagePages(): AsyncGenerator<IDataObject[]> {
		const first = await this.deps.get('/api/messages', { page: 1, limit: PAGE_SIZE });
		const records = this.listOf(first, 'page');
		if (records.length === 0) return;
		const recs = records.map((r) => this.toRec(r, 'created_at'));
		const ascending = recs.length > 1 && recs[0].ms < recs[recs.length - 1].ms;
		const totalPages = pageTotals(first)?.totalPages;
		if (!ascending) {
			yield records;
			const next = pageAfter(first, 1, records.length, PAGE_SIZE);
			if (next) yield* this.list('/api/messages', 'page', {}, next);
			return;
		}
		if (totalPages !== undefined && Number.isFinite(totalPages)) {
			// Oldest first with page totals: the newest records are on the last page.
			for (let page = totalPages; page >= 1; page--) {
				this.checkBudget(totalPages - page);
				const body = page === 1 ? first : await this.deps.get('/api/messages', { page, limit: PAGE_SIZE });
				yield [...this.listOf(body, 'page')].reverse();
			}
			return;
		}
		// Oldest first without totals: the whole list, then newest first.
		const all: IDataObject[] = [];
		for await (const page of this.list('/api/messages', 'page', {})) all.push(...page);
		yield all.reverse();
	}

	/**
	 * Reads until nothing newer than the position can follow. Returns the new records (any order), every record
	 * seen at the newest timestamp, and the newest record.
	 * Orders and messages come newest first: a page with a record older than the position is the last one read.
	 * Conversations come by last activity: one created before the position may come first (it just got a message)
	 * and a new one may come after older ones; the scan stops after a page with a row whose last activity is older
	 * than the position (a new conversation's last activity is at least its creation), else at the cursor's end.
	 */
	async collect(position: Position | undefined): Promise<{ fresh: Rec[]; newest?: Rec; atNewest: string[]; firstPageActivity?: number }> {
		const byActivity = this.deps.event === 'newConversation';
		const seen = new Set<string>();
		const fresh: Rec[] = [];
		let newest: Rec | undefined;
		let atNewest: string[] = [];
		let firstPageActivity: number | undefined;
		let pageIndex = 0;
		for await (const page of this.pages()) {
			let past = false;
			// Conversations: the page is past the position when every row's last activity is older than it.
			let allOlder = page.length > 0;
			for (const raw of page) {
				const rec = this.toRec(raw, 'created_at');
				if (byActivity) {
					const active = activityMs(rec.record);
					if (pageIndex === 0) firstPageActivity = Math.max(firstPageActivity ?? 0, active ?? rec.ms);
					if (!position || active === undefined || active >= position.ms) allOlder = false;
				}
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
				else if (!byActivity && rec.ms < position.ms) past = true;
			}
			if (byActivity && allOlder) past = true;
			// Without a position one page is enough (the newest record, or for conversations the newest activity);
			// with one, stop past it (the whole page was read).
			if (!position || past) break;
			pageIndex++;
		}
		return { fresh, newest, atNewest, firstPageActivity };
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

function readPosition(value: unknown): Position | undefined {
	if (!isObject(value) || !isObject(value.position)) return undefined;
	const p = value.position;
	if (typeof p.ms !== 'number' || !Array.isArray(p.ids)) return undefined;
	return { ms: p.ms, at: typeof p.at === 'string' ? p.at : null, ids: (p.ids as unknown[]).map(String) };
}

/** New Order, New Message, New Conversation: a position on `created_at`. */
async function pollByPosition(deps: PollDeps, reader: Reader, key: string): Promise<IDataObject[] | null> {
	if (deps.manual) {
		const { newest } = await reader.collect(undefined);
		return newest ? [newest.record] : null;
	}
	const previous = readPosition(deps.staticData[key]);
	if (!previous) {
		// First poll: start from now.
		const { newest, atNewest, firstPageActivity } = await reader.collect(undefined);
		let position = nextPosition(undefined, newest, atNewest);
		// Conversations by last activity: every conversation not on the first page was last active before the first
		// page's newest activity, so was created before it too; starting there, the first poll reads one page.
		if (deps.event === 'newConversation' && firstPageActivity !== undefined && firstPageActivity > position.ms) {
			position = { ms: firstPageActivity, at: new Date(firstPageActivity).toISOString(), ids: [] };
		}
		deps.staticData[key] = { position } as unknown as IDataObject;
		return null;
	}
	// Records that arrive while the pages are read go to the top of the list: the pages behind shift down (a record
	// may show up twice: kept once, by id) and nothing slips past unseen; the next poll emits such a record.
	const result = await reader.collect(previous);
	const fresh = result.fresh.sort(oldestFirst);
	const position = nextPosition(previous, result.newest, result.atNewest);
	const unchanged = position.ms === previous.ms && position.ids.length === previous.ids.length && fresh.length === 0;
	if (!unchanged) deps.staticData[key] = { position } as unknown as IDataObject;
	return fresh.length ? fresh.map((rec) => rec.record) : null;
}

/** New CRM Item: the ids on the board, compared with the ids seen before. */
async function pollCrmItems(deps: PollDeps, reader: Reader, key: string): Promise<IDataObject[] | null> {
	const boardId = deps.boardId;
	if (!boardId) throw reader.fail('Choose the board whose new items start the workflow');
	const body = await deps.get(`/api/crm/boards/${encodeURIComponent(boardId)}/items`);
	// The whole board in one answer (no paging is documented for items).
	const rows = reader.listOf(body, 'whole');
	const items: Array<{ row: IDataObject; fp: string }> = [];
	for (const row of rows) {
		if (!isObject(row)) throw reader.fail('Cekat answered a list of CRM items with an entry that is not a record');
		const id = crmItemId(row);
		if (id === undefined) throw reader.fail('Cekat answered a CRM item without an item_id');
		items.push({ row, fp: fingerprint(id) });
	}
	// The list's order is not documented: the last row is the sample (the sandbox lists oldest first).
	if (deps.manual) return items.length ? [items[items.length - 1].row] : null;
	if (items.length > MAX_KNOWN_ITEMS) {
		throw reader.fail(
			`The board has ${items.length} items, more than this trigger can remember (${MAX_KNOWN_ITEMS})`,
			'For a board this large, use the Cekat Trigger with the crm_item.created event.',
		);
	}
	const state = deps.staticData[key];
	const known = isObject(state) && Array.isArray(state.known) ? new Set((state.known as unknown[]).map(String)) : undefined;
	const current = [...new Set(items.map((i) => i.fp))];
	const emitted = new Set<string>();
	const fresh = known ? items.filter((i) => !known.has(i.fp) && !emitted.has(i.fp) && emitted.add(i.fp)) : [];
	// The set becomes exactly the board's ids now: deleted items leave it, so it never outgrows the board.
	const same = known !== undefined && known.size === current.length && fresh.length === 0 && current.every((fp) => known.has(fp));
	if (!same) deps.staticData[key] = { known: current } as unknown as IDataObject;
	return fresh.length ? fresh.map((i) => i.row) : null;
}

function readStatuses(value: unknown): StatusState | undefined {
	if (!isObject(value) || !Array.isArray(value.statuses)) return undefined;
	return {
		statuses: (value.statuses as unknown[]).filter((s): s is unknown[] => Array.isArray(s) && s.length === 3).map((s) => [String(s[0]), String(s[1]), String(s[2])] as KnownStatus),
		createdMs: typeof value.createdMs === 'number' ? value.createdMs : 0,
		updatedMs: typeof value.updatedMs === 'number' ? value.updatedMs : 0,
	};
}

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/**
 * Order Status Changed: the newest orders (sorted by `updated_at` where Cekat sorts by it; at most
 * STATUS_SCAN_PAGES pages) compared with the statuses seen before, case-insensitively. Rows without
 * `updated_at` are fine: it only lets the scan stop early. An order not seen before is emitted only when it
 * was created since the last poll and is no longer pending/pending (it was paid or processed before any poll
 * saw it). An order whose status changes while it is older than the scanned pages is not seen (a limit, see
 * the docs).
 */
async function pollStatuses(deps: PollDeps, reader: Reader, key: string): Promise<IDataObject[] | null> {
	const state = deps.manual ? undefined : readStatuses(deps.staticData[key]);
	const rows: IDataObject[] = [];
	let pages = 0;
	for await (const page of reader.list('/api/orders', 'orders', { sort_field: 'updated_at', sort_direction: 'desc' })) {
		pages++;
		for (const row of page) {
			if (!isObject(row) || row.id === undefined || row.id === null || row.id === '') throw reader.fail('Cekat answered a record of orders without an id');
		}
		rows.push(...page);
		if (deps.manual) break;
		// With updated_at, rows updated before the newest update seen last time have not changed since.
		if (state && state.updatedMs > 0 && page.some((r) => (cekatTimeMs(r.updated_at) ?? Infinity) < state.updatedMs)) break;
		if (pages >= STATUS_SCAN_PAGES) break;
	}
	if (deps.manual) return rows.length ? [{ ...rows[0], previous_order_status: null, previous_payment_status: null }] : null;

	const known = new Map<string, KnownStatus>((state?.statuses ?? []).map((s) => [s[0], s]));
	const out: IDataObject[] = [];
	let createdMs = state?.createdMs ?? 0;
	let updatedMs = state?.updatedMs ?? 0;
	const seen = new Set<string>();
	// Oldest first, so the output is in the order the changes most likely happened.
	for (const row of [...rows].reverse()) {
		const id = String(row.id);
		if (seen.has(id)) continue;
		seen.add(id);
		const orderStatus = text(row.order_status);
		const paymentStatus = text(row.payment_status);
		const before = known.get(id);
		const created = cekatTimeMs(row.created_at);
		if (state) {
			if (before) {
				if (!sameStatus(before[1], orderStatus) || !sameStatus(before[2], paymentStatus)) {
					out.push({ ...row, previous_order_status: before[1], previous_payment_status: before[2] });
				}
			} else if (created !== undefined && created > state.createdMs && !(sameStatus(orderStatus, 'pending') && sameStatus(paymentStatus, 'pending'))) {
				out.push({ ...row, previous_order_status: null, previous_payment_status: null });
			}
		}
		// Re-inserted: the orders seen most recently go last; the bound drops the longest unseen first.
		known.delete(id);
		known.set(id, [id, orderStatus, paymentStatus]);
		if (created !== undefined && created > createdMs) createdMs = created;
		const updated = cekatTimeMs(row.updated_at);
		if (updated !== undefined && updated > updatedMs) updatedMs = updated;
	}
	const next: StatusState = { statuses: [...known.values()].slice(-MAX_KNOWN_STATUSES), createdMs, updatedMs };
	if (JSON.stringify(deps.staticData[key]) !== JSON.stringify(next)) deps.staticData[key] = next as unknown as IDataObject;
	return out.length ? out : null;
}

/**
 * One poll. Returns the records to emit, or null when there is nothing new.
 * Static data is written only at the end, after everything was read.
 */
export async function poll(deps: PollDeps): Promise<IDataObject[] | null> {
	const key = stateKey(deps.event, deps.boardId);
	const reader = new Reader(deps);
	if (deps.event === 'newCrmItem') return await pollCrmItems(deps, reader, key);
	if (deps.event === 'orderStatusChanged') return await pollStatuses(deps, reader, key);
	return await pollByPosition(deps, reader, key);
}

/** A parameter reader: poll() and execute() read parameters with different signatures. */
export type ParameterReader = (name: string, fallback: unknown, options?: { extractValue: boolean }) => unknown;

/** One poll of a node (the Cekat Polling Trigger, or the Cekat Trigger v1 in Polling mode). */
export async function pollWith(
	ctx: CekatRequestContext & { getWorkflowStaticData(type: string): IDataObject },
	parameter: ParameterReader,
	manual: boolean,
	budgetMs?: number,
): Promise<IDataObject[] | null> {
	const event = parameter('event', 'newOrder') as PollEvent;
	const boardId = event === 'newCrmItem' ? String(parameter('boardId', '', { extractValue: true }) ?? '').trim() || undefined : undefined;
	return await poll({
		node: ctx.getNode(),
		event,
		boardId,
		staticData: ctx.getWorkflowStaticData('node'),
		get: async (path, qs) => await cekatApiRequest.call(ctx, 'GET', path, qs),
		manual,
		budgetMs,
	});
}
