/**
 * /business_workflows/* (OFF's customer-service routes) and the webhook subscription APIs (contract-16), over real
 * HTTP: what each route answers, what changed in the store, and which subscribed local server got the event.
 */
import axios from 'axios';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type Conversation } from '../../sandbox';
import { expectSuccessFamily400, startTestSandbox, type TestEnv } from './helpers';

interface Hit {
	path: string;
	headers: http.IncomingHttpHeaders;
	body: any;
}

/** A local HTTP server recording every POST; `url(path)` names a receiver, `at(path)` what it got. */
async function startReceiver() {
	const hits: Hit[] = [];
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (c) => (text += c));
		req.on('end', () => {
			hits.push({ path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : undefined });
			res.end('ok');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as AddressInfo).port;
	return {
		url: (path: string) => `http://127.0.0.1:${port}${path}`,
		at: (path: string) => hits.filter((h) => h.path === path),
		events: (path: string) => hits.filter((h) => h.path === path).map((h) => h.body.event_name ?? h.body.event_type),
		clear: () => hits.splice(0, hits.length),
		close: () => new Promise<void>((r) => server.close(() => r())),
	};
}

const CONVERSATION_EVENTS = [
	'conversation.handled_by_updated',
	'conversation.stage_status_updated',
	'conversation.pipeline_status_updated',
	'conversation.labels_updated',
	'contact.updated',
];

let env: TestEnv;
let rx: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
	env = await startTestSandbox();
	rx = await startReceiver();
});
afterAll(async () => {
	await env.sb.close();
	await rx.close();
});

/** A WhatsApp conversation and an inbox that is not its own. */
function pick(pred: (c: Conversation) => boolean = () => true): { conv: Conversation; otherInbox: string } {
	const conv = env.sb.store.conversations.all().find((c) => c.platform_type === 'whatsapp' && pred(c))!;
	const otherInbox = env.sb.store.inboxes.all().find((i) => i.id !== conv.inbox_id)!.id;
	return { conv, otherInbox };
}

/** /sub wants the conversation's inbox, /other another inbox, /late nothing of these events. */
async function subscribeAround(conv: Conversation, otherInbox: string, events = CONVERSATION_EVENTS): Promise<void> {
	const { api } = env;
	expect((await api.post('/business_workflows/webhooks/subscribe', { webhookUrl: rx.url('/sub'), events, inboxId: conv.inbox_id })).status).toBe(200);
	expect((await api.post('/business_workflows/webhooks/subscribe', { webhookUrl: rx.url('/other'), events, inboxId: otherInbox })).status).toBe(200);
	expect((await api.post('/business_workflows/webhooks/subscribe', { webhookUrl: rx.url('/late'), events: ['order.created'] })).status).toBe(200);
}

async function delivered(): Promise<void> {
	await env.sb.webhooks.settle();
}

beforeEach(() => {
	env.sb.reset();
	rx.clear();
});

