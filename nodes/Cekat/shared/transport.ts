import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';

import { assertCekatSuccess, cekatApiError, guardedRequest } from './errors';
import { markRetryable, noteAnswer, withRateLimit } from './rateLimit';

/** The contexts that call Cekat outside the routing engine: editor methods and the trigger's polls. */
export type CekatRequestContext = ILoadOptionsFunctions | IPollFunctions | IExecuteFunctions;

/**
 * A request made outside the routing engine (pickers, column mapping, the trigger's polls). Errors
 * carry Cekat's own message, so a failing list shows why in the editor instead of an empty or
 * invented list.
 */
export async function cekatApiRequest(
	this: CekatRequestContext,
	method: IHttpRequestMethods,
	path: string,
	qs: IDataObject = {},
	body?: IDataObject,
): Promise<IDataObject> {
	// The credential's authenticate step picks the host (Base URL, or Server URL for /business_workflows/*).
	// Paced and 429-retried like the routing's requests (rateLimit.ts).
	return await withRateLimit(this, async () => {
		const response = (await guardedRequest(this.getNode(), async () =>
			await this.helpers.httpRequestWithAuthentication.call(this, 'cekatApi', {
				method,
				url: path,
				qs,
				body,
				json: true,
				ignoreHttpStatusErrors: true,
				returnFullResponse: true,
			}),
		)) as { statusCode: number; body: unknown; headers: IDataObject };
		const wait = await noteAnswer(this, response.statusCode, response.headers);
		if (wait !== undefined) throw markRetryable(cekatApiError(this.getNode(), response.statusCode, response.body, response.headers), wait);
		assertCekatSuccess(this.getNode(), response);
		return (response.body ?? {}) as IDataObject;
	});
}
