/**
 * Odd inputs never crash the server: no 5xx, always a JSON answer, and a rejected (4xx) request never
 * changes the store. Inputs come from a seeded PRNG so a failure is reproducible.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Rng } from '../../sandbox/prng';
import { startTestSandbox, type TestEnv } from './helpers';

let env: TestEnv;
beforeAll(async () => {
	env = await startTestSandbox({ sizes: { orders: 200, contacts: 100, conversations: 60, itemsPerBoard: 30 } });
});
afterAll(() => env.sb.close());

const contract = JSON.parse(readFileSync(path.join(__dirname, '../../sandbox/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
const routes: Array<[string, string]> = [
	...Object.entries(contract.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => [m.toUpperCase(), p] as [string, string])),
	['POST', '/templates/send'],
	['GET', '/templates'],
];

const FIELD_NAMES = [
	'orders_products', 'payment_method', 'product_name', 'quantity', 'price', 'discount', 'shipping_fee', 'vat', 'contact_id',
	'conversation_id', 'phone_number', 'display_name', 'email', 'item_name', 'group_id', 'Stage', 'Deal Value', 'Close Date',
	'Owner', 'Notes', 'Lead Score', 'Priority', 'search', 'condition', 'column_name', 'operator', 'value', 'item_ids', 'name',
	'receiver', 'message', 'media_type', 'file_url', 'location', 'latitude', 'longitude', 'header', 'footer', 'action',
	'parameters', 'url', 'display_text', 'inbox_id', 'wa_template_id', 'template_body_variables', 'order_status',
	'payment_status', 'custom_invoice_url', 'invoice_is_sent', 'stage_status', 'handled_by_id', 'assigned_ai_agent',
	'keep_assigned_ai_agent_on_resolve', '__proto__', 'constructor', 'toString', '', ' ', 'ñ',
];
const ODD_STRINGS = [
	'', ' ', '0', '-1', '1.5', '1e3', 'NaN', 'Infinity', 'null', 'true', 'abc', '2024-02-30', '2024-13-01', '2026-06-01',
	'9999-99-99', '99999999999999999999', '628123456789', '+628123', '0812345678', 'https://example.com/x', 'ftp://x',
	'Won', 'manual', 'pending', 'cta_url', 'location', 'image', 'equals', 'greater_than', 'AND', 'xor', 'x'.repeat(5000),
	'é🙂\u0000', '<script>', '{{1}}', '%', '../..', 'constructor', '__proto__',
];
const QUERY_KEYS = ['page', 'limit', 'start_date', 'end_date', 'cursor_id', 'cursor_ts', 'conversation_id', 'order_status', 'payment_status', 'sort_field', 'sort_direction', 'search', 'include_conv', 'inbox_id', 'product_ids', 'export_scope', 'x'];

function oddValue(r: Rng, depth: number): unknown {
	const kind = r.int(0, depth > 2 ? 5 : 8);
	switch (kind) {
		case 0:
			return null;
		case 1:
			return r.bool();
		case 2:
			return r.pick([0, -1, 1, 2, 1.5, 1e308, -1e308, 2 ** 53 + 1, 100, 10_000_000]);
		case 3:
		case 4:
		case 5:
			return r.pick(ODD_STRINGS);
		case 6:
		case 7:
			return Array.from({ length: r.int(0, 3) }, () => oddValue(r, depth + 1));
		default: {
			const o: Record<string, unknown> = {};
			for (let i = r.int(0, 5); i > 0; i--) o[r.pick(FIELD_NAMES)] = oddValue(r, depth + 1);
			return o;
		}
	}
}

function realIds(): Record<string, string[]> {
	const s = env.sb.store;
	const board = s.boards.all()[0];
	return {
		id: [s.orders.all()[0].id, board.id, s.conversations.all()[0].id, s.campaigns.all()[0].id],
		boardId: [board.id],
		columnId: [board.crm_columns[0].id],
		itemId: [s.itemsOfBoard(board.id)[0]?.id ?? 'x'],
	};
}

/** Sends the path exactly as given (axios would normalise or refuse some of these). */
function rawGet(pathAndQuery: string, headers: Record<string, string | string[]>): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = http.request(`${env.sb.url}/`, { method: 'GET', path: pathAndQuery, headers }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (c: string) => (body += c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
		});
		req.on('error', reject);
		req.end();
	});
}

const ODD_SEGMENTS = ['x', 'null', '0', '%20', '%E0%A4%A', '%00', '..', 'é', 'a'.repeat(300), '%2F', '{id}', ':id'];

