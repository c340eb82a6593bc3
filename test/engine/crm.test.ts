import type { IDataObject } from 'n8n-workflow';

import { apiData, onlyRequest, useEnv } from './env';

interface Column { id: string; name: string; type: string; is_required: boolean; read_only: boolean; settings: IDataObject }
interface Board { id: string; name: string; crm_columns: Column[]; crm_groups: Array<{ id: string; name: string }> }

describe('CRM boards, columns and items through the engine', () => {
	const env = useEnv();
	let boards: Array<{ id: string; name: string }>;
	let board: Board;
	const column = (type: string) => board.crm_columns.find((c) => c.type === type && !c.read_only)!;

	beforeAll(async () => {
		boards = await apiData(env, '/api/crm/boards');
		board = await apiData<Board>(env, `/api/crm/boards/${boards[0].id}`);
	});
	afterEach(() => env.sandbox.reset());

	it('CRM Board → Get Many returns one item per board', async () => {
		const result = await env.run({ resource: 'crmBoard', operation: 'getAll', returnAll: true });
		onlyRequest(env, 'GET', '/api/crm/boards');
		expect(result.error).toBeUndefined();
		expect(result.json.map((b) => b.id)).toEqual(boards.map((b) => b.id));
	});

	it('CRM Board → Get Many honours Limit', async () => {
		const result = await env.run({ resource: 'crmBoard', operation: 'getAll', returnAll: false, limit: 1 });
		expect(result.json.map((b) => b.id)).toEqual([boards[0].id]);
	});

	it('CRM Board → Get returns the board with its columns and groups', async () => {
		const result = await env.run({ resource: 'crmBoard', operation: 'get', boardId: board.id });
		onlyRequest(env, 'GET', `/api/crm/boards/${board.id}`);
		expect(result.json).toHaveLength(1);
		expect(result.json[0].id).toBe(board.id);
		expect((result.json[0].crm_columns as Column[]).map((c) => c.name)).toEqual(board.crm_columns.map((c) => c.name));
		expect(result.json[0].crm_groups).toEqual(board.crm_groups);
	});

	it('CRM Column → Get and Get by Name return the column', async () => {
		const target = board.crm_columns[1];
		const byId = await env.run({ resource: 'crmColumn', operation: 'get', boardId: board.id, columnId: target.id });
		onlyRequest(env, 'GET', `/api/crm/boards/${board.id}/columns/${target.id}`);
		expect(byId.json).toEqual([expect.objectContaining({ id: target.id, name: target.name })]);

		env.sandbox.clearJournal();
		const byName = await env.run({ resource: 'crmColumn', operation: 'getByName', boardId: board.id, columnName: target.name });
		const request = onlyRequest(env, 'POST', `/api/crm/boards/${board.id}/columns/by-name`);
		expect(request.body).toEqual({ name: target.name });
		expect(byName.json).toEqual([expect.objectContaining({ id: target.id, type: target.type })]);
	});

	const itemIdOf = (row: IDataObject) => row.item_id as string;
	const labelsOf = (c: Column) => (c.settings.labels as Array<{ id: string; name: string }>).filter((l) => l.id !== 'default');

	it('CRM Item → Get Many returns every item of the board with `id` = item_id, Limit cuts the list', async () => {
		const all = await apiData<IDataObject[]>(env, `/api/crm/boards/${board.id}/items`);
		expect(all[0].id).toBeUndefined();
		env.sandbox.clearJournal();
		const result = await env.run({ resource: 'crmItem', operation: 'getAll', boardId: board.id, returnAll: true });
		onlyRequest(env, 'GET', `/api/crm/boards/${board.id}/items`);
		expect(result.json.map((i) => i.id)).toEqual(all.map(itemIdOf));
		expect(result.json[0]).toEqual({ id: all[0].item_id, ...all[0] });
		expect(all.length).toBeGreaterThan(100);

		const limited = await env.run({ resource: 'crmItem', operation: 'getAll', boardId: board.id, returnAll: false, limit: 7 });
		expect(limited.json.map((i) => i.id)).toEqual(all.slice(0, 7).map(itemIdOf));
	});

	it('CRM Item → Create sends label ids and the picked group; the output carries id = item_id', async () => {
		const schema = (await env.method<{ fields: IDataObject[] }>('resourceMapping', 'getColumns', { resource: 'crmItem', operation: 'create', boardId: board.id })).fields;
		const text = column('text');
		const number = column('number');
		const select = column('select');
		const label = labelsOf(select)[2];
		const group = board.crm_groups[1];
		env.sandbox.clearJournal();
		const result = await env.run({
			resource: 'crmItem',
			operation: 'create',
			boardId: board.id,
			itemName: 'Budi Santoso',
			columns: {
				mappingMode: 'defineBelow',
				value: { [text.name]: 'Lead from n8n', [number.name]: '={{ 2500000 }}', [select.name]: `={{ ${JSON.stringify(label.name)} }}` },
				matchingColumns: [],
				schema,
			},
			additionalFields: { group: { __rl: true, mode: 'list', value: group.id, cachedResultName: group.name } },
		});
		expect(result.error).toBeUndefined();
		const requests = env.requests();
		expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/crm/boards/${board.id}`, `POST /api/crm/boards/${board.id}/items`]);
		expect(requests[1].body).toEqual({
			item_name: 'Budi Santoso',
			group_id: group.id,
			[text.name]: 'Lead from n8n',
			[number.name]: 2500000,
			[select.name]: label.id,
		});
		const created = result.json[0];
		expect(created.id).toBe(created.item_id);
		expect(created).toEqual(expect.objectContaining({ item_name: 'Budi Santoso', group_id: group.id, group_name: group.name, [select.name]: label.id }));
		const stored = await apiData<IDataObject>(env, `/api/crm/boards/${board.id}/items/${created.id as string}`);
		expect(stored[text.name]).toBe('Lead from n8n');
		expect(stored[select.name]).toBe(label.id);
	});

	it('CRM Item → Get, Update and Delete take the item_id (picker or an earlier node’s id)', async () => {
		const [item] = await apiData<IDataObject[]>(env, `/api/crm/boards/${board.id}/items`);
		const id = itemIdOf(item);
		const text = column('text');
		const select = column('select');
		const target = labelsOf(select)[1];
		const group = board.crm_groups.find((g) => g.id !== item.group_id)!;
		env.sandbox.clearJournal();

		const got = await env.run({ resource: 'crmItem', operation: 'get', boardId: board.id, itemId: { __rl: true, mode: 'list', value: id } });
		onlyRequest(env, 'GET', `/api/crm/boards/${board.id}/items/${id}`);
		expect(got.json).toEqual([{ id, ...item }]);

		env.sandbox.clearJournal();
		const updated = await env.run({
			resource: 'crmItem',
			operation: 'update',
			boardId: board.id,
			itemId: '={{ $json.id }}',
			updateFields: { itemName: 'Renamed by n8n', group: { __rl: true, mode: 'id', value: group.id } },
			columns: { mappingMode: 'defineBelow', value: { [text.name]: 'updated text' }, matchingColumns: [], schema: [{ id: text.name, displayName: text.name, type: 'string', required: false, defaultMatch: false, display: true }] },
			valuesJson: `={{ JSON.stringify({ ${JSON.stringify(select.name)}: ${JSON.stringify(target.name.toUpperCase())} }) }}`,
		}, { items: [got.json[0]] });
		expect(updated.error).toBeUndefined();
		const requests = env.requests();
		expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/crm/boards/${board.id}`, `PUT /api/crm/boards/${board.id}/items/${id}`]);
		expect(requests[1].body).toEqual({ item_name: 'Renamed by n8n', group_id: group.id, [text.name]: 'updated text', [select.name]: target.id });
		expect(updated.json[0]).toEqual(expect.objectContaining({ id, item_id: id, item_name: 'Renamed by n8n', group_id: group.id, [select.name]: target.id }));

		env.sandbox.clearJournal();
		const deleted = await env.run({ resource: 'crmItem', operation: 'delete', boardId: board.id, itemIds: id });
		const del = onlyRequest(env, 'DELETE', `/api/crm/boards/${board.id}/items`);
		expect(del.body).toEqual({ item_ids: [id] });
		expect(deleted.json).toHaveLength(1);
		const after = await env.api.get(`/api/crm/boards/${board.id}/items/${id}`);
		expect(after.status).toBe(404);
	});

	it('CRM Item → Delete takes several ids (comma list or expression list)', async () => {
		const items = await apiData<IDataObject[]>(env, `/api/crm/boards/${board.id}/items`);
		const ids = items.slice(0, 3).map(itemIdOf);
		env.sandbox.clearJournal();
		await env.run({ resource: 'crmItem', operation: 'delete', boardId: board.id, itemIds: '={{ $json.ids }}' }, { items: [{ ids }] });
		expect(onlyRequest(env, 'DELETE', `/api/crm/boards/${board.id}/items`).body).toEqual({ item_ids: ids });
		const left = await apiData<IDataObject[]>(env, `/api/crm/boards/${board.id}/items`);
		expect(left.length).toBe(items.length - 3);
	});

	it('CRM Item → Search on a select column sends the label id for a typed name and returns the matches with id', async () => {
		const items = await apiData<IDataObject[]>(env, `/api/crm/boards/${board.id}/items`);
		const select = column('select');
		const wanted = items.find((i) => i[select.name])![select.name] as string;
		const label = labelsOf(select).find((l) => l.id === wanted)!;
		const expected = items.filter((i) => i[select.name] === wanted).map(itemIdOf);
		env.sandbox.clearJournal();

		const result = await env.run({
			resource: 'crmItem',
			operation: 'search',
			boardId: board.id,
			condition: 'AND',
			rules: { rule: [{ column: select.name, operator: 'equals', value: label.name.toLowerCase() }] },
			returnAll: true,
		});
		expect(result.error).toBeUndefined();
		const requests = env.requests();
		expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/crm/boards/${board.id}`, `POST /api/crm/boards/${board.id}/items/search`]);
		expect(requests[1].body).toEqual({ condition: 'AND', search: [{ column_name: select.name, operator: 'equals', value: [wanted] }] });
		expect(result.json.map((i) => i.id).sort()).toEqual([...expected].sort());
		expect(result.json.every((i) => i.id === i.item_id)).toBe(true);
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(items.length);
	});

	it('CRM Item → Search on a dropdown column: labels picked from the rule’s list, ids sent as a list', async () => {
		const sales = env.sandbox.store.boards.all().find((b) => b.name === 'Sales Pipeline')!;
		const labels = await env.method<Array<{ name: string; value: string }>>('loadOptions', 'getColumnLabels', {
			resource: 'crmItem',
			operation: 'search',
			boardId: sales.id,
			condition: 'OR',
			rules: { rule: [{ column: 'Notes', operator: 'contains' }, { column: 'Tags', operator: 'equals' }] },
			// The editor loads a rule's options with the rule's path; `&column` reads that rule's column.
		}, [], undefined, 'parameters.rules.rule[1].labels');
		expect(labels).toEqual([
			{ name: 'VIP', value: '0' },
			{ name: 'Reseller', value: '1' },
			{ name: 'Repeat Buyer', value: '2' },
			{ name: 'Wholesale', value: '3' },
		]);
		const none = await env.method<unknown[]>('loadOptions', 'getColumnLabels', { resource: 'crmItem', operation: 'search', boardId: sales.id, rules: { rule: [{ column: 'Notes', operator: 'contains' }, { column: 'Tags' }] } }, [], undefined, 'parameters.rules.rule[0].labels');
		expect(none).toEqual([]);

		env.sandbox.clearJournal();
		const result = await env.run({
			resource: 'crmItem',
			operation: 'search',
			boardId: sales.id,
			condition: 'OR',
			rules: { rule: [{ column: 'Tags', operator: 'contains', labels: ['0', '3'], value: '' }, { column: 'Stage', operator: 'equals', value: '={{ ["Won", "4"] }}' }] },
			returnAll: true,
		});
		expect(result.error).toBeUndefined();
		expect(env.requests()[1].body).toEqual({
			condition: 'OR',
			search: [
				{ column_name: 'Tags', operator: 'contains', value: ['0', '3'] },
				{ column_name: 'Stage', operator: 'equals', value: ['3', '4'] },
			],
		});
		const stored = env.sandbox.store.crmItems.all().filter((i) => i.board_id === sales.id);
		const expected = stored.filter((i) => {
			const tags = (i.values.Tags ?? []) as string[];
			return tags.includes('0') || tags.includes('3') || ['3', '4'].includes(i.values.Stage as string);
		});
		expect(result.json.map((i) => i.id).sort()).toEqual(expected.map((i) => i.id).sort());
		expect(expected.length).toBeGreaterThan(0);
	});

	it('CRM Item → Search with an unknown label is refused before searching, listing the labels', async () => {
		const sales = env.sandbox.store.boards.all().find((b) => b.name === 'Sales Pipeline')!;
		const result = await env.run({
			resource: 'crmItem',
			operation: 'search',
			boardId: sales.id,
			condition: 'AND',
			rules: { rule: [{ column: 'Customer Phone', operator: 'contains', value: '62' }, { column: 'Stage', operator: 'equals', value: 'Closed' }] },
			returnAll: true,
		});
		expect(result.error?.message).toBe('Rules #2 Value: "Closed" is not a label of "Stage" (New Lead, Contacted, Proposal Sent, Won, Lost) [item 0]');
		expect(env.requests().map((r) => r.method)).toEqual(['GET']);
	});

	it('CRM Item → Search on text columns sends the text as given', async () => {
		const sales = env.sandbox.store.boards.all().find((b) => b.name === 'Sales Pipeline')!;
		const phone = env.sandbox.store.crmItems.all().find((i) => i.board_id === sales.id && i.values['Customer Phone'])!.values['Customer Phone'] as string;
		const result = await env.run({
			resource: 'crmItem',
			operation: 'search',
			boardId: sales.id,
			condition: 'AND',
			// Labels left from another column do not apply to a text column: its Value is sent.
			rules: { rule: [{ column: 'Customer Phone', operator: 'equals', value: phone, labels: ['0'] }, { column: 'item_name', operator: 'is_not_empty' }] },
			returnAll: true,
		});
		expect(result.error).toBeUndefined();
		expect(env.requests()[1].body).toEqual({
			condition: 'AND',
			search: [
				{ column_name: 'Customer Phone', operator: 'equals', value: [phone] },
				{ column_name: 'item_name', operator: 'is_not_empty', value: [] },
			],
		});
		expect(result.json.length).toBeGreaterThan(0);
		expect(result.json.every((i) => i['Customer Phone'] === phone)).toBe(true);
	});
});
