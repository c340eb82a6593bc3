/**
 * Version 2 of the Cekat Trigger registers its URL in Cekat when the workflow is activated (n8n's webhook
 * lifecycle: checkExists, then create if needed; delete on deactivation).
 *
 * Two subscription APIs are evidenced and disagree (docs/cekat-api.md, Webhooks):
 * - 'workflows' (OFF, Cekat's own n8n node): POST /business_workflows/webhooks/subscribe { name, webhookUrl, events,
 *   inboxId?, boardId?, filters? }, POST …/unsubscribe { webhookUrl }, GET …/webhooks?webhookUrl= (bare array).
 * - 'business_webhooks' (REF): POST /business_webhooks { name, webhook_url, events, inbox_id, board_id, headers,
 *   secret }. Only the POST is documented; GET /business_webhooks and DELETE /business_webhooks/{id} are guesses.
 * The node tries OFF's first (what Cekat's production node uses) and falls back to REF's on a 404. Which one was
 * used, and its id, is kept in the node's static data, so delete and checkExists go to the same API.
 *
 * How Cekat sends a subscription's `secret` on deliveries is not documented: the registered URL carries
 * `?secret=…`, which the node checks (webhook.ts); REF also gets it as an `X-Cekat-Secret` header and `secret`.
 */
import type { IDataObject, IHookFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { cekatApiRequest, type CekatRequestContext } from '../Cekat/shared/transport';
import { isObject } from '../shared/cekatShapes';
import { ALL_EVENTS, CEKAT_EVENTS } from './events';

export type SubscriptionVariant = 'workflows' | 'business_webhooks';

/** What the node keeps per registered URL (keyed by n8n's URL without the secret: test and production differ). */
export interface StoredSubscription {
	variant: SubscriptionVariant;
	/** Cekat's id of the subscription, when its answer had one. */
	id: string | null;
	/** The URL as registered (with ?secret=… when a secret is set): what delete unsubscribes. */
	url: string;
	events: string[];
	inboxId: string | null;
	boardId: string | null;
	filters: IDataObject | null;
}

export const SUBSCRIPTIONS_KEY = 'subscriptions';

const WORKFLOWS = '/business_workflows/webhooks';
const BUSINESS_WEBHOOKS = '/business_webhooks';

/** OFF's order filter options (CekatOrderTrigger): the collection's names → the subscribe body's keys. */
const FILTER_KEYS: Record<string, string> = { paymentMethod: 'payment_method', orderStatus: 'order_status', paymentStatus: 'payment_status' };

interface Desired {
	name: string;
	/** n8n's URL of this node (production, or test while the editor listens). */
	base: string;
	/** What Cekat should call: the base URL, plus ?secret=… when a Secret is set. */
	url: string;
	secret: string;
	events: string[];
	inboxId: string | null;
	boardId: string | null;
	filters: IDataObject | null;
}

/** Whether the node should register itself (option "Register Webhook in Cekat", default on). */
export const registrationOn = (ctx: IHookFunctions): boolean => ctx.getNodeParameter('registerWebhook', true) !== false;

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value)).trim();

function desiredOf(ctx: IHookFunctions): Desired {
	const base = ctx.getNodeWebhookUrl('default');
	if (!base) throw new NodeOperationError(ctx.getNode(), 'n8n gave no webhook URL for this node');
	const secret = String(ctx.getNodeParameter('secret', '') ?? '');
	const chosen = (ctx.getNodeParameter('events', []) as string[]) ?? [];
	// "All Events" is the node's own choice; Cekat wants event names.
	const events = chosen.includes(ALL_EVENTS) ? CEKAT_EVENTS.map((e) => e.value) : [...new Set(chosen)];
	if (events.length === 0) throw new NodeOperationError(ctx.getNode(), 'Choose at least one event to register in Cekat');
	const filterParameter = (ctx.getNodeParameter('orderFilters', {}) ?? {}) as IDataObject;
	const filters: IDataObject = {};
	for (const [option, key] of Object.entries(FILTER_KEYS)) if (text(filterParameter[option]) !== '') filters[key] = text(filterParameter[option]);
	const workflow = ctx.getWorkflow();
	return {
		name: `n8n: ${workflow.name ?? workflow.id ?? 'workflow'}`,
		base,
		url: secret === '' ? base : `${base}${base.includes('?') ? '&' : '?'}secret=${encodeURIComponent(secret)}`,
		secret,
		events,
		inboxId: text(ctx.getNodeParameter('inboxId', '', { extractValue: true })) || null,
		boardId: text(ctx.getNodeParameter('boardId', '', { extractValue: true })) || null,
		filters: Object.keys(filters).length ? filters : null,
	};
}

