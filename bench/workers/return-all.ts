/**
 * Reads every order: through the Cekat node's Return All (n8n-core's WorkflowExecute), or through a
 * plain paging loop with the same page size. Args: <variant> <sandbox url> <api key>
 */
import http from 'node:http';

import axios from 'axios';
import type { INode, INodeTypes } from 'n8n-workflow';

import { PAGE_SIZE } from '../../nodes/Cekat/shared/constants';
import { cekatNode, loadPackage, runNode } from '../../test/engine/harness';
import { httpRequestNode, report } from '../lib';

/** CPU time of this process since `since` (user + system): less sensitive than wall time to a busy machine. */
const cpuMs = (since: NodeJS.CpuUsage) => {
	const used = process.cpuUsage(since);
	return (used.user + used.system) / 1000;
};

async function main() {
	const [variant, url, apiKey] = process.argv.slice(2);
	if (variant === 'plain' || variant === 'plain-fresh') {
		// plain: one kept-alive connection (axios's default on Node 20). plain-fresh: a new agent, so a new TCP
		// connection, per request, as n8n's HTTP helper makes for every node (it builds agents per request).
		const keptAlive = variant === 'plain' ? new http.Agent({ keepAlive: true }) : undefined;
		const client = axios.create({ baseURL: url, headers: { api_key: apiKey } });
		const rssBefore = process.memoryUsage().rss;
		const cpu = process.cpuUsage();
		const started = process.hrtime.bigint();
		const orders: unknown[] = [];
		let requests = 0;
		for (let page = 1; ; page++) {
			const { data } = await client.get('/api/orders', { params: { page, limit: PAGE_SIZE }, httpAgent: keptAlive ?? new http.Agent() });
			requests++;
			orders.push(...data.data.orders);
			if (data.data.orders.length < PAGE_SIZE) break;
		}
		report(started, rssBefore, { records: orders.length, requests, cpuMs: cpuMs(cpu) });
		keptAlive?.destroy();
		return;
	}
	const pkg = await loadPackage();
	let node: INode = cekatNode({ resource: 'order', operation: 'getAll', returnAll: true });
	let nodeTypes: INodeTypes = pkg.nodeTypes;
	if (variant === 'http') {
		// n8n's own HTTP Request node with its pagination (a page parameter, done on a short page), as a user
		// without the Cekat node would page: one output item per page, not per order.
		({ node, nodeTypes } = httpRequestNode({
			url: `${url}/api/orders`,
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'limit', value: String(PAGE_SIZE) }] },
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'api_key', value: apiKey }] },
			options: {
				pagination: {
					pagination: {
						paginationMode: 'updateAParameterInEachRequest',
						parameters: { parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }] },
						paginationCompleteWhen: 'other',
						completeExpression: `={{ $response.body.data.orders.length < ${PAGE_SIZE} }}`,
					},
				},
			},
		}));
	}
	const rssBefore = process.memoryUsage().rss;
	const cpu = process.cpuUsage();
	const started = process.hrtime.bigint();
	const run = await runNode({ nodeTypes, credentialTypes: pkg.credentialTypes, node, items: [{}], credentials: { apiKey, baseUrl: url } });
	const output = run.data.resultData.runData[node.name]?.[0]?.data?.main?.[0] ?? [];
	const records =
		variant === 'http' ? output.reduce((n, item) => n + ((item.json as { data?: { orders?: unknown[] } }).data?.orders?.length ?? 0), 0) : output.length;
	report(started, rssBefore, { records, error: run.data.resultData.error?.message, cpuMs: cpuMs(cpu) });
}

void main();
