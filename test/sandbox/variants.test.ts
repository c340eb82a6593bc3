/** Auth forms, x-ratelimit headers and 429, variant switching (option, env, control route) and split hosts. */
import axios from 'axios';
import { DEFAULT_VARIANT, parseVariant, startSandbox } from '../../sandbox';
import { FIXED_NOW, startTestSandbox, type TestEnv } from './helpers';

describe('auth and rate limit', () => {
	let env: TestEnv;
	beforeAll(async () => {
		env = await startTestSandbox();
	});
	afterAll(() => env.sb.close());
	afterEach(() => env.sb.reset());

	it('accepts api_key header, Authorization: api_key <key> and Authorization: Bearer <key>', async () => {
		for (const headers of [{ api_key: env.sb.apiKey }, { authorization: `api_key ${env.sb.apiKey}` }, { authorization: `Bearer ${env.sb.apiKey}` }]) {
			expect((await env.anon.get('/api/inboxes?limit=1', { headers })).status).toBe(200);
		}
		expect((await env.anon.get('/api/inboxes?limit=1', { headers: { authorization: 'api_key wrong' } })).status).toBe(401);
	});

	it('every API answer carries x-ratelimit-*; past the limit a 429 { message } that changes nothing', async () => {
		const ok = await env.api.get('/api/inboxes?limit=1');
		expect(ok.headers['x-ratelimit-limit']).toBe('100000');
		expect(Number(ok.headers['x-ratelimit-remaining'])).toBeLessThan(100000);
		expect(ok.headers['x-ratelimit-reset']).toBe(String(Math.floor(FIXED_NOW / 60000) * 60 + 60));
		expect((await env.anon.get('/api/inboxes')).headers['x-ratelimit-limit']).toBe('100000'); // a 401 too

		await env.anon.post('/__sandbox/rate-limit', { limit: 2 });
		const rev = env.sb.store.revision;
		const a = await env.api.get('/api/agents?limit=1');
		expect(a.headers['x-ratelimit-remaining']).toBe('1');
		await env.api.get('/api/agents?limit=1');
		const blocked = await env.api.post('/api/orders', { orders_products: [{ product_name: 'x', quantity: 1, price: 1 }], payment_method: 'xendit', phone_number: '6281200003333' });
		expect(blocked.status).toBe(429);
		expect(blocked.data).toEqual({ message: expect.any(String) });
		expect(blocked.headers['x-ratelimit-remaining']).toBe('0');
		expect(env.sb.store.revision).toBe(rev);
		env.clock.now += 60_000; // the next window
		expect((await env.api.get('/api/agents?limit=1')).status).toBe(200);
		env.sb.reset(); // back to the start limit
		expect((await env.api.get('/api/agents?limit=1')).headers['x-ratelimit-limit']).toBe('100000');
	});
});

describe('variant switching', () => {
	it('parseVariant reads the env form; bad names are errors', () => {
		expect(parseVariant('orderUpdatedAt,paymentStatusCase=upper,pageMetadata=total_data,conversations=v1')).toEqual({ orderUpdatedAt: true, paymentStatusCase: 'upper', pageMetadata: 'total_data', conversations: 'v1' });
		expect(() => parseVariant('colour=red')).toThrow(/unknown variant 'colour'/);
		expect(() => parseVariant('conversations=v3')).toThrow(/conversations/);
	});

	it('CEKAT_SANDBOX_VARIANT applies at start, the option over it; reset keeps the start variant', async () => {
		process.env.CEKAT_SANDBOX_VARIANT = 'paymentStatusCase=upper,pageMetadata=total_data';
		const sb = await startSandbox({ port: 0, now: () => FIXED_NOW, variant: { pageMetadata: 'total_items' } });
		delete process.env.CEKAT_SANDBOX_VARIANT;
		try {
			expect(sb.variant).toEqual({ ...DEFAULT_VARIANT, paymentStatusCase: 'upper' });
			const api = axios.create({ baseURL: sb.url, headers: { api_key: sb.apiKey } });
			expect((await api.get('/api/orders?limit=1')).data.data.orders[0].payment_status).toMatch(/^[A-Z]+$/);
			await axios.post(`${sb.url}/__sandbox/variant`, { paymentStatusCase: 'lower', conversations: 'v1' });
			expect((await api.get('/api/orders?limit=1')).data.data.orders[0].payment_status).toMatch(/^[a-z]+$/);
			expect((await api.get('/api/conversations?page=1&limit=1')).data.metadata.pagination.total_items).toBe(300);
			await axios.post(`${sb.url}/__sandbox/reset`, {});
			expect((await axios.get(`${sb.url}/__sandbox/variant`)).data.variant).toEqual({ ...DEFAULT_VARIANT, paymentStatusCase: 'upper' });
		} finally {
			await sb.close();
		}
	});
});

describe('split hosts', () => {
	it('the server host serves CRM, orders, contacts and PUT conversation; the api host serves everything; one store', async () => {
		const sb = await startSandbox({ port: 0, now: () => FIXED_NOW, variant: { hosts: 'split' } });
		try {
			expect(sb.serverUrl).not.toBe(sb.url);
			const server = axios.create({ baseURL: sb.serverUrl, headers: { api_key: sb.apiKey }, validateStatus: () => true });
			const api = axios.create({ baseURL: sb.url, headers: { api_key: sb.apiKey }, validateStatus: () => true });
			for (const path of ['/api/crm/boards', '/api/orders?limit=1', '/api/contacts?limit=1']) {
				expect((await server.get(path)).status).toBe(200);
				expect((await api.get(path)).status).toBe(200);
			}
			expect((await server.get('/api/messages?limit=1')).status).toBe(404);
			expect((await server.get('/api/conversations?limit=1')).status).toBe(404);
			const conv = sb.store.conversations.all()[0];
			const put = await server.put(`/api/conversations/${conv.id}`, { notes: 'dari server host' });
			expect(put.status).toBe(200);
			expect((await api.get(`/api/conversations/${conv.id}`)).data.data.notes).toBe('dari server host');
			expect(sb.journal().map((e) => e.host)).toEqual(expect.arrayContaining(['api', 'server']));
		} finally {
			await sb.close();
		}
	});

	it('single (default): serverUrl is the same host', async () => {
		const sb = await startSandbox({ port: 0 });
		try {
			expect(sb.serverUrl).toBe(sb.url);
			expect(sb.journal().every((e) => e.host === undefined)).toBe(true);
		} finally {
			await sb.close();
		}
	});
});
