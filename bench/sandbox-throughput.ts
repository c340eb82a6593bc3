/**
 * Sandbox throughput: starts the sandbox as a child process (so the load generator does not share its event
 * loop), then runs autocannon (10 connections, pipelining 1, keep-alive) against a few GET routes.
 *
 *   npx tsx bench/sandbox-throughput.ts            # 10 s per route
 *   BENCH_DURATION=3 npx tsx bench/sandbox-throughput.ts
 *   CEKAT_SANDBOX_ORDERS=100000 npx tsx bench/sandbox-throughput.ts   # env is passed to the sandbox
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

interface Histogram {
	average: number;
	mean: number;
	p50: number;
	p90: number;
	p99: number;
	max: number;
}
interface AutocannonResult {
	requests: Histogram & { total: number };
	latency: Histogram;
	throughput: Histogram;
	errors: number;
	timeouts: number;
	non2xx: number;
	duration: number;
}
interface AutocannonOptions {
	url: string;
	connections: number;
	pipelining: number;
	duration: number;
	headers: Record<string, string>;
}
// autocannon ships no type declarations; this is the part of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: AutocannonOptions) => Promise<AutocannonResult>;

const ROOT = path.resolve(__dirname, '..');
const API_KEY = process.env.CEKAT_SANDBOX_API_KEY || 'sandbox-api-key';
const DURATION = Number(process.env.BENCH_DURATION || 10);
const CONNECTIONS = 10;
const ROUTES = ['/api/inboxes?limit=1', '/api/orders?limit=10', '/api/conversations?limit=10', '/api/crm/boards'];

function startChild(): Promise<{ child: ChildProcess; url: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'sandbox/main.ts')], {
			cwd: ROOT,
			env: { ...process.env, PORT: '0', HOST: '127.0.0.1', CEKAT_SANDBOX_API_KEY: API_KEY },
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		const timer = setTimeout(() => reject(new Error('sandbox did not start within 60 s')), 60_000);
		let out = '';
		const prefix = (text: string) => text.split('\n').map((l) => (l ? `  [sandbox] ${l}` : l)).join('\n');
		const onData = (chunk: string) => {
			out += chunk;
			const m = /listening on (http:\/\/\S+)/.exec(out);
			if (!m) return;
			clearTimeout(timer);
			process.stdout.write(prefix(out));
			// Later output (e.g. the stop message) is forwarded as it comes.
			child.stdout?.off('data', onData);
			child.stdout?.on('data', (c: string) => process.stdout.write(prefix(c)));
			resolve({ child, url: m[1] });
		};
		child.stdout?.setEncoding('utf8');
		child.stdout?.on('data', onData);
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`sandbox exited early with code ${code}`));
		});
	});
}

function stopChild(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (child.exitCode !== null) return resolve();
		child.removeAllListeners('exit');
		child.once('exit', () => resolve());
		child.kill('SIGTERM');
	});
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

async function main(): Promise<void> {
	const { child, url } = await startChild();
	const rows: string[][] = [];
	try {
		// Warm-up: JIT, lazily built sorted views, keep-alive sockets.
		await autocannon({ url: `${url}${ROUTES[1]}`, connections: CONNECTIONS, pipelining: 1, duration: 2, headers: { api_key: API_KEY } });
		for (const route of ROUTES) {
			const r = await autocannon({ url: `${url}${route}`, connections: CONNECTIONS, pipelining: 1, duration: DURATION, headers: { api_key: API_KEY } });
			rows.push([
				route,
				fmt(r.requests.average),
				fmt(r.requests.total),
				fmt(r.latency.average, 2),
				fmt(r.latency.p50),
				fmt(r.latency.p99),
				fmt(r.latency.max),
				fmt(r.throughput.average / 1024 / 1024, 1),
				String(r.non2xx + r.errors + r.timeouts),
			]);
			console.log(`  done ${route}`);
		}
	} finally {
		await stopChild(child);
	}
	const head = ['route', 'req/s', 'requests', 'lat avg ms', 'p50 ms', 'p99 ms', 'max ms', 'MB/s', 'non-2xx/err'];
	const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	console.log(`\nautocannon: ${CONNECTIONS} connections, pipelining 1, ${DURATION} s per route, keep-alive, loopback; node ${process.version}\n`);
	console.log(line(head));
	console.log(widths.map((w) => '-'.repeat(w)).join('  '));
	for (const r of rows) console.log(line(r));
}

main().catch((e: unknown) => {
	console.error(e);
	process.exit(1);
});
