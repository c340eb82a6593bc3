/** CRM: boards and columns, item create → get → update → search → delete, value validation, search semantics. */
import { startTestSandbox, type TestEnv } from './helpers';
import type { CrmBoard, CrmItem } from '../../sandbox';

let env: TestEnv;
let sales: CrmBoard;
let support: CrmBoard;
beforeAll(async () => {
	env = await startTestSandbox();
	sales = env.sb.store.boards.all().find((b) => b.name === 'Sales Pipeline')!;
	support = env.sb.store.boards.all().find((b) => b.name === 'Customer Support')!;
});
afterAll(() => env.sb.close());
afterEach(() => env.sb.reset());

const itemsUrl = (b: CrmBoard) => `/api/crm/boards/${b.id}/items`;
const label = (b: CrmBoard, col: string, name: string) => b.crm_columns.find((c) => c.name === col)!.settings.labels!.find((l) => l.name === name)!;

describe('boards and columns', () => {
	it('lists boards with item counts; detail has columns and groups', async () => {
		const res = await env.api.get('/api/crm/boards');
		expect(res.data.message).toBe('success');
		expect(res.data.data.map((b: { name: string }) => b.name)).toEqual(['Sales Pipeline', 'Customer Support']);
		expect(res.data.data[0]).toEqual({ id: sales.id, name: 'Sales Pipeline', description: expect.any(String), created_at: expect.any(String), items_count: 150 });
		const detail = await env.api.get(`/api/crm/boards/${sales.id}`);
		const names = detail.data.data.crm_columns.map((c: { name: string }) => c.name);
		expect(names).toEqual(expect.arrayContaining(['Deal Value', 'Stage', 'Close Date', 'Owner', 'Notes']));
		expect(detail.data.data.crm_columns.some((c: { is_required: boolean }) => c.is_required)).toBe(true);
		expect(detail.data.data.crm_columns.some((c: { read_only: boolean }) => c.read_only)).toBe(true);
		expect(detail.data.data.crm_groups.length).toBeGreaterThan(1);
	});

	it('column by id and by exact, case-sensitive name', async () => {
		const col = sales.crm_columns.find((c) => c.name === 'Close Date')!;
		const byId = await env.api.get(`/api/crm/boards/${sales.id}/columns/${col.id}`);
		expect(byId.data).toEqual({ message: 'success', data: col });
		const byName = await env.api.post(`/api/crm/boards/${sales.id}/columns/by-name`, { name: 'Close Date' });
		expect(byName.data.data.id).toBe(col.id);
		expect((await env.api.post(`/api/crm/boards/${sales.id}/columns/by-name`, { name: 'close date' })).status).toBe(404);
		const noName = await env.api.post(`/api/crm/boards/${sales.id}/columns/by-name`, {});
		expect(noName.status).toBe(400);
		expect(noName.data.message).toContain('name');
		expect((await env.api.get(`/api/crm/boards/${sales.id}/columns/nope`)).status).toBe(404);
		expect((await env.api.get(`/api/crm/boards/${support.id}/columns/${col.id}`)).status).toBe(404);
	});
});

