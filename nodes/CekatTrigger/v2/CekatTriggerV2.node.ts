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
import { BOARD_FILTER, EVENTS_DESCRIPTION, INBOX_FILTER, NODE_DESCRIPTION, REDELIVERED, SECRET_REGISTERED, WEBHOOK_BY_HAND } from '../../shared/texts';

const registered = { show: { registerWebhook: [true] } };
const byHand = { show: { registerWebhook: [false] } };

/**
 * Version 2: webhook only (polling is the Cekat Polling Trigger), and it registers its URL in Cekat on activation
 * (registration.ts). No `polling` flag, so the editor shows no Poll Times and no "Fetch Test Event".
 */
/** The editor lists a filter's choices alphabetically. */
// Plain comparison, not localeCompare: its first call sets up ICU's collator, a third of the package's load time.
const byName = <T extends { name: string }>(options: T[]): T[] => [...options].sort((a, b) => (a.name < b.name ? -1 : 1));

export class CekatTriggerV2 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cekat Trigger',
		name: 'cekatTrigger',
		icon: CEKAT_TRIGGER_ICON,
		group: ['trigger'],
		version: 2,
		description: NODE_DESCRIPTION,
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
				displayName: `Publishing registers the Production URL in Cekat with the events below; unpublishing removes it. While you listen for a test event, the Test URL is registered. ${REDELIVERED}`,
				name: 'registeredNotice',
				type: 'notice',
				default: '',
				displayOptions: registered,
			},
			{
				displayName: WEBHOOK_BY_HAND,
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
				description: EVENTS_DESCRIPTION,
			},
			{
				displayName: 'Inbox',
				name: 'inboxId',
				...locator('inbox', 'searchInboxes'),
				description: `${INBOX_FILTER} Also registered with the subscription.`,
			},
			{
				displayName: 'Board',
				name: 'boardId',
				...locator('board', 'searchBoards'),
				description: `${BOARD_FILTER} Also registered with the subscription.`,
			},
			{
				displayName: 'Order Filters',
				name: 'orderFilters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				description: 'Order events only: sent with the subscription (as Cekat’s own node does); Cekat, not this node, then sends only matching orders',
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
				description: SECRET_REGISTERED,
			},
			{
				displayName: 'Register Webhook in Cekat',
				name: 'registerWebhook',
				type: 'boolean',
				default: true,
				description: 'Whether n8n registers this URL in Cekat on publish (removed on unpublish). Off: add it in Cekat by hand.',
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
