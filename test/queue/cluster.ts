/**
 * n8n 2.41.1 in queue mode on one machine: Redis and PostgreSQL (./services), one main (`n8n start`, which
 * receives the webhooks and enqueues executions) and N workers (`n8n worker`, which run them). Each process has
 * its own user folder with this package installed the way n8n's community-package installer does, like separate
 * containers; they share the database, Redis and N8N_ENCRYPTION_KEY.
 *
 * Which worker ran an execution is read from the workers' own logs ("Worker started execution 12 (job 12)",
 * "Worker finished execution 12 (job 12)"): n8n stores no worker id with an execution.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';

import { freePort, N8n, N8nServer, sleep, type CredentialImport } from '../../scripts/lib/n8n';
import type { Runtime } from '../../scripts/lib/runtime';
import { startPostgres, startRedis, type Service } from './services';

export interface ClusterOptions {
	runtime: Runtime;
	/** temp folder for everything (user folders, logs, Redis and PostgreSQL data) */
	root: string;
	workers: number;
	/** jobs one worker runs at once (`n8n worker --concurrency`; n8n's default is 10) */
	concurrency: number;
	credentials: CredentialImport[];
	/** workflow files to import; `publish` lists the ids to publish before the main starts */
	workflowFiles: string[];
	publish: string[];
	/** production webhook paths (POST) that must answer before start() resolves */
	webhooks: string[];
	/** extra environment for every n8n process */
	env?: NodeJS.ProcessEnv;
	log?: (line: string) => void;
}

/**
 * Whether processes can get a hostname of their own (`unshare --uts`, root only). n8n names an instance
 * `<type>-<hostname>` when it believes it runs in a container (/.dockerenv, container cgroups), so two workers
 * on one such host would share the id `worker-<hostname>` (n8n's cluster check then warns "Detected multiple
 * instances sharing the same hostId"). With a hostname each, they are told apart like separate containers.
 */
let unshareWorks: boolean | undefined;
function canSetHostname(): boolean {
	if (unshareWorks === undefined) {
		unshareWorks =
			process.platform === 'linux' &&
			process.getuid?.() === 0 &&
			spawnSync('unshare', ['--uts', 'sh', '-c', 'hostname cekat-probe && hostname'], { encoding: 'utf8' }).stdout?.trim() === 'cekat-probe';
	}
	return unshareWorks;
}

/**
 * An n8n process in its own process group, so a SIGKILL can take its task runner too (as a container kill),
 * with its own hostname when possible. unshare and sh exec into node: the pid stays n8n's.
 */
