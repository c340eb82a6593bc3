/**
 * End-to-end helpers: a real n8n (from the runtime cache, see scripts/lib/runtime.ts: 2.41.1 by default, 1.123.81
 * with CEKAT_N8N_LINE=1) with this package installed as a community package, the Cekat sandbox in this process (its journal shows what n8n sent),
 * credentials and workflows imported with n8n's CLI.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startSandbox, type JournalEntry, type Sandbox } from '../../sandbox';
import { exampleFiles, N8n, SANDBOX_CREDENTIAL, sleep, type CredentialImport, type N8nClient, type N8nServer } from '../../scripts/lib/n8n';
import { findRuntime, selectedLine, type Runtime } from '../../scripts/lib/runtime';

/** Distinctive, so a leak into n8n's output is easy to find. */
export const API_KEY = 'ck_e2e_5Hq2Wm8Tz4Rb7Nc1';
export const WRONG_KEY = 'ck_wrong_Jd83Kq01Zx';
export const WRONG_KEY_CREDENTIAL = { id: 'CekatWrongKey001', name: 'Cekat wrong key' } as const;
/** Same sandbox, but addressed as http://localhost:<port>/ (a trailing slash, as users paste it). */
export const LOCALHOST_CREDENTIAL = { id: 'CekatLocalhost01', name: 'Cekat sandbox via localhost' } as const;

export const SALES_BOARD_ID = '659734a9-dfad-4ec5-b138-96cfc05e3a08';

export function requireRuntime(): Runtime {
	const runtime = findRuntime();
	if (!runtime) {
		const { id, n8n } = selectedLine();
		throw new Error(`The n8n ${n8n} runtime is not installed. Run \`CEKAT_N8N_LINE=${id} npm run test:e2e\` (it installs it first) or \`npx tsx scripts/n8n-runtime.ts --n8n=${id}\`.`);
	}
	return runtime;
}

export interface E2eInstance {
	sandbox: Sandbox;
	n8n: N8n;
	/** temp folder for workflow files written by the test */
	workDir: string;
	cleanup(): Promise<void>;
}

