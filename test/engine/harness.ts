/**
 * Runs the built package (dist/) through n8n's real engine, as the server does:
 * PackageDirectoryLoader loads it by the package.json `n8n` block, WorkflowExecute runs a
 * workflow, and the routing engine makes real HTTP requests (here: to the local sandbox).
 * The only piece written here is what n8n keeps in its CLI package: the credentials store and
 * the `authenticate: { type: 'generic' }` step.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// n8n-core reads these when it is first loaded.
process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'n8n-cekat-test-'));
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED ??= 'false';

import { ExecutionLifecycleHooks, LoadOptionsContext, PackageDirectoryLoader, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialTypes,
	IDataObject,
	IExecuteData,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	createRunExecutionData,
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
} from 'n8n-workflow';

import { findSecret } from '../secrets';

export const PACKAGE_DIR = path.resolve(__dirname, '../..');
export const NODE_TYPE = 'n8n-nodes-cekat.cekat';
export const CREDENTIAL_TYPE = 'cekatApi';

export interface LoadedPackage {
	loader: PackageDirectoryLoader;
	nodeTypes: INodeTypes;
	credentialTypes: ICredentialTypes;
	nodeType: INodeType;
	credentialType: ICredentialType;
}

let loaded: Promise<LoadedPackage> | undefined;

/** Loads dist/ once per test file, exactly as n8n loads an installed community package. */
export function loadPackage(): Promise<LoadedPackage> {
	loaded ??= (async () => {
		const loader = new PackageDirectoryLoader(PACKAGE_DIR);
		await loader.loadAll();
		const shortName = (type: string) => type.replace(/^n8n-nodes-cekat\./, '');
		const nodeTypes: INodeTypes = {
			getByName: (type) => loader.getNode(shortName(type)).type,
			getByNameAndVersion: (type, version) =>
				NodeHelpers.getVersionedNodeType(loader.getNode(shortName(type)).type as INodeType | IVersionedNodeType, version),
			getKnownTypes: () => loader.known.nodes,
		};
		const credentialTypes: ICredentialTypes = {
			recognizes: (type) => type in loader.known.credentials,
			getByName: (type) => loader.getCredential(type).type,
			getSupportedNodes: (type) => loader.known.credentials[type]?.supportedNodes ?? [],
			getParentTypes: () => [],
		};
		return {
			loader,
			nodeTypes,
			credentialTypes,
			nodeType: nodeTypes.getByNameAndVersion(NODE_TYPE, 1),
			credentialType: credentialTypes.getByName(CREDENTIAL_TYPE),
		};
	})();
	return loaded;
}

/** n8n's CLI keeps credentials in its database; tests keep them in memory. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: ICredentialTypes,
		private readonly store: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.types.getByName(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate?.type === 'generic') {
			// Same resolution as n8n's CLI CredentialsHelper: each key/value may be an expression over $credentials.
			const resolve = (value: string) =>
				String(
					workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '') ?? '',
				);
			for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
				const target = ((requestOptions as unknown as IDataObject)[outerKey] ??= {}) as IDataObject;
				for (const [key, value] of Object.entries(entries as IDataObject)) {
					target[resolve(key)] = resolve(value as string);
				}
			}
		}
		return requestOptions;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by declarative nodes');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.store[nodeCredentials.id ?? ''] ?? this.store[type];
		if (!data) throw new Error(`No test credentials for ${type}`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types.getByName(type).properties;
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}
}

/** The Cekat credential's fields (CekatApi.credentials.ts). */
export interface CekatCredentials {
	apiKey: string;
	baseUrl: string;
	serverUrl?: string;
	crmOnServer?: boolean;
}

export interface RunOptions {
	/** Parameters of the Cekat node. */
	parameters: INodeParameters;
	/** Input items (default: one empty item). */
	items?: IDataObject[];
	credentials: CekatCredentials;
	/** Node settings as in the workflow JSON, e.g. { onError: 'continueRegularOutput' }. */
	settings?: Partial<Pick<INode, 'onError' | 'retryOnFail' | 'maxTries' | 'waitBetweenTries' | 'continueOnFail'>>;
	mode?: WorkflowExecuteMode;
	/** Credentials of other types, e.g. { cekatEventsApi: { accessToken, baseUrl } } for Event → Track. */
	credentialsByType?: Record<string, ICredentialDataDecryptedObject>;
}

export interface RunResult {
	run: IRun;
	/** Output items of the Cekat node (json only), empty when the node failed. */
	items: INodeExecutionData[];
	json: IDataObject[];
	/** The error the node failed with, if it did. */
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
}

/** The instance URLs n8n's additional data must hold (valid URLs, or every run fails with Invalid URL). */
export const URLS = {
	restApiUrl: 'http://localhost:5678/rest',
	instanceBaseUrl: 'http://localhost:5678',
	formBaseUrl: 'http://localhost:5678/form',
	formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
	formTestBaseUrl: 'http://localhost:5678/form-test',
	webhookBaseUrl: 'http://localhost:5678/webhook',
	webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
	webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
	mcpBaseUrl: 'http://localhost:5678/mcp',
	mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
};

