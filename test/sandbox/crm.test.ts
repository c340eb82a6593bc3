/**
 * CRM: boards and columns (labels with short ids and counts), flat items on the wire, create → get → update →
 * search → delete with label ids, value validation, search semantics (scalar or array values).
 */
import { startTestSandbox, type TestEnv } from './helpers';
import type { CrmBoard, CrmItem } from '../../sandbox';

/** A flat wire item: { item_id, item_name, group_id, group_name, "<Column>": value }. */
type FlatItem = Record<string, unknown> & { item_id: string };

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
		const types = Object.fromEntries(detail.data.data.crm_columns.map((c: { name: string; type: string }) => [c.name, c.type]));
		expect(types).toMatchObject({ Stage: 'select', Tags: 'dropdown', 'Contract Period': 'timeline', Owner: 'agents', 'Deal Value': 'number', 'Close Date': 'date', Notes: 'text' });
		const hidden = detail.data.data.crm_columns.filter((c: { is_visible: boolean }) => !c.is_visible).map((c: { name: string }) => c.name);
		expect(hidden).toEqual(['Internal Notes']);
	});

	it('select/dropdown labels: short ids, a "default" label, count = items using the label', async () => {
		const detail = await env.api.get(`/api/crm/boards/${sales.id}`);
		const stage = detail.data.data.crm_columns.find((c: { name: string }) => c.name === 'Stage');
		expect(stage.settings.labels[0]).toEqual({ id: 'default', name: '', color: expect.any(String), count: 0 });
		expect(stage.settings.labels.slice(1).map((l: { id: string; name: string }) => [l.id, l.name])).toEqual([
			['0', 'New Lead'], ['1', 'Contacted'], ['2', 'Proposal Sent'], ['3', 'Won'], ['4', 'Lost'],
		]);
		const items = env.sb.store.itemsOfBoard(sales.id);
		for (const l of stage.settings.labels) expect(l.count).toBe(items.filter((i) => i.values.Stage === l.id).length);
		const tags = detail.data.data.crm_columns.find((c: { name: string }) => c.name === 'Tags');
		for (const l of tags.settings.labels) expect(l.count).toBe(items.filter((i) => (i.values.Tags as string[] | null)?.includes(l.id)).length);
		expect(tags.settings.labels.find((l: { name: string }) => l.name === 'VIP').count).toBeGreaterThan(0);
	});

	it('column by id and by exact, case-sensitive name', async () => {
		const col = sales.crm_columns.find((c) => c.name === 'Close Date')!;
		const byId = await env.api.get(`/api/crm/boards/${sales.id}/columns/${col.id}`);
		expect(byId.data).toEqual({ message: 'success', data: col });
		const stage = sales.crm_columns.find((c) => c.name === 'Stage')!;
		const stageByName = await env.api.post(`/api/crm/boards/${sales.id}/columns/by-name`, { name: 'Stage' });
		expect(stageByName.data.data.settings.labels.map((l: { count: unknown }) => typeof l.count)).toEqual(stage.settings.labels!.map(() => 'number'));
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
	it('items are flat on the wire: item_id, item_name, group_id, group_name and one key per column', async () => {
		const res = await env.api.get(itemsUrl(sales));
		const stored = env.sb.store.itemsOfBoard(sales.id)[0];
		const row = res.data.data[0] as FlatItem;
		expect(Object.keys(row)).toEqual(['item_id', 'item_name', 'group_id', 'group_name', ...sales.crm_columns.map((c) => c.name)]);
		expect(row).toEqual({ item_id: stored.id, item_name: stored.item_name, group_id: stored.group_id, group_name: stored.group.name, ...stored.values });
		expect(row).not.toHaveProperty('id');
		expect(row).not.toHaveProperty('created_at');
		expect(row.Stage).toMatch(/^[0-4]$/);
		const withTags = res.data.data.find((r: FlatItem) => Array.isArray(r.Tags) && (r.Tags as string[]).length > 0);
		expect((withTags.Tags as string[]).every((t) => /^\d$/.test(t))).toBe(true);
		const withPeriod = res.data.data.find((r: FlatItem) => r['Contract Period'] !== null);
		expect(withPeriod['Contract Period']).toEqual({ from: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), to: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
	});

	it('create → get → update → search → delete', async () => {
		const s = env.sb.store;
		const [a1, a2] = s.agents.all();
		const group = sales.crm_groups[1];
		const created = await env.api.post(itemsUrl(sales), {
			item_name: 'Toko Batik Lestari - grosir',
			group_id: group.id,
			Stage: label(sales, 'Stage', 'Proposal Sent').id,
			'Deal Value': '7500000',
			'Close Date': '2026-07-01',
			Owner: [a1.id],
			Notes: 'Minta diskon reseller',
			Tags: ['0', '1'],
			'Contract Period': { from: '2026-07-01', to: '2027-06-30' },
		});
		expect(created.status).toBe(200);
		const item = created.data.data as FlatItem;
		expect(item).toMatchObject({ item_name: 'Toko Batik Lestari - grosir', group_id: group.id, group_name: group.name });
		expect(item).toMatchObject({ Stage: '2', 'Deal Value': 7500000, 'Close Date': '2026-07-01', Owner: [a1.id], Notes: 'Minta diskon reseller', 'Lead Source': null, 'Lead Score': null, Tags: ['0', '1'], 'Contract Period': { from: '2026-07-01', to: '2027-06-30' } });
		const stored: CrmItem = s.crmItems.get(item.item_id)!;
		expect(stored).toMatchObject({ board_id: sales.id, group: { id: group.id, name: group.name } });
		expect(Object.keys(stored.values).sort()).toEqual(sales.crm_columns.map((c) => c.name).sort());

		const got = await env.api.get(`${itemsUrl(sales)}/${item.item_id}`);
		expect(got.data).toEqual({ message: 'success', data: item });
		expect((await env.api.get('/api/crm/boards')).data.data[0].items_count).toBe(151);

		env.clock.now += 1000;
		const updated = await env.api.put(`${itemsUrl(sales)}/${item.item_id}`, { Stage: label(sales, 'Stage', 'Won').id, Notes: null, Owner: [a1.id, a2.id], 'Deal Value': 8000000 });
		expect(updated.status).toBe(200);
		expect(updated.data.data).toMatchObject({ Stage: '3', Notes: null, Owner: [a1.id, a2.id], 'Deal Value': 8000000, 'Close Date': '2026-07-01', item_name: 'Toko Batik Lestari - grosir' });
		expect(s.crmItems.get(item.item_id)!.updated_at).toBe(new Date(env.clock.now).toISOString());

		const found = await env.api.post(`${itemsUrl(sales)}/search`, { condition: 'AND', search: [{ column_name: 'item_name', operator: 'contains', value: 'batik lestari' }, { column_name: 'Deal Value', operator: 'equals', value: ['8000000'] }] });
		expect(found.data.data.map((i: FlatItem) => i.item_id)).toEqual([item.item_id]);
		const byAgentName = await env.api.post(`${itemsUrl(sales)}/search`, { search: [{ column_name: 'Owner', operator: 'contains', value: [a2.name] }, { column_name: 'item_name', operator: 'equals', value: ['Toko Batik Lestari - grosir'] }] });
		expect(byAgentName.data.data.map((i: FlatItem) => i.item_id)).toEqual([item.item_id]);

		const other = s.itemsOfBoard(sales.id)[0].id;
		const deleted = await env.api.delete(itemsUrl(sales), { data: { item_ids: [item.item_id, other] } });
		expect(deleted.data).toEqual({ message: 'success', data: { deleted_ids: [item.item_id, other], count: 2 } });
		expect((await env.api.get(`${itemsUrl(sales)}/${item.item_id}`)).status).toBe(404);
		expect(s.itemsOfBoard(sales.id)).toHaveLength(149);
	});

	it('create defaults to the first group; the item list returns every item', async () => {
		const res = await env.api.post(itemsUrl(support), { item_name: 'Tiket baru', Priority: '2' });
		expect(res.data.data).toMatchObject({ group_id: support.crm_groups[0].id, group_name: support.crm_groups[0].name, Priority: '2' });
		const list = await env.api.get(itemsUrl(support));
		expect(list.data.data).toHaveLength(151);
	});

	it('label ids are not checked: a client writing label NAMES stores names, and id searches miss them', async () => {
		const res = await env.api.post(itemsUrl(sales), { item_name: 'Nama bukan id', Stage: 'Won', Tags: ['VIP'] });
		expect(res.status).toBe(200);
		expect(res.data.data).toMatchObject({ Stage: 'Won', Tags: ['VIP'] });
		const byId = await env.api.post(`${itemsUrl(sales)}/search`, { search: [{ column_name: 'item_name', operator: 'equals', value: 'Nama bukan id' }, { column_name: 'Stage', operator: 'equals', value: ['3'] }] });
		expect(byId.data.data).toEqual([]);
	});
});

describe('value validation (400 naming the column, nothing written)', () => {
	const cases: Array<[string, Record<string, unknown>, RegExp]> = [
		['unknown column', { item_name: 'x', Stage: '3', 'Deal Valu': 1 }, /Unknown column 'Deal Valu'/],
		['number', { item_name: 'x', Stage: '3', 'Deal Value': 'lots' }, /'Deal Value' expects a number/],
		['number (bool)', { item_name: 'x', Stage: '3', 'Deal Value': true }, /'Deal Value' expects a number/],
		['date format', { item_name: 'x', Stage: '3', 'Close Date': '01/07/2026' }, /'Close Date' expects a date \(YYYY-MM-DD\)/],
		['date validity', { item_name: 'x', Stage: '3', 'Close Date': '2026-02-30' }, /'Close Date' expects a date/],
		['select type', { item_name: 'x', Stage: 3 }, /'Stage' expects a label id \(select\), one of "0" \(New Lead\)/],
		['select as array', { item_name: 'x', Stage: ['3'] }, /'Stage' expects a label id/],
		['dropdown type', { item_name: 'x', Stage: '3', Tags: '0' }, /'Tags' expects an array of label ids \(dropdown\)/],
		['timeline shape', { item_name: 'x', Stage: '3', 'Contract Period': '2026-01-01' }, /'Contract Period' expects a timeline/],
		['timeline dates', { item_name: 'x', Stage: '3', 'Contract Period': { from: '2026-01-01', to: '2026-13-01' } }, /'Contract Period' expects a timeline/],
		['timeline order', { item_name: 'x', Stage: '3', 'Contract Period': { from: '2026-05-01', to: '2026-01-01' } }, /'Contract Period' expects a timeline whose "from" is not after/],
		['agents type', { item_name: 'x', Stage: '3', Owner: 'agent-1' }, /'Owner' expects an array of agent ids/],
		['agents unknown', { item_name: 'x', Stage: '3', Owner: ['nope'] }, /'Owner' \(agents\): agent nope not found/],
		['text type', { item_name: 'x', Stage: '3', Notes: 42 }, /'Notes' expects text/],
		['required missing', { item_name: 'x', 'Deal Value': 1 }, /'Stage' is required/],
		['read-only', { item_name: 'x', Stage: '3', 'Lead Score': 50 }, /'Lead Score' is read-only/],
		['item_name missing', { Stage: '3' }, /item_name is required/],
		['item_name type', { item_name: 5, Stage: '3' }, /item_name must be string/],
		['group not on board', { item_name: 'x', Stage: '3', group_id: 'nope' }, /group_id/],
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

	const ids2 = (items: FlatItem[]) => items.map((i) => i.item_id).sort();

	it('AND of a number range and a select (label ids)', async () => {
		const res = await search({ condition: 'AND', search: [{ column_name: 'Deal Value', operator: 'greater_than_or_equal', value: ['2500000'] }, { column_name: 'Stage', operator: 'equals', value: ['3', '4'] }] });
		const want = all().filter((i) => typeof i.values['Deal Value'] === 'number' && (i.values['Deal Value'] as number) >= 2_500_000 && ['3', '4'].includes(i.values.Stage as string));
		expect(want.length).toBeGreaterThan(0);
		expect(ids2(res.data.data)).toEqual(ids(want));
	});

	it('OR, dates, emptiness and negations', async () => {
		const res = await search({ condition: 'OR', search: [{ column_name: 'Close Date', operator: 'less_than', value: ['2026-06-01'] }, { column_name: 'Notes', operator: 'is_empty' }] });
		const want = all().filter((i) => (i.values['Close Date'] !== null && (i.values['Close Date'] as string) < '2026-06-01') || i.values.Notes === null);
		expect(ids2(res.data.data)).toEqual(ids(want));
		const notC = await search({ search: [{ column_name: 'Notes', operator: 'not_contains', value: ['FOLLOW'] }] });
		expect(ids2(notC.data.data)).toEqual(ids(all().filter((i) => !String(i.values.Notes ?? '').toLowerCase().includes('follow'))));
		const notEmpty = await search({ search: [{ column_name: 'Lead Source', operator: 'is_not_empty', value: [] }] });
		expect(ids2(notEmpty.data.data)).toEqual(ids(all().filter((i) => i.values['Lead Source'] !== null)));
		const ne = await search({ search: [{ column_name: 'Stage', operator: 'not_equals', value: ['3'] }] });
		expect(ids2(ne.data.data)).toEqual(ids(all().filter((i) => i.values.Stage !== '3')));
	});

	it('value may be a scalar or an array (PM bodies use both)', async () => {
		const scalar = await search({ search: [{ column_name: 'Stage', operator: 'equals', value: '1' }] });
		const array = await search({ search: [{ column_name: 'Stage', operator: 'equals', value: ['1'] }] });
		expect(ids2(scalar.data.data)).toEqual(ids(all().filter((i) => i.values.Stage === '1')));
		expect(ids2(array.data.data)).toEqual(ids2(scalar.data.data));
		const neg = await search({ search: [{ column_name: 'Deal Value', operator: 'greater_than_or_equal', value: -1 }] });
		expect(ids2(neg.data.data)).toEqual(ids(all().filter((i) => typeof i.values['Deal Value'] === 'number')));
		const names = await search({ search: [{ column_name: 'Stage', operator: 'equals', value: 'Won' }] });
		expect(names.data.data).toEqual([]);
	});

	it("dropdown equals matches any of the item's label ids", async () => {
		const res = await search({ search: [{ column_name: 'Tags', operator: 'equals', value: ['0', '3'] }] });
		const want = all().filter((i) => ((i.values.Tags as string[] | null) ?? []).some((t) => t === '0' || t === '3'));
		expect(want.length).toBeGreaterThan(0);
		expect(ids2(res.data.data)).toEqual(ids(want));
	});

	it('date and timeline bounds (PM operators start_date/end_date, from_/to_ start_date/end_date)', async () => {
		const d = await search({ search: [{ column_name: 'Close Date', operator: 'start_date', value: '2026-06-01' }, { column_name: 'Close Date', operator: 'end_date', value: '2026-06-30' }] });
		expect(ids2(d.data.data)).toEqual(ids(all().filter((i) => i.values['Close Date'] !== null && (i.values['Close Date'] as string) >= '2026-06-01' && (i.values['Close Date'] as string) <= '2026-06-30')));
		const t = await search({ search: [{ column_name: 'Contract Period', operator: 'to_start_date', value: '2026-12-01' }] });
		const want = all().filter((i) => i.values['Contract Period'] !== null && (i.values['Contract Period'] as { to: string }).to >= '2026-12-01');
		expect(want.length).toBeGreaterThan(0);
		expect(ids2(t.data.data)).toEqual(ids(want));
		const bad = await search({ search: [{ column_name: 'Notes', operator: 'from_start_date', value: '2026-01-01' }] });
		expect(bad.status).toBe(400);
		expect(bad.data.message).toContain('timeline');
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
			[{ search: [{ column_name: 'Stage', operator: 'equals', value: { id: '3' } }] }, /search\[0\]\.value must be array/],
			[{ search: 'Stage' }, /search must be array/],
		];
		for (const [body, msg] of cases) {
			const res = await search(body);
			expect(res.status).toBe(400);
			expect(res.data.message).toMatch(msg);
		}
	});
});
