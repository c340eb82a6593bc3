/**
 * Delivery of one event to Cekat's ingest API, as Cekat's SDK contract says (docs/cekat-events.md,
 * "Delivery"): a deadline per attempt (default 3 s), 2 retries by default with full-jitter backoff
 * (0–100 ms, 0–200 ms, … capped at 1 s), Retry-After honoured up to 5 s (longer: no retry), only transport
 * failures, timeouts and 429/500/502/503/504 retried, at most 64 KiB of an answer kept, and whether Cekat
 * may have received the event stated in every outcome. The routing engine can do none of this per
 * attempt, hence a custom operation (track.ts).
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

export const INGEST_PATH = '/api/events/ingest';
export const DEFAULT_TIMEOUT_MS = 3000;
export const DEFAULT_RETRIES = 2;
export const MAX_BODY_BYTES = 65_536;
const RETRY_AFTER_CAP_MS = 5000;
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

declare const __CEKAT_VERSION__: string | undefined;
/** `cekat-event-sdk-<language>/<semver> <details>` as the contract asks; the language slot is n8n. */
export const USER_AGENT = `cekat-event-sdk-n8n/${typeof __CEKAT_VERSION__ === 'string' ? __CEKAT_VERSION__ : '0.0.0'} n8n-nodes-cekat`;

export type ResultKind =
	| 'acknowledgement'
	| 'validation_error'
	| 'authentication_error'
	| 'event_definition_not_found_error'
	| 'api_error'
	| 'transport_error'
	| 'response_decode_error'
	| 'caller_cancelled';

export interface Acknowledgement {
	success: true;
	message: string;
	event_key: string;
	validated_properties: string[];
}

/** What one delivery ended with. */
export interface Outcome {
	result: ResultKind;
	attempts: number;
	retryDelaysMs: number[];
	deliveryOutcomeUnknown: boolean;
	acknowledgement?: Acknowledgement;
	/** The caller-visible message of an error: Cekat's `error`, else the HTTP reason phrase, else what happened. */
	message?: string;
	status?: number;
	serverError?: string;
	serverCode?: string;
	body?: string;
	retainedBodyBytes?: number;
	observedBodyBytes?: number;
	bodyTruncated?: boolean;
}

export interface DeliveryOptions {
	baseUrl: string;
	accessToken: string;
	timeoutMs: number;
	retries: number;
	/** The execution's cancel signal. */
	signal?: AbortSignal;
	/** n8n's HTTP helper (this.helpers.httpRequest). */
	request: (options: IHttpRequestOptions) => Promise<unknown>;
	/** Jitter source, [0, 1). */
	random?: () => number;
}

interface Answer {
	status: number;
	/** The status line's reason phrase, as the server sent it. */
	reason?: string;
	headers: IDataObject;
	/** undefined: reading the body failed */
	bytes?: Buffer;
	observed: number;
	truncated: boolean;
}

/** Reason phrases for an answer whose status line carried none (RFC 9110). */
const REASONS: Record<number, string> = {
	400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 408: 'Request Timeout',
	409: 'Conflict', 413: 'Request Entity Too Large', 422: 'Unprocessable Entity', 429: 'Too Many Requests',
	500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** Reads at most MAX_BODY_BYTES (+1 to know whether there was more). */
async function readBounded(stream: AsyncIterable<Buffer | string> & { destroy?: () => void }): Promise<{ bytes: Buffer; observed: number; truncated: boolean }> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		chunks.push(buffer);
		size += buffer.length;
		if (size > MAX_BODY_BYTES) {
			stream.destroy?.();
			break;
		}
	}
	const all = Buffer.concat(chunks);
	const observed = Math.min(all.length, MAX_BODY_BYTES + 1);
	return { bytes: all.subarray(0, MAX_BODY_BYTES), observed, truncated: all.length > MAX_BODY_BYTES };
}

