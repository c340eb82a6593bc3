/**
 * The Cekat AI Tool Trigger in a real n8n (`n8n start`): publishing the stock-check example registers its
 * tool in Cekat (the sandbox's ai-tools routes, on the credential's Server URL); the sandbox then calls the tool as
 * Cekat's AI agent would and gets the workflow's answer (the Code node's output, n8n's "When Last Node Finishes");
 * unpublishing removes the tool. Also: the editor's AI agents list, "First Entry JSON", and a tool name that fails
 * the publish with the node's message.
 */
import type { AiTool, AiToolCall } from '../../sandbox';
import type { N8nServer } from '../../scripts/lib/n8n';
import { SANDBOX_CREDENTIAL } from '../../scripts/lib/n8n';
import { API_KEY, executionsOf, prepareInstance, waitFor, type E2eInstance } from './helpers';
import { selectedLine } from '../../scripts/lib/runtime';

const OWNER = { email: 'e2e-ai-tool@cekat.local', password: 'CekatE2e2026', firstName: 'AI', lastName: 'Tool' };
const EXAMPLE = 'CekatExample0008';
const EXAMPLE_WEBHOOK_ID = '5e8d2a1f-7c3b-4d9e-a6f0-1b2c3d4e5f60';
const FIRST_ENTRY = 'CekatE2eAiTool01';
const FIRST_ENTRY_WEBHOOK_ID = '6a1b2c3d-8e9f-4a0b-9c1d-2e3f4a5b6c7d';
const BAD_NAME = 'CekatE2eAiTool02';
/** The sandbox's seeded AI agents (seed 42): the example's is Asisten Kopi. */
const AGENTS = { 'Sekar AI': 'e72e9cb7-2b90-48b6-aa0c-2217c81d61a5', 'Asisten Kopi': '16ddd090-1bd6-4688-ae38-4dfb72fd2b02', 'Bot Sales': '68c52542-7ad4-462f-9717-2f0cca4dbe4e' };

const trigger = (id: string, webhookId: string, parameters: Record<string, unknown>) => ({
	id: `${id}-trigger`,
	name: 'Tool',
	type: 'n8n-nodes-cekat.cekatAiToolTrigger',
	typeVersion: 1,
	position: [0, 0],
	webhookId,
	parameters,
	credentials: { cekatApi: { ...SANDBOX_CREDENTIAL } },
});

const workflows = [
	{
		id: FIRST_ENTRY,
		name: 'e2e: AI tool answering with the first entry',
		nodes: [
			trigger(FIRST_ENTRY, FIRST_ENTRY_WEBHOOK_ID, {
				agentIds: [AGENTS['Sekar AI'], AGENTS['Bot Sales']],
				toolName: 'order_total',
				toolDescription: 'Adds VAT to an amount',
				aiInputs: { input: [{ name: 'amount', description: 'Amount in rupiah', type: 'number', required: true }] },
				response: 'firstEntryJson',
			}),
			{
				id: 'e2e-ai-tool-code',
				name: 'Compute',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [240, 0],
				parameters: { jsCode: "const { amount } = $input.first().json.inputs;\nreturn [{ json: { amount, vat: (amount * 11) / 100, total: (amount * 111) / 100 } }, { json: { second: true } }];" },
			},
		],
		connections: { Tool: { main: [[{ node: 'Compute', type: 'main', index: 0 }]] } },
	},
	{
		id: BAD_NAME,
		name: 'e2e: AI tool with an invalid name',
		nodes: [trigger(BAD_NAME, '7b2c3d4e-9f0a-4b1c-8d2e-3f4a5b6c7d8e', { agentIds: [AGENTS['Sekar AI']], toolName: 'check stock' })],
		connections: {},
	},
];

