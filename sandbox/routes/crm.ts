/**
 * CRM boards, columns and items. Item column values are keyed by the column NAME (as the real API does);
 * every value is checked against its column type before anything is written.
 * Envelope { message: "success", data }; errors { message }.
 *
 * Items are served flat, { item_id, item_name, group_id, group_name, "<Column>": value } (wire.ts). Select and
 * dropdown values are label IDS ("0", ["0","1"]), in writes, answers and searches (PM, OFF). Whether the real
 * API checks that a written id is one of the column's labels is not shown: any string is stored as given, so a
 * client that writes label NAMES stores names, and its id searches then find nothing.
 */
import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../errors';
import type { Store } from '../store';
import type { CrmBoard, CrmColumn, CrmItem, CrmValue } from '../types';
import { jakartaDayStart, paramsSchema, type RouteDeps } from './common';
import { wireCrmColumn, wireCrmItem } from '../wire';

const CORE_FIELDS = new Set(['item_name', 'group_id', 'contact_id', 'conversation_id']);
// The date and timeline operators appear in PM's search bodies (start_date/end_date on a date column;
// from_/to_ start_date/end_date on a timeline); their exact semantics are read as inclusive bounds.
const DATE_OPERATORS = ['start_date', 'end_date', 'from_start_date', 'from_end_date', 'to_start_date', 'to_end_date'] as const;
const OPERATORS = [
	'contains', 'not_contains', 'equals', 'not_equals', 'is_empty', 'is_not_empty',
	'greater_than', 'greater_than_or_equal', 'less_than', 'less_than_or_equal',
	...DATE_OPERATORS,
] as const;
type Operator = (typeof OPERATORS)[number];
const COMPARISONS: ReadonlySet<string> = new Set(['greater_than', 'greater_than_or_equal', 'less_than', 'less_than_or_equal']);

const itemBodySchema = (create: boolean) => ({
	type: 'object',
	...(create ? { required: ['item_name'] } : { minProperties: 1 }),
	properties: {
		item_name: { type: 'string', minLength: 1 },
		group_id: { type: 'string' },
		contact_id: { type: ['string', 'null'] },
		conversation_id: { type: ['string', 'null'] },
	},
});

const searchBodySchema = {
	type: 'object',
	properties: {
		condition: { type: 'string' },
		search: {
			type: 'array',
			items: {
				type: 'object',
				required: ['column_name', 'operator'],
				properties: {
					column_name: { type: 'string' },
					operator: { type: 'string' },
					// PM bodies send both a scalar ("1", -1, "qa") and an array (["1"]).
					value: { type: ['array', 'string', 'number', 'boolean', 'null'], items: { type: ['string', 'number', 'boolean', 'null'] } },
				},
			},
		},
	},
};

const deleteBodySchema = {
	type: 'object',
	required: ['item_ids'],
	properties: { item_ids: { type: 'array', minItems: 1, items: { type: 'string' } } },
};

const byNameSchema = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };

function boardSummary(store: Store, b: CrmBoard) {
	return { id: b.id, name: b.name, description: b.description, created_at: b.created_at, items_count: store.itemsOfBoard(b.id).length };
}

function getBoard(store: Store, id: string): CrmBoard {
	const b = store.boards.get(id);
	if (!b) throw notFound(`Board ${id} not found`);
	return b;
}

const realLabels = (col: CrmColumn) => (col.settings.labels ?? []).filter((l) => l.id !== 'default' && l.name !== '');

