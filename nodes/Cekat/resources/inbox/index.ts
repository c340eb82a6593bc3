import type { INodeProperties } from 'n8n-workflow';

import { listOnlyResource } from '../../shared/descriptions';

export const inboxDescription: INodeProperties[] = listOnlyResource({
	resource: 'inbox',
	action: 'Get many inboxes',
	description: 'List the inboxes (WhatsApp numbers, other channels) of the workspace',
	url: '/api/inboxes',
	dateFilters: true,
});
