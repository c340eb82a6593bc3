/**
 * GET /api/conversations (cursor paging, also accepts page) and PUT /api/conversations/:id.
 */
import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../errors';
import { compareNewestFirst, newestFirst } from '../store';
import type { Agent, Conversation, StageStatus } from '../types';
import { filterByRange, listQuerySchema, paginate, paramsSchema, type Query, readDateRange, readPaging, type RouteDeps, stringParam } from './common';

const STAGES: StageStatus[] = ['open', 'pending', 'resolved'];

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

/** Accepts the ISO string we hand out, any Date.parse-able timestamp, or epoch milliseconds. */
function parseCursorTs(raw: string): string {
	const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
	const d = new Date(ms);
	if (!Number.isFinite(ms) || Number.isNaN(d.getTime())) {
		throw badRequest('cursor_ts', `cursor_ts must be the timestamp from metadata.next_cursor.cursor_ts, got '${raw}'`);
	}
	return d.toISOString();
}

export function registerConversationRoutes(app: FastifyInstance, { store, webhooks }: RouteDeps): void {
	app.get(
		'/api/conversations',
		{ schema: { querystring: listQuerySchema({ cursor_id: stringParam, cursor_ts: stringParam }) } },
		async (req) => {
			const q = req.query as Query;
			const paging = readPaging(q);
			const range = readDateRange(q);
			const hasCursor = q.cursor_id !== undefined || q.cursor_ts !== undefined;
			if (hasCursor && (q.cursor_id === undefined || q.cursor_id === '')) throw badRequest('cursor_id', 'cursor_id is required together with cursor_ts');
			if (hasCursor && (q.cursor_ts === undefined || q.cursor_ts === '')) throw badRequest('cursor_ts', 'cursor_ts is required together with cursor_id');

			const all = filterByRange(newestFirst(store.conversations), range, (c) => c.created_at);
			let start: number;
			if (hasCursor) {
				// "Strictly after (ts, id)" in newest-first order: binary search for the first later element.
				const key = { id: q.cursor_id as string, created_at: parseCursorTs(q.cursor_ts as string) };
				let lo = 0;
				let hi = all.length;
				while (lo < hi) {
					const mid = (lo + hi) >>> 1;
					if (compareNewestFirst(all[mid], key) <= 0) lo = mid + 1;
					else hi = mid;
				}
				start = lo;
			} else {
				start = (paging.page - 1) * paging.limit;
			}
			const data = start < all.length ? all.slice(start, start + paging.limit) : [];
			const last = data[data.length - 1];
			const more = start + data.length < all.length;
			const metadata: Record<string, unknown> = {
				next_cursor: more && last ? { cursor_id: last.id, cursor_ts: last.created_at } : null,
			};
			if (q.page !== undefined && !hasCursor) metadata.pagination = paginate(all, paging).pagination;
			return { success: true, data, metadata };
		},
	);

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
		return { success: true, data: conv };
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
			// Resolving releases the AI agent unless asked to keep it (or it was set in this same request).
			if (!conv.keep_assigned_ai_agent_on_resolve && body.assigned_ai_agent === undefined) conv.assigned_ai_agent = null;
		} else {
			conv.resolved_at = null;
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
