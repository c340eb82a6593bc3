import type { IDataObject } from 'n8n-workflow';

import type { FaultSpec } from '../../sandbox';
import { API_KEY, byId, useEnv, type Env } from '../engine/env';

/**
 * Fault matrix: every fault the sandbox can inject, against a get, a list in the middle of Return All,
 * a create and a send. Each must give a clear error; On Error → Continue must keep N items in → N out,
 * paired, the good ones kept; Retry On Fail must survive a passing fault; a Return All cut by a
 * fault must never come out as a shorter list.
 */

const TIMEOUT_MS = 300;
const DAY = 24 * 60 * 60 * 1000;

type Fault = { name: string; spec: Omit<FaultSpec, 'path'>; message: RegExp };

const FAULTS: Fault[] = [
	{ name: '429 + Retry-After', spec: { kind: 'status', status: 429, retryAfter: 120, body: { message: 'Too many requests' } }, message: /^Cekat error 429: Too many requests/ },
	{ name: '500', spec: { kind: 'status', status: 500, body: { message: 'Internal server error' } }, message: /^Cekat error 500: Internal server error/ },
	{ name: '502', spec: { kind: 'status', status: 502, body: { message: 'Bad gateway' } }, message: /^Cekat error 502: Bad gateway/ },
	{ name: '503', spec: { kind: 'status', status: 503, body: { success: false, error: { message: 'Service unavailable' } } }, message: /^Cekat error 503: Service unavailable/ },
	{ name: 'timeout', spec: { kind: 'delay', delayMs: TIMEOUT_MS * 5 }, message: /^Cekat did not answer in time$/ },
	{ name: 'dropped connection', spec: { kind: 'drop' }, message: /^The connection to Cekat was closed before it answered$/ },
	{ name: 'malformed JSON', spec: { kind: 'malformed' }, message: /^Cekat answered HTTP 200 with a body that is not valid JSON/ },
	{ name: 'HTML error page', spec: { kind: 'html', status: 502 }, message: /^Cekat error 502: .*not by Cekat's API/ },
	{ name: 'empty body', spec: { kind: 'empty', status: 200 }, message: /^Cekat answered HTTP 200 with an empty body/ },
];

interface Target {
	name: string;
	/** Route pattern the fault is put on. */
	path: string;
	/** Node parameters; per-item values come from the input item through expressions. */
	parameters(env: Env): IDataObject;
	item(env: Env, index: number): IDataObject;
	/** Journal entries of this target only. */
	isOwn(path: string): boolean;
}

function openConversation(env: Env) {
	const { store } = env.sandbox;
	return store.conversations.all().find((c) => {
		const last = store.lastContactMessageAt(c.id);
		return store.inboxes.get(c.inbox_id)?.type === 'whatsapp' && !!last && Date.now() - Date.parse(last) < DAY - 120_000;
	})!;
}

const TARGETS: Target[] = [
	{
		name: 'get',
		path: '/api/orders/:id',
		parameters: () => ({ resource: 'order', operation: 'get', orderId: byId('={{ $json.orderId }}') }),
		item: (env, index) => ({ orderId: env.sandbox.store.orders.all()[index].id }),
		isOwn: (path) => path.startsWith('/api/orders/'),
	},
	{
		name: 'create',
		path: '/api/orders',
		parameters: () => ({
			resource: 'order',
			operation: 'create',
			products: { product: [{ productName: '={{ $json.product }}', quantity: 1, price: 1000 }] },
			paymentMethod: 'manual',
			bankAccountNumber: 'BCA 1234567890',
			buyer: 'phone',
			phoneNumber: '={{ $json.phone }}',
		}),
		item: (_env, index) => ({ product: `Item ${index}`, phone: `62811000000${index}` }),
		isOwn: (path) => path === '/api/orders',
	},
	{
		name: 'send',
		path: '/messages/whatsapp',
		parameters: (env) => ({
			resource: 'message',
			operation: 'sendWhatsApp',
			sendTo: 'conversation',
			conversationId: byId(openConversation(env).id),
			messageType: 'text',
			message: '={{ $json.text }}',
		}),
		item: (_env, index) => ({ text: `fault test ${index}` }),
		isOwn: (path) => path === '/messages/whatsapp',
	},
];

describe('fault matrix', () => {
	const env = useEnv();
	afterEach(() => env.sandbox.reset());
	const requestOptions = { timeout: TIMEOUT_MS };
	const outcomes = { tried: 0, survived: 0 };
	afterAll(() => {
		// eslint-disable-next-line no-console
		console.log(`fault matrix: ${outcomes.tried} fault runs, ${outcomes.survived} survived with Retry On Fail`);
	});

	/** Waits until a delayed request has reached the sandbox, so the next test starts clean. */
	const settle = async (fault: Fault) => {
		if (fault.spec.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, (fault.spec.delayMs ?? 0) + 100));
	};

	describe.each(FAULTS)('$name', (fault) => {
		it.each(TARGETS)('$name: a clear error, no output', async (target) => {
			outcomes.tried++;
			env.sandbox.addFault({ path: target.path, ...fault.spec });
			const result = await env.run({ ...target.parameters(env), requestOptions }, { items: [target.item(env, 0)] });
			expect(result.error?.message).toMatch(fault.message);
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.items).toEqual([]);
			expect(JSON.stringify(result.run)).not.toContain(API_KEY);
			await settle(fault);
		});

		it.each(TARGETS)('$name: On Error → Continue keeps 3 in → 3 out, paired, the good ones kept', async (target) => {
			outcomes.tried++;
			// The fault hits whichever request arrives first.
			env.sandbox.addFault({ path: target.path, ...fault.spec, count: 1 });
			const run = await env.run({ ...target.parameters(env), requestOptions }, {
				items: [0, 1, 2].map((index) => target.item(env, index)),
				settings: { onError: 'continueRegularOutput' },
			});
			await settle(fault);
			expect(run.items).toHaveLength(3);
			expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			const failed = run.items.filter((item) => item.json.error !== undefined);
			expect(failed).toHaveLength(1);
			expect(String(failed[0].json.error)).toMatch(fault.message);
			// The error sits at the place of the item whose request was faulted.
			const faulted = env.requests().find((r) => r.faultId !== undefined)!;
			const faultedIndex = [0, 1, 2].find((index) =>
				JSON.stringify([faulted.path, faulted.body]).includes(String(Object.values(target.item(env, index))[0])),
			);
			expect(run.items[faultedIndex!].json.error).toBeDefined();
			const good = run.items.filter((item) => item.json.error === undefined);
			expect(good.every((item) => typeof item.json.id === 'string' || typeof item.json.message_id === 'string')).toBe(true);
			expect(JSON.stringify(run.items)).not.toContain(API_KEY);
		});

		it.each(TARGETS)('$name: Retry On Fail survives the fault once it passes', async (target) => {
			outcomes.tried++;
			env.sandbox.addFault({ path: target.path, ...fault.spec, count: 1 });
			const before = target.name === 'send' ? env.sandbox.store.messages.size : env.sandbox.store.orders.size;
			const result = await env.run({ ...target.parameters(env), requestOptions }, { items: [target.item(env, 0)], settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 } });
			await settle(fault);
			expect(result.error).toBeUndefined();
			expect(result.json).toHaveLength(1);
			outcomes.survived++;
			const own = env.requests().filter((r) => target.isOwn(r.path));
			expect(own.length).toBeGreaterThanOrEqual(2);
			const after = target.name === 'send' ? env.sandbox.store.messages.size : env.sandbox.store.orders.size;
			const written = target.name === 'get' ? 0 : 1;
			if (fault.spec.kind === 'delay') {
				// A timed-out write may still have been done by the server: the retry then writes again.
				// This is the limit README.md documents for retried sends.
				expect(after - before).toBe(written * 2);
			} else {
				expect(after - before).toBe(written);
			}
		});
	});

	describe.each(FAULTS)('list in the middle of Return All: $name', (fault) => {
		const total = () => env.sandbox.store.contacts.size;
		const faultPage2 = () => {
			env.sandbox.addFault({ path: '/api/contacts', kind: 'delay', delayMs: 1, count: 1 });
			env.sandbox.addFault({ path: '/api/contacts', ...fault.spec, count: 1 });
		};

		it('fails the item: no partial list comes out', async () => {
			outcomes.tried++;
			faultPage2();
			const result = await env.run({ resource: 'contact', operation: 'getAll', returnAll: true, requestOptions });
			await settle(fault);
			expect(result.error?.message).toMatch(fault.message);
			expect(result.items).toEqual([]);
		});

		it('On Error → Continue: one error item, not a shorter list', async () => {
			outcomes.tried++;
			faultPage2();
			const result = await env.run({ resource: 'contact', operation: 'getAll', returnAll: true, requestOptions }, { settings: { onError: 'continueRegularOutput' } });
			await settle(fault);
			expect(result.items).toHaveLength(1);
			expect(String(result.items[0].json.error)).toMatch(fault.message);
			expect(result.items[0].pairedItem).toEqual({ item: 0 });
		});

		it('Retry On Fail: the whole list, each record once', async () => {
			outcomes.tried++;
			faultPage2();
			const result = await env.run({ resource: 'contact', operation: 'getAll', returnAll: true, requestOptions }, { settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 } });
			await settle(fault);
			expect(result.error).toBeUndefined();
			expect(result.json).toHaveLength(total());
			expect(new Set(result.json.map((c) => c.id)).size).toBe(total());
			outcomes.survived++;
		});
	});
});
