import type { OperationDescription } from '../../shared/descriptions';
import { actionOperation } from './fields';

export const removeLabel: OperationDescription = {
	option: actionOperation({
		name: 'Remove Label',
		value: 'removeLabel',
		action: 'Remove a label from a conversation',
		description: 'Take a conversation label off a conversation',
		url: '/business_workflows/labels/remove',
		ids: { label_id: { label: 'Label', form: 'loose' } },
	}),
	fields: [],
};
