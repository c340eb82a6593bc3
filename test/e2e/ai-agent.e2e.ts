/**
 * The AI-agent example (examples/ai-agent.json) run for real: n8n's AI Agent, its OpenAI Chat Model and the Cekat
 * node as tools, in a real n8n (`n8n start`). The chat model is test/e2e/scripted-model.ts: an OpenAI-compatible
 * server that answers per script (tool calls with arguments taken from the sandbox's seed, then a final message).
 * The OpenAI credential of the example points at it (Base URL http://127.0.0.1:<port>/v1).
 *
 * A chat message is sent as the editor's "Open chat" sends it: POST /rest/workflows/:id/run with the chat trigger
 * and a chat session (n8n registers a test webhook), then the message to /webhook-test/<workflow id>/<session id>
 * (n8n 1.x runs the workflow with the message as the chat trigger's output instead: sendEditorChat in helpers.ts).
 *
 * Checked: the tool schemas n8n built from the Cekat tool nodes (names, descriptions, arguments, required), the
 * Cekat requests the sandbox received with the arguments the model chose, what each tool returned to the agent
 * (the tool results in the model's next request), and the agent's answer (the chat's reply and the execution).
 * Also the same tools as the editor makes them (description "Set Automatically", fields filled by ✨ "Let the
 * model define this parameter"), and the demo script `npm run dev` uses without an OpenAI key.
 */
import { API_KEY, calls, connect, contactsByWindow, executionsOf, expectAuthenticated, prepareInstance, SALES_BOARD_ID, sandboxApi, sendEditorChat, unflatten, type E2eInstance, type Workflow } from './helpers';
import { demoScript, DEMO_HELP, parseToolContent, startScriptedModel, textOf, toolResults, type ScriptedModel, type ToolDefinition } from './scripted-model';
import { OPENAI_CREDENTIAL, OPENAI_CREDENTIAL_TYPE, SANDBOX_CREDENTIAL, type N8nServer } from '../../scripts/lib/n8n';
import { selectedLine } from '../../scripts/lib/runtime';
import example from '../../examples/ai-agent.json';

const OWNER = { email: 'e2e-agent@cekat.local', password: 'CekatE2e2026', firstName: 'Agent', lastName: 'Test' };
const EXAMPLE = 'CekatExample0004';
const CHAT_TRIGGER = 'When chat message received';
const MODEL_KEY = 'sk-scripted-e2e-7Yq2';
const EDITOR_TOOLS = 'CekatE2eAgentTls';

interface Order {
	id: string;
	order_number: number;
	order_status: string;
	payment_status: string;
	grand_total: number;
	contact_id: string;
	contact: { display_name: string; phone_number: string };
}

interface RunData {
	[node: string]: Array<{ executionStatus?: string; inputOverride?: Record<string, Array<Array<{ json: Record<string, unknown> }>>>; data?: Record<string, Array<Array<{ json: Record<string, unknown> }>>>; error?: { message?: string } }>;
}

/** A tool as the model receives it: name, description, parameters. */
const toolSummary = (t: ToolDefinition) => ({ name: t.function.name, description: t.function.description, parameters: t.function.parameters });

/** The parameters of one of the example's tool nodes (its manual Description is the tool's description). */
const exampleTool = (nodeName: string) => example.nodes.find((n) => n.name === nodeName)!.parameters as unknown as { toolDescription: string };

