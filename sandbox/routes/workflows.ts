/**
 * Customer-service routes of Cekat's own n8n node (OFF: server.cekat.ai/business_workflows/*) and the two
 * webhook subscription APIs (contract-16; sandbox/subscriptions.ts).
 *
 * Evidenced: the paths, the request bodies (OFF's handlers) and that lookups answer bare JSON arrays (OFF maps
 * `res.map(...)`). NOT evidenced (docs/cekat-api.md): every action's answer; the sandbox answers
 * `{ success: true, message, data: <the conversation as GET /api/conversations/{id} shows it> }` (additional-data:
 * the contact row), 404 `{ success: false, message: "<Thing> not found" }` and the validation envelope on 400.
 * Requests are validated completely (400s first, then 404s) before anything changes.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError, badRequest } from '../errors';
import type { Store } from '../store';
import {
	parseBusinessWebhook,
	parseWorkflowSubscribe,
	type SubscriptionVariant,
	wireBusinessWebhook,
	wireWorkflowSubscription,
} from '../subscriptions';
import type { Contact, Conversation, StageStatus } from '../types';
import { DEFAULT_VARIANT } from '../variant';
import { wireContact, wireConversation, wireMessage } from '../wire';
import { isPlainObject, type RouteDeps } from './common';

const STAGES: StageStatus[] = ['open', 'pending', 'assigned', 'resolved'];
const P = '/business_workflows';

type Body = Record<string, unknown>;

const notFound = (thing: string) => new ApiError(404, `${thing} not found`);

function bodyOf(raw: unknown): Body {
	if (!isPlainObject(raw)) throw badRequest('body', 'Request body must be a JSON object');
	return raw;
}

function requiredString(body: Body, field: string): string {
	const v = body[field];
	if (v === undefined || v === null || v === '') throw badRequest(field, `${field} is required`);
	if (typeof v !== 'string') throw badRequest(field, `${field} must be a string`);
	return v;
}

function requiredQuery(query: unknown, field: string): string {
	const v = (query as Record<string, unknown>)[field];
	if (v === undefined || v === '') throw badRequest(field, `${field} is required`);
	if (typeof v !== 'string') throw badRequest(field, `${field} must be given once`);
	return v;
}

/** A JSON copy of the record before a change: events carry old values (webhooks.ts `before`). */
const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

