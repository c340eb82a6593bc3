import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { locatorField, PHONE_DESCRIPTION, PHONE_PLACEHOLDER, show, singleOperation, toBody, type OperationDescription } from '../../shared/descriptions';
import { isObject } from '../../../shared/cekatShapes';
import { asText, checkCekatId, checkPhone, fieldError, httpUrl, type FieldContext } from '../../shared/validation';
import { R } from './fields';

/**
 * The body of one Send Template (`POST /templates/send`): each field routes itself; this checks what was
 * routed and gives the phone number and the body variables their final shape. The node runs it as a custom
 * operation (shared/send.ts); the routing's preSend below is what the AI-tool variant runs.
 */
export function templateBody(ctx: FieldContext, body: IDataObject): IDataObject {
	body.inbox_id = checkCekatId(ctx, 'Inbox', body.inbox_id);
	const templateId = asText(ctx, 'Template', body.wa_template_id);
	if (!templateId) throw fieldError(ctx, 'Template', 'is required');
	body.wa_template_id = templateId;

	const raw = asText(ctx, 'Phone Number', body.phone_number);
	if (!raw) throw fieldError(ctx, 'Phone Number', 'is required');
	body.phone_number = checkPhone(ctx, 'Phone Number', raw);
	const name = asText(ctx, 'Contact Name', body.phone_name);
	if (name) body.phone_name = name;
	else delete body.phone_name;

	// The fixed collection arrives as { variable: [{ value }] }; Cekat takes the values in order.
	const variables = (isObject(body.template_body_variables) && Array.isArray(body.template_body_variables.variable)
		? body.template_body_variables.variable
		: []) as Array<{ value?: unknown }>;
	body.template_body_variables = variables.map((variable, index) => {
		const label = `Body Variables #${index + 1} ({{${index + 1}}})`;
		const value = asText(ctx, label, variable.value);
		if (value === '') throw fieldError(ctx, label, 'is empty');
		return value;
	});

	const fileUrl = asText(ctx, 'Header Media URL', body.file_url);
	if (fileUrl) body.file_url = httpUrl(ctx, 'Header Media URL', fileUrl);
	else delete body.file_url;
	const otp = asText(ctx, 'OTP Code', body.otp_code);
	if (otp) body.otp_code = otp;
	else delete body.otp_code;

	return body;
}

/** preSend of Send Template in the routing. */
export async function checkTemplateMessage(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	requestOptions.body = templateBody(this, (requestOptions.body ?? {}) as IDataObject);
	return requestOptions;
}

export const sendTemplate: OperationDescription = {
	option: singleOperation(
		'Send Template',
		'sendTemplate',
		'Send a WhatsApp template',
		'Send an approved WhatsApp template: also outside the 24-hour window and to new numbers',
		'POST /templates/send',
		{ preSend: [checkTemplateMessage] },
	),
	fields: [
		{
			...locatorField(R, ['sendTemplate'], 'inboxId', 'Inbox', 'searchInboxes', 'The WhatsApp inbox (number) that sends the template'),
			routing: toBody('inbox_id'),
		},
		{
			...locatorField(R, ['sendTemplate'], 'templateId', 'Template', 'searchTemplates', 'An approved template of the chosen inbox; By ID: Meta’s template ID (wa_template_id)', { freeFormId: true }),
			routing: toBody('wa_template_id'),
		},
		{
			displayName: 'Phone Number',
			name: 'templatePhoneNumber',
			type: 'string',
			required: true,
			default: '',
			placeholder: PHONE_PLACEHOLDER,
			displayOptions: show(R, ['sendTemplate']),
			routing: toBody('phone_number'),
			description: PHONE_DESCRIPTION,
		},
		{
			displayName: 'Contact Name',
			name: 'phoneName',
			type: 'string',
			default: '',
			placeholder: 'Budi Santoso',
			displayOptions: show(R, ['sendTemplate']),
			routing: toBody('phone_name'),
			description: 'Name of the contact Cekat creates for a new number',
		},
		{
			displayName: 'Body Variables',
			name: 'bodyVariables',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			placeholder: 'Add Variable',
			default: {},
			displayOptions: show(R, ['sendTemplate']),
			routing: toBody('template_body_variables'),
			description: 'Values of the template’s {{1}}, {{2}}, … in order; as many as the template has',
			options: [
				{
					displayName: 'Variable',
					name: 'variable',
					values: [{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'The first fills {{1}}, the second {{2}}, and so on' }],
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
				{ displayName: 'Header Media URL', name: 'headerFileUrl', type: 'string', default: '', placeholder: 'https://example.com/banner.jpg', description: 'Image or document of a media header', routing: toBody('file_url') },
				{ displayName: 'OTP Code', name: 'otpCode', type: 'string', default: '', description: 'The code for an authentication (OTP) template', routing: toBody('otp_code') },
			],
		},
	],
};
