/**
 * N Send WhatsApp items under a limit of L requests per window (the sandbox's fixed-window limiter, with
 * Cekat's x-ratelimit-* headers): completion time against the floor N/L windows, messages delivered,
 * duplicates (must be 0) and 429s met. A short window stands in for Cekat's per-minute one.
 *
 *   npm run build && npx tsx bench/ratelimit.ts            (BENCH_RL_WINDOW=2 BENCH_RL_LIMIT=10 BENCH_RL_SENDS=25,50)
 *
 * A fixed window starts its count at the window's boundary, so N/L windows is the floor of a run that
 * starts just after a reset; a run that starts just before one gets the rest of that window on top.
 * Runs here start just after a reset, so the table also gives that floor, (ceil(N/L) - 1) windows: the
 * last window is entered, not waited out.
 */
import { startSandbox } from '../sandbox';
import { runCekat } from '../test/engine/harness';
import { table } from './lib';

const WINDOW_S = Number(process.env.BENCH_RL_WINDOW ?? 2);
const LIMIT = Number(process.env.BENCH_RL_LIMIT ?? 10);
const SENDS = (process.env.BENCH_RL_SENDS ?? '25,50').split(',').map(Number);
const KEY = 'bench-ratelimit-key';
const DAY = 24 * 3600_000;

const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function rateLimitBenchmark(): Promise<string> {
	const sandbox = await startSandbox({ port: 0, apiKey: KEY, rateLimit: { limit: LIMIT, windowSeconds: WINDOW_S } });
	try {
		const { store } = sandbox;
		const conversation = store.conversations.all().find((c) => {
			const last = store.lastContactMessageAt(c.id);
			return store.inboxes.get(c.inbox_id)?.type === 'whatsapp' && !!last && Date.now() - Date.parse(last) < DAY - 600_000;
		})!;
		const rows: Array<Array<string | number>> = [];
		for (const n of SENDS) {
			sandbox.reset();
			// Start just after a reset, as the floor assumes.
			await sleepMs(WINDOW_S * 1000 - (Date.now() % (WINDOW_S * 1000)) + 10);
			const texts = Array.from({ length: n }, (_, i) => `bench ${n} #${i}`);
			const started = Date.now();
			const result = await runCekat({
				parameters: {
					resource: 'message',
					operation: 'sendWhatsApp',
					sendTo: 'conversation',
					conversationId: { __rl: true, mode: 'id', value: conversation.id },
					messageType: 'text',
					message: '={{ $json.text }}',
				},
				items: texts.map((text) => ({ text })),
				credentials: { apiKey: KEY, baseUrl: sandbox.url },
			});
			const ms = Date.now() - started;
			if (result.error) throw new Error(`${n} sends: ${result.error.message}`);
			const wanted = new Set(texts);
			const delivered = store.messages.all().filter((m) => wanted.has(String(m.message))).map((m) => String(m.message));
			const own = sandbox.journal().filter((e) => e.path === '/messages/whatsapp');
			const floorS = (n / LIMIT) * WINDOW_S;
			// From a reset, the last of ceil(N/L) windows is entered, not waited out.
			const windowFloorS = (Math.ceil(n / LIMIT) - 1) * WINDOW_S;
			rows.push([
				n,
				`${LIMIT} / ${WINDOW_S} s`,
				floorS.toFixed(1),
				windowFloorS.toFixed(1),
				(ms / 1000).toFixed(2),
				`+${(ms - windowFloorS * 1000).toFixed(0)} ms`,
				`${new Set(delivered).size} / ${n}`,
				delivered.length - new Set(delivered).size,
				own.filter((e) => e.status === 429).length,
			]);
			process.stderr.write(`  rate limit: ${n} sends in ${ms} ms\n`);
		}
		return table(['Sends under a rate limit', 'limit', 'floor N/L s', 'fixed-window floor s', 'wall s', 'over fixed-window floor', 'delivered', 'duplicates', '429s met'], rows);
	} finally {
		await sandbox.close();
	}
}

if (require.main === module) {
	rateLimitBenchmark().then(
		(text) => process.stdout.write(`\n${text}\n`),
		(error: unknown) => {
			process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
			process.exit(1);
		},
	);
}
