import type { INodeProperties } from 'n8n-workflow';

import { listOnlyResource } from '../../shared/descriptions';

export const agentAssignmentDescription: INodeProperties[] = listOnlyResource('agentAssignment', 'Get many agent assignments', 'List when agents were assigned to or removed from conversations', '/api/agent_assignments');
