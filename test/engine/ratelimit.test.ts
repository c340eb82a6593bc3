import type { IDataObject, INode } from 'n8n-workflow';

import { noteAnswer, withRateLimit } from '../../nodes/Cekat/shared/rateLimit';
import { API_KEY, useEnv, type Env } from './env';
import type { CekatCredentials } from './harness';

/**
 * Rate limits through n8n's real engine against the sandbox's fixed-window limiter (x-ratelimit-* on
 * every answer, 429 `{ message }` past the limit). Short windows keep the tests fast.
 */

const DAY = 24 * 60 * 60 * 1000;
const LIMIT = 10;
const WINDOW_S = 2;

function openConversation(env: Env) {
	const { store } = env.sandbox;
	const conversation = store.conversations.all().find((c) => {
		const last = store.lastContactMessageAt(c.id);
		return store.inboxes.get(c.inbox_id)?.type === 'whatsapp' && !!last && Date.now() - Date.parse(last) < DAY - 120_000;
	});
	if (!conversation) throw new Error('no conversation with an open 24-hour window in the seed');
	return conversation;
}

const send = (env: Env) => ({
	resource: 'message',
	operation: 'sendWhatsApp',
	sendTo: 'conversation',
	conversationId: openConversation(env).id,
	messageType: 'text',
	message: '={{ $json.text }}',
});

/** The credential's Rate Limit: Maximum Wait (the harness's credential type does not list it). */
const maxWait = (seconds: number) => ({ rateLimitMaxWait: seconds }) as unknown as Partial<CekatCredentials>;

