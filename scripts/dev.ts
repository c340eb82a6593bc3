/**
 * `npm run dev`: the Cekat node in a real n8n, with the local Cekat sandbox, in one command.
 *
 *  1. builds the package (skip with --no-build)
 *  2. provides Node 24 and n8n 2.41.1 in the cache folder (first run: ~5 min, 2.9 GB; later runs reuse it); with
 *     `--n8n=1` (or CEKAT_N8N_LINE=1) Node 22 and n8n 1.123.81 instead (first run: ~8 min, 2 GB)
 *  3. starts the Cekat sandbox on port 3000 (CEKAT_SANDBOX_PORT)
 *  4. installs the built package as a community package of that n8n (as Settings → Community Nodes does)
 *  5. imports the "Cekat sandbox" and "Cekat Events" credentials and the example workflows (again only when they changed)
 *  6. starts n8n on port 5678 (N8N_PORT), sets up a local owner account, publishes the webhook/form examples and
 *     the Cekat Trigger examples (which register their URL in the sandbox)
 *  7. prints what to open; shows the sandbox's requests as they arrive; Ctrl-C stops everything
 *
 * The AI-agent example's chat model uses the "OpenAI" credential: OpenAI with OPENAI_API_KEY, or else (and with
 * --scripted-model) a scripted stand-in on port 3001 (CEKAT_MODEL_PORT, test/e2e/scripted-model.ts demoScript()).
 *
 * Data (n8n database, log) lives in <cache>/dev, for n8n 1.x in <cache>/dev-n8n1 (CEKAT_DEV_FOLDER); `--reset`
 * starts from a clean one.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { EVENTS_INGEST_ROUTE, startSandbox, type Sandbox } from '../sandbox';
import {
	DEV_OWNER,
	DEV_PUBLISHED_EXAMPLES,
	EVENTS_CREDENTIAL,
	EVENTS_CREDENTIAL_TYPE,
	exampleFiles,
	freePort,
	N8n,
	type N8nServer,
	OPENAI_CREDENTIAL,
	OPENAI_CREDENTIAL_TYPE,
	portIsFree,
	REPO_DIR,
	runCommand,
	SANDBOX_CREDENTIAL,
} from './lib/n8n';
import { applyLineOption, cacheDir, ensureRuntime, selectedLine } from './lib/runtime';
import { demoScript, startScriptedModel, type ScriptedModel } from '../test/e2e/scripted-model';

const t0 = Date.now();
const args = new Set(process.argv.slice(2));
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[22m` : s);
const green = (s: string) => (color ? `\x1b[32m${s}\x1b[39m` : s);
const say = (s: string) => console.log(`${dim('[dev]')} ${s}`);

function intEnv(name: string, fallback: number): number {
	const raw = process.env[name];
	if (!raw) return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${name} must be a port number (got '${raw}')`);
	return n;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

interface DevState {
	credential?: string;
	examples?: Record<string, string>;
	published?: boolean;
}

async function main(): Promise<void> {
	if (args.has('--help') || args.has('-h')) {
		console.log(
			'npm run dev [-- --no-build] [-- --reset] [-- --scripted-model] [-- --n8n=1|2]\n' +
				'  --n8n=1: n8n 1.123.81 on Node 22 instead of n8n 2.41.1 on Node 24 (also CEKAT_N8N_LINE=1)\n' +
				'  env: N8N_PORT (5678), CEKAT_SANDBOX_PORT (3000), CEKAT_MODEL_PORT (3001), OPENAI_API_KEY, CEKAT_N8N_CACHE, CEKAT_DEV_FOLDER, N8N_LISTEN_ADDRESS',
		);
		return;
	}
	applyLineOption();
	const line = selectedLine();
	const n8nPort = intEnv('N8N_PORT', 5678);
	const sandboxPort = intEnv('CEKAT_SANDBOX_PORT', 3000);
	// the AI-agent example's chat model: OpenAI with the user's key, else the scripted stand-in
	const openAiKey = process.env.OPENAI_API_KEY?.trim();
	const scripted = args.has('--scripted-model') || !openAiKey;
	const modelPort = intEnv('CEKAT_MODEL_PORT', 3001);
	const listenAddress = process.env.N8N_LISTEN_ADDRESS || '127.0.0.1';
	// n8n 1.x cannot open a database that n8n 2.x migrated: each line keeps its own data folder
	const devFolder = path.resolve(process.env.CEKAT_DEV_FOLDER || path.join(cacheDir(), line.id === '2' ? 'dev' : `dev-n8n${line.id}`));

	const ports = [[n8nPort, 'n8n', 'N8N_PORT'], [sandboxPort, 'the Cekat sandbox', 'CEKAT_SANDBOX_PORT'], ...(scripted ? [[modelPort, 'the scripted chat model', 'CEKAT_MODEL_PORT'] as const] : [])] as const;
	for (const [port, what, env] of ports) {
		if (!(await portIsFree(port))) throw new Error(`Port ${port} (for ${what}) is in use. Stop what runs there, or choose another port: ${env}=<port> npm run dev`);
	}

	if (!args.has('--no-build')) {
		say('Building the package (npm run build) …');
		await runCommand('npm', ['run', 'build', '--silent'], { cwd: REPO_DIR });
	}
	if (!existsSync(path.join(REPO_DIR, 'dist', 'nodes', 'Cekat', 'Cekat.node.js'))) throw new Error('dist/ is missing: run npm run build');

	const runtime = await ensureRuntime(line);
	const N8N_VERSION = runtime.n8nVersion;

	if (args.has('--reset')) {
		say(`--reset: removing ${devFolder}`);
		rmSync(devFolder, { recursive: true, force: true });
	}
	mkdirSync(devFolder, { recursive: true });
	const stateFile = path.join(devFolder, 'dev-state.json');
	let state: DevState = {};
	try {
		state = JSON.parse(readFileSync(stateFile, 'utf8'));
	} catch {
		// first run
	}
	// A state file without a database (folder cleared by hand) means nothing is imported.
	if (!existsSync(path.join(devFolder, '.n8n', 'database.sqlite'))) state = {};

	const sandbox = await startSandbox({ port: sandboxPort, host: '127.0.0.1' });
	const sandboxUrl = `http://localhost:${sandbox.port}`;
	let showModelRequests = false;
	const model: ScriptedModel | undefined = scripted
		? await startScriptedModel({ port: modelPort, host: '127.0.0.1', script: demoScript(), onRequest: (r) => showModelRequests && console.log(`${dim('[model]')} ${r.method} ${r.path} → ${r.status}`) })
		: undefined;
	const modelUrl = model ? `http://localhost:${model.port}/v1` : 'https://api.openai.com/v1';
	let server: N8nServer | undefined;
	let stopping = false;
	const shutdown = async (code: number) => {
		if (stopping) return;
		stopping = true;
		say('Stopping n8n and the sandbox …');
		await server?.stop().catch(() => undefined);
		await sandbox.close().catch(() => undefined);
		await model?.close().catch(() => undefined);
		process.exit(code);
	};
	let interrupts = 0;
	const onSignal = () => {
		interrupts++;
		if (interrupts > 1) {
			server?.child.kill('SIGKILL');
			process.exit(130);
		}
		void shutdown(0);
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	try {
		const n8n = new N8n({
			runtime,
			userFolder: devFolder,
			port: n8nPort,
			brokerPort: await freePort(),
			listenAddress,
			logLevel: 'info',
			env: { N8N_HOST: 'localhost', GENERIC_TIMEZONE: process.env.GENERIC_TIMEZONE || 'Asia/Jakarta' },
		});

		const { version } = await n8n.installPackage();
		say(`Installed n8n-nodes-cekat ${version} as a community package of n8n ${N8N_VERSION}`);

		const credential = { ...SANDBOX_CREDENTIAL, type: 'cekatApi', data: { apiKey: sandbox.apiKey, baseUrl: sandboxUrl, serverUrl: sandboxUrl } };
		// The order-paid event example's credential: Cekat Events (t.cekat.ai) played by the same sandbox, with its events token.
		const eventsCredential = { ...EVENTS_CREDENTIAL, type: EVENTS_CREDENTIAL_TYPE, data: { accessToken: sandbox.eventsToken, baseUrl: sandboxUrl } };
		// the AI-agent example's chat model credential
		const openAiCredential = {
			...OPENAI_CREDENTIAL,
			...(scripted ? { name: 'OpenAI (scripted stand-in, npm run dev)' } : {}),
			type: OPENAI_CREDENTIAL_TYPE,
			data: { apiKey: scripted ? 'scripted-model' : openAiKey, url: modelUrl },
		};
		const credentialHash = hash(JSON.stringify([credential, eventsCredential, openAiCredential]));
		if (state.credential !== credentialHash) {
			say(`Importing the credentials "${SANDBOX_CREDENTIAL.name}" and "${EVENTS_CREDENTIAL.name}" (${sandboxUrl}), "${openAiCredential.name}" (${modelUrl}) …`);
			await n8n.importCredentials([credential, eventsCredential, openAiCredential]);
			state.credential = credentialHash;
			writeFileSync(stateFile, JSON.stringify(state, null, 2));
		}
		const files = exampleFiles();
		const exampleHashes = Object.fromEntries(files.map((f) => [path.basename(f), hash(readFileSync(f, 'utf8'))]));
		const changed = files.filter((f) => state.examples?.[path.basename(f)] !== exampleHashes[path.basename(f)]);
		if (changed.length) {
			say(`Importing ${changed.length} example workflow(s) from examples/ …`);
			await n8n.importWorkflows(changed);
			state.examples = exampleHashes;
			state.published = false;
			writeFileSync(stateFile, JSON.stringify(state, null, 2));
		}

		say(`Starting n8n ${N8N_VERSION} on port ${n8nPort} …`);
		const logFile = path.join(devFolder, 'n8n.log');
		server = await n8n.start({ logFile, onLine: echoN8nLine });
		const live = server;
		void live.waitExit().then((code) => {
			if (!stopping) {
				console.error(`n8n exited unexpectedly (code ${code}); see ${logFile}`);
				void shutdown(1);
			}
		});

		const owner = await live.setupOwnerAndLogin(DEV_OWNER).catch((e: Error) => {
			say(`Could not log in as ${DEV_OWNER.email} (${e.message.split('\n')[0]}); if you changed the password, use yours, or run npm run dev -- --reset`);
			return 'failed' as const;
		});
		if (owner !== 'failed') {
			if (!state.published) {
				for (const { id } of DEV_PUBLISHED_EXAMPLES) await live.publishWorkflow(id);
				state.published = true;
				writeFileSync(stateFile, JSON.stringify(state, null, 2));
			} else {
				// n8n does not register webhooks again when it restarts (Cekat keeps them), but this sandbox is new:
				// the Cekat Trigger examples still published are published again, so they subscribe in it.
				for (const { id } of DEV_PUBLISHED_EXAMPLES.filter((e) => 'registers' in e)) {
					const wf = await live.rest<{ active?: boolean }>('GET', `/workflows/${id}`);
					if (!wf.body.data?.active) continue;
					await live.rest('POST', `/workflows/${id}/deactivate`, {});
					await live.publishWorkflow(id);
				}
			}
			// the URLs the banner prints must answer when it is printed
			for (const { url } of DEV_PUBLISHED_EXAMPLES) await live.waitForWebhook(url);
			const test = await live.testCredential(SANDBOX_CREDENTIAL.id).catch((e: Error) => ({ status: 'Error', message: e.message }));
			if (test.status !== 'OK') say(`Warning: the credential test of "${SANDBOX_CREDENTIAL.name}" failed: ${test.message}`);
			const eventsTest = await live.testCredential(EVENTS_CREDENTIAL.id).catch((e: Error) => ({ status: 'Error', message: e.message }));
			if (eventsTest.status !== 'OK') say(`Warning: the credential test of "${EVENTS_CREDENTIAL.name}" failed: ${eventsTest.message}`);
			if (model) {
				const modelTest = await live.testCredential(OPENAI_CREDENTIAL.id).catch((e: Error) => ({ status: 'Error', message: e.message }));
				if (modelTest.status !== 'OK') say(`Warning: the credential test of "${openAiCredential.name}" failed: ${modelTest.message}`);
				model.clear();
			}
		}
		sandbox.clearJournal();
		printBanner({ n8nVersion: N8N_VERSION, n8nPort, sandbox, sandboxUrl, modelUrl: model && modelUrl, version, logFile, devFolder, ownerOk: owner !== 'failed' });
		followJournal(sandbox);
		showModelRequests = true;
	} catch (e) {
		await shutdown(1).catch(() => undefined);
		throw e;
	}
}

/** n8n's own log goes to <dev>/n8n.log; only lines about this package or real errors are echoed. */
function echoN8nLine(line: string): void {
	const text = line.trim();
	if (!text) return;
	// offline lookups of api.n8n.io, and the startup check that the published examples' URLs are registered
	const noise = /api\.n8n\.io|ENOTFOUND|Strapi|system task|license|Python task runner|deprecat|is not registered/i;
	if (noise.test(text) || text.startsWith('at ')) return;
	// (the runtime's own path contains "n8n-nodes-cekat/": not a reason to show a line)
	if (/n8n-nodes-cekat(?!\/)|\bCekat\b/.test(text) || /^(error|Error:|Failed|Unhandled)/.test(text)) {
		console.log(`${dim('[n8n]')} ${text}`);
	}
}

