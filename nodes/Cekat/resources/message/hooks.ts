import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { checkCekatId, fieldError } from '../../shared/hooks';
import { normalizePhone } from '../../shared/phone';

const MEDIA_TYPES = new Set(['image', 'video', 'document', 'audio']);

function text(ctx: IExecuteSingleFunctions, parameter: string): string {
	const value = ctx.getNodeParameter(parameter, '') as unknown;
	return value === undefined || value === null ? '' : String(value).trim();
}

function httpUrl(ctx: IExecuteSingleFunctions, label: string, value: string): string {
	if (!/^https?:\/\/\S+$/i.test(value)) {
		throw fieldError(ctx, label, `"${value}" is not an http(s) URL`);
	}
	return value;
}

/** preSend of Send WhatsApp: builds the body of `POST /messages/whatsapp` for the chosen type. */
export async function buildWhatsAppMessage(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body: IDataObject = {};
	const sendTo = this.getNodeParameter('sendTo', 'conversation') as string;
	if (sendTo === 'phone') {
		const raw = text(this, 'receiver');
		if (!raw) throw fieldError(this, 'Phone Number', 'is required when sending to a phone number');
		const receiver = normalizePhone(raw);
		if (!receiver) {
			throw fieldError(this, 'Phone Number', `"${raw}" is not a phone number`, 'Use the number with its country code, e.g. 6281234567890 or +62 812-3456-7890.');
		}
		body.receiver = receiver;
	} else {
		const conversationId = this.getNodeParameter('conversationId', '', { extractValue: true }) as unknown;
		if (conversationId === '' || conversationId === undefined || conversationId === null) {
			throw fieldError(this, 'Conversation', 'is required when sending to a conversation');
		}
		body.conversation_id = checkCekatId(this, 'Conversation', conversationId);
	}

	const type = this.getNodeParameter('messageType', 'text') as string;
	const message = text(this, 'message');
	if (type !== 'text') body.media_type = type;
	if (message) body.message = message;

	if (type === 'text' && !message) throw fieldError(this, 'Message', 'is required for a text message');
	if (MEDIA_TYPES.has(type)) {
		const fileUrl = text(this, 'fileUrl');
		if (!fileUrl) throw fieldError(this, 'File URL', `is required for a ${type} message`);
		body.file_url = httpUrl(this, 'File URL', fileUrl);
	}
	if (type === 'location') {
		const location = this.getNodeParameter('location', {}) as IDataObject;
		const latitude = Number(location.latitude);
		const longitude = Number(location.longitude);
		if (location.latitude === undefined || String(location.latitude).trim() === '' || !(latitude >= -90 && latitude <= 90)) {
			throw fieldError(this, 'Latitude', `must be a number from -90 to 90, got ${JSON.stringify(location.latitude ?? '')}`);
		}
		if (location.longitude === undefined || String(location.longitude).trim() === '' || !(longitude >= -180 && longitude <= 180)) {
			throw fieldError(this, 'Longitude', `must be a number from -180 to 180, got ${JSON.stringify(location.longitude ?? '')}`);
		}
		body.location = {
			latitude: String(location.latitude).trim(),
			longitude: String(location.longitude).trim(),
			...(location.name ? { name: String(location.name) } : {}),
			...(location.address ? { address: String(location.address) } : {}),
		};
	}
	if (type === 'cta_url') {
		if (!message) throw fieldError(this, 'Message', 'is required: it is the text above the button');
		const displayText = text(this, 'buttonText');
		if (!displayText) throw fieldError(this, 'Button Text', 'is required for a button message');
		body.action = {
			name: 'cta_url',
			parameters: { display_text: displayText, url: httpUrl(this, 'Button URL', text(this, 'buttonUrl')) },
		};
	}

	const options = this.getNodeParameter('options', {}) as IDataObject;
	const headerText = String(options.headerText ?? '').trim();
	const headerFileUrl = String(options.headerFileUrl ?? '').trim();
	if (headerText && headerFileUrl) throw fieldError(this, 'Header', 'use either a header text or a header media URL, not both');
	if (headerText) body.header = { text: headerText };
	if (headerFileUrl) body.header = { file_url: httpUrl(this, 'Header Media URL', headerFileUrl) };
	const footer = String(options.footer ?? '').trim();
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
	const templateId = String(this.getNodeParameter('templateId', '', { extractValue: true }) ?? '').trim();
	if (!templateId) throw fieldError(this, 'Template', 'is required');
	body.wa_template_id = templateId;

	const raw = text(this, 'templatePhoneNumber');
	if (!raw) throw fieldError(this, 'Phone Number', 'is required');
	const phone = normalizePhone(raw);
	if (!phone) {
		throw fieldError(this, 'Phone Number', `"${raw}" is not a phone number`, 'Use the number with its country code, e.g. 6281234567890 or +62 812-3456-7890.');
	}
	body.phone_number = phone;
	const name = text(this, 'phoneName');
	if (name) body.phone_name = name;

	const variables = this.getNodeParameter('bodyVariables.variable', []) as Array<{ value?: unknown }>;
	body.template_body_variables = variables.map((variable, index) => {
		const value = variable.value === undefined || variable.value === null ? '' : String(variable.value);
		if (value.trim() === '') throw fieldError(this, `Body Variables #${index + 1} ({{${index + 1}}})`, 'is empty');
		return value;
	});

	const options = this.getNodeParameter('templateOptions', {}) as IDataObject;
	const fileUrl = String(options.headerFileUrl ?? '').trim();
	if (fileUrl) body.file_url = httpUrl(this, 'Header Media URL', fileUrl);
	const otp = String(options.otpCode ?? '').trim();
	if (otp) body.otp_code = otp;

	requestOptions.body = body;
	return requestOptions;
}
