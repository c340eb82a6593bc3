/**
 * Reads every order: through the Cekat node's Return All (n8n-core's WorkflowExecute), or through a
 * plain paging loop with the same page size. Args: <variant> <sandbox url> <api key>
 */
import http from 'node:http';

import axios from 'axios';

import { PAGE_SIZE } from '../../nodes/Cekat/shared/constants';
import { cekatNode, loadPackage, runNode } from '../../test/engine/harness';
import { report } from '../lib';

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
		const agent = new http.Agent({ keepAlive: variant === 'plain' });
		const client = axios.create({ baseURL: url, httpAgent: agent, headers: { api_key: apiKey } });
		if (variant === 'plain-fresh') client.interceptors.request.use((config) => ({ ...config, httpAgent: new http.Agent() }));
		const rssBefore = process.memoryUsage().rss;
		const cpu = process.cpuUsage();
		const started = process.hrtime.bigint();
		const orders: unknown[] = [];
		let requests = 0;
		for (let page = 1; ; page++) {
			const { data } = await client.get('/api/orders', { params: { page, limit: PAGE_SIZE } });
			requests++;
			orders.push(...data.data.orders);
			if (data.data.orders.length < PAGE_SIZE) break;
		}
		report(started, rssBefore, { records: orders.length, requests, cpuMs: cpuMs(cpu) });
		agent.destroy();
		return;
	}
	const pkg = await loadPackage();
	const node = cekatNode({ resource: 'order', operation: 'getAll', returnAll: true });
	const rssBefore = process.memoryUsage().rss;
	const cpu = process.cpuUsage();
	const started = process.hrtime.bigint();
	const run = await runNode({ nodeTypes: pkg.nodeTypes, credentialTypes: pkg.credentialTypes, node, items: [{}], credentials: { apiKey, baseUrl: url } });
	const output = run.data.resultData.runData[node.name]?.[0]?.data?.main?.[0] ?? [];
	report(started, rssBefore, { records: output.length, error: run.data.resultData.error?.message, cpuMs: cpuMs(cpu) });
}

void main();
