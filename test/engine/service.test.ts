/**
 * Customer-service actions (Cekat's /business_workflows/* routes, server host) and the contact routes, through
 * n8n's engine against the sandbox: what the sandbox received, the node's output and the sandbox's state after.
 * The answers of these routes are not evidenced; the sandbox's choice is contract-16's `{ success, message, data }`.
 */
import type { IDataObject, INodeListSearchResult } from 'n8n-workflow';

import { byId, fromList, onlyRequest, UNKNOWN_ID, useEnv, type Env } from './env';

const conversationOf = (env: Env, id: string) => env.sandbox.store.conversations.get(id)!;

/** A conversation whose handler is not `agentId`, and that agent. */
function conversationAndOtherAgent(env: Env) {
	const { store } = env.sandbox;
	const conversation = store.conversations.all().find((c) => c.stage_status === 'open' && c.handled_by_id === null) ?? store.conversations.all()[0];
	const agent = store.agents.all().find((a) => a.id !== conversation.handled_by_id)!;
	return { conversation, agent };
}

const action = (operation: string, conversationId: object | string, extra: IDataObject = {}): IDataObject =>
	({ resource: 'conversation', operation, conversationId, ...extra }) as IDataObject;

describe('Conversation actions through the engine', () => {
	const env = useEnv();
	afterEach(() => env.sandbox.reset());

	it('Assign Agent posts { conversation_id, agent_id }; outputs the conversation now handled by the agent, stage assigned', async () => {
		const { conversation, agent } = conversationAndOtherAgent(env);
		const result = await env.run(action('assignAgent', fromList(conversation.id), { agentId: fromList(agent.id) }));
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'POST', '/business_workflows/assign-agent').body).toEqual({ conversation_id: conversation.id, agent_id: agent.id });
		expect(result.json).toHaveLength(1);
		expect(result.json[0]).toEqual(expect.objectContaining({ id: conversation.id, handled_by_id: agent.id, handled_by_name: agent.name, stage_status: 'assigned' }));
		const stored = conversationOf(env, conversation.id);
		expect([stored.handled_by_id, stored.stage_status]).toEqual([agent.id, 'assigned']);
	});

	it('Add Collaborator adds the agent to collaborators once', async () => {
		const { conversation, agent } = conversationAndOtherAgent(env);
		const before = conversation.collaborators.length;
		const result = await env.run(action('addCollaborator', byId(conversation.id), { agentId: byId(agent.id) }));
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'POST', '/business_workflows/add-collaborator').body).toEqual({ conversation_id: conversation.id, agent_id: agent.id });
		expect(result.json[0].collaborators).toEqual(expect.arrayContaining([{ id: agent.id, name: agent.name }]));
		expect(conversationOf(env, conversation.id).collaborators).toHaveLength(before + 1);
	});

	it('Resolve, Set Stage Status, Block AI and Unblock AI send only the conversation (and the stage) and change it', async () => {
		const conversation = env.sandbox.store.conversations.all().find((c) => c.stage_status !== 'resolved')!;
		const id = conversation.id;

		const pending = await env.run(action('setStageStatus', fromList(id), { stageStatus: 'pending' }));
		expect(onlyRequest(env, 'POST', '/business_workflows/conversation-status').body).toEqual({ conversation_id: id, stage_status: 'pending' });
		expect(pending.json[0].stage_status).toBe('pending');
		expect(conversationOf(env, id).stage_status).toBe('pending');

		env.sandbox.clearJournal();
		const blocked = await env.run(action('blockAi', fromList(id)));
		expect(onlyRequest(env, 'POST', '/business_workflows/block-ai').body).toEqual({ conversation_id: id });
		expect(blocked.json[0].ai_blocked).toBe(true);
		expect(conversationOf(env, id).ai_blocked).toBe(true);

		env.sandbox.clearJournal();
		const unblocked = await env.run(action('unblockAi', fromList(id)));
		expect(onlyRequest(env, 'POST', '/business_workflows/unblock-ai').body).toEqual({ conversation_id: id });
		expect(unblocked.json[0].ai_blocked).toBe(false);

		env.sandbox.clearJournal();
		const resolved = await env.run(action('resolve', fromList(id)));
		expect(resolved.error).toBeUndefined();
		expect(onlyRequest(env, 'POST', '/business_workflows/resolve-conversation').body).toEqual({ conversation_id: id });
		expect(resolved.json[0]).toEqual(expect.objectContaining({ id, stage_status: 'resolved' }));
		expect(conversationOf(env, id).stage_status).toBe('resolved');
	});

	it('Add Label with Value and Currency, then Remove Label; the label shows on the conversation in between', async () => {
		const { store } = env.sandbox;
		const conversation = store.conversations.all().find((c) => c.labels.length < store.labels.length)!;
		const label = store.labels.find((l) => !conversation.labels.some((own) => own.id === l.id))!;

		const added = await env.run(action('addLabel', fromList(conversation.id), { labelId: fromList(label.id), labelOptions: { value: '1,250,000', currency: 'idr' } }));
		expect(added.error).toBeUndefined();
		expect(onlyRequest(env, 'POST', '/business_workflows/labels').body).toEqual({ conversation_id: conversation.id, label_id: label.id, value: 1250000, currency: 'idr' });
		expect(added.json[0].labels).toEqual(expect.arrayContaining([{ id: label.id, name: label.name, color: label.color }]));
		expect(conversationOf(env, conversation.id).label_values?.[label.id]).toEqual({ value: 1250000, currency: 'idr' });

		env.sandbox.clearJournal();
		const removed = await env.run(action('removeLabel', fromList(conversation.id), { labelId: byId(label.id) }));
		expect(onlyRequest(env, 'POST', '/business_workflows/labels/remove').body).toEqual({ conversation_id: conversation.id, label_id: label.id });
		expect((removed.json[0].labels as IDataObject[]).map((l) => l.id)).not.toContain(label.id);
	});

	it('Add Label without options sends neither value nor currency', async () => {
		const { store } = env.sandbox;
		const conversation = store.conversations.all()[3];
		const result = await env.run(action('addLabel', fromList(conversation.id), { labelId: fromList(store.labels[0].id) }));
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'POST', '/business_workflows/labels').body).toEqual({ conversation_id: conversation.id, label_id: store.labels[0].id });
	});

	it('Set Pipeline Status stores the status on the conversation', async () => {
		const { store } = env.sandbox;
		const conversation = store.conversations.all()[7];
		const status = store.pipelines.find((p) => p.id !== conversation.pipeline?.id)!;
		const result = await env.run(action('setPipelineStatus', fromList(conversation.id), { pipelineStatusId: fromList(status.id) }));
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'POST', '/business_workflows/pipeline-status').body).toEqual({ conversation_id: conversation.id, pipeline_status_id: status.id });
		expect(result.json[0].pipeline).toEqual({ id: status.id, name: status.name });
		expect(conversationOf(env, conversation.id).pipeline?.id).toBe(status.id);
	});

	it('Assign AI Agent (value "update") with the picker: PUT /api/conversations/{id} with the AI agent and the resolve flag', async () => {
		const { store } = env.sandbox;
		const conversation = store.conversations.all()[11];
		const aiAgent = store.aiAgents.find((a) => a.id !== conversation.assigned_ai_agent)!;
		const result = await env.run(action('update', fromList(conversation.id), { updateFields: { assignedAiAgent: fromList(aiAgent.id), keepAssignedAiAgentOnResolve: true } }));
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'PUT', `/api/conversations/${conversation.id}`).body).toEqual({ assigned_ai_agent: aiAgent.id, keep_assigned_ai_agent_on_resolve: true });
		expect(conversationOf(env, conversation.id).assigned_ai_agent).toBe(aiAgent.id);
	});

	it('Assign AI Agent keeps saved workflows working: a plain ID saved before the picker is still sent', async () => {
		const { store } = env.sandbox;
		const conversation = store.conversations.all()[12];
		const result = await env.run(action('update', conversation.id, { updateFields: { assignedAiAgent: store.aiAgents[1].id } }));
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'PUT', `/api/conversations/${conversation.id}`).body).toEqual({ assigned_ai_agent: store.aiAgents[1].id });
	});

	it('Get answers the conversation as GET /api/conversations/{id} shows it', async () => {
		const conversation = env.sandbox.store.conversations.all()[20];
		const wire = (await env.api.get(`/api/conversations/${conversation.id}`)).data.data as IDataObject;
		env.sandbox.clearJournal();
		const result = await env.run(action('get', fromList(conversation.id)));
		expect(result.error).toBeUndefined();
		onlyRequest(env, 'GET', `/api/conversations/${conversation.id}`);
		expect(result.json).toEqual([wire]);
	});
});

