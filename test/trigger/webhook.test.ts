/**
 * The Cekat Trigger v2 receiving events (the same receive logic as v1's Webhook mode): the sandbox sends real
 * webhook deliveries, in the body Cekat's "Business Webhook Events" reference shows (docs/cekat-api.md,
 * Webhooks), when its data changes through the API or by hand, to a local stand-in for n8n's webhook route,
 * which runs the trigger's webhook() through n8n-core's WebhookContext and the workflow through WorkflowExecute.
 * One execution per accepted event.
 */
import type { IDataObject } from 'n8n-workflow';

import { CEKAT_EVENTS } from '../../nodes/CekatTrigger/events';
import { byId, useTriggerEnv, waitForDeliveries, WebhookReceiver, type TriggerEnv } from './env';

const SECRET = 'wh-secret-7Gq2Lr9Xb4';

async function receiverFor(env: TriggerEnv, parameters: IDataObject, target: { secret?: string; urlSuffix?: string; events?: string[] } = {}) {
	const receiver = await new WebhookReceiver(env, parameters).start();
	env.sandbox.webhooks.configure({ url: `${receiver.url}${target.urlSuffix ?? ''}`, ...(target.secret ? { secret: target.secret } : {}), ...(target.events ? { events: target.events } : {}) });
	return receiver;
}

/** An event sent by hand (the sandbox builds a realistic body from its records unless `data` is given). */
async function emit(env: TriggerEnv, body: IDataObject) {
	const res = await env.api.post('/__sandbox/webhooks/emit', body);
	expect(res.status).toBe(200);
	return res.data.payload as IDataObject & { id: string };
}

