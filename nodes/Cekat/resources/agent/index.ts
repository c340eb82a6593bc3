import type { INodeProperties } from 'n8n-workflow';

import { listOnlyResource } from '../../shared/descriptions';

export const agentDescription: INodeProperties[] = listOnlyResource('agent', 'Get many agents', 'List the human agents of the workspace', '/api/agents');
