/**
 * The "customer asks for a human → AI hand-off" example (examples/ai-handoff.json) in a real n8n (`n8n start`):
 * publishing it registers its Cekat Trigger v2 in the sandbox for message.received; a customer's message that asks
 * for a human blocks the AI, assigns the agent, adds the label and answers on WhatsApp; any other message is
 * filtered out (no Cekat call). Unpublishing removes the subscription.
 */
import { randomUUID } from 'node:crypto';

import { wire } from '../../sandbox';
import type { N8nServer } from '../../scripts/lib/n8n';
import { sleep } from '../../scripts/lib/n8n';
import { calls, contactsByWindow, executionsOf, expectAuthenticated, prepareInstance, waitFor, type E2eInstance, type WindowContact } from './helpers';

const OWNER = { email: 'e2e-handoff@cekat.local', password: 'CekatE2e2026', firstName: 'Handoff', lastName: 'Test' };
const EXAMPLE = 'CekatExample0006';
const WEBHOOK_ID = '8c1f5e2a-3d4b-4c6e-9a7f-0b1c2d3e4f5a';
const AGENT = { id: 'bb1e162f-2243-4be3-b2b2-bb4447e79ee2', name: 'Fajar Pratama' };
const LABEL = { id: 'c6d080e3-1655-4888-8cf9-f1d3ff0c7652', name: 'Follow Up' };
const REPLY = 'Baik, kami hubungkan Anda dengan tim kami. Mohon tunggu sebentar 🙏';

