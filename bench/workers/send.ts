/**
 * Sends N messages (Send WhatsApp or Send Template) through one of: the Cekat node, n8n's HTTP Request node
 * (both run by n8n-core's WorkflowExecute), or a plain HTTP client with all requests in flight at once.
 * Reports wall time and this process's CPU time (user + system) of the run.
 *
 * Args: <variant> <sandbox url> <api key> <count> <operation> <target json>
 *   variant: cekat (as shipped: custom operations) | cekat-routing (the routing engine, no custom operation)
 *            | cekat-pool-<k> (custom operation with k sends in flight) | http | plain
 *   operation: whatsapp (target { conversationId }) | template (target { inboxId, templateId })
 */
import http from 'node:http';
import path from 'node:path';

import axios from 'axios';
import type { IDataObject, INode, INodeType, INodeTypes } from 'n8n-workflow';

import { cekatNode, loadPackage, PACKAGE_DIR, runNode } from '../../test/engine/harness';
import { httpRequestNode, report } from '../lib';

interface Target {
	conversationId?: string;
	inboxId?: string;
	templateId?: string;
}

const ROUTES = { whatsapp: '/messages/whatsapp', template: '/templates/send' } as const;

/** The request body of item i, as every variant must send it. */
function plainBody(operation: 'whatsapp' | 'template', target: Target, item: IDataObject): IDataObject {
	return operation === 'whatsapp'
		? { conversation_id: target.conversationId, message: item.text }
		: { inbox_id: target.inboxId, wa_template_id: target.templateId, phone_number: item.phone, template_body_variables: [item.name] };
}

function cekatParameters(operation: 'whatsapp' | 'template', target: Target): IDataObject {
	return operation === 'whatsapp'
		? {
				resource: 'message',
				operation: 'sendWhatsApp',
				sendTo: 'conversation',
				conversationId: { __rl: true, mode: 'id', value: target.conversationId },
				messageType: 'text',
				message: '={{ $json.text }}',
			}
		: {
				resource: 'message',
				operation: 'sendTemplate',
				inboxId: { __rl: true, mode: 'id', value: target.inboxId },
				templateId: { __rl: true, mode: 'id', value: target.templateId },
				templatePhoneNumber: '={{ $json.phone }}',
				bodyVariables: { variable: [{ value: '={{ $json.name }}' }] },
			};
}

/** The Cekat node type with other custom operations: none (the routing engine), or a pool of k. */
function cekatVariant(base: INodeType, variant: string): INodeType {
	if (variant === 'cekat') return base;
	// The designs come from the TypeScript source (tsx runs this worker): the built package is one bundle.
	const source = (file: string) => require(path.join(PACKAGE_DIR, 'nodes/Cekat', file)) as Record<string, unknown>;
	let customOperations: INodeType['customOperations'];
	const pool = /^cekat-pool-(\d+)$/.exec(variant);
	if (pool) {
		const { bulkSend } = source('shared/send') as { bulkSend: (...args: unknown[]) => (this: unknown) => Promise<never> };
		const { whatsAppBody } = source('resources/message/sendWhatsApp');
		const { templateBody } = source('resources/message/sendTemplate');
		const k = Number(pool[1]);
		customOperations = {
			message: {
				sendWhatsApp: bulkSend(base.description, 'message', 'sendWhatsApp', whatsAppBody, k),
				sendTemplate: bulkSend(base.description, 'message', 'sendTemplate', templateBody, k),
			},
		};
	} else if (variant !== 'cekat-routing') {
		throw new Error(`unknown variant ${variant}`);
	}
	return Object.create(base, { customOperations: { value: customOperations } }) as INodeType;
}

async function main() {
	const [variant, url, apiKey, countText, operationText, targetText] = process.argv.slice(2);
	const operation = operationText === 'template' ? 'template' : 'whatsapp';
	const target = JSON.parse(targetText) as Target;
	const count = Number(countText);
	const items: IDataObject[] = Array.from({ length: count }, (_, i) =>
		operation === 'whatsapp' ? { text: `Bench message ${i}` } : { phone: `62857${String(i).padStart(8, '0')}`, name: `Pelanggan ${i}` },
	);
	const pkg = await loadPackage();
	let ok = 0;
	const cpu = () => {
		const usage = process.cpuUsage();
		return (usage.user + usage.system) / 1000;
	};

	if (variant === 'plain') {
		const agent = new http.Agent({ keepAlive: true });
		const client = axios.create({ baseURL: url, httpAgent: agent, headers: { api_key: apiKey } });
		const rssBefore = process.memoryUsage().rss;
		const cpuBefore = cpu();
		const started = process.hrtime.bigint();
		const results = await Promise.allSettled(items.map((item) => client.post(ROUTES[operation], plainBody(operation, target, item))));
		ok = results.filter((r) => r.status === 'fulfilled').length;
		report(started, rssBefore, { ok, cpuMs: cpu() - cpuBefore });
		agent.destroy();
		return;
	}

	let node: INode;
	let nodeTypes: INodeTypes = pkg.nodeTypes;
	if (variant.startsWith('cekat')) {
		const type = cekatVariant(pkg.nodeType, variant);
		nodeTypes = { ...pkg.nodeTypes, getByName: () => type, getByNameAndVersion: () => type };
		node = cekatNode(cekatParameters(operation, target) as never);
	} else if (variant === 'http') {
		// One expression per item: the whole JSON body.
		const body =
			operation === 'whatsapp'
				? `{ conversation_id: ${JSON.stringify(target.conversationId)}, message: $json.text }`
				: `{ inbox_id: ${JSON.stringify(target.inboxId)}, wa_template_id: ${JSON.stringify(target.templateId)}, phone_number: $json.phone, template_body_variables: [$json.name] }`;
		// n8n's own HTTP Request node, from the pinned n8n.
		({ node, nodeTypes } = httpRequestNode({
			method: 'POST',
			url: `${url}${ROUTES[operation]}`,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'api_key', value: apiKey }] },
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify(${body}) }}`,
			options: {},
		}));
	} else {
		throw new Error(`unknown variant ${variant}`);
	}

	const rssBefore = process.memoryUsage().rss;
	const cpuBefore = cpu();
	const started = process.hrtime.bigint();
	const run = await runNode({ nodeTypes, credentialTypes: pkg.credentialTypes, node, items, credentials: { apiKey, baseUrl: url } });
	const cpuMs = cpu() - cpuBefore;
	const output = run.data.resultData.runData[node.name]?.[0]?.data?.main?.[0] ?? [];
	ok = output.filter((item) => !item.error && !item.json.error).length;
	report(started, rssBefore, { ok, cpuMs, error: run.data.resultData.error?.message });
}

void main();
