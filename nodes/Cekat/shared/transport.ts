import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';

import { assertCekatSuccess, guardedRequest } from './errors';

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
	assertCekatSuccess(this.getNode(), response);
	return (response.body ?? {}) as IDataObject;
}
