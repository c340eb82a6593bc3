/**
 * Structural checks over every description of every node of the package, as n8n loads them from dist/. They fail
 * when a description drifts: a picker losing its modes (the trigger's polling Board once did, unnoticed), an
 * operation without an action or a routing, a display option naming a parameter or value that does not exist.
 */
import type {
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';

import { loadPackage } from './harness';

type Property = INodeProperties & INodePropertyCollection;

/** Every property, nested ones (collections, fixed collections) included, with a path for messages. */
function* walk(properties: readonly unknown[], path: string): Generator<[string, Property]> {
	for (const raw of properties) {
		const p = raw as Property;
		const here = `${path}.${p.name}`;
		if (p.type !== undefined) yield [here, p];
		if (Array.isArray(p.options)) yield* walk(p.options as unknown[], here);
		if (Array.isArray(p.values)) yield* walk(p.values, here);
	}
}

let customOperations: Record<string, Record<string, Record<string, unknown>>> = {};
let descriptions: INodeTypeDescription[];

type Loaded = { description: INodeTypeDescription; methods?: { listSearch?: Record<string, unknown> }; customOperations?: Record<string, Record<string, unknown>>; nodeVersions?: Record<string, Loaded> };

/** Every node type as n8n offers it: each version of a versioned node (the Cekat Trigger) on its own. */
function nodeTypes(pkg: Awaited<ReturnType<typeof loadPackage>>): Loaded[] {
	return Object.values(pkg.loader.nodeTypes).flatMap((n) => {
		const type = n.type as Loaded;
		return type.nodeVersions ? Object.values(type.nodeVersions) : [type];
	});
}

beforeAll(async () => {
	const types = nodeTypes(await loadPackage());
	descriptions = types.map((type) => type.description);
	customOperations = Object.fromEntries(types.map((type) => [type.description.name, (type.customOperations ?? {}) as Record<string, Record<string, unknown>>]));
});

const everyProperty = () => descriptions.flatMap((d) => [...walk(d.properties, d.name)].map(([path, p]) => ({ path, p })));

describe('descriptions of the package', () => {
	it('holds the node, both versions of the Cekat Trigger, the Cekat Polling Trigger and the Cekat AI Tool Trigger', () => {
		expect(descriptions.map((d) => `${d.name} v${String(d.version)}`).sort()).toEqual(['cekat v1', 'cekatAiToolTrigger v1', 'cekatPollingTrigger v1', 'cekatTrigger v1', 'cekatTrigger v2']);
	});

	it('every resourceLocator of Cekat and Cekat Trigger has modes, including list and id', () => {
		const locators: string[] = [];
		const broken: string[] = [];
		for (const { path, p } of everyProperty()) {
			if (p.type !== 'resourceLocator') continue;
			locators.push(path);
			const modes = (p.modes ?? []).map((m) => m.name);
			if (!modes.includes('list') || !modes.includes('id')) broken.push(`${path}: modes ${JSON.stringify(modes)}`);
			const list = p.modes?.find((m) => m.name === 'list');
			if (list && !list.typeOptions?.searchListMethod) broken.push(`${path}: From List has no searchListMethod`);
		}
		expect(broken).toEqual([]);
		expect(locators).toEqual(expect.arrayContaining(['cekatTrigger.inboxId', 'cekatTrigger.boardId', 'cekatPollingTrigger.boardId']));
		// v1's two Board pickers (webhook filter and polling board) and v2's webhook filter
		expect(locators.filter((l) => l === 'cekatTrigger.boardId')).toHaveLength(3);
		expect(locators.filter((l) => l.startsWith('cekat.')).length).toBeGreaterThan(5);
	});

	it('every search method a picker names exists on its node', () => {
		const missing: string[] = [];
		return loadPackage().then((pkg) => {
			for (const type of nodeTypes(pkg)) {
				for (const [path, p] of walk(type.description.properties, type.description.name)) {
					for (const mode of p.modes ?? []) {
						const method = mode.typeOptions?.searchListMethod;
						if (method && !type.methods?.listSearch?.[method]) missing.push(`${path}: ${method}`);
					}
				}
			}
			expect(missing).toEqual([]);
		});
	});

	it('every operation has a name, a value, an action, a description and a routing (or is a custom operation)', () => {
		const broken: string[] = [];
		let operations = 0;
		for (const d of descriptions) {
			const custom = customOperations[d.name] ?? {};
			for (const picker of d.properties.filter((p) => p.name === 'operation')) {
				const resources = (picker.displayOptions?.show?.resource ?? []) as string[];
				for (const option of (picker.options ?? []) as INodePropertyOptions[]) {
					operations++;
					const where = `${d.name}.${resources.join('|')}.${String(option.value)}`;
					if (!option.name || option.value === undefined) broken.push(`${where}: name or value missing`);
					if (!option.action) broken.push(`${where}: no action`);
					if (!option.description) broken.push(`${where}: no description`);
					const isCustom = resources.some((r) => custom[r]?.[String(option.value)] !== undefined);
					if (!isCustom && !(option.routing?.request?.method && option.routing.request.url)) broken.push(`${where}: no routing request (method and url)`);
				}
			}
		}
		expect(broken).toEqual([]);
		expect(operations).toBeGreaterThan(20);
	});

	it('single operations do not page; list operations page and show Return All and Limit', () => {
		const cekat = descriptions.find((d) => d.name === 'cekat')!;
		const broken: string[] = [];
		const shownFor = (name: string, resource: string, operation: string) =>
			cekat.properties.some(
				(p) =>
					p.name === name &&
					(p.displayOptions?.show?.resource as string[] | undefined)?.includes(resource) &&
					(p.displayOptions?.show?.operation as string[] | undefined)?.includes(operation),
			);
		for (const picker of cekat.properties.filter((p) => p.name === 'operation')) {
			const resource = (picker.displayOptions!.show!.resource as string[])[0];
			for (const option of (picker.options ?? []) as INodePropertyOptions[]) {
				const operation = String(option.value);
				const lists = option.routing?.operations?.pagination !== undefined;
				if (!lists && option.routing?.send?.paginate !== undefined) broken.push(`${resource}.${operation}: pages without a paging function`);
				for (const field of ['returnAll', 'limit']) {
					if (shownFor(field, resource, operation) !== lists) broken.push(`${resource}.${operation}: ${field} ${lists ? 'missing' : 'shown on a single operation'}`);
				}
			}
		}
		expect(broken).toEqual([]);
	});

	it('option values are unique within each property', () => {
		const broken: string[] = [];
		for (const { path, p } of everyProperty()) {
			if (p.type !== 'options' && p.type !== 'multiOptions') continue;
			const values = ((p.options ?? []) as INodePropertyOptions[]).map((o) => JSON.stringify(o.value));
			const twice = values.filter((v, i) => values.indexOf(v) !== i);
			if (twice.length) broken.push(`${path}: ${twice.join(', ')}`);
		}
		expect(broken).toEqual([]);
	});

	it('every display option names a parameter of its node, and only values that parameter can take', () => {
		const broken: string[] = [];
		// Parameters may appear several times (one per resource): what they can take is the union.
		const possibleValues = (properties: readonly unknown[]) => {
			const values = new Map<string, Set<unknown> | 'any'>();
			for (const raw of properties) {
				const p = raw as Property;
				const known = values.get(p.name);
				let these: Set<unknown> | 'any';
				if (p.type === 'options') these = new Set(((p.options ?? []) as INodePropertyOptions[]).map((o) => o.value));
				else if (p.type === 'boolean') these = new Set([true, false]);
				else these = 'any';
				values.set(p.name, known === 'any' || these === 'any' ? 'any' : new Set([...(known ?? []), ...these]));
			}
			return values;
		};
		for (const d of descriptions) {
			const top = possibleValues(d.properties);
			// Inside a fixed collection, display options name the entry's own fields; `/name` names a top-level one.
			const check = (properties: readonly unknown[], path: string) => {
				const here = properties === d.properties ? top : possibleValues(properties);
				for (const raw of properties) {
					const p = raw as Property;
					const where = `${path}.${p.name}`;
					for (const rule of [p.displayOptions?.show, p.displayOptions?.hide]) {
						for (const [key, wanted] of Object.entries(rule ?? {})) {
							if (key.startsWith('@')) continue;
							const possible = key.startsWith('/') ? top.get(key.slice(1)) : here.get(key);
							if (!possible) {
								broken.push(`${where}: displayOptions name "${key}", which is not a parameter here`);
								continue;
							}
							if (possible === 'any') continue;
							for (const value of (wanted ?? []) as unknown[]) {
								if (!possible.has(value)) broken.push(`${where}: displayOptions ${key} = ${JSON.stringify(value)}, which ${key} cannot take`);
							}
						}
					}
					if (p.type === 'collection' && Array.isArray(p.options)) check(p.options, where);
					if (p.type === 'fixedCollection') for (const entry of (p.options ?? []) as INodePropertyCollection[]) check(entry.values, `${where}.${entry.name}`);
				}
			};
			check(d.properties, d.name);
		}
		expect(broken).toEqual([]);
	});

	it('every parameter has a description, or says what it is by its options', () => {
		const broken: string[] = [];
		// The resource and operation pickers, notices and collections (their "Add …" placeholder) explain
		// themselves, as in n8n's own nodes; requestOptions is what n8n adds to every declarative node.
		const selfExplained = (p: Property) =>
			p.name === 'resource' || p.name === 'operation' || ['notice', 'collection', 'fixedCollection', 'hidden'].includes(p.type);
		for (const { path, p } of everyProperty()) {
			if (path.startsWith('cekat.requestOptions')) continue;
			if (selfExplained(p)) continue;
			if (!p.description) broken.push(path);
		}
		expect(broken).toEqual([]);
	});

	it('collections say what they add, and inputs for URLs, phone numbers and ids show an example', () => {
		const broken: string[] = [];
		for (const { path, p } of everyProperty()) {
			if ((p.type === 'collection' || p.type === 'fixedCollection') && !p.placeholder) broken.push(`${path}: no "Add …" placeholder`);
			if (p.type === 'string' && /url|phone|receiver|latitude|longitude/i.test(p.name) && !p.placeholder) broken.push(`${path}: no placeholder`);
			if (p.type === 'resourceLocator') {
				for (const mode of p.modes ?? []) if (!mode.placeholder) broken.push(`${path} (${mode.name}): no placeholder`);
			}
		}
		expect(broken).toEqual([]);
	});
});
