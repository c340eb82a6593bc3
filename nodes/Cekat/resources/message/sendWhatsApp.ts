/**
 * Message → Send WhatsApp (`POST /messages/whatsapp`). Each field says where its value goes
 * (`routing.send`); whatsAppBody only checks across fields and gives values their final shape. The node
 * runs it as a custom operation (shared/send.ts: in input order, stops at a failure); the routing below
 * stays the description of the request, and is what the AI-tool variant runs.
 */
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { isObject } from '../../../shared/cekatShapes';
import { locatorField, PHONE_DESCRIPTION, PHONE_PLACEHOLDER, show, singleOperation, toBody, type OperationDescription } from '../../shared/descriptions';
import type { ItemView } from '../../shared/send';
import { asText, checkCekatId, checkPhone, fieldError, httpUrl, shown } from '../../shared/validation';
import { R } from './fields';
import { interactiveFields, listAction, replyButtonsAction } from './interactive';

const MEDIA = ['image', 'video', 'document', 'audio'];
const MEDIA_TYPES = new Set(MEDIA);

/**
 * The body of one Send WhatsApp, from the routed fields: the recipient and the fields the chosen type
 * needs are present and valid; the phone number normalised; location, button and header in Cekat's shapes.
 */
export function whatsAppBody(ctx: ItemView, body: IDataObject): IDataObject {
	if (ctx.getNodeParameter('sendTo', 'conversation') === 'phone') {
		const raw = asText(ctx, 'Phone Number', body.receiver);
		if (!raw) throw fieldError(ctx, 'Phone Number', 'is required when sending to a phone number');
		body.receiver = checkPhone(ctx, 'Phone Number', raw);
	} else {
		const conversationId = body.conversation_id;
		if (conversationId === '' || conversationId === undefined || conversationId === null) {
			throw fieldError(ctx, 'Conversation', 'is required when sending to a conversation');
		}
		body.conversation_id = checkCekatId(ctx, 'Conversation', conversationId);
	}

	const type = ctx.getNodeParameter('messageType', 'text') as string;
	if (type === 'text') delete body.media_type;
	const message = asText(ctx, 'Message', body.message);
	if (message) body.message = message;
	else delete body.message;

	if (type === 'text' && !message) throw fieldError(ctx, 'Message', 'is required for a text message');
	if (MEDIA_TYPES.has(type)) {
		const fileUrl = asText(ctx, 'File URL', body.file_url);
		if (!fileUrl) throw fieldError(ctx, 'File URL', `is required for a ${type} message`);
		body.file_url = httpUrl(ctx, 'File URL', fileUrl);
	}
	if (type === 'location') {
		const location = isObject(body.location) ? body.location : {};
		const latitude = Number(location.latitude);
		const longitude = Number(location.longitude);
		const latitudeText = asText(ctx, 'Latitude', location.latitude);
		const longitudeText = asText(ctx, 'Longitude', location.longitude);
		if (latitudeText === '' || !(latitude >= -90 && latitude <= 90)) {
			throw fieldError(ctx, 'Latitude', `must be a number from -90 to 90, got ${shown(location.latitude ?? '')}`);
		}
		if (longitudeText === '' || !(longitude >= -180 && longitude <= 180)) {
			throw fieldError(ctx, 'Longitude', `must be a number from -180 to 180, got ${shown(location.longitude ?? '')}`);
		}
		const name = asText(ctx, 'Location Name', location.name);
		const address = asText(ctx, 'Location Address', location.address);
		body.location = {
			latitude: latitudeText,
			longitude: longitudeText,
			...(name ? { name } : {}),
			...(address ? { address } : {}),
		};
	}
	if (type === 'cta_url') {
		if (!message) throw fieldError(ctx, 'Message', 'is required: it is the text above the button');
		const parameters = isObject(body.action) && isObject(body.action.parameters) ? body.action.parameters : {};
		const displayText = asText(ctx, 'Button Text', parameters.display_text);
		if (!displayText) throw fieldError(ctx, 'Button Text', 'is required for a button message');
		body.action = {
			name: 'cta_url',
			parameters: { display_text: displayText, url: httpUrl(ctx, 'Button URL', asText(ctx, 'Button URL', parameters.url)) },
		};
	}

	if (type === 'button' || type === 'list') {
		if (!message) throw fieldError(ctx, 'Message', `is required: it is the text above the ${type === 'button' ? 'buttons' : 'list'}`);
		body.action = type === 'button' ? replyButtonsAction(ctx) : listAction(ctx);
	}

	const header = isObject(body.header) ? body.header : {};
	delete body.header;
	const headerText = asText(ctx, 'Header Text', header.text);
	const headerFileUrl = asText(ctx, 'Header Media URL', header.file_url);
	if (headerText && headerFileUrl) throw fieldError(ctx, 'Header', 'use either a header text or a header media URL, not both');
	if (headerFileUrl && type === 'list') throw fieldError(ctx, 'Header Media URL', 'a list message takes a header text only');
	if (headerText) body.header = { text: headerText };
	if (headerFileUrl) body.header = { file_url: httpUrl(ctx, 'Header Media URL', headerFileUrl) };
	const footer = asText(ctx, 'Footer', body.footer);
	if (footer) body.footer = footer;
	else delete body.footer;

	return body;
}

