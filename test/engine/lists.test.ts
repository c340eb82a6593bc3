import { onlyRequest, useEnv } from './env';

describe('Read-only lists and conversations through the engine', () => {
	const env = useEnv();

	const pageLists: Array<{ resource: string; operation: string; path: string; count: () => number }> = [
		{ resource: 'agent', operation: 'getAll', path: '/api/agents', count: () => env.sandbox.store.agents.size },
		{ resource: 'agentAssignment', operation: 'getAll', path: '/api/agent_assignments', count: () => env.sandbox.store.agentAssignments.size },
		{ resource: 'contact', operation: 'getAll', path: '/api/contacts', count: () => env.sandbox.store.contacts.size },
		{ resource: 'inbox', operation: 'getAll', path: '/api/inboxes', count: () => env.sandbox.store.inboxes.size },
		{ resource: 'template', operation: 'getAll', path: '/api/templates', count: () => env.sandbox.store.templates.size },
		{ resource: 'campaign', operation: 'getAll', path: '/api/campaigns', count: () => env.sandbox.store.campaigns.size },
		{ resource: 'conversation', operation: 'getAgentAssignments', path: '/api/conversations/agent-assignments', count: () => env.sandbox.store.currentAssignments().length },
	];

	it.each(pageLists)('$resource → $operation with Return All returns every record once', async ({ resource, operation, path, count }) => {
		const result = await env.run({ resource, operation, returnAll: true });
		expect(result.error).toBeUndefined();
		const requests = env.requests();
		const total = count();
		expect(requests).toHaveLength(Math.max(1, Math.ceil(total / 100)));
		requests.forEach((r, i) => {
			expect(`${r.method} ${r.path}`).toBe(`GET ${path}`);
			expect(r.query).toEqual({ page: String(i + 1), limit: '100' });
			expect(r.auth).toBe('api_key');
		});
		expect(result.json).toHaveLength(total);
		const ids = result.json.map((r) => r.id ?? r.conversation_id);
		expect(new Set(ids).size).toBe(total);
	});

	it.each(pageLists)('$resource → $operation with Limit 3 asks for 3 and returns 3', async ({ resource, operation, path }) => {
		const result = await env.run({ resource, operation, returnAll: false, limit: 3 });
		expect(onlyRequest(env, 'GET', path).query).toEqual({ page: '1', limit: '3' });
		expect(result.json).toHaveLength(3);
	});

	it('Contact → Get Many walks 3+ pages (page family)', async () => {
		const total = env.sandbox.store.contacts.size;
		expect(total).toBeGreaterThan(300);
		const result = await env.run({ resource: 'contact', operation: 'getAll', returnAll: true });
		expect(env.requests().length).toBeGreaterThanOrEqual(3);
		expect(result.json.map((c) => c.id).sort()).toEqual(env.sandbox.store.contacts.all().map((c) => c.id).sort());
	});

	it('Agent → Get Many sends the date filters as Jakarta dates', async () => {
		await env.run({ resource: 'agent', operation: 'getAll', returnAll: false, limit: 10, filters: { startDate: '2026-01-01T20:00:00.000Z', endDate: '2099-12-31' } });
		// 20:00 UTC on 1 January is already 2 January in Jakarta.
		expect(onlyRequest(env, 'GET', '/api/agents').query).toEqual({ start_date: '2026-01-02', end_date: '2099-12-31', page: '1', limit: '10' });
	});

	it('Campaign → Get Messages lists the messages of one campaign', async () => {
		const campaign = env.sandbox.store.campaigns.all()[0];
		const expected = env.sandbox.store.campaignMessagesOf(campaign.id);
		const result = await env.run({ resource: 'campaign', operation: 'getMessages', campaignId: campaign.id, returnAll: true });
		const requests = env.requests();
		expect(requests[0].path).toBe(`/api/campaigns/${campaign.id}/messages`);
		expect(requests[0].auth).toBe('api_key');
		expect(result.json.map((m) => m.id).sort()).toEqual(expected.map((m) => m.id).sort());
		expect(result.json.every((m) => m.campaign_id === campaign.id)).toBe(true);
	});

	it('Conversation → Get Many follows the cursor over 3+ pages and returns every conversation once', async () => {
		const total = env.sandbox.store.conversations.size;
		const result = await env.run({ resource: 'conversation', operation: 'getAll', returnAll: true });
		const requests = env.requests();
		expect(requests.length).toBeGreaterThanOrEqual(3);
		expect(requests[0].query).toEqual({ page: '1', limit: '100' });
		for (const request of requests.slice(1)) {
			expect(Object.keys(request.query).sort()).toEqual(['cursor_id', 'cursor_ts', 'limit']);
		}
		expect(result.json).toHaveLength(total);
		expect(new Set(result.json.map((c) => c.id)).size).toBe(total);
	});

	it('Conversation → Update sends only the set fields and the change is stored', async () => {
		const conversation = env.sandbox.store.conversations.all()[3];
		const aiAgent = env.sandbox.store.aiAgents[0].id;
		const result = await env.run({ resource: 'conversation', operation: 'update', conversationId: conversation.id, updateFields: { assignedAiAgent: aiAgent, keepAssignedAiAgentOnResolve: true } });
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'PUT', `/api/conversations/${conversation.id}`).body).toEqual({ assigned_ai_agent: aiAgent, keep_assigned_ai_agent_on_resolve: true });
		expect(result.json[0]).toEqual(expect.objectContaining({ id: conversation.id, assigned_ai_agent: aiAgent }));
		expect(env.sandbox.store.conversations.get(conversation.id)?.assigned_ai_agent).toBe(aiAgent);
		env.sandbox.reset();
	});
});
