/**
 * Conversation → Add Label (`POST /business_workflows/labels`). Value and Currency are optional: OFF describes
 * them as the purchase value reported to Meta's Conversion API / Pixel when the label is added.
 */
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { show, toBody, type OperationDescription } from '../../shared/descriptions';
import { decimalNumber, fieldError } from '../../shared/validation';
import { actionOperation, R } from './fields';

/** OFF's currency list (lower-case ISO 4217 codes, as OFF sends them). */
const CURRENCIES: Array<[string, string]> = [
	['Australian Dollar', 'aud'],
	['British Pound Sterling', 'gbp'],
	['Canadian Dollar', 'cad'],
	['Chinese Yuan', 'cny'],
	['Hong Kong Dollar', 'hkd'],
	['Indian Rupee', 'inr'],
	['Indonesian Rupiah', 'idr'],
	['Japanese Yen', 'jpy'],
	['Malaysian Ringgit', 'myr'],
	['New Zealand Dollar', 'nzd'],
	['Philippine Peso', 'php'],
	['Singapore Dollar', 'sgd'],
	['Swiss Franc', 'chf'],
	['Thai Baht', 'thb'],
	['United States Dollar', 'usd'],
	['Vietnamese Dong', 'vnd'],
];

/** preSend: the value is a number of at least 0 (text like "1,250,000" is read); a currency needs a value. */
export async function checkLabelValue(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const body = (requestOptions.body ?? {}) as IDataObject;
	if (body.value !== undefined && body.value !== null) {
		const value = decimalNumber(this, 'Value', body.value);
		if (value < 0) throw fieldError(this, 'Value', `must be 0 or more, got ${value}`);
		body.value = value;
	} else if (body.currency !== undefined) {
		throw fieldError(this, 'Currency', 'is the currency of a Value: add the Value too, or remove the Currency');
	}
	return requestOptions;
}

export const addLabel: OperationDescription = {
	option: actionOperation(
		'Add Label',
		'addLabel',
		'Add a label to a conversation',
		'Label a conversation, optionally with a purchase value',
		'labels',
		{ ids: { label_id: { label: 'Label', form: 'loose' } }, preSend: [checkLabelValue] },
	),
	fields: [
		{
			displayName: 'Options',
			name: 'labelOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: show(R, ['addLabel']),
			options: [
				{
					displayName: 'Currency',
					name: 'currency',
					type: 'options',
					default: 'idr',
					description: 'Currency of the Value',
					options: CURRENCIES.map(([name, value]) => ({ name, value })),
					routing: toBody('currency'),
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'number',
					default: 0,
					typeOptions: { minValue: 0 },
					description: 'Purchase value of the label, e.g. for Meta’s Conversion API / Pixel',
					routing: toBody('value'),
				},
			],
		},
	],
};
