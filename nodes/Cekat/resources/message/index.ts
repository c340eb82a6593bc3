/** Message: one file per operation; fields several operations share are in fields.ts. */
import type { INodeProperties } from 'n8n-workflow';

import { resourceProperties } from '../../shared/descriptions';
import { R } from './fields';
import { getAiCreditUsage } from './getAiCreditUsage';
import { getAll } from './getAll';
import { getConversationHistory } from './getConversationHistory';
import { sendTemplate } from './sendTemplate';
import { sendWhatsApp } from './sendWhatsApp';

export const messageDescription: INodeProperties[] = resourceProperties(
	R,
	[sendWhatsApp, sendTemplate, getAll, getConversationHistory, getAiCreditUsage],
	'sendWhatsApp',
);
