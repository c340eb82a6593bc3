/**
 * Drives a real n8n (the pinned runtime from ./runtime) for `npm run dev` and the end-to-end tests:
 * installs the built package as a community package, imports credentials and workflows with n8n's CLI,
 * runs `n8n execute`, starts `n8n start` and talks to its REST API (owner setup, login, credential test).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Runtime } from './runtime';

export const REPO_DIR = path.resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-cekat';
export const NODE_TYPE = `${PACKAGE_NAME}.cekat`;
export const TOOL_NODE_TYPE = `${PACKAGE_NAME}.cekatTool`;
export const CREDENTIAL_TYPE = 'cekatApi';

/** Local-only login of the `npm run dev` n8n (printed at start; that n8n listens on 127.0.0.1). */
export const DEV_OWNER = { email: 'dev@cekat.local', password: 'CekatDev2026', firstName: 'Cekat', lastName: 'Developer' };

/**
 * Examples that `npm run dev` publishes (webhook / form triggers), so their URLs answer at once. The two Cekat
 * Trigger (v2) examples register their URL in the dev sandbox when published, so its events reach them.
 */
export const DEV_PUBLISHED_EXAMPLES = [
	{ id: 'CekatExample0001', url: '/webhook/cekat-order-confirmation' },
	{ id: 'CekatExample0003', url: '/form/cekat-new-lead' },
	{ id: 'CekatExample0005', url: '/webhook/7d4c9a1e-2b3f-4c5d-8e6f-9a0b1c2d3e4f/cekat', registers: true },
	{ id: 'CekatExample0006', url: '/webhook/8c1f5e2a-3d4b-4c6e-9a7f-0b1c2d3e4f5a/cekat', registers: true },
	{ id: 'CekatExample0007', url: '/webhook/shop-order-paid' },
];

/** The credential the examples point at (id and name). */
export const SANDBOX_CREDENTIAL = { id: 'CekatSandbox0001', name: 'Cekat sandbox' } as const;

/**
 * The OpenAI credential (type openAiApi) of the AI-agent example's chat model. `npm run dev` creates it: with
 * OPENAI_API_KEY, for OpenAI; without, for the scripted stand-in model (test/e2e/scripted-model.ts).
 */
export const OPENAI_CREDENTIAL = { id: 'CekatOpenAi00001', name: 'OpenAI' } as const;
export const OPENAI_CREDENTIAL_TYPE = 'openAiApi';

/** The Cekat Events credential (type cekatEventsApi) of the order-paid event example: the sandbox's events token and URL. */
export const EVENTS_CREDENTIAL = { id: 'CekatEvents00001', name: 'Cekat Events' } as const;
export const EVENTS_CREDENTIAL_TYPE = 'cekatEventsApi';

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** What `n8n execute --rawOutput` prints: the run (IRun) as JSON. */
export interface ExecutionRun {
	status?: string;
	finished?: boolean;
	data: {
		resultData: {
			runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: { message?: string; description?: string } }>>;
			lastNodeExecuted?: string;
			error?: { message?: string; description?: string; node?: { name?: string } };
		};
	};
}

export interface ExecuteResult extends CliResult {
	run: ExecutionRun | undefined;
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as { port: number };
			srv.close(() => resolve(port));
		});
	});
}

export async function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
	return await new Promise((resolve) => {
		const srv = createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, host, () => srv.close(() => resolve(true)));
	});
}

export interface N8nOptions {
	runtime: Runtime;
	/** N8N_USER_FOLDER: n8n keeps its database, config and community packages in <userFolder>/.n8n */
	userFolder: string;
	port: number;
	/** the task runner broker's port (n8n's default 5679 would clash between instances) */
	brokerPort: number;
	listenAddress?: string;
	logLevel?: 'error' | 'warn' | 'info' | 'debug';
	/** extra environment for every n8n process */
	env?: NodeJS.ProcessEnv;
}

/** One n8n instance: a user folder plus the CLI and server that use it. */
export class N8n {
	readonly url: string;

	constructor(readonly opts: N8nOptions) {
		this.url = `http://127.0.0.1:${opts.port}`;
	}

	static async create(opts: Omit<N8nOptions, 'port' | 'brokerPort'> & { port?: number; brokerPort?: number }): Promise<N8n> {
		return new N8n({ ...opts, port: opts.port ?? (await freePort()), brokerPort: opts.brokerPort ?? (await freePort()) });
	}

	get nodesDir(): string {
		return path.join(this.opts.userFolder, '.n8n', 'nodes');
	}