function storedAll(ctx: IHookFunctions): Record<string, StoredSubscription> {
	const value = ctx.getWorkflowStaticData('node')[SUBSCRIPTIONS_KEY];
	return isObject(value) ? (value as unknown as Record<string, StoredSubscription>) : {};
}

/** Replaces the map (a new object: n8n notices the change and saves the static data). */
function store(ctx: IHookFunctions, base: string, entry: StoredSubscription | undefined): void {
	const next = { ...storedAll(ctx) };
	if (entry) next[base] = entry;
	else delete next[base];
	ctx.getWorkflowStaticData('node')[SUBSCRIPTIONS_KEY] = next as unknown as IDataObject;
}

const isNotFound = (error: unknown): boolean => error instanceof NodeApiError && error.httpCode === '404';

/** Rethrows as n8n wants it: a NodeApiError (cekatApiRequest's errors already are one, handed back unchanged). */
const rethrow = (ctx: IHookFunctions, error: unknown): never => {
	throw new NodeApiError(ctx.getNode(), error as JsonObject);
};

async function request(ctx: IHookFunctions, method: 'GET' | 'POST' | 'DELETE', path: string, qs: IDataObject = {}, body?: IDataObject): Promise<unknown> {
	// The hook context has the same request helpers as the contexts cekatApiRequest names.
	return await cekatApiRequest.call(ctx as unknown as CekatRequestContext, method, path, qs, body);
}

const sameSet = (a: unknown, b: string[]): boolean =>
	Array.isArray(a) && new Set(a.map(String)).size === new Set(b).size && a.every((v) => b.includes(String(v)));

const sameId = (a: unknown, b: string | null): boolean => (text(a) || null) === b;

function sameFilters(a: unknown, b: IDataObject | null): boolean {
	const norm = (v: unknown) =>
		isObject(v)
			? JSON.stringify(
					Object.keys(v)
						.filter((k) => text(v[k]) !== '')
						.sort()
						.map((k) => [k, text(v[k]).toLowerCase()]),
				)
			: '[]';
	return norm(a) === norm(b);
}

/** A row of OFF's list is ours when URL and events match; inbox, board and filters too when the row names them. */
function matchesWorkflowRow(row: unknown, want: Desired): boolean {
	if (!isObject(row) || row.webhookUrl !== want.url || !sameSet(row.events, want.events)) return false;
	if ('inboxId' in row && !sameId(row.inboxId, want.inboxId)) return false;
	if ('boardId' in row && !sameId(row.boardId, want.boardId)) return false;
	if ('filters' in row && !sameFilters(row.filters, want.filters)) return false;
	return true;
}

function matchesBusinessRow(row: unknown, want: Desired): boolean {
	if (!isObject(row) || row.webhook_url !== want.url || !sameSet(row.events, want.events)) return false;
	if ('inbox_id' in row && !sameId(row.inbox_id, want.inboxId)) return false;
	if ('board_id' in row && !sameId(row.board_id, want.boardId)) return false;
	return true;
}

const rowsOf = (body: unknown): unknown[] | undefined => (Array.isArray(body) ? body : isObject(body) && Array.isArray(body.data) ? body.data : undefined);

/** REF's list (not evidenced): undefined when Cekat answers 404 for it. */
async function businessWebhooks(ctx: IHookFunctions): Promise<unknown[] | undefined> {
	try {
		return rowsOf(await request(ctx, 'GET', BUSINESS_WEBHOOKS)) ?? [];
	} catch (error) {
		if (isNotFound(error)) return undefined;
		return rethrow(ctx, error);
	}
}

function matchesStored(stored: StoredSubscription | undefined, want: Desired): boolean {
	return (
		stored !== undefined &&
		stored.url === want.url &&
		sameSet(stored.events, want.events) &&
		stored.inboxId === want.inboxId &&
		stored.boardId === want.boardId &&
		(stored.variant === 'business_webhooks' || sameFilters(stored.filters, want.filters))
	);
}

/** checkExists: whether Cekat already has this URL with these settings (then n8n does not call create). */
export async function subscriptionExists(this: IHookFunctions): Promise<boolean> {
	if (!registrationOn(this)) return true;
	const want = desiredOf(this);
	const stored = storedAll(this)[want.base];
	if (stored?.variant !== 'business_webhooks') {
		try {
			const rows = rowsOf(await request(this, 'GET', WORKFLOWS, { webhookUrl: want.url })) ?? [];
			return rows.some((row) => matchesWorkflowRow(row, want));
		} catch (error) {
			if (!isNotFound(error)) rethrow(this, error);
		}
	}
	const rows = await businessWebhooks(this);
	if (rows !== undefined) return rows.some((row) => matchesBusinessRow(row, want));
	// Cekat lists neither: what this node registered last time is all there is to go by.
	return matchesStored(stored, want);
}

