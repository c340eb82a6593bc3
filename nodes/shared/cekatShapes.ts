/**
 * Cekat's real record shapes, read in one place by the node, its pickers and the trigger.
 * Facts and sources: docs/cekat-api.md (the API notes, plus what the code relies on).
 */
import type { IDataObject } from 'n8n-workflow';

export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A CRM item's id: real rows carry `item_id` and no `id` (docs/cekat-api.md, CRM). */
export function crmItemId(row: IDataObject): string | undefined {
	const id = row.item_id ?? row.id;
	return id === undefined || id === null || id === '' ? undefined : String(id);
}

/**
 * A CRM item as the node outputs it: Cekat's row unchanged, plus `id` (from `item_id`) first, so
 * `{{ $json.id }}` works downstream as on every other Cekat record.
 */
export function withItemId(row: IDataObject): IDataObject {
	if (row.id !== undefined && row.id !== null) return row;
	const id = crmItemId(row);
	return id === undefined ? row : { id, ...row };
}

/** Jakarta is UTC+7 with no daylight saving. */
const JAKARTA_OFFSET = '+07:00';
const ZONELESS = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
const SHORT_ZONE = /([+-]\d{2})$/;

/**
 * Milliseconds since the epoch of a Cekat timestamp, or undefined. Cekat writes three forms
 * (docs/cekat-api.md, Messages): ISO with a zone (`2026-04-10T08:24:50.209742+00:00`), database
 * rows with a short zone (`2024-02-29 04:52:40.916283+00`), and Jakarta wall time with no zone
 * (`2026-04-10 16:24:23`). Epoch seconds or milliseconds (webhook `timestamp`) are read too.
 */
export function cekatTimeMs(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
	if (typeof value !== 'string') return undefined;
	let text = value.trim();
	if (text === '') return undefined;
	const zoneless = ZONELESS.exec(text);
	if (zoneless) text = `${zoneless[1]}T${zoneless[2]}${JAKARTA_OFFSET}`;
	else {
		text = text.replace(' ', 'T');
		if (SHORT_ZONE.test(text) && !/[+-]\d{2}:\d{2}$/.test(text)) text = `${text}:00`;
	}
	// Date.parse reads at most milliseconds: drop further fraction digits (microseconds).
	text = text.replace(/(\.\d{3})\d+/, '$1');
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? undefined : ms;
}

/** Status values differ in case between sources (`PAID` in webhooks, `paid` in lists): compare without it. */
export function sameStatus(a: unknown, b: unknown): boolean {
	return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}
