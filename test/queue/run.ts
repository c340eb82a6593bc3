/**
 * One batch of the queue-mode test: N webhook calls (each with a unique id) to a published workflow
 * Webhook → Cekat "Send WhatsApp" on the main; the workers run the executions; optionally one worker is
 * stopped (SIGTERM) or killed (SIGKILL) in the middle. Then the figures: what the callers got, the executions'
 * final states in the database, which worker ran what (from the workers' logs), and what reached the sandbox
 * (its store: the messages; its journal: the requests, 499 = n8n gave up on the request).
 */
import type { Sandbox } from '../../sandbox';
import { NODE_TYPE, sleep } from '../../scripts/lib/n8n';
import type { QueueCluster, WorkerProcess } from './cluster';

export const WORKFLOW_ID = 'CekatQueueTest01';
export const WEBHOOK_PATH = 'cekat-queue-test';
export const MESSAGE_PREFIX = 'Queue test';

/**
 * Webhook (POST { id }, answers with the last node's output) → Cekat Send WhatsApp into one conversation.
 * `locator`: how the conversation is named: 'list' is what the editor stores when it is picked from the list;
 * 'id' (By ID) makes n8n check the package's ID pattern before every execution (see the README: under CPU
 * starvation n8n 2.41's 250 ms regex budget can fail the execution).
 */
export function queueWorkflow(conversationId: string, credential: { id: string; name: string }, locator: 'list' | 'id' = 'list') {
	return {
		id: WORKFLOW_ID,
		name: 'Cekat queue-mode test: webhook → Send WhatsApp',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'q-webhook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: '5f0c3a52-8d0e-4f5e-9a51-3b7c3c1d0a77',
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'lastNode', options: {} },
			},
			{
				id: 'q-send',
				name: 'Send WhatsApp',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [260, 0],
				parameters: {
					resource: 'message',
					operation: 'sendWhatsApp',
					sendTo: 'conversation',
					conversationId:
						locator === 'list'
							? { __rl: true, mode: 'list', value: conversationId, cachedResultName: 'queue-test conversation' }
							: { __rl: true, mode: 'id', value: conversationId },
					messageType: 'text',
					message: `=${MESSAGE_PREFIX} {{ $json.body.id }}`,
					options: {},
				},
				credentials: { cekatApi: { ...credential } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Send WhatsApp', type: 'main', index: 0 }]] } },
	};
}

export interface StopPlan {
	/** index into cluster.workers */
	worker: number;
	signal: 'SIGTERM' | 'SIGKILL';
	/** stop once the workers together have started this many executions of the batch */
	afterStarted: number;
}

export interface BatchOptions {
	label: string;
	count: number;
	/** webhook calls in flight at once */
	callers: number;
	conversationId: string;
	stop?: StopPlan;
	/** how long to wait for the executions to reach a final state after the last answer */
	settleTimeoutMs: number;
	log: (line: string) => void;
}

export interface Answer {
	id: string;
	status: number;
	ok: boolean;
	body: unknown;
	ms: number;
	error?: string;
}

/** What happened to one execution hit by the stop (in flight on the stopped worker). */
export interface Outcome {
	execution: number;
	/** the batch id it carried (read from its stored data when the signal was sent) */
	id: string | undefined;
	/** its final status in n8n */
	status: string | undefined;
	/** the main's "Problem with execution …" message, if any */
	error: string | undefined;
	/** the sandbox's status(es) for its send: 200, 499 (n8n went away mid-request), none */
	request: string;
	/** copies of its message in the sandbox */
	messages: number;
	/** what its webhook caller got */
	answer: string | undefined;
}