/** One HTTP attempt under its own deadline; throws on transport failure, timeout or cancellation. */
async function attempt(options: DeliveryOptions, body: string): Promise<Answer> {
	// One deadline for the whole attempt: connecting, the answer's headers and its body.
	const deadline = AbortSignal.timeout(options.timeoutMs);
	const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
	let stream: (AsyncIterable<Buffer> & { destroy?: () => void }) | undefined;
	const stop = () => stream?.destroy?.();
	signal.addEventListener('abort', stop);
	try {
		const response = (await options.request({
			method: 'POST',
			url: `${options.baseUrl.replace(/\/+$/, '')}${INGEST_PATH}`,
			headers: {
				Authorization: `Bearer ${options.accessToken}`,
				'Content-Type': 'application/json',
				Accept: 'application/json',
				'User-Agent': USER_AGENT,
			},
			body,
			json: false,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			abortSignal: signal,
			timeout: options.timeoutMs,
		})) as { statusCode: number; statusMessage?: string; headers: IDataObject; body: AsyncIterable<Buffer> & { destroy?: () => void } };
		const head = { status: response.statusCode, reason: response.statusMessage, headers: response.headers ?? {} };
		stream = response.body;
		if (signal.aborted) stop();
		try {
			const read = await readBounded(stream);
			return { ...head, ...read };
		} catch {
			// Cancelled by the user: as in flight. A reset, truncation or the deadline while reading: the
			// status was received, so the classification below still holds.
			if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
			return { ...head, observed: 0, truncated: false };
		}
	} finally {
		signal.removeEventListener('abort', stop);
	}
}

function isAcknowledgement(value: unknown): value is { success: true; data: Acknowledgement } {
	if (typeof value !== 'object' || value === null) return false;
	const { success, data } = value as { success?: unknown; data?: Record<string, unknown> };
	if (success !== true || typeof data !== 'object' || data === null) return false;
	return (
		data.success === true &&
		typeof data.message === 'string' &&
		data.message !== '' &&
		typeof data.event_key === 'string' &&
		data.event_key !== '' &&
		Array.isArray(data.validated_properties) &&
		data.validated_properties.every((p) => typeof p === 'string')
	);
}

function errorEnvelope(text: string | undefined): { error: string; code?: string } | undefined {
	if (text === undefined) return undefined;
	try {
		const value = JSON.parse(text) as { success?: unknown; error?: unknown; code?: unknown };
		if (value && value.success === false && typeof value.error === 'string' && value.error !== '') {
			return { error: value.error, ...(typeof value.code === 'string' ? { code: value.code } : {}) };
		}
	} catch {
		// not JSON: the reason phrase stands in
	}
	return undefined;
}