describe('Conversation actions: bad input', () => {
	const env = useEnv();
	afterEach(() => env.sandbox.reset());

	it('an unknown agent id reaches Cekat, which answers 404: its message is shown and nothing changes', async () => {
		const { conversation } = conversationAndOtherAgent(env);
		const revision = env.sandbox.store.revision;
		const result = await env.run(action('assignAgent', fromList(conversation.id), { agentId: byId(UNKNOWN_ID) }));
		expect(result.error?.message).toMatch(/Agent not found/);
		expect(env.requests().map((r) => [r.path, r.status])).toEqual([['/business_workflows/assign-agent', 404]]);
		expect(env.sandbox.store.revision).toBe(revision);
	});

	it.each([
		['a conversation id that is not a Cekat id', action('resolve', byId('Budi Santoso')), /^Conversation: "Budi Santoso" is not a Cekat ID \(a UUID, not a number or name\) \[item 0\]/],
		['an order number as the conversation', action('blockAi', byId('ORD-000123')), /^Conversation: "ORD-000123" is not a Cekat ID/],
		// An expression that yields nothing (an empty field is already stopped by n8n's own required check).
		['no conversation', action('resolve', fromList('={{ "" }}')), /^Conversation: is required \[item 0\]/],
		['an agent name typed as its id', action('assignAgent', byId(UNKNOWN_ID), { agentId: byId('Rina') }), /^Agent: "Rina" is not a Cekat ID/],
		['a label name typed as its id', action('addLabel', byId(UNKNOWN_ID), { labelId: byId('Hot Lead') }), /^Label: "Hot Lead" is not an ID \[item 0\]/],
		['a pipeline status left empty', action('setPipelineStatus', byId(UNKNOWN_ID), { pipelineStatusId: byId('={{ $json.missing }}') }), /^Pipeline Status: is required/],
		['a currency without a value', action('addLabel', byId(UNKNOWN_ID), { labelId: byId(UNKNOWN_ID), labelOptions: { currency: 'usd' } }), /^Currency: is the currency of a Value/],
		['a negative value', action('addLabel', byId(UNKNOWN_ID), { labelId: byId(UNKNOWN_ID), labelOptions: { value: -5 } }), /^Value: must be 0 or more/],
		['an AI agent name', action('update', byId(UNKNOWN_ID), { updateFields: { assignedAiAgent: byId('Sekar AI') } }), /^AI Agent: "Sekar AI" is not a Cekat ID/],
	])('%s is refused before any request, naming the field and the item', async (_name, parameters, message) => {
		const result = await env.run(parameters);
		expect(result.error?.message).toMatch(message);
		expect(env.requests()).toEqual([]);
	});

	it('On Error → Continue: a bad item fails alone, the good ones are done', async () => {
		const [a, b] = env.sandbox.store.conversations.all().filter((c) => c.stage_status !== 'resolved');
		const result = await env.run(
			{ resource: 'conversation', operation: 'resolve', conversationId: byId('={{ $json.id }}') },
			{ items: [{ id: a.id }, { id: 'not-an-id' }, { id: b.id }], settings: { onError: 'continueRegularOutput' } },
		);
		expect(result.json.map((j) => j.id ?? j.error)).toEqual([a.id, expect.stringMatching(/^Conversation: "not-an-id" is not a Cekat ID \(a UUID, not a number or name\) \[item 1\]/), b.id]);
		expect(env.requests().map((r) => r.body)).toEqual([{ conversation_id: a.id }, { conversation_id: b.id }]);
	});
});

