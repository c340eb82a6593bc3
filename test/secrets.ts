/**
 * Where an API key could leak: anything reachable from a value, including the non-enumerable
 * properties of errors (cause, config, request headers) that a plain JSON.stringify skips.
 */
export function findSecret(value: unknown, secret: string, path = '$', seen = new WeakSet<object>()): string | undefined {
	if (typeof value === 'string') return value.includes(secret) ? path : undefined;
	if (typeof value !== 'object' || value === null) return undefined;
	if (seen.has(value)) return undefined;
	seen.add(value);
	if (Buffer.isBuffer(value)) return value.includes(secret) ? path : undefined;
	const keys = new Set<string>([...Object.getOwnPropertyNames(value), ...Object.keys(value)]);
	for (const key of keys) {
		let child: unknown;
		try {
			child = (value as Record<string, unknown>)[key];
		} catch {
			continue;
		}
		if (typeof child === 'function') continue;
		if (key.includes(secret)) return `${path}.${key}`;
		const found = findSecret(child, secret, `${path}.${key}`, seen);
		if (found) return found;
	}
	return undefined;
}
