import axios from 'axios';
import type { IHttpRequestOptions, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { API_KEY, useEnv } from './env';
import { loadPackage, TestCredentialsHelper } from './harness';

/**
 * The credential's own test request, resolved and authenticated the way n8n does it, sent to the
 * sandbox. (The real n8n runs it in the end-to-end suite.)
 */
async function testCredential(baseUrl: string, apiKey: string) {
	const pkg = await loadPackage();
	const credentials = { apiKey, baseUrl };
	const node: INode = { id: 'n', name: 'n', type: 'n8n-nodes-cekat.cekat', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: pkg.nodeTypes });
	const request = pkg.credentialType.test!.request;
	const resolvedBase = workflow.expression.getSimpleParameterValue(node, request.baseURL!, 'internal', { $credentials: credentials }, undefined, '');
	const helper = new TestCredentialsHelper(pkg.credentialTypes, {});
	const options = (await helper.authenticate(credentials, 'cekatApi', { url: request.url!, qs: request.qs, headers: {} } as IHttpRequestOptions, workflow, node)) as IHttpRequestOptions;
	return axios.get(`${String(resolvedBase)}${options.url}`, { params: options.qs, headers: options.headers as Record<string, string>, validateStatus: () => true });
}

describe('Cekat API credential', () => {
	const env = useEnv();

	it('sends only the api_key header, and the test request passes with the right key', async () => {
		const response = await testCredential(`${env.sandbox.url}/`, API_KEY);
		expect(response.status).toBe(200);
		const [request] = env.requests();
		expect(request.path).toBe('/api/inboxes');
		expect(request.auth).toBe('api_key');
		expect(request.keyMatched).toBe(true);
	});

	it('fails with a wrong key', async () => {
		const response = await testCredential(env.sandbox.url, 'not-the-key');
		expect(response.status).toBe(401);
		expect(env.requests()[0].keyMatched).toBe(false);
	});
});