describe('Contact: Get by Phone and Update Additional Data', () => {
	const env = useEnv();
	afterEach(() => env.sandbox.reset());

	it('Get by Phone normalises the number (0812… → 62812…) and outputs one item per contact found', async () => {
		const contact = env.sandbox.store.contacts.all().find((c) => c.phone_number.startsWith('628'))!;
		const typed = `0${contact.phone_number.slice(2, 5)}-${contact.phone_number.slice(5, 9)} ${contact.phone_number.slice(9)}`;
		const result = await env.run({ resource: 'contact', operation: 'getByPhone', phoneNumber: typed });
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'GET', '/business_workflows/contact').query).toEqual({ phone_number: contact.phone_number });
		expect(result.json).toHaveLength(1);
		expect(result.json[0]).toEqual(expect.objectContaining({ id: contact.id, phone_number: contact.phone_number, display_name: contact.contact_name }));
	});

	it('Get by Phone with no contact outputs no items (and no error)', async () => {
		const result = await env.run({ resource: 'contact', operation: 'getByPhone', phoneNumber: '+62 899 0000 0001' });
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'GET', '/business_workflows/contact').query).toEqual({ phone_number: '6289900000001' });
		expect(result.json).toEqual([]);
	});

	it('Get by Phone refuses a text that is not a phone number before any request', async () => {
		const result = await env.run({ resource: 'contact', operation: 'getByPhone', phoneNumber: 'Budi' });
		expect(result.error?.message).toMatch(/^Phone Number: "Budi" is not a phone number \[item 0\]/);
		expect(env.requests()).toEqual([]);
	});

	it('Update Additional Data with key/value pairs: { contact_id, additional_data }; the contact row after is the output', async () => {
		const contact = env.sandbox.store.contacts.all()[4];
		const kept = { ...contact.additional_data };
		const result = await env.run({
			resource: 'contact',
			operation: 'updateAdditionalData',
			contactId: fromList(contact.id),
			dataMode: 'pairs',
			additionalData: { data: [{ key: 'city', value: 'Bandung' }, { key: 'tier', value: 'gold' }] },
		});
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'POST', '/business_workflows/additional-data').body).toEqual({ contact_id: contact.id, additional_data: { city: 'Bandung', tier: 'gold' } });
		expect(result.json).toHaveLength(1);
		expect(result.json[0]).toEqual(expect.objectContaining({ id: contact.id }));
		// The sandbox merges (not evidenced whether Cekat merges or replaces).
		expect(env.sandbox.store.contacts.get(contact.id)!.additional_data).toEqual({ ...kept, city: 'Bandung', tier: 'gold' });
		expect(result.json[0].additional_data).toEqual({ ...kept, city: 'Bandung', tier: 'gold' });
	});

	it('Update Additional Data with a JSON object keeps the values’ types', async () => {
		const contact = env.sandbox.store.contacts.all()[5];
		const result = await env.run({ resource: 'contact', operation: 'updateAdditionalData', contactId: byId(contact.id), dataMode: 'json', dataJson: '{"member": true, "points": 120, "city": "Medan"}' });
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'POST', '/business_workflows/additional-data').body).toEqual({ contact_id: contact.id, additional_data: { member: true, points: 120, city: 'Medan' } });
	});

	it.each([
		['no keys', { dataMode: 'pairs', additionalData: {} }, /^Additional Data: add at least one key \[item 0\]/],
		['a key twice', { dataMode: 'pairs', additionalData: { data: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] } }, /^Additional Data: key "a" is given twice/],
		['an empty key', { dataMode: 'pairs', additionalData: { data: [{ key: ' ', value: '1' }] } }, /^Additional Data: key 1 is empty/],
		['JSON that is not an object', { dataMode: 'json', dataJson: '[1, 2]' }, /^Additional Data \(JSON\): must be a JSON object/],
		['a contact name instead of its id', { contactId: byId('Budi'), dataMode: 'json', dataJson: '{"a": 1}' }, /^Contact: "Budi" is not a Cekat ID/],
	])('Update Additional Data with %s is refused before any request', async (_name, extra, message) => {
		const result = await env.run({ resource: 'contact', operation: 'updateAdditionalData', contactId: byId(env.sandbox.store.contacts.all()[0].id), ...extra });
		expect(result.error?.message).toMatch(message);
		expect(env.requests()).toEqual([]);
	});

	it('an unknown contact gets Cekat’s 404 message', async () => {
		const result = await env.run({ resource: 'contact', operation: 'updateAdditionalData', contactId: byId(UNKNOWN_ID), dataMode: 'json', dataJson: '{"a": 1}' });
		expect(result.error?.message).toMatch(/Contact not found/);
		expect(env.requests().map((r) => r.status)).toEqual([404]);
	});
});

