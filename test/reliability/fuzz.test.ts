import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { API_KEY, byId, UNKNOWN_ID, useEnv } from '../engine/env';

/**
 * Property-based fuzzing over every operation: values that users and earlier nodes really produce
 * (empty, huge, unicode, wrong types, path traversal and query injection in ids). Each run must end
 * in success or a clear NodeOperationError / NodeApiError, call only the operation's own route, and a
 * rejected input must leave the sandbox's data unchanged. The seed is printed so a failure replays
 * with FUZZ_SEED=<seed>.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 600);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);

const nasty = fc.oneof(
	fc.constantFrom('', ' ', '\n', '../../etc/passwd', '..%2F..%2Fapi%2Fcrm%2Fboards', 'x?limit=1&api_key=leak', 'a/b#c', '%00', 'null', '[]', '{}', '-1', '0', '1e308', 'ORD-000001', '0812-3456-7890', '+62 812 3456 7890'),
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'grapheme', maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 20 }),
	fc.integer(),
	fc.double({ noNaN: false }),
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
	fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
	fc.constant('x'.repeat(20_000)),
	fc.constant('🙂'.repeat(500)),
);

interface Op {
	/** The only route this operation may call ("METHOD pattern"). */
	route: string;
	parameters: IDataObject;
	/** Reads the operation may make before it (the board's columns, agents by name). */
	reads?: string[];
}

const BOARD_READS = ['GET /api/crm/boards/:id', 'GET /api/agents'];

/** Every fuzzed value reaches the node through an expression over the input item, as data from an earlier node would. */
const v = (name: string) => `={{ $json.${name} }}`;

const OPS: Op[] = [
	{ route: 'GET /api/crm/boards', parameters: { resource: 'crmBoard', operation: 'getAll', returnAll: false, limit: v('n') } },
	{ route: 'GET /api/crm/boards/:id', parameters: { resource: 'crmBoard', operation: 'get', boardId: byId(v('id')) } },
	{ route: 'GET /api/crm/boards/:boardId/columns/:columnId', parameters: { resource: 'crmColumn', operation: 'get', boardId: byId(v('board')), columnId: byId(v('id')) } },
	{ route: 'POST /api/crm/boards/:boardId/columns/by-name', parameters: { resource: 'crmColumn', operation: 'getByName', boardId: byId(v('board')), columnName: v('a') } },
	{ route: 'GET /api/crm/boards/:boardId/items', parameters: { resource: 'crmItem', operation: 'getAll', boardId: byId(v('id')), returnAll: true } },
	{ route: 'GET /api/crm/boards/:boardId/items/:id', parameters: { resource: 'crmItem', operation: 'get', boardId: byId(v('board')), itemId: byId(v('id')) } },
	{ route: 'POST /api/crm/boards/:boardId/items', parameters: { resource: 'crmItem', operation: 'create', boardId: byId(v('board')), itemName: v('a'), valuesJson: v('b') }, reads: BOARD_READS },
	{ route: 'PUT /api/crm/boards/:boardId/items/:itemId', parameters: { resource: 'crmItem', operation: 'update', boardId: byId(v('board')), itemId: byId(v('id')), updateFields: { itemName: v('a') }, valuesJson: v('b') }, reads: BOARD_READS },
	{ route: 'DELETE /api/crm/boards/:boardId/items', parameters: { resource: 'crmItem', operation: 'delete', boardId: byId(v('board')), itemIds: v('a') } },
	{ route: 'POST /api/crm/boards/:boardId/items/search', parameters: { resource: 'crmItem', operation: 'search', boardId: byId(v('board')), condition: 'OR', rules: { rule: [{ column: v('a'), operator: 'contains', value: v('b') }] }, returnAll: true }, reads: BOARD_READS },
	{ route: 'GET /api/orders', parameters: { resource: 'order', operation: 'getAll', returnAll: false, limit: 5, filters: { search: v('a'), startDate: v('b'), inboxId: v('id'), productIds: v('n') } } },
	{ route: 'GET /api/orders/:id', parameters: { resource: 'order', operation: 'get', orderId: byId(v('id')) } },
	{ route: 'POST /api/orders', parameters: { resource: 'order', operation: 'create', products: { product: [{ productName: v('a'), quantity: v('n'), price: v('b') }] }, paymentMethod: 'manual', bankAccountNumber: v('a'), buyer: 'phone', phoneNumber: v('a'), additionalFields: { discount: v('n') } } },
	{ route: 'POST /api/orders', parameters: { resource: 'order', operation: 'create', products: { product: [{ productName: 'Kopi', quantity: 1, price: 1000 }] }, paymentMethod: 'xendit', buyer: 'contact', contactId: v('id') } },
	{ route: 'PUT /api/orders/:id', parameters: { resource: 'order', operation: 'update', orderId: byId(v('id')), updateFields: { notes: v('a'), customInvoiceUrl: v('b') } } },
	{ route: 'POST /messages/whatsapp', parameters: { resource: 'message', operation: 'sendWhatsApp', sendTo: 'phone', receiver: v('a'), messageType: 'text', message: v('b') } },
	{ route: 'POST /messages/whatsapp', parameters: { resource: 'message', operation: 'sendWhatsApp', sendTo: 'conversation', conversationId: byId(v('id')), messageType: 'location', location: { latitude: v('a'), longitude: v('n') } } },
	{ route: 'POST /messages/whatsapp', parameters: { resource: 'message', operation: 'sendWhatsApp', sendTo: 'conversation', conversationId: byId(v('id')), messageType: 'cta_url', message: v('a'), buttonText: v('b'), buttonUrl: v('a') } },
	{ route: 'POST /templates/send', parameters: { resource: 'message', operation: 'sendTemplate', inboxId: byId(v('id')), templateId: byId(v('a')), templatePhoneNumber: v('b'), bodyVariables: { variable: [{ value: v('n') }] } } },
	{ route: 'GET /api/messages', parameters: { resource: 'message', operation: 'getAll', returnAll: false, limit: v('n'), filters: { conversationId: v('id'), endDate: v('b') } } },
	{ route: 'GET /messages', parameters: { resource: 'message', operation: 'getConversationHistory', historyConversationId: byId(v('id')), returnAll: true } },
	{ route: 'GET /api/messages/summary/ai_credits', parameters: { resource: 'message', operation: 'getAiCreditUsage', filters: { conversationId: v('id'), startDate: v('a') } } },
	{ route: 'GET /api/conversations', parameters: { resource: 'conversation', operation: 'getAll', returnAll: false, limit: v('n'), filters: { startDate: v('a') } } },
	{ route: 'PUT /api/conversations/:id', parameters: { resource: 'conversation', operation: 'update', conversationId: byId(v('id')), updateFields: { assignedAiAgent: v('a') } } },
	{ route: 'GET /api/conversations/agent-assignments', parameters: { resource: 'conversation', operation: 'getAgentAssignments', returnAll: false, limit: 3, filters: { endDate: v('a') } } },
	{ route: 'GET /api/agents', parameters: { resource: 'agent', operation: 'getAll', returnAll: false, limit: v('n') } },
	{ route: 'GET /api/agent_assignments', parameters: { resource: 'agentAssignment', operation: 'getAll', returnAll: false, limit: 3, filters: { startDate: v('b') } } },
	{ route: 'GET /api/contacts', parameters: { resource: 'contact', operation: 'getAll', returnAll: false, limit: v('n') } },
	{ route: 'GET /api/inboxes', parameters: { resource: 'inbox', operation: 'getAll', returnAll: false, limit: 2 } },
	{ route: 'GET /api/templates', parameters: { resource: 'template', operation: 'getAll', returnAll: false, limit: v('n') } },
	{ route: 'GET /api/campaigns', parameters: { resource: 'campaign', operation: 'getAll', returnAll: false, limit: 3, filters: { startDate: v('a'), endDate: v('b') } } },
	{ route: 'GET /api/campaigns/:id/messages', parameters: { resource: 'campaign', operation: 'getMessages', campaignId: byId(v('id')), returnAll: false, limit: v('n') } },
];

