/**
 * The mock ingest server of Cekat's event SDK conformance contract (conformance/README.md of
 * cekataiofficial/cekat-event-sdk, "Mock control API"), written with node:http. It simulates transport
 * only; the runner (run.ts) decides what the node's results mean.
 *
 *   POST /__control/reset       empty body → 204; clears the response queue and the request journal
 *   POST /__control/responses   {"responses":[MockResponse,...]} → 204; replaces the remaining queue
 *   GET  /__control/requests    → {"requests":[JournalEntry,...]}
 *   POST /api/events/ingest     journals first, then answers with the next queued response (FIFO);
 *                               an empty queue answers the canonical 200 success envelope
 *
 * Behaviour follows the reference Go mock where the README leaves details open: malformed control requests
 * get 400 {"error":"invalid request"}, a wrong method 405 with Allow, other paths 404; reason phrases are Go's
 * (`418 I'm a teapot`, where node:http would say "I'm a Teapot"); a queued response without a Content-Type
 * header gets Go's sniffed `text/plain; charset=utf-8` (none when its body is empty); journal header values
 * are sorted per name and, as in Go's Request.Header, `host` and `transfer-encoding` are not journaled.
 *
 * In-process: `startMockIngestServer()`. As a script (`tsx test/conformance/mock-ingest-server.ts
 * [--listen 127.0.0.1:0]`): prints the one readiness line {"base_url":…,"control_url":…} and stops on
 * SIGINT/SIGTERM (exit 0; open connections are closed after 5 s).
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const INGEST_PATH = '/api/events/ingest';

/** The reference mock's canonical success envelope (empty queue). */
export const DEFAULT_SUCCESS_BODY =
	'{"success":true,"data":{"success":true,"message":"accepted","event_key":"conformance_default","validated_properties":[]}}';

/** Body bytes promised by Content-Length but never written, for disconnect_after_headers. */
export const INTERRUPTED_BODY_SHORTFALL = 1024;

export interface MockResponse {
	status?: number;
	headers?: Record<string, string>;
	body: string;
	delay_ms?: number;
	disconnect_before_headers?: boolean;
	disconnect_after_headers?: boolean;
}

export interface JournalEntry {
	sequence: number;
	method: string;
	path: string;
	headers: Record<string, string[]>;
	body: string;
}

/** What happened to one ingest request, for in-process observers (not part of the control API). */
export interface IngestEvent {
	sequence: number;
	/** performance.now() when the request was journaled. */
	at: number;
	outcome: 'answered' | 'disconnected_before_headers' | 'disconnected_after_headers' | 'client_gone';
	status?: number;
}

export interface MockIngestServer {
	baseUrl: string;
	controlUrl: string;
	/**
	 * In-process observers, beside the control API: `journaled` (JournalEntry, with `at`) as soon as an ingest
	 * request is journaled, `settled` (IngestEvent) once its response was written in full, or the connection
	 * was closed as instructed, or the client went away.
	 */
	events: EventEmitter;
	/** Stops listening; connections still open after `graceMs` (default 5000) are destroyed. */
	close(graceMs?: number): Promise<void>;
}

/** Go's net/http StatusText: the reason phrases the reference mock sends. */
const GO_STATUS_TEXT: Record<number, string> = {
	100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
	200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content',
	205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used',
	300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
	305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
	400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
	405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout',
	409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Request Entity Too Large',
	414: 'Request URI Too Long', 415: 'Unsupported Media Type', 416: 'Requested Range Not Satisfiable',
	417: 'Expectation Failed', 418: "I'm a teapot", 421: 'Misdirected Request', 422: 'Unprocessable Entity',
	423: 'Locked', 424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required',
	429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons',
	500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
	504: 'Gateway Timeout', 505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates',
	507: 'Insufficient Storage', 508: 'Loop Detected', 510: 'Not Extended', 511: 'Network Authentication Required',
};

