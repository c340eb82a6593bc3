/**
 * `POST /__sandbox/seed-more`: many new records at once, with fresh timestamps (the sandbox clock), for tests
 * of a poller that must read every record created between two polls.
 *
 *   { orders?: n, messages?: n, conversations?: n, crm_items?: n, board_id?: string, emit?: boolean }
 *
 * Records are made the way the API makes them (orders `pending`/`pending` with a product line, contact messages
 * in WhatsApp conversations, conversations in a contact's inbox, CRM items with the board's required columns
 * filled). With `emit: true` each also sends its webhook event (order.created, message.received,
 * conversation.created, crm_item.created). Answers `{ ok, created: { orders: [ids], … } }` in creation order.
 */
import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from './errors';
import type { Store } from './store';
import type { Contact, CrmItem, CrmValue, Order } from './types';
import type { WebhookEmitter } from './webhooks';

const MAX_BULK = 10_000;

export interface SeedMoreRequest {
	orders?: number;
	messages?: number;
	conversations?: number;
	crm_items?: number;
	board_id?: string;
	emit?: boolean;
}

export interface SeedMoreResult {
	orders: string[];
	messages: string[];
	conversations: string[];
	crm_items: string[];
}

function count(body: Record<string, unknown>, key: string): number {
	const v = body[key];
	if (v === undefined) return 0;
	if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_BULK) throw badRequest(key, `${key} must be an integer from 0 to ${MAX_BULK}`);
	return v;
}

/** Creates the records; the caller validated the request. */
export function seedMore(store: Store, req: SeedMoreRequest, webhooks?: WebhookEmitter): SeedMoreResult {
	const result: SeedMoreResult = { orders: [], messages: [], conversations: [], crm_items: [] };
	const emit = req.emit === true ? webhooks : undefined;
	const contacts = store.contacts.all();
	const products = store.products.all();

	for (let i = 0; i < (req.orders ?? 0); i++) {
		const contact = contacts[(store.orders.size + i) % contacts.length];
		const product = products[(store.orders.size + i) % products.length];
		const order = buildOrder(store, contact, product.id, product.name, product.price, 1 + (i % 3));
		store.addOrder(order);
		result.orders.push(order.id);
		emit?.emit('order.created', order, { inboxId: order.inbox_id });
	}

	if ((req.messages ?? 0) > 0) {
		const whatsapp = store.conversations.all().filter((c) => c.platform_type === 'whatsapp');
		if (whatsapp.length === 0) throw badRequest('messages', 'there is no WhatsApp conversation to add messages to');
		for (let i = 0; i < (req.messages ?? 0); i++) {
			const conv = whatsapp[i % whatsapp.length];
			const msg = store.addMessage(conv, {
				message: `Pesan tambahan ${i + 1}`,
				sent_by: conv.contact_id,
				sent_by_name: conv.contact_name,
				sent_by_type: 'contact',
				media_type: 'text',
				media_url: null,
				status: 'delivered',
				is_template: false,
			});
			result.messages.push(msg.id);
			emit?.emit('message.received', msg, { inboxId: conv.inbox_id });
		}
	}

	for (let i = 0; i < (req.conversations ?? 0); i++) {
		const contact = contacts[i % contacts.length];
		const inbox = store.inboxes.get(contact.inboxes[0]?.id ?? '') ?? store.inboxes.all()[0];
		const conv = store.addConversation(contact, inbox);
		result.conversations.push(conv.id);
		emit?.emit('conversation.created', conv, { inboxId: conv.inbox_id });
	}

	if ((req.crm_items ?? 0) > 0) {
		const board = req.board_id !== undefined ? store.boards.get(req.board_id) : store.boards.all()[0];
		if (!board) throw notFound(`Board ${req.board_id} not found`);
		for (let i = 0; i < (req.crm_items ?? 0); i++) {
			const values: Record<string, CrmValue> = {};
			for (const col of board.crm_columns) {
				const label = (col.settings.labels ?? []).find((l) => l.id !== 'default' && l.name !== '');
				if (!col.is_required) values[col.name] = null;
				else if (col.type === 'select') values[col.name] = label?.id ?? null;
				else if (col.type === 'dropdown') values[col.name] = label ? [label.id] : [];
				else if (col.type === 'timeline') values[col.name] = { from: store.nowIso().slice(0, 10), to: store.nowIso().slice(0, 10) };
				else if (col.type === 'number') values[col.name] = i + 1;
				else if (col.type === 'date') values[col.name] = store.nowIso().slice(0, 10);
				else if (col.type === 'agents') values[col.name] = [];
				else values[col.name] = `Value ${i + 1}`;
			}
			const group = board.crm_groups[0] ?? { id: '', name: '' };
			const now = store.nowIso();
			const item: CrmItem = {
				id: store.newId(),
				board_id: board.id,
				item_name: `Bulk item ${i + 1}`,
				group_id: group.id,
				group: { id: group.id, name: group.name },
				values,
				contact_id: null,
				conversation_id: null,
				created_at: now,
				updated_at: now,
			};
			store.crmItems.add(item);
			store.touch();
			result.crm_items.push(item.id);
			emit?.emit('crm_item.created', item);
		}
	}
	return result;
}

function buildOrder(store: Store, contact: Contact, productId: string, productName: string, price: number, quantity: number): Order {
	const now = store.nowIso();
	const total = price * quantity;
	const conv = store.latestWhatsappConversation(contact.id);
	return {
		id: store.newId(),
		order_number: store.nextOrderNumber(),
		order_status: 'pending',
		payment_status: 'pending',
		payment_method: 'manual',
		bank_account_number: 'BCA 1234567890',
		subtotal: total,
		discount: 0,
		shipping_fee: 0,
		vat: 0,
		grand_total: total,
		contact_id: contact.id,
		contact: { id: contact.id, contact_name: contact.contact_name, phone_number: contact.phone_number, email: contact.email },
		conversation_id: conv ? conv.id : null,
		inbox_id: conv ? conv.inbox_id : (contact.inboxes[0]?.id ?? null),
		orders_products: [{ id: store.newId(), product_id: productId, product_name: productName, quantity, price, total }],
		notes: null,
		address: null,
		email: contact.email,
		custom_invoice_url: null,
		invoice_is_sent: false,
		created_at: now,
		updated_at: now,
	};
}

export function registerBulkRoutes(app: FastifyInstance, store: Store, webhooks?: WebhookEmitter): void {
	app.post('/__sandbox/seed-more', async (req) => {
		const body = (req.body ?? {}) as Record<string, unknown>;
		if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('body', 'body must be an object');
		const request: SeedMoreRequest = {
			orders: count(body, 'orders'),
			messages: count(body, 'messages'),
			conversations: count(body, 'conversations'),
			crm_items: count(body, 'crm_items'),
		};
		if (body.board_id !== undefined) {
			if (typeof body.board_id !== 'string') throw badRequest('board_id', 'board_id must be a string');
			request.board_id = body.board_id;
		}
		if (body.emit !== undefined && typeof body.emit !== 'boolean') throw badRequest('emit', 'emit must be a boolean');
		request.emit = body.emit === true;
		return { ok: true, created: seedMore(store, request, webhooks) };
	});
}
