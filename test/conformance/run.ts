/**
 * Cekat event SDK conformance runner for the n8n node (language slot `n8n`): `npm run test:conformance`.
 *
 * Runs every fixture of Cekat's language-neutral conformance corpus (conformance/README.md of
 * cekataiofficial/cekat-event-sdk; a copy in ../shared/conformance/cekat-event-sdk) through the built package
 * and n8n-core's real engine (test/engine/harness.ts: PackageDirectoryLoader + WorkflowExecute), against the
 * mock ingest server of mock-ingest-server.ts, and checks what each case's `expect` states against the node's
 * caller-visible result and the mock's request journal. See README.md in this folder.
 *
 * Environment:
 *   CEKAT_CONFORMANCE_FIXTURES        absolute path of the cases folder (default ../shared/conformance/cekat-event-sdk/cases
 *                                     beside the repository); the schemas are read from ../schemas beside it
 *   CEKAT_CONFORMANCE_ACCESS_TOKEN    the token given to the credential (default conformance-token)
 *   CEKAT_CONFORMANCE_BASE_URL and    an already running mock (e.g. Cekat's Go mock) instead of the in-process one;
 *   CEKAT_CONFORMANCE_CONTROL_URL     both or neither
 *
 * Output: one JSON record per discovered case ({"id","status":"passed"|"not_applicable"|"failed","reason"?,…}),
 * then `cekat-event-sdk conformance: N passed, M not_applicable, F failed`; exit status 1 on any failure.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import type { ExecutionLifecycleHooks } from 'n8n-core';
import type { IDataObject, INode, INodeExecutionData, INodeParameters, INodeProperties, INodeTypeDescription, IRun } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { loadPackage, NODE_TYPE, runNode, type LoadedPackage } from '../engine/harness';
import { findSecret } from '../secrets';
import { startMockIngestServer, type IngestEvent, type JournalEntry, type MockIngestServer } from './mock-ingest-server';
import { expandResponseBodyRecipe, PROPERTIES_RECIPES, retainedText, type PropertiesVariant, type ResponseBodyRecipe } from './recipes';

const REPO = path.resolve(__dirname, '../..');
/** Our language slot in the User-Agent and in `applicability.inapplicable_languages`. */
const LANGUAGE = 'n8n';
/** The n8n node can be cancelled by its caller: n8n's stop of an execution aborts getExecutionCancelSignal(). */
const CAPABILITIES = new Set(['caller_cancellation']);
const SCHEMA_BASE = 'https://schemas.cekat.ai/event-sdk/conformance/';
const CASE_SCHEMA = `${SCHEMA_BASE}conformance-case.schema.json`;
const JOURNAL_SCHEMA = `${SCHEMA_BASE}request-journal.schema.json`;
const INGEST_PATH = '/api/events/ingest';
const NODE_NAME = 'Cekat';
const EVENTS_CREDENTIAL = 'cekatEventsApi';
const USER_AGENT = /^cekat-event-sdk-n8n\/\d+\.\d+\.\d+(\S*)( .+)?$/;
const GENERATED_EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CANONICAL_OCCURRED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** during_backoff: how long after the mock finished writing the first answer the runner cancels (the client has read it by then). */
const BACKOFF_CANCEL_AFTER_MS = 8;
/** during_backoff: runs of a case whose retry still came before the cancel (a jitter shorter than the runner's reaction) before it fails. */
const BACKOFF_RACE_RUNS = 5;
/** Slack when comparing the measured gap between two attempts with the delay the node says it waited. */
const TIMER_SLACK_MS = 2;

const TOKEN = process.env.CEKAT_CONFORMANCE_ACCESS_TOKEN || 'conformance-token';

/** Case keys and expect keys this runner knows how to run and assert; anything else fails the case. */
const CASE_KEYS = new Set(['schema_version', 'id', 'description', 'kind', 'applicability', 'client', 'inbound', 'operation', 'responses', 'response_body_recipe', 'cancellation', 'expect']);
const OPERATIONS = new Set(['user_registration', 'user_login', 'order_created', 'order_paid', 'custom_event']);
const PHASES = new Set(['before_request', 'during_request', 'during_backoff']);
const RESULTS = new Set(['acknowledgement', 'validation_error', 'authentication_error', 'event_definition_not_found_error', 'api_error', 'transport_error', 'response_decode_error', 'caller_cancelled']);

type Json = Record<string, unknown>;

interface Case {
	schema_version: number;
	id: string;
	description: string;
	kind: string;
	applicability?: { requires_capabilities: string[]; inapplicable_languages: string[] };
	client?: { timeout_ms?: number; retry_count?: number };
	inbound?: { header_visitor_id?: string; cookie_visitor_id?: string; ambient_visitor_id?: string };
	operation: {
		name: string;
		event_key?: string;
		amount?: number;
		currency?: string;
		event: Json & { properties?: Json };
		properties_recipe?: string;
	};
	responses?: Json[];
	response_body_recipe?: ResponseBodyRecipe;
	cancellation?: { phase: string };
	expect: Json & { result: string; attempts: number };
}

interface Record_ {
	id: string;
	status: 'passed' | 'not_applicable' | 'failed';
	reason?: string;
	note?: string;
}

class CaseFailure extends Error {}

