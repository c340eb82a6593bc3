import type { INodeProperties } from 'n8n-workflow';

import { listOnlyResource } from '../../shared/descriptions';

export const inboxDescription: INodeProperties[] = listOnlyResource('inbox', 'Get many inboxes', 'List the inboxes (WhatsApp numbers, other channels) of the workspace', '/api/inboxes');