/** A raw POST to the receiver, for payload shapes the sandbox does not send. */
async function post(receiver: WebhookReceiver, body: unknown, { query = '', headers = {} }: { query?: string; headers?: Record<string, string> } = {}) {
	const res = await fetch(`${receiver.url}${query}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	await receiver.settle();
	const text = await res.text();
	return { status: res.status, body: text ? (JSON.parse(text) as IDataObject) : undefined };
}

const envelope = (event: string, id: string, rest: IDataObject = {}) => ({ id, object: event.split('.')[0], timestamp: 1781499600, event_name: event, ...rest });

describe('Cekat Trigger v2, receiving events', () => {
	const env = useTriggerEnv();
	let receiver: WebhookReceiver | undefined;
	afterEach(async () => {
		await env.sandbox.webhooks.settle();
		await receiver?.close();
		receiver = undefined;
		env.sandbox.webhooks.configure(undefined);
		env.sandbox.reset();
	});

	async function createOrder() {
		const contact = env.sandbox.store.contacts.all()[0];
		const created = await env.api.post('/api/orders', {
			orders_products: [{ product_name: 'Kopi Gayo 250g', quantity: 2, price: 85000 }],
			payment_method: 'manual',
			bank_account_number: '1234567890',
			contact_id: contact.id,
		});
		expect(created.status).toBe(200);
		return created.data.data as IDataObject;
	}

	it('registers a POST webhook (v2 has no mode: always)', async () => {
		receiver = await new WebhookReceiver(env, { events: ['*'] }).start();
		expect(receiver.registeredMethods()).toEqual(['POST']);
	});

	it('offers the 23 live events of Cekat’s reference (not message.failed)', () => {
		expect(CEKAT_EVENTS).toHaveLength(23);
		expect(CEKAT_EVENTS.map((e) => e.value)).not.toContain('message.failed');
		for (const e of CEKAT_EVENTS) expect(e.description.length).toBeGreaterThan(20);
	});

	it('an order created through the API arrives as Cekat’s envelope and starts one execution with the body unchanged plus "event"', async () => {
		receiver = await receiverFor(env, { events: ['order.created'] });
		const order = await createOrder();
		const [delivery] = await waitForDeliveries(env, receiver, 1);
		expect(delivery).toEqual(expect.objectContaining({ event: 'order.created', status: 200, attempt: 1, response: { received: true, id: delivery.event_id } }));
		expect(receiver.executions).toHaveLength(1);
		const [item] = receiver.executions[0];
		expect(item).toEqual({
			id: delivery.event_id,
			object: 'order',
			timestamp: expect.any(Number),
			event_name: 'order.created',
			message: 'success',
			data: expect.objectContaining({ id: order.id, order_status: 'pending', payment_status: 'PENDING' }),
			event: 'order.created',
		});
		expect(receiver.calls[0].run?.status).toBe('success');
		expect(receiver.state.seenEventIds).toEqual([delivery.event_id]);
	});

	it('order status events carry order_id and changed, no data: new_value / old_value are copied to the top level', async () => {
		receiver = await receiverFor(env, { events: ['order.payment_status_updated', 'order.order_status_updated'] });
		const order = await createOrder();
		expect((await env.api.put(`/api/orders/${String(order.id)}`, { order_status: 'processing', payment_status: 'paid' })).status).toBe(200);
		const deliveries = await waitForDeliveries(env, receiver, 4);
		expect(deliveries.map((d) => [d.event, (d.response as IDataObject).ignored ?? 'started'])).toEqual([
			['order.created', 'event "order.created" is not one of the chosen events'],
			['order.updated', 'event "order.updated" is not one of the chosen events'],
			['order.order_status_updated', 'started'],
			['order.payment_status_updated', 'started'],
		]);
		const [status, payment] = receiver.executions.map((e) => e[0]);
		expect(status).toEqual({
			id: expect.any(String),
			object: 'order',
			timestamp: expect.any(Number),
			event_name: 'order.order_status_updated',
			order_id: order.id,
			changed: { old_value: 'pending', new_value: 'processing' },
			event: 'order.order_status_updated',
			old_value: 'pending',
			new_value: 'processing',
		});
		expect(payment).toEqual(expect.objectContaining({ order_id: order.id, changed: { old_value: 'PENDING', new_value: 'PAID' }, old_value: 'PENDING', new_value: 'PAID' }));
		expect(payment.data).toBeUndefined();
	});

	it('every one of the 23 events, as the sandbox sends it, starts one execution; "All Events" takes them all', async () => {
		receiver = await receiverFor(env, { events: ['*'] });
		for (const { value } of CEKAT_EVENTS) await emit(env, { event: value });
		const deliveries = await waitForDeliveries(env, receiver, 23);
		expect(deliveries.map((d) => d.status)).toEqual(Array(23).fill(200));
		expect(receiver.executions.map((e) => e[0].event)).toEqual(CEKAT_EVENTS.map((e) => e.value));
		const by = (name: string) => receiver!.executions.find((e) => e[0].event === name)![0];
		const conv = env.sandbox.store.conversations.all()[0];

		// messages: data.sent_by_type and data.conversation
		expect(by('message.received')).toEqual(expect.objectContaining({ event_name: 'message.received', object: 'message', data: expect.objectContaining({ conversation: expect.objectContaining({ id: conv.id, inbox_id: conv.inbox_id }) }) }));
		expect((by('message.sent').data as IDataObject).sent_by_type).toEqual(expect.any(String));
		// conversations: data is the conversation; status events say what changed
		expect(by('conversation.created').data).toEqual(expect.objectContaining({ id: conv.id, inbox_id: conv.inbox_id }));
		expect(by('conversation.stage_status_updated')).toEqual(expect.objectContaining({ updated_field: 'stage_status', new_value: conv.stage_status }));
		expect(by('conversation.handled_by_updated')).toEqual(expect.objectContaining({ updated_field: 'handled_by' }));
		expect(by('conversation.pipeline_status_updated')).toEqual(expect.objectContaining({ updated_field: 'pipeline_status_id' }));
		expect(by('conversation.labels_updated')).toEqual(expect.objectContaining({ change_type: 'added', label: { id: expect.anything(), name: expect.any(String) } }));
		// event_type events: fields at the top level, no data
		const summary = by('ai_summary.generated');
		expect(summary).toEqual(expect.objectContaining({ event_type: 'ai_summary.generated', conversation_id: conv.id, ai_summary_text: expect.any(String) }));
		expect(summary.data).toBeUndefined();
		expect(summary.event_name).toBeUndefined();
		expect(by('conversation_note.updated')).toEqual(expect.objectContaining({ event_type: 'conversation_note.updated', note: expect.any(String), conversation_id: conv.id, inbox_id: conv.inbox_id }));
		// contacts, CRM, orders, Netzme, templates
		expect(by('contact.updated')).toEqual(expect.objectContaining({ changes: expect.objectContaining({ key: expect.any(String) }), data: expect.objectContaining({ display_name: expect.any(String) }) }));
		const item = env.sandbox.store.crmItems.all()[0];
		expect(by('crm_item.created')).toEqual(expect.objectContaining({ board_id: item.board_id, message: 'success', data: { id: item.id, name: item.item_name } }));
		expect(by('crm_item.deleted').data).toEqual({ item_id: item.id });
		expect(by('crm_value.upserted').data).toEqual(expect.objectContaining({ item_id: item.id, item_name: item.item_name }));
		expect(by('order.payment_status_updated')).toEqual(expect.objectContaining({ changed: { old_value: 'PENDING', new_value: 'PAID' }, new_value: 'PAID' }));
		expect(by('netzme.invoice_paid')).toEqual(expect.objectContaining({ payment_method: 'QRIS', amount: expect.any(Number), conversations: expect.any(Object) }));
		expect(by('template.status_updated').data).toEqual(expect.objectContaining({ wa_template_id: expect.any(String), template_status: expect.any(String), inbox_id: expect.any(String) }));
	});

	it('events the node does not know (message.failed, a future event) are answered 200 and start nothing, even with "All Events"', async () => {
		receiver = await receiverFor(env, { events: ['*'] });
		await emit(env, { event: 'message.failed' });
		await emit(env, { event: 'invoice.exploded', data: { id: 'x' } });
		const deliveries = await waitForDeliveries(env, receiver, 2);
		expect(deliveries.map((d) => [d.status, d.response])).toEqual([
			[200, { received: true, ignored: 'event "message.failed" is not an event this node knows' }],
			[200, { received: true, ignored: 'event "invoice.exploded" is not an event this node knows' }],
		]);
		expect(receiver.executions).toHaveLength(0);
	});

	it('with an inbox chosen: messages by data.conversation.inbox_id, conversations and templates by data.inbox_id, notes by the top-level inbox_id; orders are not filtered', async () => {
		const [inboxA, inboxB] = env.sandbox.store.inboxes.all();
		receiver = await receiverFor(env, { events: ['*'], inboxId: byId(inboxA.id) });
		const cases: Array<[string, string | null]> = [
			['message.received', inboxA.id],
			['message.received', inboxB.id],
			['conversation.created', inboxA.id],
			['conversation.stage_status_updated', inboxB.id],
			['conversation_note.created', inboxA.id],
			['conversation_note.updated', inboxB.id],
			['template.status_updated', inboxA.id],
			['template.status_updated', inboxB.id],
			['conversation.labels_updated', null],
			['order.created', inboxB.id],
			['ai_summary.generated', null],
		];
		const sent = [];
		for (const [event, inbox] of cases) sent.push(await emit(env, { event, inbox_id: inbox }));
		// where each inbox went
		expect(((sent[0].data as IDataObject).conversation as IDataObject).inbox_id).toBe(inboxA.id);
		expect((sent[2].data as IDataObject).inbox_id).toBe(inboxA.id);
		expect(sent[4].inbox_id).toBe(inboxA.id);
		expect((sent[6].data as IDataObject).inbox_id).toBe(inboxA.id);
		const deliveries = await waitForDeliveries(env, receiver, cases.length);
		expect(deliveries.map((d) => [d.event, (d.response as IDataObject).ignored ?? 'started'])).toEqual([
			['message.received', 'started'],
			['message.received', `event of inbox ${inboxB.id}, not of the chosen inbox`],
			['conversation.created', 'started'],
			['conversation.stage_status_updated', `event of inbox ${inboxB.id}, not of the chosen inbox`],
			['conversation_note.created', 'started'],
			['conversation_note.updated', `event of inbox ${inboxB.id}, not of the chosen inbox`],
			['template.status_updated', 'started'],
			['template.status_updated', `event of inbox ${inboxB.id}, not of the chosen inbox`],
			['conversation.labels_updated', 'event without an inbox id, and an inbox is chosen'],
			['order.created', 'started'],
			['ai_summary.generated', 'started'],
		]);
	});

	it('with a board chosen, only CRM events of that board (top-level board_id) start the workflow', async () => {
		const [sales, support] = env.sandbox.store.boards.all();
		receiver = await receiverFor(env, { events: ['crm_item.created', 'crm_item.updated', 'crm_value.upserted', 'crm_item.deleted', 'order.created'], boardId: byId(sales.id) });
		const onSales = await env.api.post(`/api/crm/boards/${sales.id}/items`, { item_name: 'Deal A', Stage: 'New Lead' });
		const onSupport = await env.api.post(`/api/crm/boards/${support.id}/items`, { item_name: 'Ticket B', Priority: 'High' });
		expect([onSales.status, onSupport.status]).toEqual([200, 200]);
		const salesId = String(onSales.data.data.item_id ?? onSales.data.data.id);
		expect((await env.api.put(`/api/crm/boards/${sales.id}/items/${salesId}`, { Notes: 'called' })).status).toBe(200);
		await emit(env, { event: 'crm_item.deleted', board_id: support.id, data: { item_id: 'gone' } });
		// the board does not filter other events
		await emit(env, { event: 'order.created' });
		const deliveries = await waitForDeliveries(env, receiver, 6);
		expect(deliveries.map((d) => [d.event, (d.response as IDataObject).ignored ?? 'started'])).toEqual([
			['crm_item.created', 'started'],
			['crm_item.created', `event of board ${support.id}, not of the chosen board`],
			['crm_item.updated', 'started'],
			['crm_value.upserted', 'started'],
			['crm_item.deleted', `event of board ${support.id}, not of the chosen board`],
			['order.created', 'started'],
		]);
		const [created, updated, value] = receiver.executions.map((e) => e[0]);
		expect(created).toEqual(expect.objectContaining({ board_id: sales.id, message: 'success', data: { id: salesId, name: 'Deal A' } }));
		expect(updated.data).toEqual({ id: salesId, name: 'Deal A' });
		expect(value.data).toEqual({ item_id: salesId, item_name: 'Deal A', Notes: 'called' });
	});

	describe('secret', () => {
		it('a request without the secret gets 401 and starts nothing, and nothing is recorded', async () => {
			receiver = await receiverFor(env, { events: ['*'], secret: SECRET });
			await emit(env, { event: 'order.created' });
			const [delivery] = await waitForDeliveries(env, receiver, 1);
			expect([delivery.status, delivery.response]).toEqual([401, { message: 'Invalid or missing secret' }]);
			expect(receiver.executions).toHaveLength(0);
			expect(receiver.staticDataJson).toBe('{}');
		});

		it('a wrong secret (query or header) gets 401', async () => {
			receiver = await receiverFor(env, { events: ['*'], secret: SECRET }, { urlSuffix: '?secret=wrong' });
			await emit(env, { event: 'order.created' });
			env.sandbox.webhooks.configure({ url: receiver.url, secret: `${SECRET}x` });
			await emit(env, { event: 'order.created' });
			const deliveries = await waitForDeliveries(env, receiver, 2);
			expect(deliveries.map((d) => d.status)).toEqual([401, 401]);
			expect(await post(receiver, envelope('order.created', 'e-3', { data: {} }), { query: `?secret=${SECRET.slice(0, -1)}` })).toEqual({ status: 401, body: { message: 'Invalid or missing secret' } });
			expect(receiver.executions).toHaveLength(0);
			expect(receiver.staticDataJson).toBe('{}');
		});

		it('the secret in the pasted URL (?secret=) or in the X-Cekat-Secret header is accepted', async () => {
			receiver = await receiverFor(env, { events: ['*'], secret: SECRET }, { urlSuffix: `?secret=${SECRET}` });
			await emit(env, { event: 'order.created', data: { id: 'o-1' } });
			env.sandbox.webhooks.configure({ url: receiver.url, secret: SECRET });
			await emit(env, { event: 'order.created', data: { id: 'o-2' } });
			const deliveries = await waitForDeliveries(env, receiver, 2);
			expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
			expect(receiver.executions.map((e) => (e[0].data as IDataObject).id)).toEqual(['o-1', 'o-2']);
			// the secret is not part of the output
			expect(JSON.stringify(receiver.executions)).not.toContain(SECRET);
		});

		it('the secret is checked before the body is read: a bad body without the secret is still 401', async () => {
			receiver = await new WebhookReceiver(env, { events: ['*'], secret: SECRET }).start();
			expect((await post(receiver, 'not json')).status).toBe(401);
			expect((await post(receiver, 'not json', { query: `?secret=${SECRET}` })).status).toBe(400);
		});
	});

	describe('once per event (the top-level id)', () => {
		it('the same event delivered twice (Cekat retrying) starts one execution', async () => {
			receiver = await receiverFor(env, { events: ['order.created'] });
			const payload = await emit(env, { event: 'order.created', repeat: 2 });
			const deliveries = await waitForDeliveries(env, receiver, 2);
			expect(deliveries.map((d) => [d.event_id, d.attempt, d.status, d.response])).toEqual([
				[payload.id, 1, 200, { received: true, id: payload.id }],
				[payload.id, 2, 200, { received: true, duplicate: true, id: payload.id }],
			]);
			expect(receiver.executions).toHaveLength(1);

			// a later redelivery of the same event: still one execution
			const again = await env.api.post(`/__sandbox/webhooks/redeliver/${payload.id}`);
			expect(again.status).toBe(200);
			const all = await waitForDeliveries(env, receiver, 3);
			expect(all[2]).toEqual(expect.objectContaining({ attempt: 3, status: 200, response: { received: true, duplicate: true, id: payload.id } }));
			expect(receiver.executions).toHaveLength(1);
		});

		it('distinct events with equal data start one execution each; event_type events are deduplicated by their id too', async () => {
			receiver = await receiverFor(env, { events: ['order.updated', 'conversation_note.created'] });
			await emit(env, { event: 'order.updated', data: { id: 'o-1' } });
			await emit(env, { event: 'order.updated', data: { id: 'o-1' } });
			await waitForDeliveries(env, receiver, 2);
			expect(receiver.executions).toHaveLength(2);
			const note = { id: 'ev-note-1', object: 'conversation_note', timestamp: 1781499600, event_type: 'conversation_note.created', contact_id: 'c-1', note: 'Follow up' };
			expect((await post(receiver, note)).body).toEqual({ received: true, id: 'ev-note-1' });
			expect((await post(receiver, note)).body).toEqual({ received: true, duplicate: true, id: 'ev-note-1' });
			expect(receiver.executions.at(-1)![0]).toEqual({ ...note, event: 'conversation_note.created' });
		});

		it('remembers the last 1,000 event ids', async () => {
			receiver = await new WebhookReceiver(env, { events: ['*'] }).start();
			for (let i = 0; i < 1005; i++) expect((await post(receiver, envelope('message.received', `e-${i}`, { data: {} }))).status).toBe(200);
			expect(receiver.executions).toHaveLength(1005);
			const seen = receiver.state.seenEventIds as string[];
			expect(seen).toHaveLength(1000);
			expect(seen[0]).toBe('e-5');
			expect(seen.at(-1)).toBe('e-1004');
			expect((await post(receiver, envelope('message.received', 'e-1004', { data: {} }))).body).toEqual({ received: true, duplicate: true, id: 'e-1004' });
		}, 120_000);
	});

	describe('payload shapes', () => {
		it('event_name first, then event_type, then the older keys event and type', async () => {
			receiver = await new WebhookReceiver(env, { events: ['message.received', 'ai_summary.generated'] }).start();
			await post(receiver, { id: 'ev-1', event_type: 'ai_summary.generated', conversation_id: 'cv-1', ai_summary_text: 'Asked about prices' });
			await post(receiver, { event: 'Message.Received', event_id: 'ev-2', data: { id: 'm-2' } });
			await post(receiver, { type: 'message.received', id: 'ev-3', data: { id: 'm-3' } });
			expect(receiver.executions.map((e) => e[0])).toEqual([
				{ id: 'ev-1', event_type: 'ai_summary.generated', conversation_id: 'cv-1', ai_summary_text: 'Asked about prices', event: 'ai_summary.generated' },
				{ event: 'message.received', event_id: 'ev-2', data: { id: 'm-2' } },
				{ type: 'message.received', event: 'message.received', id: 'ev-3', data: { id: 'm-3' } },
			]);
			expect((await post(receiver, { event: 'message.received', event_id: 'ev-2', data: { id: 'other' } })).body).toEqual({ received: true, duplicate: true, id: 'ev-2' });
		});

		it('without an event id, a body seen before (whatever its key order) is a duplicate; another body is not', async () => {
			receiver = await new WebhookReceiver(env, { events: ['order.updated'] }).start();
			const body = { event_name: 'order.updated', data: { id: 'o-1', payment_status: 'paid', updated_at: '2026-06-15T05:00:01.000Z' } };
			expect((await post(receiver, body)).body).toEqual({ received: true, id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
			const reordered = { data: { updated_at: '2026-06-15T05:00:01.000Z', payment_status: 'paid', id: 'o-1' }, event_name: 'order.updated' };
			expect((await post(receiver, reordered)).body).toEqual({ received: true, duplicate: true, id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
			expect((await post(receiver, { ...body, data: { ...body.data, updated_at: '2026-06-15T05:00:02.000Z' } })).status).toBe(200);
			expect(receiver.executions).toHaveLength(2);
			// the output is the body as sent (no id is made up)
			expect(receiver.executions[0][0]).toEqual({ ...body, event: 'order.updated' });
		});

		it('a body that is not a JSON object, or has no event name, is answered 400 and starts nothing', async () => {
			receiver = await new WebhookReceiver(env, { events: ['*'] }).start();
			expect(await post(receiver, 'not json')).toEqual({ status: 400, body: { received: false, message: 'The request body is not a JSON object' } });
			expect(await post(receiver, [{ event_name: 'order.created' }])).toEqual({ status: 400, body: { received: false, message: 'The request body is not a JSON object' } });
			expect(await post(receiver, { id: 'x', data: {} })).toEqual({
				status: 400,
				body: { received: false, message: 'The request has no event name (expected "event_name", "event_type", "event" or "type")' },
			});
			expect(receiver.executions).toHaveLength(0);
			expect(receiver.staticDataJson).toBe('{}');
		});
	});
});