describe('fuzzing every operation', () => {
	const env = useEnv();
	const stats = { runs: 0, succeeded: 0, refusedLocally: 0, refusedByServer: 0 };

	afterAll(() => {
		// eslint-disable-next-line no-console
		console.log(`fuzz: seed ${SEED}, ${stats.runs} parameter sets over ${OPS.length} operation shapes: ${stats.succeeded} succeeded, ${stats.refusedLocally} refused before any request, ${stats.refusedByServer} refused by the sandbox; leaks found: 0`);
	});

	it(`${RUNS} generated parameter sets end in success or a clear error, on the operation's own route only`, async () => {
		const { store } = env.sandbox;
		const realIds = [
			...store.orders.all().slice(0, 3).map((o) => o.id),
			...store.boards.all().map((b) => b.id),
			...store.crmItems.all().slice(0, 3).map((i) => i.id),
			...store.conversations.all().slice(0, 3).map((c) => c.id),
			...store.campaigns.all().slice(0, 2).map((c) => c.id),
			...store.inboxes.all().map((i) => i.id),
			...store.contacts.all().slice(0, 2).map((c) => c.id),
		];
		const id = fc.oneof(nasty, fc.constantFrom(...realIds), fc.constant(UNKNOWN_ID), fc.uuid());
		const board = fc.oneof(fc.constantFrom(...store.boards.all().map((b) => b.id)), id);

		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...OPS), fc.record({ id, board, a: nasty, b: nasty, n: nasty }), async (op, item) => {
				env.sandbox.clearJournal();
				const revision = store.revision;
				const result = await env.run(op.parameters, { items: [item as IDataObject] });
				stats.runs++;
				const requests = env.sandbox.journal();

				for (const request of requests) {
					// Column values and search rules read the board (and agents) first: docs/cekat-api.md, Node → CRM.
					expect([op.route, ...(op.reads ?? [])]).toContain(`${request.method} ${request.route}`);
					expect(request.status).toBeLessThan(500);
				}
				expect(JSON.stringify(result.run)).not.toContain(API_KEY);
				if (!result.error) {
					stats.succeeded++;
					return;
				}
				expect(['NodeOperationError', 'NodeApiError']).toContain(result.error.name);
				expect(typeof result.error.message).toBe('string');
				expect(result.error.message.length).toBeGreaterThan(0);
				expect(result.error.message).not.toMatch(/undefined|\[object Object\]|Cannot read|is not a function/);
				// A rejected input changes nothing.
				expect(store.revision).toBe(revision);
				if (requests.length === 0) stats.refusedLocally++;
				else stats.refusedByServer++;
			}),
			{ numRuns: RUNS, seed: SEED, endOnFailure: true },
		);
	});
});
