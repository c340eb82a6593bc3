/**
 * Bulk sends (Message → Send WhatsApp, Send Template) as n8n custom operations (Cekat.node.ts,
 * customOperations). n8n's routing engine starts every item's request at once, so after a refused send
 * the later ones still went out, and a failed node shows no output: a re-run messaged the sent customers
 * again. Here the items are sent in input order, a failure with On Error → Stop sends nothing more, and
 * its error lists what was sent, what failed and what was not attempted (docs/reliability.md, "Bulk
 * sends"). Each request still goes through the rate limiter and the same error mapping as the routing's.
 *
 * The fields' `routing.send` stays the one description of where each value goes: routedBody reads it.
 */
import type {
	IDataObject,
	IExecuteData,
	IExecuteFunctions,
	IGetNodeParameterOptions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeDescription,
	NodeApiError,
} from 'n8n-workflow';
import { deepCopy, NodeHelpers, NodeOperationError, sleep } from 'n8n-workflow';

import { isObject } from '../../shared/cekatShapes';
import { assertCekatSuccess, cekatApiError, guardedRequest } from './errors';
import { recordsWithoutEnvelope } from './pagination';
import { markRetryable, noteAnswer, withRateLimit } from './rateLimit';
import { isEmpty, type FieldContext } from './validation';

/**
 * One item's view of the node's parameters: what the body checks read. The routing engine's per-item
 * context has it too, so the same checks serve the routing (AI-tool variant) and the custom operation.
 */
export interface ItemView extends FieldContext {
	getNodeParameter(name: string, fallback?: unknown, options?: IGetNodeParameterOptions): unknown;
}

/** Gives a routed body its final shape and checks it; throws a field error naming the item. */
export type BodyBuilder = (item: ItemView, body: IDataObject) => IDataObject;

/**
 * Sends in flight at once, unless the node's Settings → Request Options → Batching sets it (Items per
 * Batch; 1 = strictly one after another). Measured (docs/benchmarks.md): 8 in flight match n8n's HTTP
 * Request node, which starts every item at once; a failure stops new sends, and the ones already in flight
 * (at most 7) complete and are listed as sent.
 */
export const SEND_CONCURRENCY = 8;

interface Route {
	/** Parameter path, e.g. `options.footer`. */
	path: string;
	to: 'body' | 'qs';
	/** Where the value goes, dotted (`location.latitude`). */
	property: string;
	dotted: boolean;
	extractValue: boolean;
}

const isExpression = (value: unknown): boolean =>
	typeof value === 'string'
		? value.charAt(0) === '='
		: Array.isArray(value)
			? value.some(isExpression)
			: isObject(value)
				? Object.values(value).some(isExpression)
				: false;

function valueAt(parameters: IDataObject, path: string): unknown {
	let value: unknown = parameters;
	for (const key of path.split('.')) value = isObject(value) ? value[key] : undefined;
	return value;
}

function setAt(target: IDataObject, property: string, dotted: boolean, value: unknown): void {
	const keys = dotted ? property.split('.') : [property];
	let at = target;
	for (const key of keys.slice(0, -1)) {
		if (!isObject(at[key])) at[key] = {};
		at = at[key] as IDataObject;
	}
	at[keys[keys.length - 1]] = value as IDataObject[string];
}

/**
 * The routes of the fields shown for the node's parameters, as the routing engine picks them: a
 * field's own `routing.send`, and for a collection the options the user added. Computed once per
 * run (which fields show depends on the node's parameters, not on the item).
 */
export function routesOf(description: INodeTypeDescription, node: INode): Route[] {
	const parameters = node.parameters as IDataObject;
	const shown = (p: INodeProperties) => NodeHelpers.displayParameter(node.parameters, p, node, description);
	const routes: Route[] = [];
	const add = (p: INodeProperties, path: string) => {
		const send = p.routing?.send;
		if (send?.property === undefined) return;
		// The sends use plain routes; anything else would need the engine's expression evaluation.
		if (send.value !== undefined || send.property.charAt(0) === '=' || (send.type !== 'body' && send.type !== 'query')) {
			throw new Error(`${path}: unsupported routing.send`);
		}
		routes.push({
			path,
			to: send.type === 'body' ? 'body' : 'qs',
			property: send.property,
			dotted: send.propertyInDotNotation !== false,
			extractValue: p.type === 'resourceLocator' || p.extractValue !== undefined,
		});
	};
	for (const p of description.properties) {
		if (!shown(p)) continue;
		add(p, p.name);
		if (p.type === 'collection') {
			const added = parameters[p.name];
			for (const option of (p.options ?? []) as INodeProperties[]) {
				if (isObject(added) && option.name in added && shown(option)) add(option, `${p.name}.${option.name}`);
			}
		}
	}
	return routes;
}