describe('item round trip', () => {
	it('create → get → update → search → delete', async () => {
		const s = env.sb.store;
		const [a1, a2] = s.agents.all();
		const group = sales.crm_groups[1];
		const created = await env.api.post(itemsUrl(sales), {
			item_name: 'Toko Batik Lestari - grosir',
			group_id: group.id,
			Stage: 'Proposal Sent',
			'Deal Value': '7500000',
			'Close Date': '2026-07-01',
			Owner: [a1.id],
			Notes: 'Minta diskon reseller',
		});
		expect(created.status).toBe(200);
		const item = created.data.data as CrmItem;
		expect(item).toMatchObject({ board_id: sales.id, item_name: 'Toko Batik Lestari - grosir', group_id: group.id, group: { id: group.id, name: group.name } });
		expect(item.values).toMatchObject({ Stage: 'Proposal Sent', 'Deal Value': 7500000, 'Close Date': '2026-07-01', Owner: [a1.id], Notes: 'Minta diskon reseller', 'Lead Source': null, 'Lead Score': null });
		expect(Object.keys(item.values).sort()).toEqual(sales.crm_columns.map((c) => c.name).sort());

		const got = await env.api.get(`${itemsUrl(sales)}/${item.id}`);
		expect(got.data).toEqual({ message: 'success', data: item });
		expect((await env.api.get('/api/crm/boards')).data.data[0].items_count).toBe(151);

		env.clock.now += 1000;
		const updated = await env.api.put(`${itemsUrl(sales)}/${item.id}`, { Stage: label(sales, 'Stage', 'Won').id, Notes: null, Owner: [a1.id, a2.id], 'Deal Value': 8000000 });
		expect(updated.status).toBe(200);
		expect(updated.data.data.values).toMatchObject({ Stage: 'Won', Notes: null, Owner: [a1.id, a2.id], 'Deal Value': 8000000, 'Close Date': '2026-07-01' });
		expect(updated.data.data.updated_at).toBe(new Date(env.clock.now).toISOString());
		expect(updated.data.data.item_name).toBe('Toko Batik Lestari - grosir');

		const found = await env.api.post(`${itemsUrl(sales)}/search`, { condition: 'AND', search: [{ column_name: 'item_name', operator: 'contains', value: ['batik lestari'] }, { column_name: 'Deal Value', operator: 'equals', value: ['8000000'] }] });
		expect(found.data.data.map((i: CrmItem) => i.id)).toEqual([item.id]);
		const byAgentName = await env.api.post(`${itemsUrl(sales)}/search`, { search: [{ column_name: 'Owner', operator: 'contains', value: [a2.name] }, { column_name: 'item_name', operator: 'equals', value: ['Toko Batik Lestari - grosir'] }] });
		expect(byAgentName.data.data.map((i: CrmItem) => i.id)).toEqual([item.id]);

		const other = s.itemsOfBoard(sales.id)[0].id;
		const deleted = await env.api.delete(itemsUrl(sales), { data: { item_ids: [item.id, other] } });
		expect(deleted.data).toEqual({ message: 'success', data: { deleted_ids: [item.id, other], count: 2 } });
		expect((await env.api.get(`${itemsUrl(sales)}/${item.id}`)).status).toBe(404);
		expect(s.itemsOfBoard(sales.id)).toHaveLength(149);
	});

	it('create defaults to the first group; the item list returns every item', async () => {
		const res = await env.api.post(itemsUrl(support), { item_name: 'Tiket baru', Priority: 'High' });
		expect(res.data.data.group).toEqual({ id: support.crm_groups[0].id, name: support.crm_groups[0].name });
		const list = await env.api.get(itemsUrl(support));
		expect(list.data.data).toHaveLength(151);
	});
});

describe('value validation (400 naming the column, nothing written)', () => {
	const cases: Array<[string, Record<string, unknown>, RegExp]> = [
		['unknown column', { item_name: 'x', Stage: 'Won', 'Deal Valu': 1 }, /Unknown column 'Deal Valu'/],
		['number', { item_name: 'x', Stage: 'Won', 'Deal Value': 'lots' }, /'Deal Value' expects a number/],
		['number (bool)', { item_name: 'x', Stage: 'Won', 'Deal Value': true }, /'Deal Value' expects a number/],
		['date format', { item_name: 'x', Stage: 'Won', 'Close Date': '01/07/2026' }, /'Close Date' expects a date \(YYYY-MM-DD\)/],
		['date validity', { item_name: 'x', Stage: 'Won', 'Close Date': '2026-02-30' }, /'Close Date' expects a date/],
		['select option', { item_name: 'x', Stage: 'Maybe' }, /'Stage' expects one of the options/],
		['select default placeholder', { item_name: 'x', Stage: 'default' }, /'Stage'/],
		['agents type', { item_name: 'x', Stage: 'Won', Owner: 'agent-1' }, /'Owner' expects an array of agent ids/],
		['agents unknown', { item_name: 'x', Stage: 'Won', Owner: ['nope'] }, /'Owner' \(agents\): agent nope not found/],
		['text type', { item_name: 'x', Stage: 'Won', Notes: 42 }, /'Notes' expects text/],
		['required missing', { item_name: 'x', 'Deal Value': 1 }, /'Stage' is required/],
		['read-only', { item_name: 'x', Stage: 'Won', 'Lead Score': 50 }, /'Lead Score' is read-only/],
		['item_name missing', { Stage: 'Won' }, /item_name is required/],
		['item_name type', { item_name: 5, Stage: 'Won' }, /item_name must be string/],
		['group not on board', { item_name: 'x', Stage: 'Won', group_id: 'nope' }, /group_id/],
	];

	it.each(cases)('create: %s', async (_, body, msg) => {
		const rev = env.sb.store.revision;
		const res = await env.api.post(itemsUrl(sales), body);
		expect(res.status).toBe(400);
		expect(Object.keys(res.data)).toEqual(['message']);
		expect(res.data.message).toMatch(msg);
		expect(env.sb.store.revision).toBe(rev);
		expect(env.sb.store.itemsOfBoard(sales.id)).toHaveLength(150);
	});

	it('update: one bad value rejects the whole update', async () => {
		const item = env.sb.store.itemsOfBoard(sales.id)[3];
		const snap = JSON.stringify(item);
		for (const body of [{ Notes: 'ok', 'Deal Value': 'x' }, { Stage: null }, {}, { 'Lead Score': 1 }, { Nope: 1 }]) {
			const res = await env.api.put(`${itemsUrl(sales)}/${item.id}`, body);
			expect(res.status).toBe(400);
			expect(res.data.message).toBeTruthy();
		}
		expect(JSON.stringify(env.sb.store.crmItems.get(item.id))).toBe(snap);
	});

	it('delete: one unknown id → 404 naming it, nothing deleted; empty list → 400', async () => {
		const ids = env.sb.store.itemsOfBoard(sales.id).slice(0, 2).map((i) => i.id);
		const res = await env.api.delete(itemsUrl(sales), { data: { item_ids: [...ids, 'ghost-id'] } });
		expect(res.status).toBe(404);
		expect(res.data.message).toContain('ghost-id');
		expect(env.sb.store.itemsOfBoard(sales.id)).toHaveLength(150);
		const supportItem = env.sb.store.itemsOfBoard(support.id)[0].id;
		expect((await env.api.delete(itemsUrl(sales), { data: { item_ids: [supportItem] } })).status).toBe(404);
		const empty = await env.api.delete(itemsUrl(sales), { data: { item_ids: [] } });
		expect(empty.status).toBe(400);
		expect(empty.data.message).toContain('item_ids');
	});
});

