/**
 * `npm run dev` (scripts/dev.ts) as a newcomer runs it: it must print what to open, serve n8n with the Cekat
 * node and the sandbox, stop everything on Ctrl-C (SIGINT), and start again quickly reusing its data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { DEV_OWNER, DEV_PUBLISHED_EXAMPLES, exampleFiles, freePort, N8nClient, OPENAI_CREDENTIAL, portIsFree, REPO_DIR, SANDBOX_CREDENTIAL } from '../../scripts/lib/n8n';
import { requireRuntime, sendEditorChat } from './helpers';

interface DevRun {
	child: ChildProcess;
	output: () => string;
	exit: Promise<number | null>;
}

function startDev(env: NodeJS.ProcessEnv): DevRun {
	const tsx = path.join(REPO_DIR, 'node_modules', 'tsx', 'dist', 'cli.mjs');
	const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, NO_COLOR: '1' };
	delete childEnv.NODE_ENV;
	const child = spawn(process.execPath, [tsx, 'scripts/dev.ts', '--no-build'], { cwd: REPO_DIR, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
	const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, output: () => out, exit };
}

async function waitFor(run: DevRun, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const match = run.output().match(pattern);
		if (match) return match;
		if (run.child.exitCode !== null) break;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`npm run dev: no ${pattern} after ${timeoutMs} ms (exit ${run.child.exitCode}):\n${run.output()}`);
}

async function stopDev(run: DevRun): Promise<number | null> {
	run.child.kill('SIGINT');
	const timer = setTimeout(() => run.child.kill('SIGKILL'), 30_000);
	const code = await run.exit;
	clearTimeout(timer);
	return code;
}

/** The URLs the Cekat Trigger examples that dev publishes register (their webhook paths). */
const triggerUrls = () => DEV_PUBLISHED_EXAMPLES.filter((p) => 'registers' in p).map((p) => p.url).sort();