/**
 * One item's request body and query from the routes; empty values dropped at the top level, as
 * prepareRequest does in the routing.
 */
export function routedBody(routes: Route[], item: ItemView): { body: IDataObject; qs: IDataObject } {
	const body: IDataObject = {};
	const qs: IDataObject = {};
	for (const route of routes) {
		const value = item.getNodeParameter(route.path, undefined, route.extractValue ? { extractValue: true } : undefined);
		setAt(route.to === 'body' ? body : qs, route.property, route.dotted, value);
	}
	for (const target of [body, qs]) {
		for (const key of Object.keys(target)) if (isEmpty(target[key])) delete target[key];
	}
	return { body, qs };
}

/**
 * A parameter value as one JavaScript expression source, when it is plain values and whole `={{ … }}`
 * expressions only (no text around an expression, no resource locator): undefined otherwise.
 */
function expressionSource(value: unknown): string | undefined {
	if (typeof value === 'string') {
		if (value.charAt(0) !== '=') return JSON.stringify(value);
		const whole = /^=\{\{([\s\S]*)\}\}$/.exec(value);
		if (!whole || whole[1].includes('{{') || whole[1].includes('}}')) return undefined;
		return `(${whole[1]})`;
	}
	if (Array.isArray(value)) {
		const parts = value.map(expressionSource);
		return parts.includes(undefined) ? undefined : `[${parts.join(',')}]`;
	}
	if (isObject(value)) {
		if ('__rl' in value) return undefined;
		const parts = Object.entries(value).map(([key, entry]) => {
			const source = expressionSource(entry);
			return source === undefined ? undefined : `${JSON.stringify(key)}:${source}`;
		});
		return parts.includes(undefined) ? undefined : `{${parts.join(',')}}`;
	}
	return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** What n8n's getNodeParameter does to an evaluated value: dates (Luxon) inside objects and lists become text. */
function cleanedUp(value: unknown): unknown {
	if (Array.isArray(value)) return value.map((v) => (isDateTime(v) ? v.toString() : cleanedUp(v)));
	if (isObject(value)) {
		for (const key of Object.keys(value)) value[key] = (isDateTime(value[key]) ? String(value[key]) : cleanedUp(value[key])) as IDataObject[string];
	}
	return value;
}
const isDateTime = (value: unknown): value is { toString(): string } => isObject(value) && (value as { isLuxonDateTime?: unknown }).isLuxonDateTime === true;

/** A read that meets something other than JSON data: the item's parameters are evaluated by n8n instead. */
const NOT_PLAIN = new Error();
const isData = (value: unknown): value is IDataObject =>
	Array.isArray(value) || (isObject(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value)));

/**
 * A parameter value as a function of the item's JSON, when its only expressions are whole
 * `={{ $json.a.b }}` / `={{ $json["a b"][0] }}` reads: n8n's `$json` is the item's JSON, so these need no
 * expression evaluation. Undefined when any other expression is in it. Objects read are copies, as
 * n8n's evaluation gives.
 */
