/**
 * CLI: `npm run sandbox` (= tsx sandbox/main.ts).
 *   PORT (3000), HOST (127.0.0.1), CEKAT_SANDBOX_API_KEY (sandbox-api-key), CEKAT_SANDBOX_SEED (42),
 *   CEKAT_SANDBOX_<SIZE> for any size, e.g. CEKAT_SANDBOX_ORDERS=100000, CEKAT_SANDBOX_ITEMS_PER_BOARD=500,
 *   CEKAT_SANDBOX_JOURNAL_LIMIT (50000), CEKAT_SANDBOX_LOG=1 for request logs,
 *   CEKAT_SANDBOX_WEBHOOK_URL (+ CEKAT_SANDBOX_WEBHOOK_SECRET) to send webhook events to a loopback URL,
 *   CEKAT_SANDBOX_VARIANT (e.g. 'orderUpdatedAt,paymentStatusCase=upper,pageMetadata=total_data,conversations=v1,hosts=split'),
 *   SERVER_PORT (0 = free) for the second host of hosts=split, CEKAT_SANDBOX_RATE_LIMIT (requests per minute, 100000),
 *   CEKAT_SANDBOX_EVENTS_TOKEN (sandbox-events-token: Bearer token of POST /api/events/ingest),
 *   CEKAT_SANDBOX_EVENT_DEFINITIONS (e.g. 'trial_started,checkout_started': other custom event keys answer 404; unset = all accepted).
 */
import { DEFAULT_API_KEY, DEFAULT_EVENTS_TOKEN, DEFAULT_SEED, parseEventDefinitions, startSandbox } from './index';
import { DEFAULT_SIZES, type SandboxSizes } from './types';

const envName = (key: string) => `CEKAT_SANDBOX_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

function intFromEnv(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0) {
		console.error(`${name} must be a non-negative integer (got '${raw}')`);
		process.exit(2);
	}
	return n;
}

async function main(): Promise<void> {
	const sizes: Partial<SandboxSizes> = {};
	for (const key of Object.keys(DEFAULT_SIZES) as Array<keyof SandboxSizes>) {
		const name = envName(key);
		if (process.env[name] !== undefined) sizes[key] = intFromEnv(name, DEFAULT_SIZES[key]);
	}
	const t0 = Date.now();
	const sb = await startSandbox({
		port: intFromEnv('PORT', 3000),
		host: process.env.HOST || '127.0.0.1',
		apiKey: process.env.CEKAT_SANDBOX_API_KEY || DEFAULT_API_KEY,
		seed: intFromEnv('CEKAT_SANDBOX_SEED', DEFAULT_SEED),
		sizes,
		journalLimit: intFromEnv('CEKAT_SANDBOX_JOURNAL_LIMIT', 50_000),
		logger: process.env.CEKAT_SANDBOX_LOG === '1',
		webhookUrl: process.env.CEKAT_SANDBOX_WEBHOOK_URL || undefined,
		webhookSecret: process.env.CEKAT_SANDBOX_WEBHOOK_SECRET || undefined,
		serverPort: intFromEnv('SERVER_PORT', 0),
		rateLimit: { limit: intFromEnv('CEKAT_SANDBOX_RATE_LIMIT', 100_000) },
		eventsToken: process.env.CEKAT_SANDBOX_EVENTS_TOKEN || DEFAULT_EVENTS_TOKEN,
		eventDefinitions: parseEventDefinitions(process.env.CEKAT_SANDBOX_EVENT_DEFINITIONS),
	});
	const counts = sb.store.counts();
	console.log(`Cekat sandbox listening on ${sb.url}`);
	if (sb.serverUrl !== sb.url) console.log(`server.cekat.ai stand-in (split hosts) on ${sb.serverUrl}`);
	console.log(`Variant: ${JSON.stringify(sb.variant)}`);
	console.log(`API key (header api_key): ${sb.apiKey}`);
	console.log(`Seed ${sb.store.seed}; generated in ${Date.now() - t0} ms: ${Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(' ')}`);
	if (sb.webhooks.target) console.log(`Webhook events go to ${sb.webhooks.target.url}`);
	console.log(`Cekat Events (POST ${sb.url}/api/events/ingest): Authorization: Bearer ${sb.eventsToken}`);
	console.log(`Try: curl -H 'api_key: ${sb.apiKey}' '${sb.url}/api/inboxes?limit=1'`);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`${signal}: stopping sandbox`);
		sb.close().then(
			() => process.exit(0),
			(e: unknown) => {
				console.error(e);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
	console.error(e);
	process.exit(1);
});
