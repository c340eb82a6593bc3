import { JAKARTA_OFFSET_MINUTES } from './constants';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

function isRealDate(text: string): boolean {
	const match = DATE_ONLY.exec(text);
	if (!match) return false;
	const date = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
	return date.toISOString().slice(0, 10) === text;
}

function jakartaDate(epochMs: number): string {
	return new Date(epochMs + JAKARTA_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}

/**
 * Turns what a user or an earlier node gives (YYYY-MM-DD, an ISO date-time, a Luxon DateTime,
 * a JS Date) into the YYYY-MM-DD Jakarta-time date that Cekat filters expect.
 * Returns undefined when the value cannot be read as a date.
 */
export function toJakartaDate(value: unknown): string | undefined {
	if (value instanceof Date) return isNaN(value.getTime()) ? undefined : jakartaDate(value.getTime());
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return toJakartaDate((value as { toISO: () => string }).toISO());
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (DATE_ONLY.test(text)) return isRealDate(text) ? text : undefined;
	// A date-time without a zone (n8n's date picker) is taken as the calendar date it shows.
	const local = LOCAL_DATE_TIME.exec(text);
	if (local) return isRealDate(local[1]) ? local[1] : undefined;
	if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
	const epoch = Date.parse(text);
	return isNaN(epoch) ? undefined : jakartaDate(epoch);
}
