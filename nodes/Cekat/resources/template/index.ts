import type { INodeProperties } from 'n8n-workflow';

import { listOnlyResource } from '../../shared/descriptions';

export const templateDescription: INodeProperties[] = listOnlyResource('template', 'Get many templates', 'List the WhatsApp message templates', '/api/templates');
