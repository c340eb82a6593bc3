/**
 * CRM Item Create and Update: column values from the mapper and/or JSON, checked and turned into
 * what Cekat stores for each column type (docs/cekat-api.md, CRM).
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	ResourceMapperField,
	ResourceMapperValue,
} from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';

import { isObject } from '../../../shared/cekatShapes';
import { toJakartaDate } from '../../shared/dates';
import { asText, checkCekatId, decimalNumber, fieldError, isCekatId, jakartaDate, requiredId, shown } from '../../shared/validation';
import {
	findLabel,
	labelList,
	labelsOf,
	loadAgents,
	loadBoard,
	splitEntries,
	type CrmColumn,
	type CrmLabel,
} from './board';

const RESERVED = new Set(['item_name', 'group_id']);

function parseValue(value: unknown): unknown {
	// A text field holding a JSON list or object gives one (e.g. a references column).
	if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
		try {
			return jsonParse(value);
		} catch {
			return value;
		}
	}
	return value;
}

/**
 * The options a multi-valued or single input names: a whole text that is one option stays whole
 * (a label name may hold a comma), else a list or comma-separated text.
 */
function pickEntries<T>(raw: unknown, find: (text: string) => T | undefined): unknown[] {
	if (typeof raw === 'string' && find(raw) !== undefined) return [raw];
	return splitEntries(raw);
}

/** "2026-01-01 to 2026-01-31", "2026-01-01/2026-01-31", { from, to } or [from, to] → { from, to }. */
function toTimeline(ctx: IExecuteSingleFunctions, label: string, raw: unknown): { from: string; to: string } {
	let from: unknown;
	let to: unknown;
	const parsed = parseValue(raw);
	if (isObject(parsed)) ({ from, to } = parsed);
	else if (Array.isArray(parsed) && parsed.length === 2) [from, to] = parsed;
	else if (typeof parsed === 'string') {
		const parts = parsed.trim().split(/\s+(?:to|until|sampai|s\/d|-|–|—)\s+|\s*\/\s*(?=\d{4}-)/i);
		if (parts.length === 2) [from, to] = parts;
	}
	const hint = 'Use "YYYY-MM-DD to YYYY-MM-DD", or an object { "from": …, "to": … } from an expression.';
	if (from === undefined || to === undefined) throw fieldError(ctx, label, `${shown(raw)} is not a from – to pair of dates`, hint);
	const fromDate = toJakartaDate(from);
	const toDate = toJakartaDate(to);
	if (!fromDate) throw fieldError(ctx, label, `the start ${shown(from)} is not a date`, hint);
	if (!toDate) throw fieldError(ctx, label, `the end ${shown(to)} is not a date`, hint);
	if (fromDate > toDate) throw fieldError(ctx, label, `starts ${fromDate}, after its end ${toDate}`);
	return { from: fromDate, to: toDate };
}

function labelIds(ctx: IExecuteSingleFunctions, label: string, column: CrmColumn, raw: unknown): string[] {
	const labels = labelsOf(column);
	return pickEntries(raw, (t) => findLabel(labels, t)).map((entry) => {
		const text = asText(ctx, label, entry);
		const found = findLabel(labels, text);
		if (!found) throw unknownLabel(ctx, label, text, labels);
		return String(found.id);
	});
}

/** Names listed in an error, cut short on big lists (an agents column lists every agent). */
function listed(names: string[]): string {
	return names.length > 20 ? `${names.slice(0, 20).join(', ')}, … (${names.length} in all)` : names.join(', ');
}

function unknownLabel(ctx: IExecuteSingleFunctions, label: string, text: string, labels: Array<Pick<CrmLabel, 'name'>>, what = 'labels') {
	return fieldError(
		ctx,
		label,
		`"${text}" is not one of its ${what} (${listed(labels.map((l) => l.name))})`,
		'Use a name or an ID. If the board changed, reload the columns (Columns → refresh).',
	);
}

type AgentList = Array<{ id: string; name: string }>;

/**
 * A value as Cekat stores it for the column's type (docs/cekat-api.md, CRM): label ids for select
 * (one) and dropdown (several), agent ids, a { from, to } timeline, a Jakarta date.
 */
async function toCekatValue(
	ctx: IExecuteSingleFunctions,
	column: CrmColumn,
	raw: unknown,
	agents: () => Promise<AgentList>,
): Promise<unknown> {
	const label = `Column "${column.name}"`;
	switch (column.type) {
		case 'number':
			if (typeof raw !== 'number' && typeof raw !== 'string') throw fieldError(ctx, label, `${shown(raw)} is not a number`);
			return decimalNumber(ctx, label, raw);
		case 'date':
			return jakartaDate(ctx, label, raw);
		case 'select': {
			const ids = labelIds(ctx, label, column, raw);
			if (ids.length !== 1) throw fieldError(ctx, label, `takes one label, got ${shown(raw)}`, `Labels: ${labelList(labelsOf(column))}`);
			return ids[0];
		}
		case 'dropdown':
			return labelIds(ctx, label, column, raw);
		case 'agents': {
			const ids: string[] = [];
			for (const entry of splitEntries(raw)) {
				const text = asText(ctx, label, entry);
				if (isCekatId(text)) {
					ids.push(text);
					continue;
				}
				// A name: the workspace's agents are read only when one is typed.
				const agent = (await agents()).find((a) => a.name.trim().toLowerCase() === text.toLowerCase());
				if (!agent) throw fieldError(ctx, label, `"${text}" is not an agent of this workspace`);
				ids.push(agent.id);
			}
			return ids;
		}
		case 'timeline':
			return toTimeline(ctx, label, raw);
		case 'references':
			return splitEntries(parseValue(raw)).map((entry) => asText(ctx, label, entry));
		case 'text':
			if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
			return raw;
		default:
			// files, conversation and unknown types: passed on as given.
			return parseValue(raw);
	}
}

