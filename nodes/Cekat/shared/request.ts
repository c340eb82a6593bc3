/**
 * Request preparation shared by every operation: path parameters filled safely, empty optional values
 * dropped, date filters in Cekat's form. Field checks live in validation.ts.
 */
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { PATH_PARAMETER_NAMES } from './constants';
import { fieldError, isEmpty, jakartaDate, requiredId } from './validation';

const DATE_FIELDS: Record<string, string> = { start_date: 'Start Date', end_date: 'End Date' };

/**
 * preSend step shared by every operation. The description keeps paths readable
 * (`/api/orders/{orderId}`); here each `{parameter}` becomes the URL-encoded value, so a user's
 * value can never change which route is called. Then empty optional values are dropped and
 * date filters are turned into Jakarta YYYY-MM-DD dates.
 */
export async function prepareRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	requestOptions.url = requestOptions.url.replace(/\{(\w+)\}/g, (_match, parameter: string) =>
		encodeURIComponent(requestedId(this, parameter)),
	);

	const qs = (requestOptions.qs ?? {}) as IDataObject;
	for (const key of Object.keys(qs)) {
		if (isEmpty(qs[key])) delete qs[key];
	}
	for (const [key, label] of Object.entries(DATE_FIELDS)) {
		if (qs[key] === undefined) continue;
		qs[key] = jakartaDate(this, label, qs[key]);
	}
	if (qs.start_date && qs.end_date && String(qs.start_date) > String(qs.end_date)) {
		throw fieldError(this, 'Start Date', `${String(qs.start_date)} is after the End Date ${String(qs.end_date)}`);
	}
	requestOptions.qs = qs;

	const body = requestOptions.body as IDataObject | undefined;
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		for (const key of Object.keys(body)) {
			if (body[key] === undefined || (typeof body[key] === 'string' && (body[key] as string).trim() === '')) {
				delete body[key];
			}
		}
	}
	return requestOptions;
}

function requestedId(ctx: IExecuteSingleFunctions, parameter: string): string {
	return requiredId(ctx, parameter, PATH_PARAMETER_NAMES[parameter] ?? parameter);
}
