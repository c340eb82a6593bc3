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

	it('CRM Item → Get Many returns every item of the board, Limit cuts the list', async () => {
		const all = await apiData<IDataObject[]>(env, `/api/crm/boards/${board.id}/items`);
		env.sandbox.clearJournal();
		const result = await env.run({ resource: 'crmItem', operation: 'getAll', boardId: board.id, returnAll: true });
		onlyRequest(env, 'GET', `/api/crm/boards/${board.id}/items`);
		expect(result.json.map((i) => i.id)).toEqual(all.map((i) => i.id));
		expect(all.length).toBeGreaterThan(100);

		const limited = await env.run({ resource: 'crmItem', operation: 'getAll', boardId: board.id, returnAll: false, limit: 7 });
		expect(limited.json.map((i) => i.id)).toEqual(all.slice(0, 7).map((i) => i.id));
	});

	it('CRM Item → Create sends mapped values keyed by column name; the item can be read back', async () => {
		const schema = (await env.method<{ fields: IDataObject[] }>('resourceMapping', 'getColumns', { resource: 'crmItem', operation: 'create', boardId: board.id })).fields;
		const text = column('text');
		const number = column('number');
		const select = column('select');
		const label = (select.settings.labels as Array<{ id: string; name: string }>).find((l) => l.id !== 'default')!;
		const required = board.crm_columns.filter((c) => c.is_required && ![text.name, number.name, select.name].includes(c.name));
		const requiredValues = Object.fromEntries(
			required.map((c) => [c.name, c.type === 'select' ? (c.settings.labels as Array<{ id: string; name: string }>)[1].name : 'x']),
		);
		env.sandbox.clearJournal();
		const result = await env.run({
			resource: 'crmItem',
			operation: 'create',
			boardId: board.id,
			itemName: 'Budi Santoso',
			columns: {
				mappingMode: 'defineBelow',
				value: { [text.name]: 'Lead from n8n', [number.name]: '={{ 2500000 }}', [select.name]: label.name, ...requiredValues },
				matchingColumns: [],
				schema,
			},
			additionalFields: { groupId: board.crm_groups[0].id },
		});
		expect(result.error).toBeUndefined();
		const request = onlyRequest(env, 'POST', `/api/crm/boards/${board.id}/items`);
		expect(request.body).toEqual({
			item_name: 'Budi Santoso',
			group_id: board.crm_groups[0].id,
			[text.name]: 'Lead from n8n',
			[number.name]: 2500000,
			[select.name]: label.name,
			...requiredValues,
		});
		const created = result.json[0];
		expect(created).toEqual(expect.objectContaining({ item_name: 'Budi Santoso', group_id: board.crm_groups[0].id }));
		const stored = await apiData<IDataObject>(env, `/api/crm/boards/${board.id}/items/${created.id as string}`);
		expect((stored.values as IDataObject)[text.name]).toBe('Lead from n8n');
		expect(Number((stored.values as IDataObject)[number.name])).toBe(2500000);
	});

	it('CRM Item → Get, Update and Delete work on a real item', async () => {
		const [item] = await apiData<IDataObject[]>(env, `/api/crm/boards/${board.id}/items`);
		const text = column('text');
		env.sandbox.clearJournal();

		const got = await env.run({ resource: 'crmItem', operation: 'get', boardId: board.id, itemId: item.id });
		onlyRequest(env, 'GET', `/api/crm/boards/${board.id}/items/${item.id as string}`);
		expect(got.json).toEqual([expect.objectContaining({ id: item.id, item_name: item.item_name })]);

		env.sandbox.clearJournal();
		const updated = await env.run({
			resource: 'crmItem',
			operation: 'update',
			boardId: board.id,
			itemId: item.id,
			updateFields: { itemName: 'Renamed by n8n' },
			columns: { mappingMode: 'defineBelow', value: { [text.name]: 'updated text' }, matchingColumns: [], schema: [{ id: text.name, displayName: text.name, type: 'string', required: false, defaultMatch: false, display: true }] },
		});
		const put = onlyRequest(env, 'PUT', `/api/crm/boards/${board.id}/items/${item.id as string}`);
		expect(put.body).toEqual({ item_name: 'Renamed by n8n', [text.name]: 'updated text' });
		expect(updated.json[0]).toEqual(expect.objectContaining({ id: item.id, item_name: 'Renamed by n8n' }));

		env.sandbox.clearJournal();
		const deleted = await env.run({ resource: 'crmItem', operation: 'delete', boardId: board.id, itemIds: `${item.id as string}` });
		const del = onlyRequest(env, 'DELETE', `/api/crm/boards/${board.id}/items`);
		expect(del.body).toEqual({ item_ids: [item.id] });
		expect(deleted.json).toHaveLength(1);
		const after = await env.api.get(`/api/crm/boards/${board.id}/items/${item.id as string}`);
		expect(after.status).toBe(404);
	});

	it('CRM Item → Delete takes several ids (comma list or expression list)', async () => {
		const items = await apiData<IDataObject[]>(env, `/api/crm/boards/${board.id}/items`);
		const ids = items.slice(0, 3).map((i) => i.id as string);
		env.sandbox.clearJournal();
		await env.run({ resource: 'crmItem', operation: 'delete', boardId: board.id, itemIds: '={{ $json.ids }}' }, { items: [{ ids }] });
		expect(onlyRequest(env, 'DELETE', `/api/crm/boards/${board.id}/items`).body).toEqual({ item_ids: ids });
		const left = await apiData<IDataObject[]>(env, `/api/crm/boards/${board.id}/items`);
		expect(left.length).toBe(items.length - 3);
	});

	it('CRM Item → Search sends condition and rules and returns the matches', async () => {
		const items = await apiData<IDataObject[]>(env, `/api/crm/boards/${board.id}/items`);
		const select = column('select');
		const target = items.find((i) => (i.values as IDataObject)[select.name])!;
		const wanted = (target.values as IDataObject)[select.name] as string;
		const expected = items.filter((i) => (i.values as IDataObject)[select.name] === wanted).map((i) => i.id);
		env.sandbox.clearJournal();

		const result = await env.run({
			resource: 'crmItem',
			operation: 'search',
			boardId: board.id,
			condition: 'AND',
			rules: { rule: [{ column: select.name, operator: 'equals', value: wanted }] },
			returnAll: true,
		});
		const request = onlyRequest(env, 'POST', `/api/crm/boards/${board.id}/items/search`);
		expect(request.body).toEqual({ condition: 'AND', search: [{ column_name: select.name, operator: 'equals', value: [wanted] }] });
		expect(result.json.map((i) => i.id).sort()).toEqual([...expected].sort());
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(items.length);
	});

});
