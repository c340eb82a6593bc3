import type { INodeProperties } from 'n8n-workflow';

import {
	dateRangeOptions,
	filtersCollection,
	listOperation,
	locatorField,
	operationPicker,
	returnAllFields,
} from '../../shared/descriptions';

const R = 'campaign';

export const campaignDescription: INodeProperties[] = [
	operationPicker(R, [
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
	...returnAllFields(R, ['getAll', 'getMessages']),
	locatorField(R, ['getMessages'], 'campaignId', 'Campaign', 'searchCampaigns', 'The broadcast campaign'),
	filtersCollection(R, ['getAll', 'getMessages'], dateRangeOptions()),
];