describe('Hosts split: the customer-service routes go to the Server URL, the rest to the Base URL', () => {
	const env = useEnv({ variant: { hosts: 'split' } });
	afterEach(() => env.sandbox.reset());

	it('actions, lookups and pickers on the server host; Assign AI Agent and Get on the api host', async () => {
		const { store } = env.sandbox;
		const { conversation, agent } = conversationAndOtherAgent(env);
		const contact = store.contacts.all()[0];
		const runs = [
			await env.run(action('assignAgent', fromList(conversation.id), { agentId: fromList(agent.id) })),
			await env.run({ resource: 'contact', operation: 'getByPhone', phoneNumber: contact.phone_number }),
			await env.run({ resource: 'contact', operation: 'updateAdditionalData', contactId: fromList(contact.id), dataMode: 'json', dataJson: '{"x": 1}' }),
			await env.run(action('update', fromList(conversation.id), { updateFields: { assignedAiAgent: fromList(store.aiAgents[0].id) } })),
			await env.run(action('get', fromList(conversation.id))),
		];
		for (const run of runs) expect(run.error).toBeUndefined();
		await env.method<INodeListSearchResult>('listSearch', 'searchAgents', { resource: 'conversation', operation: 'assignAgent' }, [undefined, undefined]);
		expect(env.requests().map((r) => [r.method, r.path, r.host, r.status])).toEqual([
			['POST', '/business_workflows/assign-agent', 'server', 200],
			['GET', '/business_workflows/contact', 'server', 200],
			['POST', '/business_workflows/additional-data', 'server', 200],
			['PUT', `/api/conversations/${conversation.id}`, 'api', 200],
			['GET', `/api/conversations/${conversation.id}`, 'api', 200],
			['GET', '/business_workflows/agents', 'server', 200],
		]);
	});

	it('a Server URL pointing at the api host fails with the api host’s 404, not silently', async () => {
		const { conversation } = conversationAndOtherAgent(env);
		const result = await env.run(action('resolve', fromList(conversation.id)), { credentials: { serverUrl: env.sandbox.url } });
		expect(result.error?.message).toMatch(/404/);
		expect(env.requests().map((r) => [r.path, r.host, r.status])).toEqual([['/business_workflows/resolve-conversation', 'api', 404]]);
	});
});

