/**
 * Every operation of sandbox/openapi.json answers with its family's envelope; auth; 404s.
 * The operation list is read from the contract, so a missing route (404) or a missing fixture fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expectPageEnvelope, startTestSandbox, type TestEnv, windowConversations } from './helpers';

type Op = { method: string; path: string };
const contract = JSON.parse(readFileSync(path.join(__dirname, '../../sandbox/openapi.json'), 'utf8')) as {
	paths: Record<string, Record<string, unknown>>;
};
const operations: Op[] = Object.entries(contract.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path: p })));

type Family = 'page' | 'cursor' | 'orders-list' | 'message' | 'success-data' | 'legacy';

function familyOf(op: Op): Family {
	if (op.path.startsWith('/api/crm') || (op.path.startsWith('/api/orders') && !(op.method === 'GET' && op.path === '/api/orders'))) return 'message';
	if (op.path === '/api/orders') return 'orders-list';
	if (op.path === '/api/conversations' && op.method === 'GET') return 'cursor';
	if (op.path === '/messages') return 'legacy';
	if (op.method !== 'GET' || op.path === '/api/messages/summary/ai_credits') return 'success-data';
	return 'page';
}

let env: TestEnv;
beforeAll(async () => {
	env = await startTestSandbox();
});
afterAll(() => env.sb.close());

/** A valid request (path params filled, body) for every contract operation. */
function fixture(op: Op): { url: string; body?: unknown } {
	const s = env.sb.store;
	const board = s.boards.all()[0];
	const item = s.itemsOfBoard(board.id)[0];
	const order = s.orders.all()[0];
	const campaign = s.campaigns.all()[0];
	const conv = windowConversations(s, env.clock.now).inside[0];
	const fill = (p: string, vals: Record<string, string>) => p.replace(/\{(\w+)\}/g, (_, k: string) => vals[k]);
	const key = `${op.method} ${op.path}`;
	switch (key) {
		case 'GET /api/crm/boards':
			return { url: op.path };
		case 'GET /api/crm/boards/{id}':
			return { url: fill(op.path, { id: board.id }) };
		case 'GET /api/crm/boards/{boardId}/columns/{columnId}':
			return { url: fill(op.path, { boardId: board.id, columnId: board.crm_columns[1].id }) };
		case 'POST /api/crm/boards/{boardId}/columns/by-name':
			return { url: fill(op.path, { boardId: board.id }), body: { name: 'Deal Value' } };
		case 'GET /api/crm/boards/{boardId}/items':
			return { url: fill(op.path, { boardId: board.id }) };
		case 'POST /api/crm/boards/{boardId}/items':
			return { url: fill(op.path, { boardId: board.id }), body: { item_name: 'Contract lead', Stage: 'New Lead', 'Deal Value': 100000 } };
		case 'DELETE /api/crm/boards/{boardId}/items':
			return { url: fill(op.path, { boardId: board.id }), body: { item_ids: [s.itemsOfBoard(board.id)[5].id] } };
		case 'GET /api/crm/boards/{boardId}/items/{id}':
			return { url: fill(op.path, { boardId: board.id, id: item.id }) };
		case 'POST /api/crm/boards/{boardId}/items/search':
			return { url: fill(op.path, { boardId: board.id }), body: { condition: 'AND', search: [{ column_name: 'Stage', operator: 'equals', value: ['Won'] }] } };
		case 'PUT /api/crm/boards/{boardId}/items/{itemId}':
			return { url: fill(op.path, { boardId: board.id, itemId: item.id }), body: { Notes: 'updated by contract test' } };
		case 'GET /api/orders':
			return { url: `${op.path}?limit=5` };
		case 'POST /api/orders':
			return { url: op.path, body: { orders_products: [{ product_name: 'Kopi', quantity: 1, price: 50000 }], payment_method: 'manual', bank_account_number: 'BCA 1234567890', contact_id: s.contacts.all()[0].id } };
		case 'GET /api/orders/{id}':
			return { url: fill(op.path, { id: order.id }) };
		case 'PUT /api/orders/{id}':
			return { url: fill(op.path, { id: order.id }), body: { order_status: 'processing' } };
		case 'GET /api/campaigns/{id}/messages':
			return { url: fill(op.path, { id: campaign.id }) };
		case 'PUT /api/conversations/{id}':
			return { url: fill(op.path, { id: conv.id }), body: { assigned_ai_agent: s.aiAgents[0].id } };
		case 'POST /messages/whatsapp':
			return { url: op.path, body: { conversation_id: conv.id, message: 'Halo dari contract test' } };
		case 'GET /messages':
			return { url: `${op.path}?conversation_id=${conv.id}` };
		case 'GET /api/messages':
		case 'GET /api/messages/summary/ai_credits':
		case 'GET /api/agents':
		case 'GET /api/inboxes':
		case 'GET /api/campaigns':
		case 'GET /api/conversations/agent-assignments':
		case 'GET /api/agent_assignments':
		case 'GET /api/conversations':
		case 'GET /api/contacts':
		case 'GET /api/templates':
			return { url: op.path };
		default:
			throw new Error(`no fixture for contract operation ${key}`);
	}
}

