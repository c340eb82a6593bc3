/**
 * Switchable answer shapes where the public evidence conflicts (docs/cekat-api.md, "conflict" entries).
 * The default is the best-evidenced shape; tests and a real n8n switch to the others to prove a client copes:
 *   startSandbox({ variant: { paymentStatusCase: 'upper' } }),
 *   CEKAT_SANDBOX_VARIANT='orderUpdatedAt,paymentStatusCase=upper,pageMetadata=total_data,conversations=v1,hosts=split,subscriptions=business_webhooks',
 *   POST /__sandbox/variant { "pageMetadata": "total_data" }  (answers the whole current variant).
 */

export interface SandboxVariant {
	/** Order LIST rows carry `updated_at` (BOP's field table has none, so the default leaves it out). */
	orderUpdatedAt: boolean;
	/** Casing of `payment_status` in order answers: 'lower' (BOP lists, default) or 'upper' (PENDING/PAID, as webhook events). */
	paymentStatusCase: 'lower' | 'upper';
	/** Page metadata of page-family lists: `{ total_items, … }` (default) or BOP's `{ total_data, total_page, current_page }`. */
	pageMetadata: 'total_items' | 'total_data';
	/** GET /api/conversations: 'v2' cursor only (INV, default) or 'v1' page/limit with page totals. */
	conversations: 'v2' | 'v1';
	/** 'single': every route on one host (seeds, PM, BOP). 'split': also a "server.cekat.ai" host (OFF's routing). Start-time only. */
	hosts: 'single' | 'split';
	/**
	 * Webhook subscription API: 'workflows' = OFF's /business_workflows/webhooks/* (Cekat's production node, default),
	 * 'business_webhooks' = REF's POST /business_webhooks. The other variant's routes answer 404.
	 */
	subscriptions: 'workflows' | 'business_webhooks';
}

export const DEFAULT_VARIANT: Readonly<SandboxVariant> = Object.freeze({
	orderUpdatedAt: false,
	paymentStatusCase: 'lower',
	pageMetadata: 'total_items',
	conversations: 'v2',
	hosts: 'single',
	subscriptions: 'workflows',
});

const CHOICES: { [K in keyof SandboxVariant]: ReadonlyArray<SandboxVariant[K]> } = {
	orderUpdatedAt: [false, true],
	paymentStatusCase: ['lower', 'upper'],
	pageMetadata: ['total_items', 'total_data'],
	conversations: ['v2', 'v1'],
	hosts: ['single', 'split'],
	subscriptions: ['workflows', 'business_webhooks'],
};

export class VariantError extends Error {}

/** Checks a partial variant (object form); throws VariantError naming the bad key. */
export function validateVariant(raw: unknown): Partial<SandboxVariant> {
	if (raw === undefined || raw === null) return {};
	if (typeof raw !== 'object' || Array.isArray(raw)) throw new VariantError('variant must be an object');
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
		if (!Object.prototype.hasOwnProperty.call(CHOICES, key)) {
			throw new VariantError(`unknown variant '${key}' (known: ${Object.keys(CHOICES).join(', ')})`);
		}
		const allowed = CHOICES[key as keyof SandboxVariant] as readonly unknown[];
		if (!allowed.includes(value)) throw new VariantError(`variant ${key} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')} (got ${JSON.stringify(value)})`);
		out[key] = value;
	}
	return out as Partial<SandboxVariant>;
}

/** 'orderUpdatedAt,paymentStatusCase=upper' → { orderUpdatedAt: true, paymentStatusCase: 'upper' }. A bare name means true. */
export function parseVariant(text: string | undefined): Partial<SandboxVariant> {
	if (!text || text.trim() === '') return {};
	const obj: Record<string, unknown> = {};
	for (const part of text.split(',')) {
		const p = part.trim();
		if (p === '') continue;
		const eq = p.indexOf('=');
		const key = eq < 0 ? p : p.slice(0, eq).trim();
		const value = eq < 0 ? 'true' : p.slice(eq + 1).trim();
		obj[key] = value === 'true' ? true : value === 'false' ? false : value;
	}
	return validateVariant(obj);
}

export function resolveVariant(...parts: Array<Partial<SandboxVariant> | undefined>): SandboxVariant {
	return Object.assign({}, DEFAULT_VARIANT, ...parts.map((p) => validateVariant(p))) as SandboxVariant;
}