export function registerWorkflowRoutes(app: FastifyInstance, { store, webhooks, variant = DEFAULT_VARIANT }: RouteDeps): void {
	const conversation = (id: string): Conversation => {
		const c = store.conversations.get(id);
		if (!c) throw notFound('Conversation');
		return c;
	};
	const answer = (message: string, conv: Conversation) => ({ success: true, message, data: wireConversation(store, conv) });
	const emit = (event: string, conv: Conversation, before: Conversation) => webhooks?.emit(event, conv, { inboxId: conv.inbox_id, before });
	const changed = () => {
		store.conversations.changed();
		store.touch();
	};

	// --- lookups: bare arrays (evidenced) ------------------------------------------------------------------
	app.get(`${P}/agents`, async () => store.agents.all().map((a) => ({ id: a.id, name: a.name })));
	app.get(`${P}/ai-agents`, async () => store.aiAgents.map((a) => ({ id: a.id, name: a.name })));
	// Conversation labels (not CRM labels).
	app.get(`${P}/labels`, async () => store.labels.map((l) => ({ id: l.id, name: l.name, color: l.color })));
	app.get(`${P}/pipeline-status`, async () => store.pipelines.map((p) => ({ id: p.id, name: p.name, color: p.color })));
	app.get(`${P}/inboxes`, async () => store.inboxes.all().map((i) => ({ id: i.id, name: i.name })));
	// Row shape not evidenced beyond "bare array": GET /api/contacts rows; [] when none. Digits are compared.
	app.get(`${P}/contact`, async (req) => {
		const phone = requiredQuery(req.query, 'phone_number').replace(/\D+/g, '');
		if (phone === '') throw badRequest('phone_number', 'phone_number must contain digits, e.g. 6281234567890');
		const found = store.findContactByPhone(phone);
		return found ? [wireContact(found)] : [];
	});
	// Message rows as GET /api/messages serves them, oldest first (answer shape not evidenced beyond "bare array").
	app.get(`${P}/conversation-messages`, async (req) => {
		const id = requiredQuery(req.query, 'conversation_id');
		conversation(id);
		return store.messagesOf(id).map(wireMessage);
	});

	// --- actions ---------------------------------------------------------------------------------------------
	app.post(`${P}/assign-agent`, async (req) => {
		const body = bodyOf(req.body);
		const convId = requiredString(body, 'conversation_id');
		const agentId = requiredString(body, 'agent_id');
		const conv = conversation(convId);
		const agent = store.agents.get(agentId);
		if (!agent) throw notFound('Agent');
		const before = copy(conv);
		if (conv.handled_by_id !== agent.id) {
			const previous = conv.handled_by_id ? store.agents.get(conv.handled_by_id) : undefined;
			if (previous) store.addAssignment(conv, previous, 'unassigned');
			store.addAssignment(conv, agent, 'assigned');
			conv.handled_by_id = agent.id;
			conv.handled_by_name = agent.name;
		}
		setStage(store, conv, 'assigned');
		changed();
		if (before.handled_by_id !== conv.handled_by_id) emit('conversation.handled_by_updated', conv, before);
		if (before.stage_status !== conv.stage_status) emit('conversation.stage_status_updated', conv, before);
		return answer(`Agent ${agent.name} assigned`, conv);
	});

	app.post(`${P}/add-collaborator`, async (req) => {
		const body = bodyOf(req.body);
		const convId = requiredString(body, 'conversation_id');
		const agentId = requiredString(body, 'agent_id');
		const conv = conversation(convId);
		const agent = store.agents.get(agentId);
		if (!agent) throw notFound('Agent');
		// No webhook event exists for collaborators (REF's catalogue).
		if (!conv.collaborators.some((c) => c.id === agent.id)) {
			conv.collaborators.push({ id: agent.id, name: agent.name });
			changed();
		}
		return answer(`Collaborator ${agent.name} added`, conv);
	});

	app.post(`${P}/resolve-conversation`, async (req) => {
		const body = bodyOf(req.body);
		const conv = conversation(requiredString(body, 'conversation_id'));
		const before = copy(conv);
		setStage(store, conv, 'resolved');
		changed();
		if (before.stage_status !== conv.stage_status) emit('conversation.stage_status_updated', conv, before);
		return answer('Conversation resolved', conv);
	});

	for (const [path, blocked] of [['block-ai', true], ['unblock-ai', false]] as const) {
		app.post(`${P}/${path}`, async (req) => {
			const body = bodyOf(req.body);
			const conv = conversation(requiredString(body, 'conversation_id'));
			// No webhook event exists for this (REF's catalogue).
			if ((conv.ai_blocked === true) !== blocked) {
				conv.ai_blocked = blocked;
				changed();
			}
			return answer(blocked ? 'AI blocked for this conversation' : 'AI unblocked for this conversation', conv);
		});
	}

	app.post(`${P}/conversation-status`, async (req) => {
		const body = bodyOf(req.body);
		const convId = requiredString(body, 'conversation_id');
		const stage = requiredString(body, 'stage_status');
		if (!STAGES.includes(stage as StageStatus)) throw badRequest('stage_status', `stage_status must be one of: ${STAGES.join(', ')}`);
		const conv = conversation(convId);
		const before = copy(conv);
		setStage(store, conv, stage as StageStatus);
		changed();
		if (before.stage_status !== conv.stage_status) emit('conversation.stage_status_updated', conv, before);
		return answer(`Conversation status set to ${stage}`, conv);
	});

	app.post(`${P}/pipeline-status`, async (req) => {
		const body = bodyOf(req.body);
		const convId = requiredString(body, 'conversation_id');
		const statusId = requiredString(body, 'pipeline_status_id');
		const conv = conversation(convId);
		const status = store.pipelines.find((p) => p.id === statusId);
		if (!status) throw notFound('Pipeline status');
		const before = copy(conv);
		if (conv.pipeline?.id !== status.id) {
			// Conversation rows keep the pipeline as `pipeline: { id, name }` (the store's field).
			conv.pipeline = { id: status.id, name: status.name };
			changed();
			emit('conversation.pipeline_status_updated', conv, before);
		}
		return answer(`Pipeline status set to ${status.name}`, conv);
	});

	app.post(`${P}/labels`, async (req) => {
		const body = bodyOf(req.body);
		const convId = requiredString(body, 'conversation_id');
		const labelId = requiredString(body, 'label_id');
		// OFF always sends both; empty / null mean "none".
		const value = body.value;
		if (value !== undefined && value !== null && value !== '' && (typeof value !== 'number' || !Number.isFinite(value))) throw badRequest('value', 'value must be a number');
		const currency = body.currency;
		if (currency !== undefined && currency !== null && typeof currency !== 'string') throw badRequest('currency', 'currency must be a string');
		const conv = conversation(convId);
		const label = store.labels.find((l) => l.id === labelId);
		if (!label) throw notFound('Label');
		const before = copy(conv);
		const added = !conv.labels.some((l) => l.id === label.id);
		if (added) conv.labels.push({ id: label.id, name: label.name, color: label.color });
		// Value and currency are kept in the store only (no row field evidences them).
		conv.label_values = {
			...(conv.label_values ?? {}),
			[label.id]: { value: typeof value === 'number' ? value : null, currency: typeof currency === 'string' && currency !== '' ? currency : null },
		};
		changed();
		if (added) emit('conversation.labels_updated', conv, before);
		return answer(`Label ${label.name} added`, conv);
	});

	app.post(`${P}/labels/remove`, async (req) => {
		const body = bodyOf(req.body);
		const convId = requiredString(body, 'conversation_id');
		const labelId = requiredString(body, 'label_id');
		const conv = conversation(convId);
		const label = store.labels.find((l) => l.id === labelId);
		if (!label) throw notFound('Label');
		const before = copy(conv);
		const had = conv.labels.some((l) => l.id === label.id);
		if (had) {
			conv.labels = conv.labels.filter((l) => l.id !== label.id);
			if (conv.label_values) delete conv.label_values[label.id];
			changed();
			emit('conversation.labels_updated', conv, before);
		}
		return answer(had ? `Label ${label.name} removed` : `Label ${label.name} was not on the conversation`, conv);
	});

	app.post(`${P}/additional-data`, async (req) => {
		const body = bodyOf(req.body);
		const contactId = requiredString(body, 'contact_id');
		const data = body.additional_data;
		if (data === undefined || data === null) throw badRequest('additional_data', 'additional_data is required');
		if (!isPlainObject(data)) throw badRequest('additional_data', 'additional_data must be an object { key: value, … }');
		const contact = store.contacts.get(contactId);
		if (!contact) throw notFound('Contact');
		const before = copy(contact);
		// MERGED key by key: whether Cekat merges or replaces is not evidenced.
		const first = Object.keys(data).find((k) => JSON.stringify(contact.additional_data[k]) !== JSON.stringify(data[k]));
		contact.additional_data = { ...contact.additional_data, ...copy(data) };
		store.contacts.changed();
		store.touch();
		if (first !== undefined) emitContact(contact, before, first);
		return { success: true, message: 'Additional data updated', data: wireContact(contact) };
	});

	// REF: contact.updated names the first changed field; additional data keys say so (is_additional_data).
	const emitContact = (contact: Contact, before: Contact, key: string) =>
		webhooks?.emit('contact.updated', contact, {
			before,
			fields: { changes: { key, old_value: before.additional_data[key] ?? null, new_value: contact.additional_data[key] ?? null, is_additional_data: true } },
		});

	// --- webhook subscriptions ---------------------------------------------------------------------------
	const only = (wanted: SubscriptionVariant) => {
		// The other variant's routes answer 404, so a client can fall back on it.
		if (variant.subscriptions !== wanted) throw new ApiError(404, 'Not found');
	};
	const subs = webhooks?.subscriptions;
	const need = () => {
		if (!webhooks || !subs) throw new ApiError(404, 'Not found');
		return { webhooks, subs };
	};

	// OFF: answer shape not evidenced (docs/cekat-api.md).
	app.post(`${P}/webhooks/subscribe`, async (req) => {
		only('workflows');
		const input = parseWorkflowSubscribe(req.body);
		const { webhooks: w, subs: s } = need();
		const sub = s.replaceByUrl(input);
		w.watch();
		return { success: true, data: wireWorkflowSubscription(sub) };
	});
	// OFF: answer shape not evidenced (docs/cekat-api.md). OFF's trigger also sends events / inboxId: ignored.
	app.post(`${P}/webhooks/unsubscribe`, async (req) => {
		only('workflows');
		const body = bodyOf(req.body ?? {});
		const url = checkUrlField(body, 'webhookUrl');
		return { success: true, data: { removed: need().subs.removeByUrl('workflows', url) } };
	});
	// Evidenced: a bare array (OFF's checkExists reads res.some(w => w.webhookUrl === … && w.boardId === …)).
	app.get(`${P}/webhooks`, async (req) => {
		only('workflows');
		const url = (req.query as Record<string, unknown>).webhookUrl;
		const list = need().subs.of('workflows');
		return (typeof url === 'string' && url !== '' ? list.filter((s) => s.url === url) : list).map(wireWorkflowSubscription);
	});

	// REF: the body is evidenced, the answer is not (docs/cekat-api.md).
	app.post('/business_webhooks', async (req) => {
		only('business_webhooks');
		const input = parseBusinessWebhook(req.body);
		const { webhooks: w, subs: s } = need();
		const sub = s.add(input);
		w.watch();
		return { success: true, data: wireBusinessWebhook(sub) };
	});
	// NOT evidenced at all (REF documents only the POST): list and delete, so a client can clean up.
	app.get('/business_webhooks', async () => {
		only('business_webhooks');
		return { success: true, data: need().subs.of('business_webhooks').map(wireBusinessWebhook) };
	});
	app.delete('/business_webhooks/:id', async (req) => {
		only('business_webhooks');
		const { id } = req.params as { id: string };
		if (!need().subs.removeById('business_webhooks', id)) throw notFound('Webhook');
		return { success: true };
	});
}

function checkUrlField(body: Body, field: string): string {
	const v = body[field];
	if (v === undefined || v === null || v === '') throw badRequest(field, `${field} is required`);
	if (typeof v !== 'string') throw badRequest(field, `${field} must be a string`);
	return v;
}

/** Stage change with the same side effects as PUT /api/conversations/:id (routes/conversations.ts applyUpdate). */
function setStage(store: Store, conv: Conversation, stage: StageStatus): void {
	if (conv.stage_status === stage) return;
	conv.stage_status = stage;
	conv.resolved_by_id = null;
	conv.resolved_by_name = null;
	if (stage === 'resolved') {
		conv.resolved_at = store.nowIso();
		// Resolving releases the AI agent unless asked to keep it (assumed semantics, as the PUT route).
		if (!conv.keep_assigned_ai_agent_on_resolve) conv.assigned_ai_agent = null;
	} else conv.resolved_at = null;
}
