/**
 * Contact: Get Many (`/api/contacts`), and Cekat's server-host routes Get by Phone and Update Additional Data
 * (OFF's lookup and contact handlers).
 */
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { isObject } from '../../../shared/cekatShapes';
import { listOperation, locatorField, PHONE_DESCRIPTION, PHONE_PLACEHOLDER, resourceProperties, returnAllFields, show, singleOperation, toBody, toQuery } from '../../shared/descriptions';
import { unwrapData, unwrapObjectData } from '../../shared/pagination';
import { asText, checkCekatId, checkPhone, fieldError, shown } from '../../shared/validation';

const R = 'contact';

/** Whether Cekat merges or replaces is not evidenced (docs/cekat-api.md). */
const MERGE_UNKNOWN = 'Cekat may merge them into the contact’s additional data or replace it (not documented)';

/** preSend of Get by Phone: the number in the form Cekat stores (628…), from any form the node accepts. */
export async function normalizeLookupPhone(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const qs = (requestOptions.qs ?? {}) as IDataObject;
	const raw = asText(this, 'Phone Number', qs.phone_number);
	if (!raw) throw fieldError(this, 'Phone Number', 'is required');
	qs.phone_number = checkPhone(this, 'Phone Number', raw);
	requestOptions.qs = qs;
	return requestOptions;
}

/** The key/value pairs or the JSON object, as one `additional_data` object. */
function additionalData(ctx: IExecuteSingleFunctions): IDataObject {
	if (ctx.getNodeParameter('dataMode', 'pairs') === 'json') {
		let value = ctx.getNodeParameter('dataJson', '{}') as unknown;
		if (typeof value === 'string') {
			try {
				value = JSON.parse(value || '{}');
			} catch {
				throw fieldError(ctx, 'Additional Data (JSON)', `${shown(value)} is not valid JSON`, 'Use an object such as {"city": "Bandung", "member": true}.');
			}
		}
		if (!isObject(value)) throw fieldError(ctx, 'Additional Data (JSON)', `must be a JSON object, got ${shown(value)}`);
		return value;
	}
	const pairs = (ctx.getNodeParameter('additionalData.data', []) as Array<{ key?: unknown; value?: unknown }>) ?? [];
	const data: IDataObject = {};
	pairs.forEach((pair, index) => {
		const key = asText(ctx, `Additional Data: key ${index + 1}`, pair.key);
		if (!key) throw fieldError(ctx, 'Additional Data', `key ${index + 1} is empty`);
		if (key in data) throw fieldError(ctx, 'Additional Data', `key ${shown(key)} is given twice`);
		data[key] = (pair.value ?? '') as IDataObject[string];
	});
	return data;
}

/** preSend of Update Additional Data: the contact id checked; at least one key. */
export async function buildAdditionalData(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const body = (requestOptions.body ?? {}) as IDataObject;
	const contactId = checkCekatId(this, 'Contact', body.contact_id);
	const data = additionalData(this);
	if (Object.keys(data).length === 0) throw fieldError(this, this.getNodeParameter('dataMode', 'pairs') === 'json' ? 'Additional Data (JSON)' : 'Additional Data', 'add at least one key');
	requestOptions.body = { contact_id: contactId, additional_data: data };
	return requestOptions;
}

export const contactDescription: INodeProperties[] = resourceProperties(
	R,
	[
		{
			option: listOperation(
				'Get Many',
				'getAll',
				'Get many contacts',
				'List the contacts of the workspace',
				'GET /api/contacts',
				'page',
			),
			fields: returnAllFields(R, ['getAll']),
		},
		{
			option: singleOperation(
				'Get by Phone',
				'getByPhone',
				'Get contacts by phone number',
				'Find the contacts with a WhatsApp number: one item per contact, none when there is none',
				'GET /business_workflows/contact',
				// Cekat answers a bare list (OFF); unwrapData makes one item per row, none for [].
				{ preSend: [normalizeLookupPhone], postReceive: [unwrapData] },
			),
			fields: [
				{
					displayName: 'Phone Number',
					name: 'phoneNumber',
					type: 'string',
					required: true,
					default: '',
					placeholder: PHONE_PLACEHOLDER,
					displayOptions: show(R, ['getByPhone']),
					description: `${PHONE_DESCRIPTION}. No contact with it: no items (later nodes then run only with Settings → Always Output Data).`,
					routing: toQuery('phone_number'),
				},
			],
		},
		{
			option: singleOperation(
				'Update Additional Data',
				'updateAdditionalData',
				'Update additional data of a contact',
				'Set custom keys on a contact (its additional data)',
				'POST /business_workflows/additional-data',
				// Answer shape not evidenced: the contact under `data` when there is one, else the whole answer.
				{ preSend: [buildAdditionalData], postReceive: [unwrapObjectData] },
			),
			fields: [
				{
					...locatorField(R, ['updateAdditionalData'], 'contactId', 'Contact', 'searchContacts', 'The contact (search by name or phone)'),
					routing: toBody('contact_id'),
				},
				{
					displayName: 'Define Data',
					name: 'dataMode',
					type: 'options',
					default: 'pairs',
					displayOptions: show(R, ['updateAdditionalData']),
					description: 'How the keys are given',
					options: [
						{ name: 'Key/Value Pairs', value: 'pairs', description: 'One row per key' },
						{ name: 'JSON Object', value: 'json', description: 'An object, e.g. from an earlier node' },
					],
				},
				{
					displayName: 'Additional Data',
					name: 'additionalData',
					type: 'fixedCollection',
					placeholder: 'Add Key',
					typeOptions: { multipleValues: true },
					default: {},
					displayOptions: show(R, ['updateAdditionalData'], { dataMode: ['pairs'] }),
					description: `Keys to set on the contact. ${MERGE_UNKNOWN}.`,
					options: [
						{
							displayName: 'Data',
							name: 'data',
							values: [
								{ displayName: 'Key', name: 'key', type: 'string', default: '', placeholder: 'city', description: 'Name of the key' },
								{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: 'Bandung', description: 'Value of the key (sent as text)' },
							],
						},
					],
				},
				{
					displayName: 'Additional Data (JSON)',
					name: 'dataJson',
					type: 'json',
					// '{}', not '': the editor marks an empty JSON field as invalid.
					default: '{}',
					displayOptions: show(R, ['updateAdditionalData'], { dataMode: ['json'] }),
					description: `Keys to set as one JSON object, e.g. {"city": "Bandung", "member": true}. ${MERGE_UNKNOWN}.`,
				},
			],
		},
	],
	'getAll',
);
