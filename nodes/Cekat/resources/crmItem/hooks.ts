import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	ResourceMapperField,
	ResourceMapperValue,
} from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';

import { AGENT_OPTION } from '../../shared/constants';
import { toJakartaDate } from '../../shared/dates';
import { asText, checkCekatId, fieldError, shown } from '../../shared/hooks';

const RESERVED = new Set(['item_name', 'group_id']);

function parseValue(value: unknown): unknown {
	// An agents column takes a list; a text field holding a JSON array gives one.
	if (typeof value === 'string' && value.trim().startsWith('[')) {
		try {
			return jsonParse(value);
		} catch {
			return value;
		}
	}
	return value;
}

function coerce(ctx: IExecuteSingleFunctions, column: string, raw: unknown, field: ResourceMapperField | undefined): unknown {
	const label = `Column "${column}"`;
	const options = field?.options ?? [];
	if (field?.type === 'number') {
		const number = typeof raw === 'number' ? raw : Number(String(raw).trim().replace(/,/g, ''));
		if (!Number.isFinite(number)) throw fieldError(ctx, label, `${shown(raw)} is not a number`);
		return number;
	}
	if (field?.type === 'dateTime') {
		const date = toJakartaDate(raw);
		if (!date) throw fieldError(ctx, label, `${shown(raw)} is not a date`, 'Use YYYY-MM-DD, or a date from an earlier node.');
		return date;
	}
	if (field?.type === 'options' && options.length && options.every((o) => o.description === AGENT_OPTION)) {
		// Cekat takes an agents column as a list of agent ids; a name is accepted too.
		const wanted = Array.isArray(raw) ? raw : String(raw).split(',');
		return wanted.map((entry) => {
			const text = asText(ctx, label, entry);
			const option = options.find((o) => o.value === text || o.name.toLowerCase() === text.toLowerCase());
			if (!option) throw fieldError(ctx, label, `"${text}" is not an agent of this workspace`);
			return option.value;
		});
	}
	if (field?.type === 'options' && options.length) {
		const text = asText(ctx, label, raw);
		const option = options.find((o) => String(o.value).toLowerCase() === text.toLowerCase());
		if (!option) {
			throw fieldError(ctx, label, `"${text}" is not one of its labels`, `Allowed: ${options.map((o) => o.name).join(', ')}`);
		}
		return option.value;
	}
	if (field?.type === 'string' && (typeof raw === 'number' || typeof raw === 'boolean')) return String(raw);
	return parseValue(raw);
}

/**
 * preSend of CRM item Create and Update: Cekat takes column values keyed by the column's name,
 * beside item_name and group_id. Values come from the column mapper (typed by the board's column
 * types) and/or a JSON object for dynamic column sets.
 */
export async function buildItemValues(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = (requestOptions.body ?? {}) as IDataObject;
	const seen = new Set<string>();
	const mapper = this.getNodeParameter('columns', null) as ResourceMapperValue | null;
	const schema = mapper?.schema ?? [];
	if (mapper) {
		let values: IDataObject = {};
		if (mapper.mappingMode === 'autoMapInputData') {
			// Map each input field whose name is a column of the board.
			const input = this.getInputData().json;
			for (const field of schema) {
				if (field.display !== false && !field.removed && input[field.id] !== undefined) values[field.id] = input[field.id];
			}
		} else {
			values = (mapper.value ?? {}) as IDataObject;
		}
		for (const [column, raw] of Object.entries(values)) {
			if (raw === undefined || raw === null || raw === '') continue;
			if (RESERVED.has(column)) throw fieldError(this, `Column "${column}"`, 'is not a column; use the Item Name or Group ID field');
			body[column] = coerce(this, column, raw, schema.find((field) => field.id === column)) as IDataObject[string];
			seen.add(column);
		}
	}

	const rawJson = this.getNodeParameter('valuesJson', '') as unknown;
	if (rawJson !== '' && rawJson !== undefined && rawJson !== null) {
		let values: unknown = rawJson;
		if (typeof rawJson === 'string') {
			try {
				values = jsonParse(rawJson);
			} catch {
				throw fieldError(this, 'Column Values (JSON)', 'is not valid JSON');
			}
		}
		if (typeof values !== 'object' || values === null || Array.isArray(values)) {
			throw fieldError(this, 'Column Values (JSON)', 'must be an object keyed by column name, e.g. {"Stage": "Won"}');
		}
		for (const [column, value] of Object.entries(values as IDataObject)) {
			if (RESERVED.has(column)) throw fieldError(this, 'Column Values (JSON)', `"${column}" is not a column; use the Item Name or Group ID field`);
			if (seen.has(column)) throw fieldError(this, 'Column Values (JSON)', `the column "${column}" is also set in Columns`);
			seen.add(column);
			body[column] = value;
		}
	}

	if (this.getNodeParameter('operation', '') === 'create') {
		const missing = schema.filter((field) => field.required && !seen.has(field.id)).map((field) => field.id);
		if (missing.length) throw fieldError(this, 'Columns', `the board requires ${missing.map((m) => `"${m}"`).join(', ')}`);
	}
	requestOptions.body = body;
	return requestOptions;
}

/** preSend of CRM item Delete: one id, a comma-separated list, or a list from an expression. */
export async function buildItemIds(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const raw = this.getNodeParameter('itemIds', '') as unknown;
	const list = Array.isArray(raw) ? raw : asText(this, 'Item IDs', raw).split(',');
	const ids = list.map((id) => asText(this, 'Item IDs', id)).filter((id) => id !== '');
	if (ids.length === 0) throw fieldError(this, 'Item IDs', 'is required');
	ids.forEach((id) => checkCekatId(this, 'Item IDs', id));
	const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
	if (duplicate) throw fieldError(this, 'Item IDs', `${shown(duplicate)} is listed twice`);
	requestOptions.body = { item_ids: ids };
	return requestOptions;
}

const NO_VALUE_OPERATORS = new Set(['is_empty', 'is_not_empty']);

/** preSend of CRM item Search: builds `{ condition, search: [{ column_name, operator, value[] }] }`. */
export async function buildSearch(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const condition = this.getNodeParameter('condition', 'AND') as string;
	const rules = this.getNodeParameter('rules.rule', []) as Array<{ column?: string; operator?: string; value?: unknown }>;
	if (rules.length === 0) throw fieldError(this, 'Rules', 'add at least one rule');
	const search = rules.map((rule, index) => {
		const column = asText(this, `Rules #${index + 1} Column`, rule.column);
		if (!column) throw fieldError(this, `Rules #${index + 1}`, 'the column name is empty');
		const operator = String(rule.operator ?? 'equals');
		let value: unknown[] = [];
		if (!NO_VALUE_OPERATORS.has(operator)) {
			value = Array.isArray(rule.value) ? rule.value : [rule.value];
			value = value.map((v) => asText(this, `Rules #${index + 1} Value`, v)).filter((v) => v !== '');
			if (value.length === 0) throw fieldError(this, `Rules #${index + 1}`, `a value is required for "${operator}"`);
		}
		return { column_name: column, operator, value };
	});
	requestOptions.body = { condition, search };
	return requestOptions;
}
