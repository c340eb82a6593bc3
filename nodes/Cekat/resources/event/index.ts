/**
 * Event → Track: a business event (sign-up, login, order created or paid, or a custom one) sent to
 * Cekat's event ingest API (`POST /api/events/ingest` on t.cekat.ai, credential cekatEventsApi), which
 * ties it to the customer's conversation. Run as a custom operation (shared/events/track.ts): its
 * delivery rules (per-attempt deadline, jittered retries, bounded answers) are beyond the routing engine.
 */
import type { INodeProperties } from 'n8n-workflow';

import { operationPicker } from '../../shared/descriptions';

const R = 'event';
const TRACK = { show: { resource: [R], operation: ['track'] } };
const typed = (types: string[]) => ({ show: { resource: [R], operation: ['track'], eventType: types } });

export const eventDescription: INodeProperties[] = [
	operationPicker(
		R,
		[
			{
				name: 'Track',
				value: 'track',
				action: 'Track an event',
				description: 'Send a sign-up, login, order or custom event to Cekat, tied to the customer by email or phone',
			},
		],
		'track',
	),
	{
		displayName: 'Event',
		name: 'eventType',
		type: 'options',
		displayOptions: TRACK,
		options: [
			{ name: 'Custom', value: 'custom_event', description: 'An event key defined in your Cekat workspace' },
			{ name: 'Order Created', value: 'order_created', description: 'An order was placed (with amount and currency)' },
			{ name: 'Order Paid', value: 'order_paid', description: 'An order was paid (with amount and currency)' },
			{ name: 'User Login', value: 'user_login' },
			{ name: 'User Registration', value: 'user_registration' },
		],
		default: 'order_paid',
		description: 'Which event happened. The four common events need no setup in Cekat.',
	},
	{
		displayName: 'Event Key',
		name: 'eventKey',
		type: 'string',
		required: true,
		displayOptions: typed(['custom_event']),
		default: '',
		placeholder: 'trial_started',
		description: 'The key of the custom event as defined in Cekat. Cekat answers "not found" for a key it does not know.',
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		required: true,
		typeOptions: { numberPrecision: 2 },
		displayOptions: typed(['order_created', 'order_paid']),
		default: 0,
		description: 'The order total. Sent as properties.amount.',
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		required: true,
		displayOptions: typed(['order_created', 'order_paid']),
		default: 'IDR',
		description: 'The currency of the amount, e.g. IDR. Sent as properties.currency, unchanged.',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		displayOptions: TRACK,
		default: '',
		description: 'The customer’s email. An email, a phone number or both are needed to tie the event to the customer.',
	},
	{
		displayName: 'Phone Number',
		name: 'phoneNumber',
		type: 'string',
		displayOptions: TRACK,
		default: '',
		placeholder: '+628123456789',
		description: 'The customer’s phone number (WhatsApp). An email, a phone number or both are needed.',
	},
	{
		displayName: 'Properties',
		name: 'propertiesInput',
		type: 'options',
		displayOptions: TRACK,
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Fields Below', value: 'keyValue', description: 'Name and value pairs' },
			{ name: 'JSON', value: 'json', description: 'One object, e.g. an expression giving the order of an earlier node' },
		],
		default: 'none',
		description: 'Extra details of the event, e.g. the order ID or the plan. An order event adds amount and currency itself.',
	},
	{
		displayName: 'Properties',
		name: 'properties',
		type: 'fixedCollection',
		placeholder: 'Add Property',
		typeOptions: { multipleValues: true },
		displayOptions: { show: { resource: [R], operation: ['track'], propertiesInput: ['keyValue'] } },
		default: {},
		options: [
			{
				displayName: 'Property',
				name: 'property',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'order_id', description: 'The property’s name, e.g. order_id' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'Sent as text; use JSON for numbers, lists or objects' },
				],
			},
		],
	},
	{
		displayName: 'Properties (JSON)',
		name: 'propertiesJson',
		type: 'json',
		displayOptions: { show: { resource: [R], operation: ['track'], propertiesInput: ['json'] } },
		default: '{\n  "order_id": "ORD-1001"\n}',
		description: 'An object of name → value: text, numbers (whole numbers within ±9007199254740991), true/false, null, lists and objects',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		displayOptions: TRACK,
		default: {},
		options: [
			{
				displayName: 'Contact Name',
				name: 'contactName',
				type: 'string',
				default: '',
				description: 'The customer’s name, for a contact Cekat creates',
			},
			{
				displayName: 'Event ID',
				name: 'eventId',
				type: 'string',
				default: '',
				placeholder: '={{ $json.order_id }}',
				description:
					'Your own ID of this event, e.g. the order ID. Set it when the same event may be sent again (a shop re-delivering its webhook, a re-run workflow): Cekat can then recognise the repeat. Empty: a new random ID for each item.',
			},
			{
				displayName: 'Inbound Request Headers',
				name: 'inboundHeaders',
				type: 'json',
				default: '',
				placeholder: '={{ $json.headers }}',
				description: 'The headers of the request that started this workflow (a Webhook node’s headers, as an expression): the visitor ID is read from X-Cekat-Visitor-ID, else the _cekat_visitor_id cookie, when Visitor ID is empty',
			},
			{
				displayName: 'Occurred At',
				name: 'occurredAt',
				type: 'dateTime',
				default: '',
				description: 'When the event happened. Empty: now. A time without an offset is taken as UTC.',
			},
			{
				displayName: 'Visitor ID',
				name: 'visitorId',
				type: 'string',
				default: '',
				description: 'Cekat’s website visitor ID, linking the event to a chat on your website. Empty: read from Inbound Request Headers.',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'eventOptions',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: TRACK,
		default: {},
		options: [
			{
				displayName: 'Retries',
				name: 'retries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 2,
				description: 'How often a failed delivery (no answer, timeout, 429 or 5xx) is tried again, with a short random wait; the event keeps its ID',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 3000,
				description: 'How long each attempt may take, in milliseconds',
			},
		],
	},
];
