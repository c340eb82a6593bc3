import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';

import { fieldError } from '../../shared/hooks';

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

/**
 * preSend of CRM item Create and Update: Cekat takes column values keyed by the column's name,
 * beside item_name and group_id. Values come from the Column Values pairs and/or a JSON object.
 */
export async function buildItemValues(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = (requestOptions.body ?? {}) as IDataObject;
	const pairs = this.getNodeParameter('columnValues.values', []) as Array<{ column?: string; value?: unknown }>;
	const seen = new Set<string>();
	pairs.forEach((pair, index) => {
		const column = typeof pair.column === 'string' ? pair.column.trim() : '';
		if (!column) throw fieldError(this, `Column Values #${index + 1}`, 'the column name is empty');
		if (RESERVED.has(column)) {
			throw fieldError(this, `Column Values #${index + 1}`, `"${column}" is not a column; use the Item Name or Group ID field`);
		}
		if (seen.has(column)) throw fieldError(this, `Column Values #${index + 1}`, `the column "${column}" is set twice`);
		seen.add(column);
		body[column] = parseValue(pair.value) as IDataObject[string];
	});

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
			if (seen.has(column)) throw fieldError(this, 'Column Values (JSON)', `the column "${column}" is also set in Column Values`);
			seen.add(column);
			body[column] = value;
		}
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
	const list = Array.isArray(raw) ? raw : String(raw ?? '').split(',');
	const ids = list.map((id) => String(id ?? '').trim()).filter((id) => id !== '');
	if (ids.length === 0) throw fieldError(this, 'Item IDs', 'is required');
	const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
	if (duplicate) throw fieldError(this, 'Item IDs', `"${duplicate}" is listed twice`);
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
		const column = typeof rule.column === 'string' ? rule.column.trim() : '';
		if (!column) throw fieldError(this, `Rules #${index + 1}`, 'the column name is empty');
		const operator = String(rule.operator ?? 'equals');
		let value: unknown[] = [];
		if (!NO_VALUE_OPERATORS.has(operator)) {
			value = Array.isArray(rule.value) ? rule.value : [rule.value];
			value = value.filter((v) => v !== undefined && v !== null && String(v) !== '').map((v) => String(v));
			if (value.length === 0) throw fieldError(this, `Rules #${index + 1}`, `a value is required for "${operator}"`);
		}
		return { column_name: column, operator, value };
	});
	requestOptions.body = { condition, search };
	return requestOptions;
}
