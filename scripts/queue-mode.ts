/**
 * `npm run test:queue`: the package in n8n's queue mode (scaling mode) on this machine.
 *
 * Redis and PostgreSQL (Debian's redis-server and postgresql, started here on free ports in a temp folder), an
 * n8n 2.41.1 main and two workers, the Cekat sandbox in this process. A published workflow Webhook → Cekat
 * Send WhatsApp receives 500 calls, each with a unique id that ends up in the message text. The sandbox delays
 * every send (a `delay` fault on POST /messages/whatsapp), so a worker always has sends in flight.
 *
 *   1. SIGTERM: worker1 is stopped in the middle. Checked: every caller gets its sent message, 500 executions
 *      succeed, both workers ran some, every message reaches the sandbox exactly once, worker1 finished its
 *      running sends before it exited.
 *   0. Rate limit: 300 calls with the sandbox's limiter at L sends per W-second window, below what the workers send
 *      unthrottled, so that sends wait for the window and meet 429s (each worker paces on its own: two n8n
 *      processes share no budget). Checked: every caller gets its sent message, every execution succeeds, every
 *      message reaches the sandbox exactly once, the sandbox refused only with 429 (not carried out); measured:
 *      time against the floor N/L windows, 429s met.
 *   1. SIGTERM: worker1 is stopped in the middle. Checked: every caller gets its sent message, 500 executions
 *      succeed, both workers ran some, every message reaches the sandbox exactly once, worker1 finished its
 *      running sends before it exited.
 *   2. SIGKILL: worker1 is restarted, then worker2 is killed outright in the middle. Measured (not asserted,
 *      except that nothing is sent twice and nothing stays unaccounted for): messages lost / duplicated, the
 *      killed executions' final state in n8n, what their callers got.
 *
 * Options (env): CEKAT_QUEUE_COUNT (500), CEKAT_QUEUE_SEND_DELAY_MS (1000), CEKAT_QUEUE_CALLERS (40),
 * CEKAT_QUEUE_CONCURRENCY (10, n8n's default), CEKAT_QUEUE_ONLY=ratelimit|sigterm|sigkill,
 * CEKAT_QUEUE_RATE_COUNT (300), CEKAT_QUEUE_RATE_LIMIT (30; 0 skips batch 0), CEKAT_QUEUE_RATE_WINDOW_S (5), CEKAT_QUEUE_KEEP=1 (keep the
 * temp folder with every log), CEKAT_QUEUE_JSON=<file> (write the figures as JSON).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startSandbox, type Sandbox } from '../sandbox';
import { DEFAULT_RATE_LIMIT, DEFAULT_RATE_WINDOW_SECONDS } from '../sandbox/ratelimit';
import { QueueCluster, secs } from '../test/queue/cluster';
import { runBatch, queueWorkflow, WEBHOOK_PATH, WORKFLOW_ID, type BatchFigures } from '../test/queue/run';
import { findPostgres, findRedisServer, INSTALL_HINT } from '../test/queue/services';
import { CREDENTIAL_TYPE, sleep } from './lib/n8n';
import { findRuntime } from './lib/runtime';

const API_KEY = 'ck_queue_7Rt2Lp9Xv4Qm';
const CREDENTIAL = { id: 'CekatQueueCred01', name: 'Cekat sandbox (queue test)' } as const;

const num = (name: string, fallback: number) => {
	const v = process.env[name];
	return v === undefined || v === '' ? fallback : Number(v);
};
const COUNT = num('CEKAT_QUEUE_COUNT', 500);
const SEND_DELAY_MS = num('CEKAT_QUEUE_SEND_DELAY_MS', 1000);
const CALLERS = num('CEKAT_QUEUE_CALLERS', 40);
const CONCURRENCY = num('CEKAT_QUEUE_CONCURRENCY', 10);
const ONLY = process.env.CEKAT_QUEUE_ONLY;
// 6 sends per second, below the 7–11 per second the cluster manages unthrottled here (docs/queue-mode.md), so
// sends wait for the window; a short window stands in for Cekat's per-minute one and keeps every wait under the
// credential's Maximum Wait (60 s).
const RATE_COUNT = num('CEKAT_QUEUE_RATE_COUNT', 300);
const RATE_LIMIT = num('CEKAT_QUEUE_RATE_LIMIT', 30);
const RATE_WINDOW_S = num('CEKAT_QUEUE_RATE_WINDOW_S', 5);
const KEEP = !!process.env.CEKAT_QUEUE_KEEP;
const RESTART_SETTLE_MS = 10_000;
/** how the workflow names the conversation: 'list' (picked from the list in the editor) or 'id' (By ID) */
const LOCATOR = process.env.CEKAT_QUEUE_LOCATOR === 'id' ? 'id' : 'list';

