/**
 * `npm run docs`: writes docs/operations.md, the reference of every resource and operation: the Cekat route,
 * the fields (from the node's own description, so they cannot drift) and an example run against the local
 * sandbox through n8n's engine, with the request the sandbox received and the node's output (trimmed).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox';
import { loadPackage, runCekat } from '../test/engine/harness';

const KEY = 'docs-api-key';
const DAY = 86_400_000;
const rl = (value: string) => ({ __rl: true, mode: 'list', value });

interface Example {
	resource: string;
	operation: string;
	text: string;
	parameters: (sb: Sandbox) => IDataObject;
	items?: IDataObject[];
}

function openConversation(sb: Sandbox) {
	return sb.store.conversations.all().find((c) => {
		const last = sb.store.lastContactMessageAt(c.id);
		return sb.store.inboxes.get(c.inbox_id)?.type === 'whatsapp' && !!last && Date.now() - Date.parse(last) < DAY - 3_600_000;
	})!;
}
const board = (sb: Sandbox) => sb.store.boards.all().find((b) => b.name === 'Sales Pipeline')!;
const template = (sb: Sandbox) => sb.store.templates.all().find((t) => t.status === 'APPROVED' && (t.body.match(/\{\{\s*\d+\s*\}\}/g) ?? []).length === 1)!;

const EXAMPLES: Example[] = [
	{ resource: 'crmBoard', operation: 'getAll', text: 'List the boards of the workspace.', parameters: () => ({ returnAll: true }) },
	{ resource: 'crmBoard', operation: 'get', text: 'Read the "Sales Pipeline" board with its columns and groups.', parameters: (sb) => ({ boardId: rl(board(sb).id) }) },
	{ resource: 'crmColumn', operation: 'get', text: 'Read one column of a board.', parameters: (sb) => ({ boardId: rl(board(sb).id), columnId: rl(board(sb).crm_columns[1].id) }) },
	{ resource: 'crmColumn', operation: 'getByName', text: 'Find the column called "Deal Value".', parameters: (sb) => ({ boardId: rl(board(sb).id), columnName: 'Deal Value' }) },
	{ resource: 'crmItem', operation: 'getAll', text: 'The first 2 items of a board.', parameters: (sb) => ({ boardId: rl(board(sb).id), returnAll: false, limit: 2 }) },
	{ resource: 'crmItem', operation: 'get', text: 'Read one item.', parameters: (sb) => ({ boardId: rl(board(sb).id), itemId: rl(sb.store.itemsOfBoard(board(sb).id)[0].id) }) },
	{
		resource: 'crmItem',
		operation: 'create',
		text: 'A new lead from a form: the item name and the columns come from the form’s fields (the Columns mapper; here set by hand).',
		items: [{ name: 'Dewi Lestari', value: 2500000 }],
		parameters: (sb) => ({
			boardId: rl(board(sb).id),
			itemName: '={{ $json.name }}',
			columns: {
				mappingMode: 'defineBelow',
				value: { Stage: 'New Lead', 'Deal Value': '={{ $json.value }}', 'Lead Source': 'Website' },
				matchingColumns: [],
				schema: [
					{ id: 'Stage', displayName: 'Stage', type: 'options', options: [{ name: 'New Lead', value: 'New Lead' }], required: true, defaultMatch: false, display: true },
					{ id: 'Deal Value', displayName: 'Deal Value', type: 'number', required: false, defaultMatch: false, display: true },
					{ id: 'Lead Source', displayName: 'Lead Source', type: 'options', options: [{ name: 'Website', value: 'Website' }], required: false, defaultMatch: false, display: true },
				],
			},
		}),
	},
	{
		resource: 'crmItem',
		operation: 'update',
		text: 'Move an item to "Won" and rename it.',
		parameters: (sb) => ({
			boardId: rl(board(sb).id),
			itemId: rl(sb.store.itemsOfBoard(board(sb).id)[1].id),
			updateFields: { itemName: 'Won: Abon Sapi reseller' },
			columns: { mappingMode: 'defineBelow', value: { Stage: 'Won' }, matchingColumns: [], schema: [{ id: 'Stage', displayName: 'Stage', type: 'options', options: [{ name: 'Won', value: 'Won' }], required: false, defaultMatch: false, display: true }] },
		}),
	},
	{ resource: 'crmItem', operation: 'delete', text: 'Delete two items (IDs separated by commas, or a list from an expression).', parameters: (sb) => ({ boardId: rl(board(sb).id), itemIds: sb.store.itemsOfBoard(board(sb).id).slice(2, 4).map((i) => i.id).join(', ') }) },
	{
		resource: 'crmItem',
		operation: 'search',
		text: 'Items in stage "Won" worth at least Rp 5,000,000.',
		parameters: (sb) => ({ boardId: rl(board(sb).id), condition: 'AND', rules: { rule: [{ column: 'Stage', operator: 'equals', value: 'Won' }, { column: 'Deal Value', operator: 'greater_than_or_equal', value: '5000000' }] }, returnAll: true }),
	},
	{ resource: 'order', operation: 'getAll', text: 'Paid orders of November 2026 (Jakarta time), biggest first, at most 2.', parameters: () => ({ returnAll: false, limit: 2, filters: { paymentStatus: ['paid'], startDate: '2026-11-01', endDate: '2026-11-30', sortField: 'grand_total', sortDirection: 'desc' } }) },
	{ resource: 'order', operation: 'get', text: 'Read one order (pick it by order number, buyer name or phone).', parameters: (sb) => ({ orderId: rl(sb.store.orders.all()[0].id) }) },
	{
		resource: 'order',
		operation: 'create',
		text: 'An order from another shop system: two products, the buyer by phone number (any common format), shipping and discount. Cekat computes the totals.',
		parameters: () => ({
			products: { product: [{ productName: 'Kopi Gayo 250g', quantity: 2, price: 85000 }, { productName: 'Teh Melati', quantity: 1, price: 30000 }] },
			paymentMethod: 'manual',
			bankAccountNumber: 'BCA 1234567890',
			buyer: 'phone',
			phoneNumber: '+62 812-3456-7890',
			additionalFields: { displayName: 'Siti', shippingFee: 15000, discount: 10000 },
		}),
	},
	{ resource: 'order', operation: 'update', text: 'Mark an order as paid and processing.', parameters: (sb) => ({ orderId: rl(sb.store.orders.all()[3].id), updateFields: { orderStatus: 'processing', paymentStatus: 'paid' } }) },
	{ resource: 'message', operation: 'sendWhatsApp', text: 'Reply in a conversation (inside the 24-hour window).', parameters: (sb) => ({ sendTo: 'conversation', conversationId: rl(openConversation(sb).id), messageType: 'text', message: 'Pesanan Anda sudah kami kirim. Terima kasih!' }) },
	{
		resource: 'message',
		operation: 'sendTemplate',
		text: 'Send an approved template to a new customer (works outside the 24-hour window).',
		parameters: (sb) => ({ inboxId: rl(template(sb).inbox_id), templateId: rl(template(sb).wa_template_id), templatePhoneNumber: '0857 1111 2222', phoneName: 'Rina', bodyVariables: { variable: [{ value: 'Rina' }] } }),
	},
	{ resource: 'message', operation: 'getAll', text: 'The last 2 messages of a conversation.', parameters: (sb) => ({ returnAll: false, limit: 2, filters: { conversationId: openConversation(sb).id } }) },
	{ resource: 'message', operation: 'getConversationHistory', text: 'The first 2 messages of a conversation, oldest first.', parameters: (sb) => ({ historyConversationId: rl(openConversation(sb).id), returnAll: false, limit: 2 }) },
	{ resource: 'message', operation: 'getAiCreditUsage', text: 'AI credits used in November 2026.', parameters: () => ({ filters: { startDate: '2026-11-01', endDate: '2026-11-30' } }) },
	{ resource: 'conversation', operation: 'getAll', text: 'The 2 newest conversations.', parameters: () => ({ returnAll: false, limit: 2 }) },
	{ resource: 'conversation', operation: 'update', text: 'Hand a conversation to an AI agent.', parameters: (sb) => ({ conversationId: rl(openConversation(sb).id), updateFields: { assignedAiAgent: sb.store.aiAgents[0].id } }) },
	{ resource: 'conversation', operation: 'get', text: 'One conversation by ID.', parameters: (sb) => ({ conversationId: rl(openConversation(sb).id) }) },
	{ resource: 'conversation', operation: 'assignAgent', text: 'Hand a conversation to a human agent.', parameters: (sb) => ({ conversationId: rl(openConversation(sb).id), agentId: rl(sb.store.agents.all()[1].id) }) },
	{ resource: 'conversation', operation: 'addCollaborator', text: 'Add a second agent to a conversation.', parameters: (sb) => ({ conversationId: rl(openConversation(sb).id), agentId: rl(sb.store.agents.all()[2].id) }) },
	{ resource: 'conversation', operation: 'resolve', text: 'Resolve a conversation.', parameters: (sb) => ({ conversationId: rl(openConversation(sb).id) }) },
	{ resource: 'conversation', operation: 'setStageStatus', text: 'Put a conversation back to pending.', parameters: (sb) => ({ conversationId: rl(openConversation(sb).id), stageStatus: 'pending' }) },
	{ resource: 'conversation', operation: 'blockAi', text: 'Stop the AI agent from answering in a conversation.', parameters: (sb) => ({ conversationId: rl(openConversation(sb).id) }) },
	{ resource: 'conversation', operation: 'unblockAi', text: 'Let the AI agent answer again.', parameters: (sb) => ({ conversationId: rl(openConversation(sb).id) }) },
	{ resource: 'conversation', operation: 'addLabel', text: 'Label a conversation with a deal value.', parameters: (sb) => ({ conversationId: rl(openConversation(sb).id), labelId: rl(sb.store.labels[0].id), labelOptions: { value: 250000, currency: 'idr' } }) },
	{ resource: 'conversation', operation: 'removeLabel', text: 'Remove a label from a conversation.', parameters: (sb) => ({ conversationId: rl(openConversation(sb).id), labelId: rl(sb.store.labels[0].id) }) },
	{ resource: 'conversation', operation: 'setPipelineStatus', text: 'Move a conversation along the pipeline.', parameters: (sb) => ({ conversationId: rl(openConversation(sb).id), pipelineStatusId: rl(sb.store.pipelines[1].id) }) },
	{ resource: 'contact', operation: 'getByPhone', text: 'Find a contact by WhatsApp number (any format: +62, 0812…).', parameters: (sb) => ({ phoneNumber: `0${sb.store.contacts.all()[0].phone_number.slice(2)}` }) },
	{ resource: 'contact', operation: 'updateAdditionalData', text: 'Store data on a contact.', parameters: (sb) => ({ contactId: rl(sb.store.contacts.all()[0].id), dataMode: 'pairs', additionalData: { data: [{ key: 'member_tier', value: 'gold' }] } }) },
	{ resource: 'conversation', operation: 'getAgentAssignments', text: 'Who handles which conversation (2 rows).', parameters: () => ({ returnAll: false, limit: 2 }) },
	{ resource: 'agent', operation: 'getAll', text: 'All agents (2 shown).', parameters: () => ({ returnAll: false, limit: 2 }) },
	{ resource: 'agentAssignment', operation: 'getAll', text: 'Assignment history (2 rows).', parameters: () => ({ returnAll: false, limit: 2 }) },
	{ resource: 'contact', operation: 'getAll', text: 'Contacts (2 shown).', parameters: () => ({ returnAll: false, limit: 2 }) },
	{ resource: 'inbox', operation: 'getAll', text: 'The connected inboxes (2 shown).', parameters: () => ({ returnAll: false, limit: 2 }) },
	{ resource: 'template', operation: 'getAll', text: 'WhatsApp templates (2 shown).', parameters: () => ({ returnAll: false, limit: 2 }) },
	{ resource: 'campaign', operation: 'getAll', text: 'Broadcast campaigns (2 shown).', parameters: () => ({ returnAll: false, limit: 2 }) },
	{ resource: 'campaign', operation: 'getMessages', text: 'The messages of one campaign (2 shown).', parameters: (sb) => ({ campaignId: rl(sb.store.campaigns.all()[0].id), returnAll: false, limit: 2 }) },
	{
		resource: 'event',
		operation: 'track',
		text: 'Report a paid order with its order ID as the event ID (credential: Cekat Events API).',
		parameters: () => ({
			eventType: 'order_paid',
			amount: 250000,
			currency: 'IDR',
			email: 'budi@example.com',
			propertiesInput: 'keyValue',
			properties: { property: [{ name: 'order_id', value: 'SHOP-2001' }] },
			additionalFields: { eventId: 'SHOP-2001-paid', occurredAt: '2026-12-03T08:15:30.250+07:00' },
		}),
	},
];

function trim(value: unknown, depth = 0): unknown {
	if (Array.isArray(value)) return value.length > 3 ? [...value.slice(0, 3).map((v) => trim(v, depth + 1)), `… ${value.length - 3} more`] : value.map((v) => trim(v, depth + 1));
	if (value && typeof value === 'object') {
		if (depth >= 2) return '{…}';
		const entries = Object.entries(value as IDataObject);
		const kept = entries.slice(0, 14).map(([k, v]) => [k, trim(v, depth + 1)]);
		if (entries.length > 14) kept.push(['…', `${entries.length - 14} more fields`]);
		return Object.fromEntries(kept);
	}
	return value;
}

function fieldRows(properties: INodeProperties[], resource: string, operation: string): string[] {
	const visible = properties.filter((p) => {
		const show = p.displayOptions?.show ?? {};
		return (show.resource as string[] | undefined)?.includes(resource) && (show.operation as string[] | undefined)?.includes(operation);
	});
	return visible.map((p) => {
		const conditions = Object.entries(p.displayOptions?.show ?? {})
			.filter(([k]) => k !== 'resource' && k !== 'operation')
			.map(([k, v]) => `when ${k} is ${(v as unknown[]).join(' / ')}`);
		const sub = p.type === 'collection' || p.type === 'fixedCollection'
			? ` — ${(p.options as Array<INodeProperties | { displayName: string; values?: INodeProperties[] }>)
					.flatMap((o) => ('values' in o && o.values ? o.values.map((v) => v.displayName) : [o.displayName]))
					.join(', ')}`
			: '';
		const type = p.type === 'resourceLocator' ? 'picker (From List / By ID)' : p.type === 'resourceMapper' ? 'column mapper' : p.type;
		const description = (p.description ?? '').replace(/<[^>]+>/g, '').replace(/\|/g, '\\|');
		return `| ${p.displayName}${p.required ? ' *' : ''} | ${type} | ${[description + sub, ...conditions].filter(Boolean).join('; ')} |`;
	});
}

async function main() {
	const pkg = await loadPackage();
	const properties = pkg.nodeType.description.properties;
	const resources = properties.find((p) => p.name === 'resource')!.options as INodePropertyOptions[];
	const sb = await startSandbox({ port: 0, apiKey: KEY });
	const out: string[] = [
		'# Resources and operations',
		'',
		'Generated by `npm run docs` from the node’s own description; each example ran through n8n’s engine against the',
		'local Cekat sandbox (its data is made up). `*` marks a required field. Lists return one n8n item per record.',
		'',
	];
	try {
		for (const resource of resources) {
			out.push(`## ${resource.name}`, '');
			const picker = properties.find((p) => p.name === 'operation' && (p.displayOptions?.show?.resource as string[]).includes(resource.value as string))!;
			for (const op of picker.options as INodePropertyOptions[]) {
				// Event → Track is a custom operation on Cekat's event ingest API (no routing).
				const request = op.routing?.request ?? { method: 'POST', url: 'https://t.cekat.ai/api/events/ingest' };
				out.push(`### ${resource.name} → ${op.name}`, '', `${String(op.description)}. \`${String(request.method)} ${String(request.url)}\``, '');
				const rows = fieldRows(properties, resource.value as string, op.value as string);
				if (rows.length) out.push('| Field | Type | Notes |', '|---|---|---|', ...rows, '');
				const example = EXAMPLES.find((e) => e.resource === resource.value && e.operation === op.value);
				if (!example) throw new Error(`no example for ${String(resource.value)}.${String(op.value)}`);
				sb.reset();
				const result = await runCekat({
					parameters: { resource: example.resource, operation: example.operation, ...example.parameters(sb) } as never,
					items: example.items,
					credentials: { apiKey: KEY, baseUrl: sb.url, serverUrl: sb.serverUrl },
					credentialsByType: { cekatEventsApi: { accessToken: sb.eventsToken, baseUrl: sb.url } },
				});
				if (result.error) throw new Error(`${example.resource}.${example.operation}: ${result.error.message}`);
				const sent = sb.journal().map((e) => `${e.method} ${e.url.replace(/^\/api\/crm\/boards\/[0-9a-f-]+/, '/api/crm/boards/{boardId}')}${e.body ? `\n${JSON.stringify(e.body, null, 2)}` : ''}`);
				out.push(`**Example.** ${example.text}`, '', 'Sent to Cekat:', '', '```http', ...sent, '```', '', `Output (${result.json.length} item${result.json.length === 1 ? '' : 's'}, trimmed):`, '', '```json', JSON.stringify(trim(result.json), null, 2), '```', '');
			}
		}
	} finally {
		await sb.close();
	}
	writeFileSync(path.join(__dirname, '..', 'docs', 'operations.md'), `${out.join('\n')}\n`);
	process.stdout.write(`docs/operations.md: ${EXAMPLES.length} examples\n`);
}

main().catch((error) => {
	process.stderr.write(`${String(error?.stack ?? error)}\n`);
	process.exit(1);
});