/**
 * Checks a mapped value against its mapper field before any request, so a typo stops the run
 * without touching Cekat. Options fields (labels, agents) must name one of the field's options by
 * name or value; the result is the options' values (label or agent ids).
 */
function precheck(ctx: IExecuteSingleFunctions, column: string, raw: unknown, field: ResourceMapperField | undefined): unknown {
	const label = `Column "${column}"`;
	if (field?.type === 'number') return decimalNumber(ctx, label, raw);
	if (field?.type === 'dateTime') return jakartaDate(ctx, label, raw);
	const options = field?.type === 'options' ? (field.options ?? []) : [];
	if (options.length === 0) return raw;
	const find = (text: string) => {
		const lower = text.trim().toLowerCase();
		return (
			options.find((o) => String(o.value) === text.trim()) ??
			options.find((o) => String(o.value).toLowerCase() === lower || o.name.trim().toLowerCase() === lower)
		);
	};
	const values = pickEntries(raw, find).map((entry) => {
		const text = asText(ctx, label, entry);
		const option = find(text);
		if (!option) throw unknownLabel(ctx, label, text, options, 'options');
		return String(option.value);
	});
	// One entry stays one value: whether the column takes a list is read from the board.
	return Array.isArray(raw) || values.length > 1 ? values : values[0];
}

/** The Group picker's value (Create: Additional Fields, Update: Update Fields). */
function groupId(ctx: IExecuteSingleFunctions): string | undefined {
	const holder = ctx.getNodeParameter('operation', '') === 'create' ? 'additionalFields' : 'updateFields';
	const raw = ctx.getNodeParameter(`${holder}.group`, '', { extractValue: true }) as unknown;
	// Group ids are UUIDs (PM: group_id "string (UUID)").
	return asText(ctx, 'Group', raw) === '' ? undefined : checkCekatId(ctx, 'Group', raw);
}

/**
 * preSend of CRM item Create and Update: Cekat takes column values keyed by the column's name,
 * beside item_name and group_id. Values come from the column mapper and/or a JSON object.
 *
 * Mapped values are first checked against the mapper's fields (no request: a typo stops the run
 * before Cekat is touched). Then the board is read (once per execution) and every value, mapped
 * or JSON, is turned into what Cekat stores by the column's type ON THE BOARD: the mapper's saved
 * field list is a snapshot in the workflow and cannot tell a select from an agents column, and JSON
 * values have no field list at all.
 */
export async function buildItemValues(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = (requestOptions.body ?? {}) as IDataObject;
	const values = new Map<string, unknown>();
	const mapper = this.getNodeParameter('columns', null) as ResourceMapperValue | null;
	const schema = mapper?.schema ?? [];
	if (mapper) {
		let mapped: IDataObject = {};
		if (mapper.mappingMode === 'autoMapInputData') {
			// Map each input field whose name is a column of the board.
			const input = this.getInputData().json;
			for (const field of schema) {
				if (field.display !== false && !field.removed && input[field.id] !== undefined) mapped[field.id] = input[field.id];
			}
		} else {
			mapped = (mapper.value ?? {}) as IDataObject;
		}
		for (const [column, raw] of Object.entries(mapped)) {
			if (raw === undefined || raw === null || raw === '') continue;
			if (RESERVED.has(column)) throw fieldError(this, `Column "${column}"`, 'is not a column; use the Item Name or Group field');
			values.set(column, precheck(this, column, raw, schema.find((field) => field.id === column)));
		}
	}

	const rawJson = this.getNodeParameter('valuesJson', '') as unknown;
	if (rawJson !== '' && rawJson !== undefined && rawJson !== null) {
		let json: unknown = rawJson;
		if (typeof rawJson === 'string') {
			try {
				json = jsonParse(rawJson);
			} catch {
				throw fieldError(this, 'Column Values (JSON)', 'is not valid JSON');
			}
		}
		if (!isObject(json)) {
			throw fieldError(this, 'Column Values (JSON)', 'must be an object keyed by column name, e.g. {"Stage": "Won"}');
		}
		for (const [column, value] of Object.entries(json)) {
			if (RESERVED.has(column)) throw fieldError(this, 'Column Values (JSON)', `"${column}" is not a column; use the Item Name or Group field`);
			if (values.has(column)) throw fieldError(this, 'Column Values (JSON)', `the column "${column}" is also set in Columns`);
			values.set(column, value);
		}
	}

	if (this.getNodeParameter('operation', '') === 'create') {
		const missing = schema.filter((field) => field.required && !values.has(field.id)).map((field) => field.id);
		if (missing.length) throw fieldError(this, 'Columns', `the board requires ${missing.map((m) => `"${m}"`).join(', ')}`);
	}

	const group = groupId(this);
	if (group !== undefined) body.group_id = group;

	if (values.size > 0) {
		const board = await loadBoard(this, requiredId(this, 'boardId', 'Board'));
		let agents: Promise<AgentList> | undefined;
		const agentList = async () => await (agents ??= loadAgents(this));
		for (const [name, raw] of values) {
			const column = board.columns.find((c) => c.name === name);
			if (!column) {
				// Not on the board as read: sent as given, Cekat's answer names it (a 400 in the sandbox).
				body[name] = raw as IDataObject[string];
				continue;
			}
			if (column.read_only) throw fieldError(this, `Column "${name}"`, 'is read-only in Cekat');
			// JSON null clears a column.
			body[name] = (raw === null ? null : await toCekatValue(this, column, raw, agentList)) as IDataObject[string];
		}
	}
	requestOptions.body = body;
	return requestOptions;
}