function makeAdditionalData(
	credentialTypes: ICredentialTypes,
	credentials: CekatCredentials,
	hooks?: ExecutionLifecycleHooks,
	currentNodeParameters?: INodeParameters,
	/** More credentials, by credential id or type (e.g. { cekatEventsApi: {...} }). */
	moreCredentials: Record<string, ICredentialDataDecryptedObject> = {},
): IWorkflowExecuteAdditionalData {
	return {
		...URLS,
		credentialsHelper: new TestCredentialsHelper(credentialTypes, { 'cred-1': { ...credentials }, ...moreCredentials }),
		hooks,
		currentNodeParameters,
		currentNodeExecutionIndex: 0,
		variables: {},
		executionId: 'test-execution',
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used in these tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('task runners are not used in these tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export function cekatNode(parameters: INodeParameters, settings: RunOptions['settings'] = {}): INode {
	return {
		id: 'cekat-node',
		name: 'Cekat',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		// Both credentials, as the editor keeps them; Event → Track uses the second (RunOptions.credentialsByType).
		credentials: { [CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Cekat sandbox' }, cekatEventsApi: { id: 'cred-events', name: 'Cekat Events' } },
		...settings,
	};
}

/**
 * Calls one of the node's editor methods (a picker's listSearch, loadOptions, the column mapper)
 * the way the n8n server does: n8n-core's LoadOptionsContext with the node's current parameters.
 */
export async function callNodeMethod<T = unknown>(
	kind: 'listSearch' | 'loadOptions' | 'resourceMapping',
	method: string,
	parameters: INodeParameters,
	credentials: CekatCredentials,
	args: unknown[] = [],
	/** The parameter's path as the editor sends it (`parameters.rules.rule[0].labels`): `&sibling` reads resolve against it. */
	path = 'parameters',
): Promise<T> {
	const pkg = await loadPackage();
	const node = cekatNode(parameters);
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: pkg.nodeTypes });
	// The editor sends the node's parameters with their defaults (the hidden `authentication` that picks the credential included).
	const current = NodeHelpers.getNodeParameters(pkg.nodeType.description.properties, parameters, true, false, node, pkg.nodeType.description) ?? parameters;
	const context = new LoadOptionsContext(workflow, node, makeAdditionalData(pkg.credentialTypes, credentials, undefined, current), path);
	const fn = (pkg.nodeType.methods?.[kind] as Record<string, (...a: unknown[]) => Promise<T>> | undefined)?.[method];
	if (!fn) throw new Error(`no ${kind} method ${method}`);
	return await fn.call(context, ...args);
}

/**
 * Runs a one-node workflow through WorkflowExecute: `node` fed with `items`. Any node type works
 * (the benchmark runs n8n's own HTTP Request node the same way).
 */
export async function runNode(options: {
	nodeTypes: INodeTypes;
	credentialTypes: ICredentialTypes;
	node: INode;
	items: IDataObject[];
	credentials?: CekatCredentials;
	/** Credentials of other types, by credential id or type: `{ cekatEventsApi: { accessToken, baseUrl } }`. */
	credentialsByType?: Record<string, ICredentialDataDecryptedObject>;
	mode?: WorkflowExecuteMode;
	/**
	 * Called as the engine starts, with the running execution (its `cancel()` is how n8n stops an execution:
	 * the node's getExecutionCancelSignal() aborts) and the execution's lifecycle hooks (handlers added here
	 * run: the engine awaits before its first hook).
	 */
	onStart?: (execution: ReturnType<WorkflowExecute['processRunExecutionData']>, hooks: ExecutionLifecycleHooks) => void;
}): Promise<IRun> {
	const { node } = options;
	const mode = options.mode ?? 'manual';
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: options.nodeTypes,
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks(mode, 'test-execution', {
		id: 'test-workflow',
		name: 'test',
		active: false,
		isArchived: false,
		nodes: [node],
		connections: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as never);
	const additionalData = makeAdditionalData(
		options.credentialTypes,
		options.credentials ?? { apiKey: '', baseUrl: '' },
		hooks,
		undefined,
		options.credentialsByType,
	);
	const input: INodeExecutionData[] = options.items.map((json) => ({ json }));
	const executeData: IExecuteData = { node, data: { main: [input] }, source: null };
	const runExecutionData: IRunExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [executeData] },
	});
	const execution = new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	options.onStart?.(execution, hooks);
	return await execution;
}

/** Runs a one-node workflow (the Cekat node, fed with `items`) and returns what it output. */
export async function runCekat(options: RunOptions): Promise<RunResult> {
	const pkg = await loadPackage();
	const node = cekatNode(options.parameters, options.settings);
	const run = await runNode({
		nodeTypes: pkg.nodeTypes,
		credentialTypes: pkg.credentialTypes,
		node,
		items: options.items ?? [{}],
		credentials: options.credentials,
		credentialsByType: options.credentialsByType,
		mode: options.mode,
	});

	// Every run of every suite is a leak check: the key must not be reachable from the execution data,
	// its output items or its errors (non-enumerable properties included).
	const leak = findSecret(run, options.credentials.apiKey);
	if (leak) throw new Error(`The API key leaked into the execution data at ${leak}`);

	const taskData = run.data.resultData.runData[node.name]?.[0];
	const items = (taskData?.data?.main?.[0] ?? []) as INodeExecutionData[];
	const error = (taskData?.error ?? run.data.resultData.error) as RunResult['error'];
	return { run, items, json: items.map((item) => item.json), error };
}
