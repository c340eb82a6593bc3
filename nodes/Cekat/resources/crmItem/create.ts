import { show, singleOperation, toBody, type OperationDescription } from '../../shared/descriptions';
import { requireFields } from '../../shared/validation';
import { unwrapData } from '../../shared/pagination';
import { columnValuesFields, groupField, R } from './fields';
import { itemIds } from './output';
import { buildItemValues } from './values';

export const create: OperationDescription = {
	option: singleOperation(
		'Create',
		'create',
		'Create a CRM item',
		'Create an item (card, lead) on a board',
		'POST /api/crm/boards/{boardId}/items',
		{ preSend: [buildItemValues, requireFields('body', { item_name: 'Item Name' })], postReceive: [unwrapData, itemIds] },
	),
	fields: [
		{
			displayName: 'Item Name',
			name: 'itemName',
			type: 'string',
			required: true,
			default: '',
			displayOptions: show(R, ['create']),
			description: 'Name of the new item (the card title)',
			routing: toBody('item_name'),
		},
		...columnValuesFields(['create']),
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions: show(R, ['create']),
			options: [
				groupField('The board group (column of cards) to put the item in'),
			],
		},
	],
};