export interface BatchFigures {
	label: string;
	count: number;
	callers: number;
	durationS: number;
	/** webhook answers by HTTP status ("error" = no answer) */
	answers: Record<string, number>;
	/** 200 answers whose body is the sent message with the right text */
	answersWithMessage: number;
	slowestAnswerS: number;
	executions: { total: number; byStatus: Record<string, number>; notFinal: number };
	/** failed executions by the error the main logged ("Problem with execution N: <error>") */
	errors: Record<string, number>;
	/** from the workers' logs */
	perWorker: Array<{ name: string; started: number; finished: number; errored: number }>;
	/** executions started by no worker / by more than one */
	startedByNone: number;
	startedByMany: number;
	stop?: {
		worker: string;
		signal: string;
		atS: number;
		startedBefore: number;
		/** executions the worker had logged as started and not finished when the signal was sent */
		inFlightLogged: number;
		exit: string;
		exitAfterS: number | undefined;
		/** the logged in-flight executions, plus those n8n later failed as stalled jobs (taken but not yet logged) */
		affected: Outcome[];
	};
	/** sandbox journal: POST /messages/whatsapp by status (499 = the client gave up / went away) */
	requests: { total: number; byStatus: Record<string, number> };
	/** sandbox store: messages of this batch */
	messages: { stored: number; distinctIds: number; duplicates: number; lost: number; duplicateIds: string[]; lostIds: string[] };
	/** seconds from the last webhook answer until every execution was in a final state */
	settleS: number;
	/** set by the rate-limited batch: the sandbox's limit and the floor N/L windows */
	rateLimit?: { limit: number; windowSeconds: number; floorS: number };
}

const FINAL = new Set(['success', 'error', 'crashed', 'canceled']);
/** how n8n 2.41's main reports a job that Bull failed as stalled (its worker died): maxStalledCount is 0 */
export const STALLED_ERROR = 'This execution failed to be processed too many times and will no longer retry';

