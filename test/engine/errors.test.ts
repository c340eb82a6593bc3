import type { IDataObject } from 'n8n-workflow';

import { API_KEY, apiData, byId, expectNoKeyLeak, UNKNOWN_ID, useEnv } from './env';

const ID = '11111111-1111-4111-8111-111111111111';

describe('Errors through the engine', () => {
	const env = useEnv();
	let orders: IDataObject[];
	beforeAll(async () => {
		orders = (await env.api.get('/api/orders', { params: { limit: 2 } })).data.data.orders;
	});

	it('401: a wrong API key gives Cekat’s message and a hint, once, without the key', async () => {
		const result = await env.run({ resource: 'inbox', operation: 'getAll', returnAll: false, limit: 1 }, { apiKey: 'wrong-key' });
		expect(result.error?.message).toBe('Cekat error 401: Not authenticated');
		expect(result.error?.description).toMatch(/API key and the Base URL/);
		expect(result.error?.httpCode).toBe('401');
		const requests = env.requests();
		expect(requests).toHaveLength(1);
		expect(requests[0].keyMatched).toBe(false);
		expectNoKeyLeak(result.run);
	});

	it('404: an unknown order id names the id, in Cekat’s message and in the hint', async () => {
		const result = await env.run({ resource: 'order', operation: 'get', orderId: byId(UNKNOWN_ID) });
		expect(result.error?.message).toMatch(new RegExp(`^Cekat error 404: .*${UNKNOWN_ID}`));
		expect(result.error?.description).toContain(`Not found: Order "${UNKNOWN_ID}"`);
		expect(result.error?.httpCode).toBe('404');
	});

	it('400: a value Cekat refuses shows the field Cekat named', async () => {
		const result = await env.run({ resource: 'order', operation: 'update', orderId: orders[0].id, updateFields: { customInvoiceUrl: 'not a url' } });
		expect(result.error?.message).toMatch(/^Cekat error 400: .*custom_invoice_url/);
		expect(result.error?.httpCode).toBe('400');
		expectNoKeyLeak(result.error);
	});

	it('400: an unknown CRM column is named in the error', async () => {
		const [board] = await apiData<IDataObject[]>(env, '/api/crm/boards');
		const [item] = await apiData<IDataObject[]>(env, `/api/crm/boards/${board.id as string}/items`);
		env.sandbox.clearJournal();
		const result = await env.run({ resource: 'crmItem', operation: 'update', boardId: board.id, itemId: item.item_id, valuesJson: '{"No Such Column": 1}' });
		expect(result.error?.message).toMatch(/^Cekat error 400: .*No Such Column/);
		// The board is read first (labels, column types); the write is sent once.
		expect(env.requests().map((r) => `${r.method} ${r.route}`)).toEqual(['GET /api/crm/boards/:id', 'PUT /api/crm/boards/:boardId/items/:itemId']);
	});

	it('a typed id that is not a Cekat ID is refused by the node, before any request', async () => {
		const result = await env.run({ resource: 'order', operation: 'get', orderId: byId('ORD-000123') });
		expect(result.error?.message).toMatch(/^Order: "ORD-000123" is not a Cekat ID \(a UUID, not a number or name\) \[item 0\]/);
		expect(env.requests()).toEqual([]);
	});

	it('a crafted id cannot reach another route: it is refused before any request', async () => {
		const result = await env.run({ resource: 'order', operation: 'get', orderId: byId('={{ "../crm/boards?x=1#" }}') });
		expect(result.error?.message).toBe('Order: "../crm/boards?x=1#" is not a Cekat ID (a UUID, not a number or name) [item 0]');
		expect(result.error?.description).toMatch(/UUID/);
		expect(env.requests()).toEqual([]);
	});

	it('an order number in place of an order id gets a hint', async () => {
		const result = await env.run({ resource: 'order', operation: 'get', orderId: byId('={{ "ORD-000123" }}') });
		expect(result.error?.message).toMatch(/^Order: "ORD-000123" is not a Cekat ID/);
		expect(result.error?.description).toMatch(/order number/);
	});

	describe('bad input is refused before any request, naming the field and the item', () => {
		const cases: Array<[string, IDataObject, RegExp]> = [
			['empty path id', { resource: 'order', operation: 'get', orderId: byId('={{ "  " }}') }, /^Order: is required \[item 0\]/],
			['bad phone', { resource: 'message', operation: 'sendWhatsApp', sendTo: 'phone', receiver: '12ab', messageType: 'text', message: 'x' }, /^Phone Number: "12ab" is not a phone number \[item 0\]/],
			['missing text', { resource: 'message', operation: 'sendWhatsApp', sendTo: 'conversation', conversationId: byId(ID), messageType: 'text', message: '' }, /^Message: is required/],
			['media without URL', { resource: 'message', operation: 'sendWhatsApp', sendTo: 'conversation', conversationId: byId(ID), messageType: 'image', fileUrl: '' }, /^File URL: is required/],
			['bad date', { resource: 'order', operation: 'getAll', returnAll: true, filters: { startDate: '21/11/2026' } }, /^Start Date: "21\/11\/2026" is not a date/],
			['dates reversed', { resource: 'order', operation: 'getAll', returnAll: true, filters: { startDate: '2026-02-01', endDate: '2026-01-01' } }, /^Start Date: 2026-02-01 is after the End Date/],
			['no products', { resource: 'order', operation: 'create', products: {}, paymentMethod: 'xendit', buyer: 'phone', phoneNumber: '6281234567890' }, /^Products: add at least one product/],
			['quantity 0', { resource: 'order', operation: 'create', products: { product: [{ productName: 'A', quantity: 0, price: 1 }] }, paymentMethod: 'xendit', buyer: 'phone', phoneNumber: '6281234567890' }, /^Products #1 Quantity: must be a whole number of at least 1/],
			['empty update', { resource: 'order', operation: 'update', orderId: byId(ID), updateFields: {} }, /^Update Fields: add at least one field/],
			['CRM item without name', { resource: 'crmItem', operation: 'create', boardId: byId(ID), itemName: '={{ "" }}' }, /^Item Name: is required/],
			['CRM values JSON not an object', { resource: 'crmItem', operation: 'create', boardId: byId(ID), itemName: 'x', valuesJson: '[1]' }, /^Column Values \(JSON\): must be an object/],
			['search without rules', { resource: 'crmItem', operation: 'search', boardId: byId(ID), rules: {}, returnAll: true }, /^Rules: add at least one rule/],
			['delete without ids', { resource: 'crmItem', operation: 'delete', boardId: byId(ID), itemIds: ' , ' }, /^Item IDs: is required/],
			['history without conversation', { resource: 'message', operation: 'getConversationHistory', historyConversationId: byId('={{ $json.missing }}'), returnAll: true }, /^Conversation: is required/],
			['limit 0', { resource: 'contact', operation: 'getAll', returnAll: false, limit: 0 }, /^Limit: must be a whole number of at least 1/],
		];
		it.each(cases)('%s', async (_name, parameters, message) => {
			const result = await env.run(parameters);
			expect(result.error?.message).toMatch(message);
			// The routing engine rethrows preSend errors as NodeApiError; the message is ours.
			expect(['NodeOperationError', 'NodeApiError']).toContain(result.error?.name);
			expect(env.requests()).toEqual([]);
		});
	});

	it('On Error: Continue gives one output per input, errors paired with their item, the good ones kept', async () => {
		const items = [{ id: orders[0].id }, { id: UNKNOWN_ID }, { id: '' }, { id: orders[1].id }];
		const result = await env.run(
			{ resource: 'order', operation: 'get', orderId: byId('={{ $json.id }}') },
			{ items, settings: { onError: 'continueRegularOutput' } },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(4);
		expect(result.items[0].json.id).toBe(orders[0].id);
		expect(result.items[3].json.id).toBe(orders[1].id);
		expect(String(result.items[1].json.error ?? result.items[1].error?.message)).toMatch(/404/);
		expect(String(result.items[2].json.error ?? result.items[2].error?.message)).toMatch(/Order: is required/);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		// The empty id was refused locally: three requests, not four.
		expect(env.requests().map((r) => r.path)).toEqual([`/api/orders/${orders[0].id as string}`, `/api/orders/${UNKNOWN_ID}`, `/api/orders/${orders[1].id as string}`]);
		expect(JSON.stringify(result.items)).not.toContain(API_KEY);
	});
});