/** Checks one value against its column and returns the stored form (400 naming the column otherwise). */
export function coerceColumnValue(store: Store, col: CrmColumn, raw: unknown): CrmValue {
	const fail = (expected: string) =>
		badRequest(col.name, `Column '${col.name}' expects ${expected}; got ${JSON.stringify(raw) ?? String(raw)}`);
	if (raw === null) return null;
	switch (col.type) {
		case 'text':
			if (typeof raw !== 'string') throw fail('text (a string)');
			return raw;
		case 'number': {
			if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
			if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
			throw fail('a number');
		}
		case 'date': {
			if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw fail('a date (YYYY-MM-DD)');
			try {
				jakartaDayStart(raw, col.name);
			} catch {
				throw fail('a date (YYYY-MM-DD)');
			}
			return raw;
		}
		case 'select': {
			// A label id such as "0"; stored as given (no check against the labels: not evidenced either way).
			if (typeof raw !== 'string') throw fail(`a label id (select), one of ${realLabels(col).map((l) => `"${l.id}" (${l.name})`).join(', ')}`);
			return raw;
		}
		case 'dropdown': {
			if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string')) {
				throw fail(`an array of label ids (dropdown), from ${realLabels(col).map((l) => `"${l.id}" (${l.name})`).join(', ')}`);
			}
			return [...(raw as string[])];
		}
		case 'timeline': {
			// OFF formatColumnValue: { from, to } as YYYY-MM-DD.
			const ok = (d: unknown) => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) && isRealDate(d);
			if (typeof raw !== 'object' || Array.isArray(raw)) throw fail('a timeline { "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" }');
			const { from, to, ...rest } = raw as Record<string, unknown>;
			if (!ok(from) || !ok(to) || Object.keys(rest).length > 0) throw fail('a timeline { "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" }');
			if ((from as string) > (to as string)) throw fail('a timeline whose "from" is not after its "to"');
			return { from: from as string, to: to as string };
		}
		case 'agents': {
			if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string')) throw fail('an array of agent ids (agents)');
			const ids = raw as string[];
			const unknown = ids.find((x) => !store.agents.get(x));
			if (unknown !== undefined) throw badRequest(col.name, `Column '${col.name}' (agents): agent ${unknown} not found`);
			return [...new Set(ids)];
		}
	}
}

function isRealDate(d: string): boolean {
	try {
		jakartaDayStart(d, 'date');
		return true;
	} catch {
		return false;
	}
}

const isEmptyValue = (v: CrmValue | undefined) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

interface ItemChanges {
	item_name?: string;
	group?: { id: string; name: string };
	contact_id?: string | null;
	conversation_id?: string | null;
	values: Record<string, CrmValue>;
}

/** Validates a create/update body completely; returns the changes to apply. Throws before any write. */
function readItemBody(store: Store, board: CrmBoard, body: Record<string, unknown>, create: boolean): ItemChanges {
	const changes: ItemChanges = { values: {} };
	const colByName = new Map(board.crm_columns.map((c) => [c.name, c]));
	for (const [key, raw] of Object.entries(body)) {
		if (CORE_FIELDS.has(key)) continue;
		const col = colByName.get(key);
		if (!col) {
			throw badRequest(key, `Unknown column '${key}' on board '${board.name}' (columns: ${board.crm_columns.map((c) => c.name).join(', ')})`);
		}
		if (col.read_only) throw badRequest(key, `Column '${key}' is read-only`);
		changes.values[key] = coerceColumnValue(store, col, raw);
	}
	for (const col of board.crm_columns) {
		if (!col.is_required) continue;
		const v = changes.values[col.name];
		const missing = create ? isEmptyValue(v) : v !== undefined && isEmptyValue(v);
		if (missing) throw badRequest(col.name, `Column '${col.name}' is required`);
	}
	if (typeof body.item_name === 'string') {
		if (body.item_name.trim() === '') throw badRequest('item_name', 'item_name must not be blank');
		changes.item_name = body.item_name;
	}
	if (body.group_id !== undefined) {
		const g = board.crm_groups.find((x) => x.id === body.group_id);
		if (!g) throw badRequest('group_id', `group_id ${String(body.group_id)} is not a group of board '${board.name}'`);
		changes.group = { id: g.id, name: g.name };
	}
	if (typeof body.contact_id === 'string') {
		if (!store.contacts.get(body.contact_id)) throw notFound(`Contact ${body.contact_id} not found`);
		changes.contact_id = body.contact_id;
	} else if (body.contact_id === null) changes.contact_id = null;
	if (typeof body.conversation_id === 'string') {
		if (!store.conversations.get(body.conversation_id)) throw notFound(`Conversation ${body.conversation_id} not found`);
		changes.conversation_id = body.conversation_id;
	} else if (body.conversation_id === null) changes.conversation_id = null;
	return changes;
}

// --- search ----------------------------------------------------------------------------------------------

type Cell = { strings: string[]; number?: number; empty: boolean };