function spawnN8n(n8n: N8n, args: string[], hostname: string): ChildProcess {
	const { nodeBin, n8nBin } = n8n.opts.runtime;
	const [cmd, argv] = canSetHostname()
		? ['unshare', ['--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', hostname, nodeBin, n8nBin, ...args]]
		: [nodeBin, [n8nBin, ...args]];
	return spawn(cmd, argv, {
		cwd: n8n.opts.userFolder,
		env: n8n.env(),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
}

/** Signals the whole process group of a child started with detached: true; ignores a group already gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
	}
}

export class WorkerProcess {
	log = '';
	/** execution id → time (ms) the worker logged that it started / finished / errored on it */
	readonly started = new Map<number, number>();
	readonly finished = new Map<number, number>();
	readonly errored = new Map<number, number>();
	readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
	exitInfo: { code: number | null; signal: NodeJS.Signals | null; at: number } | undefined;
	private file: WriteStream;

	constructor(
		readonly name: string,
		readonly child: ChildProcess,
		logFile: string,
	) {
		this.file = createWriteStream(logFile, { flags: 'a' });
		// one line buffer per stream: a chunk of stderr must not split a line of stdout
		const reader = () => {
			let buffer = '';
			return (d: Buffer) => {
				const text = d.toString();
				this.log += text;
				this.file.write(text);
				buffer += text;
				const lines = buffer.split('\n');
				buffer = lines.pop() ?? '';
				for (const line of lines) this.onLine(line);
			};
		};
		child.stdout?.on('data', reader());
		child.stderr?.on('data', reader());
		this.exited = new Promise((resolve) =>
			child.on('exit', (code, signal) => {
				this.exitInfo = { code, signal, at: Date.now() };
				this.file.end();
				resolve(this.exitInfo);
			}),
		);
	}

	private onLine(line: string): void {
		let m = /Worker started execution (\d+) \(job/.exec(line);
		if (m) this.started.set(Number(m[1]), Date.now());
		m = /Worker finished execution (\d+) \(job/.exec(line);
		if (m) this.finished.set(Number(m[1]), Date.now());
		// a job that throws in the worker is not "finished": "Worker errored while running execution 12 (job 12)"
		m = /Worker errored while running execution (\d+) \(job/.exec(line);
		if (m) this.errored.set(Number(m[1]), Date.now());
	}

	get running(): boolean {
		return this.exitInfo === undefined;
	}

	/** Executions this worker started and has not (yet) logged as finished. */
	inFlight(): number[] {
		return [...this.started.keys()].filter((id) => !this.finished.has(id) && !this.errored.has(id));
	}

	async waitReady(timeoutMs = 90_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (!this.running) throw new Error(`${this.name} exited (code ${this.exitInfo?.code}) before it was ready:\n${this.log.slice(-4000)}`);
			if (this.log.includes('n8n worker is now ready')) return;
			await sleep(200);
		}
		throw new Error(`${this.name} was not ready after ${timeoutMs} ms:\n${this.log.slice(-4000)}`);
	}

	/** SIGTERM to the n8n process only: n8n's graceful shutdown (it stops its task runner itself). */
	terminate(): void {
		if (this.running) this.child.kill('SIGTERM');
	}

	/** SIGKILL to the process group: n8n and its task runner die at once, as when a container is killed. */
	kill(): void {
		signalGroup(this.child, 'SIGKILL');
	}

	/** SIGTERM, then SIGKILL after graceMs. */
	async stop(graceMs = 40_000): Promise<void> {
		if (this.running) {
			this.terminate();
			const timer = setTimeout(() => this.kill(), graceMs);
			await this.exited;
			clearTimeout(timer);
		}
		signalGroup(this.child, 'SIGKILL'); // a task runner left behind
	}
}

export class QueueCluster {
	redis!: Service;
	postgres!: Awaited<ReturnType<typeof startPostgres>>;
	main!: N8nServer;
	mainN8n!: N8n;
	readonly workerN8n: N8n[] = [];
	readonly workers: WorkerProcess[] = [];
	readonly encryptionKey = randomBytes(24).toString('hex');
	private mainChild: ChildProcess | undefined;
	/** set by killAll(): no process is started afterwards */
	private aborted = false;
	private readonly log: (line: string) => void;

	constructor(readonly opts: ClusterOptions) {
		this.log = opts.log ?? (() => undefined);
		// n8n runs in process groups of its own (no Ctrl-C from the terminal): never leave it behind
		process.once('exit', this.killAll);
	}

	/** SIGKILL to every n8n process group, Redis and PostgreSQL (synchronous: also usable on 'exit'). */
	readonly killAll = (): void => {
		this.aborted = true;
		for (const w of this.workers) if (w) signalGroup(w.child, 'SIGKILL');
		if (this.mainChild) signalGroup(this.mainChild, 'SIGKILL');
		for (const service of [this.redis, this.postgres]) if (service?.child.exitCode === null) service.child.kill('SIGKILL');
	};

	/** Environment shared by the main and the workers (queue mode, Redis, PostgreSQL, one encryption key). */
	sharedEnv(): NodeJS.ProcessEnv {
		return {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.postgres.port),
			DB_POSTGRESDB_DATABASE: this.postgres.database,
			DB_POSTGRESDB_USER: this.postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			...this.opts.env,
		};
	}

	async start(): Promise<void> {
		const { root, runtime } = this.opts;
		let t0 = Date.now();
		this.redis = await startRedis(path.join(root, 'redis'));
		this.assertNotAborted();
		this.postgres = await startPostgres(path.join(root, 'postgres'));
		this.assertNotAborted();
		this.log(`Redis on 127.0.0.1:${this.redis.port}, PostgreSQL on 127.0.0.1:${this.postgres.port} (${secs(t0)})`);

		t0 = Date.now();
		const names = ['main', ...Array.from({ length: this.opts.workers }, (_, i) => `worker${i + 1}`)];
		const instances: N8n[] = [];
		for (const name of names) {
			const userFolder = path.join(root, name);
			mkdirSync(userFolder, { recursive: true });
			const n8n = await N8n.create({ runtime, userFolder, logLevel: 'info', env: this.sharedEnv() });
			if (name !== 'main') {
				// the worker's health endpoint (/healthz, /healthz/readiness) on its own port
				n8n.opts.env = { ...n8n.opts.env, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(await freePort()) };
			}
			await n8n.installPackage();
			instances.push(n8n);
		}
		this.mainN8n = instances[0];
		this.workerN8n.push(...instances.slice(1));
		this.log(`n8n-nodes-cekat installed in ${names.length} user folders (${secs(t0)})`);

		t0 = Date.now();
		// one database: the main's CLI imports for everyone (and creates the schema)
		await this.mainN8n.importCredentials(this.opts.credentials);
		await this.mainN8n.importWorkflows(this.opts.workflowFiles);
		for (const id of this.opts.publish) await this.mainN8n.publishWorkflow(id);
		this.log(`credentials and workflows imported into PostgreSQL (${secs(t0)})`);

		t0 = Date.now();
		this.assertNotAborted();
		this.mainChild = spawnN8n(this.mainN8n, ['start'], 'cekat-main');
		this.main = new N8nServer(this.mainN8n.url, this.mainChild, path.join(root, 'main.log'));
		const workersReady = Promise.all(this.workerN8n.map((_, i) => this.startWorker(i)));
		workersReady.catch(() => undefined); // handled below; the main's failure may come first
		await this.main.waitReady(120_000);
		const t1 = Date.now();
		for (const webhook of this.opts.webhooks) await waitForWebhook(this.mainN8n.url, webhook, 120_000);
		if (this.opts.webhooks.length) this.log(`webhooks registered ${secs(t1)} after the main said "Editor is now accessible"`);
		await workersReady;
		this.log(`main (${this.mainN8n.url}) and ${this.workers.length} workers (concurrency ${this.opts.concurrency}) ready (${secs(t0)})`);
	}

	/** Starts (or restarts) worker i; resolves when it takes jobs. */
	async startWorker(i: number): Promise<WorkerProcess> {
		const n8n = this.workerN8n[i];
		const name = `worker${i + 1}`;
		this.assertNotAborted();
		const child = spawnN8n(n8n, ['worker', `--concurrency=${this.opts.concurrency}`], `cekat-${name}`);
		const worker = new WorkerProcess(name, child, path.join(this.opts.root, `${name}.log`));
		this.workers[i] = worker;
		await worker.waitReady();
		return worker;
	}

	private assertNotAborted(): void {
		if (this.aborted) throw new Error('the cluster was stopped');
	}

	/** Stops everything that is still running (workers and main gracefully, then Redis and PostgreSQL). */
	async stop(): Promise<void> {
		await Promise.all(this.workers.map((w) => w?.stop().catch(() => undefined)));
		if (this.main) await this.main.stop(30_000).catch(() => undefined);
		if (this.mainChild) signalGroup(this.mainChild, 'SIGKILL');
		await this.redis?.stop().catch(() => undefined);
		await this.postgres?.stop().catch(() => undefined);
		process.removeListener('exit', this.killAll);
	}
}

/**
 * Waits until the production webhook POST /webhook/<path> is registered: a CORS preflight (OPTIONS with an
 * Origin) is answered 204 with Access-Control-Allow-Methods once it is, 404 before, and starts no execution.
 * n8n 2.41 registers the webhooks of workflows published before the start in the background, after it logged
 * "Editor is now accessible": calls in that gap get 404 "not registered".
 */
export async function waitForWebhook(baseUrl: string, webhookPath: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	while (Date.now() < deadline) {
		const res = await fetch(`${baseUrl}/webhook/${webhookPath}`, {
			method: 'OPTIONS',
			headers: { origin: baseUrl, 'access-control-request-method': 'POST' },
		}).catch((e: Error) => e);
		if (res instanceof Error) last = res.message;
		else {
			const allowed = res.headers.get('access-control-allow-methods') ?? '';
			await res.arrayBuffer().catch(() => undefined);
			if (res.status === 204 && allowed.split(/,\s*/).includes('POST')) return;
			last = `${res.status} ${allowed}`;
		}
		await sleep(250);
	}
	throw new Error(`webhook POST /webhook/${webhookPath} not registered after ${timeoutMs} ms (last answer: ${last})`);
}

export function secs(t0: number): string {
	return `${((Date.now() - t0) / 1000).toFixed(1)} s`;
}
