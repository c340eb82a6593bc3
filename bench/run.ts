/**
 * `npm run bench`: prints the benchmark table (medians of several runs; no pass/fail on time).
 *
 *   BENCH_RUNS=5 BENCH_SEND=2000 BENCH_ORDERS=100000 npm run bench
 *   BENCH_ONLY=returnAll,package npm run bench        (some tables only: send, returnAll, package, rateLimit)
 *
 * 1. Send WhatsApp and Send Template to N items: the Cekat node (custom operations: in input order) vs n8n's
 *    own HTTP Request node (from the pinned n8n, run by the same engine; all requests at once) vs a plain
 *    HTTP client (all at once); wall and CPU time. BENCH_ONLY=send runs this section alone;
 *    BENCH_SEND_DESIGNS=cekat-routing,cekat-pool-4 adds other designs of the Cekat node.
 * 2. Return All over 100,000 orders: the Cekat node vs a plain paging loop; requests made.
 * 3. The package: packed and unpacked size, file count, module load time.
 * 4. N sends under a rate limit of L per window (bench/ratelimit.ts): time against the floor, duplicates.
 */
import { execSync } from 'node:child_process';
import path from 'node:path';

import { PAGE_SIZE } from '../nodes/Cekat/shared/constants';
import { findRuntime } from '../scripts/lib/runtime';
import { BENCH_KEY, control, measure, median, REPO, startSandboxProcess, table, type Measurement } from './lib';
import { rateLimitBenchmark } from './ratelimit';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SEND = Number(process.env.BENCH_SEND ?? 2000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function summarise(runs: Measurement[]) {
	return {
		ms: median(runs.map((r) => r.ms)),
		peakRssMb: median(runs.map((r) => r.peakRssMb)),
		rssGrowthMb: median(runs.map((r) => r.rssGrowthMb)),
		last: runs[runs.length - 1],
	};
}

/** Extra Cekat-node designs to measure beside the shipped one, e.g. BENCH_SEND_DESIGNS=cekat-routing,cekat-pool-4 (bench/workers/send.ts). */
const SEND_DESIGNS = (process.env.BENCH_SEND_DESIGNS ?? '').split(',').map((d) => d.trim()).filter(Boolean);
const SEND_ROUTES = { whatsapp: '/messages/whatsapp', template: '/templates/send' } as const;

async function sendBenchmark() {
	const sandbox = await startSandboxProcess();
	try {
		const conversations = (await control(sandbox.url, 'GET', '/__sandbox/data/conversations')) as Array<{ id: string; inbox_id: string }>;
		const inboxes = (await control(sandbox.url, 'GET', '/__sandbox/data/inboxes')) as Array<{ id: string; type: string }>;
		const messages = (await control(sandbox.url, 'GET', '/__sandbox/data/messages')) as Array<{ conversation_id: string; sent_by_type: string; created_at: string }>;
		const templates = (await control(sandbox.url, 'GET', '/__sandbox/data/templates')) as Array<{ inbox_id: string; wa_template_id: string; status: string; body: string }>;
		const lastContact = new Map<string, number>();
		for (const m of messages) if (m.sent_by_type === 'contact') lastContact.set(m.conversation_id, Math.max(lastContact.get(m.conversation_id) ?? 0, Date.parse(m.created_at)));
		const whatsapp = new Set(inboxes.filter((i) => i.type === 'whatsapp').map((i) => i.id));
		const open = conversations.find((c) => whatsapp.has(c.inbox_id) && Date.now() - (lastContact.get(c.id) ?? 0) < 20 * 3600_000)!;
		// A template with one body variable: each item sends its own phone number and variable.
		const template = templates.find((t) => t.status === 'APPROVED' && whatsapp.has(t.inbox_id) && new Set(t.body.match(/\{\{\s*\d+\s*\}\}/g) ?? []).size === 1)!;
		const targets = {
			whatsapp: { conversationId: open.id },
			template: { inboxId: template.inbox_id, templateId: template.wa_template_id },
		};

		const httpEnv = httpRequestNodeEnv();
		const variants: Array<[string, string]> = [
			['Cekat node', 'cekat'],
			...SEND_DESIGNS.map((design): [string, string] => [`Cekat node, ${design.replace(/^cekat-/, '')}`, design]),
			['HTTP Request node (n8n 2.41.1)', 'http'],
			['plain HTTP client (axios)', 'plain'],
		];
		const tables: string[] = [];
		for (const [operation, title] of [['whatsapp', 'Send WhatsApp'], ['template', 'Send Template']] as const) {
			const measured = variants.filter(([, variant]) => variant !== 'http' || httpEnv);
			if (!httpEnv) process.stderr.write('HTTP Request node skipped: no n8n in the cache (run npm run dev or npm run test:e2e once)\n');
			// Runs interleaved (each variant once per round), so that a load change on the machine hits all alike.
			const runs = new Map<string, Measurement[]>(measured.map(([label]) => [label, []]));
			for (let i = 0; i < RUNS; i++) {
				for (const [label, variant] of measured) {
					await control(sandbox.url, 'POST', '/__sandbox/reset');
					const m = measure('send', [variant, sandbox.url, BENCH_KEY, String(SEND), operation, JSON.stringify(targets[operation])], httpEnv);
					if (m.ok !== SEND) throw new Error(`${title} ${label}: ${String(m.ok)} of ${SEND} sends succeeded (${String(m.error)})`);
					const accepted = (await control(sandbox.url, 'GET', '/__sandbox/journal')).entries.filter((e: { path: string; status: number }) => e.path === SEND_ROUTES[operation] && e.status === 200).length;
					if (accepted !== SEND) throw new Error(`${title} ${label}: the sandbox received ${accepted} sends, expected ${SEND}`);
					runs.get(label)!.push(m);
				}
			}
			const results = new Map<string, ReturnType<typeof summarise> & { cpuMs: number }>();
			for (const [label, list] of runs) {
				results.set(label, { ...summarise(list), cpuMs: median(list.map((r) => Number(r.cpuMs))) });
				process.stderr.write(`  ${title} ${label}: ${list.map((r) => `${fmt(r.ms)} ms / ${fmt(Number(r.cpuMs))} ms CPU`).join(', ')}\n`);
			}
			const plain = runs.get('plain HTTP client (axios)')!;
			const httpNode = runs.get('HTTP Request node (n8n 2.41.1)');
			const rows = [...results.entries()].map(([label, r]) => [
				label,
				fmt(r.ms),
				fmt(r.cpuMs),
				fmt(SEND / (r.ms / 1000)),
				fmt(r.peakRssMb),
				httpNode ? `${fmt(paired(runs.get(label)!, httpNode, 'ms'), 2)}×` : 'n/a',
				httpNode ? `${fmt(paired(runs.get(label)!, httpNode, 'cpuMs'), 2)}×` : 'n/a',
				`${fmt(paired(runs.get(label)!, plain, 'ms'), 2)}×`,
			]);
			tables.push(table([`${title} to ${fmt(SEND)} items`, 'wall ms', 'CPU ms', 'msgs/s', 'peak RSS MB', 'wall vs HTTP Request', 'CPU vs HTTP Request', 'wall vs plain'], rows));
		}
		return tables.join('\n\n');
	} finally {
		await sandbox.stop();
	}
}

/**
 * The environment that gives a worker n8n's own HTTP Request node (bench/lib.ts httpRequestNode): the pinned n8n's
 * n8n-nodes-base, when its runtime is cached; undefined (those rows are skipped) when it is not.
 */
function httpRequestNodeEnv(): Record<string, string> | undefined {
	const runtime = findRuntime();
	return runtime && { N8N_NODES_BASE: path.join(runtime.n8nDir, 'node_modules', 'n8n-nodes-base') };
}

/**
 * A variant against a reference: the median of the per-round ratios (the runs are interleaved, so round i of
 * both met the same state of the machine). Steadier than a ratio of medians on a machine shared with others.
 */
function paired(runs: Measurement[], reference: Measurement[], key: 'ms' | 'cpuMs'): number {
	return median(runs.map((m, i) => Number(m[key]) / Number(reference[i][key])));
}

async function returnAllBenchmark() {
	const sandbox = await startSandboxProcess({ CEKAT_SANDBOX_ORDERS: String(ORDERS) });
	try {
		const httpEnv = httpRequestNodeEnv();
		const variants: Array<[string, string]> = [
			['Cekat node, Return All', 'cekat'],
			['plain paging loop (axios)', 'plain'],
			['plain loop, new connection per request', 'plain-fresh'],
			...(httpEnv ? [['HTTP Request node paging (n8n 2.41.1)', 'http'] as [string, string]] : []),
		];
		const runs = new Map<string, Measurement[]>(variants.map(([label]) => [label, []]));
		const requests = new Map<string, number>();
		// Interleaved (cekat, plain, cekat, …) so that a busy spell of the machine hits both alike.
		for (let i = 0; i < RUNS; i++) {
			for (const [label, variant] of variants) {
				await control(sandbox.url, 'DELETE', '/__sandbox/journal');
				const m = measure('return-all', [variant, sandbox.url, BENCH_KEY], httpEnv);
				if (m.records !== ORDERS) throw new Error(`${label}: ${String(m.records)} records, expected ${ORDERS} (${String(m.error)})`);
				requests.set(label, (await control(sandbox.url, 'GET', '/__sandbox/journal')).entries.filter((e: { path: string }) => e.path === '/api/orders').length);
				runs.get(label)!.push(m);
			}
		}
		const plain = runs.get('plain paging loop (axios)')!;
		const rows = variants.map(([label]) => {
			const r = summarise(runs.get(label)!);
			const cpu = median(runs.get(label)!.map((m) => Number(m.cpuMs)));
			process.stderr.write(`  return all ${label}: ${runs.get(label)!.map((x) => `${fmt(x.ms)} ms / ${fmt(Number(x.cpuMs))} ms CPU`).join(', ')}\n`);
			const ratio = (key: 'ms' | 'cpuMs') => `${fmt(paired(runs.get(label)!, plain, key), 2)}×`;
			return [label, fmt(ORDERS), requests.get(label)!, fmt(r.ms), ratio('ms'), fmt(cpu), ratio('cpuMs'), fmt(r.peakRssMb), fmt(r.rssGrowthMb)];
		});
		const minimum = Math.ceil(ORDERS / PAGE_SIZE);
		return `${table(['Return All over orders', 'records', 'requests', 'wall ms', 'vs plain', 'client CPU ms', 'CPU vs plain', 'peak RSS MB', 'RSS growth MB'], rows)}\n\nMinimum requests at ${PAGE_SIZE} per page: ceil(${fmt(ORDERS)} / ${PAGE_SIZE}) = ${fmt(minimum)}; the orders list carries no total, so a client learns that the last full page was the last one only from one more (empty) page when the count is a multiple of ${PAGE_SIZE}.`;
	} finally {
		await sandbox.stop();
	}
}

function packageBenchmark() {
	const [packed] = JSON.parse(execSync('npm pack --dry-run --json --ignore-scripts 2>/dev/null', { cwd: REPO, encoding: 'utf8' })) as Array<{ size: number; unpackedSize: number; entryCount: number }>;
	const loads = Array.from({ length: Math.max(RUNS, 7) }, () => measure('load', []).ms);
	return table(
		['Package', 'packed kB', 'unpacked kB', 'files', 'load all nodes + credentials ms'],
		[['n8n-nodes-cekat', fmt(packed.size / 1000, 1), fmt(packed.unpackedSize / 1000, 1), packed.entryCount, fmt(median(loads), 1)]],
	);
}

async function main() {
	process.stderr.write(`benchmarks: ${RUNS} runs each, medians; node ${process.version}, ${require('node:os').cpus().length} cores\n`);
	// BENCH_ONLY=send,returnAll,package,rateLimit: some tables only.
	const only = process.env.BENCH_ONLY?.split(',');
	const wanted = (name: string) => !only || only.includes(name);
	const tables: string[] = [];
	if (wanted('send')) tables.push(await sendBenchmark());
	if (wanted('returnAll')) tables.push(await returnAllBenchmark());
	if (wanted('package')) tables.push(packageBenchmark());
	if (wanted('rateLimit')) tables.push(await rateLimitBenchmark());
	process.stdout.write(`\n${tables.join('\n\n')}\n`);
}

main().catch((error) => {
	process.stderr.write(`${String(error?.stack ?? error)}\n`);
	process.exit(1);
});