/** Waits for the start of the sandbox's next window, so a test gets a whole window of its own. */
async function nextWindow() {
	const ms = WINDOW_S * 1000 - (Date.now() % (WINDOW_S * 1000)) + 20;
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** The node's sends as the sandbox saw them: accepted texts (with duplicates) and refused ones. */
function sends(env: Env) {
	const own = env.requests().filter((r) => r.method === 'POST' && r.path === '/messages/whatsapp');
	const accepted = own.filter((r) => r.status === 200).map((r) => (r.body as IDataObject).message as string);
	return { accepted, limited: own.filter((r) => r.status === 429).length, other: own.filter((r) => r.status !== 200 && r.status !== 429).length };
}

describe('Rate limits through the engine', () => {
	const env = useEnv({ rateLimit: { limit: LIMIT, windowSeconds: WINDOW_S } });
	afterEach(() => env.sandbox.reset());

	it(`12 sends under ${LIMIT} per ${WINDOW_S} s: all delivered, each once, the rest waited for the reset`, async () => {
		await nextWindow();
		const texts = Array.from({ length: 12 }, (_, i) => `rate ${i}`);
		const started = Date.now();
		const result = await env.run(send(env), { items: texts.map((text) => ({ text })) });
		const elapsed = Date.now() - started;
		expect(result.error).toBeUndefined();
		expect(result.json).toHaveLength(12);
		const { accepted, limited, other } = sends(env);
		// Paced by the headers: no request met a 429, the 2 past the limit waited for the reset.
		expect(limited).toBe(0);
		expect(accepted.sort()).toEqual([...texts].sort());
		expect(new Set(accepted).size).toBe(12);
		expect(other).toBe(0);
		// Stored once each: the sandbox's messages hold every text exactly once.
		const stored = env.sandbox.store.messages.all().filter((m) => texts.includes(String(m.message)));
		expect(stored).toHaveLength(12);
		// 2 of them had to wait for the next window.
		expect(elapsed).toBeGreaterThan(200);
	});

	it('a window already spent by someone else: the 429s are sent again after the reset, nothing twice', async () => {
		await nextWindow();
		for (let i = 0; i < LIMIT; i++) await env.api.get('/api/inboxes');
		const texts = Array.from({ length: 12 }, (_, i) => `late ${i}`);
		const result = await env.run(send(env), { items: texts.map((text) => ({ text })) });
		expect(result.error).toBeUndefined();
		const { accepted, limited } = sends(env);
		expect(limited).toBeGreaterThanOrEqual(1);
		expect(accepted.sort()).toEqual([...texts].sort());
		const stored = env.sandbox.store.messages.all().filter((m) => texts.includes(String(m.message)));
		expect(stored).toHaveLength(12);
	});

	it('a 429 whose wait is past the Maximum Wait fails with Cekat’s message and the wait', async () => {
		env.sandbox.addFault({ path: '/messages/whatsapp', kind: 'status', status: 429, retryAfter: 120, body: { message: 'Too many requests' } });
		const started = Date.now();
		const result = await env.run(send(env), { items: [{ text: 'too long' }] });
		expect(Date.now() - started).toBeLessThan(2000);
		expect(result.error?.message).toBe('Cekat error 429: Too many requests (would have had to wait 120 s)');
		expect(result.error?.description).toMatch(/Maximum Wait is 60 s/);
		expect(result.error?.httpCode).toBe('429');
		expect(sends(env)).toEqual({ accepted: [], limited: 1, other: 0 });
	});

	it('the Maximum Wait counts every 429 of a request: a second wait past it fails', async () => {
		env.sandbox.addFault({ path: '/messages/whatsapp', kind: 'status', status: 429, retryAfter: 1, count: 2, body: { message: 'Too many requests' } });
		const result = await env.run(send(env), { items: [{ text: 'twice' }], credentials: maxWait(1) });
		expect(result.error?.message).toBe('Cekat error 429: Too many requests (would have had to wait 1 s)');
		expect(result.error?.description).toMatch(/after 1 s of waiting[\s\S]*Maximum Wait is 1 s/);
		expect(sends(env)).toEqual({ accepted: [], limited: 2, other: 0 });
	});

	it('a 429 within the Maximum Wait is sent again and delivered once', async () => {
		env.sandbox.addFault({ path: '/messages/whatsapp', kind: 'status', status: 429, retryAfter: 1, body: { message: 'Too many requests' } });
		const started = Date.now();
		const result = await env.run(send(env), { items: [{ text: 'once' }] });
		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(sends(env)).toEqual({ accepted: ['once'], limited: 1, other: 0 });
	});

	it('Maximum Wait 0 fails at once', async () => {
		env.sandbox.addFault({ path: '/messages/whatsapp', kind: 'status', status: 429, retryAfter: 1, body: { message: 'Too many requests' } });
		const started = Date.now();
		const result = await env.run(send(env), { items: [{ text: 'never wait' }], credentials: maxWait(0) });
		expect(Date.now() - started).toBeLessThan(1000);
		expect(result.error?.message).toBe('Cekat error 429: Too many requests (would have had to wait 1 s)');
		expect(result.error?.description).toMatch(/Maximum Wait is 0 s/);
		expect(sends(env)).toEqual({ accepted: [], limited: 1, other: 0 });
	});

	it('any other failure is not retried: a 500 is one request and fails', async () => {
		env.sandbox.addFault({ path: '/messages/whatsapp', kind: 'status', status: 500, retryAfter: 1, body: { message: 'Internal server error' } });
		const result = await env.run(send(env), { items: [{ text: 'server error' }] });
		expect(result.error?.message).toBe('Cekat error 500: Internal server error');
		expect(sends(env)).toEqual({ accepted: [], limited: 0, other: 1 });
	});

	it('Return All across pages under 2 requests per second completes, each record once', async () => {
		env.sandbox.rateLimiter.configure({ limit: 2, windowSeconds: 1 });
		await nextWindow();
		const result = await env.run({ resource: 'contact', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		const total = env.sandbox.store.contacts.size;
		expect(result.json).toHaveLength(total);
		expect(new Set(result.json.map((c) => c.id)).size).toBe(total);
		const pages = env.requests().filter((r) => r.path === '/api/contacts');
		expect(pages.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(3);
	});

	it('a picker (outside the routing engine) waits too', async () => {
		await nextWindow();
		for (let i = 0; i < LIMIT; i++) await env.api.get('/api/inboxes');
		const found = await env.method<{ results: unknown[] }>('listSearch', 'searchBoards', { resource: 'crmBoard', operation: 'get' });
		expect(found.results.length).toBeGreaterThan(0);
		const boards = env.requests().filter((r) => r.path === '/api/crm/boards');
		expect(boards.map((r) => r.status)).toEqual([429, 200]);
	});
});

describe('Waiting for the limit stops when the execution is cancelled', () => {
	it('rejects at once, and the request is never sent', async () => {
		const controller = new AbortController();
		const node = { name: 'Cekat' } as INode;
		const ctx = {
			getNode: () => node,
			getCredentials: async <T extends object>() => ({ apiKey: API_KEY, baseUrl: 'http://cancel.invalid', rateLimitMaxWait: 60 }) as unknown as T,
			getExecutionCancelSignal: () => controller.signal,
		};
		// Cekat said: spent for 30 s.
		await noteAnswer(ctx, 200, { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 30) });
		let sent = false;
		const waiting = withRateLimit(ctx, async () => {
			sent = true;
			return 'sent';
		});
		const started = Date.now();
		setTimeout(() => controller.abort(), 100);
		await expect(waiting).rejects.toThrow(/cancelled while waiting for Cekat’s rate limit/);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(sent).toBe(false);
	});
});
