/** Orders: wire shape, totals, buyer resolution, manual payment, update rules, list filters, variants. */
import { startTestSandbox, type TestEnv } from './helpers';
import type { Order } from '../../sandbox';

let env: TestEnv;
beforeAll(async () => {
	env = await startTestSandbox();
});
afterAll(() => env.sb.close());
afterEach(() => env.sb.reset());

const lines = [
	{ product_name: 'Kopi Gayo 250g', quantity: 2, price: 85000 },
	{ product_name: 'Dodol Garut', quantity: 3, price: 30000, product_id: 'p-1' },
];

async function allOrders(query: string): Promise<Order[]> {
	const out: Order[] = [];
	for (let page = 1; ; page++) {
		const res = await env.api.get(`/api/orders?limit=100&page=${page}${query}`);
		expect(res.status).toBe(200);
		out.push(...res.data.data.orders);
		if (res.data.data.orders.length < 100) return out;
	}
}

describe('create', () => {
	it('computes subtotal and grand_total; new orders are pending', async () => {
		const contact = env.sb.store.contacts.all()[7];
		const res = await env.api.post('/api/orders', { orders_products: lines, payment_method: 'xendit', contact_id: contact.id, shipping_fee: 15000, discount: 20000, vat: 1100, notes: 'cepat ya' });
		expect(res.status).toBe(200);
		expect(res.data.message).toBe('success');
		const o = res.data.data;
		expect(o).toMatchObject({ subtotal: 260000, discount: 20000, shipping_fee: 15000, vat: 1100, grand_total: 256100, order_status: 'pending', payment_status: 'pending', payment_method: 'xendit', contact_id: contact.id, notes: 'cepat ya', invoice_is_sent: false, custom_invoice_url: null });
		expect(o.order_number).toBe(2201);
		expect(o.orders_products.map((l: { total: number }) => l.total)).toEqual([170000, 90000]);
		expect(o.contact).toEqual({ id: contact.id, display_name: contact.contact_name, phone_number: contact.phone_number });
		expect(o).toMatchObject({ payment_type: expect.any(String), bank_account_number: null, invoices: [expect.objectContaining({ amount: 256100 })] });
		expect(o.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
		const again = await env.api.get(`/api/orders/${o.id}`);
		expect(again.data).toEqual({ message: 'success', data: o });
	});

	it('defaults shipping, discount and vat to 0', async () => {
		const res = await env.api.post('/api/orders', { orders_products: [lines[0]], payment_method: 'manual', bank_account_number: 'BCA 123', contact_id: env.sb.store.contacts.all()[0].id });
		expect(res.data.data).toMatchObject({ subtotal: 170000, grand_total: 170000, discount: 0, vat: 0, shipping_fee: 0 });
	});

	it('buyer by conversation_id uses the conversation’s contact and inbox', async () => {
		const conv = env.sb.store.conversations.all()[20];
		const res = await env.api.post('/api/orders', { orders_products: lines, payment_method: 'manual', bank_account_number: 'BCA 123', conversation_id: conv.id });
		expect(res.data.data).toMatchObject({ contact_id: conv.contact_id, conversation_id: conv.id, inbox_id: conv.inbox_id });
	});

	it('buyer by phone_number finds the contact, or creates it with display_name', async () => {
		const s = env.sb.store;
		const existing = s.contacts.all()[3];
		const count = s.contacts.size;
		const a = await env.api.post('/api/orders', { orders_products: lines, payment_method: 'custom', phone_number: existing.phone_number });
		expect(a.data.data.contact_id).toBe(existing.id);
		expect(s.contacts.size).toBe(count);
		const b = await env.api.post('/api/orders', { orders_products: lines, payment_method: 'custom', phone_number: '6285711112222', display_name: 'Bu Tini' });
		expect(b.status).toBe(200);
		expect(s.contacts.size).toBe(count + 1);
		expect(b.data.data.contact.display_name).toBe('Bu Tini');
	});

	it('manual payment needs bank_account_number (400 naming it); product_id alone takes name and price from the product', async () => {
		const s = env.sb.store;
		const rev = s.revision;
		const contact = s.contacts.all()[2];
		const missing = await env.api.post('/api/orders', { orders_products: lines, payment_method: 'manual', contact_id: contact.id });
		expect(missing.status).toBe(400);
		expect(missing.data.message).toContain('bank_account_number');
		expect(s.revision).toBe(rev);
		const product = s.products.all()[0];
		const ok = await env.api.post('/api/orders', { orders_products: [{ product_id: product.id, quantity: 2 }], payment_method: 'manual', bank_account_number: 'BCA 1234567890', contact_id: contact.id });
		expect(ok.status).toBe(200);
		expect(ok.data.data).toMatchObject({ bank_account_number: 'BCA 1234567890', subtotal: 2 * product.price, orders_products: [expect.objectContaining({ product_id: product.id, product_name: product.name, price: product.price })] });
		const unknown = await env.api.post('/api/orders', { orders_products: [{ product_id: 'ghost', quantity: 1 }], payment_method: 'xendit', contact_id: contact.id });
		expect(unknown.status).toBe(400);
		expect(unknown.data.message).toContain('orders_products[0].product_id');
	});

	it('400s name the field; 404s for unknown buyers; nothing is created', async () => {
		const s = env.sb.store;
		const before = s.counts();
		const rev = s.revision;
		const base = { orders_products: lines, payment_method: 'manual', bank_account_number: 'BCA 1', phone_number: '6285700000001' };
		const cases: Array<[unknown, RegExp]> = [
			[{ ...base, orders_products: [] }, /orders_products/],
			[{ ...base, orders_products: undefined }, /orders_products is required/],
			[{ ...base, orders_products: [{ quantity: 1, price: 1 }] }, /orders_products\[0\]\.product_name/],
			[{ ...base, orders_products: [{ product_name: 'x', quantity: 0, price: 1 }] }, /orders_products\[0\]\.quantity/],
			[{ ...base, orders_products: [{ product_name: 'x', quantity: 1.5, price: 1 }] }, /orders_products\[0\]\.quantity must be integer/],
			[{ ...base, orders_products: [{ product_name: 'x', quantity: 1, price: -1 }] }, /orders_products\[0\]\.price/],
			[{ ...base, payment_method: 'cash' }, /payment_method must be one of: manual, xendit, custom/],
			[{ ...base, payment_method: undefined }, /payment_method is required/],
			[{ ...base, shipping_fee: '10' }, /shipping_fee must be integer/],
			[{ ...base, discount: 999999999 }, /discount/],
			[{ orders_products: lines, payment_method: 'manual' }, /contact_id.*conversation_id.*phone_number/],
			[{ ...base, phone_number: '+62857' }, /phone_number/],
			[{ ...base, email: 'nope' }, /email/],
		];
		for (const [body, msg] of cases) {
			const res = await env.api.post('/api/orders', body);
			expect({ body, status: res.status }).toEqual({ body, status: 400 });
			expect(Object.keys(res.data)).toEqual(['message']);
			expect(res.data.message).toMatch(msg);
		}
		// transformRequest passes the string through (axios would otherwise JSON-encode an unparsable string).
		const badJson = await env.api.post('/api/orders', '{"orders_products": [', { headers: { 'content-type': 'application/json' }, transformRequest: [(d) => d] });
		expect(badJson.status).toBe(400);
		expect(badJson.data.message).toMatch(/not valid JSON/);
		expect((await env.api.post('/api/orders', { ...base, phone_number: undefined, contact_id: 'nope' })).status).toBe(404);
		expect((await env.api.post('/api/orders', { ...base, phone_number: undefined, conversation_id: 'nope' })).status).toBe(404);
		expect(s.counts()).toEqual(before);
		expect(s.revision).toBe(rev);
	});
});

describe('update', () => {
	it('changes statuses and invoice fields; updated_at moves', async () => {
		const o = env.sb.store.orders.all()[0];
		const before = o.updated_at;
		env.clock.now += 60_000;
		const res = await env.api.put(`/api/orders/${o.id}`, { order_status: 'shipping', payment_status: 'paid', custom_invoice_url: 'https://inv.example/1', invoice_is_sent: true, address: 'Jl. Melati 1', notes: null });
		expect(res.status).toBe(200);
		expect(res.data.data).toMatchObject({ order_status: 'shipping', payment_status: 'paid', custom_invoice_url: 'https://inv.example/1', invoice_is_sent: true, address: 'Jl. Melati 1', notes: null });
		expect(res.data.data.updated_at).toBe(new Date(env.clock.now).toISOString().replace('Z', '000+00:00'));
		expect(res.data.data.updated_at > before).toBe(true);
		// Same millisecond: updated_at still moves forward.
		const again = await env.api.put(`/api/orders/${o.id}`, { notes: 'x' });
		expect(again.data.data.updated_at > res.data.data.updated_at).toBe(true);
	});

	it('rejects unknown fields, empty bodies and bad values without changing the order', async () => {
		const o = env.sb.store.orders.all()[1];
		const snap = JSON.stringify(o);
		const cases: Array<[unknown, RegExp]> = [
			[{ order_status: 'done' }, /order_status must be one of/],
			[{ payment_status: 'refunded' }, /payment_status must be one of/],
			[{ grand_total: 5 }, /Unknown field 'grand_total'/],
			[{ order_status: 'completed', colour: 'red' }, /colour/],
			[{}, /empty/],
			[{ invoice_is_sent: 'true' }, /invoice_is_sent must be boolean/],
			[{ custom_invoice_url: 'ftp://x' }, /custom_invoice_url/],
		];
		for (const [body, msg] of cases) {
			const res = await env.api.put(`/api/orders/${o.id}`, body);
			expect(res.status).toBe(400);
			expect(res.data.message).toMatch(msg);
		}
		expect((await env.api.put('/api/orders/nope', { notes: 'x' })).status).toBe(404);
		expect(JSON.stringify(env.sb.store.orders.get(o.id))).toBe(snap);
	});
});

describe('list filters', () => {
	it('order_status and payment_status (comma lists) really filter', async () => {
		const s = env.sb.store;
		const got = await allOrders('&order_status=pending,cancelled&payment_status=expired');
		const want = s.orders.all().filter((o) => (o.order_status === 'pending' || o.order_status === 'cancelled') && o.payment_status === 'expired');
		expect(got.length).toBeGreaterThan(0);
		expect(got.map((o) => o.id).sort()).toEqual(want.map((o) => o.id).sort());
		const bad = await env.api.get('/api/orders?payment_status=paid,lunas');
		expect(bad.status).toBe(400);
		expect(bad.data.message).toContain('payment_status');
		expect(bad.data.message).toContain('lunas');
	});

	it('start_date/end_date are Jakarta days, inclusive', async () => {
		const s = env.sb.store;
		const got = await allOrders('&start_date=2026-02-01&end_date=2026-02-28');
		const from = Date.parse('2026-02-01T00:00:00+07:00');
		const to = Date.parse('2026-03-01T00:00:00+07:00');
		const want = s.orders.all().filter((o) => Date.parse(o.created_at) >= from && Date.parse(o.created_at) < to);
		expect(want.length).toBeGreaterThan(20);
		expect(got.map((o) => o.id).sort()).toEqual(want.map((o) => o.id).sort());
		for (const [q, field] of [['start_date=2026-2-1', 'start_date'], ['end_date=2026-02-30', 'end_date'], ['start_date=yesterday', 'start_date']]) {
			const res = await env.api.get(`/api/orders?${q}`);
			expect(res.status).toBe(400);
			expect(res.data.message).toContain(field);
		}
	});

	it('search matches order number, contact name and phone, case-insensitively', async () => {
		const s = env.sb.store;
		const byNumber = await allOrders('&search=1123');
		expect(byNumber.map((o) => o.order_number)).toContain(1123);
		expect(byNumber.every((o) => String(o.order_number).includes('1123') || o.contact.phone_number.includes('1123'))).toBe(true);
		const name = s.orders.all()[10].contact.contact_name.split(' ')[0].toUpperCase();
		const byName = await allOrders(`&search=${encodeURIComponent(name)}`);
		const want = s.orders.all().filter((o) => o.contact.contact_name.toLowerCase().includes(name.toLowerCase()));
		expect(byName.map((o) => o.id).sort()).toEqual(want.map((o) => o.id).sort());
		const phone = s.orders.all()[5].contact.phone_number;
		expect(byName.every((o) => 'display_name' in o.contact)).toBe(true);
		const byPhone = await allOrders(`&search=${phone}`);
		expect(byPhone.length).toBeGreaterThan(0);
		expect(byPhone.every((o) => o.contact.phone_number === phone)).toBe(true);
	});

	it('inbox_id, product_ids, include_conv, export_scope', async () => {
		const s = env.sb.store;
		const inbox = s.inboxes.all()[1];
		const byInbox = await allOrders(`&inbox_id=${inbox.id}`);
		expect(byInbox.map((o) => o.id).sort()).toEqual(s.orders.all().filter((o) => o.inbox_id === inbox.id).map((o) => o.id).sort());
		const [p1, p2] = s.products.all();
		const byProducts = await allOrders(`&product_ids=${p1.id},${p2.id}`);
		const want = s.orders.all().filter((o) => o.orders_products.some((l) => l.product_id === p1.id || l.product_id === p2.id));
		expect(byProducts.map((o) => o.id).sort()).toEqual(want.map((o) => o.id).sort());
		const withConv = await env.api.get('/api/orders?limit=100&include_conv=true');
		const linked = withConv.data.data.orders.find((o: Order & { conversation: unknown }) => o.conversation_id);
		expect(linked.conversation.id).toBe(linked.conversation_id);
		expect(withConv.data.data.orders.every((o: object) => 'conversation' in o)).toBe(true);
		const plain = await env.api.get('/api/orders?limit=5');
		expect('conversation' in plain.data.data.orders[0]).toBe(false);
		const scoped = await env.api.get('/api/orders?limit=5&export_scope=all');
		expect(scoped.data).toEqual(plain.data);
	});

	it('bad sort parameters are 400s naming them', async () => {
		const a = await env.api.get('/api/orders?sort_field=price');
		expect(a.status).toBe(400);
		expect(a.data.message).toContain('sort_field');
		const b = await env.api.get('/api/orders?sort_direction=up');
		expect(b.status).toBe(400);
		expect(b.data.message).toContain('sort_direction');
	});
});

describe('wire shape and variants', () => {
	it('list rows: integer order_number, display_name buyer, payment_type, invoices, lower-case status, no updated_at', async () => {
		const res = await env.api.get('/api/orders?limit=20&sort_field=order_number&sort_direction=asc');
		const row = res.data.data.orders[0];
		expect(row.order_number).toBe(1001);
		expect(row.contact).toEqual({ id: expect.any(String), display_name: expect.any(String), phone_number: expect.any(String) });
		expect(row).toHaveProperty('payment_type');
		expect(Array.isArray(row.invoices)).toBe(true);
		expect(row).not.toHaveProperty('updated_at');
		expect(res.data.data.orders.every((o: { payment_status: string }) => o.payment_status === o.payment_status.toLowerCase())).toBe(true);
		const manual = res.data.data.orders.find((o: { payment_method: string }) => o.payment_method === 'manual');
		expect(typeof manual.bank_account_number).toBe('string');
		// The detail keeps updated_at: BOP's field table describes list rows only.
		const detail = await env.api.get(`/api/orders/${row.id}`);
		expect(detail.data.data.updated_at).toMatch(/\+00:00$/);
	});

	it('orderUpdatedAt: list rows carry updated_at', async () => {
		const sw = await env.anon.post('/__sandbox/variant', { orderUpdatedAt: true });
		expect(sw.data.variant).toMatchObject({ orderUpdatedAt: true });
		const res = await env.api.get('/api/orders?limit=3');
		expect(res.data.data.orders.every((o: object) => 'updated_at' in o)).toBe(true);
	});

	it('paymentStatusCase upper: PENDING/PAID in answers; filters and updates accept either case', async () => {
		env.sb.setVariant({ paymentStatusCase: 'upper' });
		const res = await env.api.get('/api/orders?limit=100&payment_status=PAID');
		expect(res.data.data.orders.length).toBeGreaterThan(0);
		expect(res.data.data.orders.every((o: { payment_status: string }) => o.payment_status === 'PAID')).toBe(true);
		const o = env.sb.store.orders.all().find((x) => x.payment_status === 'pending')!;
		const up = await env.api.put(`/api/orders/${o.id}`, { payment_status: 'PAID' });
		expect(up.status).toBe(200);
		expect(up.data.data.payment_status).toBe('PAID');
		expect(env.sb.store.orders.get(o.id)!.payment_status).toBe('paid');
		env.sb.reset();
		expect((await env.api.get(`/api/orders/${o.id}`)).data.data.payment_status).toBe('pending');
	});

	it('unknown variants and start-time-only hosts are 400s', async () => {
		const bad = await env.anon.post('/__sandbox/variant', { paymentStatusCase: 'title' });
		expect(bad.status).toBe(400);
		const unknown = await env.anon.post('/__sandbox/variant', { colour: 'red' });
		expect(unknown.status).toBe(400);
		const hosts = await env.anon.post('/__sandbox/variant', { hosts: 'split' });
		expect(hosts.status).toBe(400);
		expect((await env.anon.get('/__sandbox/variant')).data.variant).toEqual({ orderUpdatedAt: false, paymentStatusCase: 'lower', pageMetadata: 'total_items', conversations: 'v2', hosts: 'single', subscriptions: 'workflows' });
	});
});