describe('Example "customer asks for a human → AI hand-off" in n8n', () => {
	let env: E2eInstance;
	let server: N8nServer;
	let open: WindowContact;

	const executions = async () => await executionsOf(server, EXAMPLE);
	const finished = (count: number) =>
		waitFor(`${count} finished execution(s)`, async () => {
			const list = await executions();
			return list.length === count && list.every((e) => e.status !== 'running' && e.status !== 'new') ? list : undefined;
		});
	/** message.received as the sandbox sends it for a customer's message: a real message row of the conversation, new text. */
	const customerMessage = (conversationId: string, text: string) => {
		const store = env.sandbox.store;
		const last = [...store.messagesOf(conversationId)].reverse().find((m) => m.sent_by_type === 'contact')!;
		return { ...wire.wireMessage(last), id: randomUUID(), message: text, sent_by_type: 'user', conversation: wire.wireConversation(store, store.conversations.get(conversationId)!) };
	};
	const emit = async (data: unknown) => {
		const res = await fetch(`${env.sandbox.url}/__sandbox/webhooks/emit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'message.received', data }) });
		expect(res.status).toBe(200);
		return ((await res.json()) as { payload: { id: string } }).payload;
	};

	beforeAll(async () => {
		env = await prepareInstance();
		// a conversation in the 24-hour window whose AI answers, with nobody handling it as the agent and no such label yet
		open = contactsByWindow(env.sandbox).open.find(({ conversationId }) => {
			const c = env.sandbox.store.conversations.get(conversationId)!;
			return c.ai_blocked !== true && c.handled_by_id !== AGENT.id && !c.labels.some((l) => l.id === LABEL.id);
		})!;
		expect(open).toBeDefined();
		// the URL the trigger registers: n8n's public URL, as a deployment sets it
		env.n8n.opts.env = { ...env.n8n.opts.env, WEBHOOK_URL: `${env.n8n.url}/` };
		server = await env.n8n.start();
		await server.setupOwnerAndLogin(OWNER);
	});
	afterAll(async () => {
		await server?.stop();
		await env?.cleanup();
	});

	it('publish → the sandbox holds the subscription; "saya mau bicara dengan manusia" → AI blocked, agent assigned, label, one WhatsApp reply; another message → filtered; "ADMIN" matches too; unpublish → gone', async () => {
		// the example as imported uses the agent and label the sandbox seeds (ids as the editor's lists show them)
		const agents = env.sandbox.store.agents.all().map((a) => ({ id: a.id, name: a.name }));
		expect(agents).toContainEqual(AGENT);
		expect(env.sandbox.store.labels.map((l) => ({ id: l.id, name: l.name }))).toContainEqual(LABEL);

		await server.publishWorkflow(EXAMPLE);
		const url = `${env.n8n.url}/webhook/${WEBHOOK_ID}/cekat`;
		const [sub] = await waitFor('the subscription', () => (env.sandbox.subscriptions().length ? env.sandbox.subscriptions() : undefined));
		expect(env.sandbox.subscriptions()).toHaveLength(1);
		expect(sub).toEqual(expect.objectContaining({ variant: 'workflows', name: 'n8n: Cekat example: customer asks for a human → AI hand-off', url, events: ['message.received'] }));
		await server.waitForWebhook(`/webhook/${WEBHOOK_ID}/cekat`);
		env.sandbox.clearJournal();
		env.sandbox.webhooks.clearDeliveries();

		// the customer asks for a human
		const asked = await emit(customerMessage(open.conversationId, 'saya mau bicara dengan manusia'));
		const [run] = await finished(1);
		expect([run.mode, run.status]).toEqual(['webhook', 'success']);
		const conversation = env.sandbox.store.conversations.get(open.conversationId)!;
		expect({ ai_blocked: conversation.ai_blocked, handled_by_id: conversation.handled_by_id, handled_by_name: conversation.handled_by_name }).toEqual({ ai_blocked: true, handled_by_id: AGENT.id, handled_by_name: AGENT.name });
		expect(conversation.labels.map((l) => l.id)).toContain(LABEL.id);
		const journal = env.sandbox.journal();
		expect(calls(journal)).toEqual(['POST /business_workflows/block-ai', 'POST /business_workflows/assign-agent', 'POST /business_workflows/labels', 'POST /messages/whatsapp']);
		expect(journal.map((e) => e.body)).toEqual([
			{ conversation_id: open.conversationId },
			{ conversation_id: open.conversationId, agent_id: AGENT.id },
			{ conversation_id: open.conversationId, label_id: LABEL.id },
			{ conversation_id: open.conversationId, message: REPLY },
		]);
		expect(journal.map((e) => e.status)).toEqual([200, 200, 200, 200]);
		expectAuthenticated(journal);
		// the hand-off's own changes (agent, stage, label, the reply) are events the trigger did not subscribe: not sent
		await env.sandbox.webhooks.settle();
		expect(env.sandbox.webhooks.deliveries().map((d) => [d.event, d.url, d.status, d.subscription_id, d.response])).toEqual([['message.received', url, 200, sub.id, { received: true, id: asked.id }]]);

		// a message that does not ask for a human: the workflow runs and stops at the filter
		env.sandbox.clearJournal();
		await emit(customerMessage(open.conversationId, 'Berapa ongkir ke Bandung, kak?'));
		const runs = await finished(2);
		expect(runs.map((r) => r.status)).toEqual(['success', 'success']);
		await sleep(1000);
		expect(calls(env.sandbox.journal())).toEqual([]);

		// the words are matched without case
		env.sandbox.clearJournal();
		await emit(customerMessage(open.conversationId, 'Halo, bisa sambungkan ke ADMIN?'));
		await finished(3);
		expect(calls(env.sandbox.journal())).toEqual(['POST /business_workflows/block-ai', 'POST /business_workflows/assign-agent', 'POST /business_workflows/labels', 'POST /messages/whatsapp']);

		// unpublish: the subscription is removed
		const off = await server.rest('POST', `/workflows/${EXAMPLE}/deactivate`, {});
		expect(off.status).toBe(200);
		await waitFor('the unsubscription', () => (env.sandbox.subscriptions().length === 0 ? true : undefined));
		expect(await executions()).toHaveLength(3);
	});
});