const redact = (text: string) => text.split(TOKEN).join('<token>');
const show = (value: unknown) => {
	try {
		const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
		return redact(text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text);
	} catch {
		return redact(String(value));
	}
};

// ---------------------------------------------------------------------------------------------------------------
// Discovery and schema validation

interface Discovered {
	file: string;
	id: string;
	fixture?: Case;
	/** Why the case cannot run (schema, id). */
	invalid?: string;
}

function loadSchemas(schemasDir: string): { validateCase: ValidateFunction; validateJournal: ValidateFunction } {
	// The shared schemas use `required` inside conditional branches, which Ajv's strict lints reject although it is
	// valid Draft 2020-12 (the same options as Cekat's own Node.js runner).
	const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false, strictTuples: false });
	const files = readdirSync(schemasDir).filter((name) => name.endsWith('.json'));
	for (const name of files) ajv.addSchema(JSON.parse(readFileSync(path.join(schemasDir, name), 'utf8')) as object);
	const validateCase = ajv.getSchema(CASE_SCHEMA);
	const validateJournal = ajv.getSchema(JOURNAL_SCHEMA);
	if (!validateCase || !validateJournal) throw new Error(`${schemasDir} lacks ${!validateCase ? CASE_SCHEMA : JOURNAL_SCHEMA}`);
	return { validateCase, validateJournal };
}

function schemaErrors(validate: ValidateFunction): string {
	return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
}

function discover(casesDir: string, validateCase: ValidateFunction): Discovered[] {
	const files = readdirSync(casesDir, { withFileTypes: true })
		.filter((entry) => entry.name.endsWith('.json') && statSync(path.join(casesDir, entry.name)).isFile())
		.map((entry) => entry.name)
		.sort();
	if (files.length === 0) throw new Error(`no direct *.json case in ${casesDir}`);
	const found: Discovered[] = files.map((file) => {
		const stem = file.slice(0, -'.json'.length);
		let value: unknown;
		try {
			value = JSON.parse(readFileSync(path.join(casesDir, file), 'utf8'));
		} catch (error) {
			return { file, id: stem, invalid: `not JSON: ${(error as Error).message}` };
		}
		const id = typeof (value as Json)?.id === 'string' ? ((value as Json).id as string) : stem;
		if (!validateCase(value)) return { file, id, invalid: `violates conformance-case.schema.json: ${schemaErrors(validateCase)}` };
		const fixture = value as Case;
		if (fixture.id !== stem) return { file, id, invalid: `file name ${file} does not match id ${fixture.id}` };
		return { file, id, fixture };
	});
	const counts = new Map<string, number>();
	for (const d of found) counts.set(d.id, (counts.get(d.id) ?? 0) + 1);
	for (const d of found) if ((counts.get(d.id) ?? 0) > 1) d.invalid = `duplicate id ${d.id} (${found.filter((o) => o.id === d.id).map((o) => o.file).join(', ')})`;
	return found;
}

