/**
 * Orders: list (page + limit, { message, data: { orders } }, no totals), get, create, update.
 * Errors use the "message" family: { message }.
 * Served through wire.ts: integer order_number, buyer `contact { id, display_name, phone_number }`,
 * payment_type, invoices[]; list rows without updated_at unless the orderUpdatedAt variant is on; payment
 * status lower case unless paymentStatusCase is 'upper'.
 */
import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../errors';
import type { Collection } from '../store';
import {
	type Contact,
	type Conversation,
	type Order,
	type OrderLine,
	ORDER_STATUSES,
	PAYMENT_METHODS,
	PAYMENT_STATUSES,
	type OrderStatus,
	type PaymentMethod,
	type PaymentStatus,
} from '../types';
import { DEFAULT_VARIANT } from '../variant';
import { wireConversation, wireOrder } from '../wire';
import { hasRange, inRange, isHttpUrl, listQuerySchema, PHONE_RE, type Query, readDateRange, readPaging, type RouteDeps, stringParam, paramsSchema } from './common';

const SORT_FIELDS = ['created_at', 'updated_at', 'grand_total', 'order_number'] as const;
type SortField = (typeof SORT_FIELDS)[number];

const amount = { type: 'integer', minimum: 0 } as const;
const createBodySchema = {
	type: 'object',
	required: ['orders_products', 'payment_method'],
	properties: {
		orders_products: {
			type: 'array',
			minItems: 1,
			items: {
				type: 'object',
				// PM sends only { product_id, quantity }: name and price then come from the product.
				required: ['quantity'],
				properties: {
					product_id: { type: ['string', 'null'] },
					product_name: { type: 'string', minLength: 1 },
					quantity: { type: 'integer', minimum: 1 },
					price: amount,
				},
			},
		},
		payment_method: { type: 'string', enum: PAYMENT_METHODS },
		bank_account_number: { type: 'string' },
		custom_invoice_url: { type: 'string' },
		shipping_fee: amount,
		discount: amount,
		vat: amount,
		conversation_id: { type: 'string' },
		contact_id: { type: 'string' },
		phone_number: { type: 'string' },
		display_name: { type: 'string' },
		email: { type: ['string', 'null'] },
		notes: { type: ['string', 'null'] },
		address: { type: ['string', 'null'] },
	},
};

interface CreateBody {
	orders_products: Array<{ product_id?: string | null; product_name?: string; quantity: number; price?: number }>;
	payment_method: PaymentMethod;
	bank_account_number?: string;
	custom_invoice_url?: string;
	shipping_fee?: number;
	discount?: number;
	vat?: number;
	conversation_id?: string;
	contact_id?: string;
	phone_number?: string;
	display_name?: string;
	email?: string | null;
	notes?: string | null;
	address?: string | null;
}

const updateBodySchema = {
	type: 'object',
	additionalProperties: false,
	minProperties: 1,
	properties: {
		order_status: { type: 'string', enum: ORDER_STATUSES },
		// Either casing: the upper-case variant serves PENDING/PAID and a client may send them back.
		payment_status: { type: 'string', enum: [...PAYMENT_STATUSES, ...PAYMENT_STATUSES.map((x) => x.toUpperCase())] },
		custom_invoice_url: { type: ['string', 'null'] },
		invoice_is_sent: { type: 'boolean' },
		address: { type: ['string', 'null'] },
		notes: { type: ['string', 'null'] },
	},
};

interface UpdateBody {
	order_status?: OrderStatus;
	payment_status?: PaymentStatus;
	custom_invoice_url?: string | null;
	invoice_is_sent?: boolean;
	address?: string | null;
	notes?: string | null;
}

const listSchema = listQuerySchema({
	order_status: stringParam,
	payment_status: stringParam,
	search: stringParam,
	sort_field: stringParam,
	sort_direction: stringParam,
	include_conv: stringParam,
	inbox_id: stringParam,
	product_ids: stringParam,
	export_scope: stringParam,
});

/** "a,b , c" → ['a','b','c'], each checked against the allowed values (400 naming the field otherwise). */
function csvEnum<T extends string>(raw: string | undefined, field: string, allowed: readonly T[]): Set<T> | undefined {
	if (raw === undefined || raw.trim() === '') return undefined;
	const out = new Set<T>();
	for (const part of raw.split(',')) {
		const v = part.trim().toLowerCase();
		if (v === '') continue;
		if (!(allowed as readonly string[]).includes(v)) throw badRequest(field, `${field}: unknown status '${part.trim()}' (allowed: ${allowed.join(', ')})`);
		out.add(v as T);
	}
	return out;
}

function orderNumberValue(o: Order): number {
	return o.order_number;
}

