import type { OperationDescription } from '../../shared/descriptions';
import { actionOperation } from './fields';

export const assignAgent: OperationDescription = {
	option: actionOperation(
		'Assign Agent',
		'assignAgent',
		'Assign an agent to a conversation',
		'Make a human agent the handler of a conversation',
		'assign-agent',
		{ ids: { agent_id: { label: 'Agent', form: 'uuid' } } },
	),
	fields: [],
};
