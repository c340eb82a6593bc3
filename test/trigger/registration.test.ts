/**
 * The Cekat Trigger v2 registers its URL in Cekat: n8n's webhook lifecycle (checkExists → create on activation,
 * delete on deactivation) through n8n-core's HookContext, against the sandbox's subscription routes (OFF's
 * /business_workflows/webhooks/* by default, REF's /business_webhooks in variant `subscriptions:
 * 'business_webhooks'`), with the workflow's static data kept between steps as n8n keeps it.
 */
import type { IDataObject } from 'n8n-workflow';

import { CEKAT_EVENTS } from '../../nodes/CekatTrigger/events';
import { byId, Hooks, SALES_BOARD_ID, useTriggerEnv, waitForDeliveries, WEBHOOK_ID, WebhookReceiver, type TriggerEnv } from './env';

const SECRET = 'reg-secret-4Kp9Wz';
const PRODUCTION_URL = `http://localhost:5678/webhook/${WEBHOOK_ID}/cekat`;

const call = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

/** A v2 trigger whose URL is a live receiver: the lifecycle and the deliveries share the workflow's static data. */
async function liveTrigger(env: TriggerEnv, parameters: IDataObject) {
	const receiver = await new WebhookReceiver(env, parameters).start();
	const hooks = new Hooks(env, parameters, { webhookBaseUrl: receiver.url.replace(`/${WEBHOOK_ID}/cekat`, ''), holder: receiver });
	return { receiver, hooks };
}

async function emit(env: TriggerEnv, body: IDataObject) {
	const res = await env.api.post('/__sandbox/webhooks/emit', body);
	return res;
}

