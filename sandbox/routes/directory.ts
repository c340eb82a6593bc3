/**
 * Page-family list routes that only read: contacts, agents, inboxes, templates, campaigns, campaign messages
 * and the two agent-assignment views. Envelope: { success, data, metadata: { pagination } }.
 */
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors';
import { newestFirst, type Collection } from '../store';
import { DEFAULT_VARIANT } from '../variant';
import { wireContact } from '../wire';
import { filterByRange, listQuerySchema, pageEnvelope, paramsSchema, type Query, readDateRange, readPaging, type RouteDeps } from './common';

export function registerDirectoryRoutes(app: FastifyInstance, { store, variant = DEFAULT_VARIANT }: RouteDeps): void {
	const simpleList = <T extends { id: string; created_at: string }>(path: string, coll: () => Collection<T>, map?: (x: T) => unknown) => {
		app.get(path, { schema: { querystring: listQuerySchema() } }, async (req) => {
			const q = req.query as Query;
			const paging = readPaging(q);
			const range = readDateRange(q);
			return pageEnvelope(filterByRange(newestFirst(coll()), range, (x) => x.created_at), paging, variant, map);
		});
	};

	simpleList('/api/contacts', () => store.contacts, wireContact);
	simpleList('/api/agents', () => store.agents);
	simpleList('/api/inboxes', () => store.inboxes);
	simpleList('/api/templates', () => store.templates);
	simpleList('/api/campaigns', () => store.campaigns);
	simpleList('/api/agent_assignments', () => store.agentAssignments);

	app.get('/api/campaigns/:id/messages', { schema: { querystring: listQuerySchema(), params: paramsSchema('id') } }, async (req) => {
		const q = req.query as Query;
		const { id } = req.params as { id: string };
		const paging = readPaging(q);
		const range = readDateRange(q);
		if (!store.campaigns.get(id)) throw notFound(`Campaign ${id} not found`);
		// Recipients in send order (oldest first), as a campaign report lists them.
		return pageEnvelope(filterByRange(store.campaignMessagesOf(id), range, (m) => m.created_at), paging, variant);
	});

	app.get('/api/conversations/agent-assignments', { schema: { querystring: listQuerySchema() } }, async (req) => {
		const q = req.query as Query;
		const paging = readPaging(q);
		const range = readDateRange(q);
		return pageEnvelope(filterByRange(store.currentAssignments(), range, (a) => a.assigned_at), paging, variant);
	});
}
