import type { OperationDescription } from '../../shared/descriptions';
import { show, toBody } from '../../shared/descriptions';
import { actionOperation, R } from './fields';

export const setStageStatus: OperationDescription = {
	option: actionOperation(
		'Set Stage Status',
		'setStageStatus',
		'Set the stage status of a conversation',
		'Move a conversation to open, pending, assigned or resolved',
		'conversation-status',
	),
	fields: [
		{
			displayName: 'Stage Status',
			name: 'stageStatus',
			type: 'options',
			required: true,
			default: 'open',
			displayOptions: show(R, ['setStageStatus']),
			description: 'The stage the conversation moves to',
			// The four stages OFF, the Postman collection and the API documents agree on.
			options: [
				{ name: 'Assigned', value: 'assigned' },
				{ name: 'Open', value: 'open' },
				{ name: 'Pending', value: 'pending' },
				{ name: 'Resolved', value: 'resolved' },
			],
			routing: toBody('stage_status'),
		},
	],
};
