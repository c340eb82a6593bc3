import type { OperationDescription } from '../../shared/descriptions';
import { locatorField, toBody } from '../../shared/descriptions';
import { actionOperation, R } from './fields';

export const setPipelineStatus: OperationDescription = {
	option: actionOperation(
		'Set Pipeline Status',
		'setPipelineStatus',
		'Set the pipeline status of a conversation',
		'Move a conversation to a sales pipeline status',
		'pipeline-status',
		{ ids: { pipeline_status_id: { label: 'Pipeline Status', form: 'loose' } } },
	),
	fields: [
		{
			...locatorField(R, ['setPipelineStatus'], 'pipelineStatusId', 'Pipeline Status', 'searchPipelineStatuses', 'A pipeline status of the workspace (search by name)'),
			routing: toBody('pipeline_status_id'),
		},
	],
};
