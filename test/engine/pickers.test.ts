import type { INodeListSearchResult } from 'n8n-workflow';

import { fromList, useEnv } from './env';

describe('Pickers (resource locators with search) through n8n-core', () => {
	const env = useEnv();
	const search = (method: string, parameters: object, filter?: string, token?: string, apiKey?: string) =>
		env.method<INodeListSearchResult>('listSearch', method, { ...parameters }, [filter, token], apiKey);

	it('Board: lists every board, and the search text filters by name', async () => {
		const boards = env.sandbox.store.boards.all();
		const all = await search('searchBoards', { resource: 'crmBoard', operation: 'get' });
		expect(all.results).toEqual(boards.map((b) => ({ name: b.name, value: b.id })));
		const filtered = await search('searchBoards', { resource: 'crmBoard', operation: 'get' }, 'support');
		expect(filtered.results.map((r) => r.name)).toEqual(['Customer Support']);
		expect(env.requests().every((r) => r.path === '/api/crm/boards' && r.auth === 'api_key')).toBe(true);
	});

	it('Column: the columns of the chosen board, with their type', async () => {
		const board = env.sandbox.store.boards.all()[0];
		const result = await search('searchColumns', { resource: 'crmColumn', operation: 'get', boardId: fromList(board.id) }, 'date');
		const dateColumns = board.crm_columns.filter((c) => c.name.toLowerCase().includes('date'));
		expect(result.results).toEqual(dateColumns.map((c) => ({ name: `${c.name} (${c.type})`, value: c.id })));
		expect(env.requests().map((r) => r.path)).toEqual([`/api/crm/boards/${board.id}`]);
	});

	it('Column without a board says so instead of listing anything', async () => {
		await expect(search('searchColumns', { resource: 'crmColumn', operation: 'get', boardId: fromList('') })).rejects.toThrow('Choose a board first');
	});

	it('Item: valued by item_id; the search text is sent to Cekat’s item search; without it, the whole board 100 at a time', async () => {
		const board = env.sandbox.store.boards.all()[0];
		const items = env.sandbox.store.crmItems.all().filter((i) => i.board_id === board.id);
		const word = items[0].item_name.split(' ')[0];
		const found = await search('searchItems', { resource: 'crmItem', operation: 'get', boardId: fromList(board.id) }, word);
		const [request] = env.requests();
		expect(request.method).toBe('POST');
		expect(request.body).toEqual({ condition: 'AND', search: [{ column_name: 'item_name', operator: 'contains', value: [word] }] });
		const matching = items.filter((i) => i.item_name.toLowerCase().includes(word.toLowerCase()));
		expect(found.results.map((r) => r.value).sort()).toEqual(matching.map((i) => i.id).sort());
		expect(found.results.find((r) => r.value === items[0].id)?.name).toBe(items[0].item_name);

		const first = await search('searchItems', { resource: 'crmItem', operation: 'get', boardId: fromList(board.id) });
		expect(first.results).toHaveLength(100);
		const second = await search('searchItems', { resource: 'crmItem', operation: 'get', boardId: fromList(board.id) }, undefined, first.paginationToken);
		expect([...first.results, ...second.results].map((r) => r.value)).toEqual(items.map((i) => i.id));
		expect(second.paginationToken).toBeUndefined();
		expect(first.results.some((r) => r.value === 'undefined' || r.name === 'undefined')).toBe(false);
	});

	it('Group: the chosen board’s groups (crm_groups), filtered by name', async () => {
		const board = env.sandbox.store.boards.all().find((b) => b.name === 'Sales Pipeline')!;
		const all = await search('searchGroups', { resource: 'crmItem', operation: 'create', boardId: fromList(board.id) });
		expect(all.results).toEqual(board.crm_groups.map((g) => ({ name: g.name, value: g.id })));
		expect(all.results.map((r) => r.name)).toEqual(['Prospek', 'Negosiasi', 'Menang', 'Kalah']);
		const filtered = await search('searchGroups', { resource: 'crmItem', operation: 'create', boardId: fromList(board.id) }, 'nego');
		expect(filtered.results.map((r) => r.name)).toEqual(['Negosiasi']);
		expect(env.requests().map((r) => r.path)).toEqual([`/api/crm/boards/${board.id}`, `/api/crm/boards/${board.id}`]);
		await expect(search('searchGroups', { resource: 'crmItem', operation: 'create', boardId: fromList('') })).rejects.toThrow('Choose a board first');
	});

	it('Inbox: pages of the inbox list, filtered by name or number', async () => {
		const inbox = env.sandbox.store.inboxes.all()[1];
		const result = await search('searchInboxes', { resource: 'message', operation: 'sendTemplate' }, inbox.name);
		expect(result.results.map((r) => r.value)).toContain(inbox.id);
		expect(env.requests()[0].query).toEqual({ page: '1', limit: '100' });
	});

	it('Campaign: every campaign can be picked', async () => {
		const result = await search('searchCampaigns', { resource: 'campaign', operation: 'getMessages' });
		expect(result.results.map((r) => r.value).sort()).toEqual(env.sandbox.store.campaigns.all().map((c) => c.id).sort());
		expect(result.paginationToken).toBeUndefined();
	});

	it('Order: shows number, buyer (display_name), payment status and total; the search text goes to Cekat’s order search; scrolling loads the next page', async () => {
		const order = env.sandbox.store.orders.all()[5];
		const wire = (await env.api.get(`/api/orders/${order.id}`)).data.data as { order_number: number; contact: { display_name: string }; payment_status: string; grand_total: number };
		expect(typeof wire.order_number).toBe('number');
		env.sandbox.clearJournal();
		const found = await search('searchOrders', { resource: 'order', operation: 'get' }, String(wire.order_number));
		expect(env.requests()[0].query).toEqual({ search: String(wire.order_number), page: '1', limit: '100' });
		expect(found.results.map((r) => r.value)).toContain(order.id);
		const shown = found.results.find((r) => r.value === order.id)!;
		expect(shown.name).toBe(`Order #${wire.order_number} · ${wire.contact.display_name} · ${wire.payment_status.toLowerCase()} · Rp ${wire.grand_total.toLocaleString('en-US')}`);
		expect(wire.contact.display_name).toBeTruthy();

		const first = await search('searchOrders', { resource: 'order', operation: 'get' });
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('2');
		const second = await search('searchOrders', { resource: 'order', operation: 'get' }, undefined, first.paginationToken);
		expect(second.results).toHaveLength(100);
		expect(second.results[0].value).not.toBe(first.results[0].value);
	});

	it('Conversation: follows Cekat’s cursor when scrolling, filters by contact name', async () => {
		const first = await search('searchConversations', { resource: 'conversation', operation: 'update' });
		expect(first.results).toHaveLength(100);
		const second = await search('searchConversations', { resource: 'conversation', operation: 'update' }, undefined, first.paginationToken);
		expect(Object.keys(env.requests()[1].query).sort()).toEqual(['cursor_id', 'cursor_ts', 'limit']);
		const ids = new Set([...first.results, ...second.results].map((r) => r.value));
		expect(ids.size).toBe(200);

		// The oldest conversation is on the last page: pages without a match are skipped.
		const all = [...env.sandbox.store.conversations.all()].sort((a, b) => a.created_at.localeCompare(b.created_at));
		const oldest = all[0];
		env.sandbox.clearJournal();
		const named = await search('searchConversations', { resource: 'conversation', operation: 'update' }, oldest.contact_phone);
		expect(named.results.map((r) => r.value)).toContain(oldest.id);
		expect(env.requests().length).toBeGreaterThanOrEqual(3);
	});

	it('Template: the approved templates of the chosen inbox, valued by Meta’s template id', async () => {
		const inbox = env.sandbox.store.inboxes.all().find((i) => env.sandbox.store.templates.all().some((t) => t.inbox_id === i.id && t.status === 'APPROVED'))!;
		const result = await search('searchTemplates', { resource: 'message', operation: 'sendTemplate', inboxId: fromList(inbox.id) });
		const expected = env.sandbox.store.templates.all().filter((t) => t.inbox_id === inbox.id && t.status === 'APPROVED');
		expect(result.results.map((r) => r.value)).toEqual(expected.map((t) => t.wa_template_id));
		expect(env.requests()[0].path).toBe('/templates');
		expect(env.requests()[0].query).toEqual({ inbox_id: inbox.id });
	});

	it('a failing list call shows Cekat’s error and invents no options', async () => {
		await expect(search('searchBoards', { resource: 'crmBoard', operation: 'get' }, undefined, undefined, 'wrong-key')).rejects.toThrow('Cekat error 401: Not authenticated');
		env.sandbox.addFault({ path: '/api/inboxes', kind: 'status', status: 503, body: { message: 'maintenance' } });
		await expect(search('searchInboxes', { resource: 'message', operation: 'sendTemplate' })).rejects.toThrow('Cekat error 503: maintenance');
	});
});