function cellOf(store: Store, item: CrmItem, col: CrmColumn | 'item_name'): Cell {
	if (col === 'item_name') return { strings: [item.item_name], empty: item.item_name === '' };
	const v = item.values[col.name];
	if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return { strings: [], empty: true };
	if (col.type === 'agents' && Array.isArray(v)) {
		// Agents match by id or by name.
		const strings = [...v];
		for (const id of v) {
			const a = store.agents.get(id);
			if (a) strings.push(a.name);
		}
		return { strings, empty: false };
	}
	// select/dropdown: the stored label ids (a client that stored names has names here).
	if (col.type === 'select' || col.type === 'dropdown') return { strings: Array.isArray(v) ? [...v] : [String(v)], empty: false };
	if (col.type === 'timeline' && typeof v === 'object' && !Array.isArray(v)) return { strings: [v.from, v.to], empty: false };
	return { strings: [String(v)], number: typeof v === 'number' ? v : undefined, empty: false };
}

interface Rule {
	col: CrmColumn | 'item_name';
	op: Operator;
	values: string[];
	/** comparison operand: number for number columns, string otherwise */
	operand?: number | string;
}

function readRules(board: CrmBoard, search: Array<{ column_name: string; operator: string; value?: unknown }>): Rule[] {
	return search.map((s, i) => {
		const col = s.column_name === 'item_name' ? 'item_name' : board.crm_columns.find((c) => c.name === s.column_name);
		if (!col) throw badRequest(`search[${i}].column_name`, `search[${i}].column_name: unknown column '${s.column_name}' on board '${board.name}'`);
		if (!(OPERATORS as readonly string[]).includes(s.operator)) {
			throw badRequest(`search[${i}].operator`, `search[${i}].operator: unknown operator '${s.operator}' (allowed: ${OPERATORS.join(', ')})`);
		}
		const op = s.operator as Operator;
		const rawValues = s.value === undefined || s.value === null ? [] : Array.isArray(s.value) ? s.value : [s.value];
		const values = rawValues.filter((v) => v !== null).map((v) => String(v));
		const rule: Rule = { col, op, values };
		const needsValue = op !== 'is_empty' && op !== 'is_not_empty';
		if (needsValue && values.length === 0) throw badRequest(`search[${i}].value`, `search[${i}].value must contain at least one value for operator '${op}'`);
		if ((DATE_OPERATORS as readonly string[]).includes(op)) {
			const type = col === 'item_name' ? 'text' : col.type;
			const timelineOp = op.startsWith('from_') || op.startsWith('to_');
			if (timelineOp ? type !== 'timeline' : type !== 'date') {
				throw badRequest(`search[${i}].operator`, `search[${i}].operator '${op}' needs a ${timelineOp ? 'timeline' : 'date'} column; '${s.column_name}' is ${type}`);
			}
			if (!/^\d{4}-\d{2}-\d{2}$/.test(values[0]) || !isRealDate(values[0])) {
				throw badRequest(`search[${i}].value`, `search[${i}].value must be a date (YYYY-MM-DD) for operator '${op}'`);
			}
			rule.operand = values[0];
		} else if (COMPARISONS.has(op)) {
			const type = col === 'item_name' ? 'text' : col.type;
			const raw = values[0];
			if (type === 'number') {
				if (raw.trim() === '' || !Number.isFinite(Number(raw))) throw badRequest(`search[${i}].value`, `search[${i}].value must be a number for column '${s.column_name}'`);
				rule.operand = Number(raw);
			} else if (type === 'date') {
				try {
					jakartaDayStart(raw, `search[${i}].value`);
				} catch {
					throw badRequest(`search[${i}].value`, `search[${i}].value must be a date (YYYY-MM-DD) for column '${s.column_name}'`);
				}
				rule.operand = raw;
			} else if (type === 'text') {
				rule.operand = raw;
			} else {
				throw badRequest(`search[${i}].operator`, `search[${i}].operator '${op}' is not supported for ${type} column '${s.column_name}'`);
			}
		}
		return rule;
	});
}