describe('Example "AI agent with Cekat tools" in n8n, with a scripted chat model', () => {
	let env: E2eInstance;
	let server: N8nServer;
	let model: ScriptedModel;
	/** the first chat message, its answer and the message the WhatsApp tool returned (for the memory check) */
	const firstTurn = { question: '', answer: '', sent: [] as unknown[] };
	/** the customer of the scenario: an open WhatsApp window, a parcel on its way and a deal on the Sales Pipeline board */
	let customer: { name: string; phone: string; conversationId: string; shipping: Order; orders: Order[]; deal: { id: string; item_name: string; group_name: string } };

	/** Sends a chat message as the editor's chat panel does; returns the chat's reply and the execution n8n stored. */
	async function chat(workflowId: string, sessionId: string, text: string) {
		const before = (await executionsOf(server, workflowId)).length;
		const { status, reply } = await sendEditorChat(server, workflowId, CHAT_TRIGGER, sessionId, text);
		const list = await executionsOf(server, workflowId);
		expect(list).toHaveLength(before + 1);
		const stored = await server.rest<{ status: string; mode: string; data: string }>('GET', `/executions/${list[0].id}`);
		const data = unflatten(stored.body.data!.data) as { resultData: { runData: RunData; error?: { message?: string } } };
		return { status, reply, execution: { status: stored.body.data!.status, mode: stored.body.data!.mode, runData: data.resultData.runData, error: data.resultData.error } };
	}

	/** The JSON of the items a node output on a connection, per run. */
	const outputs = (runData: RunData, node: string, connection: string) => (runData[node] ?? []).map((run) => (run.data?.[connection]?.[0] ?? []).map((i) => i.json));
	const inputs = (runData: RunData, node: string, connection: string) => (runData[node] ?? []).map((run) => (run.inputOverride?.[connection]?.[0] ?? []).map((i) => i.json));

	beforeAll(async () => {
		model = await startScriptedModel();
		env = await prepareInstance([editorToolsWorkflow()], {
			credentials: [{ ...OPENAI_CREDENTIAL, type: OPENAI_CREDENTIAL_TYPE, data: { apiKey: MODEL_KEY, url: model.url } }],
		});
		// from the seed: a customer who wrote in the last 24 hours (a free-form WhatsApp reaches them), with an order
		// being shipped, a deal on the Sales Pipeline board, and whose phone number finds only their own orders
		const store = env.sandbox.store;
		for (const open of contactsByWindow(env.sandbox).open) {
			const orders = store.orders.all().filter((o) => o.contact.phone_number === open.phone) as unknown as Order[];
			const shipping = orders.find((o) => o.order_status === 'shipping');
			const deals = store.itemsOfBoard(SALES_BOARD_ID).filter((i) => i.values['Customer Phone'] === open.phone);
			const found = store.orders.all().filter((o) => o.contact.phone_number.includes(open.phone));
			if (!shipping || deals.length !== 1 || found.length !== orders.length || orders.length > 5) continue;
			customer = { name: open.name, phone: open.phone, conversationId: open.conversationId, shipping, orders, deal: { id: deals[0].id, item_name: deals[0].item_name, group_name: deals[0].group.name } };
			break;
		}
		expect(customer).toBeDefined();
		server = await env.n8n.start();
		await server.setupOwnerAndLogin(OWNER);
	});
	afterAll(async () => {
		await server?.stop();
		await env?.cleanup();
		await model?.close();
	});

	it("the example's OpenAI credential points at the scripted model: its Test (GET /v1/models) passes", async () => {
		model.clear();
		expect(await server.testCredential(OPENAI_CREDENTIAL.id)).toEqual(expect.objectContaining({ status: 'OK' }));
		expect(model.requests.map((r) => [r.method, r.path, r.status, r.headers.authorization])).toEqual([['GET', '/v1/models', 200, `Bearer ${MODEL_KEY}`]]);
	});

	it('a chat message: the model gets the three Cekat tools, looks up the orders and the deal, sends the WhatsApp message, and n8n answers with its final message', async () => {
		const first = customer.name.split(' ')[0];
		const question = `Pesanan ${customer.name} (${customer.phone}) sudah sampai mana? Ada deal di CRM? Kabari dia di WhatsApp.`;
		const whatsapp = `Halo ${first}, pesanan #${customer.shipping.order_number} Anda sedang dalam pengiriman. Terima kasih sudah berbelanja!`;
		const answer = `Pesanan #${customer.shipping.order_number} sedang dikirim; deal "${customer.deal.item_name}" ada di ${customer.deal.group_name}. Pesan WhatsApp sudah terkirim ke ${customer.phone}.`;
		model.clear();
		model.setScript([
			// turn 1: two tools at once, with the phone number from the question
			{ toolCalls: [{ name: 'Find_orders', arguments: { search: customer.phone } }, { name: 'Find_CRM_deal', arguments: { phone: customer.phone } }] },
			// turn 2: the WhatsApp message to the number the order carries
			(req) => {
				const [orders] = toolResults(req).filter((r) => r.name === 'Find_orders').map((r) => parseToolContent<Order[]>(r.content)!);
				return { toolCalls: [{ name: 'Send_WhatsApp_message', arguments: { phone: orders.find((o) => o.order_status === 'shipping')!.contact.phone_number, message: whatsapp } }] };
			},
			// turn 3: the answer
			{ content: answer },
		]);
		// what the sandbox's API finds for the phone number (the order tool's expected result)
		const expectedOrders = (await sandboxApi<{ orders: Order[] }>(env.sandbox, 'GET', `/api/orders?search=${customer.phone}&page=1&limit=5`)).orders;
		expect(expectedOrders.map((o) => o.order_number).sort()).toEqual(customer.orders.map((o) => o.order_number).sort());
		env.sandbox.clearJournal();

		const { status, reply, execution } = await chat(EXAMPLE, 'e2e-session-1', question);

		// the chat's reply and the execution: the agent's final message
		expect({ status, reply, error: execution.error }).toEqual({ status: 200, reply: { output: answer }, error: undefined });
		expect([execution.mode, execution.status]).toEqual(['manual', 'success']);
		expect(outputs(execution.runData, 'AI Agent', 'main')).toEqual([[{ output: answer }]]);

		// n8n called the model three times, only POST /v1/chat/completions (no GET /v1/models), with the credential's key
		expect(model.requests.map((r) => [r.method, r.path, r.status])).toEqual([
			['POST', '/v1/chat/completions', 200],
			['POST', '/v1/chat/completions', 200],
			['POST', '/v1/chat/completions', 200],
		]);
		for (const r of model.requests) expect(r.headers.authorization).toBe(`Bearer ${MODEL_KEY}`);
		const [turn1, turn2, turn3] = model.completions;
		expect(turn1.model).toBe('gpt-4o-mini');
		expect(turn1.stream).toBeFalsy();
		const systemMessage = (example.nodes.find((n) => n.name === 'AI Agent')!.parameters.options as { systemMessage: string }).systemMessage;
		expect(turn1.messages).toEqual([
			{ role: 'system', content: systemMessage },
			{ role: 'user', content: question },
		]);

		// the tool schemas n8n built from the Cekat tool nodes: the node name as tool name, the node's Description,
		// one required string argument per $fromAI() key with its description
		const phoneArg = { type: 'string', description: 'Phone number with country code, digits only, e.g. 6281234567890' };
		const schema = (properties: Record<string, unknown>) => expect.objectContaining({ type: 'object', properties, required: Object.keys(properties), additionalProperties: false });
		expect(turn1.tools!.map(toolSummary).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
			{ name: 'Find_CRM_deal', description: exampleTool('Find CRM deal').toolDescription, parameters: schema({ phone: phoneArg }) },
			{ name: 'Find_orders', description: exampleTool('Find orders').toolDescription, parameters: schema({ search: { type: 'string', description: 'Order number (digits only), customer name or phone number to look for' } }) },
			{
				name: 'Send_WhatsApp_message',
				description: exampleTool('Send WhatsApp message').toolDescription,
				parameters: schema({ phone: phoneArg, message: { type: 'string', description: "The text to send, in the customer's language" } }),
			},
		]);
		for (const turn of [turn2, turn3]) expect(turn.tools).toEqual(turn1.tools);

		// what the sandbox received: the Cekat requests with the arguments the model chose
		// (the first turn's two tools run at once: n8n 1.x may send the deal's requests before the orders')
		const journal = env.sandbox.journal();
		const deal = [`GET /api/crm/boards/${SALES_BOARD_ID}`, `POST /api/crm/boards/${SALES_BOARD_ID}/items/search`];
		expect(calls(journal).slice(0, 3)).toEqual(calls(journal)[0] === 'GET /api/orders' ? ['GET /api/orders', ...deal] : [...deal, 'GET /api/orders']);
		expect(calls(journal).slice(3)).toEqual(['POST /messages/whatsapp']);
		const request = (call: string) => journal.find((e) => `${e.method} ${e.path}` === call)!;
		expect(request('GET /api/orders').query).toEqual({ search: customer.phone, page: '1', limit: '5' });
		expect(request(deal[1]).body).toEqual({ condition: 'AND', search: [{ column_name: 'Customer Phone', operator: 'equals', value: [customer.phone] }] });
		expect(request('POST /messages/whatsapp').body).toEqual({ receiver: customer.phone, message: whatsapp });
		expect(journal.map((e) => e.status)).toEqual([200, 200, 200, 200]);
		expectAuthenticated(journal);
		// the message is in the customer's WhatsApp conversation
		const sent = [...env.sandbox.store.messagesOf(customer.conversationId)].pop()!;
		expect([sent.message, sent.sent_by_type, sent.status]).toEqual([whatsapp, 'api', 'sent']);

		// what each tool returned to the agent: the tool results in the model's next request
		const results1 = toolResults(turn2);
		expect(results1.map((r) => [r.name, r.arguments])).toEqual([
			['Find_orders', expect.objectContaining({ search: customer.phone })],
			['Find_CRM_deal', expect.objectContaining({ phone: customer.phone })],
		]);
		const foundOrders = parseToolContent<Order[]>(results1[0].content)!;
		expect(foundOrders).toEqual(expectedOrders);
		const deals = parseToolContent<Array<Record<string, unknown>>>(results1[1].content)!;
		expect(deals).toHaveLength(1);
		expect(deals[0]).toEqual(expect.objectContaining({ id: customer.deal.id, item_name: customer.deal.item_name, group_name: customer.deal.group_name, 'Customer Phone': customer.phone }));
		const results2 = toolResults(turn3);
		expect(results2.slice(0, 2)).toEqual(results1);
		expect(results2.slice(2).map((r) => [r.name, r.arguments])).toEqual([['Send_WhatsApp_message', expect.objectContaining({ phone: customer.phone, message: whatsapp })]]);
		const sentMessages = parseToolContent<Array<Record<string, unknown>>>(results2[2].content)!;
		expect(sentMessages).toEqual([expect.objectContaining({ id: sent.id, message: whatsapp, status: 'sent', conversation_id: customer.conversationId })]);
		// the history the model is given keeps every call and result of this chat message
		expect(turn3.messages.slice(0, turn2.messages.length)).toEqual(turn2.messages);

		// the tool nodes' runs in the execution: their input is the model's arguments, their output what the model got
		// (n8n 1.x records the chat item's fields and the tool call's id beside the arguments)
		const toolInput = (args: Record<string, unknown>) => (selectedLine().id === '1' ? expect.objectContaining(args) : args);
		expect(inputs(execution.runData, 'Find orders', 'ai_tool')).toEqual([[toolInput({ search: customer.phone })]]);
		expect(outputs(execution.runData, 'Find orders', 'ai_tool')).toEqual([foundOrders]);
		expect(inputs(execution.runData, 'Find CRM deal', 'ai_tool')).toEqual([[toolInput({ phone: customer.phone })]]);
		expect(outputs(execution.runData, 'Find CRM deal', 'ai_tool')).toEqual([deals]);
		expect(inputs(execution.runData, 'Send WhatsApp message', 'ai_tool')).toEqual([[toolInput({ phone: customer.phone, message: whatsapp })]]);
		expect(outputs(execution.runData, 'Send WhatsApp message', 'ai_tool')).toEqual([sentMessages]);
		expect(execution.runData['OpenAI Chat Model']).toHaveLength(3);
		Object.assign(firstTurn, { question, answer, sent: sentMessages });
	});

	it('the next message of the same chat: Simple Memory gives the model the earlier exchange; the dev demo script answers "status of order N" from the Find orders tool', async () => {
		const number = customer.shipping.order_number;
		const question = `What is the status of order ${number}?`;
		model.clear();
		model.setScript(demoScript());
		env.sandbox.clearJournal();

		const { reply, execution } = await chat(EXAMPLE, 'e2e-session-1', question);

		expect(execution.status).toBe('success');
		const [turn1, turn2] = model.completions;
		expect(model.completions).toHaveLength(2);
		// the earlier exchange comes from the memory, before the new question: the question, the last tool call of
		// that turn (n8n 2.41's Simple Memory keeps the final step's calls, here the WhatsApp send) and the answer;
		// n8n 1.x's Simple Memory keeps the question and the answer only
		const roles = turn1.messages.map((m) => [m.role, m.tool_calls?.map((c) => c.function.name)]);
		if (selectedLine().id === '1') {
			expect(roles).toEqual([['system', undefined], ['user', undefined], ['assistant', undefined], ['user', undefined]]);
			expect(turn1.messages[1].content).toBe(firstTurn.question);
			// (its answer in the memory starts with the turn's tool calls as text: "[Used tools: Tool: …, Input: …, Result: …]")
			expect(turn1.messages[2].content).toEqual(expect.stringContaining(firstTurn.answer));
			expect(turn1.messages[3].content).toBe(question);
		} else {
			expect(roles).toEqual([
				['system', undefined],
				['user', undefined],
				['assistant', ['Send_WhatsApp_message']],
				['tool', undefined],
				['assistant', undefined],
				['user', undefined],
			]);
			expect(turn1.messages[1].content).toBe(firstTurn.question);
			expect(parseToolContent(textOf(turn1.messages[3]))).toEqual(firstTurn.sent);
			expect(turn1.messages[4].content).toBe(firstTurn.answer);
			expect(turn1.messages[5].content).toBe(question);
		}
		// the demo script searched the order number; the search also matches phone numbers, it kept order N
		expect(toolResults(turn2).map((r) => [r.name, r.arguments])).toEqual([['Find_orders', expect.objectContaining({ search: String(number) })]]);
		expect(calls(env.sandbox.journal())).toEqual(['GET /api/orders']);
		expect(env.sandbox.journal()[0].query).toEqual({ search: String(number), page: '1', limit: '5' });
		const { payment_status: paid, grand_total: total } = customer.shipping;
		expect(reply.output).toBe(`Order #${number} (${customer.name}, ${customer.phone}): shipping, payment ${paid}, total Rp ${total.toLocaleString('id-ID')}.`);
		expect(outputs(execution.runData, 'AI Agent', 'main')).toEqual([[{ output: reply.output }]]);

		// a question without an order or phone number: the demo explains itself, no tool runs
		model.clear();
		const help = await chat(EXAMPLE, 'e2e-session-2', 'Halo!');
		expect(help.reply).toEqual({ output: DEMO_HELP });
		expect(model.completions).toHaveLength(1);
	});

	it('Cekat tools as the editor makes them (Description "Set Automatically", fields filled by ✨): tool names, descriptions and required arguments; an order number as order ID and an unknown phone, as the model sees them', async () => {
		const number = customer.shipping.order_number;
		model.clear();
		model.setScript([
			// what a model plausibly does with "order 1245": pass the number as the Order argument; and a phone nobody has
			{
				toolCalls: [
					{ name: 'Get_an_order_in_Cekat', arguments: { Order: String(number) } },
					{ name: 'Get_contacts_by_phone_number_in_Cekat', arguments: { Phone_Number: '6280000000001' } },
				],
			},
			{ content: 'done' },
		]);
		env.sandbox.clearJournal();

		const { reply, execution } = await chat(EDITOR_TOOLS, 'e2e-session-3', `Status of order ${number}?`);
		// n8n 2.x hands a failing tool's error message to the model and the agent goes on; n8n 1.x (its engine has no
		// "AI tools continue on error" default) ends the execution at the tool's error, here the node's own message
		const oneX = selectedLine().id === '1';
		if (oneX) {
			expect(execution.status).toBe('error');
			expect(execution.error?.message).toContain(`Order: "${number}" is not a Cekat ID`);
		} else {
			expect(reply).toEqual({ output: 'done' });
			expect(execution.status).toBe('success');
		}

		// names: the editor names a tool node after its action ("… in Cekat"); descriptions: n8n's automatic one,
		// "<the operation's action> in Cekat"; arguments: the ✨ keys (from the field names), all required
		const [turn1, turn2] = model.completions;
		const actions = await operationActions();
		const tools = turn1.tools!.map(toolSummary).sort((a, b) => a.name.localeCompare(b.name));
		console.log(`Cekat tools as the editor makes them, as the model receives them:\n${tools.map((t) => `  ${t.name}(${Object.keys(t.parameters?.properties ?? {}).join(', ')}): "${t.description}"`).join('\n')}`);
		const args = (...keys: string[]) => expect.objectContaining({ type: 'object', properties: Object.fromEntries(keys.map((k) => [k, { type: 'string' }])), ...(keys.length ? { required: keys } : {}) });
		expect(tools).toEqual([
			{ name: 'Get_an_order_in_Cekat', description: `${actions['order.get']} in Cekat`, parameters: args('Order') },
			{ name: 'Get_contacts_by_phone_number_in_Cekat', description: `${actions['contact.getByPhone']} in Cekat`, parameters: args('Phone_Number') },
			{ name: 'Get_many_conversations_in_Cekat', description: `${actions['conversation.getAll']} in Cekat`, parameters: args() },
			{ name: 'Get_many_orders_in_Cekat', description: `${actions['order.getAll']} in Cekat`, parameters: args('Search') },
			{ name: 'Search_CRM_items_in_Cekat', description: `${actions['crmItem.search']} in Cekat`, parameters: args('rule0_Value') },
			{ name: 'Send_a_WhatsApp_message_in_Cekat', description: `${actions['message.sendWhatsApp']} in Cekat`, parameters: args('Phone_Number', 'Message') },
		]);
		for (const t of tools) {
			expect(t.name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
			expect(t.description!.length).toBeGreaterThan(10);
		}

		if (oneX) {
			expect(model.completions).toHaveLength(1);
			expect(env.sandbox.journal().filter((e) => e.path.startsWith('/api/orders'))).toEqual([]);
			return;
		}
		// what the tools returned to the model: the order number is refused before any request, and the model gets
		// the error's message only (not its description), so the message itself says what an ID is; the unknown phone
		// number, for which the node outputs no items, reaches the model as an empty string
		const results = toolResults(turn2);
		console.log(`What they returned to the model:\n${results.map((r) => `  ${r.name}(${JSON.stringify(r.arguments)}) → ${r.content}`).join('\n')}`);
		expect(results.map((r) => r.name)).toEqual(['Get_an_order_in_Cekat', 'Get_contacts_by_phone_number_in_Cekat']);
		expect(parseToolContent(results[0].content)).toEqual([{ error: expect.stringContaining(`Order: "${number}" is not a Cekat ID (a UUID, not a number or name)`) }]);
		expect(results[1].content).toBe('""');
		expect(outputs(execution.runData, 'Get contacts by phone number in Cekat', 'ai_tool')).toEqual([[]]);
		expect(calls(env.sandbox.journal())).toEqual(['GET /business_workflows/contact']);
		expect(env.sandbox.journal()[0].query).toEqual({ phone_number: '6280000000001' });
	});

	it('n8n logged no Cekat API key', () => {
		expect(server.log).not.toContain(API_KEY);
	});

	/** The `action` of each Cekat operation ("resource.operation" → action), from the node type n8n serves the editor. */
	async function operationActions(): Promise<Record<string, string>> {
		const types = (await (await server.http('/types/nodes.json')).json()) as Array<{ name: string; properties: Array<{ name: string; displayOptions?: { show?: { resource?: string[] } }; options?: Array<{ value: string; action?: string }> }> }>;
		const tool = types.find((t) => t.name === 'n8n-nodes-cekat.cekatTool')!;
		const actions: Record<string, string> = {};
		for (const p of tool.properties.filter((p) => p.name === 'operation')) for (const o of p.options ?? []) actions[`${p.displayOptions!.show!.resource![0]}.${o.value}`] = o.action!;
		return actions;
	}
});

