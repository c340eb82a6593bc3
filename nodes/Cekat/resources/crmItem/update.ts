import { show, singleOperation, toBody, type OperationDescription } from '../../shared/descriptions';
import { requireSomeBody } from '../../shared/validation';
import { unwrapData } from '../../shared/pagination';
import { columnValuesFields, groupField, R } from './fields';
import { itemIds } from './output';
import { buildItemValues } from './values';

export const update: OperationDescription = {
	option: singleOperation(
		'Update',
		'update',
		'Update a CRM item',
		'Change the name, group or column values of an item',
		'PUT /api/crm/boards/{boardId}/items/{itemId}',
		{ preSend: [buildItemValues, requireSomeBody], postReceive: [unwrapData, itemIds] },
	),
	fields: [
		...columnValuesFields(['update']),
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions: show(R, ['update']),
			options: [
				groupField('Move the item to this board group'),
				{
					displayName: 'Item Name',
					name: 'itemName',
					type: 'string',
					default: '',
					description: 'New name of the item',
					routing: toBody('item_name'),
				},
			],
		},
	],
};