/** Forms the runner does not know (beyond the schema): refused before running, never skipped. */
function unknownForms(fixture: Case): string[] {
	const problems: string[] = [];
	for (const key of Object.keys(fixture)) if (!CASE_KEYS.has(key)) problems.push(`unknown case field ${key}`);
	if (fixture.schema_version !== 1) problems.push(`unknown schema_version ${show(fixture.schema_version)}`);
	if (!OPERATIONS.has(fixture.operation.name)) problems.push(`unknown operation ${fixture.operation.name}`);
	if (fixture.operation.properties_recipe !== undefined && !PROPERTIES_RECIPES[fixture.operation.properties_recipe])
		problems.push(`unknown properties_recipe ${fixture.operation.properties_recipe}`);
	if (fixture.cancellation && !PHASES.has(fixture.cancellation.phase)) problems.push(`unknown cancellation phase ${fixture.cancellation.phase}`);
	if (!RESULTS.has(fixture.expect.result)) problems.push(`unknown expect.result ${fixture.expect.result}`);
	for (const key of Object.keys(fixture.expect)) if (!EXPECT_ASSERTIONS.has(key)) problems.push(`expect.${key} has no assertion in this runner`);
	if (fixture.response_body_recipe && (fixture.responses ?? []).length !== 1) problems.push('response_body_recipe needs exactly one queued response');
	for (const capability of fixture.applicability?.requires_capabilities ?? []) if (!CAPABILITIES.has(capability)) problems.push(`unknown capability ${capability}`);
	if (fixture.inbound?.ambient_visitor_id !== undefined && fixture.inbound.header_visitor_id !== undefined)
		problems.push('inbound gives both header_visitor_id and ambient_visitor_id: in n8n both would be the X-Cekat-Visitor-ID header');
	return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// The mock

interface Mock {
	baseUrl: string;
	controlUrl: string;
	/** In-process observers (journaled / settled); absent for an external mock. */
	events?: MockIngestServer['events'];
	close(): Promise<void>;
}

async function control(mock: Mock, method: 'GET' | 'POST', urlPath: string, body?: unknown): Promise<{ status: number; text: string }> {
	const response = await fetch(`${mock.controlUrl}${urlPath}`, {
		method,
		...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
	});
	return { status: response.status, text: await response.text() };
}

async function readJournal(mock: Mock, validateJournal: ValidateFunction): Promise<JournalEntry[]> {
	const { status, text } = await control(mock, 'GET', '/__control/requests');
	if (status !== 200) throw new CaseFailure(`GET /__control/requests answered ${status}`);
	const envelope = JSON.parse(text) as unknown;
	if (!validateJournal(envelope)) throw new CaseFailure(`the mock's journal violates request-journal.schema.json: ${schemaErrors(validateJournal)}`);
	return (envelope as { requests: JournalEntry[] }).requests;
}

// ---------------------------------------------------------------------------------------------------------------
// Case → node parameters and input item (the mapping of /work/contract-18.md)

function nodeInput(fixture: Case, variant: PropertiesVariant | undefined): { parameters: INodeParameters; item: IDataObject } {
	const { operation, inbound, client } = fixture;
	const event = operation.event;
	const parameters: INodeParameters = { resource: 'event', operation: 'track', eventType: operation.name };
	const item: IDataObject = {};
	if (operation.event_key !== undefined) parameters.eventKey = operation.event_key;
	if (operation.amount !== undefined) parameters.amount = operation.amount;
	if (operation.currency !== undefined) parameters.currency = operation.currency;
	if (event.email !== undefined) parameters.email = event.email as string;
	if (event.phone_number !== undefined) parameters.phoneNumber = event.phone_number as string;

	const additionalFields: INodeParameters = {};
	if (event.contact_name !== undefined) additionalFields.contactName = event.contact_name as string;
	if (event.visitor_id !== undefined) additionalFields.visitorId = event.visitor_id as string;
	if (event.event_id !== undefined) additionalFields.eventId = event.event_id as string;
	if (event.occurred_at !== undefined) additionalFields.occurredAt = event.occurred_at as string;
	if (inbound && Object.keys(inbound).length) {
		// In n8n the only request context is the inbound request's headers (a Webhook node's $json.headers).
		const headers: IDataObject = {};
		if (inbound.header_visitor_id !== undefined) headers['x-cekat-visitor-id'] = inbound.header_visitor_id;
		if (inbound.ambient_visitor_id !== undefined) headers['x-cekat-visitor-id'] = inbound.ambient_visitor_id;
		if (inbound.cookie_visitor_id !== undefined) headers.cookie = `_cekat_visitor_id=${inbound.cookie_visitor_id}`;
		item.headers = headers;
		additionalFields.inboundHeaders = '={{ $json.headers }}';
	}
	if (Object.keys(additionalFields).length) parameters.additionalFields = additionalFields;

	if (variant || event.properties !== undefined) {
		item.properties = (variant ? variant.value : event.properties) as IDataObject;
		parameters.propertiesInput = 'json';
		parameters.propertiesJson = '={{ $json.properties }}';
	} else {
		parameters.propertiesInput = 'none';
	}
	const options: INodeParameters = {};
	if (client?.retry_count !== undefined) options.retries = client.retry_count;
	if (client?.timeout_ms !== undefined) options.timeout = client.timeout_ms;
	if (Object.keys(options).length) parameters.eventOptions = options;
	return { parameters, item };
}

/**
 * Every parameter the runner sets must be one the node shows for Event → Track (n8n silently ignores others, so a
 * renamed parameter would fail cases for an unclear reason).
 */
function parameterProblems(description: INodeTypeDescription, parameters: INodeParameters): string[] {
	const problems: string[] = [];
	const node = { typeVersion: 1 };
	const shown = (props: INodeProperties[], name: string) =>
		props.filter((p) => p.name === name && NodeHelpers.displayParameter(parameters, p, node, description, parameters));
	for (const [name, value] of Object.entries(parameters)) {
		if (name === 'resource' || name === 'operation') {
			const [prop] = shown(description.properties, name);
			const options = (prop?.options ?? []) as Array<{ value?: unknown }>;
			if (!prop || !options.some((o) => o.value === value)) problems.push(`the node has no ${name} "${String(value)}"`);
			continue;
		}
		const [prop] = shown(description.properties, name);
		if (!prop) {
			problems.push(`the node shows no parameter "${name}" for Event → Track (${show(parameters.eventType)})`);
			continue;
		}
		if (prop.type === 'collection' && value && typeof value === 'object') {
			const options = (prop.options ?? []) as INodeProperties[];
			for (const key of Object.keys(value)) if (!options.some((o) => o.name === key)) problems.push(`the node's "${name}" has no field "${key}"`);
		}
		if (prop.type === 'options' && !((prop.options ?? []) as Array<{ value?: unknown }>).some((o) => o.value === value))
			problems.push(`the node's "${name}" has no option "${String(value)}"`);
	}
	return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// The caller-visible result

interface Observed {
	/** Where the result was read. */
	source: string;
	acknowledged: boolean;
	json: Json;
	error?: { name?: string; message: string; context: Json };
	/** A field of the result: the error's context (camelCase), else the output json (snake_case). */
	field(camel: string, snake?: string): unknown;
	has(camel: string, snake?: string): boolean;
	conflicts: string[];
}

function observe(run: IRun): Observed {
	const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
	const items = (taskData?.data?.main?.[0] ?? []) as INodeExecutionData[];
	let source: string;
	let json: Json = {};
	let error: Observed['error'];
	const asError = (e: unknown) => {
		const err = e as { name?: string; message?: string; context?: Json };
		return { name: err.name, message: String(err.message ?? ''), context: (err.context ?? {}) as Json };
	};
	if (taskData?.error) {
		// The node threw. With On Error → Continue n8n then passes the input items on; the result is the error.
		source = 'the error the node threw (run data)';
		error = asError(taskData.error);
	} else if (items.length === 1 && items[0].error) {
		source = 'the output item (On Error → Continue)';
		json = items[0].json as Json;
		error = asError(items[0].error);
	} else if (items.length === 1 && items[0].json.error !== undefined) {
		source = 'the output item json';
		json = items[0].json as Json;
		error = { message: String(json.error), context: {} };
	} else if (items.length === 1) {
		source = 'the output item';
		json = items[0].json as Json;
	} else if (!taskData && run.data.resultData.error) {
		throw new CaseFailure(`the node did not run: ${run.data.resultData.error.message}`);
	} else {
		throw new CaseFailure(`expected one output item, got ${items.length}`);
	}
	const snakeOf = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
	const conflicts: string[] = [];
	const addConflict = (text: string) => {
		if (!conflicts.includes(text)) conflicts.push(text);
	};
	const observed: Observed = {
		source,
		acknowledged: !error,
		json,
		error,
		has: (camel, snake = snakeOf(camel)) => (error !== undefined && camel in error.context) || snake in json,
		field: (camel, snake = snakeOf(camel)) => {
			const context = error?.context;
			if (!context || !(camel in context)) return json[snake];
			if (snake in json && !isDeepStrictEqual(context[camel], json[snake]))
				addConflict(`error.context.${camel} ${show(context[camel])} ≠ json.${snake} ${show(json[snake])}`);
			return context[camel];
		},
		conflicts,
	};
	return observed;
}

// ---------------------------------------------------------------------------------------------------------------
// Assertions

interface Execution {
	fixture: Case;
	responses: Json[];
	journal: JournalEntry[];
	/** performance.now() of each journaled request, by sequence (in-process mock only). */
	arrivals: Map<number, number>;
	observed: Observed;
	window: { started: number; finished: number };
	/** The whole run data n8n keeps of the execution. */
	run: IRun;
}

type Check = (x: Execution, expected: unknown, fail: (message: string) => void) => void;

function resultKind(o: Observed): string | undefined {
	if (o.acknowledged) return 'acknowledgement';
	return o.field('result') as string | undefined;
}

function retryDelays(x: Execution, fail: (m: string) => void): number[] | undefined {
	const delays = x.observed.field('retryDelaysMs');
	if (!Array.isArray(delays) || !delays.every((d) => typeof d === 'number')) {
		fail(`retry_delays_ms is ${show(delays)}, not a list of numbers`);
		return undefined;
	}
	return delays as number[];
}

/** The measured time between journaling attempt n and attempt n+1 must cover the delay the node says it chose. */
function checkMeasuredGaps(x: Execution, delays: number[], fail: (m: string) => void, minimums?: number[]) {
	if (!x.arrivals.size) return;
	delays.forEach((delay, n) => {
		const a = x.arrivals.get(n + 1);
		const b = x.arrivals.get(n + 2);
		if (a === undefined || b === undefined) return;
		const gap = b - a;
		if (gap + TIMER_SLACK_MS < delay) fail(`attempt ${n + 2} came ${gap.toFixed(1)} ms after attempt ${n + 1}, less than the ${delay} ms delay reported`);
		const minimum = minimums?.[n];
		if (minimum !== undefined && gap + TIMER_SLACK_MS < minimum) fail(`attempt ${n + 2} came ${gap.toFixed(1)} ms after attempt ${n + 1}, before the minimum ${minimum} ms`);
	});
}

function payloadChecks(x: Execution, expectedRequest: Json, fail: (m: string) => void) {
	const expectedPayload = expectedRequest.payload as Json;
	const generated: Record<string, unknown> = {};
	x.journal.forEach((entry, index) => {
		const at = `attempt ${index + 1}`;
		if (entry.path !== expectedRequest.path) fail(`${at}: path ${show(entry.path)}, expected ${show(expectedRequest.path)}`);
		const auth = entry.headers.authorization ?? [];
		if (auth.length !== 1 || auth[0] !== expectedRequest.authorization)
			fail(`${at}: authorization header is not the fixture's ${show(expectedRequest.authorization)} (${auth.length} value(s))`);
		let actual: Json;
		try {
			actual = JSON.parse(entry.body) as Json;
		} catch {
			fail(`${at}: the body is not JSON: ${show(entry.body)}`);
			return;
		}
		if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
			fail(`${at}: the body is not a JSON object`);
			return;
		}
		for (const field of ['event_id', 'occurred_at'] as const) {
			if (field in expectedPayload) continue;
			const value = actual[field];
			if (field === 'event_id' && (typeof value !== 'string' || !GENERATED_EVENT_ID.test(value)))
				fail(`${at}: generated event_id ${show(value)} is not a lowercase version 4 UUID`);
			if (field === 'occurred_at') {
				if (typeof value !== 'string' || !CANONICAL_OCCURRED_AT.test(value)) fail(`${at}: generated occurred_at ${show(value)} is not canonical UTC with milliseconds`);
				else {
					const t = Date.parse(value);
					if (!(t >= x.window.started && t <= x.window.finished))
						fail(`${at}: generated occurred_at ${value} is outside the case's execution window ${new Date(x.window.started).toISOString()}…${new Date(x.window.finished).toISOString()}`);
				}
			}
			if (field in generated && !isDeepStrictEqual(generated[field], value)) fail(`${at}: ${field} ${show(value)} differs from attempt 1's ${show(generated[field])}`);
			generated[field] = value;
			delete actual[field];
		}
		if (!isDeepStrictEqual(actual, expectedPayload)) fail(`${at}: payload ${show(actual)} ≠ expected ${show(expectedPayload)}`);
	});
}

/** Every expect key and how it is asserted. A key missing here fails the case before it runs. */
const EXPECT_ASSERTIONS = new Map<string, Check>([
	[
		'result',
		(x, expected, fail) => {
			const got = resultKind(x.observed);
			if (got !== expected) fail(`result ${show(got)} (from ${x.observed.source}${x.observed.error ? `: ${show(x.observed.error.message)}` : ''}), expected ${show(expected)}`);
		},
	],
	[
		'attempts',
		(x, expected, fail) => {
			if (x.journal.length !== expected) fail(`the mock journaled ${x.journal.length} request(s), expected ${show(expected)}`);
			const reported = x.observed.field('attempts');
			if (reported !== expected) fail(`the node reports attempts ${show(reported)}, expected ${show(expected)}`);
		},
	],
	[
		'delivery_outcome_unknown',
		(x, expected, fail) => {
			const got = x.observed.field('deliveryOutcomeUnknown');
			if (got !== expected) fail(`delivery_outcome_unknown ${show(got)}, expected ${show(expected)}`);
		},
	],
	[
		'acknowledgement',
		(x, expected, fail) => {
			if (!x.observed.acknowledged) return fail(`no acknowledgement: ${x.observed.source} says ${show(x.observed.error?.message)}`);
			const ack = expected as Json;
			for (const key of ['success', 'message', 'event_key', 'validated_properties'])
				if (!isDeepStrictEqual(x.observed.json[key], ack[key])) fail(`acknowledgement ${key} ${show(x.observed.json[key])}, expected ${show(ack[key])}`);
		},
	],
	[
		'status',
		(x, expected, fail) => {
			if (x.observed.acknowledged) return fail(`status ${show(expected)} expected, but the node acknowledged`);
			const got = x.observed.field('status');
			if (got !== expected) fail(`status ${show(got)}, expected ${show(expected)}`);
		},
	],
	[
		'error_message',
		(x, expected, fail) => {
			if (!x.observed.error) return fail(`error message ${show(expected)} expected, but the node acknowledged`);
			if (x.observed.error.message !== expected) fail(`error message ${show(x.observed.error.message)}, expected exactly ${show(expected)}`);
		},
	],
	[
		'server_error',
		(x, expected, fail) => {
			const got = x.observed.field('serverError');
			if (got !== expected) fail(`server error ${show(got)}, expected ${show(expected)}`);
		},
	],
	[
		'server_code',
		(x, expected, fail) => {
			const got = x.observed.field('serverCode');
			if (got !== expected) fail(`server code ${show(got)}, expected ${show(expected)}`);
		},
	],
	[
		'retained_body_bytes',
		(x, expected, fail) => {
			const got = x.observed.field('retainedBodyBytes');
			if (got !== expected) fail(`retained_body_bytes ${show(got)}, expected ${show(expected)}`);
			// When the node also gives the retained body, it must be the answer's first bytes, decoded with replacement.
			const body = x.observed.error?.context.body;
			const answer = x.responses[x.journal.length - 1];
			if (typeof body === 'string' && answer && typeof answer.body === 'string') {
				const want = retainedText(answer.body, expected as number);
				if (body !== want) fail(`the retained body (${Buffer.byteLength(body)} bytes) is not the answer's first ${show(expected)} bytes: ${show(body.slice(-20))} vs ${show(want.slice(-20))}`);
			}
		},
	],
	[
		'observed_body_bytes',
		(x, expected, fail) => {
			const got = x.observed.field('observedBodyBytes');
			if (got !== expected) fail(`observed_body_bytes ${show(got)}, expected ${show(expected)}`);
		},
	],
	[
		'body_truncated',
		(x, expected, fail) => {
			const got = x.observed.field('bodyTruncated');
			if (got !== expected) fail(`body_truncated ${show(got)}, expected ${show(expected)}`);
		},
	],
	['request', (x, expected, fail) => payloadChecks(x, expected as Json, fail)],
	[
		'minimum_retry_delays_ms',
		(x, expected, fail) => {
			const minimums = expected as number[];
			const delays = retryDelays(x, fail);
			if (!delays) return;
			if (delays.length !== minimums.length) return fail(`retry_delays_ms ${show(delays)} has ${delays.length} delay(s), expected ${minimums.length}`);
			minimums.forEach((minimum, n) => {
				if (delays[n] < minimum) fail(`retry ${n + 1}: delay ${delays[n]} ms, below the minimum ${minimum} ms`);
			});
			checkMeasuredGaps(x, delays, fail, minimums);
		},
	],
	[
		'jitter_bounds_ms',
		(x, expected, fail) => {
			const bounds = expected as Array<[number, number]>;
			const delays = retryDelays(x, fail);
			if (!delays) return;
			if (delays.length !== bounds.length) return fail(`retry_delays_ms ${show(delays)} has ${delays.length} delay(s), expected ${bounds.length}`);
			bounds.forEach(([low, high], n) => {
				if (!(delays[n] >= low && delays[n] <= high)) fail(`retry ${n + 1}: delay ${delays[n]} ms outside the full-jitter bounds [${low}, ${high}]`);
			});
			checkMeasuredGaps(x, delays, fail);
		},
	],
]);

/** What the contract requires of every request and every result, whatever the case's expect says. */
function invariants(x: Execution, fail: (m: string) => void) {
	x.journal.forEach((entry, index) => {
		const at = `attempt ${index + 1}`;
		if (entry.sequence !== index + 1) fail(`${at}: journal sequence ${entry.sequence}`);
		if (entry.method !== 'POST') fail(`${at}: method ${entry.method}`);
		if (entry.path !== INGEST_PATH) fail(`${at}: path ${show(entry.path)}, the contract fixes ${INGEST_PATH}`);
		const agents = entry.headers['user-agent'] ?? [];
		if (agents.length !== 1 || !USER_AGENT.test(agents[0])) fail(`${at}: User-Agent ${show(agents)} does not match ${USER_AGENT}`);
		const auth = entry.headers.authorization ?? [];
		if (auth.length !== 1 || auth[0] !== `Bearer ${TOKEN}`) fail(`${at}: the Authorization header is not Bearer with the credential's token`);
		const type = entry.headers['content-type'] ?? [];
		if (type.length !== 1 || !/^application\/json\b/i.test(type[0])) fail(`${at}: Content-Type ${show(type)}, the contract sends JSON`);
		if (index > 0 && entry.body !== x.journal[0].body) fail(`${at}: body differs from attempt 1 (payload, event_id and occurred_at are fixed once per call)`);
	});
	const o = x.observed;
	for (const conflict of o.conflicts) fail(conflict);
	const leak = findSecret({ json: o.json, error: o.error, runData: x.run.data }, TOKEN);
	if (leak) fail(`the access token is readable in the node's result or the run data at ${leak}`);
	if (x.journal.length) {
		// The result names the event it sent (the output's event_id / occurred_at are "as sent").
		let sent: Json | undefined;
		try {
			sent = JSON.parse(x.journal[0].body) as Json;
		} catch {
			sent = undefined;
		}
		if (sent) {
			for (const [camel, snake] of [['eventId', 'event_id'], ['occurredAt', 'occurred_at']] as const) {
				if (!o.has(camel, snake)) {
					if (o.acknowledged) fail(`the output has no ${snake}`);
					continue;
				}
				const value = o.field(camel, snake);
				if (value !== sent[snake]) fail(`the result's ${snake} ${show(value)} is not the one sent, ${show(sent[snake])}`);
			}
		}
	}
	if (o.acknowledged && o.json.success !== true) fail(`the output's success is ${show(o.json.success)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Running a case

interface RunContext {
	pkg: LoadedPackage;
	mock: Mock;
	validateJournal: ValidateFunction;
}

interface Attempt {
	failures: string[];
	/** during_backoff: the retry reached the mock before the runner's cancel (a shorter jitter than the runner's reaction). */
	race?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runOnce(ctx: RunContext, fixture: Case, variant: PropertiesVariant | undefined): Promise<Attempt> {
	const failures: string[] = [];
	const fail = (message: string) => failures.push(message);
	const { mock } = ctx;

	// reset, then queue the expanded responses
	const reset = await control(mock, 'POST', '/__control/reset');
	if (reset.status !== 204) throw new CaseFailure(`POST /__control/reset answered ${reset.status}`);
	const responses = (fixture.responses ?? []).map((r) => ({ ...r }));
	if (fixture.response_body_recipe) responses[0].body = expandResponseBodyRecipe(fixture.response_body_recipe);
	const queued = await control(mock, 'POST', '/__control/responses', { responses });
	if (queued.status !== 204) throw new CaseFailure(`POST /__control/responses answered ${queued.status}: ${queued.text}`);

	const { parameters, item } = nodeInput(fixture, variant);
	const problems = parameterProblems(ctx.pkg.nodeType.description, parameters);
	if (problems.length) throw new CaseFailure(`cannot give the case to the node: ${problems.join('; ')}`);
	const node: INode = {
		id: 'cekat-events-node',
		name: NODE_NAME,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [EVENTS_CREDENTIAL]: { id: 'cred-events', name: 'Cekat Events' } },
		onError: 'continueRegularOutput',
	};

	// observe the mock (arrival times; cancellation moments)
	const arrivals = new Map<number, number>();
	const settledAt = new Map<number, number>();
	const phase = fixture.cancellation?.phase;
	let execution: { cancel(reason?: string): void } | undefined;
	let cancelledAt: number | undefined;
	const cancel = () => {
		if (!execution || cancelledAt !== undefined) return;
		cancelledAt = performance.now();
		execution.cancel();
	};
	let backoffTimer: NodeJS.Timeout | undefined;
	const onJournaled = (entry: JournalEntry & { at: number }) => {
		arrivals.set(entry.sequence, entry.at);
		if (phase === 'during_request' && entry.sequence === 1) cancel();
	};
	const onSettled = (event: IngestEvent) => {
		settledAt.set(event.sequence, performance.now());
		// after the timer, one more pass of the event loop's I/O phase: the node reads what is waiting on its socket
		if (phase === 'during_backoff' && event.sequence === 1) backoffTimer = setTimeout(() => setImmediate(cancel), BACKOFF_CANCEL_AFTER_MS);
	};
	let polling = false;
	if (mock.events) {
		mock.events.on('journaled', onJournaled);
		mock.events.on('settled', onSettled);
	} else if (phase === 'during_request' || phase === 'during_backoff') {
		// An external mock has no observers: poll its journal, then cancel (during_backoff: a little after the first
		// request was journaled, when its undelayed answer has been read).
		polling = true;
		void (async () => {
			while (polling) {
				const seen = (await readJournal(mock, ctx.validateJournal).catch(() => [])).length;
				if (seen >= 1) {
					// an undelayed answer follows its journaling at once
					if (phase === 'during_backoff') settledAt.set(1, performance.now());
					if (phase === 'during_backoff') await sleep(BACKOFF_CANCEL_AFTER_MS + 5);
					cancel();
					return;
				}
				await sleep(2);
			}
		})();
	}

	const pkg = ctx.pkg;
	const started = Date.now();
	let run: IRun;
	try {
		run = await runNode({
			nodeTypes: pkg.nodeTypes,
			credentialTypes: pkg.credentialTypes,
			node,
			items: [item],
			credentialsByType: { [EVENTS_CREDENTIAL]: { accessToken: TOKEN, baseUrl: mock.baseUrl } },
			onStart: (running, hooks: ExecutionLifecycleHooks) => {
				execution = running;
				if (phase === 'before_request') {
					// n8n has dispatched the node (its task has started) but the node has not run yet: the stop
					// lands before the node can send anything.
					hooks.addHandler('nodeExecuteBefore', (nodeName: string) => {
						if (nodeName === NODE_NAME) cancel();
					});
				}
			},
		});
	} finally {
		polling = false;
		if (backoffTimer) clearTimeout(backoffTimer);
		mock.events?.off('journaled', onJournaled);
		mock.events?.off('settled', onSettled);
	}
	const finished = Date.now();
	const ended = performance.now();
	// let the mock finish what the node left (a cancelled delayed answer, a closed connection)
	await sleep(phase ? 20 : 0);

	const journal = await readJournal(mock, ctx.validateJournal);
	if (phase) {
		const firstSettled = settledAt.get(1);
		if (phase === 'during_request' && cancelledAt !== undefined && firstSettled !== undefined && firstSettled < cancelledAt)
			fail(`runner: the cancel came ${(cancelledAt - firstSettled).toFixed(1)} ms after the mock had answered, not during the request`);
	}

	let observed: Observed;
	try {
		observed = observe(run);
	} catch (error) {
		if (error instanceof CaseFailure) return { failures: [...failures, error.message] };
		throw error;
	}
	if (phase === 'during_backoff' && settledAt.has(1)) {
		// The cancel did not land in the backoff (a race, not a node fault) when the backoff may have ended before it:
		// the node's own first delay was shorter than the time from the mock's first answer to the cancel (its backoff
		// started after that answer; no cancel: to the end of the run), or, without a reported delay, the retry
		// reached the mock first.
		const cancelMoment = cancelledAt ?? ended;
		const latency = cancelMoment - settledAt.get(1)!;
		const reported = observed.field('retryDelaysMs');
		const firstDelay = Array.isArray(reported) && typeof reported[0] === 'number' ? (reported[0] as number) : undefined;
		const second = arrivals.get(2);
		if (firstDelay !== undefined ? firstDelay < latency : journal.length >= 2 && second !== undefined && second <= cancelMoment) {
			return {
				failures,
				race: `the node's backoff ended before the runner's cancel (its first delay ${firstDelay ?? '?'} ms, the cancel ${latency.toFixed(1)} ms after the first answer)`,
			};
		}
		// The other side: the node had not yet read the first answer (it chose no delay) when the cancel came, which
		// happens when the event loop was busy past the runner's timer.
		if (cancelledAt !== undefined && journal.length === 1 && Array.isArray(reported) && reported.length === 0) {
			return { failures, race: `the runner's cancel came ${latency.toFixed(1)} ms after the first answer, before the node had read it (no delay chosen)` };
		}
	}
	if (phase && cancelledAt === undefined) fail(`the runner never cancelled (${phase}): the node ${journal.length ? 'sent' : 'sent nothing'} and finished first`);
	const execution_: Execution = { fixture, responses, journal, arrivals, observed, window: { started, finished }, run };
	for (const [key, expected] of Object.entries(fixture.expect)) EXPECT_ASSERTIONS.get(key)!(execution_, expected, fail);
	invariants(execution_, fail);
	return { failures };
}