export async function runBatch(cluster: QueueCluster, sandbox: Sandbox, opts: BatchOptions): Promise<BatchFigures> {
	const { label, count } = opts;
	const psql = cluster.postgres.psql;
	const maxBefore = Number(psql('select coalesce(max(id), 0) from execution_entity').trim());
	sandbox.clearJournal();
	const ids = Array.from({ length: count }, (_, i) => `${label}-${String(i + 1).padStart(4, '0')}-${Math.random().toString(36).slice(2, 8)}`);
	const text = (id: string) => `${MESSAGE_PREFIX} ${id}`;
	const workers = cluster.workers;
	const ofBatch = (ids: Iterable<number>) => [...ids].filter((id) => id > maxBefore);
	const startedCount = () => workers.reduce((n, w) => n + ofBatch(w.started.keys()).length, 0);
	const t0 = Date.now();

	// --- the stop, in the middle of the batch -----------------------------------------------------------
	let stopInfo: { worker: WorkerProcess; atMs: number; startedBefore: number; inFlight: number[]; batchIds: Map<number, string> } | undefined;
	let monitorDone = false;
	const monitor = (async () => {
		const plan = opts.stop;
		if (!plan) return;
		const target = workers[plan.worker];
		while (!monitorDone) {
			const started = startedCount();
			const inFlight = ofBatch(target.inFlight());
			if (started >= plan.afterStarted && inFlight.length > 0) {
				const atMs = Date.now();
				if (plan.signal === 'SIGTERM') target.terminate();
				else target.kill();
				// Which id does each unfinished execution carry? Read it now: n8n later replaces a failed
				// execution's data with the error. (A job the worker had taken but not yet logged is among them.)
				const pending = psql(`select id from execution_entity where id > ${maxBefore} and status not in ('success', 'error', 'crashed', 'canceled')`)
					.split('\n')
					.filter(Boolean)
					.map(Number);
				stopInfo = { worker: target, atMs, startedBefore: started, inFlight, batchIds: executionBatchIds(psql, [...new Set([...pending, ...inFlight])], label) };
				opts.log(`${plan.signal} → ${target.name} after ${started} started executions, ${inFlight.length} of them in flight on it (${secsSince(t0)})`);
				return;
			}
			await sleep(20);
		}
	})();

	// --- the callers ------------------------------------------------------------------------------------
	const answers: Answer[] = [];
	let next = 0;
	const url = `${cluster.mainN8n.url}/webhook/${WEBHOOK_PATH}`;
	const caller = async () => {
		while (next < ids.length) {
			const id = ids[next++];
			const start = Date.now();
			try {
				const res = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ id }),
					signal: AbortSignal.timeout(300_000),
				});
				const raw = await res.text();
				let body: unknown = raw;
				try {
					body = JSON.parse(raw);
				} catch {
					// keep the text
				}
				answers.push({ id, status: res.status, ok: res.ok, body, ms: Date.now() - start });
			} catch (e) {
				answers.push({ id, status: 0, ok: false, body: undefined, ms: Date.now() - start, error: (e as Error).message });
			}
		}
	};
	const progress = setInterval(() => opts.log(`… ${answers.length}/${count} answered, ${startedCount()} executions started (${secsSince(t0)})`), 15_000);
	try {
		await Promise.all(Array.from({ length: opts.callers }, caller));
	} finally {
		clearInterval(progress);
		monitorDone = true;
		await monitor;
	}
	const lastAnswer = Date.now();
	opts.log(`all ${count} webhook calls answered (${secsSince(t0)})`);

	// --- executions reach a final state -------------------------------------------------------------------
	const rows = () =>
		psql(`select id, status from execution_entity where id > ${maxBefore} and "workflowId" = '${WORKFLOW_ID}' order by id`)
			.trim()
			.split('\n')
			.filter(Boolean)
			.map((line) => {
				const [id, status] = line.split('\t');
				return { id: Number(id), status };
			});
	let executions = rows();
	const settleDeadline = Date.now() + opts.settleTimeoutMs;
	while (executions.some((e) => !FINAL.has(e.status)) && Date.now() < settleDeadline) {
		await sleep(500);
		executions = rows();
	}
	const settleS = (Date.now() - lastAnswer) / 1000;
	let exitAfterS: number | undefined;
	let exit = 'running';
	if (stopInfo) {
		const info = await Promise.race([stopInfo.worker.exited, sleep(60_000).then(() => undefined)]);
		if (info) {
			exitAfterS = (info.at - stopInfo.atMs) / 1000;
			exit = info.signal ? `signal ${info.signal}` : `code ${info.code}`;
		}
	}

	// --- figures -------------------------------------------------------------------------------------------
	const byStatus: Record<string, number> = {};
	for (const e of executions) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
	const answerCounts: Record<string, number> = {};
	for (const a of answers) answerCounts[a.status || 'error'] = (answerCounts[a.status || 'error'] ?? 0) + 1;
	const answersWithMessage = answers.filter((a) => a.status === 200 && (a.body as { message?: string } | undefined)?.message === text(a.id)).length;

	const stored = sandbox.store.messagesOf(opts.conversationId).filter((m) => typeof m.message === 'string' && m.message.startsWith(`${MESSAGE_PREFIX} ${label}-`));
	const copies = new Map<string, number>();
	for (const m of stored) {
		const id = m.message!.slice(MESSAGE_PREFIX.length + 1);
		copies.set(id, (copies.get(id) ?? 0) + 1);
	}
	const lostIds = ids.filter((id) => !copies.has(id));
	const duplicateIds = [...copies].filter(([, n]) => n > 1).map(([id]) => id);

	const journal = sandbox.journal().filter((e) => e.method === 'POST' && e.path === '/messages/whatsapp');
	const requestsByStatus: Record<string, number> = {};
	const requestStatusById = new Map<string, number[]>();
	for (const e of journal) {
		requestsByStatus[e.status] = (requestsByStatus[e.status] ?? 0) + 1;
		const message = (e.body as { message?: unknown } | undefined)?.message;
		if (typeof message === 'string' && message.startsWith(`${MESSAGE_PREFIX} `)) {
			const id = message.slice(MESSAGE_PREFIX.length + 1);
			requestStatusById.set(id, [...(requestStatusById.get(id) ?? []), e.status]);
		}
	}

	const startedBy = new Map<number, number>();
	for (const w of workers) for (const id of ofBatch(w.started.keys())) startedBy.set(id, (startedBy.get(id) ?? 0) + 1);

	// "Problem with execution 12: <error>. Aborting." in the main's log
	const errorOf = new Map<number, string>();
	for (const m of cluster.main.log.matchAll(/Problem with execution (\d+): (.+?)\.? Aborting\./g)) {
		const id = Number(m[1]);
		if (id > maxBefore && !errorOf.has(id)) errorOf.set(id, m[2].replace(/\.$/, '').split('. ')[0]);
	}
	const errors: Record<string, number> = {};
	for (const message of errorOf.values()) errors[message] = (errors[message] ?? 0) + 1;

	let stop: BatchFigures['stop'];
	if (stopInfo) {
		const answerById = new Map(answers.map((a) => [a.id, a]));
		const statusById = new Map(executions.map((e) => [e.id, e.status]));
		const affectedIds = new Set(stopInfo.inFlight);
		for (const [id, message] of errorOf) if (message === STALLED_ERROR) affectedIds.add(id);
		stop = {
			worker: stopInfo.worker.name,
			signal: opts.stop!.signal,
			atS: (stopInfo.atMs - t0) / 1000,
			startedBefore: stopInfo.startedBefore,
			inFlightLogged: stopInfo.inFlight.length,
			exit,
			exitAfterS,
			affected: [...affectedIds]
				.sort((a, b) => a - b)
				.map((execution) => {
					const id = stopInfo!.batchIds.get(execution);
					const answer = id ? answerById.get(id) : undefined;
					return {
						execution,
						id,
						status: statusById.get(execution),
						error: errorOf.get(execution),
						request: id ? (requestStatusById.get(id) ?? []).join(',') || 'none' : 'unknown',
						messages: id ? (copies.get(id) ?? 0) : 0,
						answer: answer ? (answer.status ? `${answer.status}${answer.status !== 200 ? ` ${summarize(answer.body)}` : ''}` : `no answer: ${answer.error}`) : undefined,
					};
				}),
		};
	}

	return {
		label,
		count,
		callers: opts.callers,
		durationS: (lastAnswer - t0) / 1000,
		answers: answerCounts,
		answersWithMessage,
		slowestAnswerS: Math.max(...answers.map((a) => a.ms)) / 1000,
		executions: { total: executions.length, byStatus, notFinal: executions.filter((e) => !FINAL.has(e.status)).length },
		errors,
		perWorker: workers.map((w) => ({
			name: w.name,
			started: ofBatch(w.started.keys()).length,
			finished: ofBatch(w.finished.keys()).length,
			errored: ofBatch(w.errored.keys()).length,
		})),
		startedByNone: executions.filter((e) => !startedBy.has(e.id)).length,
		startedByMany: [...startedBy.values()].filter((n) => n > 1).length,
		stop,
		requests: { total: journal.length, byStatus: requestsByStatus },
		messages: { stored: stored.length, distinctIds: copies.size, duplicates: stored.length - copies.size, lost: lostIds.length, duplicateIds, lostIds },
		settleS,
	};
}

/** The batch id each execution carried: found in its stored run data (execution_data.data, n8n's flatted JSON). */
function executionBatchIds(psql: (sql: string) => string, executionIds: number[], label: string): Map<number, string> {
	const found = new Map<number, string>();
	if (executionIds.length === 0) return found;
	const out = psql(`select "executionId", data from execution_data where "executionId" in (${executionIds.join(',')})`);
	const pattern = new RegExp(`${label}-\\d{4}-[a-z0-9]+`);
	for (const line of out.split('\n')) {
		const tab = line.indexOf('\t');
		if (tab < 0) continue;
		const m = pattern.exec(line.slice(tab + 1));
		if (m) found.set(Number(line.slice(0, tab)), m[0]);
	}
	return found;
}

function summarize(body: unknown): string {
	const s = typeof body === 'string' ? body : JSON.stringify(body);
	return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

function secsSince(t0: number): string {
	return `${((Date.now() - t0) / 1000).toFixed(1)} s`;
}
