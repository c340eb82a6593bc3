import type { IDataObject, ResourceMapperField } from 'n8n-workflow';

import { fromList, useEnv } from './env';

/**
 * The Sales Pipeline board of the seed (sandbox/README.md): Stage (select, required: "0" New Lead, "1"
 * Contacted, "2" Proposal Sent, "3" Won, "4" Lost), Deal Value (number), Close Date (date), Owner (agents),
 * Notes (text), Customer Phone (text), Lead Source (select: "0" Instagram, "1" WhatsApp, "2" Website,
 * "3" Referral), Lead Score (number, read-only), Tags (dropdown: "0" VIP, "1" Reseller, "2" Repeat Buyer,
 * "3" Wholesale), Contract Period (timeline), Internal Notes (text, hidden).
 */
describe('CRM column mapper (resourceMapper) through the engine', () => {
	const env = useEnv();
	let boardId: string;
	let schema: ResourceMapperField[];
	let agents: IDataObject[];
	afterEach(() => env.sandbox.reset());

	beforeAll(async () => {
		boardId = env.sandbox.store.boards.all().find((b) => b.name === 'Sales Pipeline')!.id;
		agents = env.sandbox.store.agents.all() as unknown as IDataObject[];
		env.sandbox.clearJournal();
		schema = (await env.method<{ fields: ResourceMapperField[] }>('resourceMapping', 'getColumns', { resource: 'crmItem', operation: 'create', boardId: fromList(boardId) })).fields;
	});

	const itemsPath = () => `/api/crm/boards/${boardId}/items`;
	const field = (id: string) => schema.find((f) => f.id === id)!;
	const create = (value: IDataObject, extra: IDataObject = {}) =>
		env.run({
			resource: 'crmItem',
			operation: 'create',
			boardId: fromList(boardId),
			itemName: 'Mapper test',
			columns: { mappingMode: 'defineBelow', value: { Stage: '3', ...value }, matchingColumns: [], schema },
			...extra,
		});
	/** The write request: the board is read first (column types), then the item is written. */
	const written = () => {
		const entries = env.requests();
		expect(entries.map((e) => `${e.method} ${e.path}`)).toEqual([`GET /api/crm/boards/${boardId}`, `POST ${itemsPath()}`]);
		return entries[1].body as IDataObject;
	};

	it('offers the board’s visible, writable columns, typed; labels and agents by name, valued by id', () => {
		expect(schema.map((f) => [f.id, f.type, f.required])).toEqual([
			['Stage', 'options', true],
			['Deal Value', 'number', false],
			['Close Date', 'dateTime', false],
			['Owner', 'options', false],
			['Notes', 'string', false],
			['Customer Phone', 'string', false],
			['Lead Source', 'options', false],
			['Tags', 'options', false],
			['Contract Period', 'string', false],
		]);
		expect(field('Stage').options).toEqual([
			{ name: 'New Lead', value: '0' },
			{ name: 'Contacted', value: '1' },
			{ name: 'Proposal Sent', value: '2' },
			{ name: 'Won', value: '3' },
			{ name: 'Lost', value: '4' },
		]);
		expect(field('Tags').options?.map((o) => `${o.value}:${o.name}`)).toEqual(['0:VIP', '1:Reseller', '2:Repeat Buyer', '3:Wholesale']);
		expect(field('Owner').options?.map((o) => o.value).sort()).toEqual(agents.map((a) => a.id).sort());
		expect(field('Owner').options?.map((o) => o.name).sort()).toEqual(agents.map((a) => a.name).sort());
		// The agents column is not recognised by option texts any more.
		expect(field('Owner').options?.every((o) => o.description === undefined)).toBe(true);
		// Read-only and hidden columns are not offered.
		expect(schema.find((f) => f.id === 'Lead Score')).toBeUndefined();
		expect(schema.find((f) => f.id === 'Internal Notes')).toBeUndefined();
	});

	it('on Update no column is required', async () => {
		const update = (await env.method<{ fields: ResourceMapperField[] }>('resourceMapping', 'getColumns', { resource: 'crmItem', operation: 'update', boardId: fromList(boardId) })).fields;
		expect(update.filter((f) => f.required)).toEqual([]);
	});

	it('sends each column type as Cekat stores it: text, number, date (Jakarta), label ids, agent ids, timeline', async () => {
		const owner = agents[2];
		// Values from earlier nodes (expressions) are typed by the node; literal values n8n checks itself.
		const result = await create({
			Stage: '={{ "won" }}',
			Notes: '={{ 12345 }}',
			'Deal Value': '={{ "1,500,000" }}',
			'Close Date': '={{ "2026-12-31T20:00:00.000Z" }}',
			Owner: `={{ ${JSON.stringify(owner.name)} }}`,
			'Lead Source': '={{ "whatsapp" }}',
			Tags: '={{ "vip, Wholesale" }}',
			'Contract Period': '2026-01-01 to 2026-03-31',
		});
		expect(result.error).toBeUndefined();
		expect(written()).toEqual({
			item_name: 'Mapper test',
			Stage: '3',
			Notes: '12345',
			'Deal Value': 1500000,
			'Close Date': '2027-01-01',
			Owner: [owner.id],
			'Lead Source': '1',
			Tags: ['0', '3'],
			'Contract Period': { from: '2026-01-01', to: '2026-03-31' },
		});
		// The output is Cekat's flat item plus `id` (= item_id).
		const item = result.json[0];
		expect(item.id).toBe(item.item_id);
		expect(item).toEqual(expect.objectContaining({ Stage: '3', 'Lead Source': '1', Tags: ['0', '3'], Owner: [owner.id] }));
		const stored = env.sandbox.store.crmItems.all().find((i) => i.id === item.id)!;
		expect(stored.values).toEqual(expect.objectContaining({ Stage: '3', 'Lead Source': '1', Tags: ['0', '3'], 'Contract Period': { from: '2026-01-01', to: '2026-03-31' } }));
	});

	it('label ids pass through; names and ids are read without regard to case, from lists too', async () => {
		const result = await create({ Stage: '={{ "PROPOSAL SENT" }}', 'Lead Source': '={{ 2 }}', Tags: '={{ ["1", "repeat buyer"] }}' });
		expect(result.error).toBeUndefined();
		expect(written()).toEqual(expect.objectContaining({ Stage: '2', 'Lead Source': '2', Tags: ['1', '2'] }));
	});

	it('a dropdown given one label still sends a list; a literal label picked in the editor is its id', async () => {
		const result = await create({ Stage: '0', Tags: '3' });
		expect(result.error).toBeUndefined();
		expect(written()).toEqual(expect.objectContaining({ Stage: '0', Tags: ['3'] }));
	});

	it('a workflow saved with label names (older field list) still sends ids', async () => {
		const oldSchema = schema.map((f) => (f.options && f.id !== 'Owner' ? { ...f, options: f.options.map((o) => ({ name: o.name, value: o.name })) } : f));
		const result = await env.run({
			resource: 'crmItem',
			operation: 'create',
			boardId: fromList(boardId),
			itemName: 'Old workflow',
			columns: { mappingMode: 'defineBelow', value: { Stage: 'Won', 'Lead Source': 'Website' }, matchingColumns: [], schema: oldSchema },
		});
		expect(result.error).toBeUndefined();
		expect(written()).toEqual({ item_name: 'Old workflow', Stage: '3', 'Lead Source': '2' });
	});

	it('timeline takes "a/b", an object or a list from expressions, dates read in Jakarta time', async () => {
		for (const [value, expected] of [
			['2026-02-01/2026-02-28', { from: '2026-02-01', to: '2026-02-28' }],
			['={{ { from: "2026-04-30T20:00:00Z", to: "2026-05-10" } }}', { from: '2026-05-01', to: '2026-05-10' }],
			['={{ ["2026-06-01", "2026-06-02"] }}', { from: '2026-06-01', to: '2026-06-02' }],
		] as const) {
			env.sandbox.clearJournal();
			const result = await create({ 'Contract Period': value });
			expect(result.error).toBeUndefined();
			expect(written()['Contract Period']).toEqual(expected);
		}
	});

	it('an agents column takes several agents (ids or names, any case) from an expression list', async () => {
		const result = await create({ Owner: `={{ ${JSON.stringify([agents[0].id, String(agents[1].name).toUpperCase()])} }}` });
		expect(result.error).toBeUndefined();
		expect(written().Owner).toEqual([agents[0].id, agents[1].id]);
	});

	it('empty mapped values are not sent', async () => {
		await create({ Notes: '', 'Deal Value': null });
		expect(written()).toEqual({ item_name: 'Mapper test', Stage: '3' });
	});

	it('Map Automatically takes the input fields named like columns, label names turned into ids', async () => {
		const result = await env.run(
			{
				resource: 'crmItem',
				operation: 'create',
				boardId: fromList(boardId),
				itemName: '={{ $json.name }}',
				columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema },
			},
			{ items: [{ name: 'Auto', Stage: 'Lost', 'Deal Value': 700, Notes: 'from a form', unrelated: 'x' }] },
		);
		expect(result.error).toBeUndefined();
		expect(written()).toEqual({ item_name: 'Auto', Stage: '4', 'Deal Value': 700, Notes: 'from a form' });
	});

	it('many input items read the board once per execution', async () => {
		const result = await env.run(
			{
				resource: 'crmItem',
				operation: 'create',
				boardId: fromList(boardId),
				itemName: '={{ $json.name }}',
				columns: { mappingMode: 'defineBelow', value: { Stage: '={{ $json.stage }}' }, matchingColumns: [], schema },
			},
			{ items: [{ name: 'A', stage: 'Won' }, { name: 'B', stage: 'lost' }, { name: 'C', stage: '1' }] },
		);
		expect(result.error).toBeUndefined();
		expect(env.requests().map((e) => e.method)).toEqual(['GET', 'POST', 'POST', 'POST']);
		expect(env.requests().slice(1).map((e) => (e.body as IDataObject).Stage)).toEqual(['3', '4', '1']);
	});

	it.each([
		['a number column with text', { 'Deal Value': '={{ "lots" }}' }, /^Column "Deal Value": "lots" is not a number \[item 0\]/],
		['a date column with text', { 'Close Date': '={{ "next week" }}' }, /^Column "Close Date": "next week" is not a date/],
		['a select column with an unknown label', { 'Lead Source': '={{ "Fax" }}' }, /^Column "Lead Source": "Fax" is not one of its options \(Instagram, WhatsApp, Website, Referral\) \[item 0\]$/],
		['a dropdown column with one unknown label', { Tags: '={{ ["VIP", "Gold"] }}' }, /^Column "Tags": "Gold" is not one of its options \(VIP, Reseller, Repeat Buyer, Wholesale\) \[item 0\]$/],
		['an agents column with an unknown agent', { Owner: '={{ ["Nobody"] }}' }, /^Column "Owner": "Nobody" is not one of its options \(.+\) \[item 0\]$/],
		['a missing required column', { Stage: '={{ "" }}' }, /^Columns: the board requires "Stage"/],
	])('refuses %s before any request', async (_name, value, message) => {
		const result = await create(value as IDataObject);
		expect(result.error?.message).toMatch(message);
		expect(env.requests()).toEqual([]);
	});

	it('the error names the item that failed', async () => {
		const result = await env.run(
			{
				resource: 'crmItem',
				operation: 'create',
				boardId: fromList(boardId),
				itemName: '={{ $json.name }}',
				columns: { mappingMode: 'defineBelow', value: { Stage: '={{ $json.stage }}' }, matchingColumns: [], schema },
			},
			{ items: [{ name: 'A', stage: 'Won' }, { name: 'B', stage: 'Maybe' }] },
		);
		expect(result.error?.message).toBe('Column "Stage": "Maybe" is not one of its options (New Lead, Contacted, Proposal Sent, Won, Lost) [item 1]');
	});

	it.each([
		['a timeline with one date', { 'Contract Period': '2026-01-01' }, /^Column "Contract Period": "2026-01-01" is not a from – to pair of dates/],
		['a timeline ending before it starts', { 'Contract Period': '2026-03-01 to 2026-01-01' }, /^Column "Contract Period": starts 2026-03-01, after its end 2026-01-01/],
		['a select column with two labels', { Stage: '={{ ["Won", "Lost"] }}' }, /^Column "Stage": takes one label/],
	])('refuses %s before writing', async (_name, value, message) => {
		const result = await create(value as IDataObject);
		expect(result.error?.message).toMatch(message);
		expect(env.requests().filter((e) => e.method !== 'GET')).toEqual([]);
	});

	it('literal values that do not fit a column are refused by n8n before the run, naming the column', async () => {
		await expect(create({ 'Deal Value': 'lots', 'Lead Source': 'Fax' })).rejects.toThrow(/'Deal Value' expects a number[\s\S]*'Lead Source' expects one of the following values/);
	});

	it('Column Values (JSON) adds columns, translates label and agent names, and may not repeat a mapped column', async () => {
		const owner = agents[1];
		const ok = await create({}, { valuesJson: `={{ JSON.stringify({ "Notes": "dynamic", "Lead Source": "referral", "Tags": "VIP,Reseller", "Owner": [${JSON.stringify(owner.name)}], "Contract Period": { "from": "2026-01-01", "to": "2026-01-31" } }) }}` });
		expect(ok.error).toBeUndefined();
		const requests = env.requests();
		expect(requests.map((e) => `${e.method} ${e.path}`)).toEqual([`GET /api/crm/boards/${boardId}`, 'GET /api/agents', `POST ${itemsPath()}`]);
		expect(requests[2].body).toEqual({
			item_name: 'Mapper test',
			Stage: '3',
			Notes: 'dynamic',
			'Lead Source': '3',
			Tags: ['0', '1'],
			Owner: [owner.id],
			'Contract Period': { from: '2026-01-01', to: '2026-01-31' },
		});
		const twice = await create({ Notes: 'a' }, { valuesJson: '{"Notes": "b"}' });
		expect(twice.error?.message).toMatch(/^Column Values \(JSON\): the column "Notes" is also set in Columns/);
	});

	it('Column Values (JSON): an unknown label or a read-only column is refused before writing; an unknown column is Cekat’s to refuse', async () => {
		const label = await create({}, { valuesJson: '{"Tags": ["VIP", "Platinum"]}' });
		expect(label.error?.message).toBe('Column "Tags": "Platinum" is not one of its labels (VIP, Reseller, Repeat Buyer, Wholesale) [item 0]');
		const column = await create({}, { valuesJson: '{"Stgae": "Won"}' });
		expect(column.error?.message).toMatch(/^Cekat error 400: .*Stgae/);
		expect(env.requests().filter((e) => e.method === 'POST').map((e) => (e.body as IDataObject).Stgae)).toEqual(['Won']);
		env.sandbox.clearJournal();
		const readOnly = await create({}, { valuesJson: '{"Lead Score": 5}' });
		expect(readOnly.error?.message).toMatch(/^Column "Lead Score": is read-only/);
		expect(env.requests().filter((e) => e.method !== 'GET')).toEqual([]);
	});
	it('Search rules offer the board’s visible columns (hidden ones not), with their type', async () => {
		const options = await env.method<Array<{ name: string; value: string; description?: string }>>('loadOptions', 'getColumnNames', { resource: 'crmItem', operation: 'search', boardId: fromList(boardId) });
		expect(options.map((o) => o.value)).toEqual(['item_name', 'Stage', 'Deal Value', 'Close Date', 'Owner', 'Notes', 'Customer Phone', 'Lead Source', 'Lead Score', 'Tags', 'Contract Period']);
		expect(options.find((o) => o.value === 'Tags')?.description).toBe('dropdown column');
	});

	it('Search with an operator on a number column sends the value as text in a list', async () => {
		const result = await env.run({
			resource: 'crmItem',
			operation: 'search',
			boardId: fromList(boardId),
			condition: 'AND',
			rules: { rule: [{ column: 'Deal Value', operator: 'greater_than_or_equal', value: 5000000 }, { column: 'Notes', operator: 'is_not_empty' }] },
			returnAll: true,
		});
		expect(result.error).toBeUndefined();
		expect(env.requests()[1].body).toEqual({
			condition: 'AND',
			search: [
				{ column_name: 'Deal Value', operator: 'greater_than_or_equal', value: ['5000000'] },
				{ column_name: 'Notes', operator: 'is_not_empty', value: [] },
			],
		});
		const expected = env.sandbox.store.crmItems
			.all()
			.filter((i) => i.board_id === boardId && Number(i.values['Deal Value'] ?? -1) >= 5000000 && i.values.Notes);
		expect(result.json.map((i) => i.id).sort()).toEqual(expected.map((i) => i.id).sort());
		expect(expected.length).toBeGreaterThan(0);
	});
});
