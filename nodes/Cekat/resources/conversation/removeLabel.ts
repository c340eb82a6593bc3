import type { OperationDescription } from '../../shared/descriptions';
import { actionOperation } from './fields';

export const removeLabel: OperationDescription = {
	option: actionOperation(
		'Remove Label',
		'removeLabel',
		'Remove a label from a conversation',
		'Take a conversation label off a conversation',
		'labels/remove',
		{ ids: { label_id: { label: 'Label', form: 'loose' } } },
	),
	fields: [],
};
