import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { NODE_DESCRIPTION } from '../shared/texts';
import { CEKAT_TRIGGER_ICON } from './icon';
import { CekatTriggerV1 } from './v1/CekatTriggerV1.node';
import { CekatTriggerV2 } from './v2/CekatTriggerV2.node';

/**
 * The Cekat Trigger. Version 1 (webhook + polling modes, URL pasted by hand) stays for saved workflows;
 * version 2, the default for new nodes, is webhook only and registers itself in Cekat.
 */
export class CekatTrigger extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Cekat Trigger',
			name: 'cekatTrigger',
			icon: CEKAT_TRIGGER_ICON,
			group: ['trigger'],
			description: NODE_DESCRIPTION,
			defaultVersion: 2,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new CekatTriggerV1(),
			2: new CekatTriggerV2(),
		};
		super(nodeVersions, baseDescription);
	}
}
