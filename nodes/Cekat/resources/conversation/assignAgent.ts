import type { OperationDescription } from '../../shared/descriptions';
import { actionOperation } from './fields';

export const assignAgent: OperationDescription = {
	option: actionOperation({
		name: 'Assign Agent',
		value: 'assignAgent',
		action: 'Assign an agent to a conversation',
		description: 'Make a human agent the handler of a conversation',
		url: '/business_workflows/assign-agent',
		ids: { agent_id: { label: 'Agent', form: 'uuid' } },
	}),
	fields: [],
};
