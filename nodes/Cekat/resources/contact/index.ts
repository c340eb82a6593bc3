import type { INodeProperties } from 'n8n-workflow';

import { listOnlyResource } from '../../shared/descriptions';

export const contactDescription: INodeProperties[] = listOnlyResource({
	resource: 'contact',
	action: 'Get many contacts',
	description: 'List the contacts of the workspace',
	url: '/api/contacts',
	dateFilters: false,
});
