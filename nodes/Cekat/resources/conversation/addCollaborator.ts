import type { OperationDescription } from '../../shared/descriptions';
import { actionOperation } from './fields';

export const addCollaborator: OperationDescription = {
	option: actionOperation({
		name: 'Add Collaborator',
		value: 'addCollaborator',
		action: 'Add a collaborator to a conversation',
		description: 'Add a human agent who works on a conversation beside its handler',
		url: '/business_workflows/add-collaborator',
		ids: { agent_id: { label: 'Agent', form: 'uuid' } },
	}),
	fields: [],
};
