import type { Icon, ICredentialTestRequest, ICredentialType, IAuthenticateGeneric, INodeProperties } from 'n8n-workflow';

/**
 * Cekat's event ingest API (the node's Event → Track): its own access token, sent only as
 * `Authorization: Bearer`, and its own host. The path `/api/events/ingest` is fixed by Cekat's SDK contract
 * (docs/cekat-events.md), so only the origin is configurable.
 */
export class CekatEventsApi implements ICredentialType {
	name = 'cekatEventsApi';

	displayName = 'Cekat Events API';

	icon: Icon = { light: 'file:../icons/cekat.svg', dark: 'file:../icons/cekat.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-cekat/n8n-nodes-cekat/blob/main/docs/cekat-events.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Cekat’s event tracking token (not the API key)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: 'https://t.cekat.ai',
			placeholder: 'https://t.cekat.ai',
			description: 'Origin only (the path is fixed). http://localhost:3000 for the local sandbox.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	/**
	 * Cekat documents no read-only call for this API. The test posts an empty event: it cannot be
	 * ingested (no event key, no identity), so a valid token gets a 400 (passed here) and a wrong one a
	 * 401. Not evidenced: that the real service checks the token before the body.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/events/ingest',
			method: 'POST',
			body: {},
			json: true,
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: 'Cekat refused the access token (401)' } },
			{ type: 'responseCode', properties: { value: 403, message: 'Cekat refused the access token (403)' } },
			{ type: 'responseCode', properties: { value: 404, message: 'No Cekat event ingest API at this Base URL (404)' } },
		],
	};
}
