import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchBoards } from '../Cekat/methods/listSearch';
import { locator } from '../Cekat/shared/descriptions';
import { POLL_EVENT_OPTIONS } from '../CekatTrigger/events';
import { POLLING_HOW } from '../shared/texts';
import { pollWith } from './polling';

/**
 * The Cekat Trigger's former Polling mode as a node of its own: n8n asks Cekat's lists for new records at the
 * Poll Times (polling.ts), for an n8n that Cekat cannot reach. No webhook. In a manual run ("Fetch Test Event")
 * n8n's engine calls poll() in manual mode, which returns a sample.
 */
export class CekatPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cekat Polling Trigger',
		name: 'cekatPollingTrigger',
		icon: { light: 'file:../../icons/cekat.svg', dark: 'file:../../icons/cekat.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Polling: " + $parameter["event"]}}',
		description: 'Starts a workflow on new Cekat orders, messages, conversations or CRM items (polls)',
		defaults: { name: 'Cekat Polling Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cekatApi', required: true }],
		polling: true,
		properties: [
			{
				displayName: `n8n asks Cekat for new records at the Poll Times above: use this node when Cekat cannot reach this n8n (else the Cekat Trigger is instant). ${POLLING_HOW}`,
				name: 'pollingNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: POLL_EVENT_OPTIONS,
				default: 'newOrder',
				description: 'What to watch for',
			},
			{
				displayName: 'Board',
				name: 'boardId',
				...locator('board', 'searchBoards'),
				required: true,
				description: 'The board whose new items start the workflow',
				displayOptions: { show: { event: ['newCrmItem'] } },
			},
		],
	};

	methods = {
		listSearch: { searchBoards },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const manual = this.getMode() === 'manual';
		const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : undefined;
		const records = await pollWith(this, (name, fallback, options) => this.getNodeParameter(name, fallback, options), manual, budget);
		return records ? [records.map((json) => ({ json }))] : null;
	}
}