function readerOf(value: unknown): ((json: unknown) => unknown) | undefined {
	if (typeof value === 'string' && value.charAt(0) === '=') {
		const path = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*|\[(?:\d+|"[^"\\]*"|'[^'\\]*')\])+)\s*\}\}$/.exec(value);
		if (!path) return undefined;
		// Names and indexes outside quotes, then quoted keys (the pattern above allows nothing else).
		const keys = [...path[1].matchAll(/[\w$]+|"([^"]*)"|'([^']*)'/g)].map((k) => k[1] ?? k[2] ?? k[0]);
		return (json) => {
			let at = json;
			// Inherited keys (`length`, `constructor`) and reads through a missing value: n8n evaluates them.
			for (const key of keys) {
				if (!isData(at) || (!Object.prototype.hasOwnProperty.call(at, key) && key in at)) throw NOT_PLAIN;
				at = at[key];
			}
			if (at === null || (typeof at !== 'object' && typeof at !== 'function')) return at;
			if (!isData(at)) throw NOT_PLAIN;
			return deepCopy(at);
		};
	}
	if (typeof value !== 'object' || value === null) return () => value;
	if ('__rl' in value) return undefined;
	const readers = Object.entries(value).map(([key, entry]) => [key, readerOf(entry)] as const);
	if (readers.some(([, read]) => !read)) return undefined;
	return Array.isArray(value)
		? (json) => readers.map(([, read]) => read!(json))
		: (json) => Object.fromEntries(readers.map(([key, read]) => [key, read!(json)]));
}

/**
 * Item views over one run's parameters. A parameter without an expression is the same for every item:
 * it is read once (n8n's getNodeParameter copies and validates on every call). The routes' parameters
 * with expressions are read from the item's JSON when they only read `$json` (readerOf), and the rest
 * are evaluated together, in ONE expression per item (each evaluation sets up n8n's whole expression
 * context: most of a send's CPU time, docs/benchmarks.md); when they cannot be combined, or the combined
 * evaluation fails, each is evaluated by getNodeParameter, whose errors name the parameter.
 */
function itemViews(ctx: IExecuteFunctions, routes: Route[]): (itemIndex: number) => ItemView {
	const node = ctx.getNode();
	const items = ctx.getInputData();
	const parameters = node.parameters as IDataObject;
	const fixed = new Map<string, unknown>();
	const combined = routes.filter((route) => !route.extractValue && isExpression(valueAt(parameters, route.path))).map((route) => route.path);
	// The parameters read from the item's JSON, by path; the others are evaluated.
	const readers = new Map<string, (json: unknown) => unknown>();
	for (const path of combined) {
		const read = readerOf(valueAt(parameters, path));
		if (read) readers.set(path, read);
	}
	const together = (paths: string[]) => {
		const sources = paths.map((path) => expressionSource(valueAt(parameters, path)));
		return paths.length > 1 && !sources.includes(undefined) ? { paths, source: `{{ [${sources.join(',')}] }}` } : undefined;
	};
	const all = together(combined);
	const rest = together(combined.filter((path) => !readers.has(path)));
	return (itemIndex) => {
		let values: Map<string, unknown> | undefined = new Map();
		let evaluated = all;
		try {
			for (const [path, read] of readers) values.set(path, read(items[itemIndex]?.json));
			evaluated = rest;
		} catch {
			values.clear(); // not plain data: n8n evaluates this item's parameters
		}
		if (evaluated) {
			try {
				const list = ctx.evaluateExpression(evaluated.source, itemIndex);
				if (Array.isArray(list) && list.length === evaluated.paths.length) evaluated.paths.forEach((path, k) => values!.set(path, cleanedUp(list[k])));
			} catch {
				values = undefined; // each parameter again, alone: its own error names it
			}
		}
		return {
			getNode: () => node,
			getItemIndex: () => itemIndex,
			getNodeParameter: (name, fallback, options) => {
				if (values?.has(name) && !options?.extractValue) return values.get(name);
				const raw = valueAt(parameters, name);
				if (raw === undefined || isExpression(raw)) return ctx.getNodeParameter(name, itemIndex, fallback, options);
				const key = options?.extractValue ? `${name}\u0000value` : name;
				if (!fixed.has(key)) fixed.set(key, ctx.getNodeParameter(name, itemIndex, fallback, options));
				return fixed.get(key);
			},
		};
	};
}

type NodeError = NodeApiError | NodeOperationError;

function asNodeError(node: INode, error: unknown, itemIndex: number): NodeError {
	const named = (error as { name?: string })?.name;
	const nodeError =
		named === 'NodeApiError' || named === 'NodeOperationError'
			? (error as NodeError)
			: new NodeOperationError(node, error instanceof Error ? error : new Error(String(error)), { itemIndex });
	nodeError.context = { ...(nodeError.context ?? {}), itemIndex };
	return nodeError;
}

/** `0–4, 7, 9–10`: item indexes as short ranges. */
export function ranges(indexes: number[]): string {
	const parts: string[] = [];
	for (let i = 0; i < indexes.length; i++) {
		let j = i;
		while (j + 1 < indexes.length && indexes[j + 1] === indexes[j] + 1) j++;
		parts.push(j === i ? String(indexes[i]) : `${indexes[i]}–${indexes[j]}`);
		i = j;
	}
	return parts.join(', ');
}

/** How many sent items the error's description lists one by one (all are in its context). */
const LISTED = 50;

const messageIdOf = (json: IDataObject | undefined): string => {
	const id = json?.id ?? json?.message_id;
	return typeof id === 'string' || typeof id === 'number' ? String(id) : '(no id in Cekat’s answer)';
};

/** The summary a Stop adds to the failed item's error: what a re-run must leave out and what it must send. */
function stopSummary(total: number, sent: Map<number, INodeExecutionData[]>, failed: Map<number, NodeError>, notAttempted: number[]): string {
	const sentIndexes = [...sent.keys()].sort((a, b) => a - b);
	const lines = [
		`Bulk send stopped: ${sent.size} of ${total} items were sent, ${failed.size} failed, ${notAttempted.length} were not attempted. Nothing was sent twice.`,
		`Sent (${sent.size}): ${sent.size ? `items ${ranges(sentIndexes)}` : 'none'}`,
		...sentIndexes.slice(0, LISTED).map((i) => `  item ${i} → message ${messageIdOf(sent.get(i)?.[0]?.json)}`),
		...(sentIndexes.length > LISTED ? [`  … and ${sentIndexes.length - LISTED} more (all in the error’s context.sent)`] : []),
		`Failed (${failed.size}):`,
		...[...failed.entries()].sort(([a], [b]) => a - b).map(([i, error]) => `  item ${i}: ${error.message}`),
		`Not attempted (${notAttempted.length}): ${notAttempted.length ? `items ${ranges(notAttempted)}` : 'none'}`,
		'To send the rest, run the node again with the failed and not-attempted items only (not the sent ones), or set On Error → Continue.',
	];
	return lines.join('\n');
}

interface RequestSettings {
	batching?: { batch?: { batchSize?: number; batchInterval?: number } };
	timeout?: number;
	proxy?: string;
	allowUnauthorizedCerts?: boolean;
}

/** The node's Settings → Request Options, applied as the routing engine applies them. */
/** batchSize 0: no batching. */
function requestSettings(ctx: IExecuteFunctions): { base: Partial<IHttpRequestOptions>; batchSize: number; batchInterval: number } {
	const settings = ctx.getNodeParameter('requestOptions', 0, {}) as RequestSettings;
	const base: Partial<IHttpRequestOptions> = { timeout: settings.timeout || 300_000 };
	if (settings.allowUnauthorizedCerts) base.skipSslCertificateValidation = true;
	if (settings.proxy) {
		let proxy: URL;
		try {
			proxy = new URL(settings.proxy);
		} catch {
			throw new NodeOperationError(ctx.getNode(), 'The proxy is not valid', { description: 'The proxy URL does not contain a valid value for "host"' });
		}
		base.proxy = {
			host: proxy.hostname,
			port: Number(proxy.port),
			protocol: proxy.protocol.replace(/:$/, '') || undefined,
			...(proxy.username ? { auth: { username: decodeURIComponent(proxy.username), password: decodeURIComponent(proxy.password) } } : {}),
		};
	}
	// n8n's Batching: Items per Batch (-1 = off, 0 counts as 1) and the interval between batches.
	const batch = settings.batching?.batch;
	const size = batch ? Number(batch.batchSize ?? 50) : -1;
	return { base, batchSize: size < 0 || !Number.isFinite(size) ? 0 : Math.max(1, size), batchInterval: batch ? Number(batch.batchInterval ?? 1000) : 0 };
}

/** Items sent in an earlier try of this node run (Retry On Fail re-runs the node): never sent again. */
const sentInRun = new WeakMap<IExecuteData, Map<number, INodeExecutionData[]>>();

function operationRequest(description: INodeTypeDescription, resource: string, operation: string): { method: IHttpRequestMethods; url: string } {
	const picker = description.properties.find(
		(p) => p.name === 'operation' && (p.displayOptions?.show?.resource as string[] | undefined)?.includes(resource),
	);
	const option = (picker?.options as INodePropertyOptions[] | undefined)?.find((o) => o.value === operation);
	const request = option?.routing?.request;
	if (!request?.method || !request.url || /[{}=]/.test(request.url)) {
		throw new Error(`${resource}.${operation}: no fixed routing request`);
	}
	return { method: request.method, url: request.url };
}

/**
 * The custom operation of a send: the request of the operation's routing, the body from its fields'
 * routes, finished and checked by `build`, for every item in input order.
 */
export function bulkSend(description: INodeTypeDescription, resource: string, operation: string, build: BodyBuilder, concurrency = SEND_CONCURRENCY) {
	const { method, url } = operationRequest(description, resource, operation);

	return async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await sendItems(this, { description, method, url, build, concurrency });
	};
}

