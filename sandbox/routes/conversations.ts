/**
 * GET /api/conversations, GET /api/conversations/:id and PUT /api/conversations/:id.
 *
 * v2 (default, INV): cursor only. `limit` (max 100), then `cursor_id` + `cursor_ts` from
 * `metadata.next_cursor`; the last page has `next_cursor: { cursor_id: null, cursor_ts: null }`. Rows are in
 * order of last activity (the last message, else creation), newest first; `cursor_ts` is that time in UTC
 * without a zone ('2026-04-14 07:32:31.454'). `page` is ignored (v2 has no pages).
 * v1 (variant conversations: 'v1'): `page` + `limit`, newest created first, `metadata.pagination` page totals.
 */
import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../errors';
import { activityOf, byActivity, compareActivity, newestFirst } from '../store';
import type { Agent, Conversation, StageStatus } from '../types';
import { DEFAULT_VARIANT } from '../variant';
import { parseCekatTs, wireConversation, zonelessUtc } from '../wire';
import { filterByRange, listQuerySchema, pageEnvelope, paramsSchema, type Query, readDateRange, readPaging, type RouteDeps, stringParam } from './common';

const STAGES: StageStatus[] = ['open', 'pending', 'assigned', 'resolved'];

const updateBodySchema = {
	type: 'object',
	additionalProperties: false,
	minProperties: 1,
	properties: {
		assigned_ai_agent: { type: ['string', 'null'] },
		keep_assigned_ai_agent_on_resolve: { type: 'boolean' },
		stage_status: { type: 'string', enum: STAGES },
		handled_by_id: { type: ['string', 'null'] },
		notes: { type: ['string', 'null'] },
	},
};

/** Accepts the zoneless cursor_ts we hand out (UTC), ISO with a zone, or epoch milliseconds; answers ISO. */
function parseCursorTs(raw: string): string {
	const ms = parseCekatTs(raw);
	const d = new Date(ms);
	if (!Number.isFinite(ms) || Number.isNaN(d.getTime())) {
		throw badRequest('cursor_ts', `cursor_ts must be the timestamp from metadata.next_cursor.cursor_ts, got '${raw}'`);
	}
	return d.toISOString();
}

