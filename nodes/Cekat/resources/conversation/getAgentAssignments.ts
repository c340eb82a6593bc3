import { dateRangeOptions, filtersCollection, listOperation, returnAllFields, type OperationDescription } from '../../shared/descriptions';
import { R } from './fields';

export const getAgentAssignments: OperationDescription = {
	option: listOperation(
		'Get Agent Assignments',
		'getAgentAssignments',
		'Get agent assignments of conversations',
		'List which agent currently handles each conversation',
		'GET /api/conversations/agent-assignments',
		'page',
	),
	fields: [...returnAllFields(R, ['getAgentAssignments']), filtersCollection(R, ['getAgentAssignments'], dateRangeOptions())],
};
