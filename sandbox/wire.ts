/**
 * Wire shapes: the store keeps one internal model (ISO-Z timestamps that sort as strings, `contact_name`,
 * CRM items keyed by `id` with a `values` map); routes serve it through these functions, in the shapes the
 * evidence shows (docs/cekat-api.md). webhooks.ts and other readers may use them too.
 */
import type { Store } from './store';
import type { Contact, Conversation, CrmBoard, CrmColumn, CrmItem, Message, Order } from './types';
import type { SandboxVariant } from './variant';

const HOUR = 3_600_000;

// --- timestamps ------------------------------------------------------------------------------------------
// Internal timestamps are Date#toISOString() forms: 'YYYY-MM-DDTHH:mm:ss.sssZ'.

/** DB rows (conversations, contacts, orders): microseconds and '+00:00', e.g. '2026-04-10T08:24:50.209742+00:00' (PM). */
export function dbTs(iso: string): string;
export function dbTs(iso: string | null): string | null;
export function dbTs(iso: string | null): string | null {
	// The store has millisecond precision; the last three digits of the microseconds are always 000.
	return iso === null ? null : `${iso.slice(0, 23)}000+00:00`;
}

/** Milliseconds and '+00:00', as `last_message.created_at` of the saved PM conversation ('2026-04-14T07:32:31.454+00:00'). */
export function msTs(iso: string): string {
	return `${iso.slice(0, 23)}+00:00`;
}

/** Message `created_at`: Jakarta wall time without a zone, '2026-04-10 16:24:23' (BOP). */
export function jakartaWall(iso: string): string {
	const s = new Date(Date.parse(iso) + 7 * HOUR).toISOString();
	return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
}