/** A contact whose WhatsApp window is open, so the examples' free-form messages reach them. */
function openWindowContact(sandbox: Sandbox): { name: string; phone: string; conversationId: string; inboxId: string } | undefined {
	const now = Date.now();
	for (const contact of sandbox.store.contacts.all()) {
		const conv = sandbox.store.latestWhatsappConversation(contact.id);
		const last = conv && sandbox.store.lastContactMessageAt(conv.id);
		if (conv && last && now - Date.parse(last) < 20 * 3_600_000) return { name: contact.contact_name.split(' ')[0], phone: contact.phone_number, conversationId: conv.id, inboxId: conv.inbox_id };
	}
	return undefined;
}

/** A pending order of a customer whose window is open: paying it lets the thank-you example reach them. */
function pendingOrder(sandbox: Sandbox): { id: string; name: string; number: number } | undefined {
	const now = Date.now();
	for (const order of sandbox.store.orders.all()) {
		if (order.payment_status !== 'pending') continue;
		const conv = sandbox.store.latestWhatsappConversation(order.contact_id);
		const last = conv && sandbox.store.lastContactMessageAt(conv.id);
		if (last && now - Date.parse(last) < 20 * 3_600_000) return { id: order.id, name: order.contact.contact_name.split(' ')[0], number: order.order_number };
	}
	return undefined;
}

