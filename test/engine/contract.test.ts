import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { loadPackage, PACKAGE_DIR } from './harness';

interface RoutedOperation {
	resource: string;
	operation: string;
	method: string;
	url: string;
	paginated: boolean;
	action: string;
}

const normalise = (url: string) => url.replace(/\{[^}]+\}/g, '{}');

async function routedOperations(): Promise<{ operations: RoutedOperation[]; properties: INodeProperties[] }> {
	const { nodeType } = await loadPackage();
	const properties = nodeType.description.properties;
	const resources = properties.find((p) => p.name === 'resource')!.options as INodePropertyOptions[];
	const operations: RoutedOperation[] = [];
	for (const resource of resources) {
		const pickers = properties.filter(
			(p) => p.name === 'operation' && (p.displayOptions?.show?.resource as string[] | undefined)?.includes(resource.value as string),
		);
		expect(pickers).toHaveLength(1);
		for (const option of pickers[0].options as INodePropertyOptions[]) {
			operations.push({
				resource: resource.value as string,
				operation: option.value as string,
				method: String(option.routing?.request?.method),
				url: String(option.routing?.request?.url),
				paginated: (option.routing?.operations?.pagination as { name?: string } | undefined)?.name === 'paginateList',
				action: String(option.action ?? ''),
			});
		}
	}
	return { operations, properties };
}

describe('the node covers the contract (sandbox/openapi.json)', () => {
	const contract = JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'sandbox/openapi.json'), 'utf8')) as {
		paths: Record<string, Record<string, unknown>>;
	};
	const contractOperations = Object.entries(contract.paths).flatMap(([url, methods]) =>
		Object.keys(methods)
			.filter((method) => ['get', 'post', 'put', 'delete', 'patch'].includes(method))
			.map((method) => `${method.toUpperCase()} ${normalise(url)}`),
	);

	it('has 28 operations in the contract', () => {
		expect(contractOperations).toHaveLength(28);
	});

	it('routes every contract operation to a node operation', async () => {
		const { operations } = await routedOperations();
		const routed = new Set(operations.map((op) => `${op.method} ${normalise(op.url)}`));
		const missing = contractOperations.filter((op) => !routed.has(op));
		expect(missing).toEqual([]);
	});

	it('routes every node operation to the contract (or to a documented extra route)', async () => {
		const { operations } = await routedOperations();
		const known = new Set(contractOperations);
		// Documented in docs/cekat-api.md beyond the two seed documents; the customer-service routes of Cekat's own
		// node (OFF's handlers, server host) and the conversation detail route (PM), which the sandbox serves.
		const extras = new Set([
			'POST /templates/send',
			'GET /templates',
			'GET /api/conversations/{}',
			'GET /business_workflows/contact',
			...['assign-agent', 'add-collaborator', 'resolve-conversation', 'block-ai', 'unblock-ai', 'conversation-status', 'pipeline-status', 'labels', 'labels/remove', 'additional-data'].map(
				(route) => `POST /business_workflows/${route}`,
			),
		]);
		// Event → Track talks to Cekat's separate event ingest API (docs/cekat-events.md): a custom operation
		// without routing, the only one.
		const { nodeType } = await loadPackage();
		const unrouted = operations.filter((op) => op.method === 'undefined');
		expect(unrouted.map((op) => `${op.resource}.${op.operation}`)).toEqual(['event.track']);
		expect(typeof nodeType.customOperations?.event?.track).toBe('function');
		const unknown = operations
			.filter((op) => op.method !== 'undefined')
			.map((op) => `${op.method} ${normalise(op.url)}`)
			.filter((op) => !known.has(op) && !extras.has(op));
		expect(unknown).toEqual([]);
	});

	it('gives every operation a unique value, an action text and, for lists, Return All + Limit', async () => {
		const { operations, properties } = await routedOperations();
		const keys = operations.map((op) => `${op.resource}.${op.operation}`);
		expect(new Set(keys).size).toBe(keys.length);
		expect(operations.filter((op) => !/^[A-Z][a-z]/.test(op.action)).map((op) => op.operation)).toEqual([]);
		for (const op of operations.filter((o) => o.paginated)) {
			for (const name of ['returnAll', 'limit']) {
				const field = properties.find(
					(p) =>
						p.name === name &&
						(p.displayOptions?.show?.resource as string[] | undefined)?.includes(op.resource) &&
						(p.displayOptions?.show?.operation as string[] | undefined)?.includes(op.operation),
				);
				expect({ op: `${op.resource}.${op.operation}`, name, found: !!field }).toEqual({
					op: `${op.resource}.${op.operation}`,
					name,
					found: true,
				});
			}
		}
	});

	it('loads the node and credential with the declared names, icons and tool flag', async () => {
		const { nodeType, credentialType, loader } = await loadPackage();
		expect(nodeType.description.name).toBe('cekat');
		expect(nodeType.description.usableAsTool).toBe(true);
		expect((nodeType as { execute?: unknown }).execute).toBeUndefined();
		expect(credentialType.name).toBe('cekatApi');
		expect(credentialType.properties.find((p) => p.name === 'apiKey')?.typeOptions?.password).toBe(true);
		expect(Object.keys(loader.known.nodes).sort()).toEqual(['cekat', 'cekatAiToolTrigger', 'cekatPollingTrigger', 'cekatTrigger']);
	});
});
