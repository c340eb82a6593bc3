import type { INodeProperties } from 'n8n-workflow';

import {
	dateRangeOptions,
	filtersCollection,
	listOperation,
	locatorField,
	operationPicker,
	show,
	singleOperation,
	returnAllFields,
} from '../../shared/descriptions';
import { requireQueryId } from '../../shared/validation';
import { buildTemplateMessage, buildWhatsAppMessage } from './hooks';

const R = 'message';

const conversationFilter: INodeProperties = {
	displayName: 'Conversation ID',
	name: 'conversationId',
	type: 'string',
	default: '',
	description: 'Only messages of this conversation',
	routing: { send: { type: 'query', property: 'conversation_id' } },
};

export const messageDescription: INodeProperties[] = [
	operationPicker(R, [
		singleOperation({
			name: 'Send WhatsApp',
			value: 'sendWhatsApp',
			action: 'Send a WhatsApp message',
			description: 'Send a free-form WhatsApp message (only within 24 hours of the customer’s last message)',
			method: 'POST',
			url: '/messages/whatsapp',
			preSend: [buildWhatsAppMessage],
		}),
		singleOperation({
			name: 'Send Template',
			value: 'sendTemplate',
			action: 'Send a WhatsApp template',
			description: 'Send an approved WhatsApp template: works outside the 24-hour window, also to new numbers',
			method: 'POST',
			url: '/templates/send',
			preSend: [buildTemplateMessage],
		}),
		listOperation({
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many messages',
			description: 'List messages, with filters',
			url: '/api/messages',
			family: 'page',
		}),
		listOperation({
			name: 'Get Conversation History',
			value: 'getConversationHistory',
			action: 'Get the messages of a conversation',
			description: 'List all messages of one conversation, oldest first',
			url: '/messages',
			family: 'whole',
			preSend: [requireQueryId('conversation_id', 'Conversation')],
		}),
		singleOperation({
			name: 'Get AI Credit Usage',
			value: 'getAiCreditUsage',
			action: 'Get AI credit usage',
			description: 'Summary of messages and AI credits used in a period',
			method: 'GET',
			url: '/api/messages/summary/ai_credits',
		}),
	], 'sendWhatsApp'),
	...returnAllFields(R, ['getAll', 'getConversationHistory']),

	// Send WhatsApp
	{
		displayName: 'Send To',
		name: 'sendTo',
		type: 'options',
		default: 'conversation',
		description: 'Where the message goes: an existing conversation, or the contact with a WhatsApp number',
		displayOptions: show(R, ['sendWhatsApp']),
		options: [
			{ name: 'Conversation', value: 'conversation', description: 'Reply in an existing conversation' },
			{ name: 'Phone Number', value: 'phone', description: 'Message the contact with this WhatsApp number' },
		],
	},
	locatorField({ resource: R, operations: ['sendWhatsApp'], extraShow: { sendTo: ['conversation'] }, name: 'conversationId', displayName: 'Conversation', noun: 'conversation', searchListMethod: 'searchConversations', description: 'The conversation to reply in (search by contact name or phone)' }),
	{
		displayName: 'Phone Number',
		name: 'receiver',
		type: 'string',
		required: true,
		default: '',
		placeholder: '6281234567890',
		displayOptions: show(R, ['sendWhatsApp'], { sendTo: ['phone'] }),
		description: 'WhatsApp number with country code; +62 812-3456-7890 and 0812… are accepted',
	},
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		default: 'text',
		description: 'Text, a file by URL, a map location, or text with a button that opens a link',
		displayOptions: show(R, ['sendWhatsApp']),
		options: [
			{ name: 'Audio', value: 'audio' },
			{ name: 'Button With Link', value: 'cta_url', description: 'Text with a button that opens a URL' },
			{ name: 'Document', value: 'document' },
			{ name: 'Image', value: 'image' },
			{ name: 'Location', value: 'location' },
			{ name: 'Text', value: 'text' },
			{ name: 'Video', value: 'video' },
		],
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		displayOptions: show(R, ['sendWhatsApp']),
		description: 'Text of the message; the caption of a media message; the text above a button',
	},
	{
		displayName: 'File URL',
		name: 'fileUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/invoice.pdf',
		displayOptions: show(R, ['sendWhatsApp'], { messageType: ['image', 'video', 'document', 'audio'] }),
		description: 'Public URL of the file; WhatsApp downloads it from there',
	},
	{
		displayName: 'Location',
		name: 'location',
		type: 'collection',
		placeholder: 'Add Location Field',
		default: { latitude: '', longitude: '' },
		displayOptions: show(R, ['sendWhatsApp'], { messageType: ['location'] }),
		description: 'The place to show; latitude and longitude are required',
		options: [
			{ displayName: 'Address', name: 'address', type: 'string', default: '', description: 'Street address shown under the place name' },
			{ displayName: 'Latitude', name: 'latitude', type: 'string', default: '', placeholder: '-6.2088', description: 'From -90 to 90' },
			{ displayName: 'Longitude', name: 'longitude', type: 'string', default: '', placeholder: '106.8456', description: 'From -180 to 180' },
			{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Name of the place' },
		],
	},
	{
		displayName: 'Button Text',
		name: 'buttonText',
		type: 'string',
		default: '',
		placeholder: 'Pay now',
		displayOptions: show(R, ['sendWhatsApp'], { messageType: ['cta_url'] }),
		description: 'Label of the button (WhatsApp allows about 20 characters)',
	},
	{
		displayName: 'Button URL',
		name: 'buttonUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/pay/123',
		displayOptions: show(R, ['sendWhatsApp'], { messageType: ['cta_url'] }),
		description: 'Link the button opens',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(R, ['sendWhatsApp']),
		options: [
			{ displayName: 'Footer', name: 'footer', type: 'string', default: '', description: 'Small text under the message' },
			{ displayName: 'Header Media URL', name: 'headerFileUrl', type: 'string', default: '', placeholder: 'https://example.com/banner.jpg', description: 'Image or document shown above the message' },
			{ displayName: 'Header Text', name: 'headerText', type: 'string', default: '', description: 'Bold text above the message' },
		],
	},

	// Send Template
	locatorField({ resource: R, operations: ['sendTemplate'], name: 'inboxId', displayName: 'Inbox', noun: 'inbox', searchListMethod: 'searchInboxes', description: 'The WhatsApp inbox (number) that sends the template' }),
	locatorField({ resource: R, operations: ['sendTemplate'], name: 'templateId', displayName: 'Template', noun: 'template', searchListMethod: 'searchTemplates', freeFormId: true, description: 'An approved template of the chosen inbox. By ID takes Meta’s template ID (wa_template_id).' }),
	{
		displayName: 'Phone Number',
		name: 'templatePhoneNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: '6281234567890',
		displayOptions: show(R, ['sendTemplate']),
		description: 'WhatsApp number with country code; +62 812-3456-7890 and 0812… are accepted',
	},
	{
		displayName: 'Contact Name',
		name: 'phoneName',
		type: 'string',
		default: '',
		placeholder: 'Budi Santoso',
		displayOptions: show(R, ['sendTemplate']),
		description: 'Name for the contact when Cekat creates it for a new number',
	},
	{
		displayName: 'Body Variables',
		name: 'bodyVariables',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Variable',
		default: {},
		displayOptions: show(R, ['sendTemplate']),
		description: 'Values for the template’s {{1}}, {{2}}, … placeholders, in order. Their number must match the template.',
		options: [
			{
				displayName: 'Variable',
				name: 'variable',
				values: [{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'The first variable fills {{1}}, the second {{2}}, and so on' }],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'templateOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(R, ['sendTemplate']),
		options: [
			{ displayName: 'Header Media URL', name: 'headerFileUrl', type: 'string', default: '', placeholder: 'https://example.com/banner.jpg', description: 'Image or document for a template with a media header' },
			{ displayName: 'OTP Code', name: 'otpCode', type: 'string', default: '', description: 'The code for an authentication (OTP) template' },
		],
	},

	// Get Many
	filtersCollection(R, ['getAll'], [conversationFilter, ...dateRangeOptions()]),

	// Get Conversation History
	{
		...locatorField({ resource: R, operations: ['getConversationHistory'], name: 'historyConversationId', displayName: 'Conversation', noun: 'conversation', searchListMethod: 'searchConversations', description: 'The conversation whose messages to list' }),
		routing: { send: { type: 'query', property: 'conversation_id' } },
	},

	// Get AI Credit Usage
	filtersCollection(R, ['getAiCreditUsage'], [conversationFilter, ...dateRangeOptions()]),
];
