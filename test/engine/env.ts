import axios, { type AxiosInstance } from 'axios';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startSandbox, type JournalEntry, type Sandbox, type SandboxOptions } from '../../sandbox';
import { API_KEY } from '../key';
import { callNodeMethod, runCekat, type CekatCredentials, type RunOptions, type RunResult } from './harness';

/** A well-formed Cekat id that exists nowhere. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** A resource-locator value as the editor stores it. */
export const byId = (value: unknown) => ({ __rl: true, mode: 'id', value });
export const fromList = (value: unknown) => ({ __rl: true, mode: 'list', value });

export { API_KEY } from '../key';

export interface Env {
	sandbox: Sandbox;
	/** Direct calls to the sandbox API, for fixtures (never used to check the node's own requests). */
	api: AxiosInstance;
	run(parameters: IDataObject, options?: Omit<RunOptions, 'parameters' | 'credentials'> & { apiKey?: string; credentials?: Partial<CekatCredentials> }): Promise<RunResult>;
	/** Calls an editor method of the node (picker search, column loading) through n8n-core. */
	method<T = unknown>(kind: 'listSearch' | 'loadOptions' | 'resourceMapping', name: string, parameters: IDataObject, args?: unknown[], apiKey?: string, path?: string): Promise<T>;
	/** Requests the sandbox received since the last clear, in order. */
	requests(): JournalEntry[];
}

/** One sandbox per test file, a clean journal per test; `sandboxOptions` picks e.g. an evidence variant. */
export function useEnv(sandboxOptions: Omit<SandboxOptions, 'port' | 'apiKey'> = {}): Env {
	const env = {} as Env;
	beforeAll(async () => {
		env.sandbox = await startSandbox({ ...sandboxOptions, port: 0, apiKey: API_KEY });
		env.api = axios.create({ baseURL: env.sandbox.url, headers: { api_key: API_KEY }, validateStatus: () => true });
		env.run = (parameters, options = {}) =>
			runCekat({
				// Tests write parameters as plain data, the way workflow JSON holds them.
				parameters: parameters as INodeParameters,
				...options,
				// Server URL as a saved credential has it: the sandbox's server host (the same port unless hosts are split).
				credentials: { apiKey: options.apiKey ?? API_KEY, baseUrl: env.sandbox.url, serverUrl: env.sandbox.serverUrl, ...options.credentials },
			});
		env.method = (kind, name, parameters, args = [], apiKey = API_KEY, path?: string) =>
			callNodeMethod(kind, name, parameters as INodeParameters, { apiKey, baseUrl: env.sandbox.url, serverUrl: env.sandbox.serverUrl }, args, path);
		env.requests = () => env.sandbox.journal();
	});
	beforeEach(() => env.sandbox.clearJournal());
	afterAll(async () => {
		await env.sandbox?.close();
	});
	return env;
}

/** The one request the node made, checked for method, path and the api_key header. */
export function onlyRequest(env: Env, method: string, path: string): JournalEntry {
	const entries = env.requests();
	expect(entries.map((e) => `${e.method} ${e.path}`)).toEqual([`${method} ${path}`]);
	const [entry] = entries;
	expect(entry.auth).toBe('api_key');
	expect(entry.keyMatched).toBe(true);
	return entry;
}

export function expectNoKeyLeak(value: unknown) {
	expect(JSON.stringify(value ?? null)).not.toContain(API_KEY);
}

export async function apiData<T = IDataObject>(env: Env, url: string, params?: IDataObject): Promise<T> {
	const res = await env.api.get(url, { params });
	if (res.status !== 200) throw new Error(`fixture ${url}: ${res.status} ${JSON.stringify(res.data)}`);
	return res.data.data as T;
}
