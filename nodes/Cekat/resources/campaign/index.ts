import type { INodeProperties } from 'n8n-workflow';

import {
	dateRangeOptions,
	filtersCollection,
	idField,
	listOperation,
	operationPicker,
	returnAllFields,
} from '../../shared/descriptions';

export const campaignDescription: INodeProperties[] = [
	operationPicker('campaign', [
		listOperation({
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many campaigns',
			description: 'List the broadcast campaigns',
			url: '/api/campaigns',
			family: 'page',
		}),
		listOperation({
			name: 'Get Messages',
			value: 'getMessages',
			action: 'Get messages of a campaign',
			description: 'List the messages sent by one broadcast campaign',
			url: '/api/campaigns/{campaignId}/messages',
			family: 'page',
		}),
	], 'getAll'),
	idField('campaign', ['getMessages'], 'campaignId', 'Campaign ID', 'ID of the campaign, from Campaign → Get Many'),
	...returnAllFields('campaign', ['getAll', 'getMessages']),
	filtersCollection('campaign', ['getAll', 'getMessages'], dateRangeOptions()),
];