/** preSend of Send WhatsApp in the routing (the AI-tool variant runs it). */
export async function checkWhatsAppMessage(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	requestOptions.body = whatsAppBody(this, (requestOptions.body ?? {}) as IDataObject);
	return requestOptions;
}

const whatsApp = (extra: IDataObject = {}) => show(R, ['sendWhatsApp'], extra);

export const sendWhatsApp: OperationDescription = {
	option: singleOperation(
		'Send WhatsApp',
		'sendWhatsApp',
		'Send a WhatsApp message',
		'Send a free-form WhatsApp message (only within 24 hours of the customer’s last message)',
		'POST /messages/whatsapp',
		{ preSend: [checkWhatsAppMessage] },
	),
	fields: [
		{
			displayName: 'Send To',
			name: 'sendTo',
			type: 'options',
			default: 'conversation',
			description: 'An existing conversation, or the contact with a WhatsApp number',
			displayOptions: whatsApp(),
			options: [
				{ name: 'Conversation', value: 'conversation', description: 'Reply in an existing conversation' },
				{ name: 'Phone Number', value: 'phone', description: 'Message the contact with this WhatsApp number' },
			],
		},
		{
			...locatorField(R, ['sendWhatsApp'], 'conversationId', 'Conversation', 'searchConversations', 'The conversation to reply in (search by contact name or phone)', { extraShow: { sendTo: ['conversation'] } }),
			routing: toBody('conversation_id'),
		},
		{
			displayName: 'Phone Number',
			name: 'receiver',
			type: 'string',
			required: true,
			default: '',
			placeholder: PHONE_PLACEHOLDER,
			displayOptions: whatsApp({ sendTo: ['phone'] }),
			description: PHONE_DESCRIPTION,
			routing: toBody('receiver'),
		},
		{
			displayName: 'Message Type',
			name: 'messageType',
			type: 'options',
			default: 'text',
			description: 'Text, a file by URL, a location, a link button, reply buttons or a list',
			displayOptions: whatsApp(),
			options: [
				{ name: 'Audio', value: 'audio' },
				{ name: 'Button With Link', value: 'cta_url', description: 'Text with a button that opens a URL' },
				{ name: 'Document', value: 'document' },
				{ name: 'Image', value: 'image' },
				{ name: 'List', value: 'list', description: 'Text with a button that opens a list of choices in sections' },
				{ name: 'Location', value: 'location' },
				{ name: 'Reply Buttons', value: 'button', description: 'Text with up to 3 buttons the customer taps to answer' },
				{ name: 'Text', value: 'text' },
				{ name: 'Video', value: 'video' },
			],
			// No expression here (one per item costs time): the hook drops media_type for a text message.
			routing: toBody('media_type'),
		},
		{
			displayName: 'Message',
			name: 'message',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			displayOptions: whatsApp(),
			description: 'The text; a media message’s caption; the text above a button or list',
			routing: toBody('message'),
		},
		{
			displayName: 'File URL',
			name: 'fileUrl',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/invoice.pdf',
			displayOptions: whatsApp({ messageType: MEDIA }),
			description: 'Public URL WhatsApp downloads the file from',
			routing: toBody('file_url'),
		},
		{
			displayName: 'Location',
			name: 'location',
			type: 'collection',
			placeholder: 'Add Location Field',
			default: { latitude: '', longitude: '' },
			displayOptions: whatsApp({ messageType: ['location'] }),
			description: 'The place; latitude and longitude are required',
			options: [
				{ displayName: 'Address', name: 'address', type: 'string', default: '', description: 'Address shown under the name', routing: toBody('location.address') },
				{ displayName: 'Latitude', name: 'latitude', type: 'string', default: '', placeholder: '-6.2088', description: 'From -90 to 90', routing: toBody('location.latitude') },
				{ displayName: 'Longitude', name: 'longitude', type: 'string', default: '', placeholder: '106.8456', description: 'From -180 to 180', routing: toBody('location.longitude') },
				{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Name of the place', routing: toBody('location.name') },
			],
		},
		{
			displayName: 'Button Text',
			name: 'buttonText',
			type: 'string',
			default: '',
			placeholder: 'Pay now',
			displayOptions: whatsApp({ messageType: ['cta_url'] }),
			description: 'Label of the button (about 20 characters)',
			routing: toBody('action.parameters.display_text'),
		},
		{
			displayName: 'Button URL',
			name: 'buttonUrl',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/pay/123',
			displayOptions: whatsApp({ messageType: ['cta_url'] }),
			description: 'Link the button opens',
			routing: toBody('action.parameters.url'),
		},
		...interactiveFields,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: whatsApp(),
			options: [
				{ displayName: 'Footer', name: 'footer', type: 'string', default: '', description: 'Small text under the message', routing: toBody('footer') },
				{ displayName: 'Header Media URL', name: 'headerFileUrl', type: 'string', default: '', placeholder: 'https://example.com/banner.jpg', description: 'Image or document above the message', routing: toBody('header.file_url') },
				{ displayName: 'Header Text', name: 'headerText', type: 'string', default: '', description: 'Bold text above the message', routing: toBody('header.text') },
			],
		},
	],
};