export function reasonPhrase(status: number): string {
	return GO_STATUS_TEXT[status] ?? `status code ${status}`;
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
// Visible ASCII, obs-text, space and HTAB; no other control bytes.
// eslint-disable-next-line no-control-regex
const HEADER_VALUE = /^[^\x00-\x08\x0a-\x1f\x7f]*$/;
const RESPONSE_FIELDS = new Set(['status', 'headers', 'body', 'delay_ms', 'disconnect_before_headers', 'disconnect_after_headers']);

/** Validates one queued response as the reference mock does; undefined when it is refused. */
export function parseMockResponse(value: unknown): MockResponse | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	const r = value as Record<string, unknown>;
	if (Object.keys(r).some((key) => !RESPONSE_FIELDS.has(key))) return undefined;
	if (typeof r.body !== 'string') return undefined;
	for (const flag of ['disconnect_before_headers', 'disconnect_after_headers'] as const) {
		if (r[flag] !== undefined && r[flag] !== null && typeof r[flag] !== 'boolean') return undefined;
	}
	const before = r.disconnect_before_headers === true;
	const after = r.disconnect_after_headers === true;
	const hasStatus = r.status !== undefined && r.status !== null;
	if (hasStatus && (!Number.isInteger(r.status) || (r.status as number) < 200 || (r.status as number) > 599)) return undefined;
	if (!hasStatus && !before) return undefined;
	if (after && (!hasStatus || before)) return undefined;
	if (r.delay_ms !== undefined && r.delay_ms !== null && (!Number.isInteger(r.delay_ms) || (r.delay_ms as number) < 0)) return undefined;
	let headers: Record<string, string> | undefined;
	if (r.headers !== undefined && r.headers !== null) {
		if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return undefined;
		headers = {};
		for (const [name, headerValue] of Object.entries(r.headers as Record<string, unknown>)) {
			if (!HEADER_NAME.test(name) || typeof headerValue !== 'string' || !HEADER_VALUE.test(headerValue)) return undefined;
			headers[name] = headerValue;
		}
	}
	return {
		body: r.body,
		...(hasStatus ? { status: r.status as number } : {}),
		...(headers ? { headers } : {}),
		...(typeof r.delay_ms === 'number' ? { delay_ms: r.delay_ms } : {}),
		...(before ? { disconnect_before_headers: true } : {}),
		...(after ? { disconnect_after_headers: true } : {}),
	};
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
	const text = `${JSON.stringify(body)}\n`;
	res.writeHead(status, reasonPhrase(status), { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
	res.end(text);
}

function invalidRequest(res: http.ServerResponse): void {
	const text = '{"error":"invalid request"}';
	res.writeHead(400, reasonPhrase(400), { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
	res.end(text);
}

function journalHeaders(rawHeaders: string[]): Record<string, string[]> {
	const headers: Record<string, string[]> = {};
	for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
		const name = rawHeaders[i].toLowerCase();
		if (name === 'host' || name === 'transfer-encoding') continue;
		(headers[name] ??= []).push(rawHeaders[i + 1]);
	}
	for (const values of Object.values(headers)) values.sort();
	return headers;
}

export async function startMockIngestServer(listen: { host?: string; port?: number } = {}): Promise<MockIngestServer> {
	let queue: MockResponse[] = [];
	let journal: JournalEntry[] = [];
	let nextSequence = 0;
	const events = new EventEmitter();
	const sockets = new Set<Socket>();

	const ingest = async (req: http.IncomingMessage, res: http.ServerResponse, path: string) => {
		const body = await readBody(req);
		const entry: JournalEntry = { sequence: ++nextSequence, method: req.method ?? '', path, headers: journalHeaders(req.rawHeaders), body: body.toString('utf8') };
		journal.push(entry);
		const at = performance.now();
		events.emit('journaled', { ...entry, at });
		const settled = (outcome: IngestEvent['outcome'], status?: number) =>
			events.emit('settled', { sequence: entry.sequence, at, outcome, ...(status !== undefined ? { status } : {}) } satisfies IngestEvent);

		const response = queue.shift();
		if (!response) {
			res.writeHead(200, reasonPhrase(200), { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(DEFAULT_SUCCESS_BODY) });
			res.end(DEFAULT_SUCCESS_BODY, () => settled('answered', 200));
			return;
		}
		if (response.delay_ms) {
			const gone = await new Promise<boolean>((resolve) => {
				const onClose = () => {
					clearTimeout(timer);
					resolve(true);
				};
				const timer = setTimeout(() => {
					res.off('close', onClose);
					resolve(false);
				}, response.delay_ms);
				res.once('close', onClose);
			});
			if (gone || res.destroyed) {
				settled('client_gone');
				return;
			}
		}
		if (res.destroyed) {
			settled('client_gone');
			return;
		}
		if (response.disconnect_before_headers) {
			req.socket.destroy();
			settled('disconnected_before_headers');
			return;
		}
		const status = response.status!;
		const headers: Record<string, string | number> = {};
		for (const [name, value] of Object.entries(response.headers ?? {})) headers[name] = value;
		const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
		if (!hasContentType && response.body !== '') headers['Content-Type'] = 'text/plain; charset=utf-8';
		const bytes = Buffer.from(response.body, 'utf8');
		if (response.disconnect_after_headers) {
			for (const name of Object.keys(headers)) {
				if (['content-length', 'transfer-encoding', 'connection'].includes(name.toLowerCase())) delete headers[name];
			}
			headers['Content-Length'] = bytes.length + INTERRUPTED_BODY_SHORTFALL;
			headers.Connection = 'close';
			res.writeHead(status, reasonPhrase(status), headers);
			res.write(bytes, () => {
				req.socket.destroy();
				settled('disconnected_after_headers', status);
			});
			return;
		}
		for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-length') delete headers[name];
		headers['Content-Length'] = bytes.length;
		res.writeHead(status, reasonPhrase(status), headers);
		res.end(bytes, () => settled('answered', status));
	};

	const server = http.createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://mock').pathname;
		const only = (method: string) => {
			if (req.method === method) return true;
			req.resume();
			const text = 'Method Not Allowed\n';
			res.writeHead(405, reasonPhrase(405), { Allow: method, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
			res.end(text);
			return false;
		};
		const handle = async () => {
			switch (path) {
				case '/__control/reset': {
					if (!only('POST')) return;
					const body = await readBody(req);
					if (body.length !== 0) return invalidRequest(res);
					queue = [];
					journal = [];
					nextSequence = 0;
					res.writeHead(204, reasonPhrase(204));
					res.end();
					return;
				}
				case '/__control/responses': {
					if (!only('POST')) return;
					const body = await readBody(req);
					let parsed: unknown;
					try {
						parsed = JSON.parse(body.toString('utf8'));
					} catch {
						return invalidRequest(res);
					}
					if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return invalidRequest(res);
					const keys = Object.keys(parsed);
					const list = (parsed as { responses?: unknown }).responses;
					if (keys.some((key) => key !== 'responses') || !Array.isArray(list)) return invalidRequest(res);
					const responses: MockResponse[] = [];
					for (const item of list) {
						const response = parseMockResponse(item);
						if (!response) return invalidRequest(res);
						responses.push(response);
					}
					queue = responses;
					res.writeHead(204, reasonPhrase(204));
					res.end();
					return;
				}
				case '/__control/requests':
					if (!only('GET')) return;
					req.resume();
					return sendJson(res, 200, { requests: journal });
				case INGEST_PATH:
					if (!only('POST')) return;
					return await ingest(req, res, path);
				default: {
					req.resume();
					const text = '404 page not found\n';
					res.writeHead(404, reasonPhrase(404), { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
					res.end(text);
				}
			}
		};
		handle().catch(() => {
			if (!res.headersSent) invalidRequest(res);
			else res.destroy();
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	// A client aborting mid-request must not crash the mock.
	server.on('clientError', (_error, socket) => socket.destroy());

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(listen.port ?? 0, listen.host ?? '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address() as AddressInfo;
	const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	const origin = `http://${host}:${address.port}`;

	return {
		baseUrl: origin,
		controlUrl: origin,
		events,
		close: async (graceMs = 5000) => {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeIdleConnections();
			const force = setTimeout(() => {
				for (const socket of sockets) socket.destroy();
			}, graceMs);
			await closed;
			clearTimeout(force);
		},
	};
}

async function main(argv: string[]): Promise<number> {
	let listen = '127.0.0.1:0';
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--listen' && i + 1 < argv.length) listen = argv[++i];
		else if (arg.startsWith('--listen=')) listen = arg.slice('--listen='.length);
		else {
			process.stderr.write(`mock-ingest-server: unsupported argument ${JSON.stringify(arg)} (only --listen host:port)\n`);
			return 2;
		}
	}
	const colon = listen.lastIndexOf(':');
	const host = listen.slice(0, colon).replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
	const port = Number(listen.slice(colon + 1));
	if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
		process.stderr.write(`mock-ingest-server: --listen wants host:port, got ${JSON.stringify(listen)}\n`);
		return 2;
	}
	let mock: MockIngestServer;
	try {
		mock = await startMockIngestServer({ host, port });
	} catch (error) {
		process.stderr.write(`mock-ingest-server: listen on ${JSON.stringify(listen)}: ${(error as Error).message}\n`);
		return 1;
	}
	process.stdout.write(`${JSON.stringify({ base_url: mock.baseUrl, control_url: mock.controlUrl })}\n`);
	await new Promise<void>((resolve) => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
	});
	await mock.close();
	return 0;
}

if (require.main === module) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(error) => {
			process.stderr.write(`mock-ingest-server: ${(error as Error).message}\n`);
			process.exit(1);
		},
	);
}
