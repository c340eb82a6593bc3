import type {
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchBoards, searchInboxes } from '../../Cekat/methods/listSearch';
import { locator } from '../../Cekat/shared/descriptions';
import { pollWith } from '../../CekatPollingTrigger/polling';
import { CEKAT_TRIGGER_ICON } from '../icon';
import { EVENT_OPTIONS, POLL_EVENT_OPTIONS } from '../events';
import { passEventOn, receiveWebhook } from '../webhook';
import { BOARD_FILTER, EVENTS_DESCRIPTION, INBOX_FILTER, NODE_DESCRIPTION, POLLING_HOW, SECRET_BY_HAND, WEBHOOK_BY_HAND } from '../../shared/texts';

const webhookMode = { show: { mode: ['webhook'] } };
const pollingMode = { show: { mode: ['polling'] } };

/**
 * Version 1, as released: Webhook and Polling modes in one node, no registration (the user pastes the URL in
 * Cekat). Kept unchanged so saved workflows keep working; new nodes get version 2 (webhook only, registers
 * itself) or the Cekat Polling Trigger.
 */
export class CekatTriggerV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cekat Trigger',
		name: 'cekatTrigger',
		icon: CEKAT_TRIGGER_ICON,
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["mode"] === "polling" ? "Polling: " + $parameter["event"] : "Webhook: " + ($parameter["events"] || []).join(", ")}}',
		description: NODE_DESCRIPTION,
		defaults: { name: 'Cekat Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cekatApi', required: true }],
		// Both are declared; each mode turns the other off: in Polling mode the webhook's method is empty, so
		// n8n registers no URL, and in Webhook mode poll() returns at once without a request.
		polling: true,
		webhooks: [
			{
				name: 'default',
				httpMethod: '={{$parameter["mode"] === "polling" ? "" : "POST"}}',
				responseMode: 'onReceived',
				// Empty: n8n then answers with the webhook's own response ({ received: true, id }); left out,
				// n8n 2.41 answers the literal text "firstEntryJson".
				responseData: '',
				path: 'cekat',
			},
		],
		properties: [
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Webhook', value: 'webhook', description: 'Cekat calls this n8n on each event (instant; n8n must be reachable from the internet)' },
					{ name: 'Polling', value: 'polling', description: 'This n8n asks Cekat for new records at the Poll Times (also behind a firewall)' },
				],
				default: 'webhook',
				description: 'How Cekat events reach this workflow. The Poll Times above apply only to Polling mode.',
			},

			// --- Webhook mode -------------------------------------------------------------------------------
			{
				displayName: `${WEBHOOK_BY_HAND} Poll Times do not apply in this mode.`,
				name: 'webhookNotice',
				type: 'notice',
				default: '',
				displayOptions: webhookMode,
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: EVENT_OPTIONS,
				default: [],
				description: EVENTS_DESCRIPTION,
				displayOptions: webhookMode,
			},
			{
				displayName: 'Inbox',
				name: 'inboxId',
				...locator('inbox', 'searchInboxes'),
				description: INBOX_FILTER,
				displayOptions: webhookMode,
			},
			{
				displayName: 'Board',
				name: 'boardId',
				...locator('board', 'searchBoards'),
				description: BOARD_FILTER,
				displayOptions: webhookMode,
			},
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: SECRET_BY_HAND,
				displayOptions: webhookMode,
			},

			// --- Polling mode -------------------------------------------------------------------------------
			{
				displayName: `n8n asks Cekat for new records at the Poll Times above: use this mode when Cekat cannot reach this n8n. ${POLLING_HOW}`,
				name: 'pollingNotice',
				type: 'notice',
				default: '',
				displayOptions: pollingMode,
			},
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: POLL_EVENT_OPTIONS,
				default: 'newOrder',
				description: 'What to watch for',
				displayOptions: pollingMode,
			},
			{
				displayName: 'Board',
				name: 'boardId',
				...locator('board', 'searchBoards'),
				required: true,
				description: 'The board whose new items start the workflow',
				displayOptions: { show: { mode: ['polling'], event: ['newCrmItem'] } },
			},
		],
	};

	methods = {
		listSearch: { searchBoards, searchInboxes },
	};

	// The user adds the URL in Cekat's settings. Cekat has subscription APIs, but two that disagree (REF's
	// POST /business_webhooks, OFF's /business_workflows/webhooks/subscribe; docs/cekat-api.md, Webhooks): the
	// node does not register itself, so there is nothing to create or delete on activation.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveWebhook.call(this);
	}

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		if (this.getNodeParameter('mode', 'webhook') !== 'polling') return null;
		const manual = this.getMode() === 'manual';
		const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : undefined;
		const records = await pollWith(this, (name, fallback, options) => this.getNodeParameter(name, fallback, options), manual, budget);
		return records ? [records.map((json) => ({ json }))] : null;
	}

	/**
	 * The run of the workflow that an event started. n8n hands this node's own output to it as input
	 * (the webhook's item, or the poll's items), so it passes them on. A node that has both webhooks and
	 * a poll needs this: without it, n8n's engine calls poll() for the trigger's step of a manual run and
	 * a test event received in Webhook mode would be replaced by poll()'s empty answer. In a manual run
	 * in Polling mode ("Fetch Test Event"), it polls for a sample.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (this.getMode() === 'manual' && this.getNodeParameter('mode', 0, 'webhook') === 'polling') {
			const records = await pollWith(this, (name, fallback, options) => this.getNodeParameter(name, 0, fallback, options), true);
			return [(records ?? []).map((json) => ({ json, pairedItem: { item: 0 } }))];
		}
		return passEventOn.call(this);
	}
}