describe('search', () => {
	const search = (body: unknown) => env.api.post(`${itemsUrl(sales)}/search`, body);
	const ids = (items: CrmItem[]) => items.map((i) => i.id).sort();
	const all = () => env.sb.store.itemsOfBoard(sales.id);

	it('AND of a number range and a select', async () => {
		const res = await search({ condition: 'AND', search: [{ column_name: 'Deal Value', operator: 'greater_than_or_equal', value: ['2500000'] }, { column_name: 'Stage', operator: 'equals', value: ['Won', 'Lost'] }] });
		const want = all().filter((i) => typeof i.values['Deal Value'] === 'number' && (i.values['Deal Value'] as number) >= 2_500_000 && ['Won', 'Lost'].includes(i.values.Stage as string));
		expect(want.length).toBeGreaterThan(0);
		expect(ids(res.data.data)).toEqual(ids(want));
	});

	it('OR, dates, emptiness and negations', async () => {
		const res = await search({ condition: 'OR', search: [{ column_name: 'Close Date', operator: 'less_than', value: ['2026-06-01'] }, { column_name: 'Notes', operator: 'is_empty' }] });
		const want = all().filter((i) => (i.values['Close Date'] !== null && (i.values['Close Date'] as string) < '2026-06-01') || i.values.Notes === null);
		expect(ids(res.data.data)).toEqual(ids(want));
		const notC = await search({ search: [{ column_name: 'Notes', operator: 'not_contains', value: ['FOLLOW'] }] });
		expect(ids(notC.data.data)).toEqual(ids(all().filter((i) => !String(i.values.Notes ?? '').toLowerCase().includes('follow'))));
		const notEmpty = await search({ search: [{ column_name: 'Lead Source', operator: 'is_not_empty', value: [] }] });
		expect(ids(notEmpty.data.data)).toEqual(ids(all().filter((i) => i.values['Lead Source'] !== null)));
		const ne = await search({ search: [{ column_name: 'Stage', operator: 'not_equals', value: ['Won'] }] });
		expect(ids(ne.data.data)).toEqual(ids(all().filter((i) => i.values.Stage !== 'Won')));
	});

	it('no rules → all items', async () => {
		expect((await search({})).data.data).toHaveLength(150);
	});

	it('rejects unknown columns, operators, conditions and bad operands', async () => {
		const cases: Array<[unknown, RegExp]> = [
			[{ search: [{ column_name: 'Budget', operator: 'equals', value: ['1'] }] }, /search\[0\]\.column_name: unknown column 'Budget'/],
			[{ search: [{ column_name: 'Stage', operator: 'like', value: ['1'] }] }, /search\[0\]\.operator: unknown operator 'like'/],
			[{ condition: 'XOR', search: [] }, /condition must be AND or OR/],
			[{ search: [{ column_name: 'Deal Value', operator: 'greater_than', value: ['abc'] }] }, /search\[0\]\.value must be a number/],
			[{ search: [{ column_name: 'Close Date', operator: 'less_than', value: ['June'] }] }, /search\[0\]\.value must be a date/],
			[{ search: [{ column_name: 'Stage', operator: 'greater_than', value: ['Won'] }] }, /not supported for select/],
			[{ search: [{ column_name: 'Stage', operator: 'equals' }] }, /search\[0\]\.value must contain at least one value/],
			[{ search: [{ column_name: 'Stage', operator: 'equals', value: 'Won' }] }, /search\[0\]\.value must be array/],
			[{ search: 'Stage' }, /search must be array/],
		];
		for (const [body, msg] of cases) {
			const res = await search(body);
			expect(res.status).toBe(400);
			expect(res.data.message).toMatch(msg);
		}
	});
});