export interface Workflow {
	id: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

/**
 * A sandbox, an n8n user folder with the package installed like a user installs it, the three test credentials
 * (plus options.credentials, in the same import), the examples and the given test workflows imported. Nothing is started.
 */
export async function prepareInstance(workflows: Workflow[] | ((sandbox: Sandbox) => Workflow[]) = [], options: { credentials?: CredentialImport[] } = {}): Promise<E2eInstance> {
	const runtime = requireRuntime();
	const sandbox = await startSandbox({ port: 0, apiKey: API_KEY });
	const root = mkdtempSync(path.join(tmpdir(), 'cekat-e2e-'));
	try {
		return await prepare(runtime, sandbox, root, workflows, options);
	} catch (e) {
		// a failed setup must not leave the sandbox listening: jest would never exit
		await sandbox.close().catch(() => undefined);
		if (!process.env.CEKAT_E2E_KEEP) rmSync(root, { recursive: true, force: true });
		throw e;
	}
}

async function prepare(
	runtime: Runtime,
	sandbox: Sandbox,
	root: string,
	workflows: Workflow[] | ((sandbox: Sandbox) => Workflow[]),
	options: { credentials?: CredentialImport[] },
): Promise<E2eInstance> {
	const userFolder = path.join(root, 'n8n');
	const workDir = path.join(root, 'work');
	mkdirSync(userFolder);
	mkdirSync(workDir);
	const n8n = await N8n.create({ runtime, userFolder, logLevel: 'info' });
	await n8n.installPackage();
	const credentials: CredentialImport[] = [
		{ ...SANDBOX_CREDENTIAL, type: 'cekatApi', data: { apiKey: API_KEY, baseUrl: sandbox.url, serverUrl: sandbox.serverUrl } },
		{ ...WRONG_KEY_CREDENTIAL, type: 'cekatApi', data: { apiKey: WRONG_KEY, baseUrl: sandbox.url, serverUrl: sandbox.serverUrl } },
		{ ...LOCALHOST_CREDENTIAL, type: 'cekatApi', data: { apiKey: API_KEY, baseUrl: `http://localhost:${sandbox.port}/`, serverUrl: `http://localhost:${sandbox.port}/` } },
		...(options.credentials ?? []),
	];
	await n8n.importCredentials(credentials);
	const files = (typeof workflows === 'function' ? workflows(sandbox) : workflows).map((wf) => {
		const file = path.join(workDir, `${wf.id}.json`);
		writeFileSync(file, JSON.stringify({ settings: { executionOrder: 'v1' }, active: false, ...wf }, null, 2));
		return file;
	});
	await n8n.importWorkflows([...exampleFiles(), ...files]);
	sandbox.clearJournal();
	return {
		sandbox,
		n8n,
		workDir,
		cleanup: async () => {
			await sandbox.close();
			if (!process.env.CEKAT_E2E_KEEP) rmSync(root, { recursive: true, force: true });
		},
	};
}

/** Journal entries as "METHOD /path", for readable assertions. */
export const calls = (entries: JournalEntry[]) => entries.map((e) => `${e.method} ${e.path}`);

/** Every request carried the right key in the api_key header. */
export function expectAuthenticated(entries: JournalEntry[]): void {
	for (const entry of entries) {
		expect({ call: `${entry.method} ${entry.path}`, auth: entry.auth, keyMatched: entry.keyMatched }).toEqual({
			call: `${entry.method} ${entry.path}`,
			auth: 'api_key',
			keyMatched: true,
		});
	}
}

/** Direct calls to the sandbox API for test fixtures (never used to check what n8n sent). */
export async function sandboxApi<T = unknown>(sandbox: Sandbox, method: string, route: string, body?: unknown): Promise<T> {
	const res = await fetch(`${sandbox.url}${route}`, {
		method,
		headers: { api_key: sandbox.apiKey, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
		body: body !== undefined ? JSON.stringify(body) : undefined,
	});
	const json = (await res.json()) as { data?: unknown };
	if (!res.ok) throw new Error(`fixture ${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
	return json.data as T;
}

/** Contacts whose newest WhatsApp conversation is open (customer wrote < 20 h ago) or closed (> 30 h ago). */
export function contactsByWindow(sandbox: Sandbox): { open: WindowContact[]; closed: WindowContact[] } {
	const now = Date.now();
	const open: WindowContact[] = [];
	const closed: WindowContact[] = [];
	for (const contact of sandbox.store.contacts.all()) {
		const conversation = sandbox.store.latestWhatsappConversation(contact.id);
		if (!conversation) continue;
		const last = sandbox.store.lastContactMessageAt(conversation.id);
		const age = last ? now - Date.parse(last) : Infinity;
		const entry = { name: contact.contact_name, phone: contact.phone_number, conversationId: conversation.id };
		if (age < 20 * 3_600_000) open.push(entry);
		else if (age > 30 * 3_600_000) closed.push(entry);
	}
	return { open, closed };
}

export interface WindowContact {
	name: string;
	phone: string;
	conversationId: string;
}

/** A node of a test workflow using the given credential. */
export function cekatNode(name: string, position: [number, number], parameters: Record<string, unknown>, extra: Record<string, unknown> = {}, credential: { id: string; name: string } = SANDBOX_CREDENTIAL) {
	return {
		id: `e2e-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
		name,
		type: 'n8n-nodes-cekat.cekat',
		typeVersion: 1,
		position,
		parameters,
		credentials: { cekatApi: { ...credential } },
		...extra,
	};
}

export const manualTrigger = { id: 'e2e-start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

/** connections: { from: [to, …] } on main output 0 (or { from: [[…], […]] } per output). */
export function connect(map: Record<string, string[] | string[][]>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(map).map(([from, targets]) => {
			const outputs = (Array.isArray(targets[0]) ? targets : [targets]) as string[][];
			return [from, { main: outputs.map((out) => out.map((node) => ({ node, type: 'main', index: 0 }))) }];
		}),
	);
}

export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** Polls `check` every 250 ms until it gives a value; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(250);
	}
}