describe('contract coverage', () => {
	it('has the 28 operations', () => {
		expect(operations).toHaveLength(28);
	});

	it.each(operations)('$method $path answers 200 with its family envelope', async (op) => {
		const { url, body } = fixture(op);
		const res = await env.api.request({ method: op.method, url, data: body });
		expect(res.status).toBe(200);
		const b = res.data;
		switch (familyOf(op)) {
			case 'page':
				expectPageEnvelope(b);
				expect(b.data.length).toBeGreaterThan(0);
				break;
			case 'cursor':
				expect(b.success).toBe(true);
				expect(b.data).toHaveLength(10);
				// cursor_ts: the row's last activity, UTC without a zone (INV).
				expect(b.metadata.next_cursor).toEqual({ cursor_id: b.data[9].id, cursor_ts: b.data[9].last_message.created_at.slice(0, 23).replace('T', ' ') });
				break;
			case 'orders-list':
				expect(Object.keys(b).sort()).toEqual(['data', 'message']);
				expect(b.message).toBe('success');
				expect(Object.keys(b.data)).toEqual(['orders']);
				expect(b.data.orders).toHaveLength(5);
				break;
			case 'message':
				expect(b.message).toBe('success');
				expect(b.data).toBeDefined();
				expect(b.success).toBeUndefined();
				break;
			case 'success-data':
				expect(b.success).toBe(true);
				expect(b.data).toEqual(expect.any(Object));
				expect(Array.isArray(b.data)).toBe(false);
				break;
			case 'legacy':
				expect(Object.keys(b)).toEqual(['data']);
				expect(b.data.length).toBeGreaterThan(0);
				break;
		}
	});

	it('serves the documented extras: POST /templates/send and legacy GET /templates', async () => {
		const s = env.sb.store;
		const tpl = s.templates.all().find((t) => t.status === 'APPROVED' && t.name === 'thank_you')!;
		const list = await env.api.get(`/templates?inbox_id=${tpl.inbox_id}`);
		expect(list.status).toBe(200);
		expect(Object.keys(list.data)).toEqual(['data']);
		expect(list.data.data.every((t: { inbox_id: string }) => t.inbox_id === tpl.inbox_id)).toBe(true);
		expect(list.data.data.map((t: { id: string }) => t.id)).toContain(tpl.id);
		const sent = await env.api.post('/templates/send', { inbox_id: tpl.inbox_id, wa_template_id: tpl.wa_template_id, phone_number: '6281299990001', template_body_variables: [] });
		expect(sent.status).toBe(200);
		expect(sent.data).toEqual({ success: true, data: { message_id: expect.any(String), conversation_id: expect.any(String), contact_id: expect.any(String), status: 'sent', message: tpl.body } });
	});

	it('returns shapes with the documented fields', async () => {
		const conv = (await env.api.get('/api/conversations?limit=1')).data.data[0];
		for (const k of ['id', 'inbox_id', 'inbox_name', 'contact_id', 'contact_name', 'contact_phone', 'stage_status', 'labels', 'pipeline', 'handled_by_id', 'handled_by_name', 'last_message', 'created_at', 'resolved_at', 'platform_type', 'notes', 'additional_data', 'assigned_ai_agent', 'collaborators', 'first_message', 'resolved_by_id', 'resolved_by_name']) {
			expect(conv).toHaveProperty(k);
		}
		expect(conv.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
		const convDetail = await env.api.get(`/api/conversations/${conv.id}`);
		expect(convDetail.data).toEqual({ success: true, data: conv });
		expect((await env.api.get('/api/conversations/nope')).status).toBe(404);
		const contact = (await env.api.get('/api/contacts?limit=1')).data.data[0];
		expect(contact).toHaveProperty('display_name');
		expect(contact).not.toHaveProperty('contact_name');
		expect(contact.created_at).toMatch(/\.\d{6}\+00:00$/);
		const inbox = (await env.api.get('/api/inboxes?limit=1')).data.data[0];
		expect(inbox.status).toBe('active');
		const msg = (await env.api.get('/api/messages?limit=1')).data.data[0];
		for (const k of ['id', 'message', 'sent_by', 'sent_by_name', 'sent_by_type', 'media_type', 'media_url', 'status', 'is_template', 'created_at', 'conversation_id', 'contact', 'inbox']) {
			expect(msg).toHaveProperty(k);
		}
		expect(msg.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
		expect(msg.contact).toEqual({ id: expect.any(String), display_name: expect.any(String), phone_number: expect.any(String) });
		const order = (await env.api.get('/api/orders?limit=1&sort_field=order_number&sort_direction=asc')).data.data.orders[0];
		expect(order.order_number).toBe(1001);
		expect(order.orders_products[0]).toEqual({ id: expect.any(String), product_id: expect.any(String), product_name: expect.any(String), quantity: expect.any(Number), price: expect.any(Number), total: expect.any(Number) });
		const board = env.sb.store.boards.all()[0];
		const detail = (await env.api.get(`/api/crm/boards/${board.id}`)).data.data;
		expect(detail.crm_columns[0]).toEqual({ id: expect.any(String), name: expect.any(String), type: expect.any(String), settings: expect.any(Object), is_required: expect.any(Boolean), read_only: expect.any(Boolean), is_visible: expect.any(Boolean), position: expect.any(Number) });
		expect(detail.crm_groups[0]).toEqual({ id: expect.any(String), name: expect.any(String), color: expect.any(String) });
		const stage = detail.crm_columns.find((c: { name: string }) => c.name === 'Stage');
		expect(stage.settings.labels).toContainEqual({ id: 'default', name: '', color: expect.any(String), count: 0 });
		expect(stage.settings.labels).toContainEqual({ id: '3', name: 'Won', color: expect.any(String), count: expect.any(Number) });
	});
});

describe('auth', () => {
	const UNAUTH = { success: false, status_code: 401, error: { message: 'Not authenticated' } };

	it('rejects a missing key with the documented 401 body', async () => {
		const res = await env.anon.get('/api/inboxes?limit=1');
		expect(res.status).toBe(401);
		expect(res.data).toEqual(UNAUTH);
	});

	it('rejects a wrong key, on every family', async () => {
		for (const [method, url] of [['GET', '/api/crm/boards'], ['GET', '/api/orders'], ['POST', '/messages/whatsapp'], ['GET', '/messages']] as const) {
			const res = await env.anon.request({ method, url, headers: { api_key: 'wrong' }, data: method === 'POST' ? {} : undefined });
			expect(res.status).toBe(401);
			expect(res.data).toEqual(UNAUTH);
		}
	});

	it('accepts Authorization: Bearer <key>', async () => {
		const res = await env.anon.get('/api/inboxes?limit=1', { headers: { Authorization: `Bearer ${env.sb.apiKey}` } });
		expect(res.status).toBe(200);
		const wrong = await env.anon.get('/api/inboxes?limit=1', { headers: { Authorization: 'Bearer nope' } });
		expect(wrong.status).toBe(401);
	});

	it('a rejected request changes nothing', async () => {
		const before = env.sb.store.revision;
		const res = await env.anon.post('/api/orders', { orders_products: [{ product_name: 'x', quantity: 1, price: 1 }], payment_method: 'manual', phone_number: '6281200000009' });
		expect(res.status).toBe(401);
		expect(env.sb.store.revision).toBe(before);
	});
});

describe('404s', () => {
	it('unknown route → 404 JSON', async () => {
		const res = await env.api.get('/api/nope');
		expect(res.status).toBe(404);
		expect(res.data).toEqual({ success: false, error: { code: 'NOT_FOUND', message: 'Route GET /api/nope not found' } });
		const crm = await env.api.get('/api/crm/nope');
		expect(crm.status).toBe(404);
		expect(crm.data.message).toContain('not found');
	});

	it('unknown ids → 404 in each family shape', async () => {
		const order = await env.api.get('/api/orders/00000000-0000-4000-8000-000000000000');
		expect(order.status).toBe(404);
		expect(order.data).toEqual({ message: 'Order 00000000-0000-4000-8000-000000000000 not found' });
		const board = await env.api.get('/api/crm/boards/nope');
		expect(board.status).toBe(404);
		expect(board.data).toEqual({ message: 'Board nope not found' });
		const camp = await env.api.get('/api/campaigns/nope/messages');
		expect(camp.status).toBe(404);
		expect(camp.data).toEqual({ success: false, error: { code: 'NOT_FOUND', message: 'Campaign nope not found' } });
		const conv = await env.api.put('/api/conversations/nope', { notes: 'x' });
		expect(conv.status).toBe(404);
		expect(conv.data.error.code).toBe('NOT_FOUND');
		const legacy = await env.api.get('/messages?conversation_id=nope');
		expect(legacy.status).toBe(404);
		const item = await env.api.put(`/api/crm/boards/${env.sb.store.boards.all()[0].id}/items/nope`, { Notes: 'x' });
		expect(item.status).toBe(404);
		expect(item.data.message).toContain('Item nope not found');
	});
});