/** Retry-After in ms (delta-seconds or an HTTP date); undefined when absent or invalid. */
export function retryAfterMs(headers: IDataObject, now = Date.now()): number | undefined {
	const key = Object.keys(headers).find((k) => k.toLowerCase() === 'retry-after');
	const raw = key === undefined ? undefined : headers[key];
	const value = (Array.isArray(raw) ? raw[0] : raw) as unknown;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	if (!/[a-z]/i.test(text)) return undefined;
	const at = Date.parse(text);
	return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The full-jitter bound before retry n (1-based): min(100 ms · 2^(n−1), 1000 ms). */
export const jitterCap = (retry: number) => Math.min(100 * 2 ** (retry - 1), 1000);

function classify(status: number): ResultKind {
	if (status === 401) return 'authentication_error';
	if (status === 404) return 'event_definition_not_found_error';
	return 'api_error';
}

/** Delivers one payload; never throws (every ending is an Outcome). */
export async function deliver(options: DeliveryOptions, payload: IDataObject): Promise<Outcome> {
	const body = JSON.stringify(payload);
	const random = options.random ?? Math.random;
	const retryDelaysMs: number[] = [];
	let attempts = 0;
	// Whether the last attempt may have reached Cekat without an answer (a cancelled backoff reports it).
	let lastUnknown = false;
	const cancelled = (unknown: boolean): Outcome => ({
		result: 'caller_cancelled',
		attempts,
		retryDelaysMs,
		deliveryOutcomeUnknown: unknown,
		message: 'The execution was cancelled while the event was being sent',
	});
	if (options.signal?.aborted) return cancelled(false);

	for (;;) {
		attempts++;
		let answer: Answer | undefined;
		let failure: string | undefined;
		try {
			answer = await attempt(options, body);
		} catch (error) {
			if (options.signal?.aborted) return cancelled(true);
			failure =
				(error as Error)?.name === 'TimeoutError' || /timeout|ETIMEDOUT|ECONNABORTED/i.test(String((error as { code?: string }).code ?? (error as Error).message))
					? `Cekat did not answer within ${options.timeoutMs} ms`
					: // No error code in the text: n8n's NodeApiError would swap such a message for its generic one.
						'The connection to Cekat failed before an answer came';
		}

		let outcome: Outcome | undefined;
		let retryable = false;
		let serverDelay: number | undefined;
		if (answer) {
			const text = answer.bytes === undefined ? undefined : new TextDecoder('utf-8').decode(answer.bytes);
			const bodyFacts = answer.bytes === undefined ? {} : { body: text, retainedBodyBytes: answer.bytes.length, observedBodyBytes: answer.observed, bodyTruncated: answer.truncated };
			const reason = answer.reason?.trim() || REASONS[answer.status] || `HTTP ${answer.status}`;
			if (answer.status === 200) {
				let parsed: unknown;
				try {
					parsed = text === undefined || answer.truncated ? undefined : JSON.parse(text);
				} catch {
					parsed = undefined;
				}
				outcome = isAcknowledgement(parsed)
					? { result: 'acknowledgement', attempts, retryDelaysMs, deliveryOutcomeUnknown: false, acknowledgement: pickAck(parsed.data) }
					: {
							result: 'response_decode_error',
							attempts,
							retryDelaysMs,
							deliveryOutcomeUnknown: false,
							status: 200,
							message:
								text === undefined
									? 'Cekat accepted the event (200) but its answer could not be read'
									: 'Cekat accepted the event (200) but its answer is not a valid acknowledgement',
							...bodyFacts,
						};
			} else {
				const envelope = errorEnvelope(answer.truncated ? undefined : text);
				outcome = {
					result: classify(answer.status),
					attempts,
					retryDelaysMs,
					deliveryOutcomeUnknown: false,
					status: answer.status,
					message: envelope?.error ?? reason,
					...(envelope ? { serverError: envelope.error, ...(envelope.code ? { serverCode: envelope.code } : {}) } : {}),
					...bodyFacts,
				};
				retryable = RETRYABLE.has(answer.status);
				serverDelay = retryAfterMs(answer.headers);
				if (retryable && serverDelay !== undefined && serverDelay > RETRY_AFTER_CAP_MS) retryable = false;
			}
		} else {
			retryable = true;
			outcome = { result: 'transport_error', attempts, retryDelaysMs, deliveryOutcomeUnknown: true, message: failure };
		}

		if (!retryable || attempts > options.retries) return outcome;
		const delay = Math.max(Math.floor(random() * (jitterCap(attempts) + 1)), serverDelay ?? 0);
		retryDelaysMs.push(delay);
		lastUnknown = outcome.deliveryOutcomeUnknown;
		try {
			await sleep(delay, options.signal);
		} catch {
			return cancelled(lastUnknown);
		}
		if (options.signal?.aborted) return cancelled(lastUnknown);
	}
}

function pickAck(data: Acknowledgement): Acknowledgement {
	// Additional server fields are ignored (contract).
	return { success: true, message: data.message, event_key: data.event_key, validated_properties: [...data.validated_properties] };
}