/** The sandbox's emit request for a customer's WhatsApp message (message.received, as Cekat sends it). */
function customerMessageEvent(contact: { conversationId: string; inboxId: string }, text: string): string {
	return JSON.stringify({
		event: 'message.received',
		data: { conversation_id: contact.conversationId, message: text, media_type: 'text', sent_by_type: 'user', conversation: { id: contact.conversationId, inbox_id: contact.inboxId } },
	});
}

/** The shop's paid order the banner's curl posts to the order-paid event example (its order_id becomes the event_id). */
const SAMPLE_PAID_ORDER = { order_id: 'SHOP-2001', amount: 250000, currency: 'IDR', email: 'budi@example.com', phone: '6281234567890', name: 'Budi Santoso' };

/** An order on its way to a customer whose window is open: the AI-agent example can look it up and tell them. */
function shippingOrder(sandbox: Sandbox): number | undefined {
	const now = Date.now();
	for (const order of sandbox.store.orders.all()) {
		if (order.order_status !== 'shipping') continue;
		const conv = sandbox.store.latestWhatsappConversation(order.contact_id);
		const last = conv && sandbox.store.lastContactMessageAt(conv.id);
		if (last && now - Date.parse(last) < 20 * 3_600_000) return order.order_number;
	}
	return undefined;
}