function matches(store: Store, item: CrmItem, r: Rule): boolean {
	const cell = cellOf(store, item, r.col);
	switch (r.op) {
		case 'is_empty':
			return cell.empty;
		case 'is_not_empty':
			return !cell.empty;
		case 'contains':
		case 'not_contains': {
			const needles = r.values.map((v) => v.toLowerCase());
			const hit = cell.strings.some((s) => needles.some((n) => s.toLowerCase().includes(n)));
			return r.op === 'contains' ? hit : !hit;
		}
		case 'equals':
		case 'not_equals': {
			const hit = cell.strings.some((s) => r.values.some((v) => s === v || (cell.number !== undefined && v.trim() !== '' && Number(v) === cell.number)));
			return r.op === 'equals' ? hit : !hit;
		}
		case 'start_date':
		case 'end_date':
		case 'from_start_date':
		case 'from_end_date':
		case 'to_start_date':
		case 'to_end_date': {
			if (cell.empty) return false;
			const at = r.op.startsWith('to_') ? cell.strings[1] : cell.strings[0];
			const bound = r.operand as string;
			return r.op.endsWith('start_date') ? at >= bound : at <= bound;
		}
		default: {
			if (cell.empty) return false;
			const left: number | string = typeof r.operand === 'number' ? (cell.number ?? NaN) : cell.strings[0];
			const right = r.operand as number | string;
			if (typeof left === 'number' && Number.isNaN(left)) return false;
			if (r.op === 'greater_than') return left > right;
			if (r.op === 'greater_than_or_equal') return left >= right;
			if (r.op === 'less_than') return left < right;
			return left <= right;
		}
	}
}

