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
		listOperation(
			'Get Many',
			'getAll',
			'Get many campaigns',
			'List the broadcast campaigns',
			'GET /api/campaigns',
			'page',
		),
		listOperation(
			'Get Messages',
			'getMessages',
			'Get messages of a campaign',
			'List the messages sent by one broadcast campaign',
			'GET /api/campaigns/{campaignId}/messages',
			'page',
		),
	], 'getAll'),
	...returnAllFields('campaign', ['getAll', 'getMessages']),
	locatorField('campaign', ['getMessages'], 'campaignId', 'Campaign', 'searchCampaigns', 'The broadcast campaign'),
	filtersCollection('campaign', ['getAll', 'getMessages'], dateRangeOptions()),
];