function printBanner(o: { n8nVersion: string; n8nPort: number; sandbox: Sandbox; sandboxUrl: string; modelUrl: string | undefined; version: string; logFile: string; devFolder: string; ownerOk: boolean }): void {
	const editor = `http://localhost:${o.n8nPort}`;
	const contact = openWindowContact(o.sandbox);
	const localPhone = contact ? `0${contact.phone.slice(2)}` : '0812 3456 7890';
	const newOrder = JSON.stringify({ order_number: 'SHOP-1001', customer_name: contact?.name ?? 'Budi', phone: localPhone, total: 150000 });
	const order = pendingOrder(o.sandbox);
	const paidOrder = JSON.stringify(SAMPLE_PAID_ORDER);
	const agentOrder = shippingOrder(o.sandbox) ?? 1245;
	const lines = [
		'',
		green(bold(`✔ n8n ${o.n8nVersion} with the Cekat node (n8n-nodes-cekat ${o.version}) is ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`)),
		'',
		`  ${bold('n8n editor')}     ${editor}`,
		o.ownerOk
			? `  ${bold('log in as')}      ${DEV_OWNER.email}  /  ${DEV_OWNER.password}   ${dim('(local dev account)')}`
			: `  ${bold('log in as')}      your account of this dev instance`,
		`  ${bold('Cekat sandbox')}  ${o.sandboxUrl}   ${dim(`API key ${o.sandbox.apiKey}; credential "${SANDBOX_CREDENTIAL.name}" points here`)}`,
		`                 ${dim(`Cekat Events token ${o.sandbox.eventsToken}; credential "${EVENTS_CREDENTIAL.name}" points here`)}`,
		'',
		`  ${bold('Example workflows')} ${dim('(Overview page in the editor)')}`,
		`   • Order confirmation on WhatsApp ${dim('(published)')}: send it an order:`,
		`       curl -X POST ${editor}/webhook/cekat-order-confirmation -H 'content-type: application/json' -d '${newOrder}'`,
		`   • New lead → CRM item + WhatsApp template ${dim('(published)')}: fill in the form at ${editor}/form/cekat-new-lead`,
		`   • Paid orders → CRM deals won: open it and click ${bold('Execute workflow')}`,
		...(o.modelUrl
			? [
					`   • AI agent with Cekat tools: open it, click ${bold('Open chat')} and ask "What is the status of order ${agentOrder}?" or`,
					`       "Tell the buyer of order ${agentOrder} on WhatsApp". ${dim(`Its chat model is a scripted stand-in (no OPENAI_API_KEY), ${o.modelUrl}`)}`,
				]
			: [`   • AI agent with Cekat tools: open it, click ${bold('Open chat')} and ask about an order ${dim('(OpenAI gpt-4o-mini, your OPENAI_API_KEY)')}`]),
		...(contact
			? [
					`   • Customer asks for a human → AI hand-off ${dim('(published, subscribed in the sandbox)')}: make ${contact.name} ask for one:`,
					`       curl -X POST ${o.sandboxUrl}/__sandbox/webhooks/emit -H 'content-type: application/json' -d '${customerMessageEvent(contact, 'saya mau bicara dengan manusia')}'`,
				]
			: [`   • Customer asks for a human → AI hand-off ${dim('(published, subscribed in the sandbox)')}`]),
		...(order
			? [
					`   • Paid order → WhatsApp thank-you ${dim('(published, subscribed in the sandbox)')}: mark ${order.name}'s order #${order.number} as paid:`,
					`       curl -X PUT ${o.sandboxUrl}/api/orders/${order.id} -H 'api_key: ${o.sandbox.apiKey}' -H 'content-type: application/json' -d '{"payment_status":"paid"}'`,
				]
			: [`   • Paid order → WhatsApp thank-you ${dim('(published, subscribed in the sandbox)')}: runs when an order's payment status changes to paid`]),
		`   • Paid order → Cekat event ${dim('(published)')}: send it a paid order, then list the events the sandbox received:`,
		`       curl -X POST ${editor}/webhook/shop-order-paid -H 'content-type: application/json' -d '${paidOrder}'`,
		`       curl ${o.sandboxUrl}/__sandbox/data/events`,
		...otherExamples().map((name) => `   • ${name}`),
		'',
		`  Requests the sandbox receives are listed below. n8n's log: ${o.logFile}`,
		`  Data: ${o.devFolder} ${dim('(npm run dev -- --reset starts fresh)')}`,
		`  ${bold('Ctrl-C')} stops n8n and the sandbox.`,
		'',
	];
	console.log(lines.join('\n'));
}