export function registerCrmRoutes(app: FastifyInstance, { store, webhooks }: RouteDeps): void {
	app.get('/api/crm/boards', async () => ({ message: 'success', data: store.boards.all().map((b) => boardSummary(store, b)) }));

	app.get('/api/crm/boards/:id', { schema: { params: paramsSchema('id') } }, async (req) => {
		const board = getBoard(store, (req.params as { id: string }).id);
		return {
			message: 'success',
			data: { ...boardSummary(store, board), crm_columns: board.crm_columns.map((c) => wireCrmColumn(store, board, c)), crm_groups: board.crm_groups },
		};
	});

	app.get('/api/crm/boards/:boardId/columns/:columnId', { schema: { params: paramsSchema('boardId', 'columnId') } }, async (req) => {
		const { boardId, columnId } = req.params as { boardId: string; columnId: string };
		const board = getBoard(store, boardId);
		const col = board.crm_columns.find((c) => c.id === columnId);
		if (!col) throw notFound(`Column ${columnId} not found on board ${boardId}`);
		return { message: 'success', data: wireCrmColumn(store, board, col) };
	});

	app.post('/api/crm/boards/:boardId/columns/by-name', { schema: { params: paramsSchema('boardId'), body: byNameSchema } }, async (req) => {
		const { boardId } = req.params as { boardId: string };
		const { name } = req.body as { name: string };
		const board = getBoard(store, boardId);
		// Exact, case-sensitive match, as documented for lookups by name.
		const col = board.crm_columns.find((c) => c.name === name);
		if (!col) throw notFound(`Column '${name}' not found on board '${board.name}'`);
		return { message: 'success', data: wireCrmColumn(store, board, col) };
	});

	app.get('/api/crm/boards/:boardId/items', { schema: { params: paramsSchema('boardId') } }, async (req) => {
		const board = getBoard(store, (req.params as { boardId: string }).boardId);
		return { message: 'success', data: store.itemsOfBoard(board.id).map((it) => wireCrmItem(board, it)) };
	});

	app.get('/api/crm/boards/:boardId/items/:id', { schema: { params: paramsSchema('boardId', 'id') } }, async (req) => {
		const { boardId, id } = req.params as { boardId: string; id: string };
		const board = getBoard(store, boardId);
		const item = store.crmItems.get(id);
		if (!item || item.board_id !== board.id) throw notFound(`Item ${id} not found on board ${boardId}`);
		return { message: 'success', data: wireCrmItem(board, item) };
	});

	app.post('/api/crm/boards/:boardId/items', { schema: { params: paramsSchema('boardId'), body: itemBodySchema(true) } }, async (req) => {
		const { boardId } = req.params as { boardId: string };
		const body = req.body as Record<string, unknown>;
		const board = getBoard(store, boardId);
		const ch = readItemBody(store, board, body, true);
		const group = ch.group ?? { id: board.crm_groups[0]?.id ?? '', name: board.crm_groups[0]?.name ?? '' };
		const values: Record<string, CrmValue> = {};
		for (const col of board.crm_columns) values[col.name] = ch.values[col.name] ?? null;
		const now = store.nowIso();
		const item: CrmItem = {
			id: store.newId(),
			board_id: board.id,
			item_name: ch.item_name as string,
			group_id: group.id,
			group,
			values,
			contact_id: ch.contact_id ?? null,
			conversation_id: ch.conversation_id ?? null,
			created_at: now,
			updated_at: now,
		};
		store.crmItems.add(item);
		store.touch();
		webhooks?.emit('crm_item.created', item);
		// The create answer's shape is not evidenced: the flat item, as GET serves it.
		return { message: 'success', data: wireCrmItem(board, item) };
	});

	app.put(
		'/api/crm/boards/:boardId/items/:itemId',
		{ schema: { params: paramsSchema('boardId', 'itemId'), body: itemBodySchema(false) } },
		async (req) => {
			const { boardId, itemId } = req.params as { boardId: string; itemId: string };
			const body = req.body as Record<string, unknown>;
			const board = getBoard(store, boardId);
			const item = store.crmItems.get(itemId);
			if (!item || item.board_id !== board.id) throw notFound(`Item ${itemId} not found on board ${boardId}`);
			const ch = readItemBody(store, board, body, false);
			if (ch.item_name !== undefined) item.item_name = ch.item_name;
			if (ch.group) {
				item.group_id = ch.group.id;
				item.group = ch.group;
			}
			if (ch.contact_id !== undefined) item.contact_id = ch.contact_id;
			if (ch.conversation_id !== undefined) item.conversation_id = ch.conversation_id;
			Object.assign(item.values, ch.values);
			let next = store.nowIso();
			if (next <= item.updated_at) next = new Date(Date.parse(item.updated_at) + 1).toISOString();
			item.updated_at = next;
			store.crmItems.changed();
			store.touch();
			if (webhooks) {
				webhooks.emit('crm_item.updated', item);
				for (const [column, value] of Object.entries(ch.values)) {
					webhooks.emit(value === null ? 'crm_value.deleted' : 'crm_value.upserted', { board_id: board.id, item_id: item.id, column_name: column, value });
				}
			}
			// The update answer's shape is not evidenced: the flat item, as GET serves it.
			return { message: 'success', data: wireCrmItem(board, item) };
		},
	);

	app.delete('/api/crm/boards/:boardId/items', { schema: { params: paramsSchema('boardId'), body: deleteBodySchema } }, async (req) => {
		const { boardId } = req.params as { boardId: string };
		const { item_ids } = req.body as { item_ids: string[] };
		const board = getBoard(store, boardId);
		const ids = [...new Set(item_ids)];
		// All or nothing: one unknown id rejects the whole request.
		const unknown = ids.find((id) => store.crmItems.get(id)?.board_id !== board.id);
		if (unknown !== undefined) throw notFound(`Item ${unknown} not found on board ${boardId}; nothing was deleted`);
		const deleted = webhooks ? ids.map((id) => store.crmItems.get(id)) : [];
		store.crmItems.removeIds(new Set(ids));
		store.touch();
		for (const item of deleted) if (item) webhooks?.emit('crm_item.deleted', item);
		return { message: 'success', data: { deleted_ids: ids, count: ids.length } };
	});

	app.post('/api/crm/boards/:boardId/items/search', { schema: { params: paramsSchema('boardId'), body: searchBodySchema } }, async (req) => {
		const { boardId } = req.params as { boardId: string };
		const body = req.body as { condition?: string; search?: Array<{ column_name: string; operator: string; value?: unknown }> };
		const board = getBoard(store, boardId);
		const condition = (body.condition ?? 'AND').toUpperCase();
		if (condition !== 'AND' && condition !== 'OR') throw badRequest('condition', `condition must be AND or OR (got '${body.condition}')`);
		const rules = readRules(board, body.search ?? []);
		const items = store.itemsOfBoard(board.id);
		const data =
			rules.length === 0
				? items
				: items.filter((it) => (condition === 'AND' ? rules.every((r) => matches(store, it, r)) : rules.some((r) => matches(store, it, r))));
		return { message: 'success', data: data.map((it) => wireCrmItem(board, it)) };
	});
}

