import type { OperationDescription } from '../../shared/descriptions';
import { actionOperation } from './fields';

export const addCollaborator: OperationDescription = {
	option: actionOperation(
		'Add Collaborator',
		'addCollaborator',
		'Add a collaborator to a conversation',
		'Add a human agent who works on a conversation beside its handler',
		'add-collaborator',
		{ ids: { agent_id: { label: 'Agent', form: 'uuid' } } },
	),
	fields: [],
};
