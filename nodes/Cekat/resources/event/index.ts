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
				description: 'Send a sign-up, login, order or custom event to Cekat',
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
			{ name: 'Custom', value: 'custom_event' },
			{ name: 'Order Created', value: 'order_created' },
			{ name: 'Order Paid', value: 'order_paid' },
			{ name: 'User Login', value: 'user_login' },
			{ name: 'User Registration', value: 'user_registration' },
		],
		default: 'order_paid',
		description: 'Which event happened. Only a custom one needs setting up in Cekat.',
	},
	{
		displayName: 'Event Key',
		name: 'eventKey',
		type: 'string',
		required: true,
		displayOptions: typed(['custom_event']),
		default: '',
		placeholder: 'trial_started',
		description: 'The custom event’s key as defined in Cekat',
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		required: true,
		typeOptions: { numberPrecision: 2 },
		displayOptions: typed(['order_created', 'order_paid']),
		default: 0,
		description: 'The order total (properties.amount)',
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		required: true,
		displayOptions: typed(['order_created', 'order_paid']),
		default: 'IDR',
		description: 'The currency code, like IDR (properties.currency)',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		displayOptions: TRACK,
		default: '',
		description: 'The customer’s email. An email or a phone number is required.',
	},
	{
		displayName: 'Phone Number',
		name: 'phoneNumber',
		type: 'string',
		displayOptions: TRACK,
		default: '',
		placeholder: '+628123456789',
		description: 'The customer’s WhatsApp number. An email or a phone number is required.',
	},
	{
		displayName: 'Properties',
		name: 'propertiesInput',
		type: 'options',
		displayOptions: TRACK,
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Fields Below', value: 'keyValue' },
			{ name: 'JSON', value: 'json' },
		],
		default: 'none',
		description: 'Extra details, e.g. the order ID',
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
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'order_id', description: 'Like order_id' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'Sent as text; use JSON for other types' },
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
		description: 'An object: text, finite numbers, true/false, null, lists, objects',
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
				description: 'The customer’s name',
			},
			{
				displayName: 'Event ID',
				name: 'eventId',
				type: 'string',
				default: '',
				placeholder: '={{ $json.order_id }}',
				description: 'Your ID of the event, like the order ID: set it if the event may be sent again. Empty: random.',
			},
			{
				displayName: 'Inbound Request Headers',
				name: 'inboundHeaders',
				type: 'json',
				default: '',
				placeholder: '={{ $json.headers }}',
				description: 'A Webhook node’s headers: the visitor ID comes from X-Cekat-Visitor-ID, else the _cekat_visitor_id cookie',
			},
			{
				displayName: 'Occurred At',
				name: 'occurredAt',
				type: 'dateTime',
				default: '',
				description: 'Empty: now. Without an offset: UTC.',
			},
			{
				displayName: 'Visitor ID',
				name: 'visitorId',
				type: 'string',
				default: '',
				description: 'Cekat’s website visitor ID. Empty: from Inbound Request Headers.',
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
				description: 'Tries after a failure without an answer, a timeout, 429 or 5xx (same event ID)',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 3000,
				description: 'Per attempt',
			},
		],
	},
];