/** Cached sorted view per (field, direction), ties broken by id so pages never repeat or skip. */
function sortedOrders(orders: Collection<Order>, field: SortField, dir: 'asc' | 'desc'): readonly Order[] {
	return orders.memo(`sort:${field}:${dir}`, (items) => {
		const sign = dir === 'asc' ? 1 : -1;
		const key: (o: Order) => string | number = field === 'grand_total' ? (o) => o.grand_total : field === 'order_number' ? orderNumberValue : (o) => o[field];
		return items.slice().sort((a, b) => {
			const ka = key(a);
			const kb = key(b);
			if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
			return (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * sign;
		});
	});
}

export function registerOrderRoutes(app: FastifyInstance, { store, webhooks, variant = DEFAULT_VARIANT }: RouteDeps): void {
	app.get('/api/orders', { schema: { querystring: listSchema } }, async (req) => {
		const q = req.query as Query;
		const paging = readPaging(q);
		const range = readDateRange(q);
		const orderStatus = csvEnum(q.order_status, 'order_status', ORDER_STATUSES);
		const paymentStatus = csvEnum(q.payment_status, 'payment_status', PAYMENT_STATUSES);
		const sortField = (q.sort_field ?? 'created_at').trim() || 'created_at';
		if (!(SORT_FIELDS as readonly string[]).includes(sortField)) {
			throw badRequest('sort_field', `sort_field must be one of: ${SORT_FIELDS.join(', ')} (got '${sortField}')`);
		}
		const dir = (q.sort_direction ?? 'desc').trim().toLowerCase() || 'desc';
		if (dir !== 'asc' && dir !== 'desc') throw badRequest('sort_direction', `sort_direction must be asc or desc (got '${q.sort_direction}')`);
		const search = q.search?.trim().toLowerCase() || undefined;
		const productIds = q.product_ids
			? new Set(q.product_ids.split(',').map((s) => s.trim()).filter(Boolean))
			: undefined;
		const includeConv = q.include_conv === 'true' || q.include_conv === '1';
		// export_scope is accepted but, its semantics being undocumented, does not change the result.

		let list = sortedOrders(store.orders, sortField as SortField, dir);
		const filtered = orderStatus || paymentStatus || hasRange(range) || search || q.inbox_id !== undefined || (productIds && productIds.size);
		if (filtered) {
			list = list.filter(
				(o) =>
					(!orderStatus || orderStatus.has(o.order_status)) &&
					(!paymentStatus || paymentStatus.has(o.payment_status)) &&
					(!hasRange(range) || inRange(o.created_at, range)) &&
					(q.inbox_id === undefined || o.inbox_id === q.inbox_id) &&
					(!productIds || productIds.size === 0 || o.orders_products.some((l) => l.product_id !== null && productIds.has(l.product_id))) &&
					(!search ||
						String(o.order_number).includes(search) ||
						o.contact.contact_name.toLowerCase().includes(search) ||
						o.contact.phone_number.includes(search)),
			);
		}
		const start = (paging.page - 1) * paging.limit;
		const page = start < list.length ? list.slice(start, start + paging.limit) : [];
		const orders = page.map((o) => {
			const row = wireOrder(o, variant, { list: true });
			if (includeConv) {
				const conv = o.conversation_id ? store.conversations.get(o.conversation_id) : undefined;
				row.conversation = conv ? wireConversation(store, conv) : null;
			}
			return row;
		});
		return { message: 'success', data: { orders } };
	});

	app.get('/api/orders/:id', { schema: { params: paramsSchema('id') } }, async (req) => {
		const { id } = req.params as { id: string };
		const order = store.orders.get(id);
		if (!order) throw notFound(`Order ${id} not found`);
		return { message: 'success', data: wireOrder(order, variant) };
	});

	app.post('/api/orders', { schema: { body: createBodySchema } }, async (req) => {
		const body = req.body as CreateBody;
		const shipping = body.shipping_fee ?? 0;
		const discount = body.discount ?? 0;
		const vat = body.vat ?? 0;

		// 1. Field checks (400), before any lookup.
		if (body.conversation_id === undefined && body.contact_id === undefined && body.phone_number === undefined) {
			throw badRequest('contact_id', 'One of contact_id, conversation_id or phone_number is required to identify the buyer');
		}
		if (body.phone_number !== undefined && !PHONE_RE.test(body.phone_number)) {
			throw badRequest('phone_number', `phone_number must be 8–15 digits, no '+' or spaces (got '${body.phone_number}')`);
		}
		if (typeof body.email === 'string' && body.email !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email)) {
			throw badRequest('email', `email is not a valid address (got '${body.email}')`);
		}
		// OFF requires it for manual payment and PM sends it; the real server's check is assumed.
		if (body.payment_method === 'manual' && (body.bank_account_number === undefined || body.bank_account_number.trim() === '')) {
			throw badRequest('bank_account_number', "bank_account_number is required when payment_method is 'manual'");
		}
		if (body.custom_invoice_url !== undefined && !isHttpUrl(body.custom_invoice_url)) {
			throw badRequest('custom_invoice_url', `custom_invoice_url must be an http(s) URL (got '${body.custom_invoice_url}')`);
		}
		const lines: OrderLine[] = body.orders_products.map((p, i) => {
			const product = p.product_id ? store.products.get(p.product_id) : undefined;
			if (p.product_id && !product && (p.product_name === undefined || p.price === undefined)) {
				throw badRequest(`orders_products[${i}].product_id`, `orders_products[${i}].product_id: product ${p.product_id} not found (or give product_name and price)`);
			}
			const name = p.product_name ?? product?.name;
			const price = p.price ?? product?.price;
			if (name === undefined || name === '') throw badRequest(`orders_products[${i}].product_name`, `orders_products[${i}].product_name is required (or a known product_id)`);
			if (price === undefined) throw badRequest(`orders_products[${i}].price`, `orders_products[${i}].price is required (or a known product_id)`);
			return { id: '', product_id: p.product_id ?? null, product_name: name, quantity: p.quantity, price, total: p.quantity * price };
		});
		const subtotal = lines.reduce((s, l) => s + l.total, 0);
		if (discount > subtotal) throw badRequest('discount', `discount (${discount}) must not exceed the subtotal (${subtotal})`);
		const grandTotal = subtotal - discount + shipping + vat;
		if (!Number.isSafeInteger(grandTotal)) throw badRequest('orders_products', 'order total is too large');

		// 2. Buyer lookups (404), still without mutating anything.
		let contact: Contact | undefined;
		let conv: Conversation | undefined;
		if (body.conversation_id !== undefined) {
			conv = store.conversations.get(body.conversation_id);
			if (!conv) throw notFound(`Conversation ${body.conversation_id} not found`);
			contact = store.contacts.get(conv.contact_id);
			if (body.contact_id !== undefined && body.contact_id !== conv.contact_id) {
				throw badRequest('contact_id', `contact_id ${body.contact_id} is not the contact of conversation ${conv.id}`);
			}
		} else if (body.contact_id !== undefined) {
			contact = store.contacts.get(body.contact_id);
			if (!contact) throw notFound(`Contact ${body.contact_id} not found`);
		} else {
			contact = store.findContactByPhone(body.phone_number as string);
		}

		// 3. Mutations.
		contact ??= store.addContact(body.display_name?.trim() || (body.phone_number as string), body.phone_number as string, undefined, body.email || null);
		const now = store.nowIso();
		for (const l of lines) l.id = store.newId();
		const order: Order = {
			id: store.newId(),
			order_number: store.nextOrderNumber(),
			order_status: 'pending',
			payment_status: 'pending',
			payment_method: body.payment_method,
			bank_account_number: body.payment_method === 'manual' ? (body.bank_account_number as string) : null,
			subtotal,
			discount,
			shipping_fee: shipping,
			vat,
			grand_total: grandTotal,
			contact_id: contact.id,
			contact: { id: contact.id, contact_name: contact.contact_name, phone_number: contact.phone_number, email: contact.email },
			conversation_id: conv ? conv.id : null,
			inbox_id: conv ? conv.inbox_id : (contact.inboxes[0]?.id ?? null),
			orders_products: lines,
			notes: body.notes ?? null,
			address: body.address ?? null,
			email: body.email || contact.email,
			custom_invoice_url: body.custom_invoice_url ?? null,
			invoice_is_sent: false,
			created_at: now,
			updated_at: now,
		};
		store.addOrder(order);
		webhooks?.emit('order.created', order, { inboxId: order.inbox_id });
		// The create answer's shape is not evidenced: the order as GET serves it.
		return { message: 'success', data: wireOrder(order, variant) };
	});

	app.put('/api/orders/:id', { schema: { params: paramsSchema('id'), body: updateBodySchema } }, async (req) => {
		const { id } = req.params as { id: string };
		const body = req.body as UpdateBody;
		if (typeof body.custom_invoice_url === 'string' && !isHttpUrl(body.custom_invoice_url)) {
			throw badRequest('custom_invoice_url', `custom_invoice_url must be an http(s) URL (got '${body.custom_invoice_url}')`);
		}
		const order = store.orders.get(id);
		if (!order) throw notFound(`Order ${id} not found`);
		const before = { order_status: order.order_status, payment_status: order.payment_status };
		if (body.order_status !== undefined) order.order_status = body.order_status;
		if (body.payment_status !== undefined) order.payment_status = body.payment_status.toLowerCase() as PaymentStatus;
		if (body.custom_invoice_url !== undefined) order.custom_invoice_url = body.custom_invoice_url;
		if (body.invoice_is_sent !== undefined) order.invoice_is_sent = body.invoice_is_sent;
		if (body.address !== undefined) order.address = body.address;
		if (body.notes !== undefined) order.notes = body.notes;
		// updated_at must move even when the clock has not (two updates in the same millisecond).
		let next = store.nowIso();
		if (next <= order.updated_at) next = new Date(Date.parse(order.updated_at) + 1).toISOString();
		order.updated_at = next;
		store.orders.changed();
		store.touch();
		if (webhooks) {
			const inboxId = order.inbox_id;
			webhooks.emit('order.updated', order, { inboxId });
			if (order.order_status !== before.order_status) webhooks.emit('order.order_status_updated', { ...order, previous_order_status: before.order_status }, { inboxId });
			if (order.payment_status !== before.payment_status) webhooks.emit('order.payment_status_updated', { ...order, previous_payment_status: before.payment_status }, { inboxId });
		}
		// The update answer's shape is not evidenced: the order as GET serves it.
		return { message: 'success', data: wireOrder(order, variant) };
	});
}