async function runCase(ctx: RunContext, fixture: Case): Promise<Record_> {
	const variants: Array<PropertiesVariant | undefined> = fixture.operation.properties_recipe ? PROPERTIES_RECIPES[fixture.operation.properties_recipe]() : [undefined];
	const reasons: string[] = [];
	const notes: string[] = [];
	for (const variant of variants) {
		let attempt: Attempt | undefined;
		let races = 0;
		let lastRace = '';
		for (let runIndex = 0; runIndex < BACKOFF_RACE_RUNS; runIndex++) {
			try {
				attempt = await runOnce(ctx, fixture, variant);
			} catch (error) {
				attempt = { failures: [error instanceof CaseFailure ? error.message : `runner error: ${(error as Error).stack ?? String(error)}`] };
			}
			if (!attempt.race) break;
			races++;
			lastRace = attempt.race;
		}
		if (attempt?.race) attempt.failures.push(`during_backoff: the cancel never landed in the backoff in ${races} runs; the last: ${attempt.race}`);
		else if (races) notes.push(`${races} run(s) repeated: the cancel did not land in the node's backoff (${lastRace})`);
		const prefix = variants.length > 1 || variant ? `[${variant?.label}] ` : '';
		for (const failure of attempt?.failures ?? []) reasons.push(`${prefix}${failure}`);
	}
	if (variants.some(Boolean)) notes.push(`properties: ${variants.map((v) => v!.label).join(', ')}`);
	const record: Record_ = { id: fixture.id, status: reasons.length ? 'failed' : 'passed' };
	if (reasons.length) record.reason = redact(reasons.join('; '));
	if (notes.length) record.note = redact(notes.join('; '));
	return record;
}