	env(): NodeJS.ProcessEnv {
		const env: NodeJS.ProcessEnv = { ...process.env };
		// Settings of the calling process (tsx, jest) must not leak into n8n: under NODE_ENV=test (set by jest)
		// n8n's CLI refuses to load nodes and exits silently.
		delete env.NODE_OPTIONS;
		delete env.NODE_ENV;
		for (const key of Object.keys(env)) if (key.startsWith('npm_') || key.startsWith('JEST_')) delete env[key];
		return {
			...env,
			PATH: this.opts.runtime.path,
			N8N_USER_FOLDER: this.opts.userFolder,
			N8N_PORT: String(this.opts.port),
			N8N_LISTEN_ADDRESS: this.opts.listenAddress ?? '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(this.opts.brokerPort),
			N8N_LOG_LEVEL: this.opts.logLevel ?? 'info',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			// the MCP server registry (n8n 2.x) only fetches api.n8n.io (unreachable offline, noisy in the log);
			// n8n 1.x has no such module and refuses to start on an unknown name
			...(this.opts.runtime.line.id === '2' ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			...this.opts.env,
		};
	}

	/** Runs an n8n CLI command to completion. */
	cli(args: string[], options: { timeoutMs?: number } = {}): Promise<CliResult> {
		return new Promise((resolve, reject) => {
			const child = spawn(this.opts.runtime.nodeBin, [this.opts.runtime.n8nBin, ...args], {
				cwd: this.opts.userFolder,
				env: this.env(),
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
			child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
			const timer = setTimeout(() => {
				child.kill('SIGKILL');
				reject(new Error(`n8n ${args.join(' ')} timed out after ${options.timeoutMs} ms\n${stdout}\n${stderr}`));
			}, options.timeoutMs ?? 120_000);
			child.on('error', reject);
			child.on('close', (code) => {
				clearTimeout(timer);
				resolve({ code, stdout, stderr });
			});
		});
	}

	/** Like cli(), but fails on a non-zero exit. */
	async cliOk(args: string[]): Promise<CliResult> {
		const result = await this.cli(args);
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} exited with ${result.code}\n${result.stdout}\n${result.stderr}`);
		return result;
	}

	/**
	 * Installs the package the way n8n's own installer does (Settings → Community Nodes; n8n 2.41
	 * CommunityPackagesService.downloadPackage): `npm pack` → unpack into <user folder>/.n8n/nodes/node_modules/<name>
	 * → drop dev/peer/optional dependencies → `npm install` there with n8n's flags → list it in nodes/package.json.
	 * The tarball comes from `npm pack` of the repository (what `npm publish` would upload).
	 */
	async installPackage(packageDir = REPO_DIR): Promise<{ version: string; files: string[] }> {
		const work = mkdtempSync(path.join(tmpdir(), 'cekat-pack-'));
		try {
			const packed = await runCommand('npm', ['pack', '--json', '--pack-destination', work, '--loglevel=error'], { cwd: packageDir });
			const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; version: string; files: Array<{ path: string }> }>;
			const tarball = path.join(work, path.basename(info.filename));
			const target = path.join(this.nodesDir, 'node_modules', PACKAGE_NAME);
			rmSync(target, { recursive: true, force: true });
			mkdirSync(target, { recursive: true });
			await runCommand('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { cwd: work });
			const pkgFile = path.join(target, 'package.json');
			const { devDependencies: _d, peerDependencies: _p, optionalDependencies: _o, ...pkg } = JSON.parse(readFileSync(pkgFile, 'utf8'));
			writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
			await runCommand(
				'npm',
				['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', '--loglevel=error'],
				{ cwd: target, env: { ...this.env(), npm_config_nodedir: this.opts.runtime.nodeDir ?? '' } },
			);
			const nodesPkgFile = path.join(this.nodesDir, 'package.json');
			let nodesPkg: { name?: string; private?: boolean; dependencies: Record<string, string> } = { name: 'installed-nodes', private: true, dependencies: {} };
			try {
				nodesPkg = JSON.parse(readFileSync(nodesPkgFile, 'utf8'));
				nodesPkg.dependencies ??= {};
			} catch {
				// first install
			}
			nodesPkg.dependencies[PACKAGE_NAME] = info.version;
			writeFileSync(nodesPkgFile, JSON.stringify(nodesPkg, null, 2));
			return { version: info.version, files: info.files.map((f) => f.path) };
		} finally {
			rmSync(work, { recursive: true, force: true });
		}
	}

	/** `n8n import:credentials` (n8n encrypts the data with the instance's key). */
	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		const dir = mkdtempSync(path.join(tmpdir(), 'cekat-creds-'));
		try {
			const file = path.join(dir, 'credentials.json');
			writeFileSync(file, JSON.stringify(credentials));
			await this.cliOk(['import:credentials', `--input=${file}`]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}

	/** `n8n import:workflow --separate` with the given workflow files (one CLI start for all). */
	async importWorkflows(files: string[]): Promise<void> {
		const dir = mkdtempSync(path.join(tmpdir(), 'cekat-workflows-'));
		const caps = this.opts.runtime.line.nodeVersionCaps ?? {};
		try {
			for (const file of files) {
				const target = path.join(dir, path.basename(file));
				if (!Object.keys(caps).length) {
					copyFileSync(file, target);
					continue;
				}
				// an n8n line without a node version the workflow names gets the newest it has (see N8N_LINES)
				const wf = JSON.parse(readFileSync(file, 'utf8')) as { nodes?: Array<{ type: string; typeVersion?: number }> };
				for (const node of wf.nodes ?? []) {
					const cap = caps[node.type];
					if (cap !== undefined && (node.typeVersion ?? 1) > cap) node.typeVersion = cap;
				}
				writeFileSync(target, JSON.stringify(wf, null, 2));
			}
			await this.cliOk(['import:workflow', '--separate', `--input=${dir}`]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}

	/** `n8n publish:workflow --id` (takes effect at the next start). */
	async publishWorkflow(id: string): Promise<void> {
		await this.cliOk(['publish:workflow', `--id=${id}`]);
	}

	/** `n8n execute --id=<id> --rawOutput`; the run is parsed from the output (undefined if none). */
	async execute(id: string): Promise<ExecuteResult> {
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput']);
		return { ...result, run: parseRun(result.stdout) };
	}

	/** `n8n start`; resolves once the editor is served and active workflows are registered. */
	async start(options: { logFile?: string; timeoutMs?: number; onLine?: (line: string) => void } = {}): Promise<N8nServer> {
		const child = spawn(this.opts.runtime.nodeBin, [this.opts.runtime.n8nBin, 'start'], {
			cwd: this.opts.userFolder,
			env: this.env(),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const server = new N8nServer(this.url, child, options.logFile, options.onLine);
		try {
			await server.waitReady(options.timeoutMs ?? 90_000);
		} catch (e) {
			await server.stop();
			throw e;
		}
		return server;
	}
}

/** A client of a running n8n's HTTP and REST API that keeps the login cookie. */
export class N8nClient {
	private cookie = '';

	constructor(readonly url: string) {}
	/** A plain HTTP request to n8n (webhooks, forms, /types, icons), with the login cookie if there is one. */
	async http(route: string, init: RequestInit = {}): Promise<Response> {
		const headers = new Headers(init.headers);
		if (this.cookie) headers.set('cookie', this.cookie);
		return await fetch(`${this.url}${route}`, { ...init, headers });
	}

	/** A REST call to /rest/...; returns status and parsed JSON (n8n wraps answers in { data }). */
	async rest<T = unknown>(method: string, route: string, body?: unknown): Promise<{ status: number; body: { data?: T; message?: string; code?: number } & Record<string, unknown> }> {
		const res = await fetch(`${this.url}/rest${route}`, {
			method,
			headers: {
				...(body !== undefined ? { 'content-type': 'application/json' } : {}),
				...(this.cookie ? { cookie: this.cookie } : {}),
				// n8n's browser-id check ties the auth cookie to this header
				'browser-id': 'cekat-e2e',
			},
			body: body !== undefined ? JSON.stringify(body) : undefined,
		});
		const setCookie = res.headers.getSetCookie?.() ?? [];
		const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth;
		const text = await res.text();
		let parsed: Record<string, unknown> = {};
		try {
			parsed = text ? JSON.parse(text) : {};
		} catch {
			parsed = { message: text };
		}
		return { status: res.status, body: parsed };
	}

	/** Sets up the instance owner if none exists yet (first start), then logs in. */
	async setupOwnerAndLogin(owner: { email: string; password: string; firstName: string; lastName: string }): Promise<'created' | 'existing'> {
		const settings = await this.rest<{ userManagement?: { showSetupOnFirstLoad?: boolean } }>('GET', '/settings');
		let outcome: 'created' | 'existing' = 'existing';
		if (settings.body.data?.userManagement?.showSetupOnFirstLoad) {
			const setup = await this.rest('POST', '/owner/setup', owner);
			if (setup.status !== 200) throw new Error(`owner setup failed: ${setup.status} ${JSON.stringify(setup.body)}`);
			outcome = 'created';
		}
		const login = await this.rest('POST', '/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		if (login.status !== 200) throw new Error(`login as ${owner.email} failed: ${login.status} ${JSON.stringify(login.body)}`);
		return outcome;
	}

	/**
	 * The credential dialog's Test button: read the stored credential (secrets come back redacted), post it to
	 * /rest/credentials/test; n8n puts the stored secret back and runs the credential type's test request.
	 */
	async testCredential(id: string): Promise<{ status: string; message?: string }> {
		const stored = await this.rest<{ id: string; name: string; type: string; data: Record<string, unknown> }>('GET', `/credentials/${id}?includeData=true`);
		if (stored.status !== 200 || !stored.body.data) throw new Error(`GET credential ${id}: ${stored.status} ${JSON.stringify(stored.body)}`);
		const { name, type, data } = stored.body.data;
		const res = await this.rest<{ status: string; message?: string }>('POST', '/credentials/test', { credentials: { id, name, type, data } });
		if (res.status !== 200 || !res.body.data) throw new Error(`credential test ${id}: ${res.status} ${JSON.stringify(res.body)}`);
		return res.body.data;
	}

	/**
	 * Waits until a production webhook or form URL is registered. n8n 2.41 answers the publish request before the
	 * webhook is live (it answers 404 "not registered" for up to about a second). A CORS preflight (OPTIONS)
	 * tells without running the workflow: 204 once registered.
	 */
	async waitForWebhook(route: string, timeoutMs = 20_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let status = 0;
		while (Date.now() < deadline) {
			const res = await this.http(route, { method: 'OPTIONS', headers: { origin: this.url, 'access-control-request-method': 'POST' } }).catch(() => undefined);
			status = res?.status ?? 0;
			if (status >= 200 && status < 300) return;
			await sleep(100);
		}
		throw new Error(`${route} was not registered after ${timeoutMs} ms (last OPTIONS answer: ${status})`);
	}

	/** Publishes (activates) a workflow's current version through the REST API, as the editor's Publish button. */
	async publishWorkflow(id: string): Promise<void> {
		const wf = await this.rest<{ versionId: string }>('GET', `/workflows/${id}`);
		if (wf.status !== 200 || !wf.body.data) throw new Error(`GET workflow ${id}: ${wf.status} ${JSON.stringify(wf.body)}`);
		const res = await this.rest('POST', `/workflows/${id}/activate`, { versionId: wf.body.data.versionId });
		if (res.status !== 200) throw new Error(`publish workflow ${id}: ${res.status} ${JSON.stringify(res.body)}`);
	}
}

/** A running `n8n start`, with its log; also a client of its API. */
export class N8nServer extends N8nClient {
	log = '';
	private exited: Promise<number | null>;
	private exitCode: number | null | undefined;
	private lineBuffer = '';

	constructor(
		url: string,
		readonly child: ChildProcess,
		logFile?: string,
		private readonly onLine?: (line: string) => void,
	) {
		super(url);
		const file = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
		const onData = (d: Buffer) => {
			const text = d.toString();
			this.log += text;
			file?.write(text);
			if (this.onLine) {
				this.lineBuffer += text;
				const lines = this.lineBuffer.split('\n');
				this.lineBuffer = lines.pop() ?? '';
				for (const line of lines) this.onLine(line);
			}
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		this.exited = new Promise((resolve) =>
			child.on('exit', (code) => {
				this.exitCode = code;
				file?.end();
				resolve(code);
			}),
		);
	}

	get running(): boolean {
		return this.exitCode === undefined;
	}

	async waitReady(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (!this.running) throw new Error(`n8n exited (code ${this.exitCode}) before it was ready:\n${this.log.slice(-4000)}`);
			// "Editor is now accessible" is logged after the HTTP server and the active workflows are up.
			if (this.log.includes('Editor is now accessible via')) {
				const res = await fetch(`${this.url}/healthz/readiness`).catch(() => undefined);
				if (res?.ok) return;
			}
			await sleep(200);
		}
		throw new Error(`n8n was not ready after ${timeoutMs} ms:\n${this.log.slice(-4000)}`);
	}

	/** SIGTERM, then SIGKILL after the grace period; resolves with the exit code. */
	async stop(graceMs = 20_000): Promise<number | null> {
		if (this.running) {
			this.child.kill('SIGTERM');
			const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
			await this.exited;
			clearTimeout(timer);
		}
		return this.exitCode ?? null;
	}

	async waitExit(): Promise<number | null> {
		return await this.exited;
	}

}

/** Extracts the run JSON that `n8n execute` prints (pretty-printed: from a line "{" to the next line "}"). */
export function parseRun(stdout: string): ExecutionRun | undefined {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l === '{');
	if (start < 0) return undefined;
	const end = lines.findIndex((l, i) => i > start && l === '}');
	if (end < 0) return undefined;
	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n')) as ExecutionRun;
	} catch {
		return undefined;
	}
}

/** The JSON of the items a node output (first run, given output), or [] if it output nothing there. */
export function nodeOutput(run: ExecutionRun, nodeName: string, output = 0): Array<Record<string, unknown>> {
	const task = run.data.resultData.runData[nodeName]?.[0];
	return (task?.data?.main?.[output] ?? []).map((item) => item.json);
}

export function runCommand(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolve({ code, stdout, stderr });
			else reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}) in ${opts.cwd}\n${stdout}\n${stderr}`));
		});
	});
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The example workflows shipped in examples/. */
export function exampleFiles(): string[] {
	const dir = path.join(REPO_DIR, 'examples');
	return readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => path.join(dir, f));
}
