/**
 * Every resource picker (resourceLocator) of every node in the package, as n8n loads them from dist/, offers
 * From List and By ID: a picker without modes shows an empty box in the editor (the trigger's polling Board lost
 * its modes once).
 */
import type { INodeProperties, INodePropertyCollection, INodeTypeDescription } from 'n8n-workflow';

import { loadPackage } from '../engine/harness';

/** Every property, nested ones (collections, fixed collections) included, with a path for messages. */
function* walk(properties: readonly unknown[], path: string): Generator<[string, INodeProperties]> {
	for (const raw of properties) {
		const p = raw as INodeProperties & INodePropertyCollection;
		const here = `${path}.${p.name}`;
		if (p.type !== undefined) yield [here, p];
		if (Array.isArray(p.options)) yield* walk(p.options as unknown[], here);
		if (Array.isArray(p.values)) yield* walk(p.values, here);
	}
}

describe('resource pickers of the package', () => {
	it('every resourceLocator of Cekat and Cekat Trigger has modes, including list and id', async () => {
		const pkg = await loadPackage();
		const descriptions = Object.values(pkg.loader.nodeTypes).map((n) => (n.type as { description: INodeTypeDescription }).description);
		const names = descriptions.map((d) => d.name).sort();
		expect(names).toEqual(expect.arrayContaining(['cekat', 'cekatTrigger']));
		const locators: string[] = [];
		const broken: string[] = [];
		for (const d of descriptions) {
			for (const [path, p] of walk(d.properties, d.name)) {
				if (p.type !== 'resourceLocator') continue;
				locators.push(path);
				const modes = (p.modes ?? []).map((m) => m.name);
				if (!modes.includes('list') || !modes.includes('id')) broken.push(`${path}: modes ${JSON.stringify(modes)}`);
			}
		}
		expect(broken).toEqual([]);
		expect(locators).toEqual(expect.arrayContaining(['cekatTrigger.inboxId', 'cekatTrigger.boardId']));
		// both Board pickers of the trigger (webhook filter and polling board)
		expect(locators.filter((l) => l === 'cekatTrigger.boardId')).toHaveLength(2);
		expect(locators.filter((l) => l.startsWith('cekat.')).length).toBeGreaterThan(5);
	});
});