async function startMock(): Promise<Mock> {
	const base = process.env.CEKAT_CONFORMANCE_BASE_URL;
	const controlUrl = process.env.CEKAT_CONFORMANCE_CONTROL_URL;
	if (base || controlUrl) {
		if (!base || !controlUrl) throw new Error('set both CEKAT_CONFORMANCE_BASE_URL and CEKAT_CONFORMANCE_CONTROL_URL, or neither');
		for (const [name, value] of [['CEKAT_CONFORMANCE_BASE_URL', base], ['CEKAT_CONFORMANCE_CONTROL_URL', controlUrl]] as const) {
			const url = new URL(value);
			if (!['http:', 'https:'].includes(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username || url.password)
				throw new Error(`${name} must be an HTTP(S) origin without a path`);
		}
		return { baseUrl: base.replace(/\/$/, ''), controlUrl: controlUrl.replace(/\/$/, ''), close: async () => {} };
	}
	const mock = await startMockIngestServer();
	return { baseUrl: mock.baseUrl, controlUrl: mock.controlUrl, events: mock.events, close: async () => await mock.close(1000) };
}

async function main(): Promise<number> {
	const casesDir = process.env.CEKAT_CONFORMANCE_FIXTURES || path.resolve(REPO, '../shared/conformance/cekat-event-sdk/cases');
	if (!path.isAbsolute(casesDir)) throw new Error(`CEKAT_CONFORMANCE_FIXTURES must be an absolute path, got ${casesDir}`);
	if (!statSync(casesDir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`no fixtures folder at ${casesDir}`);
	const { validateCase, validateJournal } = loadSchemas(path.join(casesDir, '..', 'schemas'));
	const discovered = discover(casesDir, validateCase);

	const pkg = await loadPackage();
	const mock = await startMock();
	const records: Record_[] = [];
	const print = (record: Record_) => {
		records.push(record);
		process.stdout.write(`${JSON.stringify(record)}\n`);
	};
	try {
		for (const d of discovered) {
			if (d.invalid || !d.fixture) {
				print({ id: d.id, status: 'failed', reason: redact(d.invalid ?? 'invalid') });
				continue;
			}
			const fixture = d.fixture;
			const unknown = unknownForms(fixture);
			if (unknown.length) {
				print({ id: fixture.id, status: 'failed', reason: redact(unknown.join('; ')) });
				continue;
			}
			if (fixture.applicability?.inapplicable_languages.includes(LANGUAGE)) {
				print({ id: fixture.id, status: 'not_applicable', reason: `requires ${fixture.applicability.requires_capabilities.join(', ')}, declared inapplicable to ${LANGUAGE}` });
				continue;
			}
			print(await runCase({ pkg, mock, validateJournal }, fixture));
		}
	} finally {
		await mock.close();
	}

	// accounting: every discovered id exactly once
	const ids = discovered.map((d) => d.id);
	const recorded = records.map((r) => r.id);
	const accounted = ids.length === recorded.length && ids.every((id, i) => recorded[i] === id);
	const passed = records.filter((r) => r.status === 'passed').length;
	const notApplicable = records.filter((r) => r.status === 'not_applicable').length;
	const failed = records.length - passed - notApplicable;
	process.stdout.write(`cekat-event-sdk conformance: ${passed} passed, ${notApplicable} not_applicable, ${failed} failed\n`);
	if (!accounted) {
		process.stderr.write('cekat-event-sdk conformance: the records do not account for every discovered case exactly once\n');
		return 1;
	}
	return failed ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(`cekat-event-sdk conformance: ${redact((error as Error).stack ?? String(error))}\n`);
		process.exit(1);
	},
);