describe('Pickers of the actions (resource locators with search) through n8n-core', () => {
	const env = useEnv();
	const search = (method: string, parameters: IDataObject, filter?: string, token?: string) =>
		env.method<INodeListSearchResult>('listSearch', method, parameters, [filter, token]);

	it('Agent: every human agent from /business_workflows/agents (a bare array), 100 at a time, filtered by name', async () => {
		const agents = env.sandbox.store.agents.all();
		const first = await search('searchAgents', { resource: 'conversation', operation: 'assignAgent' });
		const all = first.paginationToken
			? [...first.results, ...(await search('searchAgents', { resource: 'conversation', operation: 'assignAgent' }, undefined, first.paginationToken)).results]
			: first.results;
		expect(all).toEqual(agents.map((a) => ({ name: a.name, value: a.id })));
		env.sandbox.clearJournal();
		const word = agents[2].name.split(' ')[0].toLowerCase();
		const filtered = await search('searchAgents', { resource: 'conversation', operation: 'addCollaborator' }, word);
		expect(filtered.results.map((r) => r.value)).toEqual(agents.filter((a) => a.name.toLowerCase().includes(word)).map((a) => a.id));
		expect(onlyRequest(env, 'GET', '/business_workflows/agents').query).toEqual({});
	});

	it.each([
		['searchAiAgents', '/business_workflows/ai-agents', (env: Env) => env.sandbox.store.aiAgents],
		['searchConversationLabels', '/business_workflows/labels', (env: Env) => env.sandbox.store.labels],
		['searchPipelineStatuses', '/business_workflows/pipeline-status', (env: Env) => env.sandbox.store.pipelines],
	])('%s lists %s by name, and the search text filters', async (method, path, records) => {
		const all = records(env);
		const result = await search(method, { resource: 'conversation', operation: 'addLabel' });
		expect(result.results).toEqual(all.map((r) => ({ name: r.name, value: r.id })));
		expect(onlyRequest(env, 'GET', path)).toBeTruthy();
		const name = all[1].name;
		const filtered = await search(method, { resource: 'conversation', operation: 'addLabel' }, name.slice(0, 4).toUpperCase());
		expect(filtered.results.map((r) => r.name)).toEqual(all.filter((r) => r.name.toLowerCase().includes(name.slice(0, 4).toLowerCase())).map((r) => r.name));
	});

	it('Contact: pages of the contact list, named with the phone number, searchable by phone', async () => {
		const contact = env.sandbox.store.contacts.all()[37];
		const result = await search('searchContacts', { resource: 'contact', operation: 'updateAdditionalData' }, contact.phone_number);
		expect(result.results).toContainEqual({ name: `${contact.contact_name} (${contact.phone_number})`, value: contact.id });
	});

	it('a picker whose route fails shows Cekat’s error instead of an empty list', async () => {
		await expect(env.method('listSearch', 'searchAgents', { resource: 'conversation', operation: 'assignAgent' }, [undefined, undefined], 'wrong-key')).rejects.toThrow(/401|authenticated/i);
	});
});
