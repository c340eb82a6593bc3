import { dateRangeOptions, filtersCollection, listOperation, returnAllFields, type OperationDescription } from '../../shared/descriptions';
import { R } from './fields';

export const getAgentAssignments: OperationDescription = {
	option: listOperation({
		name: 'Get Agent Assignments',
		value: 'getAgentAssignments',
		action: 'Get agent assignments of conversations',
		description: 'List which agent currently handles each conversation',
		url: '/api/conversations/agent-assignments',
		family: 'page',
	}),
	fields: [...returnAllFields(R, ['getAgentAssignments']), filtersCollection(R, ['getAgentAssignments'], dateRangeOptions())],
};