describe('Cekat Trigger v2: registration in Cekat (OFF’s subscription API, the default)', () => {
	const env = useTriggerEnv();
	afterEach(async () => {
		await env.sandbox.webhooks.settle();
		env.sandbox.clearFaults();
		env.sandbox.reset();
	});

	it('activation: checkExists finds nothing, create subscribes once with the workflow’s name, URL and events; the sandbox holds it', async () => {
		const hooks = new Hooks(env, { events: ['order.created', 'order.payment_status_updated'] });
		const result = await hooks.activate();
		expect(result.error).toBeUndefined();
		expect(result.value).toBe(false);
		expect(result.requests.map((r) => [call(r), r.query, r.auth, r.keyMatched, r.status])).toEqual([
			['GET /business_workflows/webhooks', { webhookUrl: PRODUCTION_URL }, 'api_key', true, 200],
			['POST /business_workflows/webhooks/subscribe', {}, 'api_key', true, 200],
		]);
		expect(result.requests[1].body).toEqual({ name: 'n8n: trigger test', webhookUrl: PRODUCTION_URL, events: ['order.created', 'order.payment_status_updated'] });
		const [sub] = env.sandbox.subscriptions();
		expect(env.sandbox.subscriptions()).toHaveLength(1);
		expect(sub).toEqual(
			expect.objectContaining({ variant: 'workflows', name: 'n8n: trigger test', url: PRODUCTION_URL, events: ['order.created', 'order.payment_status_updated'], inboxId: null, boardId: null, filters: null }),
		);
		expect(hooks.state.subscriptions).toEqual({
			[PRODUCTION_URL]: { variant: 'workflows', id: sub.id, url: PRODUCTION_URL, events: ['order.created', 'order.payment_status_updated'], inboxId: null, boardId: null, filters: null },
		});
	});

	it('checkExists: true for the same URL and events (no second subscribe), false once the events change (then subscribed again, replacing it)', async () => {
		const hooks = new Hooks(env, { events: ['message.received'] });
		await hooks.activate();
		const again = await hooks.activate();
		expect(again.value).toBe(true);
		expect(again.requests.map(call)).toEqual(['GET /business_workflows/webhooks']);

		hooks.parameters = { events: ['message.received', 'message.sent'] };
		const check = await hooks.run('checkExists');
		expect(check.value).toBe(false);
		const changed = await hooks.activate();
		expect(changed.requests.map(call)).toEqual(['GET /business_workflows/webhooks', 'POST /business_workflows/webhooks/subscribe']);
		expect(env.sandbox.subscriptions().map((s) => s.events)).toEqual([['message.received', 'message.sent']]);
	});

	it('checkExists compares inbox and board too: another board is not "the same subscription"', async () => {
		const hooks = new Hooks(env, { events: ['crm_item.created'], boardId: byId(SALES_BOARD_ID) });
		await hooks.activate();
		expect((await hooks.run('checkExists')).value).toBe(true);
		hooks.parameters = { events: ['crm_item.created'], boardId: byId('another-board') };
		expect((await hooks.run('checkExists')).value).toBe(false);
	});

	it('deactivation: unsubscribes the URL; the sandbox holds nothing and the static data forgets it', async () => {
		const hooks = new Hooks(env, { events: ['*'] });
		await hooks.activate();
		expect(env.sandbox.subscriptions()).toHaveLength(1);
		const result = await hooks.deactivate();
		expect(result.error).toBeUndefined();
		expect(result.value).toBe(true);
		expect(result.requests.map((r) => [call(r), r.body, r.status])).toEqual([['POST /business_workflows/webhooks/unsubscribe', { webhookUrl: PRODUCTION_URL }, 200]]);
		expect(env.sandbox.subscriptions()).toEqual([]);
		expect(hooks.state.subscriptions).toEqual({});
		expect((await hooks.run('checkExists')).value).toBe(false);
	});

	it('"All Events" registers every event the node offers, by name', async () => {
		const hooks = new Hooks(env, { events: ['*'] });
		const result = await hooks.activate();
		expect((result.requests[1].body as IDataObject).events).toEqual(CEKAT_EVENTS.map((e) => e.value));
		expect(env.sandbox.subscriptions()[0].events).toHaveLength(23);
	});

	it('inbox, board and order filters go with the subscription (OFF’s body: inboxId, boardId, filters)', async () => {
		const inbox = env.sandbox.store.inboxes.all()[0];
		const hooks = new Hooks(env, {
			events: ['order.created', 'message.received', 'crm_item.created'],
			inboxId: byId(inbox.id),
			boardId: { __rl: true, mode: 'list', value: SALES_BOARD_ID },
			orderFilters: { paymentMethod: 'manual', paymentStatus: 'paid' },
		});
		const result = await hooks.activate();
		expect(result.error).toBeUndefined();
		expect(result.requests[1].body).toEqual({
			name: 'n8n: trigger test',
			webhookUrl: PRODUCTION_URL,
			events: ['order.created', 'message.received', 'crm_item.created'],
			inboxId: inbox.id,
			boardId: SALES_BOARD_ID,
			filters: { payment_method: 'manual', payment_status: 'paid' },
		});
		expect(env.sandbox.subscriptions()[0]).toEqual(expect.objectContaining({ inboxId: inbox.id, boardId: SALES_BOARD_ID, filters: { payment_method: 'manual', payment_status: 'paid' } }));
		// same settings: found again
		expect((await hooks.run('checkExists')).value).toBe(true);
	});

	it('a Secret is part of the registered URL (?secret=…), and deliveries that carry it start the workflow', async () => {
		const { receiver, hooks } = await liveTrigger(env, { events: ['contact.updated'], secret: SECRET });
		try {
			const result = await hooks.activate();
			expect(result.error).toBeUndefined();
			const registered = `${receiver.url}?secret=${SECRET}`;
			expect(result.requests[0].query).toEqual({ webhookUrl: registered });
			expect((result.requests[1].body as IDataObject).webhookUrl).toBe(registered);
			expect(env.sandbox.subscriptions().map((s) => s.url)).toEqual([registered]);

			expect((await emit(env, { event: 'contact.updated' })).status).toBe(200);
			const [delivery] = await waitForDeliveries(env, receiver, 1);
			expect(delivery).toEqual(expect.objectContaining({ url: registered, status: 200, subscription_id: env.sandbox.subscriptions()[0].id }));
			expect(receiver.executions).toHaveLength(1);
			// deactivation unsubscribes the URL as registered (with the secret)
			const off = await hooks.deactivate();
			expect(off.requests[0].body).toEqual({ webhookUrl: registered });
			expect(env.sandbox.subscriptions()).toEqual([]);
		} finally {
			await receiver.close();
		}
	});

	it('activate → an event reaches the workflow once → deactivate → the next event goes nowhere', async () => {
		const { receiver, hooks } = await liveTrigger(env, { events: ['order.created', 'order.updated'] });
		try {
			await hooks.activate();
			const sent = await emit(env, { event: 'order.created' });
			expect(sent.status).toBe(200);
			await waitForDeliveries(env, receiver, 1);
			expect(receiver.executions.map((e) => e.map((i) => i.event))).toEqual([['order.created']]);
			// the receiver's dedupe memory and the registration share the static data
			expect(receiver.state.seenEventIds).toEqual([sent.data.payload.id]);
			expect(Object.keys(receiver.state.subscriptions as IDataObject)).toEqual([receiver.url]);

			await hooks.deactivate();
			// neither a target nor a subscription is left: the sandbox says so
			expect((await emit(env, { event: 'order.created' })).status).toBe(409);
			expect(receiver.executions).toHaveLength(1);
		} finally {
			await receiver.close();
		}
	});

	it.each([
		[401, /^Cekat error 401: /],
		[500, /^Cekat error 500: /],
	])('a refused subscription (HTTP %i) throws Cekat’s message, so n8n activates nothing; the sandbox holds nothing', async (status, message) => {
		env.sandbox.addFault({ path: '/business_workflows/webhooks/subscribe', status, body: { success: false, message: `Refused with ${status}` } });
		const hooks = new Hooks(env, { events: ['order.created'] });
		const result = await hooks.activate();
		expect(result.error?.message).toMatch(message);
		expect(result.error?.message).toContain(`Refused with ${status}`);
		expect(result.error?.description).toContain('turn off "Register Webhook in Cekat"');
		expect(result.requests.map(call)).toEqual(['GET /business_workflows/webhooks', 'POST /business_workflows/webhooks/subscribe']);
		expect(env.sandbox.subscriptions()).toEqual([]);
		expect(hooks.state.subscriptions).toBeUndefined();
	});

	it('Register Webhook in Cekat off: no request at all, the hooks answer as if done', async () => {
		const hooks = new Hooks(env, { events: ['order.created'], registerWebhook: false });
		for (const method of ['checkExists', 'create', 'delete'] as const) {
			const result = await hooks.run(method);
			expect(result).toEqual({ value: true, requests: [] });
		}
		expect(env.sandbox.subscriptions()).toEqual([]);
	});

	it('the editor’s "Listen for test event" registers the Test URL (and removes it after)', async () => {
		const hooks = new Hooks(env, { events: ['message.received'] }, { test: true });
		const result = await hooks.activate();
		expect(result.error).toBeUndefined();
		expect(env.sandbox.subscriptions().map((s) => s.url)).toEqual([`http://localhost:5678/webhook-test/${WEBHOOK_ID}/cekat`]);
		await hooks.deactivate();
		expect(env.sandbox.subscriptions()).toEqual([]);
	});

	it('a wrong API key fails the activation with Cekat’s 401, before anything is subscribed', async () => {
		const hooks = new Hooks(env, { events: ['order.created'] }, { apiKey: 'ck_wrong_key_000' });
		const result = await hooks.activate();
		expect(result.error?.message).toMatch(/^Cekat error 401/);
		expect(result.requests.map(call)).toEqual(['GET /business_workflows/webhooks']);
		expect(env.sandbox.subscriptions()).toEqual([]);
	});
});

