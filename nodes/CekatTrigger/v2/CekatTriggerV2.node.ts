import type {
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchBoards, searchInboxes } from '../../Cekat/methods/listSearch';
import { ORDER_STATUS_OPTIONS, PAYMENT_METHOD_OPTIONS, PAYMENT_STATUS_OPTIONS } from '../../Cekat/shared/constants';
import { locator } from '../../Cekat/shared/descriptions';
import { CEKAT_TRIGGER_ICON } from '../icon';
import { EVENT_OPTIONS } from '../events';
import { subscribe, subscriptionExists, unsubscribe } from '../registration';
import { passEventOn, receiveWebhook } from '../webhook';

const registered = { show: { registerWebhook: [true] } };
const byHand = { show: { registerWebhook: [false] } };

/**
 * Version 2: webhook only (polling is the Cekat Polling Trigger), and it registers its URL in Cekat on activation
 * (registration.ts). No `polling` flag, so the editor shows no Poll Times and no "Fetch Test Event".
 */
/** The editor lists a filter's choices alphabetically. */
const byName = <T extends { name: string }>(options: T[]): T[] => [...options].sort((a, b) => a.name.localeCompare(b.name));

export class CekatTriggerV2 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cekat Trigger',
		name: 'cekatTrigger',
		icon: CEKAT_TRIGGER_ICON,
		group: ['trigger'],
		version: 2,
		description: 'WhatsApp messages, CRM boards, orders and conversations in Cekat',
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		defaults: { name: 'Cekat Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cekatApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// Empty: n8n then answers with the webhook's own response ({ received: true, id }); left out,
				// n8n 2.41 answers the literal text "firstEntryJson".
				responseData: '',
				path: 'cekat',
			},
		],
		properties: [
			{
				displayName:
					'When you publish the workflow, n8n registers its Production URL in Cekat with the events below, and removes it when you unpublish. While you listen for a test event, the Test URL is registered for that time. A redelivered event (same event ID) starts nothing.',
				name: 'registeredNotice',
				type: 'notice',
				default: '',
				displayOptions: registered,
			},
			{
				displayName:
					'In Cekat, add a webhook (Settings → Developer and API Setting → Webhooks) with the Production URL shown under Webhook URLs above (the Test URL while you test here) and the same events. If you set a Secret below, add it to the URL: <code>…/cekat?secret=YOUR_SECRET</code>. A redelivered event (same event ID) starts nothing.',
				name: 'webhookNotice',
				type: 'notice',
				default: '',
				displayOptions: byHand,
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: EVENT_OPTIONS,
				default: [],
				description:
					'Events that start the workflow. The output is Cekat’s event as sent (its ID, timestamp, data…) plus "event", its name; order status events also get old_value and new_value at the top level. Other events Cekat sends to this URL are answered and start nothing.',
			},
			{
				displayName: 'Inbox',
				name: 'inboxId',
				...locator('inbox', 'searchInboxes'),
				description:
					'Only message, conversation, note and template events of this inbox (their inbox_id); also registered in Cekat as the subscription’s inbox. Such events that name no inbox are ignored while an inbox is chosen. Does not apply to order, contact, CRM, AI summary and Netzme events. Leave empty for every inbox.',
			},
			{
				displayName: 'Board',
				name: 'boardId',
				...locator('board', 'searchBoards'),
				description: 'Only CRM events (crm_item.*, crm_value.*) of this board (their board_id); also registered in Cekat as the subscription’s board. Leave empty for every board.',
			},
			{
				displayName: 'Order Filters',
				name: 'orderFilters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				description:
					'Order events only: Cekat sends only orders that match (sent with the subscription, as Cekat’s own node does; Cekat applies them, not this node)',
				displayOptions: registered,
				options: [
					{
						displayName: 'Order Status',
						name: 'orderStatus',
						type: 'options',
						options: byName(ORDER_STATUS_OPTIONS),
						default: 'pending',
						description: 'Only orders with this order status',
					},
					{
						displayName: 'Payment Method',
						name: 'paymentMethod',
						type: 'options',
						options: byName(PAYMENT_METHOD_OPTIONS),
						default: 'manual',
						description: 'Only orders paid with this method',
					},
					{
						displayName: 'Payment Status',
						name: 'paymentStatus',
						type: 'options',
						options: byName(PAYMENT_STATUS_OPTIONS),
						default: 'paid',
						description: 'Only orders with this payment status',
					},
				],
			},
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'Optional. When set, only requests that carry it (in ?secret=… or the X-Cekat-Secret header) start the workflow; others get 401. A registered URL carries it as ?secret=…; when you add the URL by hand, add ?secret=… to it.',
			},
			{
				displayName: 'Register Webhook in Cekat',
				name: 'registerWebhook',
				type: 'boolean',
				default: true,
				description:
					'Whether n8n registers this URL in Cekat when the workflow is published (and removes it when unpublished). Turn off for an API key that cannot subscribe webhooks, then add the URL in Cekat by hand.',
			},
		],
	};

	methods = {
		listSearch: { searchBoards, searchInboxes },
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await subscriptionExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await subscribe.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await unsubscribe.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveWebhook.call(this);
	}

	/** The run an event started: see passEventOn (the seen event ids must be saved by the run). */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return passEventOn.call(this);
	}
}