/** A ✨ field ("Let the model define this parameter"), as the editor writes it: the key from the field's name, no description. */
const fromAi = (key: string) => `={{ /*n8n-auto-generated-fromAI-override*/ $fromAI('${key}', \`\`, 'string') }}`;

/**
 * An agent with Cekat tool nodes as a user adds them in the editor: each named after its action, Description left on
 * "Set Automatically", the fields the model should fill set with ✨.
 */
function editorToolsWorkflow(): Workflow {
	const tool = (name: string, x: number, parameters: Record<string, unknown>) => ({
		id: `e2e-tool-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
		name,
		type: 'n8n-nodes-cekat.cekatTool',
		typeVersion: 1,
		position: [x, 300],
		parameters,
		credentials: { cekatApi: { ...SANDBOX_CREDENTIAL } },
	});
	const tools = [
		tool('Get many orders in Cekat', 0, { resource: 'order', operation: 'getAll', limit: 5, filters: { search: fromAi('Search') } }),
		tool('Get an order in Cekat', 160, { resource: 'order', operation: 'get', orderId: { __rl: true, mode: 'id', value: fromAi('Order') } }),
		tool('Get contacts by phone number in Cekat', 320, { resource: 'contact', operation: 'getByPhone', phoneNumber: fromAi('Phone_Number') }),
		tool('Send a WhatsApp message in Cekat', 480, { resource: 'message', operation: 'sendWhatsApp', sendTo: 'phone', receiver: fromAi('Phone_Number'), message: fromAi('Message'), options: {} }),
		tool('Get many conversations in Cekat', 640, { resource: 'conversation', operation: 'getAll', limit: 5 }),
		tool('Search CRM items in Cekat', 800, {
			resource: 'crmItem',
			operation: 'search',
			boardId: { __rl: true, mode: 'list', value: SALES_BOARD_ID, cachedResultName: 'Sales Pipeline' },
			condition: 'AND',
			rules: { rule: [{ column: 'Customer Phone', operator: 'equals', value: fromAi('rule0_Value') }] },
			returnAll: true,
		}),
	];
	return {
		id: EDITOR_TOOLS,
		name: 'e2e: agent with Cekat tools as the editor makes them',
		nodes: [
			{ id: 'e2e-chat', name: CHAT_TRIGGER, type: '@n8n/n8n-nodes-langchain.chatTrigger', typeVersion: 1.3, position: [0, 0], webhookId: '3b7d2f4e-9a1c-4e8b-b5d6-7c0e1f2a3b4c', parameters: { options: {} } },
			{ id: 'e2e-agent', name: 'AI Agent', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 3.1, position: [260, 0], parameters: { options: {} } },
			{
				id: 'e2e-model',
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.3,
				position: [0, 300],
				parameters: { model: { __rl: true, mode: 'list', value: 'gpt-4o-mini' }, responsesApiEnabled: false, options: {} },
				credentials: { openAiApi: { ...OPENAI_CREDENTIAL } },
			},
			...tools,
		],
		connections: {
			...connect({ [CHAT_TRIGGER]: ['AI Agent'] }),
			'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			...Object.fromEntries(tools.map((t) => [t.name, { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] }])),
		},
	};
}