describe('Cekat Trigger v2: REF’s /business_webhooks when OFF’s routes answer 404 (variant subscriptions: business_webhooks)', () => {
	const env = useTriggerEnv({ variant: { subscriptions: 'business_webhooks' } });
	afterEach(async () => {
		await env.sandbox.webhooks.settle();
		env.sandbox.reset();
	});

	it('activation falls back to POST /business_webhooks (REF’s body: webhook_url, inbox_id, board_id, the secret as a header and as secret); the variant and id are remembered', async () => {
		const hooks = new Hooks(env, { events: ['order.created'], secret: SECRET, boardId: byId(SALES_BOARD_ID) });
		const result = await hooks.activate();
		expect(result.error).toBeUndefined();
		expect(result.requests.map((r) => [call(r), r.status])).toEqual([
			['GET /business_workflows/webhooks', 404],
			['GET /business_webhooks', 200],
			['POST /business_workflows/webhooks/subscribe', 404],
			['POST /business_webhooks', 200],
		]);
		const registered = `${PRODUCTION_URL}?secret=${SECRET}`;
		expect(result.requests[3].body).toEqual({
			name: 'n8n: trigger test',
			webhook_url: registered,
			events: ['order.created'],
			inbox_id: null,
			board_id: SALES_BOARD_ID,
			headers: { 'X-Cekat-Secret': SECRET },
			secret: SECRET,
		});
		const [sub] = env.sandbox.subscriptions();
		expect(sub).toEqual(expect.objectContaining({ variant: 'business_webhooks', url: registered, headers: { 'X-Cekat-Secret': SECRET }, secret: SECRET, boardId: SALES_BOARD_ID }));
		expect(hooks.state.subscriptions).toEqual({
			[PRODUCTION_URL]: { variant: 'business_webhooks', id: sub.id, url: registered, events: ['order.created'], inboxId: null, boardId: SALES_BOARD_ID, filters: null },
		});

		// checkExists goes straight to REF's list (the variant is remembered)
		const again = await hooks.activate();
		expect(again.value).toBe(true);
		expect(again.requests.map(call)).toEqual(['GET /business_webhooks']);

		// deactivation deletes it by id
		const off = await hooks.deactivate();
		expect(off.error).toBeUndefined();
		expect(off.requests.map((r) => [call(r), r.status])).toEqual([[`DELETE /business_webhooks/${sub.id}`, 200]]);
		expect(env.sandbox.subscriptions()).toEqual([]);
		expect(hooks.state.subscriptions).toEqual({});
	});

	it('deliveries carry the secret header REF stores: the workflow runs once', async () => {
		const receiver = await new WebhookReceiver(env, { events: ['contact.updated'], secret: SECRET }).start();
		const hooks = new Hooks(env, receiver.parameters, { webhookBaseUrl: receiver.url.replace(`/${WEBHOOK_ID}/cekat`, ''), holder: receiver });
		try {
			await hooks.activate();
			expect((await emit(env, { event: 'contact.updated' })).status).toBe(200);
			const [delivery] = await waitForDeliveries(env, receiver, 1);
			expect(delivery.status).toBe(200);
			expect(receiver.executions).toHaveLength(1);
			await hooks.deactivate();
			expect(env.sandbox.subscriptions()).toEqual([]);
		} finally {
			await receiver.close();
		}
	});

	it('when REF’s list answers 404 too (it is not evidenced), checkExists trusts what the node registered last', async () => {
		const hooks = new Hooks(env, { events: ['order.created'] });
		await hooks.activate();
		env.sandbox.addFault({ method: 'GET', path: '/business_webhooks', status: 404, count: 2, body: { success: false, message: 'Not found' } });
		const same = await hooks.run('checkExists');
		expect(same.value).toBe(true);
		hooks.parameters = { events: ['order.updated'] };
		const changed = await hooks.run('checkExists');
		expect(changed.value).toBe(false);
		expect([...same.requests, ...changed.requests].map((r) => [call(r), r.status])).toEqual([
			['GET /business_webhooks', 404],
			['GET /business_webhooks', 404],
		]);
		env.sandbox.clearFaults();
	});

	it('without a remembered id (static data lost), deactivation finds the URL in REF’s list and deletes it', async () => {
		const hooks = new Hooks(env, { events: ['order.created'] });
		await hooks.activate();
		hooks.staticDataJson = '{}';
		const off = await hooks.deactivate();
		expect(off.error).toBeUndefined();
		expect(off.requests.map((r) => [call(r), r.status])).toEqual([
			['POST /business_workflows/webhooks/unsubscribe', 404],
			['GET /business_webhooks', 200],
			[expect.stringMatching(/^DELETE \/business_webhooks\//), 200],
		]);
		expect(env.sandbox.subscriptions()).toEqual([]);
	});
});

describe('Cekat Trigger v2: split hosts (subscriptions live on the Server URL only)', () => {
	const env = useTriggerEnv({ variant: { hosts: 'split' } });
	afterEach(() => env.sandbox.reset());

	it('every registration request goes to the credential’s Server URL', async () => {
		expect(env.sandbox.serverUrl).not.toBe(env.sandbox.url);
		const hooks = new Hooks(env, { events: ['order.created'] });
		const on = await hooks.activate();
		expect(on.error).toBeUndefined();
		const off = await hooks.deactivate();
		expect(off.error).toBeUndefined();
		expect([...on.requests, ...off.requests].map((r) => [call(r), r.host, r.status])).toEqual([
			['GET /business_workflows/webhooks', 'server', 200],
			['POST /business_workflows/webhooks/subscribe', 'server', 200],
			['POST /business_workflows/webhooks/unsubscribe', 'server', 200],
		]);
	});

	it('a Server URL that points at the API host fails with Cekat’s 404, not a silent success', async () => {
		const hooks = new Hooks(env, { events: ['order.created'] }, { serverUrl: env.sandbox.url });
		const result = await hooks.activate();
		expect(result.error?.message).toMatch(/^Cekat error 404/);
		expect(env.sandbox.subscriptions()).toEqual([]);
	});
});