/** Conversation `cursor_ts`: UTC without a zone, with milliseconds, '2026-04-14 07:32:31.454' (INV/BOP). */
export function zonelessUtc(iso: string): string {
	return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/**
 * Epoch ms of any form the sandbox hands out: ISO with Z or an offset (any fraction length), the zoneless
 * cursor form (read as UTC), or epoch milliseconds. NaN when unreadable.
 */
export function parseCekatTs(raw: string): number {
	const s = raw.trim();
	if (/^\d+$/.test(s)) return Number(s);
	const zoneless = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?$/.exec(s);
	if (zoneless) return Date.parse(`${zoneless[1]}T${zoneless[2]}${(zoneless[3] ?? '').slice(0, 4)}Z`);
	// Date.parse reads up to milliseconds; longer fractions are cut first so every engine agrees.
	return Date.parse(s.replace(/(\.\d{3})\d+/, '$1'));
}

// --- contacts, conversations, messages --------------------------------------------------------------------

/** Contacts are named by `display_name` (OFF, PM). */
export function wireContact(c: Contact) {
	return {
		id: c.id,
		display_name: c.contact_name,
		phone_number: c.phone_number,
		email: c.email,
		platform: c.platform,
		inboxes: c.inboxes,
		additional_data: c.additional_data,
		created_at: dbTs(c.created_at),
	};
}

/** Conversations keep `contact_name` (the saved PM conversation answer has it). */
export function wireConversation(store: Store, c: Conversation) {
	const first = store.messagesOf(c.id)[0];
	return {
		id: c.id,
		inbox_id: c.inbox_id,
		inbox_name: c.inbox_name,
		contact_id: c.contact_id,
		contact_name: c.contact_name,
		contact_phone: c.contact_phone,
		stage_status: c.stage_status,
		labels: c.labels,
		pipeline: c.pipeline,
		handled_by_id: c.handled_by_id,
		handled_by_name: c.handled_by_name,
		collaborators: c.collaborators,
		resolved_by_id: c.resolved_by_id,
		resolved_by_name: c.resolved_by_name,
		first_message: { message: first ? first.message : '' },
		last_message: c.last_message
			? { message: c.last_message.message, created_at: msTs(c.last_message.created_at), ...(c.last_message.sent_by_type ? { sent_by_type: c.last_message.sent_by_type } : {}) }
			: null,
		created_at: dbTs(c.created_at),
		resolved_at: dbTs(c.resolved_at),
		platform_type: c.platform_type,
		notes: c.notes,
		additional_data: c.additional_data,
		assigned_ai_agent: c.assigned_ai_agent,
		keep_assigned_ai_agent_on_resolve: c.keep_assigned_ai_agent_on_resolve,
		// Set by /business_workflows/block-ai | unblock-ai; field name not evidenced (docs/cekat-api.md).
		ai_blocked: c.ai_blocked === true,
	};
}

export function wireMessage(m: Message) {
	return {
		...m,
		created_at: jakartaWall(m.created_at),
		contact: { id: m.contact.id, display_name: m.contact.contact_name, phone_number: m.contact.phone_number },
	};
}

// --- orders ---------------------------------------------------------------------------------------------

/** payment_type is named by OFF/PM but its values are not shown: this mapping is an assumption. */
const PAYMENT_TYPES: Record<Order['payment_method'], string> = { manual: 'bank_transfer', xendit: 'payment_gateway', custom: 'custom' };

export interface OrderWireOptions {
	/** List rows: `updated_at` only with the orderUpdatedAt variant. */
	list?: boolean;
}

export function wireOrder(o: Order, variant: Pick<SandboxVariant, 'orderUpdatedAt' | 'paymentStatusCase'>, opts: OrderWireOptions = {}) {
	const payment = variant.paymentStatusCase === 'upper' ? o.payment_status.toUpperCase() : o.payment_status;
	const out: Record<string, unknown> = {
		id: o.id,
		order_number: o.order_number,
		order_status: o.order_status,
		payment_status: payment,
		payment_method: o.payment_method,
		payment_type: PAYMENT_TYPES[o.payment_method],
		bank_account_number: o.bank_account_number,
		subtotal: o.subtotal,
		discount: o.discount,
		shipping_fee: o.shipping_fee,
		vat: o.vat,
		grand_total: o.grand_total,
		contact_id: o.contact_id,
		contact: { id: o.contact.id, display_name: o.contact.contact_name, phone_number: o.contact.phone_number },
		conversation_id: o.conversation_id,
		inbox_id: o.inbox_id,
		orders_products: o.orders_products,
		// Named by OFF/PM, shape not shown: one invoice per order, derived from the order (an assumption).
		invoices: [
			{
				invoice_number: `INV-${o.order_number}`,
				amount: o.grand_total,
				payment_status: payment,
				invoice_url: o.custom_invoice_url,
				is_sent: o.invoice_is_sent,
				created_at: dbTs(o.created_at),
			},
		],
		notes: o.notes,
		address: o.address,
		email: o.email,
		custom_invoice_url: o.custom_invoice_url,
		invoice_is_sent: o.invoice_is_sent,
		created_at: dbTs(o.created_at),
	};
	if (!opts.list || variant.orderUpdatedAt) out.updated_at = dbTs(o.updated_at);
	return out;
}

// --- CRM --------------------------------------------------------------------------------------------------

/**
 * Flat item (PM item description; OFF reads `item.item_id || item.id`): no `id`, no `created_at`, no nested
 * `values`/`group`. Every column of the board is present, hidden ones too (whether the real API serves hidden
 * columns is not shown).
 */
export function wireCrmItem(board: CrmBoard, item: CrmItem): Record<string, unknown> {
	const out: Record<string, unknown> = { item_id: item.id, item_name: item.item_name, group_id: item.group_id, group_name: item.group.name };
	for (const col of board.crm_columns) {
		const v = item.values[col.name];
		out[col.name] = v === undefined ? null : v;
	}
	return out;
}

/** How many items of the board use each label of each select/dropdown column; cached until items change. */
function labelCounts(store: Store, board: CrmBoard): Map<string, Map<string, number>> {
	return store.crmItems.memo(`label-counts:${board.id}`, () => {
		const counts = new Map<string, Map<string, number>>();
		const cols = board.crm_columns.filter((c) => c.type === 'select' || c.type === 'dropdown');
		for (const c of cols) counts.set(c.name, new Map());
		for (const item of store.itemsOfBoard(board.id)) {
			for (const c of cols) {
				const v = item.values[c.name];
				const ids = typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
				const m = counts.get(c.name) as Map<string, number>;
				for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1);
			}
		}
		return counts;
	});
}

/** A column with `settings.labels[]` as `{ id, name, color, count }` (count = items using the label). */
export function wireCrmColumn(store: Store, board: CrmBoard, col: CrmColumn): CrmColumn {
	if (!col.settings.labels) return col;
	const m = labelCounts(store, board).get(col.name);
	return { ...col, settings: { ...col.settings, labels: col.settings.labels.map((l) => ({ ...l, count: m?.get(l.id) ?? 0 })) } };
}
