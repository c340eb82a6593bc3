/**
 * Sends N WhatsApp messages through one of: the Cekat node, n8n's HTTP Request node (both run by
 * n8n-core's WorkflowExecute), or a plain HTTP client with all requests in flight at once (as both
 * nodes send them). Args: <variant> <sandbox url> <api key> <count> <conversation id>
 */
import http from 'node:http';
import path from 'node:path';

import axios from 'axios';
import type { IDataObject, INode, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { cekatNode, loadPackage, runNode } from '../../test/engine/harness';
import { report } from '../lib';

async function main() {
	const [variant, url, apiKey, countText, conversationId] = process.argv.slice(2);
	const count = Number(countText);
	const items: IDataObject[] = Array.from({ length: count }, (_, i) => ({ text: `Bench message ${i}` }));
	const pkg = await loadPackage();
	let ok = 0;

	if (variant === 'plain') {
		const agent = new http.Agent({ keepAlive: true });
		const client = axios.create({ baseURL: url, httpAgent: agent, headers: { api_key: apiKey } });
		const rssBefore = process.memoryUsage().rss;
		const started = process.hrtime.bigint();
		const results = await Promise.allSettled(
			items.map((item) => client.post('/messages/whatsapp', { conversation_id: conversationId, message: item.text })),
		);
		ok = results.filter((r) => r.status === 'fulfilled').length;
		report(started, rssBefore, { ok });
		agent.destroy();
		return;
	}

	let node: INode;
	let nodeTypes: INodeTypes = pkg.nodeTypes;
	if (variant === 'cekat') {
		node = cekatNode({
			resource: 'message',
			operation: 'sendWhatsApp',
			sendTo: 'conversation',
			conversationId: { __rl: true, mode: 'id', value: conversationId },
			messageType: 'text',
			message: '={{ $json.text }}',
		});
	} else if (variant === 'http') {
		// n8n's own HTTP Request node, from the pinned n8n.
		const nodesBase = process.env.N8N_NODES_BASE!;
		const { HttpRequest } = require(path.join(nodesBase, 'dist/nodes/HttpRequest/HttpRequest.node.js')) as {
			HttpRequest: new () => IVersionedNodeType;
		};
		const httpRequest = new HttpRequest();
		nodeTypes = {
			getByName: () => httpRequest,
			getByNameAndVersion: (_type, version) => NodeHelpers.getVersionedNodeType(httpRequest, version) as INodeType,
			getKnownTypes: () => ({}),
		};
		node = {
			id: 'http',
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [0, 0],
			parameters: {
				method: 'POST',
				url: `${url}/messages/whatsapp`,
				sendHeaders: true,
				headerParameters: { parameters: [{ name: 'api_key', value: apiKey }] },
				sendBody: true,
				specifyBody: 'json',
				jsonBody: `={{ JSON.stringify({ conversation_id: ${JSON.stringify(conversationId)}, message: $json.text }) }}`,
				options: {},
			},
		};
	} else {
		throw new Error(`unknown variant ${variant}`);
	}

	const rssBefore = process.memoryUsage().rss;
	const started = process.hrtime.bigint();
	const run = await runNode({ nodeTypes, credentialTypes: pkg.credentialTypes, node, items, credentials: { apiKey, baseUrl: url } });
	const output = run.data.resultData.runData[node.name]?.[0]?.data?.main?.[0] ?? [];
	ok = output.filter((item) => !item.error && !item.json.error).length;
	report(started, rssBefore, { ok, error: run.data.resultData.error?.message });
}

void main();