/** create: subscribes (OFF's API, REF's on a 404); a refusal throws Cekat's message, so n8n activates nothing. */
export async function subscribe(this: IHookFunctions): Promise<boolean> {
	if (!registrationOn(this)) return true;
	const want = desiredOf(this);
	const stored = storedAll(this)[want.base];
	let variant: SubscriptionVariant = 'workflows';
	let answer: unknown;
	try {
		try {
			answer = await request(this, 'POST', `${WORKFLOWS}/subscribe`, {}, {
				name: want.name,
				webhookUrl: want.url,
				events: want.events,
				...(want.inboxId ? { inboxId: want.inboxId } : {}),
				...(want.boardId ? { boardId: want.boardId } : {}),
				...(want.filters ? { filters: want.filters } : {}),
			});
		} catch (error) {
			if (!isNotFound(error)) rethrow(this, error);
			variant = 'business_webhooks';
			// REF keeps one entry per POST: an older one of this URL (other settings) goes first.
			if (stored?.variant === 'business_webhooks') await unsubscribeBusiness(this, stored.id, stored.url);
			answer = await request(this, 'POST', BUSINESS_WEBHOOKS, {}, {
				name: want.name,
				webhook_url: want.url,
				events: want.events,
				inbox_id: want.inboxId,
				board_id: want.boardId,
				...(want.secret ? { headers: { 'X-Cekat-Secret': want.secret }, secret: want.secret } : {}),
			});
		}
	} catch (error) {
		if (error instanceof NodeApiError) {
			const hint = 'Cekat refused to register the webhook. If this API key cannot subscribe webhooks, turn off "Register Webhook in Cekat" and add the URL by hand.';
			error.description = error.description ? `${error.description}\n${hint}` : hint;
		}
		return rethrow(this, error);
	}
	const data = isObject(answer) && isObject(answer.data) ? answer.data : isObject(answer) ? answer : {};
	store(this, want.base, {
		variant,
		id: text(data.id) || null,
		url: want.url,
		events: want.events,
		inboxId: want.inboxId,
		boardId: want.boardId,
		filters: variant === 'workflows' ? want.filters : null,
	});
	return true;
}

/**
 * REF: DELETE /business_webhooks/{id} (not evidenced). Without an id, the ids come from GET /business_webhooks (not
 * evidenced either). A 404 (gone already, or no such route) ends it: there is nothing else to try.
 */
async function unsubscribeBusiness(ctx: IHookFunctions, id: string | null, url: string): Promise<void> {
	let ids = id ? [id] : [];
	if (!id) {
		const rows = await businessWebhooks(ctx);
		ids = (rows ?? []).filter((r) => isObject(r) && r.webhook_url === url).map((r) => text((r as IDataObject).id)).filter((v) => v !== '');
	}
	for (const one of ids) {
		try {
			await request(ctx, 'DELETE', `${BUSINESS_WEBHOOKS}/${encodeURIComponent(one)}`);
		} catch (error) {
			if (!isNotFound(error)) rethrow(ctx, error);
			ctx.logger.warn(`Cekat answered 404 to DELETE ${BUSINESS_WEBHOOKS}/${one}: the subscription is gone or this route does not exist`);
		}
	}
}

/** delete: unsubscribes the URL registered last (OFF: by URL; REF: by id). Failures throw (n8n logs them). */
export async function unsubscribe(this: IHookFunctions): Promise<boolean> {
	if (!registrationOn(this)) return true;
	const base = this.getNodeWebhookUrl('default');
	if (!base) return true;
	const stored = storedAll(this)[base];
	// Without a record (n8n may call delete after a failed create), the URL the current settings give.
	const url = stored?.url ?? desiredOf(this).url;
	if (stored?.variant === 'business_webhooks') {
		await unsubscribeBusiness(this, stored.id, url);
	} else {
		try {
			await request(this, 'POST', `${WORKFLOWS}/unsubscribe`, {}, { webhookUrl: url });
		} catch (error) {
			if (!isNotFound(error)) rethrow(this, error);
			await unsubscribeBusiness(this, stored?.id ?? null, url);
		}
	}
	if (stored) store(this, base, undefined);
	return true;
}
