import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

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
				'The API key of your Cekat workspace (Cekat dashboard → Settings → Developer and API Setting)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: 'https://api.cekat.ai',
			placeholder: 'https://api.cekat.ai',
			description:
				'Address of the Cekat Open API. Keep the default for production; use http://localhost:3000 for the local Cekat sandbox.',
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
			requestOptions.baseURL = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
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
