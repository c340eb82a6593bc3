import type { INodeProperties } from 'n8n-workflow';

import {
	dateRangeOptions,
	filtersCollection,
	listOperation,
	locatorField,
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
	...returnAllFields('campaign', ['getAll', 'getMessages']),
	locatorField('campaign', ['getMessages'], 'campaignId', 'Campaign', 'searchCampaigns', 'The broadcast campaign'),
	filtersCollection('campaign', ['getAll', 'getMessages'], dateRangeOptions()),
];
