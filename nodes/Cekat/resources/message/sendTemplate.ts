import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { locatorField, show, singleOperation, type OperationDescription } from '../../shared/descriptions';
import { asText, checkCekatId, checkPhone, fieldError, httpUrl, textParameter } from '../../shared/validation';
import { R } from './fields';

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

export const sendTemplate: OperationDescription = {
	option: singleOperation({
		name: 'Send Template',
		value: 'sendTemplate',
		action: 'Send a WhatsApp template',
		description: 'Send an approved WhatsApp template: works outside the 24-hour window, also to new numbers',
		method: 'POST',
		url: '/templates/send',
		preSend: [buildTemplateMessage],
	}),
	fields: [
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
	],
};