/** Examples without a line of their own in the banner: listed by name. */
function otherExamples(): string[] {
	const described = new Set(['CekatExample0001', 'CekatExample0002', 'CekatExample0003', 'CekatExample0004', 'CekatExample0005', 'CekatExample0006', 'CekatExample0007']);
	return exampleFiles()
		.map((file) => JSON.parse(readFileSync(file, 'utf8')) as { id?: string; name?: string })
		.filter((wf) => wf.id && !described.has(wf.id))
		.map((wf) => String(wf.name ?? wf.id).replace(/^Cekat example: /, ''))
		.map((name) => name.charAt(0).toUpperCase() + name.slice(1));
}

function followJournal(sandbox: Sandbox): void {
	let lastSeq = 0;
	setInterval(() => {
		for (const entry of sandbox.journal()) {
			if (entry.seq <= lastSeq) continue;
			lastSeq = entry.seq;
			const what = entry.route === EVENTS_INGEST_ROUTE ? 'events token' : 'API key';
			const key = entry.keyMatched ? '' : entry.auth === 'none' ? ` (no ${what})` : ` (wrong ${what})`;
			console.log(`${dim('[sandbox]')} ${entry.method} ${entry.url} → ${entry.status}${key}`);
		}
	}, 300).unref();
}

main().catch((e: unknown) => {
	console.error(`\nnpm run dev failed: ${e instanceof Error ? e.message : String(e)}`);
	process.exit(1);
});