const log = (line: string) => process.stdout.write(`[queue] ${line}\n`);

async function main(): Promise<number> {
	const t0 = Date.now();
	const runtime = findRuntime();
	if (!runtime) throw new Error('The n8n runtime is not installed: run `npm run test:queue` (installs it first) or `npx tsx scripts/n8n-runtime.ts`.');
	const missing = [!findRedisServer() && 'redis-server', !findPostgres() && 'PostgreSQL'].filter(Boolean);
	if (missing.length) throw new Error(`${missing.join(' and ')} not found. Install Debian's packages: ${INSTALL_HINT}`);

	const root = mkdtempSync(path.join(tmpdir(), 'cekat-queue-'));
	let sandbox: Sandbox | undefined;
	let cluster: QueueCluster | undefined;
	const results: BatchFigures[] = [];
	const failures: string[] = [];
	// Ctrl-C: n8n runs in process groups of its own, so the terminal's SIGINT does not reach it; kill it all here.
	let interrupted: NodeJS.Signals | undefined;
	const removeRoot = () => !KEEP && rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
	const onSignal = (signal: NodeJS.Signals) => {
		if (interrupted) return;
		interrupted = signal;
		log(`${signal}: stopping n8n, Redis and PostgreSQL`);
		cluster?.killAll();
		// the run unwinds and cleans up; if it is stuck somewhere, give up after a few seconds
		setTimeout(() => {
			try {
				cluster?.killAll();
				removeRoot();
			} finally {
				process.exit(130);
			}
		}, 5000).unref();
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		sandbox = await startSandbox({ port: 0, apiKey: API_KEY });
		const conversationId = openConversation(sandbox);
		const workflowFile = path.join(root, `${WORKFLOW_ID}.json`);
		writeFileSync(workflowFile, JSON.stringify(queueWorkflow(conversationId, CREDENTIAL, LOCATOR), null, 2));
		cluster = new QueueCluster({
			runtime,
			root,
			workers: 2,
			concurrency: CONCURRENCY,
			credentials: [{ ...CREDENTIAL, type: CREDENTIAL_TYPE, data: { apiKey: API_KEY, baseUrl: sandbox.url, serverUrl: sandbox.serverUrl } }],
			workflowFiles: [workflowFile],
			publish: [WORKFLOW_ID],
			webhooks: [WEBHOOK_PATH],
			log,
		});
		await cluster.start();
		const setupS = (Date.now() - t0) / 1000;

		// every send waits SEND_DELAY_MS in the sandbox before it is handled: workers always have sends in flight
		sandbox.addFault({ method: 'POST', path: '/messages/whatsapp', kind: 'delay', delayMs: SEND_DELAY_MS, count: 1_000_000 });
		const common = { count: COUNT, callers: CALLERS, conversationId, log };

		if (RATE_LIMIT > 0 && (!ONLY || ONLY === 'ratelimit')) {
			log(`batch 0: ${RATE_COUNT} webhook calls under the sandbox's rate limit of ${RATE_LIMIT} per ${RATE_WINDOW_S} s`);
			sandbox.rateLimiter.configure({ limit: RATE_LIMIT, windowSeconds: RATE_WINDOW_S });
			try {
				const fig = await runBatch(cluster, sandbox, { ...common, count: RATE_COUNT, label: 'rate', settleTimeoutMs: 60_000 });
				fig.rateLimit = { limit: RATE_LIMIT, windowSeconds: RATE_WINDOW_S, floorS: (RATE_COUNT / RATE_LIMIT) * RATE_WINDOW_S };
				results.push(fig);
				failures.push(...checkRateLimited(fig));
			} finally {
				// back to the sandbox's generous default for the other batches
				sandbox.rateLimiter.configure({ limit: DEFAULT_RATE_LIMIT, windowSeconds: DEFAULT_RATE_WINDOW_SECONDS });
			}
		}
		if (!ONLY || ONLY === 'sigterm') {
			log(`batch 1: ${COUNT} webhook calls, SIGTERM to worker1 in the middle`);
			const fig = await runBatch(cluster, sandbox, {
				...common,
				label: 'term',
				stop: { worker: 0, signal: 'SIGTERM', afterStarted: Math.round(COUNT * 0.4) },
				settleTimeoutMs: 60_000,
			});
			results.push(fig);
			failures.push(...checkGraceful(fig));
			await cluster.workers[0].exited;
			await cluster.startWorker(0);
			// a starting n8n keeps a core busy for a few seconds after "ready" (task runner, node types)
			await sleep(RESTART_SETTLE_MS);
			log('worker1 restarted');
		}
		if (!ONLY || ONLY === 'sigkill') {
			log(`batch 2: ${COUNT} webhook calls, SIGKILL to worker2 in the middle`);
			const fig = await runBatch(cluster, sandbox, {
				...common,
				label: 'kill',
				stop: { worker: 1, signal: 'SIGKILL', afterStarted: Math.round(COUNT * 0.4) },
				settleTimeoutMs: 240_000,
			});
			results.push(fig);
			failures.push(...checkKilled(fig));
		}
		for (const fig of results) print(fig);
		const totalS = (Date.now() - t0) / 1000;
		log(`setup ${setupS.toFixed(1)} s, total ${totalS.toFixed(1)} s (n8n ${runtime.n8nVersion}, ${cluster.workers.length} workers × concurrency ${CONCURRENCY}, send delay ${SEND_DELAY_MS} ms, ${CALLERS} callers, conversation by ${LOCATOR}, rate-limited batch ${RATE_LIMIT > 0 ? `${RATE_LIMIT} per ${RATE_WINDOW_S} s` : 'off'})`);
		if (process.env.CEKAT_QUEUE_JSON) {
			writeFileSync(process.env.CEKAT_QUEUE_JSON, JSON.stringify({ setupS, totalS, sendDelayMs: SEND_DELAY_MS, concurrency: CONCURRENCY, batches: results }, null, 2));
			log(`figures written to ${process.env.CEKAT_QUEUE_JSON}`);
		}
	} catch (e) {
		failures.push(`run failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
	} finally {
		const t1 = Date.now();
		await cluster?.stop();
		await sandbox?.close();
		log(`stopped n8n, Redis, PostgreSQL and the sandbox (${secs(t1)})`);
		if (KEEP || (failures.length && !interrupted)) log(`logs and data kept in ${root}`);
		else removeRoot();
	}
	if (interrupted) return 130;
	if (failures.length) {
		log(`FAILED (${failures.length}):`);
		for (const f of failures) log(`  ✗ ${f}`);
		return 1;
	}
	log(`PASSED in ${secs(t0)}`);
	return 0;
}

/** A WhatsApp conversation whose contact wrote within the last 20 hours: the 24-hour window stays open. */
function openConversation(sandbox: Sandbox): string {
	const now = Date.now();
	for (const conversation of sandbox.store.conversations.all()) {
		const inbox = sandbox.store.inboxes.get(conversation.inbox_id);
		if (inbox?.type !== 'whatsapp') continue;
		const last = sandbox.store.lastContactMessageAt(conversation.id);
		if (last && now - Date.parse(last) < 20 * 3_600_000) return conversation.id;
	}
	throw new Error('the sandbox has no WhatsApp conversation with an open 24-hour window');
}

function checkGraceful(f: BatchFigures): string[] {
	const out: string[] = [];
	const expect = (ok: boolean, what: string) => ok || out.push(`[${f.label}] ${what}`);
	expect(f.answers['200'] === f.count && f.answersWithMessage === f.count, `every caller gets 200 with its sent message: ${JSON.stringify(f.answers)}, ${f.answersWithMessage} with the message`);
	expect(f.executions.total === f.count && f.executions.byStatus.success === f.count, `${f.count} successful executions: ${JSON.stringify(f.executions)}; errors: ${JSON.stringify(f.errors)}`);
	expect(f.startedByNone === 0 && f.startedByMany === 0, `each execution started by exactly one worker (none: ${f.startedByNone}, several: ${f.startedByMany})`);
	const minShare = Math.floor(f.count * 0.1);
	expect(f.perWorker.every((w) => w.started >= minShare), `both workers ran at least ${minShare} executions: ${JSON.stringify(f.perWorker)}`);
	expect(f.messages.distinctIds === f.count && f.messages.duplicates === 0 && f.messages.lost === 0, `every message arrives exactly once: ${JSON.stringify({ ...f.messages, lostIds: f.messages.lostIds.slice(0, 5), duplicateIds: f.messages.duplicateIds.slice(0, 5) })}`);
	expect(f.requests.total === f.count && f.requests.byStatus['200'] === f.count, `the sandbox answered ${f.count} sends with 200 (no 499): ${JSON.stringify(f.requests)}`);
	if (f.stop) {
		expect(f.stop.inFlightLogged > 0, 'the stopped worker had sends in flight');
		expect(f.stop.affected.every((o) => o.status === 'success' && o.messages === 1 && o.answer === '200'), `the stopped worker finished its running executions: ${JSON.stringify(f.stop.affected)}`);
		expect(f.stop.exit === 'code 0', `the stopped worker exited cleanly (${f.stop.exit})`);
	}
	return out;
}

/** Under the rate limit: as the graceful batch, except that the sandbox may refuse sends with 429 (not carried out). */
function checkRateLimited(f: BatchFigures): string[] {
	const out: string[] = [];
	const expect = (ok: boolean, what: string) => ok || out.push(`[${f.label}] ${what}`);
	expect(f.answers['200'] === f.count && f.answersWithMessage === f.count, `every caller gets 200 with its sent message: ${JSON.stringify(f.answers)}, ${f.answersWithMessage} with the message`);
	expect(f.executions.total === f.count && f.executions.byStatus.success === f.count, `${f.count} successful executions: ${JSON.stringify(f.executions)}; errors: ${JSON.stringify(f.errors)}`);
	expect(f.startedByNone === 0 && f.startedByMany === 0, `each execution started by exactly one worker (none: ${f.startedByNone}, several: ${f.startedByMany})`);
	expect(f.messages.distinctIds === f.count && f.messages.duplicates === 0 && f.messages.lost === 0, `every message arrives exactly once: ${JSON.stringify({ ...f.messages, lostIds: f.messages.lostIds.slice(0, 5), duplicateIds: f.messages.duplicateIds.slice(0, 5) })}`);
	const other = Object.keys(f.requests.byStatus).filter((status) => status !== '200' && status !== '429');
	expect(f.requests.byStatus['200'] === f.count && other.length === 0, `the sandbox carried out ${f.count} sends and refused others only with 429: ${JSON.stringify(f.requests)}`);
	return out;
}

/**
 * After a SIGKILL: measured, not required to be loss-free. Still required: no message twice, every caller
 * answered, no execution left unfinished, and every message lost belongs to an execution the kill hit.
 */
function checkKilled(f: BatchFigures): string[] {
	const out: string[] = [];
	const expect = (ok: boolean, what: string) => ok || out.push(`[${f.label}] ${what}`);
	expect(!f.answers.error, `every caller gets an answer: ${JSON.stringify(f.answers)}`);
	expect(f.messages.duplicates === 0, `no message arrives twice: ${JSON.stringify(f.messages.duplicateIds)}`);
	expect(f.executions.notFinal === 0, `no execution left unfinished: ${JSON.stringify(f.executions)}`);
	expect(!!f.stop && f.stop.inFlightLogged > 0, 'the killed worker had sends in flight');
	const hit = new Set(f.stop?.affected.map((o) => o.id));
	const otherLost = f.messages.lostIds.filter((id) => !hit.has(id));
	expect(otherLost.length === 0, `only executions hit by the kill lose their message; also lost: ${JSON.stringify(otherLost)} (errors: ${JSON.stringify(f.errors)})`);
	return out;
}

function print(f: BatchFigures): void {
	const lines = [
		`── batch "${f.label}": ${f.count} webhook calls, ${f.callers} at a time ──`,
		`  time              ${f.durationS.toFixed(1)} s until the last answer (slowest answer ${f.slowestAnswerS.toFixed(1)} s); executions final ${f.settleS.toFixed(1)} s later`,
		`  webhook answers   ${fmt(f.answers)}; ${f.answersWithMessage} carry the sent message`,
		`  executions        ${f.executions.total}: ${fmt(f.executions.byStatus)}`,
		`  per worker        ${f.perWorker.map((w) => `${w.name} started ${w.started}, finished ${w.finished}${w.errored ? `, errored ${w.errored}` : ''}`).join('; ')}`,
	];
	if (Object.keys(f.errors).length) lines.push(`  errors (main log) ${fmt(f.errors)}`);
	if (f.stop) {
		const s = f.stop;
		const a = s.affected;
		lines.push(
			`  ${s.signal.padEnd(17)} ${s.worker} at ${s.atS.toFixed(1)} s (${s.startedBefore} started), ${s.inFlightLogged} in flight in its log; exit: ${s.exit}${s.exitAfterS !== undefined ? ` after ${s.exitAfterS.toFixed(1)} s` : ''}`,
			`  hit executions    ${a.length}: final ${fmt(count(a.map((o) => o.status ?? 'missing')))}; sends seen by the sandbox ${fmt(count(a.map((o) => o.request)))}`,
			`                    messages arrived ${a.filter((o) => o.messages === 1).length}, lost ${a.filter((o) => o.messages === 0).length}, twice ${a.filter((o) => o.messages > 1).length}; callers got ${fmt(count(a.map((o) => o.answer ?? 'unknown')))}`,
		);
	}
	lines.push(
		`  sandbox requests  ${f.requests.total} POST /messages/whatsapp: ${fmt(f.requests.byStatus)}`,
		`  messages          ${f.messages.stored} stored, ${f.messages.distinctIds} distinct ids, duplicates ${f.messages.duplicates}, lost ${f.messages.lost}`,
	);
	if (f.rateLimit) {
		const r = f.rateLimit;
		lines.push(`  rate limit        ${r.limit} per ${r.windowSeconds} s: floor N/L = ${r.floorS.toFixed(0)} s, took ${f.durationS.toFixed(1)} s (${(f.durationS / r.floorS).toFixed(2)}× the floor); 429s met ${f.requests.byStatus['429'] ?? 0}`);
	}
	for (const line of lines) log(line);
}

const fmt = (o: Record<string, number>) =>
	Object.entries(o)
		.map(([k, v]) => `${k} ${v}`)
		.join(', ') || 'none';

function count(values: string[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const v of values) out[v] = (out[v] ?? 0) + 1;
	return out;
}

main().then(
	(code) => process.exit(code),
	(e: unknown) => {
		console.error(e instanceof Error ? e.message : e);
		process.exit(1);
	},
);
