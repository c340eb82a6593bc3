import type { INodeProperties } from 'n8n-workflow';

import { listOnlyResource } from '../../shared/descriptions';

export const templateDescription: INodeProperties[] = listOnlyResource({
	resource: 'template',
	action: 'Get many templates',
	description: 'List the WhatsApp message templates',
	url: '/api/templates',
	dateFilters: true,
});