describe('npm run dev', () => {
	const folder = mkdtempSync(path.join(tmpdir(), 'cekat-dev-e2e-'));
	let n8nPort: number;
	let sandboxPort: number;
	let modelPort: number;
	let env: NodeJS.ProcessEnv;
	const runs: DevRun[] = [];

	beforeAll(async () => {
		requireRuntime();
		n8nPort = await freePort();
		sandboxPort = await freePort();
		modelPort = await freePort();
		// no OPENAI_API_KEY: the AI-agent example's chat model is the scripted stand-in
		env = { CEKAT_DEV_FOLDER: folder, N8N_PORT: String(n8nPort), CEKAT_SANDBOX_PORT: String(sandboxPort), CEKAT_MODEL_PORT: String(modelPort), OPENAI_API_KEY: '' };
	});
	/** The paths of the URLs subscribed in the dev sandbox. */
	const subscribedUrls = async () => {
		const res = await fetch(`http://127.0.0.1:${sandboxPort}/__sandbox/webhooks/subscriptions`);
		const { subscriptions } = (await res.json()) as { subscriptions: Array<{ url: string }> };
		return subscriptions.map((s) => new URL(s.url).pathname).sort();
	};
	afterAll(async () => {
		for (const run of runs) if (run.child.exitCode === null) await stopDev(run);
		rmSync(folder, { recursive: true, force: true });
	});

	it('first start: prints the editor, login, sandbox and examples; they work; Ctrl-C stops n8n and the sandbox', async () => {
		const run = startDev(env);
		runs.push(run);
		try {
			await firstStart(run);
		} finally {
			if (run.child.exitCode === null) await stopDev(run);
		}
	});

	async function firstStart(run: DevRun): Promise<void> {
		const [, seconds] = await waitFor(run, /is ready in ([\d.]+) s/, 150_000);
		console.log(`npm run dev (first start, runtime cached): ready in ${seconds} s`);
		const out = run.output();
		// the n8n line CEKAT_N8N_LINE picks (2.41.1 by default, 1.123.81 with CEKAT_N8N_LINE=1)
		expect(out).toContain(`✔ n8n ${requireRuntime().n8nVersion} with the Cekat node`);
		expect(out).toContain(`http://localhost:${n8nPort}`);
		expect(out).toContain(`${DEV_OWNER.email}  /  ${DEV_OWNER.password}`);
		expect(out).toContain(`http://localhost:${sandboxPort}`);
		const exampleIds = exampleFiles().map((f) => (JSON.parse(readFileSync(f, 'utf8')) as { id: string }).id).sort();
		expect(out).toContain(`Importing ${exampleIds.length} example workflow`);

		// log in with the printed account; the examples and the credential are there, and the credential works
		const client = new N8nClient(`http://127.0.0.1:${n8nPort}`);
		expect(await client.setupOwnerAndLogin(DEV_OWNER)).toBe('existing');
		const workflows = await client.rest<Array<{ id: string; name: string; active: boolean }>>('GET', '/workflows');
		const examples = (workflows.body.data ?? []).filter((w) => w.id.startsWith('CekatExample')).sort((a, b) => a.id.localeCompare(b.id));
		expect(examples.map((w) => [w.id, w.active])).toEqual(exampleIds.map((id) => [id, DEV_PUBLISHED_EXAMPLES.some((p) => p.id === id)]));
		expect(await client.testCredential(SANDBOX_CREDENTIAL.id)).toEqual(expect.objectContaining({ status: 'OK' }));

		// the printed curl command works as printed, and the sandbox request shows up in the output
		const [, url, body] = out.match(/curl -X POST (\S+) -H 'content-type: application\/json' -d '(.+)'/)!;
		const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		expect(res.status).toBe(200);
		const order = JSON.parse(body) as { order_number: string };
		expect(((await res.json()) as { message: string }).message).toContain(order.order_number);
		await waitFor(run, /\[sandbox\] POST \/messages\/whatsapp → 200/, 5_000);

		// the published Cekat Trigger examples registered their URLs in the dev sandbox
		expect(await subscribedUrls()).toEqual(triggerUrls());
		// the printed hand-off command: the sandbox sends the customer's message, the example hands the conversation over
		const [, emitUrl, emitBody] = out.match(/curl -X POST (\S+\/__sandbox\/webhooks\/emit) -H 'content-type: application\/json' -d '(.+)'/)!;
		expect(JSON.parse(emitBody)).toEqual(expect.objectContaining({ event: 'message.received', data: expect.objectContaining({ message: 'saya mau bicara dengan manusia', sent_by_type: 'user' }) }));
		expect((await fetch(emitUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: emitBody })).status).toBe(200);
		for (const step of ['block-ai', 'assign-agent', 'labels']) await waitFor(run, new RegExp(`\\[sandbox\\] POST /business_workflows/${step} → 200`), 15_000);
		await waitFor(run, /\[sandbox\] POST \/messages\/whatsapp → 200[\s\S]*\[sandbox\] POST \/messages\/whatsapp → 200/, 10_000);

		// the printed paid-order event command: the example tracks the order in the sandbox's event ingest, once per order id
		const [, shopUrl, shopBody] = out.match(/curl -X POST (\S+\/webhook\/shop-order-paid) -H 'content-type: application\/json' -d '(.+)'/)!;
		for (let i = 0; i < 2; i++) expect((await fetch(shopUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: shopBody })).status).toBe(200);
		const [, eventsUrl] = out.match(/curl (\S+\/__sandbox\/data\/events)/)!;
		const events = (await (await fetch(eventsUrl)).json()) as Array<{ event_key: string; event_id: string }>;
		expect(events.map((e) => [e.event_key, e.event_id])).toEqual([['order_paid', (JSON.parse(shopBody) as { order_id: string }).order_id]]);

		// the AI-agent example with the scripted stand-in model: the printed question, sent as the editor's chat sends it
		expect(out).toContain(`Its chat model is a scripted stand-in (no OPENAI_API_KEY), http://localhost:${modelPort}/v1`);
		expect(await client.testCredential(OPENAI_CREDENTIAL.id)).toEqual(expect.objectContaining({ status: 'OK' }));
		const [, question, orderNumber] = out.match(/ask "(What is the status of order (\d+)\?)"/)!;
		const chat = await sendEditorChat(client, 'CekatExample0004', 'When chat message received', 'dev-e2e', question);
		expect(chat.status).toBe(200);
		expect((chat.reply as { output: string }).output).toMatch(new RegExp(`^Order #${orderNumber} \\(.+\\): shipping, payment \\w+, total Rp [\\d.]+\\.$`));
		await waitFor(run, new RegExp(`\\[sandbox\\] GET /api/orders\\?search=${orderNumber}&page=1&limit=5 → 200`), 5_000);
		await waitFor(run, /\[model\] POST \/v1\/chat\/completions → 200[\s\S]*\[model\] POST \/v1\/chat\/completions → 200/, 5_000);

		// the form page of the published lead example
		const form = await fetch(`http://127.0.0.1:${n8nPort}/form/cekat-new-lead`);
		expect(form.status).toBe(200);

		expect(await stopDev(run)).toBe(0);
		expect(await portIsFree(n8nPort)).toBe(true);
		expect(await portIsFree(sandboxPort)).toBe(true);
		expect(await portIsFree(modelPort)).toBe(true);
	}

	it('second start reuses the data: no import, the same login, ready faster', async () => {
		const run = startDev(env);
		runs.push(run);
		const [, seconds] = await waitFor(run, /is ready in ([\d.]+) s/, 120_000);
		console.log(`npm run dev (second start): ready in ${seconds} s`);
		expect(run.output()).not.toMatch(/Importing/);
		const client = new N8nClient(`http://127.0.0.1:${n8nPort}`);
		expect(await client.setupOwnerAndLogin(DEV_OWNER)).toBe('existing');
		// a new sandbox, which keeps no subscription: dev publishes the Cekat Trigger examples again, so they register in it
		expect(await subscribedUrls()).toEqual(triggerUrls());
		expect(await stopDev(run)).toBe(0);
		expect(await portIsFree(n8nPort)).toBe(true);
	});
});
