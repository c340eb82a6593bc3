/**
 * Normalises a WhatsApp number the way Cekat expects it: digits only, country code, no "+".
 * `+62 812-3456-7890` and `0812 3456 7890` both become `6281234567890` (a leading 0 is Indonesian).
 * Returns undefined when the result is not 8–15 digits.
 */
export function normalizePhone(value: unknown): string | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	let text = String(value).trim();
	if (!/^[+\d\s\-().]+$/.test(text)) return undefined;
	text = text.replace(/[\s\-().]/g, '');
	if (text.startsWith('+')) text = text.slice(1);
	else if (text.startsWith('00')) text = text.slice(2);
	else if (text.startsWith('0')) text = `62${text.slice(1)}`;
	return /^\d{8,15}$/.test(text) ? text : undefined;
}
