/**
 * The conformance mock ingest server (mock-ingest-server.ts) over plain HTTP: the control API, FIFO answers,
 * the canonical default, delays and both kinds of disconnect, the journal's shape, and the script's
 * readiness line and clean stop. Fast (no n8n involved).
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';

import { DEFAULT_SUCCESS_BODY, INTERRUPTED_BODY_SHORTFALL, startMockIngestServer, type MockIngestServer } from './mock-ingest-server';

interface Raw {
	status?: number;
	reason?: string;
	headers?: http.IncomingHttpHeaders;
	body: string;
	/** how the exchange ended: the full body, a body cut short, or no answer at all */
	ended: 'complete' | 'aborted' | 'no-response';
}

/** One request on a fresh connection, reporting precisely how the server ended it. */
function send(base: string, method: string, urlPath: string, body?: string, headers: Record<string, string | string[]> = {}): Promise<Raw> {
	return new Promise((resolve) => {
		const req = http.request(`${base}${urlPath}`, { method, headers: { ...headers, ...(body !== undefined ? { 'Content-Length': Buffer.byteLength(body) } : {}) }, agent: false });
		req.on('response', (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			const done = (ended: Raw['ended']) =>
				resolve({ status: res.statusCode, reason: res.statusMessage, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ended });
			res.on('end', () => done('complete'));
			res.on('aborted', () => done('aborted'));
			res.on('error', () => done('aborted'));
		});
		req.on('error', () => resolve({ body: '', ended: 'no-response' }));
		req.end(body);
	});
}

const json = (value: unknown) => JSON.stringify(value);

