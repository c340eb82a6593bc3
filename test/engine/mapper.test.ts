import type { IDataObject, ResourceMapperField } from 'n8n-workflow';

import { fromList, onlyRequest, useEnv } from './env';

/** The Sales Pipeline board of the seed: Stage (select, required), Deal Value (number), Close Date (date),
 * Owner (agents), Notes (text), Customer Phone (text), Lead Source (select), Lead Score (number, read-only). */
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

	const field = (id: string) => schema.find((f) => f.id === id)!;
	const create = (value: IDataObject, extra: IDataObject = {}) =>
		env.run({
			resource: 'crmItem',
			operation: 'create',
			boardId: fromList(boardId),
			itemName: 'Mapper test',
			columns: { mappingMode: 'defineBelow', value: { Stage: 'Won', ...value }, matchingColumns: [], schema },
			...extra,
		});

	it('loads the board’s writable columns with their types, required flags and options', () => {
		expect(schema.map((f) => [f.id, f.type, f.required])).toEqual([
			['Stage', 'options', true],
			['Deal Value', 'number', false],
			['Close Date', 'dateTime', false],
			['Owner', 'options', false],
			['Notes', 'string', false],
			['Customer Phone', 'string', false],
			['Lead Source', 'options', false],
		]);
		expect(field('Stage').options?.map((o) => o.name)).toEqual(['New Lead', 'Contacted', 'Proposal Sent', 'Won', 'Lost']);
		expect(field('Owner').options?.map((o) => o.value).sort()).toEqual(agents.map((a) => a.id).sort());
		expect(schema.find((f) => f.id === 'Lead Score')).toBeUndefined();
	});

	it('on Update no column is required', async () => {
		const update = (await env.method<{ fields: ResourceMapperField[] }>('resourceMapping', 'getColumns', { resource: 'crmItem', operation: 'update', boardId: fromList(boardId) })).fields;
		expect(update.filter((f) => f.required)).toEqual([]);
	});

	it('sends each column type typed for Cekat: text, number, date (Jakarta), select label, agents list', async () => {
		env.sandbox.clearJournal();
		const owner = agents[2];
		// Values from earlier nodes (expressions) are typed by the node; literal values n8n checks itself.
		const result = await create({
			Notes: '={{ 12345 }}',
			'Deal Value': '={{ "1,500,000" }}',
			'Close Date': '={{ "2026-12-31T20:00:00.000Z" }}',
			Owner: `={{ ${JSON.stringify(owner.name)} }}`,
			'Lead Source': '={{ "whatsapp" }}',
		});
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'POST', `/api/crm/boards/${boardId}/items`).body).toEqual({
			item_name: 'Mapper test',
			Stage: 'Won',
			Notes: '12345',
			'Deal Value': 1500000,
			'Close Date': '2027-01-01',
			Owner: [owner.id],
			'Lead Source': 'WhatsApp',
		});
		const values = result.json[0].values as IDataObject;
		expect(values).toEqual(expect.objectContaining({ 'Deal Value': 1500000, 'Close Date': '2027-01-01', Owner: [owner.id], 'Lead Source': 'WhatsApp' }));
	});

	it('an agents column takes several agents from an expression list', async () => {
		env.sandbox.clearJournal();
		const result = await create({ Owner: `={{ ${JSON.stringify([agents[0].id, agents[1].name])} }}` });
		expect(result.error).toBeUndefined();
		expect((env.requests()[0].body as IDataObject).Owner).toEqual([agents[0].id, agents[1].id]);
	});

	it('empty mapped values are not sent', async () => {
		env.sandbox.clearJournal();
		await create({ Notes: '', 'Deal Value': null });
		expect(env.requests()[0].body).toEqual({ item_name: 'Mapper test', Stage: 'Won' });
	});

	it('Map Automatically takes the input fields named like columns', async () => {
		env.sandbox.clearJournal();
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
		expect(env.requests()[0].body).toEqual({ item_name: 'Auto', Stage: 'Lost', 'Deal Value': 700, Notes: 'from a form' });
	});

	it.each([
		['a number column with text', { 'Deal Value': '={{ "lots" }}' }, /^Column "Deal Value": "lots" is not a number \[item 0\]/],
		['a date column with text', { 'Close Date': '={{ "next week" }}' }, /^Column "Close Date": "next week" is not a date/],
		['a select column with an unknown label', { 'Lead Source': '={{ "Fax" }}' }, /^Column "Lead Source": "Fax" is not one of its labels/],
		['an agents column with an unknown agent', { Owner: '={{ ["Nobody"] }}' }, /^Column "Owner": "Nobody" is not an agent of this workspace/],
		['a missing required column', { Stage: '={{ "" }}' }, /^Columns: the board requires "Stage"/],
	])('refuses %s before any request', async (_name, value, message) => {
		env.sandbox.clearJournal();
		const result = await create(value as IDataObject);
		expect(result.error?.message).toMatch(message);
		expect(env.requests()).toEqual([]);
	});

	it('literal values that do not fit a column are refused by n8n before the run, naming the column', async () => {
		await expect(create({ 'Deal Value': 'lots', 'Lead Source': 'Fax' })).rejects.toThrow(/'Deal Value' expects a number[\s\S]*'Lead Source' expects one of the following values/);
	});

	it('Column Values (JSON) adds columns for dynamic sets and may not repeat a mapped column', async () => {
		env.sandbox.clearJournal();
		const ok = await create({}, { valuesJson: '={{ JSON.stringify({ "Notes": "dynamic" }) }}' });
		expect(ok.error).toBeUndefined();
		expect(env.requests()[0].body).toEqual({ item_name: 'Mapper test', Stage: 'Won', Notes: 'dynamic' });
		const twice = await create({ Notes: 'a' }, { valuesJson: '{"Notes": "b"}' });
		expect(twice.error?.message).toMatch(/^Column Values \(JSON\): the column "Notes" is also set in Columns/);
	});

	it('Search rules offer the board’s columns', async () => {
		const options = await env.method<Array<{ name: string; value: string }>>('loadOptions', 'getColumnNames', { resource: 'crmItem', operation: 'search', boardId: fromList(boardId) });
		expect(options.map((o) => o.value)).toEqual(['item_name', 'Stage', 'Deal Value', 'Close Date', 'Owner', 'Notes', 'Customer Phone', 'Lead Source', 'Lead Score']);
	});

	it('Search with an operator on a number column', async () => {
		env.sandbox.clearJournal();
		const result = await env.run({
			resource: 'crmItem',
			operation: 'search',
			boardId: fromList(boardId),
			condition: 'AND',
			rules: { rule: [{ column: 'Deal Value', operator: 'greater_than_or_equal', value: 5000000 }, { column: 'Notes', operator: 'is_not_empty' }] },
			returnAll: true,
		});
		expect(env.requests()[0].body).toEqual({
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
