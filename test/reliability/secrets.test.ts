import { logLines } from './verbose-logging';

import { findSecret } from '../secrets';
import { API_KEY, byId, fromList, UNKNOWN_ID, useEnv } from '../engine/env';
import { runCekat } from '../engine/harness';

/**
 * Runs the node's success and failure paths with n8n's logger at debug level and checks that the
 * API key appears in no output item, error (message, description, cause), execution data or logged
 * line. (Every engine run also checks the execution data, and every suite its process output.)
 */
describe('the API key never leaks', () => {
	const env = useEnv();
	const lines = logLines;
	afterAll(() => {
		process.env.N8N_LOG_LEVEL = 'silent';
	});

	const order = () => env.sandbox.store.orders.all()[0];
	const cases: Array<[string, () => Promise<unknown>]> = [
		['a successful get', () => env.run({ resource: 'order', operation: 'get', orderId: byId(order().id) })],
		['a Return All', () => env.run({ resource: 'contact', operation: 'getAll', returnAll: true })],
		['a 404', () => env.run({ resource: 'order', operation: 'get', orderId: byId(UNKNOWN_ID) })],
		['a 400', () => env.run({ resource: 'order', operation: 'update', orderId: byId(order().id), updateFields: { customInvoiceUrl: 'nope' } })],
		['a local validation error', () => env.run({ resource: 'order', operation: 'get', orderId: byId('={{ "x" }}') })],
		['a dropped connection', async () => {
			env.sandbox.addFault({ path: '/api/orders/:id', kind: 'drop' });
			return await env.run({ resource: 'order', operation: 'get', orderId: byId(order().id) });
		}],
		['a timeout with On Error → Continue', async () => {
			env.sandbox.addFault({ path: '/api/orders/:id', kind: 'delay', delayMs: 600 });
			const result = await env.run({ resource: 'order', operation: 'get', orderId: byId(order().id), requestOptions: { timeout: 100 } }, { settings: { onError: 'continueRegularOutput' } });
			await new Promise((resolve) => setTimeout(resolve, 700));
			return result;
		}],
		['a 429 with Retry On Fail', async () => {
			env.sandbox.addFault({ path: '/api/orders/:id', kind: 'status', status: 429, retryAfter: 1, count: 1 });
			return await env.run({ resource: 'order', operation: 'get', orderId: byId(order().id) }, { settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 } });
		}],
		['a refused connection (wrong Base URL)', () =>
			runCekat({ parameters: { resource: 'inbox', operation: 'getAll', returnAll: true }, credentials: { apiKey: API_KEY, baseUrl: 'http://127.0.0.1:1' } })],
		['a picker whose list fails', async () => {
			env.sandbox.addFault({ path: '/api/crm/boards', kind: 'drop' });
			return await env.method('listSearch', 'searchBoards', { resource: 'crmBoard', operation: 'get', boardId: fromList('') }).catch((error: unknown) => error);
		}],
	];

	it.each(cases)('%s', async (_name, run) => {
		const result = await run();
		expect(findSecret(result, API_KEY)).toBeUndefined();
		expect(lines.filter((line) => line.includes(API_KEY))).toEqual([]);
	});

	it('the debug log really was on and captured', () => {
		expect(lines.some((line) => line.includes('Start executing node'))).toBe(true);
	});

	it('a refused connection says what to check', async () => {
		const result = await runCekat({ parameters: { resource: 'inbox', operation: 'getAll', returnAll: true }, credentials: { apiKey: API_KEY, baseUrl: 'http://127.0.0.1:1' } });
		expect(result.error?.message).toBe('Cekat could not be reached: connection refused');
		expect(result.error?.description).toMatch(/Base URL/);
	});
});