export function registerConversationRoutes(app: FastifyInstance, { store, webhooks, variant = DEFAULT_VARIANT }: RouteDeps): void {
	const wire = (c: Conversation) => wireConversation(store, c);

	app.get(
		'/api/conversations',
		{ schema: { querystring: listQuerySchema({ cursor_id: stringParam, cursor_ts: stringParam }) } },
		async (req) => {
			const q = req.query as Query;
			const paging = readPaging(q);
			const range = readDateRange(q);
			if (variant.conversations === 'v1') {
				return pageEnvelope(filterByRange(newestFirst(store.conversations), range, (c) => c.created_at), paging, variant, wire);
			}
			const hasCursor = q.cursor_id !== undefined || q.cursor_ts !== undefined;
			if (hasCursor && (q.cursor_id === undefined || q.cursor_id === '')) throw badRequest('cursor_id', 'cursor_id is required together with cursor_ts');
			if (hasCursor && (q.cursor_ts === undefined || q.cursor_ts === '')) throw badRequest('cursor_ts', 'cursor_ts is required together with cursor_id');

			const all = filterByRange(byActivity(store.conversations), range, (c) => c.created_at);
			let start = 0;
			if (hasCursor) {
				// "Strictly after (ts, id)" in most-recent-first order: binary search for the first later element.
				const key = { id: q.cursor_id as string, at: parseCursorTs(q.cursor_ts as string) };
				let lo = 0;
				let hi = all.length;
				while (lo < hi) {
					const mid = (lo + hi) >>> 1;
					if (compareActivity({ id: all[mid].id, at: activityOf(all[mid]) }, key) <= 0) lo = mid + 1;
					else hi = mid;
				}
				start = lo;
			}
			const data = start < all.length ? all.slice(start, start + paging.limit) : [];
			const last = data[data.length - 1];
			const more = start + data.length < all.length;
			const next_cursor = more && last ? { cursor_id: last.id, cursor_ts: zonelessUtc(activityOf(last)) } : { cursor_id: null, cursor_ts: null };
			return { success: true, data: data.map(wire), metadata: { next_cursor } };
		},
	);

	// PM's saved answer: { success: true, data: { …conversation } }.
	app.get('/api/conversations/:id', { schema: { params: paramsSchema('id') } }, async (req) => {
		const { id } = req.params as { id: string };
		const conv = store.conversations.get(id);
		if (!conv) throw notFound(`Conversation ${id} not found`);
		return { success: true, data: wire(conv) };
	});

	app.put('/api/conversations/:id', { schema: { params: paramsSchema('id'), body: updateBodySchema } }, async (req) => {
		const { id } = req.params as { id: string };
		const body = req.body as {
			assigned_ai_agent?: string | null;
			keep_assigned_ai_agent_on_resolve?: boolean;
			stage_status?: StageStatus;
			handled_by_id?: string | null;
			notes?: string | null;
		};
		// Validate everything before touching the conversation.
		if (typeof body.assigned_ai_agent === 'string' && body.assigned_ai_agent.trim() === '') {
			throw badRequest('assigned_ai_agent', 'assigned_ai_agent must be a non-empty string, or null to clear it');
		}
		const conv = store.conversations.get(id);
		if (!conv) throw notFound(`Conversation ${id} not found`);
		let newHandler: Agent | null | undefined;
		if (body.handled_by_id !== undefined) {
			if (body.handled_by_id === null) newHandler = null;
			else {
				newHandler = store.agents.get(body.handled_by_id);
				if (!newHandler) throw notFound(`Agent ${body.handled_by_id} not found (handled_by_id)`);
			}
		}

		const before = { stage_status: conv.stage_status, handled_by_id: conv.handled_by_id };
		applyUpdate(store, conv, body, newHandler);
		if (webhooks && conv.stage_status !== before.stage_status) webhooks.emit('conversation.stage_status_updated', conv, { inboxId: conv.inbox_id });
		if (webhooks && conv.handled_by_id !== before.handled_by_id) webhooks.emit('conversation.handled_by_updated', conv, { inboxId: conv.inbox_id });
		return { success: true, data: wire(conv) };
	});
}

function applyUpdate(
	store: RouteDeps['store'],
	conv: Conversation,
	body: { assigned_ai_agent?: string | null; keep_assigned_ai_agent_on_resolve?: boolean; stage_status?: StageStatus; notes?: string | null },
	newHandler: Agent | null | undefined,
): void {
	if (body.keep_assigned_ai_agent_on_resolve !== undefined) conv.keep_assigned_ai_agent_on_resolve = body.keep_assigned_ai_agent_on_resolve;
	if (body.assigned_ai_agent !== undefined) conv.assigned_ai_agent = body.assigned_ai_agent;
	if (body.notes !== undefined) conv.notes = body.notes;
	if (body.stage_status !== undefined && body.stage_status !== conv.stage_status) {
		conv.stage_status = body.stage_status;
		if (body.stage_status === 'resolved') {
			conv.resolved_at = store.nowIso();
			// Resolved through the API key, not by an agent: nobody to name.
			conv.resolved_by_id = null;
			conv.resolved_by_name = null;
			// Resolving releases the AI agent unless asked to keep it (or it was set in this same request).
			if (!conv.keep_assigned_ai_agent_on_resolve && body.assigned_ai_agent === undefined) conv.assigned_ai_agent = null;
		} else {
			conv.resolved_at = null;
			conv.resolved_by_id = null;
			conv.resolved_by_name = null;
		}
	}
	if (newHandler !== undefined && newHandler?.id !== conv.handled_by_id) {
		const previous = conv.handled_by_id ? store.agents.get(conv.handled_by_id) : undefined;
		if (previous) store.addAssignment(conv, previous, 'unassigned');
		if (newHandler) store.addAssignment(conv, newHandler, 'assigned');
		conv.handled_by_id = newHandler ? newHandler.id : null;
		conv.handled_by_name = newHandler ? newHandler.name : null;
	}
	store.conversations.changed();
	store.touch();
}
