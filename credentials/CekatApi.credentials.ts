import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Sources disagree on hosts (docs/cekat-api.md, "Hosts and authentication"): the seeds, the Postman collection
 * and the secondary docs put every route on api.cekat.ai; Cekat's own n8n node sends these to server.cekat.ai.
 */
function crmServedByServer(method: string, url: string): boolean {
	const path = url.split('?')[0];
	return (
		path.startsWith('/api/crm/') ||
		path === '/api/orders' ||
		path.startsWith('/api/orders/') ||
		path === '/api/contacts' ||
		(method.toUpperCase() === 'PUT' && path.startsWith('/api/conversations/') && path.split('/').length === 4)
	);
}

/** Routes only Cekat's server host is evidenced to serve (OFF's handlers; REF's POST /business_webhooks). */
function isServerOnly(url: string): boolean {
	const path = url.split('?')[0];
	return path.startsWith('/business_workflows/') || path === '/business_webhooks' || path.startsWith('/business_webhooks/');
}

export class CekatApi implements ICredentialType {
	name = 'cekatApi';

	displayName = 'Cekat API';

	icon: Icon = { light: 'file:../icons/cekat.svg', dark: 'file:../icons/cekat.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-cekat/n8n-nodes-cekat#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Your Cekat workspace’s API key (Cekat → Settings → Developer and API Setting)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: 'https://api.cekat.ai',
			placeholder: 'https://api.cekat.ai',
			description:
				'The Cekat Open API: keep the default, or http://localhost:3000 for the local Cekat sandbox',
		},
		{
			displayName: 'Server URL',
			name: 'serverUrl',
			type: 'string',
			default: 'https://server.cekat.ai',
			placeholder: 'https://server.cekat.ai',
			description:
				"Cekat's second host: customer-service actions, their lookups and webhook registration go here; CRM, orders and contacts with the option below. http://localhost:3000 for the sandbox.",
		},
		{
			displayName: 'Send CRM, Orders and Contacts to the Server URL',
			name: 'crmOnServer',
			type: 'boolean',
			default: false,
			description:
				'Whether CRM, order and contact requests go to the Server URL, as in Cekat\'s own node. Leave off unless Cekat support says otherwise.',
		},
		{
			displayName: 'Rate Limit: Maximum Wait (Seconds)',
			name: 'rateLimitMaxWait',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description:
				'How long a request may wait for Cekat\'s rate limit (its reset, and 429 answers, then sent again). Past it, the item fails. 0: never wait.',
		},
	];

	/**
	 * Cekat reads the key from the `api_key` header only, never the query string. The base URL is
	 * added here too: the credential is already at hand for every request, whereas an expression
	 * in the node's request defaults is evaluated twice per item by n8n's routing engine (see the
	 * benchmarks in the README).
	 */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		requestOptions.headers = { ...(requestOptions.headers ?? {}), api_key: String(credentials.apiKey ?? '') };
		if (!requestOptions.baseURL && !/^https?:\/\//i.test(requestOptions.url)) {
			// /business_workflows/* (customer-service actions, lookups, webhook subscriptions) exist only on the
			// server host in the evidence (OFF); the CRM, order and contact routes go there when the option is on.
			const server =
				isServerOnly(requestOptions.url) ||
				(credentials.crmOnServer === true && crmServedByServer(requestOptions.method ?? 'GET', requestOptions.url));
			requestOptions.baseURL = String((server ? credentials.serverUrl : credentials.baseUrl) ?? '').replace(/\/+$/, '');
		}
		return requestOptions;
	}

	// A cheap authenticated call: a wrong key answers 401.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/inboxes',
			qs: { limit: 1 },
		},
	};
}
