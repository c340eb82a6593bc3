import type { IDataObject } from 'n8n-workflow';

import { apiData, onlyRequest, useEnv } from './env';

async function allOrders(env: ReturnType<typeof useEnv>, params: IDataObject = {}): Promise<IDataObject[]> {
	const orders: IDataObject[] = [];
	for (let page = 1; ; page++) {
		const res = await env.api.get('/api/orders', { params: { ...params, page, limit: 100 } });
		const batch = res.data.data.orders as IDataObject[];
		orders.push(...batch);
		if (batch.length < 100) return orders;
	}
}

describe('Orders through the engine', () => {
	const env = useEnv();
	afterEach(() => env.sandbox.reset());

	it('Get Many with Return All pages through every order exactly once', async () => {
		const expected = await allOrders(env);
		env.sandbox.clearJournal();
		const result = await env.run({ resource: 'order', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		const requests = env.requests();
		const pages = Math.floor(expected.length / 100) + 1;
		expect(requests).toHaveLength(pages);
		requests.forEach((r, i) => {
			expect(r.path).toBe('/api/orders');
			expect(r.query).toEqual({ page: String(i + 1), limit: '100' });
			expect(r.auth).toBe('api_key');
		});
		expect(result.json.map((o) => o.id)).toEqual(expected.map((o) => o.id));
		expect(new Set(result.json.map((o) => o.id)).size).toBe(expected.length);
		expect(expected.length).toBeGreaterThan(1000);
	});

	it('Get Many with a Limit over one page asks for pages of 100 and stops at the limit', async () => {
		const result = await env.run({ resource: 'order', operation: 'getAll', returnAll: false, limit: 250 });
		expect(env.requests().map((r) => r.query)).toEqual([
			{ page: '1', limit: '100' },
			{ page: '2', limit: '100' },
			{ page: '3', limit: '100' },
		]);
		expect(result.json).toHaveLength(250);
	});

	it('Get Many with a small Limit makes one request of that size', async () => {
		const result = await env.run({ resource: 'order', operation: 'getAll', returnAll: false, limit: 5 });
		expect(onlyRequest(env, 'GET', '/api/orders').query).toEqual({ page: '1', limit: '5' });
		expect(result.json).toHaveLength(5);
	});

	it('Get Many sends every filter, and the answer honours them', async () => {
		const [inbox] = await apiData<IDataObject[]>(env, '/api/inboxes');
		env.sandbox.clearJournal();
		const result = await env.run({
			resource: 'order',
			operation: 'getAll',
			returnAll: true,
			filters: {
				orderStatus: ['completed', 'shipping'],
				paymentStatus: ['paid'],
				startDate: '2020-01-01',
				endDate: '2030-12-31T10:00:00',
				search: '',
				sortField: 'grand_total',
				sortDirection: 'asc',
				includeConv: false,
				inboxId: inbox.id,
				productIds: '',
				exportScope: '',
			},
		});
		expect(result.error).toBeUndefined();
		const [first] = env.requests();
		expect(first.query).toEqual({
			order_status: 'completed,shipping',
			payment_status: 'paid',
			start_date: '2020-01-01',
			end_date: '2030-12-31',
			sort_field: 'grand_total',
			sort_direction: 'asc',
			include_conv: 'false',
			inbox_id: inbox.id,
			page: '1',
			limit: '100',
		});
		expect(result.json.length).toBeGreaterThan(0);
		for (const order of result.json) {
			expect(['completed', 'shipping']).toContain(order.order_status);
			expect(order.payment_status).toBe('paid');
			expect(order.inbox_id).toBe(inbox.id);
		}
		const totals = result.json.map((o) => Number(o.grand_total));
		expect(totals).toEqual([...totals].sort((a, b) => a - b));
	});

	it('Create computes totals on the server and returns the order; Get reads it back', async () => {
		const result = await env.run({
			resource: 'order',
			operation: 'create',
			products: {
				product: [
					{ productName: 'Kopi Gayo 250g', quantity: 2, price: 85000, productId: '' },
					{ productName: 'Teh Melati', quantity: 1, price: 30000, productId: 'SKU-TEH' },
				],
			},
			paymentMethod: 'manual',
			bankAccountNumber: 'BCA 1234567890',
			buyer: 'phone',
			phoneNumber: '+62 812-3456-7890',
			additionalFields: { displayName: 'Siti', shippingFee: 15000, discount: 10000, vat: 0, notes: 'Leave at the door' },
		});
		expect(result.error).toBeUndefined();
		const request = onlyRequest(env, 'POST', '/api/orders');
		expect(request.body).toEqual({
			orders_products: [
				{ product_name: 'Kopi Gayo 250g', quantity: 2, price: 85000 },
				{ product_name: 'Teh Melati', quantity: 1, price: 30000, product_id: 'SKU-TEH' },
			],
			payment_method: 'manual',
			bank_account_number: 'BCA 1234567890',
			phone_number: '6281234567890',
			display_name: 'Siti',
			shipping_fee: 15000,
			discount: 10000,
			vat: 0,
			notes: 'Leave at the door',
		});
		const order = result.json[0];
		expect(order).toEqual(expect.objectContaining({ subtotal: 200000, grand_total: 205000, order_status: 'pending', payment_status: 'pending' }));

		env.sandbox.clearJournal();
		const got = await env.run({ resource: 'order', operation: 'get', orderId: order.id });
		onlyRequest(env, 'GET', `/api/orders/${order.id as string}`);
		expect(got.json).toEqual([expect.objectContaining({ id: order.id, grand_total: 205000 })]);
	});

	it('Create by contact ID and by conversation ID', async () => {
		const [contact] = await apiData<IDataObject[]>(env, '/api/contacts');
		const [conversation] = await apiData<IDataObject[]>(env, '/api/conversations');
		env.sandbox.clearJournal();
		const product = { product: [{ productName: 'Sambal', quantity: 3, price: 20000 }] };
		const byContact = await env.run({ resource: 'order', operation: 'create', products: product, paymentMethod: 'xendit', buyer: 'contact', contactId: contact.id });
		const byConversation = await env.run({ resource: 'order', operation: 'create', products: product, paymentMethod: 'custom', customInvoiceUrl: 'https://shop.example/inv/9', buyer: 'conversation', conversationId: conversation.id });
		const [first, second] = env.requests();
		expect(first.body).toEqual(expect.objectContaining({ contact_id: contact.id, payment_method: 'xendit' }));
		expect(first.body).not.toHaveProperty('bank_account_number');
		expect(second.body).toEqual(expect.objectContaining({ conversation_id: conversation.id, payment_method: 'custom', custom_invoice_url: 'https://shop.example/inv/9' }));
		expect(byContact.json[0].contact_id).toBe(contact.id);
		expect(byConversation.json[0].conversation_id).toBe(conversation.id);
	});

	it('Update changes the status and the change is stored', async () => {
		const [order] = (await env.api.get('/api/orders', { params: { order_status: 'pending', limit: 1 } })).data.data.orders as IDataObject[];
		env.sandbox.clearJournal();
		const result = await env.run({
			resource: 'order',
			operation: 'update',
			orderId: order.id,
			updateFields: { orderStatus: 'processing', paymentStatus: 'paid', invoiceIsSent: true, notes: '' },
		});
		const request = onlyRequest(env, 'PUT', `/api/orders/${order.id as string}`);
		expect(request.body).toEqual({ order_status: 'processing', payment_status: 'paid', invoice_is_sent: true });
		expect(result.json[0]).toEqual(expect.objectContaining({ id: order.id, order_status: 'processing', payment_status: 'paid' }));
		const stored = await apiData<IDataObject>(env, `/api/orders/${order.id as string}`);
		expect(stored.order_status).toBe('processing');
	});

	it('Manual payment without a bank account is refused before any request, naming the field and the item', async () => {
		const result = await env.run({
			resource: 'order',
			operation: 'create',
			products: { product: [{ productName: 'Sambal', quantity: 1, price: 20000 }] },
			paymentMethod: 'manual',
			bankAccountNumber: '  ',
			buyer: 'phone',
			phoneNumber: '081234567890',
		});
		expect(result.error?.message).toMatch(/Bank Account Number.*required for manual payment.*\[item 0\]/);
		expect(env.requests()).toEqual([]);
	});

	it('A catalogue product can be ordered by its Product ID alone (name and price from the catalogue)', async () => {
		const [product] = (await env.api.get('/__sandbox/data/products')).data as IDataObject[];
		env.sandbox.clearJournal();
		const result = await env.run({
			resource: 'order',
			operation: 'create',
			products: { product: [{ productName: '', quantity: 2, price: 0, productId: product.id }] },
			paymentMethod: 'xendit',
			buyer: 'phone',
			phoneNumber: '081234567890',
		});
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'POST', '/api/orders').body).toEqual(
			expect.objectContaining({ orders_products: [{ product_id: product.id, quantity: 2 }] }),
		);
		expect(result.json[0].subtotal).toBe(2 * (product.price as number));
	});
});