describe('fuzz', () => {
	it('1,500 odd requests: never 5xx, always JSON, rejections change nothing', async () => {
		const r = new Rng(2026, 'fuzz');
		const failures: string[] = [];
		for (let i = 0; i < 1500; i++) {
			const [method, tpl] = r.pick(routes);
			const ids = realIds();
			const url = tpl.replace(/\{(\w+)\}/g, (_, k: string) => (r.bool(0.6) ? r.pick(ids[k] ?? ['x']) : r.pick(ODD_SEGMENTS)));
			const qs: string[] = [];
			for (let k = r.int(0, 4); k > 0; k--) qs.push(`${r.pick(QUERY_KEYS)}=${encodeURIComponent(r.pick(ODD_STRINGS))}`);
			const fullUrl = qs.length ? `${url}?${qs.join('&')}` : url;
			let data: string | undefined;
			let contentType: string | undefined = 'application/json';
			const bodyKind = r.int(0, 9);
			if (bodyKind <= 6) data = JSON.stringify(oddValue(r, 0));
			else if (bodyKind === 7) data = r.pick(['{', '{"a":', '[1,', 'nul', '{"orders_products":[{]}', '\u0000', '{}}']);
			else if (bodyKind === 8) {
				data = 'a=1&b=2';
				contentType = r.pick(['application/x-www-form-urlencoded', 'text/plain', 'application/xml', undefined]);
			}
			const rev = env.sb.store.revision;
			const headers: Record<string, string> = {};
			if (contentType) headers['content-type'] = contentType;
			const res = await env.api.request({ method, url: fullUrl, data, headers, transformRequest: [(d) => d], transformResponse: [(d) => d], responseType: 'text' });
			const tag = `#${i} ${method} ${fullUrl.slice(0, 120)} body=${String(data).slice(0, 120)} → ${res.status}`;
			if (res.status >= 500) failures.push(`5xx: ${tag} ${String(res.data).slice(0, 200)}`);
			if (method !== 'HEAD') {
				try {
					JSON.parse(res.data);
				} catch {
					failures.push(`not JSON: ${tag}`);
				}
			}
			if (res.status >= 400 && env.sb.store.revision !== rev) failures.push(`rejected but changed the store: ${tag}`);
		}
		expect(failures).toEqual([]);
		expect((await env.api.get('/api/inboxes?limit=1')).status).toBe(200);
	});

	it('odd URLs and headers', async () => {
		const urls = ['/api/orders/%E0%A4%A', '/api/orders/%', '/api/orders?page=%ZZ', '/api/crm/boards/' + 'x'.repeat(2000), '//api//orders', '/api/orders/', '/API/ORDERS', '/api/orders;x', '/api/orders?limit=10&limit=20'];
		for (const url of urls) {
			const res = await rawGet(url, { api_key: env.sb.apiKey });
			expect({ url, ok: res.status >= 200 && res.status < 500 }).toEqual({ url, ok: true });
			expect(() => JSON.parse(res.body)).not.toThrow();
		}
		const doubled = await rawGet('/api/inboxes', { api_key: ['a', env.sb.apiKey] });
		expect(doubled.status).toBe(401);
		const emptyCt = await env.api.post('/api/orders', '{}', { headers: { 'content-type': '' }, transformRequest: [(d) => d] });
		expect(emptyCt.status).toBeGreaterThanOrEqual(400);
		expect(emptyCt.status).toBeLessThan(500);
	});

	it('a batch of invalid writes leaves every collection byte-for-byte unchanged', async () => {
		const s = env.sb.store;
		const names = ['contacts', 'conversations', 'messages', 'agent_assignments', 'orders', 'crm_items'];
		const snap = () => names.map((n) => JSON.stringify(s.dump(n)));
		const before = snap();
		const board = s.boards.all()[0];
		const item = s.itemsOfBoard(board.id)[0];
		const conv = s.conversations.all()[0];
		const order = s.orders.all()[0];
		const tpl = s.templates.all().find((t) => t.status === 'APPROVED' && t.body.includes('{{2}}'))!;
		const attempts: Array<[string, string, unknown]> = [
			['POST', '/api/orders', { orders_products: [{ product_name: 'x', quantity: 1, price: 100 }], payment_method: 'manual', phone_number: '6281999000111', discount: 500 }],
			['POST', '/api/orders', { orders_products: [{ product_name: 'x', quantity: 1, price: 100 }], payment_method: 'manual', conversation_id: conv.id, contact_id: 'someone-else' }],
			['PUT', `/api/orders/${order.id}`, { order_status: 'completed', bogus: true }],
			['PUT', `/api/conversations/${conv.id}`, { stage_status: 'resolved', handled_by_id: 'ghost' }],
			['PUT', `/api/crm/boards/${board.id}/items/${item.id}`, { item_name: 'renamed', 'Deal Value': 'many' }],
			['POST', `/api/crm/boards/${board.id}/items`, { item_name: 'x', Stage: 'Won', contact_id: 'ghost' }],
			['DELETE', `/api/crm/boards/${board.id}/items`, { item_ids: [item.id, 'ghost'] }],
			['POST', '/templates/send', { inbox_id: tpl.inbox_id, wa_template_id: tpl.wa_template_id, phone_number: '6281999000222', template_body_variables: ['only one'] }],
			['POST', '/messages/whatsapp', { receiver: '6281999000333', message: 'hi' }],
		];
		for (const [method, url, data] of attempts) {
			const res = await env.api.request({ method, url, data });
			expect({ url, status: res.status >= 400 && res.status < 500 }).toEqual({ url, status: true });
		}
		expect(snap()).toEqual(before);
	});
});