describe('lookups (bare arrays)', () => {
	it('agents, ai-agents, labels, pipeline statuses, inboxes', async () => {
		const { api, sb } = env;
		expect((await api.get('/business_workflows/agents')).data).toEqual(sb.store.agents.all().map((a) => ({ id: a.id, name: a.name })));
		expect((await api.get('/business_workflows/ai-agents')).data).toEqual(sb.store.aiAgents.map((a) => ({ id: a.id, name: a.name })));
		const labels = (await api.get('/business_workflows/labels')).data;
		expect(labels).toEqual(sb.store.labels.map((l) => ({ id: l.id, name: l.name, color: l.color })));
		expect(labels.length).toBeGreaterThan(0);
		const statuses = (await api.get('/business_workflows/pipeline-status')).data;
		expect(statuses.map((s: { name: string }) => s.name)).toEqual(['Prospek', 'Negosiasi', 'Closing', 'After Sales']);
		for (const s of statuses) expect(s).toEqual({ id: expect.any(String), name: expect.any(String), color: expect.stringMatching(/^#[0-9a-f]{6}$/) });
		expect((await api.get('/business_workflows/inboxes')).data).toEqual(sb.store.inboxes.all().map((i) => ({ id: i.id, name: i.name })));
	});

	it('seeded deterministically: the same seed gives the same ids', async () => {
		const other = await startSandbox({ port: 0, now: () => env.clock.now });
		try {
			for (const path of ['ai-agents', 'labels', 'pipeline-status']) {
				const a = (await env.api.get(`/business_workflows/${path}`)).data;
				const b = (await axios.get(`${other.url}/business_workflows/${path}`, { headers: { api_key: other.apiKey } })).data;
				expect(b).toEqual(a);
			}
		} finally {
			await other.close();
		}
	});

	it('contact by phone: the digits match, [] when none, 400 without phone_number', async () => {
		const { api, sb } = env;
		const contact = sb.store.contacts.all()[5];
		const rows = (await api.get('/business_workflows/contact', { params: { phone_number: `+${contact.phone_number}` } })).data;
		expect(rows).toEqual([expect.objectContaining({ id: contact.id, display_name: contact.contact_name, phone_number: contact.phone_number, additional_data: contact.additional_data })]);
		expect((await api.get('/business_workflows/contact', { params: { phone_number: '6280000000001' } })).data).toEqual([]);
		const missing = await api.get('/business_workflows/contact');
		expect(missing.status).toBe(400);
		expectSuccessFamily400(missing.data, 'phone_number');
	});

	it('conversation messages: oldest first; 404 unknown conversation; 400 without conversation_id', async () => {
		const { api, sb } = env;
		const { conv } = pick();
		const rows = (await api.get('/business_workflows/conversation-messages', { params: { conversation_id: conv.id } })).data;
		expect(rows.map((m: { id: string }) => m.id)).toEqual(sb.store.messagesOf(conv.id).map((m) => m.id));
		expect(rows[0]).toEqual(expect.objectContaining({ conversation_id: conv.id, created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) }));
		const unknown = await api.get('/business_workflows/conversation-messages', { params: { conversation_id: 'nope' } });
		expect([unknown.status, unknown.data]).toEqual([404, { success: false, message: 'Conversation not found' }]);
		expectSuccessFamily400((await api.get('/business_workflows/conversation-messages')).data, 'conversation_id');
	});
});

describe('actions: answer, store, events', () => {
	it('assign-agent: handler + stage assigned + assignment history; handled_by and stage events to the matching subscription only', async () => {
		const { api, sb } = env;
		const { conv, otherInbox } = pick((c) => c.stage_status !== 'assigned' && c.handled_by_id === null);
		await subscribeAround(conv, otherInbox);
		const agent = sb.store.agents.all()[2];
		const historyBefore = sb.store.agentAssignments.size;
		const res = await api.post('/business_workflows/assign-agent', { conversation_id: conv.id, agent_id: agent.id });
		expect(res.status).toBe(200);
		expect(res.data).toEqual({ success: true, message: expect.any(String), data: (await api.get(`/api/conversations/${conv.id}`)).data.data });
		expect(res.data.data).toEqual(expect.objectContaining({ handled_by_id: agent.id, handled_by_name: agent.name, stage_status: 'assigned' }));
		expect(sb.store.conversations.get(conv.id)).toEqual(expect.objectContaining({ handled_by_id: agent.id, stage_status: 'assigned' }));
		expect(sb.store.agentAssignments.size).toBe(historyBefore + 1);
		await delivered();
		expect(rx.events('/sub')).toEqual(['conversation.handled_by_updated', 'conversation.stage_status_updated']);
		expect(rx.at('/sub')[0].body).toEqual(expect.objectContaining({ updated_field: 'handled_by', old_value: null, new_value: agent.id, data: expect.objectContaining({ id: conv.id }) }));
		expect(rx.at('/sub')[0].headers['x-cekat-event']).toBe('conversation.handled_by_updated');
		expect(rx.at('/other')).toEqual([]);
		expect(rx.at('/late')).toEqual([]);
		// the delivery log names the subscription
		const subId = sb.subscriptions().find((s) => s.url === rx.url('/sub'))!.id;
		expect(sb.webhooks.deliveries().map((d) => d.subscription_id)).toEqual([subId, subId]);
	});

	it('assign-agent / add-collaborator: 404 unknown agent or conversation, 400 missing field; nothing changes', async () => {
		const { api, sb } = env;
		const { conv } = pick();
		const revision = sb.store.revision;
		for (const path of ['assign-agent', 'add-collaborator']) {
			const noAgent = await api.post(`/business_workflows/${path}`, { conversation_id: conv.id, agent_id: 'nope' });
			expect([noAgent.status, noAgent.data]).toEqual([404, { success: false, message: 'Agent not found' }]);
			const noConv = await api.post(`/business_workflows/${path}`, { conversation_id: 'nope', agent_id: sb.store.agents.all()[0].id });
			expect([noConv.status, noConv.data]).toEqual([404, { success: false, message: 'Conversation not found' }]);
			const missing = await api.post(`/business_workflows/${path}`, { conversation_id: conv.id });
			expect(missing.status).toBe(400);
			expectSuccessFamily400(missing.data, 'agent_id');
		}
		expect(sb.store.revision).toBe(revision);
	});

	it('add-collaborator: added once, no event', async () => {
		const { api, sb } = env;
		const { conv, otherInbox } = pick();
		await subscribeAround(conv, otherInbox);
		const agent = sb.store.agents.all().find((a) => a.id !== conv.handled_by_id && !conv.collaborators.some((c) => c.id === a.id))!;
		const res = await api.post('/business_workflows/add-collaborator', { conversation_id: conv.id, agent_id: agent.id });
		expect(res.status).toBe(200);
		expect(res.data.data.collaborators).toContainEqual({ id: agent.id, name: agent.name });
		await api.post('/business_workflows/add-collaborator', { conversation_id: conv.id, agent_id: agent.id });
		expect(sb.store.conversations.get(conv.id)!.collaborators.filter((c) => c.id === agent.id)).toHaveLength(1);
		await delivered();
		expect(sb.webhooks.deliveries()).toEqual([]);
	});

	it('resolve-conversation: resolved, AI agent released, stage event with old and new', async () => {
		const { api, sb } = env;
		const { conv, otherInbox } = pick((c) => c.stage_status !== 'resolved' && c.assigned_ai_agent !== null && !c.keep_assigned_ai_agent_on_resolve);
		const old = conv.stage_status;
		await subscribeAround(conv, otherInbox);
		const res = await api.post('/business_workflows/resolve-conversation', { conversation_id: conv.id });
		expect(res.status).toBe(200);
		expect(res.data.data).toEqual(expect.objectContaining({ stage_status: 'resolved', resolved_at: expect.any(String), assigned_ai_agent: null }));
		expect(sb.store.conversations.get(conv.id)!.stage_status).toBe('resolved');
		await delivered();
		expect(rx.at('/sub').map((h) => h.body)).toEqual([expect.objectContaining({ event_name: 'conversation.stage_status_updated', old_value: old, new_value: 'resolved' })]);
		expect(rx.at('/other')).toEqual([]);
		// resolving again changes nothing and sends nothing
		rx.clear();
		expect((await api.post('/business_workflows/resolve-conversation', { conversation_id: conv.id })).status).toBe(200);
		await delivered();
		expect(rx.at('/sub')).toEqual([]);
		const bad = await api.post('/business_workflows/resolve-conversation', {});
		expect(bad.status).toBe(400);
		expectSuccessFamily400(bad.data, 'conversation_id');
	});

	it('block-ai / unblock-ai: ai_blocked in the store and the rows; no event', async () => {
		const { api, sb } = env;
		const { conv, otherInbox } = pick();
		await subscribeAround(conv, otherInbox);
		expect((await api.get(`/api/conversations/${conv.id}`)).data.data.ai_blocked).toBe(false);
		const blocked = await api.post('/business_workflows/block-ai', { conversation_id: conv.id });
		expect([blocked.status, blocked.data.success, blocked.data.data.ai_blocked]).toEqual([200, true, true]);
		expect(sb.store.conversations.get(conv.id)!.ai_blocked).toBe(true);
		const unblocked = await api.post('/business_workflows/unblock-ai', { conversation_id: conv.id });
		expect(unblocked.data.data.ai_blocked).toBe(false);
		expect(sb.store.conversations.get(conv.id)!.ai_blocked).toBe(false);
		const unknown = await api.post('/business_workflows/block-ai', { conversation_id: 'nope' });
		expect([unknown.status, unknown.data]).toEqual([404, { success: false, message: 'Conversation not found' }]);
		await delivered();
		expect(sb.webhooks.deliveries()).toEqual([]);
	});

	it('conversation-status: each stage; 400 for another value; event only when it changed', async () => {
		const { api, sb } = env;
		const { conv, otherInbox } = pick((c) => c.stage_status === 'open');
		await subscribeAround(conv, otherInbox);
		for (const stage of ['pending', 'assigned', 'resolved', 'open']) {
			const res = await api.post('/business_workflows/conversation-status', { conversation_id: conv.id, stage_status: stage });
			expect([res.status, res.data.data.stage_status]).toEqual([200, stage]);
			expect(sb.store.conversations.get(conv.id)!.stage_status).toBe(stage);
		}
		await api.post('/business_workflows/conversation-status', { conversation_id: conv.id, stage_status: 'open' });
		const bad = await api.post('/business_workflows/conversation-status', { conversation_id: conv.id, stage_status: 'closed' });
		expect(bad.status).toBe(400);
		expectSuccessFamily400(bad.data, 'stage_status');
		await delivered();
		expect(rx.at('/sub').map((h) => [h.body.old_value, h.body.new_value])).toEqual([
			['open', 'pending'],
			['pending', 'assigned'],
			['assigned', 'resolved'],
			['resolved', 'open'],
		]);
		expect(rx.at('/other')).toEqual([]);
	});

	it('pipeline-status: { id, name } on the row; event with the ids; 404 unknown status', async () => {
		const { api, sb } = env;
		const { conv, otherInbox } = pick((c) => c.pipeline !== null);
		const oldId = conv.pipeline!.id;
		const status = sb.store.pipelines.find((p) => p.id !== oldId)!;
		await subscribeAround(conv, otherInbox);
		const res = await api.post('/business_workflows/pipeline-status', { conversation_id: conv.id, pipeline_status_id: status.id });
		expect(res.status).toBe(200);
		expect(res.data.data.pipeline).toEqual({ id: status.id, name: status.name });
		expect(sb.store.conversations.get(conv.id)!.pipeline).toEqual({ id: status.id, name: status.name });
		const unknown = await api.post('/business_workflows/pipeline-status', { conversation_id: conv.id, pipeline_status_id: 'nope' });
		expect([unknown.status, unknown.data]).toEqual([404, { success: false, message: 'Pipeline status not found' }]);
		await delivered();
		expect(rx.at('/sub').map((h) => h.body)).toEqual([
			expect.objectContaining({ event_name: 'conversation.pipeline_status_updated', updated_field: 'pipeline_status_id', old_value: oldId, new_value: status.id }),
		]);
		expect(rx.at('/other')).toEqual([]);
	});

	it('labels: added with value and currency kept in the store; removed; labels_updated added / removed', async () => {
		const { api, sb } = env;
		const { conv, otherInbox } = pick((c) => c.labels.length < sb.store.labels.length);
		const label = sb.store.labels.find((l) => !conv.labels.some((x) => x.id === l.id))!;
		await subscribeAround(conv, otherInbox);
		const added = await api.post('/business_workflows/labels', { conversation_id: conv.id, label_id: label.id, currency: 'IDR', value: 250000 });
		expect(added.status).toBe(200);
		expect(added.data.data.labels).toContainEqual({ id: label.id, name: label.name, color: label.color });
		expect(sb.store.conversations.get(conv.id)!.label_values![label.id]).toEqual({ value: 250000, currency: 'IDR' });
		const removed = await api.post('/business_workflows/labels/remove', { conversation_id: conv.id, label_id: label.id });
		expect(removed.status).toBe(200);
		expect(removed.data.data.labels.map((l: { id: string }) => l.id)).not.toContain(label.id);
		expect(sb.store.conversations.get(conv.id)!.labels.map((l) => l.id)).not.toContain(label.id);
		await delivered();
		expect(rx.at('/sub').map((h) => [h.body.change_type, h.body.label])).toEqual([
			['added', { id: label.id, name: label.name }],
			['removed', { id: label.id, name: label.name }],
		]);
		expect(rx.at('/other')).toEqual([]);
	});

	it('labels: optional value / currency (OFF sends empty ones); 400 non-number value; 404 unknown label', async () => {
		const { api, sb } = env;
		const { conv } = pick();
		const label = sb.store.labels[0];
		expect((await api.post('/business_workflows/labels', { conversation_id: conv.id, label_id: label.id })).status).toBe(200);
		expect((await api.post('/business_workflows/labels', { conversation_id: conv.id, label_id: label.id, currency: '', value: null })).status).toBe(200);
		const revision = sb.store.revision;
		const bad = await api.post('/business_workflows/labels', { conversation_id: conv.id, label_id: label.id, value: '100' });
		expect(bad.status).toBe(400);
		expectSuccessFamily400(bad.data, 'value');
		for (const path of ['labels', 'labels/remove']) {
			const unknown = await api.post(`/business_workflows/${path}`, { conversation_id: conv.id, label_id: 'nope' });
			expect([unknown.status, unknown.data]).toEqual([404, { success: false, message: 'Label not found' }]);
		}
		expect(sb.store.revision).toBe(revision);
	});

	it('additional-data: merged key by key; contact.updated names the first changed key; 400 / 404', async () => {
		const { api, sb } = env;
		const contact = sb.store.contacts.all()[3];
		const kept = { ...contact.additional_data };
		await api.post('/business_workflows/webhooks/subscribe', { webhookUrl: rx.url('/sub'), events: ['contact.updated'] });
		const res = await api.post('/business_workflows/additional-data', { contact_id: contact.id, additional_data: { member_tier: 'gold', city: 'Bandung' } });
		expect(res.status).toBe(200);
		expect(res.data).toEqual({ success: true, message: expect.any(String), data: expect.objectContaining({ id: contact.id, display_name: contact.contact_name }) });
		expect(res.data.data.additional_data).toEqual({ ...kept, member_tier: 'gold', city: 'Bandung' });
		expect(sb.store.contacts.get(contact.id)!.additional_data).toEqual({ ...kept, member_tier: 'gold', city: 'Bandung' });
		await delivered();
		expect(rx.at('/sub').map((h) => h.body)).toEqual([
			expect.objectContaining({
				event_name: 'contact.updated',
				changes: { key: 'member_tier', old_value: null, new_value: 'gold', is_additional_data: true },
				data: expect.objectContaining({ id: contact.id }),
			}),
		]);
		const notObject = await api.post('/business_workflows/additional-data', { contact_id: contact.id, additional_data: ['x'] });
		expect(notObject.status).toBe(400);
		expectSuccessFamily400(notObject.data, 'additional_data');
		const unknown = await api.post('/business_workflows/additional-data', { contact_id: 'nope', additional_data: { a: 1 } });
		expect([unknown.status, unknown.data]).toEqual([404, { success: false, message: 'Contact not found' }]);
	});

	it('auth, journal and faults as on every route', async () => {
		const { api, anon, sb } = env;
		expect((await anon.get('/business_workflows/agents')).status).toBe(401);
		sb.addFault({ path: '/business_workflows/assign-agent', status: 503 });
		const { conv } = pick();
		const faulted = await api.post('/business_workflows/assign-agent', { conversation_id: conv.id, agent_id: sb.store.agents.all()[0].id });
		expect([faulted.status, faulted.data.success]).toEqual([503, false]);
		expect(sb.store.conversations.get(conv.id)!.handled_by_id).toBe(conv.handled_by_id);
		const entries = sb.journal();
		expect(entries.map((e) => [e.method, e.route, e.status])).toEqual([
			['GET', '/business_workflows/agents', 401],
			['POST', '/business_workflows/assign-agent', 503],
		]);
		expect(entries[1].body).toEqual({ conversation_id: conv.id, agent_id: sb.store.agents.all()[0].id });
	});
});

describe("subscriptions: variant 'workflows' (default)", () => {
	it('subscribe answers the subscription; the same URL replaces it; the list filters by webhookUrl; unsubscribe removes', async () => {
		const { api, sb } = env;
		const board = sb.store.boards.all()[0].id;
		const first = await api.post('/business_workflows/webhooks/subscribe', { name: 'N8N CRM Webhook', webhookUrl: rx.url('/crm'), events: ['crm_item.created'], boardId: board });
		expect(first.data).toEqual({
			success: true,
			data: { id: expect.any(String), name: 'N8N CRM Webhook', webhookUrl: rx.url('/crm'), events: ['crm_item.created'], inboxId: null, boardId: board, filters: null },
		});
		const again = await api.post('/business_workflows/webhooks/subscribe', { webhookUrl: rx.url('/crm'), events: ['crm_item.updated'], inboxId: '' });
		await api.post('/business_workflows/webhooks/subscribe', { webhookUrl: rx.url('/x'), events: ['order.created'] });
		const mine = (await api.get('/business_workflows/webhooks', { params: { webhookUrl: rx.url('/crm') } })).data;
		expect(mine).toEqual([again.data.data]);
		expect((await api.get('/business_workflows/webhooks')).data.map((w: { webhookUrl: string }) => w.webhookUrl)).toEqual([rx.url('/crm'), rx.url('/x')]);
		expect(sb.subscriptions().map((s) => s.variant)).toEqual(['workflows', 'workflows']);
		expect((await api.post('/business_workflows/webhooks/unsubscribe', { webhookUrl: rx.url('/crm'), events: [], inboxId: '' })).data).toEqual({ success: true, data: { removed: 1 } });
		expect((await api.post('/business_workflows/webhooks/unsubscribe', { webhookUrl: rx.url('/crm') })).data).toEqual({ success: true, data: { removed: 0 } });
		expect((await api.get('/business_workflows/webhooks')).data).toHaveLength(1);
		expect((await api.get('/__sandbox/webhooks/subscriptions')).data.subscriptions).toEqual([expect.objectContaining({ variant: 'workflows', url: rx.url('/x') })]);
	});

	it('400 with the field for bad bodies; non-local URLs are refused', async () => {
		const { api } = env;
		for (const [body, field] of [
			[{ events: ['order.created'] }, 'webhookUrl'],
			[{ webhookUrl: 'https://example.com/hook', events: ['order.created'] }, 'webhookUrl'],
			[{ webhookUrl: rx.url('/a') }, 'events'],
			[{ webhookUrl: rx.url('/a'), events: ['order.exploded'] }, 'events[0]'],
			[{ webhookUrl: rx.url('/a'), events: ['order.created'], filters: { payment_method: 3 } }, 'filters.payment_method'],
		] as const) {
			const res = await api.post('/business_workflows/webhooks/subscribe', body);
			expect(res.status).toBe(400);
			expectSuccessFamily400(res.data, field);
		}
		expectSuccessFamily400((await api.post('/business_workflows/webhooks/unsubscribe', {})).data, 'webhookUrl');
		expect(env.sb.subscriptions()).toEqual([]);
	});

	it('order filters: only the subscription whose filters match the order gets it', async () => {
		const { api, sb } = env;
		const events = ['order.created', 'order.order_status_updated'];
		await api.post('/business_workflows/webhooks/subscribe', { webhookUrl: rx.url('/manual'), events, filters: { payment_method: 'manual', payment_status: 'PENDING' } });
		await api.post('/business_workflows/webhooks/subscribe', { webhookUrl: rx.url('/xendit'), events, filters: { payment_method: 'xendit' } });
		await api.post('/business_workflows/webhooks/subscribe', { webhookUrl: rx.url('/processing'), events, filters: { order_status: 'processing' } });
		const contact = sb.store.contacts.all()[0];
		const created = await api.post('/api/orders', { orders_products: [{ product_name: 'Kopi', quantity: 1, price: 1000 }], payment_method: 'manual', bank_account_number: '1234567890', contact_id: contact.id });
		expect(created.status).toBe(200);
		await api.put(`/api/orders/${created.data.data.id}`, { order_status: 'processing' });
		await delivered();
		expect(rx.events('/manual')).toEqual(['order.created', 'order.order_status_updated']);
		expect(rx.events('/xendit')).toEqual([]);
		// the status event carries no data: the order is looked up (it is processing now)
		expect(rx.events('/processing')).toEqual(['order.order_status_updated']);
	});

	it('board filter (CRM) and hand-made events: the other board is not sent, an event without a board is', async () => {
		const { api, sb } = env;
		const [a, b] = sb.store.boards.all();
		await api.post('/business_workflows/webhooks/subscribe', { webhookUrl: rx.url('/a'), events: ['crm_item.created', 'crm_item.updated'], boardId: a.id });
		const item = sb.store.itemsOfBoard(b.id)[0];
		expect((await api.put(`/api/crm/boards/${b.id}/items/${item.id}`, { item_name: 'Renamed' })).status).toBe(200);
		const emitted = await api.post('/__sandbox/webhooks/emit', { event: 'crm_item.created', board_id: a.id });
		expect(emitted.data.sent).toBe(true);
		await api.post('/__sandbox/webhooks/emit', { event: 'crm_item.created', board_id: b.id });
		await api.post('/__sandbox/webhooks/emit', { event: 'crm_item.created', board_id: null });
		await delivered();
		expect(rx.at('/a').map((h) => h.body.board_id)).toEqual([a.id, null]);
	});

	it('the /__sandbox target keeps working beside subscriptions (its own secret header; theirs none)', async () => {
		const { api, sb } = env;
		sb.webhooks.configure({ url: rx.url('/target'), secret: 'shh' });
		try {
			const { conv } = pick((c) => c.stage_status !== 'pending');
			await api.post('/business_workflows/webhooks/subscribe', { webhookUrl: rx.url('/sub'), events: ['conversation.stage_status_updated'] });
			await api.post('/business_workflows/conversation-status', { conversation_id: conv.id, stage_status: 'pending' });
			await delivered();
			expect(rx.events('/target')).toEqual(['conversation.stage_status_updated']);
			expect(rx.events('/sub')).toEqual(['conversation.stage_status_updated']);
			expect(rx.at('/target')[0].body).toEqual(rx.at('/sub')[0].body);
			expect(rx.at('/target')[0].headers['x-cekat-secret']).toBe('shh');
			expect(rx.at('/sub')[0].headers['x-cekat-secret']).toBeUndefined();
			// a redelivery goes to both again
			const eventId = rx.at('/target')[0].body.id;
			rx.clear();
			expect((await api.post(`/__sandbox/webhooks/redeliver/${eventId}`)).status).toBe(200);
			await delivered();
			expect([rx.at('/target').length, rx.at('/sub').length]).toEqual([1, 1]);
		} finally {
			sb.webhooks.configure(undefined);
		}
	});

	it("REF's routes answer 404 in this variant", async () => {
		const { api } = env;
		for (const res of [
			await api.post('/business_webhooks', { name: 'x', webhook_url: rx.url('/a'), events: ['order.created'] }),
			await api.get('/business_webhooks'),
			await api.delete('/business_webhooks/abc'),
		]) {
			expect([res.status, res.data]).toEqual([404, { success: false, message: 'Not found' }]);
		}
		expect(env.sb.subscriptions()).toEqual([]);
	});

	it('reset() clears the subscriptions', async () => {
		await env.api.post('/business_workflows/webhooks/subscribe', { webhookUrl: rx.url('/a'), events: ['order.created'] });
		expect(env.sb.subscriptions()).toHaveLength(1);
		env.sb.reset();
		expect(env.sb.subscriptions()).toEqual([]);
		expect((await env.api.get('/business_workflows/webhooks')).data).toEqual([]);
	});
});

describe("subscriptions: variant 'business_webhooks' (REF)", () => {
	beforeEach(async () => {
		expect((await env.anon.post('/__sandbox/variant', { subscriptions: 'business_webhooks' })).data.variant.subscriptions).toBe('business_webhooks');
	});

	it('POST answers without the secret; headers are sent as given; the inbox filter applies; list and delete', async () => {
		const { api, sb } = env;
		const { conv, otherInbox } = pick((c) => c.stage_status !== 'pending');
		const body = {
			name: 'Customer Integration',
			webhook_url: rx.url('/ref?secret=abc'),
			events: ['conversation.stage_status_updated'],
			inbox_id: conv.inbox_id,
			board_id: null,
			headers: { Authorization: 'Bearer your-token', 'X-Cekat-Secret': 'abc' },
			secret: 'abc',
		};
		const res = await api.post('/business_webhooks', body);
		expect(res.data).toEqual({
			success: true,
			data: { id: expect.any(String), name: 'Customer Integration', webhook_url: rx.url('/ref?secret=abc'), events: ['conversation.stage_status_updated'], inbox_id: conv.inbox_id, board_id: null },
		});
		await api.post('/business_webhooks', { ...body, webhook_url: rx.url('/ref-other'), inbox_id: otherInbox });
		expect(sb.subscriptions().map((s) => [s.variant, s.secret])).toEqual([
			['business_webhooks', 'abc'],
			['business_webhooks', 'abc'],
		]);
		await api.post('/business_workflows/conversation-status', { conversation_id: conv.id, stage_status: 'pending' });
		await delivered();
		const [hit] = rx.at('/ref?secret=abc');
		expect(hit.body.event_name).toBe('conversation.stage_status_updated');
		expect(hit.headers.authorization).toBe('Bearer your-token');
		expect(hit.headers['x-cekat-secret']).toBe('abc');
		expect(rx.at('/ref-other')).toEqual([]);
		const list = (await api.get('/business_webhooks')).data;
		expect(list).toEqual({ success: true, data: [res.data.data, expect.objectContaining({ webhook_url: rx.url('/ref-other') })] });
		expect((await api.delete(`/business_webhooks/${res.data.data.id}`)).data).toEqual({ success: true });
		const gone = await api.delete(`/business_webhooks/${res.data.data.id}`);
		expect([gone.status, gone.data]).toEqual([404, { success: false, message: 'Webhook not found' }]);
		expect((await api.get('/business_webhooks')).data.data).toHaveLength(1);
	});

	it('400 with the field; OFF routes answer 404', async () => {
		const { api } = env;
		for (const [body, field] of [
			[{ name: 'x', events: ['order.created'] }, 'webhook_url'],
			[{ name: 'x', webhook_url: rx.url('/a'), events: [] }, 'events'],
			[{ name: 'x', webhook_url: rx.url('/a'), events: ['order.created'], headers: { A: 1 } }, 'headers.A'],
			[{ name: 'x', webhook_url: rx.url('/a'), events: ['order.created'], secret: 5 }, 'secret'],
		] as const) {
			const res = await api.post('/business_webhooks', body);
			expect(res.status).toBe(400);
			expectSuccessFamily400(res.data, field);
		}
		for (const res of [
			await api.post('/business_workflows/webhooks/subscribe', { webhookUrl: rx.url('/a'), events: ['order.created'] }),
			await api.post('/business_workflows/webhooks/unsubscribe', { webhookUrl: rx.url('/a') }),
			await api.get('/business_workflows/webhooks'),
		]) {
			expect([res.status, res.data]).toEqual([404, { success: false, message: 'Not found' }]);
		}
		// the customer-service routes do not depend on the variant
		expect((await api.get('/business_workflows/labels')).status).toBe(200);
	});

	it('chosen at start by CEKAT_SANDBOX_VARIANT; reset() returns to it', async () => {
		const saved = process.env.CEKAT_SANDBOX_VARIANT;
		process.env.CEKAT_SANDBOX_VARIANT = 'subscriptions=business_webhooks';
		const sb = await startSandbox({ port: 0 });
		try {
			expect(sb.variant.subscriptions).toBe('business_webhooks');
			sb.setVariant({ subscriptions: 'workflows' });
			sb.reset();
			expect(sb.variant.subscriptions).toBe('business_webhooks');
			expect((await axios.get(`${sb.url}/business_webhooks`, { headers: { api_key: sb.apiKey } })).data).toEqual({ success: true, data: [] });
		} finally {
			if (saved === undefined) delete process.env.CEKAT_SANDBOX_VARIANT;
			else process.env.CEKAT_SANDBOX_VARIANT = saved;
			await sb.close();
		}
	});
});

describe('split hosts', () => {
	it('/business_workflows/* and /business_webhooks only on the server port', async () => {
		const sb = await startSandbox({ port: 0, variant: { hosts: 'split' } });
		const headers = { api_key: sb.apiKey };
		const on = (base: string) => axios.create({ baseURL: base, headers, validateStatus: () => true });
		try {
			const server = on(sb.serverUrl);
			const api = on(sb.url);
			expect(sb.serverUrl).not.toBe(sb.url);
			expect((await server.get('/business_workflows/agents')).status).toBe(200);
			const conv = sb.store.conversations.all()[0];
			expect((await server.post('/business_workflows/block-ai', { conversation_id: conv.id })).status).toBe(200);
			expect((await server.post('/business_workflows/webhooks/subscribe', { webhookUrl: rx.url('/split'), events: ['order.created'] })).status).toBe(200);
			for (const res of [
				await api.get('/business_workflows/agents'),
				await api.post('/business_workflows/block-ai', { conversation_id: conv.id }),
				await api.get('/business_workflows/webhooks'),
				await api.get('/business_webhooks'),
			]) {
				expect(res.status).toBe(404);
				expect(res.data).toEqual({ success: false, message: expect.stringContaining('not found') });
			}
			expect(sb.journal().map((e) => [e.host, e.status])).toEqual([
				['server', 200],
				['server', 200],
				['server', 200],
				['api', 404],
				['api', 404],
				['api', 404],
				['api', 404],
			]);
			expect(sb.subscriptions()).toHaveLength(1);
		} finally {
			await sb.close();
		}
	});
});
