import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { asText, checkCekatId, checkPhone, fieldError, httpUrl, shown, textParameter } from '../../shared/validation';

const MEDIA_TYPES = new Set(['image', 'video', 'document', 'audio']);

/** preSend of Send WhatsApp: builds the body of `POST /messages/whatsapp` for the chosen type. */
export async function buildWhatsAppMessage(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body: IDataObject = {};
	const sendTo = this.getNodeParameter('sendTo', 'conversation') as string;
	if (sendTo === 'phone') {
		const raw = textParameter(this, 'receiver', 'Phone Number');
		if (!raw) throw fieldError(this, 'Phone Number', 'is required when sending to a phone number');
		body.receiver = checkPhone(this, 'Phone Number', raw);
	} else {
		const conversationId = this.getNodeParameter('conversationId', '', { extractValue: true }) as unknown;
		if (conversationId === '' || conversationId === undefined || conversationId === null) {
			throw fieldError(this, 'Conversation', 'is required when sending to a conversation');
		}
		body.conversation_id = checkCekatId(this, 'Conversation', conversationId);
	}

	const type = this.getNodeParameter('messageType', 'text') as string;
	const message = textParameter(this, 'message', 'Message');
	if (type !== 'text') body.media_type = type;
	if (message) body.message = message;

	if (type === 'text' && !message) throw fieldError(this, 'Message', 'is required for a text message');
	if (MEDIA_TYPES.has(type)) {
		const fileUrl = textParameter(this, 'fileUrl', 'File URL');
		if (!fileUrl) throw fieldError(this, 'File URL', `is required for a ${type} message`);
		body.file_url = httpUrl(this, 'File URL', fileUrl);
	}
	if (type === 'location') {
		const location = this.getNodeParameter('location', {}) as IDataObject;
		const latitude = Number(location.latitude);
		const longitude = Number(location.longitude);
		const latitudeText = asText(this, 'Latitude', location.latitude);
		const longitudeText = asText(this, 'Longitude', location.longitude);
		if (latitudeText === '' || !(latitude >= -90 && latitude <= 90)) {
			throw fieldError(this, 'Latitude', `must be a number from -90 to 90, got ${shown(location.latitude ?? '')}`);
		}
		if (longitudeText === '' || !(longitude >= -180 && longitude <= 180)) {
			throw fieldError(this, 'Longitude', `must be a number from -180 to 180, got ${shown(location.longitude ?? '')}`);
		}
		const name = asText(this, 'Location Name', location.name);
		const address = asText(this, 'Location Address', location.address);
		body.location = {
			latitude: latitudeText,
			longitude: longitudeText,
			...(name ? { name } : {}),
			...(address ? { address } : {}),
		};
	}
	if (type === 'cta_url') {
		if (!message) throw fieldError(this, 'Message', 'is required: it is the text above the button');
		const displayText = textParameter(this, 'buttonText', 'Button Text');
		if (!displayText) throw fieldError(this, 'Button Text', 'is required for a button message');
		body.action = {
			name: 'cta_url',
			parameters: { display_text: displayText, url: httpUrl(this, 'Button URL', textParameter(this, 'buttonUrl', 'Button URL')) },
		};
	}

	const options = this.getNodeParameter('options', {}) as IDataObject;
	const headerText = asText(this, 'Header Text', options.headerText);
	const headerFileUrl = asText(this, 'Header Media URL', options.headerFileUrl);
	if (headerText && headerFileUrl) throw fieldError(this, 'Header', 'use either a header text or a header media URL, not both');
	if (headerText) body.header = { text: headerText };
	if (headerFileUrl) body.header = { file_url: httpUrl(this, 'Header Media URL', headerFileUrl) };
	const footer = asText(this, 'Footer', options.footer);
	if (footer) body.footer = footer;

	requestOptions.body = body;
	return requestOptions;
}

/** preSend of Send Template: builds `POST /templates/send` (inbox, Meta template id, phone, variables). */
export async function buildTemplateMessage(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body: IDataObject = {};
	body.inbox_id = checkCekatId(this, 'Inbox', this.getNodeParameter('inboxId', '', { extractValue: true }));
	const templateId = textParameter(this, 'templateId', 'Template');
	if (!templateId) throw fieldError(this, 'Template', 'is required');
	body.wa_template_id = templateId;

	const raw = textParameter(this, 'templatePhoneNumber', 'Phone Number');
	if (!raw) throw fieldError(this, 'Phone Number', 'is required');
	body.phone_number = checkPhone(this, 'Phone Number', raw);
	const name = textParameter(this, 'phoneName', 'Contact Name');
	if (name) body.phone_name = name;

	const variables = this.getNodeParameter('bodyVariables.variable', []) as Array<{ value?: unknown }>;
	body.template_body_variables = variables.map((variable, index) => {
		const label = `Body Variables #${index + 1} ({{${index + 1}}})`;
		const value = asText(this, label, variable.value);
		if (value === '') throw fieldError(this, label, 'is empty');
		return value;
	});

	const options = this.getNodeParameter('templateOptions', {}) as IDataObject;
	const fileUrl = asText(this, 'Header Media URL', options.headerFileUrl);
	if (fileUrl) body.file_url = httpUrl(this, 'Header Media URL', fileUrl);
	const otp = asText(this, 'OTP Code', options.otpCode);
	if (otp) body.otp_code = otp;

	requestOptions.body = body;
	return requestOptions;
}