describe('Cekat AI Tool Trigger in n8n', () => {
	let env: E2eInstance;
	let server: N8nServer;

	const toolCalls = () => env.sandbox.journal().filter((e) => e.path.startsWith('/business_workflows/ai-tools'));
	const callTool = async (body: Record<string, unknown>) => {
		const res = await fetch(`${env.sandbox.url}/__sandbox/ai-tools/call`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		return { status: res.status, data: (await res.json()) as AiToolCall };
	};

	beforeAll(async () => {
		env = await prepareInstance(workflows);
		// n8n's public URL, as a deployment sets it: the URL the tool registers (127.0.0.1, where n8n listens)
		env.n8n.opts.env = { ...env.n8n.opts.env, WEBHOOK_URL: `${env.n8n.url}/` };
		server = await env.n8n.start();
		await server.setupOwnerAndLogin(OWNER);
	});
	afterAll(async () => {
		await server?.stop();
		await env?.cleanup();
	});

	it('serves the node (webhook path "tool", no polling) and the editor’s AI agents list loads from Cekat', async () => {
		type NodeTypeJson = { name: string; polling?: boolean; webhooks?: unknown[]; properties: Array<{ name: string }> };
		const types = (await (await server.http('/types/nodes.json')).json()) as NodeTypeJson[];
		const node = types.find((t) => t.name === 'n8n-nodes-cekat.cekatAiToolTrigger');
		expect(node).toEqual(expect.objectContaining({ webhooks: [expect.objectContaining({ name: 'default', httpMethod: 'POST', path: 'tool' })] }));
		expect(node!.polling).toBeUndefined();
		expect(node!.properties.map((p) => p.name)).toEqual(['notice', 'agentIds', 'toolName', 'toolDescription', 'aiInputs', 'response']);
		expect(server.log).not.toMatch(/Failed to load package/);

		env.sandbox.clearJournal();
		const agents = await server.rest<Array<{ name: string; value: string }>>('POST', '/dynamic-node-parameters/options', {
			nodeTypeAndVersion: { name: 'n8n-nodes-cekat.cekatAiToolTrigger', version: 1 },
			credentials: { cekatApi: SANDBOX_CREDENTIAL },
			path: 'agentIds',
			methodName: 'getAiAgents',
			currentNodeParameters: {},
		});
		expect(agents.status).toBe(200);
		expect(agents.body.data).toEqual(Object.entries(AGENTS).map(([name, value]) => ({ name, value })));
		expect(env.sandbox.journal().map((e) => [e.method, e.path, e.auth, e.keyMatched])).toEqual([['GET', '/business_workflows/ai-agents', 'api_key', true]]);
	});

	it('the stock-check example: publish → the sandbox holds check_stock → the AI agent’s calls get the Code node’s answer → unpublish → the tool is gone', async () => {
		const url = `${env.n8n.url}/webhook/${EXAMPLE_WEBHOOK_ID}/tool`;
		env.sandbox.clearJournal();
		await server.publishWorkflow(EXAMPLE);
		const [tool] = await waitFor('the tool', () => (env.sandbox.aiTools().length ? env.sandbox.aiTools() : undefined));
		expect(env.sandbox.aiTools()).toHaveLength(1);
		expect(tool).toEqual(
			expect.objectContaining<Partial<AiTool>>({
				name: 'check_stock',
				ai_agent_ids: [AGENTS['Asisten Kopi']],
				webhook_url: url,
				workflow_id: EXAMPLE,
				ai_inputs: [
					{ name: 'sku', description: 'The product code', type: 'string', required: true, enum: ['KOPI-GAYO-250', 'KOPI-TORAJA-250', 'TEH-MELATI-100'] },
					{ name: 'quantity', description: 'How many the customer wants (1 when not said)', type: 'number', required: false },
				],
			}),
		);
		expect(toolCalls().map((e) => [e.method, e.path, e.auth, e.keyMatched, e.status])).toEqual([['POST', '/business_workflows/ai-tools/create', 'api_key', true, 200]]);
		await server.waitForWebhook(`/webhook/${EXAMPLE_WEBHOOK_ID}/tool`);

		// Cekat's AI agent calls the tool (the sandbox plays it): the answer is the last node's items (All Entries)
		const inStock = await callTool({ tool: 'check_stock', agent_id: AGENTS['Asisten Kopi'], inputs: { sku: 'KOPI-GAYO-250', quantity: 2 } });
		expect(inStock.status).toBe(200);
		expect(inStock.data.request).toEqual({ url, body: { sku: 'KOPI-GAYO-250', quantity: 2 } });
		expect([inStock.data.status, inStock.data.content_type]).toEqual([200, expect.stringContaining('application/json')]);
		expect(inStock.data.body).toEqual([
			{ sku: 'KOPI-GAYO-250', found: true, name: 'Kopi Arabika Gayo 250 g', available: 14, enough: true, price_idr: 85000, message: 'Kopi Arabika Gayo 250 g: 14 in stock, Rp 85.000 each' },
		]);
		const soldOut = await callTool({ tool: 'check_stock', inputs: { sku: 'KOPI-TORAJA-250' } });
		expect(soldOut.data.body).toEqual([
			expect.objectContaining({ sku: 'KOPI-TORAJA-250', available: 0, enough: false, restock_date: '2026-07-01', message: 'Kopi Toraja Sapan 250 g: only 0 in stock, back on 2026-07-01' }),
		]);
		const runs = await waitFor('two executions', async () => {
			const list = await executionsOf(server, EXAMPLE);
			return list.length === 2 && list.every((r) => r.status === 'success') ? list : undefined;
		});
		expect(runs.map((r) => r.mode)).toEqual(['webhook', 'webhook']);

		// unpublish: n8n runs delete
		env.sandbox.clearJournal();
		const off = await server.rest('POST', `/workflows/${EXAMPLE}/deactivate`, {});
		expect(off.status).toBe(200);
		await waitFor('the tool’s removal', () => (env.sandbox.aiTools().length === 0 ? true : undefined));
		expect(toolCalls().map((e) => [e.method, e.path, e.body, e.status])).toEqual([['POST', '/business_workflows/ai-tools/delete', { webhook_url: url }, 200]]);
		expect((await callTool({ tool: 'check_stock', inputs: { sku: 'KOPI-GAYO-250' } })).status).toBe(404);
		// and n8n no longer serves the URL
		expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
		expect(server.log).not.toContain(API_KEY);
	});

	it('First Entry JSON: the AI agent gets the first item as an object', async () => {
		env.sandbox.clearJournal();
		await server.publishWorkflow(FIRST_ENTRY);
		await waitFor('the tool', () => (env.sandbox.aiTools().length ? true : undefined));
		expect(env.sandbox.aiTools().map((t) => [t.name, t.ai_agent_ids, t.description])).toEqual([['order_total', [AGENTS['Sekar AI'], AGENTS['Bot Sales']], 'Adds VAT to an amount']]);
		await server.waitForWebhook(`/webhook/${FIRST_ENTRY_WEBHOOK_ID}/tool`);
		const res = await callTool({ tool: 'order_total', agent_id: AGENTS['Bot Sales'], inputs: { amount: 100000 } });
		expect([res.status, res.data.status, res.data.body]).toEqual([200, 200, { amount: 100000, vat: 11000, total: 111000 }]);
		const off = await server.rest('POST', `/workflows/${FIRST_ENTRY}/deactivate`, {});
		expect(off.status).toBe(200);
		await waitFor('the tool’s removal', () => (env.sandbox.aiTools().length === 0 ? true : undefined));
	});

	it('an invalid tool name fails the publish with the node’s message; nothing is registered in Cekat', async () => {
		env.sandbox.clearJournal();
		const message = 'Tool Name "check stock": use 1–64 letters, digits, _ or -, e.g. check_stock';
		if (selectedLine().id === '1') {
			// n8n 1.x activates within the publish request: it answers 400 with the node's message
			const wf = await server.rest<{ versionId: string }>('GET', `/workflows/${BAD_NAME}`);
			const res = await server.rest('POST', `/workflows/${BAD_NAME}/activate`, { versionId: wf.body.data!.versionId });
			expect([res.status, res.body.message]).toEqual([400, expect.stringContaining(message)]);
		} else {
			// n8n 2.41 publishes through its publication outbox: the answer comes first, the trigger's failure after it,
			// in the publication status the editor shows.
			await server.publishWorkflow(BAD_NAME);
			type Status = { status: string; triggers: Array<{ status: string; errorMessage: string | null }> };
			const status = await waitFor('the failed publication', async () => {
				const res = await server.rest<Status>('GET', `/workflows/${BAD_NAME}/publication-status`);
				return res.body.data?.status === 'failed' ? res.body.data : undefined;
			});
			expect(status.triggers).toEqual([expect.objectContaining({ status: 'failed', errorMessage: expect.stringContaining(message) })]);
		}
		// no create; n8n's rollback of the failed publish runs the node's delete (harmless: nothing to remove)
		expect(toolCalls().filter((e) => e.path !== '/business_workflows/ai-tools/delete')).toEqual([]);
		expect(env.sandbox.aiTools()).toEqual([]);
	});
});