async function sendItems(
	ctx: IExecuteFunctions,
	{ description, method, url, build, concurrency }: { description: INodeTypeDescription; method: IHttpRequestMethods; url: string; build: BodyBuilder; concurrency: number },
): Promise<INodeExecutionData[][]> {
	const node = ctx.getNode();
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const { base, batchSize, batchInterval } = requestSettings(ctx);
	const routes = routesOf(description, node);
	const view = itemViews(ctx, routes);

	const run = ctx.getExecuteData();
	let sent = sentInRun.get(run);
	if (!sent) {
		sent = new Map();
		sentInRun.set(run, sent);
	}
	const failed = new Map<number, NodeError>();

	// Every body is built and checked before the first request: an item refused here stops a Stop
	// run with nothing sent.
	const requests = new Map<number, { body: IDataObject; qs: IDataObject }>();
	for (let i = 0; i < items.length; i++) {
		if (sent.has(i)) continue;
		try {
			const item = view(i);
			const routed = routedBody(routes, item);
			requests.set(i, { body: build(item, routed.body), qs: routed.qs });
		} catch (error) {
			failed.set(i, asNodeError(node, error, i));
			if (!continueOnFail) break;
		}
	}

	const sendOne = async (i: number, request: { body: IDataObject; qs: IDataObject }): Promise<INodeExecutionData[]> => {
		const response = await withRateLimit(ctx, async () => {
			const answer = (await guardedRequest(
				node,
				async () =>
					await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'cekatApi', {
						...base,
						method,
						url,
						body: request.body,
						...(Object.keys(request.qs).length ? { qs: request.qs } : {}),
						headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
						json: true,
						ignoreHttpStatusErrors: true,
						returnFullResponse: true,
					}),
				i,
			)) as { statusCode: number; body: unknown; headers: IDataObject };
			const wait = await noteAnswer(ctx, answer.statusCode, answer.headers);
			if (wait !== undefined) throw markRetryable(cekatApiError(node, answer.statusCode, answer.body, answer.headers, { itemIndex: i }), wait);
			assertCekatSuccess(node, answer, { itemIndex: i });
			return answer;
		});
		return recordsWithoutEnvelope(response.body, i);
	};

	const queue = failed.size && !continueOnFail ? [] : [...requests.keys()];
	const signal = ctx.getExecutionCancelSignal();
	let next = 0;
	let started = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < queue.length) {
			if (signal?.aborted) {
				stopped = true;
				break;
			}
			if (started > 0 && batchSize > 0 && batchInterval > 0 && started % batchSize === 0) await sleep(batchInterval);
			if (stopped) break;
			const i = queue[next++];
			started++;
			try {
				sent.set(i, await sendOne(i, requests.get(i)!));
			} catch (error) {
				failed.set(i, asNodeError(node, error, i));
				if (!continueOnFail) stopped = true;
			}
		}
	};
	const inFlight = batchSize > 0 ? batchSize : concurrency;
	await Promise.all(Array.from({ length: Math.min(inFlight, queue.length) }, worker));

	if (failed.size && !continueOnFail) {
		const notAttempted = items.map((_, i) => i).filter((i) => !sent.has(i) && !failed.has(i));
		const [firstIndex, first] = [...failed.entries()].sort(([a], [b]) => a - b)[0];
		first.description = [first.description, stopSummary(items.length, sent, failed, notAttempted)].filter(Boolean).join('\n\n');
		first.context = {
			...first.context,
			itemIndex: firstIndex,
			sent: [...sent.entries()].sort(([a], [b]) => a - b).map(([item, output]) => ({ item, messageId: messageIdOf(output[0]?.json) })),
			failed: [...failed.entries()].sort(([a], [b]) => a - b).map(([item, error]) => ({ item, message: error.message })),
			notAttempted,
		};
		throw first;
	}
	if (signal?.aborted) throw new NodeOperationError(node, 'The execution was cancelled during a bulk send');

	const output: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const error = failed.get(i);
		if (error) output.push({ json: { error: error.message }, error, pairedItem: { item: i } });
		else output.push(...(sent.get(i) ?? []));
	}
	return [output];
}
