/**
 * Redis and PostgreSQL for the queue-mode test, from the machine's Debian packages (`redis-server`,
 * `postgresql`), each started by the test on 127.0.0.1 with a free port and a folder in the temp directory,
 * and stopped at the end. Nothing is installed or configured system-wide.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createConnection } from 'node:net';

import { freePort, sleep } from '../../scripts/lib/n8n';

export interface Service {
	name: string;
	port: number;
	child: ChildProcess;
	logFile: string;
	stop(): Promise<void>;
}

/** `redis-server` on PATH (Debian: /usr/bin/redis-server), or undefined. */
export function findRedisServer(): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/bin', '/usr/sbin'])) {
		const file = path.join(dir, 'redis-server');
		if (dir && existsSync(file)) return file;
	}
	return undefined;
}

/** The newest PostgreSQL server binaries of Debian's postgresql package (/usr/lib/postgresql/<major>/bin), or undefined. */
export function findPostgres(): { bin: string; version: string } | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root)
		.filter((v) => existsSync(path.join(root, v, 'bin', 'postgres')) && existsSync(path.join(root, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? { bin: path.join(root, versions[0], 'bin'), version: versions[0] } : undefined;
}

export const INSTALL_HINT = 'apt-get update && apt-get install -y redis-server postgresql';

/** redis-server on 127.0.0.1:<free port>, no persistence, its files in <dir>. */
export async function startRedis(dir: string): Promise<Service> {
	const bin = findRedisServer();
	if (!bin) throw new Error(`redis-server not found. Install Debian's package: ${INSTALL_HINT}`);
	mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const logFile = path.join(dir, 'redis.log');
	const child = spawn(
		bin,
		['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'yes', '--logfile', logFile],
		{ stdio: ['ignore', 'ignore', 'pipe'] },
	);
	const service = makeService('redis', port, child, logFile, 'SIGTERM');
	await waitForPort(port, child, 15_000, () => readText(logFile));
	// PING → +PONG: the server answers commands (not just accepts connections)
	await waitUntil(async () => (await redisCommand(port, 'PING')).startsWith('+PONG'), 10_000, 'redis PING');
	return service;
}

/** One inline Redis command (RESP inline protocol); resolves with the raw answer. */
export async function redisCommand(port: number, command: string): Promise<string> {
	return await new Promise((resolve, reject) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		let data = '';
		socket.setTimeout(5000, () => socket.destroy(new Error('redis command timed out')));
		socket.on('connect', () => socket.write(`${command}\r\n`));
		socket.on('data', (d) => {
			data += d.toString();
			if (data.endsWith('\r\n')) socket.end();
		});
		socket.on('end', () => resolve(data));
		socket.on('error', reject);
	});
}

/**
 * A throw-away PostgreSQL cluster in <dir>/data (initdb, trust authentication for the local user `n8n`, database
 * `n8n`), on 127.0.0.1:<free port>. As root (CI) the server runs as Debian's `postgres` user (PostgreSQL refuses
 * root). fsync and synchronous commit are off: the data lives only for the test.
 */
export async function startPostgres(dir: string): Promise<Service & { database: string; user: string; psql(sql: string): string }> {
	const found = findPostgres();
	if (!found) throw new Error(`PostgreSQL server binaries not found in /usr/lib/postgresql. Install Debian's package: ${INSTALL_HINT}`);
	mkdirSync(dir, { recursive: true });
	const ids = process.getuid?.() === 0 ? postgresUser() : undefined;
	if (ids) {
		chownSync(dir, ids.uid, ids.gid);
		// the postgres user must be able to reach its folder: a private (0700) temp parent gets o+x (no listing)
		const parent = path.dirname(dir);
		chmodSync(parent, statSync(parent).mode | 0o001);
	}
	const dataDir = path.join(dir, 'data');
	const user = 'n8n';
	const database = 'n8n';
	const initdb = spawnSync(path.join(found.bin, 'initdb'), ['-D', dataDir, '-U', user, '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C'], {
		encoding: 'utf8',
		...(ids ? { uid: ids.uid, gid: ids.gid } : {}),
		cwd: dir,
	});
	if (initdb.status !== 0) throw new Error(`initdb failed (exit ${initdb.status}):\n${initdb.stdout}\n${initdb.stderr}`);
	const port = await freePort();
	const logFile = path.join(dir, 'postgres.log');
	const child = spawn(
		path.join(found.bin, 'postgres'),
		['-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
		{ stdio: ['ignore', 'pipe', 'pipe'], cwd: dir, ...(ids ? { uid: ids.uid, gid: ids.gid } : {}) },
	);
	const log = createWriteStream(logFile);
	child.stdout?.pipe(log);
	child.stderr?.pipe(log);
	// SIGINT = PostgreSQL's "fast" shutdown (disconnects clients, no waiting for them)
	const service = makeService('postgres', port, child, logFile, 'SIGINT');
	await waitForPort(port, child, 30_000, () => readText(logFile));
	const psqlBin = path.join(found.bin, 'psql');
	const psql = (sql: string, db = database): string => {
		const res = spawnSync(psqlBin, ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', db, '-v', 'ON_ERROR_STOP=1', '-At', '-F', '\t', '-c', sql], { encoding: 'utf8' });
		if (res.status !== 0) throw new Error(`psql failed: ${sql}\n${res.stderr}`);
		return res.stdout;
	};
	await waitUntil(async () => {
		try {
			psql('select 1', 'postgres');
			return true;
		} catch {
			return false;
		}
	}, 20_000, 'postgres accepting queries');
	psql(`create database ${database}`, 'postgres');
	return { ...service, database, user, psql };
}

function postgresUser(): { uid: number; gid: number } {
	const line = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith('postgres:'));
	if (!line) throw new Error('Running as root, but there is no `postgres` user to run PostgreSQL as (Debian\'s postgresql package creates it).');
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

function makeService(name: string, port: number, child: ChildProcess, logFile: string, stopSignal: NodeJS.Signals): Service {
	let exited = child.exitCode !== null;
	const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
	return {
		name,
		port,
		child,
		logFile,
		async stop() {
			if (exited) return;
			child.kill(stopSignal);
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await exit;
			clearTimeout(timer);
		},
	};
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`process exited (code ${child.exitCode}) before listening on ${port}:\n${log().slice(-3000)}`);
		const open = await new Promise<boolean>((resolve) => {
			const s = createConnection({ host: '127.0.0.1', port });
			s.on('connect', () => (s.destroy(), resolve(true)));
			s.on('error', () => resolve(false));
		});
		if (open) return;
		await sleep(100);
	}
	throw new Error(`nothing listened on 127.0.0.1:${port} after ${timeoutMs} ms:\n${log().slice(-3000)}`);
}

export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, intervalMs = 200): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) return;
		await sleep(intervalMs);
	}
	throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function readText(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}