describe('conformance mock ingest server', () => {
	let mock: MockIngestServer;
	let base: string;
	beforeAll(async () => {
		mock = await startMockIngestServer();
		base = mock.baseUrl;
	});
	afterAll(async () => await mock.close(100));
	beforeEach(async () => expect((await send(base, 'POST', '/__control/reset')).status).toBe(204));

	const queue = async (responses: unknown[]) => expect((await send(base, 'POST', '/__control/responses', json({ responses }))).status).toBe(204);
	const journal = async () => JSON.parse((await send(base, 'GET', '/__control/requests')).body) as { requests: Array<Record<string, unknown>> };
	const ingest = (body = '{"event_key":"x"}', headers: Record<string, string | string[]> = {}) => send(base, 'POST', '/api/events/ingest', body, headers);

	it('prints loopback origins without a path', () => {
		expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(mock.controlUrl).toBe(base);
	});

	it('answers the canonical 200 success envelope when nothing is queued, and journals the request as sent', async () => {
		const answer = await ingest('{"a": 1,  "b":"€"}', { Authorization: 'Bearer conformance-token', 'X-Multi': ['b', 'a'], 'User-Agent': 'probe/1.0.0' });
		expect(answer).toMatchObject({ status: 200, body: DEFAULT_SUCCESS_BODY, ended: 'complete' });
		expect(answer.headers?.['content-type']).toBe('application/json');
		const { requests } = await journal();
		expect(requests).toHaveLength(1);
		expect(requests[0]).toEqual({
			sequence: 1,
			method: 'POST',
			path: '/api/events/ingest',
			headers: expect.objectContaining({ authorization: ['Bearer conformance-token'], 'x-multi': ['a', 'b'], 'user-agent': ['probe/1.0.0'] }),
			body: '{"a": 1,  "b":"€"}',
		});
		const headers = requests[0].headers as Record<string, unknown>;
		for (const [name, values] of Object.entries(headers)) {
			expect(name).toBe(name.toLowerCase());
			expect(Array.isArray(values) && values.every((v) => typeof v === 'string')).toBe(true);
		}
		expect(headers).not.toHaveProperty('host');
	});

	it('answers queued responses first in, first out, with their status, headers, Go reason phrases and exact body', async () => {
		await queue([
			{ status: 418, body: 'not an error envelope' },
			{ status: 429, headers: { 'Retry-After': '1' }, body: '{"success":false,"error":"slow down"}' },
			{ status: 500, body: '' },
		]);
		const first = await ingest();
		expect(first).toMatchObject({ status: 418, reason: "I'm a teapot", body: 'not an error envelope', ended: 'complete' });
		const second = await ingest();
		expect(second).toMatchObject({ status: 429, reason: 'Too Many Requests', body: '{"success":false,"error":"slow down"}' });
		expect(second.headers?.['retry-after']).toBe('1');
		expect(await ingest()).toMatchObject({ status: 500, reason: 'Internal Server Error', body: '' });
		expect(await ingest()).toMatchObject({ status: 200, body: DEFAULT_SUCCESS_BODY });
		expect((await journal()).requests.map((r) => r.sequence)).toEqual([1, 2, 3, 4]);
	});

	it('replaces the remaining queue without clearing the journal; reset clears both and restarts the sequence', async () => {
		await queue([{ status: 500, body: 'a' }, { status: 501, body: 'b' }]);
		expect((await ingest()).status).toBe(500);
		await queue([{ status: 502, body: 'c' }]);
		expect((await ingest()).status).toBe(502);
		expect((await ingest()).status).toBe(200);
		expect((await journal()).requests).toHaveLength(3);
		await queue([{ status: 503, body: 'd' }]);
		expect((await send(base, 'POST', '/__control/reset')).status).toBe(204);
		expect((await journal()).requests).toEqual([]);
		expect((await ingest()).status).toBe(200);
		expect((await journal()).requests.map((r) => r.sequence)).toEqual([1]);
	});

	it('delays after journaling, before the headers', async () => {
		await queue([{ status: 200, body: 'late', delay_ms: 150 }]);
		const journaled: number[] = [];
		mock.events.once('journaled', () => journaled.push(performance.now()));
		const started = performance.now();
		const answer = await ingest();
		expect(answer).toMatchObject({ status: 200, body: 'late' });
		expect(performance.now() - started).toBeGreaterThanOrEqual(145);
		expect(journaled[0] - started).toBeLessThan(100);
	});

	it('disconnect_before_headers journals the request, then closes the connection without an answer', async () => {
		await queue([{ body: '', disconnect_before_headers: true }]);
		expect((await ingest()).ended).toBe('no-response');
		expect((await journal()).requests).toHaveLength(1);
		expect((await ingest()).status).toBe(200);
	});

	it('disconnect_after_headers sends the status and headers, promises more body than it writes, and closes', async () => {
		await queue([{ status: 200, body: '{"success":tr', disconnect_after_headers: true, headers: { 'Content-Length': '3', 'X-Kept': 'yes' } }]);
		const answer = await ingest();
		expect(answer).toMatchObject({ status: 200, reason: 'OK', body: '{"success":tr', ended: 'aborted' });
		expect(answer.headers?.['content-length']).toBe(String(13 + INTERRUPTED_BODY_SHORTFALL));
		expect(answer.headers?.['x-kept']).toBe('yes');
		expect(answer.headers?.connection).toBe('close');
		expect((await journal()).requests).toHaveLength(1);
	});

	it('tells in-process observers when a request is journaled and when its answer was written', async () => {
		await queue([{ status: 500, body: 'x' }]);
		const seen: string[] = [];
		const onJournaled = (e: { sequence: number }) => seen.push(`journaled ${e.sequence}`);
		const onSettled = (e: { sequence: number; outcome: string; status?: number }) => seen.push(`settled ${e.sequence} ${e.outcome} ${e.status}`);
		mock.events.on('journaled', onJournaled);
		mock.events.on('settled', onSettled);
		await ingest();
		await new Promise((r) => setTimeout(r, 20));
		mock.events.off('journaled', onJournaled);
		mock.events.off('settled', onSettled);
		expect(seen).toEqual(['journaled 1', 'settled 1 answered 500']);
	});

	it.each([
		['no body', { status: 200 }],
		['no status and no disconnect_before_headers', { body: '' }],
		['a status below 200', { status: 199, body: '' }],
		['a status above 599', { status: 600, body: '' }],
		['a non-integer status', { status: 200.5, body: '' }],
		['a negative delay', { status: 200, body: '', delay_ms: -1 }],
		['disconnect_after_headers without a status', { body: '', disconnect_before_headers: true, disconnect_after_headers: true }],
		['both disconnects', { status: 200, body: '', disconnect_before_headers: true, disconnect_after_headers: true }],
		['an unknown field', { status: 200, body: '', extra: 1 }],
		['a non-string header value', { status: 200, body: '', headers: { 'X-A': 1 } }],
		['a header value with a line break', { status: 200, body: '', headers: { 'X-A': 'a\r\nb' } }],
		['an invalid header name', { status: 200, body: '', headers: { 'X A': 'a' } }],
	])('refuses a queued response with %s (400) and keeps the queue', async (_name, response) => {
		await queue([{ status: 502, body: 'kept' }]);
		const answer = await send(base, 'POST', '/__control/responses', json({ responses: [response] }));
		expect(answer).toMatchObject({ status: 400, body: '{"error":"invalid request"}' });
		expect((await ingest()).status).toBe(502);
	});

	it('refuses malformed control requests, wrong methods and unknown paths, and does not journal them', async () => {
		expect((await send(base, 'POST', '/__control/responses', '{"responses":null}')).status).toBe(400);
		expect((await send(base, 'POST', '/__control/responses', '{"responses":[],"extra":1}')).status).toBe(400);
		expect((await send(base, 'POST', '/__control/responses', 'not json')).status).toBe(400);
		expect((await send(base, 'POST', '/__control/reset', 'x')).status).toBe(400);
		const wrong = await send(base, 'GET', '/__control/reset');
		expect(wrong.status).toBe(405);
		expect(wrong.headers?.allow).toBe('POST');
		expect((await send(base, 'GET', '/api/events/ingest')).status).toBe(405);
		expect((await send(base, 'POST', '/__control/requests')).status).toBe(405);
		expect((await send(base, 'POST', '/api/events/other', '{}')).status).toBe(404);
		expect((await journal()).requests).toEqual([]);
	});

	it('as a script: prints one readiness line, serves, and exits 0 on SIGTERM', async () => {
		const tsx = path.resolve(__dirname, '../../node_modules/.bin/tsx');
		const child = spawn(tsx, [path.join(__dirname, 'mock-ingest-server.ts')], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		const line = await new Promise<string>((resolve, reject) => {
			child.stdout.on('data', (chunk: Buffer) => {
				stdout += chunk.toString();
				if (stdout.includes('\n')) resolve(stdout.split('\n')[0]);
			});
			child.once('exit', (code) => reject(new Error(`exited ${code} before readiness`)));
		});
		const ready = JSON.parse(line) as { base_url: string; control_url: string };
		expect(Object.keys(ready)).toEqual(['base_url', 'control_url']);
		expect(ready.base_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect((await send(ready.control_url, 'POST', '/__control/reset')).status).toBe(204);
		expect((await send(ready.base_url, 'POST', '/api/events/ingest', '{}')).status).toBe(200);
		const code = await new Promise<number | null>((resolve) => {
			child.once('exit', (c) => resolve(c));
			child.kill('SIGTERM');
		});
		expect(code).toBe(0);
		expect(stdout).toBe(`${line}\n`);
	}, 30000);
});
