/**
 * Webhook mode: the sandbox sends real webhook deliveries (when its data changes through the API, or by hand)
 * to a local stand-in for n8n's webhook route, which runs the trigger's webhook() through n8n-core's
 * WebhookContext and the workflow through WorkflowExecute. One execution per accepted event.
 */
import type { IDataObject } from 'n8n-workflow';

import { byId, useTriggerEnv, waitForDeliveries, WebhookReceiver, type TriggerEnv } from './env';

const SECRET = 'wh-secret-7Gq2Lr9Xb4';

async function receiverFor(env: TriggerEnv, parameters: IDataObject, target: { secret?: string; urlSuffix?: string; events?: string[] } = {}) {
	const receiver = await new WebhookReceiver(env, parameters).start();
	env.sandbox.webhooks.configure({ url: `${receiver.url}${target.urlSuffix ?? ''}`, ...(target.secret ? { secret: target.secret } : {}), ...(target.events ? { events: target.events } : {}) });
	return receiver;
}

async function emit(env: TriggerEnv, body: IDataObject) {
	const res = await env.api.post('/__sandbox/webhooks/emit', body);
	expect(res.status).toBe(200);
	return res.data.payload as { id: string; event: string; data: IDataObject; inbox_id?: string };
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

describe('Cekat Trigger, Webhook mode', () => {
	const env = useTriggerEnv();
	let receiver: WebhookReceiver | undefined;
	afterEach(async () => {
		await env.sandbox.webhooks.settle();
		await receiver?.close();
		receiver = undefined;
		env.sandbox.webhooks.configure(undefined);
		env.sandbox.reset();
	});

	it('registers a POST webhook in Webhook mode and none in Polling mode (n8n skips an empty method)', async () => {
		receiver = await new WebhookReceiver(env, { events: ['*'] }).start();
		expect(receiver.registeredMethods()).toEqual(['POST']);
		const polling = new WebhookReceiver(env, { mode: 'polling', event: 'newOrder' });
		expect(polling.registeredMethods()).toEqual([]);
	});

	it('an order created through the API arrives as order.created and starts one execution with the event', async () => {
		receiver = await receiverFor(env, { events: ['order.created'] });
		const contact = env.sandbox.store.contacts.all()[0];
		const created = await env.api.post('/api/orders', {
			orders_products: [{ product_name: 'Kopi Gayo 250g', quantity: 2, price: 85000 }],
			payment_method: 'manual',
			contact_id: contact.id,
		});
		expect(created.status).toBe(200);
		const order = created.data.data as IDataObject;

		const [delivery] = await waitForDeliveries(env, receiver, 1);
		expect(delivery).toEqual(expect.objectContaining({ event: 'order.created', status: 200, attempt: 1, response: { received: true, id: delivery.event_id } }));
		expect(receiver.executions).toHaveLength(1);
		const [item] = receiver.executions[0];
		expect(item).toEqual({
			id: delivery.event_id,
			event: 'order.created',
			created_at: expect.any(String),
			inbox_id: order.inbox_id,
			data: order,
		});
		expect(receiver.calls[0].run?.status).toBe('success');
		expect(receiver.state.seenEventIds).toEqual([delivery.event_id]);
	});

	it('events not chosen are answered 200 and start nothing; the chosen one starts one execution', async () => {
		receiver = await receiverFor(env, { events: ['order.payment_status_updated'] });
		const order = env.sandbox.store.orders.all().find((o) => o.payment_status === 'pending' && o.order_status === 'pending')!;

		expect((await env.api.put(`/api/orders/${order.id}`, { order_status: 'processing' })).status).toBe(200);
		const first = await waitForDeliveries(env, receiver, 2);
		expect(first.map((d) => [d.event, d.status, d.response])).toEqual([
			['order.updated', 200, { received: true, ignored: 'event "order.updated" is not one of the chosen events' }],
			['order.order_status_updated', 200, { received: true, ignored: 'event "order.order_status_updated" is not one of the chosen events' }],
		]);
		expect(receiver.executions).toHaveLength(0);
		// ignored events are not recorded
		expect(receiver.state.seenEventIds).toBeUndefined();

		expect((await env.api.put(`/api/orders/${order.id}`, { payment_status: 'paid' })).status).toBe(200);
		const all = await waitForDeliveries(env, receiver, 4);
		expect(all.slice(2).map((d) => [d.event, d.status])).toEqual([
			['order.updated', 200],
			['order.payment_status_updated', 200],
		]);
		expect(receiver.executions).toHaveLength(1);
		const [item] = receiver.executions[0];
		expect(item.event).toBe('order.payment_status_updated');
		expect(item.data).toEqual(expect.objectContaining({ id: order.id, payment_status: 'paid', order_status: 'processing', previous_payment_status: 'pending' }));
	});

	it('"All Events" starts one execution per event, whatever its name', async () => {
		receiver = await receiverFor(env, { events: ['*'] });
		const board = env.sandbox.store.boards.all()[0];
		const res = await env.api.post(`/api/crm/boards/${board.id}/items`, { item_name: 'Toko Baru', Stage: 'New Lead' });
		expect(res.status).toBe(200);
		await emit(env, { event: 'contact.updated', data: { id: 'c-1', contact_name: 'Budi' } });
		await waitForDeliveries(env, receiver, 2);
		expect(receiver.executions.map((e) => e[0].event)).toEqual(['crm_item.created', 'contact.updated']);
	});

	it('with an inbox chosen, only events of that inbox start the workflow (top-level or nested inbox id)', async () => {
		const [inboxA, inboxB] = env.sandbox.store.inboxes.all();
		receiver = await receiverFor(env, { events: ['message.received', 'contact.updated', 'crm_item.created'], inboxId: byId(inboxA.id) });
		await emit(env, { event: 'message.received', inbox_id: inboxA.id, data: { id: 'm-1', message: 'Halo' } });
		await emit(env, { event: 'message.received', inbox_id: inboxB.id, data: { id: 'm-2', message: 'Halo' } });
		await emit(env, { event: 'message.received', data: { id: 'm-3', message: 'Halo', inbox: { id: inboxA.id, name: inboxA.name } } });
		await emit(env, { event: 'message.received', data: { id: 'm-4', message: 'Halo' } });
		await emit(env, { event: 'contact.updated', data: { id: 'c-1', inboxes: [{ id: inboxB.id }, { id: inboxA.id }] } });
		// CRM events are filtered by board, not by inbox
		await emit(env, { event: 'crm_item.created', data: { id: 'i-1', board_id: 'any-board' } });
		const deliveries = await waitForDeliveries(env, receiver, 6);
		const started = (i: number) => ({ received: true, id: deliveries[i].event_id });
		expect(deliveries.map((d) => d.response)).toEqual([
			started(0),
			{ received: true, ignored: `event of inbox ${inboxB.id}, not of the chosen inbox` },
			started(2),
			{ received: true, ignored: 'event without an inbox id, and an inbox is chosen' },
			started(4),
			started(5),
		]);
		expect(receiver.executions.map((e) => (e[0].data as IDataObject).id)).toEqual(['m-1', 'm-3', 'c-1', 'i-1']);
		// the nested inbox becomes the item's inbox_id
		expect(receiver.executions[1][0].inbox_id).toBe(inboxA.id);
	});

	it('with a board chosen, only CRM events of that board start the workflow', async () => {
		const [sales, support] = env.sandbox.store.boards.all();
		receiver = await receiverFor(env, { events: ['crm_item.created', 'crm_item.updated', 'crm_value.upserted', 'order.created'], boardId: byId(sales.id) });
		const onSales = await env.api.post(`/api/crm/boards/${sales.id}/items`, { item_name: 'Deal A', Stage: 'New Lead' });
		const onSupport = await env.api.post(`/api/crm/boards/${support.id}/items`, { item_name: 'Ticket B', Priority: 'High' });
		expect([onSales.status, onSupport.status]).toEqual([200, 200]);
		await env.api.put(`/api/crm/boards/${sales.id}/items/${onSales.data.data.id}`, { Notes: 'called' });
		// the board does not filter other events
		await emit(env, { event: 'order.created', data: { id: 'o-1' } });
		const deliveries = await waitForDeliveries(env, receiver, 5);
		expect(deliveries.map((d) => [d.event, (d.response as IDataObject).ignored ?? 'started'])).toEqual([
			['crm_item.created', 'started'],
			['crm_item.created', `event of board ${support.id}, not of the chosen board`],
			['crm_item.updated', 'started'],
			['crm_value.upserted', 'started'],
			['order.created', 'started'],
		]);
		expect(receiver.executions.map((e) => [e[0].event, (e[0].data as IDataObject).item_name ?? (e[0].data as IDataObject).column_name ?? (e[0].data as IDataObject).id])).toEqual([
			['crm_item.created', 'Deal A'],
			['crm_item.updated', 'Deal A'],
			['crm_value.upserted', 'Notes'],
			['order.created', 'o-1'],
		]);
	});

	describe('secret', () => {
		it('a request without the secret gets 401 and starts nothing, and nothing is recorded', async () => {
			receiver = await receiverFor(env, { events: ['*'], secret: SECRET });
			await emit(env, { event: 'order.created', data: { id: 'o-1' } });
			const [delivery] = await waitForDeliveries(env, receiver, 1);
			expect([delivery.status, delivery.response]).toEqual([401, { message: 'Invalid or missing secret' }]);
			expect(receiver.executions).toHaveLength(0);
			expect(receiver.staticDataJson).toBe('{}');
		});

		it('a wrong secret (query or header) gets 401', async () => {
			receiver = await receiverFor(env, { events: ['*'], secret: SECRET }, { urlSuffix: '?secret=wrong' });
			await emit(env, { event: 'order.created', data: { id: 'o-1' } });
			env.sandbox.webhooks.configure({ url: receiver.url, secret: `${SECRET}x` });
			await emit(env, { event: 'order.created', data: { id: 'o-2' } });
			const deliveries = await waitForDeliveries(env, receiver, 2);
			expect(deliveries.map((d) => d.status)).toEqual([401, 401]);
			expect(await post(receiver, { event: 'order.created', id: 'e-3', data: {} }, { query: `?secret=${SECRET.slice(0, -1)}` })).toEqual({ status: 401, body: { message: 'Invalid or missing secret' } });
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

	describe('once per event', () => {
		it('the same event delivered twice (Cekat retrying) starts one execution', async () => {
			receiver = await receiverFor(env, { events: ['order.created'] });
			const payload = await emit(env, { event: 'order.created', data: { id: 'o-1' }, repeat: 2 });
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

		it('distinct events with equal data start one execution each', async () => {
			receiver = await receiverFor(env, { events: ['order.updated'] });
			await emit(env, { event: 'order.updated', data: { id: 'o-1' } });
			await emit(env, { event: 'order.updated', data: { id: 'o-1' } });
			await waitForDeliveries(env, receiver, 2);
			expect(receiver.executions).toHaveLength(2);
		});

		it('remembers the last 1,000 event ids', async () => {
			receiver = await new WebhookReceiver(env, { events: ['*'] }).start();
			for (let i = 0; i < 1005; i++) expect((await post(receiver, { event: 'message.received', id: `e-${i}`, data: {} })).status).toBe(200);
			expect(receiver.executions).toHaveLength(1005);
			const seen = receiver.state.seenEventIds as string[];
			expect(seen).toHaveLength(1000);
			expect(seen[0]).toBe('e-5');
			expect(seen.at(-1)).toBe('e-1004');
			expect((await post(receiver, { event: 'message.received', id: 'e-1004', data: {} })).body).toEqual({ received: true, duplicate: true, id: 'e-1004' });
		}, 120_000);
	});

	describe('payload shapes', () => {
		it('reads the event name from event, event_type or type, and the id from event_id or id', async () => {
			receiver = await new WebhookReceiver(env, { events: ['message.received'] }).start();
			await post(receiver, { event_type: 'Message.Received', event_id: 'ev-1', data: { id: 'm-1' } });
			await post(receiver, { type: 'message.received', id: 'ev-2', data: { id: 'm-2' } });
			expect(receiver.executions.map((e) => e[0])).toEqual([
				{ event_type: 'Message.Received', event_id: 'ev-1', event: 'message.received', id: 'ev-1', data: { id: 'm-1' } },
				{ type: 'message.received', event: 'message.received', id: 'ev-2', data: { id: 'm-2' } },
			]);
			expect((await post(receiver, { event: 'message.received', event_id: 'ev-1', data: { id: 'other' } })).body).toEqual({ received: true, duplicate: true, id: 'ev-1' });
		});

		it('without an event id, a body seen before (whatever its key order) is a duplicate; another body is not', async () => {
			receiver = await new WebhookReceiver(env, { events: ['order.updated'] }).start();
			const body = { event: 'order.updated', data: { id: 'o-1', payment_status: 'paid', updated_at: '2026-06-15T05:00:01.000Z' } };
			expect((await post(receiver, body)).body).toEqual({ received: true, id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
			const reordered = { data: { updated_at: '2026-06-15T05:00:01.000Z', payment_status: 'paid', id: 'o-1' }, event: 'order.updated' };
			expect((await post(receiver, reordered)).body).toEqual({ received: true, duplicate: true, id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
			expect((await post(receiver, { ...body, data: { ...body.data, updated_at: '2026-06-15T05:00:02.000Z' } })).status).toBe(200);
			expect(receiver.executions).toHaveLength(2);
			expect(receiver.executions[0][0].id).toMatch(/^sha256:/);
		});

		it('a flat record keeps its own id; two updates of the same record are two events', async () => {
			receiver = await new WebhookReceiver(env, { events: ['order.updated'] }).start();
			await post(receiver, { event: 'order.updated', id: 'o-1', payment_status: 'pending' });
			await post(receiver, { event: 'order.updated', id: 'o-1', payment_status: 'paid' });
			expect(receiver.executions.map((e) => e[0])).toEqual([
				{ event: 'order.updated', id: 'o-1', payment_status: 'pending' },
				{ event: 'order.updated', id: 'o-1', payment_status: 'paid' },
			]);
		});

		it('a body that is not a JSON object, or has no event name, is answered 400 and starts nothing', async () => {
			receiver = await new WebhookReceiver(env, { events: ['*'] }).start();
			expect(await post(receiver, 'not json')).toEqual({ status: 400, body: { received: false, message: 'The request body is not a JSON object' } });
			expect(await post(receiver, [{ event: 'order.created' }])).toEqual({ status: 400, body: { received: false, message: 'The request body is not a JSON object' } });
			expect(await post(receiver, { id: 'x', data: {} })).toEqual({
				status: 400,
				body: { received: false, message: 'The request has no event name (expected "event", "event_type" or "type")' },
			});
			expect(receiver.executions).toHaveLength(0);
			expect(receiver.staticDataJson).toBe('{}');
		});
	});
});