/** The executions n8n lists for a workflow (its REST API, as the editor's Executions tab reads them). */
export async function executionsOf(server: N8nServer, workflowId: string): Promise<Array<{ id: string; status: string; mode: string }>> {
	const res = await server.rest<{ results: Array<{ id: string; status: string; mode: string }> }>('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
	expect(res.status).toBe(200);
	return res.body.data!.results;
}

/**
 * The editor's manual run ("Execute workflow", "Listen for test event", "Fetch test event"):
 * POST /rest/workflows/<id>/run. n8n 2.x runs the workflow as stored; n8n 1.x's editor sends the workflow along
 * (`workflowData`) and its server requires it ("You cannot execute a workflow without an ID" otherwise).
 */
export async function runManually<T = unknown>(server: N8nClient, workflowId: string, body: Record<string, unknown>) {
	if (selectedLine().id !== '1') return await server.rest<T>('POST', `/workflows/${workflowId}/run`, body);
	const stored = await server.rest('GET', `/workflows/${workflowId}`);
	if (stored.status !== 200 || !stored.body.data) throw new Error(`GET workflow ${workflowId}: ${stored.status} ${JSON.stringify(stored.body)}`);
	return await server.rest<T>('POST', `/workflows/${workflowId}/run`, { workflowData: stored.body.data, ...body });
}

/**
 * The editor's "Open chat" message, and the answer the chat shows (the last node's first item).
 * n8n 2.x: a manual run from the chat trigger registers a test webhook, /webhook-test/<workflow id>/<session id>,
 * and the chat panel posts the message there; the webhook answers with the last node's output.
 * n8n 1.x: a chat trigger that is not public refuses its webhook (404): the chat panel runs the workflow with the
 * message as the chat trigger's output (triggerToStartFrom.data) and reads the answer from the execution.
 */
export async function sendEditorChat(client: N8nClient, workflowId: string, chatTrigger: string, sessionId: string, chatInput: string): Promise<{ status: number; reply: Record<string, unknown> }> {
	const message = { sessionId, action: 'sendMessage', chatInput };
	if (selectedLine().id !== '1') {
		const run = await runManually(client, workflowId, { triggerToStartFrom: { name: chatTrigger }, chatSessionId: sessionId });
		expect([run.status, run.body.data]).toEqual([200, { waitingForWebhook: true }]);
		const res = await client.http(`/webhook-test/${workflowId}/${sessionId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
		return { status: res.status, reply: (await res.json()) as Record<string, unknown> };
	}
	const triggerOutput = { startTime: Date.now(), executionTime: 0, executionStatus: 'success', source: [null], data: { main: [[{ json: message }]] } };
	const run = await runManually<{ executionId?: string }>(client, workflowId, { triggerToStartFrom: { name: chatTrigger, data: triggerOutput } });
	const executionId = run.body.data?.executionId;
	if (run.status !== 200 || !executionId) throw new Error(`chat run of ${workflowId}: ${run.status} ${JSON.stringify(run.body)}`);
	const stored = await waitFor(`execution ${executionId}`, async () => {
		const res = await client.rest<{ status: string; data: string }>('GET', `/executions/${executionId}`);
		return res.body.data && !['new', 'running'].includes(res.body.data.status) ? res.body.data : undefined;
	});
	// the answer: the first item of the main output that finished last (sub-nodes such as tools output elsewhere)
	type Task = { startTime?: number; executionTime?: number; data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } };
	const data = unflatten(stored.data) as { resultData: { runData: Record<string, Task[]> } };
	const tasks = Object.values(data.resultData.runData).flat().filter((t) => t.data?.main?.[0]?.length);
	const end = (t: Task) => (t.startTime ?? 0) + (t.executionTime ?? 0);
	const reply = tasks.sort((a, b) => end(a) - end(b)).pop()?.data?.main?.[0]?.[0]?.json;
	return { status: stored.status === 'success' && reply ? 200 : 500, reply: reply ?? {} };
}

/** n8n's stored execution data (flatted: a table of values, objects refer to others by their index as a string). */
export function unflatten(text: string): unknown {
	const table = JSON.parse(text) as unknown[];
	const done = new Map<number, unknown>();
	const resolve = (index: number): unknown => {
		if (done.has(index)) return done.get(index);
		const value = table[index];
		if (value === null || typeof value !== 'object') {
			done.set(index, value);
			return value;
		}
		const out: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
		done.set(index, out);
		for (const [key, v] of Object.entries(value)) (out as Record<string, unknown>)[key] = typeof v === 'string' ? resolve(Number(v)) : v;
		return out;
	};
	return resolve(0);
}
