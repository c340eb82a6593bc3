/**
 * `npm run screenshot`: pictures of the Cekat node in the real n8n editor, for the README (docs/*.png).
 *
 *  1. builds the package (skip with --no-build)
 *  2. provides Node 24 and n8n 2.41.1 in the cache folder (the same runtime as `npm run dev`)
 *  3. starts the Cekat sandbox and a fresh n8n (temporary data folder, free ports) with the package installed,
 *     the "Cekat sandbox" credential and the "new lead" example, whose form trigger gets a pinned sample
 *     submission so the workflow can run in the editor
 *  4. in headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM_PATH) at 1400×900: logs in, runs the
 *     example with **Execute workflow** (the Cekat nodes call the sandbox), and takes
 *       docs/cekat-node-editor.png   the Send Template node's panel: pickers, input and output of the run
 *       docs/cekat-crm-mapper.png    CRM Item → Create: the board picker and the column mapper with the board's columns
 *       docs/cekat-actions.png       the node panel searched for "Cekat": the node's actions
 *       docs/cekat-handoff.png       the AI hand-off example: Assign Agent's agent picker, loaded from Cekat
 *  5. stops Chromium, n8n and the sandbox and removes the data folder, also on failure or Ctrl-C
 *
 * Options: --no-build, --only=<name>[,<name>] (e.g. --only=actions), --out=<folder> (default docs/),
 * --keep (keep the n8n data folder for inspection).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser, Locator, Page } from 'playwright-core';

import { startSandbox } from '../sandbox';
import { DEV_OWNER, EVENTS_CREDENTIAL, EVENTS_CREDENTIAL_TYPE, N8n, type N8nServer, REPO_DIR, runCommand, SANDBOX_CREDENTIAL } from './lib/n8n';
import { ensureRuntime } from './lib/runtime';

const t0 = Date.now();
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const say = (s: string) => console.log(`[screenshot] ${s}`);
const secs = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

const VIEWPORT = { width: 1400, height: 900 };
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** Chromium flags for this machine's closed network (no background connections, no Google look-ups). */
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const NEW_LEAD_ID = 'CekatExample0003';
const PAID_ORDERS_ID = 'CekatExample0002';
const HANDOFF_ID = 'CekatExample0006';
const EVENT_ID = 'CekatExample0007';
/** The sandbox's clock: 2026-05-04 10:15 in Jakarta. */
const SANDBOX_CLOCK = Date.parse('2026-05-04T03:15:00.000Z');
/** A sample submission of the example's form, pinned on its trigger so Execute workflow runs without the form. */
const LEAD_SUBMISSION = {
	Name: 'Dewi Lestari',
	'WhatsApp number': '0812 7788 9900',
	'What are you looking for?': 'Kopi arabika 1 kg untuk kafe',
	submittedAt: '2026-05-04T10:15:00.000+07:00',
	formMode: 'test',
};

interface Shot {
	name: string;
	file: string;
	what: string;
	take: (page: Page) => Promise<void>;
}

const SHOTS: Shot[] = [
	{ name: 'node', file: 'cekat-node-editor.png', what: 'Send Template node panel after a run', take: shotNodePanel },
	{ name: 'mapper', file: 'cekat-crm-mapper.png', what: 'CRM Item → Create column mapper', take: shotCrmMapper },
	{ name: 'actions', file: 'cekat-actions.png', what: 'the node panel searched for "Cekat": its actions', take: shotActions },
	{ name: 'search', file: 'cekat-crm-search.png', what: 'CRM Item → Search: a rule’s labels listed by name (sent as label ids)', take: shotCrmSearch },
	{ name: 'handoff', file: 'cekat-handoff.png', what: 'the AI hand-off example: Conversation → Assign Agent with its agent picker open', take: shotHandoff },
	{ name: 'event-action', file: 'cekat-event-action.png', what: 'Event → Track added from the node panel: it asks for the Cekat Events credential', take: shotEventAction },
	{ name: 'event', file: 'cekat-event.png', what: 'the paid-order event example: Event → Track with the Cekat Events credential', take: shotEvent },
];

/** Everything started here, stopped in reverse order by cleanup(). */
const started: Array<{ what: string; stop: () => Promise<unknown> }> = [];
let cleaning: Promise<void> | undefined;
/** The browser page, for a picture of what it showed when a step failed. */
let currentPage: Page | undefined;

function cleanup(): Promise<void> {
	cleaning ??= (async () => {
		for (const { what, stop } of started.reverse()) {
			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<void>((resolve) => (timer = setTimeout(() => (say(`${what} did not stop within 25 s`), resolve()), 25_000)));
			await Promise.race([stop(), timeout]).catch((e: Error) => say(`stopping ${what}: ${e.message}`));
			clearTimeout(timer);
		}
	})();
	return cleaning;
}

async function main(): Promise<void> {
	if (flag('help') || flag('h')) {
		console.log('npm run screenshot [-- --no-build] [-- --only=node,mapper,actions] [-- --out=<folder>] [-- --keep]\n  env: CHROMIUM_PATH (/usr/bin/chromium), CEKAT_N8N_CACHE');
		process.exit(0);
	}
	const only = option('only')?.split(',');
	const shots = only ? SHOTS.filter((s) => only.includes(s.name)) : SHOTS;
	if (!shots.length) throw new Error(`--only: none of ${only?.join(', ')}; choose from ${SHOTS.map((s) => s.name).join(', ')}`);
	const outDir = path.resolve(REPO_DIR, option('out') ?? 'docs');
	if (!existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} not found. Install Debian's Chromium (apt-get install -y chromium) or set CHROMIUM_PATH.`);
	}

	if (!flag('no-build')) {
		say('Building the package (npm run build) …');
		await runCommand('npm', ['run', 'build', '--silent'], { cwd: REPO_DIR });
	}
	if (!existsSync(path.join(REPO_DIR, 'dist', 'nodes', 'Cekat', 'Cekat.node.js'))) throw new Error('dist/ is missing: run npm run build');

	const runtime = await ensureRuntime();

	const userFolder = mkdtempSync(path.join(tmpdir(), 'cekat-screenshot-'));
	started.push({
		what: 'the data folder',
		stop: async () => (flag('keep') ? say(`kept ${userFolder}`) : rmSync(userFolder, { recursive: true, force: true })),
	});

	// a fixed clock: the records the run creates carry the same timestamps every time, so the pictures only
	// change when the editor or the node does
	const sandbox = await startSandbox({ port: 0, host: '127.0.0.1', now: () => SANDBOX_CLOCK });
	started.push({ what: 'the sandbox', stop: () => sandbox.close() });
	const sandboxUrl = `http://localhost:${sandbox.port}`;

	const n8n = await N8n.create({
		runtime,
		userFolder,
		logLevel: 'info', // N8n.start waits for the info line "Editor is now accessible"
		env: { N8N_HOST: 'localhost', GENERIC_TIMEZONE: 'Asia/Jakarta' },
	});
	const t1 = Date.now();
	await n8n.installPackage();
	await n8n.importCredentials([
		{ ...SANDBOX_CREDENTIAL, type: 'cekatApi', data: { apiKey: sandbox.apiKey, baseUrl: sandboxUrl, serverUrl: sandboxUrl } },
		{ ...EVENTS_CREDENTIAL, type: EVENTS_CREDENTIAL_TYPE, data: { accessToken: sandbox.eventsToken, baseUrl: sandboxUrl } },
	]);
	await n8n.importWorkflows([
		newLeadWithSample(userFolder),
		...['paid-orders-to-crm.json', 'ai-handoff.json', 'order-paid-event.json'].map((file) => path.join(REPO_DIR, 'examples', file)),
	]);
	say(`n8n ${runtime.n8nVersion}: package, credential and example imported (${secs(t1)}); starting …`);
	const server = await n8n.start({ logFile: path.join(userFolder, 'n8n.log') });
	started.push({ what: 'n8n', stop: () => server.stop() });
	await server.setupOwnerAndLogin(DEV_OWNER);
	say(`n8n is up at ${server.url} (${secs(t0)} since start)`);

	const { chromium } = await import('playwright-core');
	// Playwright's own signal handlers would exit at once on Ctrl-C, before n8n and the sandbox are stopped.
	const browser: Browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
		handleSIGINT: false,
		handleSIGTERM: false,
		handleSIGHUP: false,
	});
	started.push({ what: 'Chromium', stop: () => browser.close() });
	const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'Asia/Jakarta' });
	// Only n8n itself: whatever the editor would fetch from the internet is refused at once (it is optional).
	const blocked = new Set<string>();
	await context.route(
		(url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
		(route) => {
			blocked.add(new URL(route.request().url()).host);
			return route.abort('blockedbyclient');
		},
	);
	const page = await context.newPage();
	currentPage = page;
	const problems = watchPage(page);

	await logIn(page, server);
	mkdirSync(outDir, { recursive: true });
	for (const shot of shots) {
		const ts = Date.now();
		await shot.take(page);
		const file = path.join(outDir, shot.file);
		await page.screenshot({ path: file });
		say(`${path.relative(REPO_DIR, file)}: ${shot.what} (${Math.round(statSync(file).size / 1024)} KB, ${secs(ts)})`);
	}
	if (problems.length) say(`the editor reported:\n  ${[...new Set(problems)].join('\n  ')}`);
	if (blocked.size) say(`requests not to n8n, refused: ${[...blocked].join(', ')}`);
	const refused = sandbox.journal().filter((entry) => entry.status >= 400);
	if (refused.length) say(`the sandbox answered errors:\n  ${refused.map((e) => `${e.method} ${e.url} → ${e.status}`).join('\n  ')}`);
	say(`the sandbox served ${sandbox.journal().length} requests of the Cekat node`);
}

/** The "new lead" example with a pinned form submission (n8n uses pinned trigger data for Execute workflow). */
function newLeadWithSample(folder: string): string {
	const workflow = JSON.parse(readFileSync(path.join(REPO_DIR, 'examples', 'new-lead.json'), 'utf8'));
	const trigger = workflow.nodes.find((n: { type: string }) => n.type === 'n8n-nodes-base.formTrigger');
	if (!trigger) throw new Error('examples/new-lead.json has no form trigger');
	workflow.pinData = { [trigger.name]: [{ json: LEAD_SUBMISSION }] };
	workflow.active = false;
	const file = path.join(folder, 'new-lead.json');
	writeFileSync(file, JSON.stringify(workflow));
	return file;
}

/** Collects what the editor complains about (failed requests, console errors) for the summary. */
function watchPage(page: Page): string[] {
	const problems: string[] = [];
	page.on('console', (m) => {
		// failed requests are listed by URL below
		if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) problems.push(`console: ${m.text().slice(0, 200)}`);
	});
	page.on('response', (r) => {
		// 401: the sign-in page's check before logging in
		if (r.status() < 400 || r.status() === 401) return;
		const route = new URL(r.url()).pathname;
		// the editor asks for an output-schema preview of each node; packages outside n8n ship none
		const note = route.startsWith('/schemas/') ? ' (n8n\'s schema preview, none shipped: harmless)' : '';
		problems.push(`HTTP ${r.status()} ${route}${note}`);
	});
	page.on('pageerror', (e) => problems.push(`page error: ${e.message.slice(0, 200)}`));
	return problems;
}

async function logIn(page: Page, server: N8nServer): Promise<void> {
	await page.goto(`${server.url}/signin`);
	await page.fill('input[name=emailOrLdapLoginId]', DEV_OWNER.email);
	await page.fill('input[name=password]', DEV_OWNER.password);
	await page.click('[data-test-id=form-submit-button]');
	await page.waitForURL((u) => !u.pathname.includes('signin'), { timeout: 30_000 });
}

const baseUrl = (page: Page) => new URL(page.url()).origin;

/** Opens a workflow on the canvas and closes the "Production Checklist" popover. */
async function openWorkflow(page: Page, id: string): Promise<void> {
	await page.goto(`${baseUrl(page)}/workflow/${id}`);
	await page.locator('[data-test-id=canvas-node]').first().waitFor({ timeout: 30_000 });
	await dismissPopovers(page);
}

async function dismissPopovers(page: Page): Promise<void> {
	const close = page.locator('[data-test-id=suggested-actions-close]');
	if (await close.isVisible().catch(() => false)) await close.click();
}

const canvasNode = (page: Page, name: string) => page.locator(`[data-test-id=canvas-node][data-node-name="${name}"]`);

let workflowRun = false;
/** Opens the new-lead example and runs it (Execute workflow) on the first call; later calls keep the page and its run. */
async function openNewLead(page: Page): Promise<void> {
	if (workflowRun) {
		await closeNdv(page);
		return;
	}
	await openWorkflow(page, NEW_LEAD_ID);
	await page.click('[data-test-id=execute-workflow-button]');
	await canvasNode(page, 'Send welcome template').locator('[data-test-id=canvas-node-status-success]').waitFor({ timeout: 60_000 });
	workflowRun = true;
	await closeToasts(page);
}

async function closeNdv(page: Page): Promise<void> {
	const ndv = page.locator('[data-test-id=ndv]');
	if (await ndv.isVisible().catch(() => false)) {
		await page.keyboard.press('Escape');
		await ndv.waitFor({ state: 'hidden', timeout: 10_000 });
	}
}

/** Closes n8n's notifications ("Workflow executed successfully"), which would cover the panel. */
async function closeToasts(page: Page): Promise<void> {
	const buttons = page.locator('.el-notification .el-notification__closeBtn');
	for (const button of await buttons.all()) await button.click().catch(() => undefined);
	await page.locator('.el-notification').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
}

/** Opens a node's panel (NDV) and waits until its parameters, pickers and mapper have loaded. */
async function openNode(page: Page, name: string): Promise<Locator> {
	await canvasNode(page, name).dblclick();
	const ndv = page.locator('[data-test-id=ndv]');
	await ndv.waitFor({ timeout: 15_000 });
	await page.waitForLoadState('networkidle');
	await closeToasts(page);
	return ndv;
}

/** Switches the output panel to the Schema view (one field per line: readable in a narrow panel). */
async function outputAsSchema(ndv: Locator): Promise<void> {
	const mode = ndv.locator('[data-test-id=output-panel] [data-test-id=ndv-run-data-display-mode]');
	if (await mode.isVisible().catch(() => false)) await mode.getByText('Schema', { exact: true }).click();
}

/** Fails when the panel shows a parameter error (a picker or the mapper that could not load). */
async function expectNoParameterIssues(ndv: Locator, what: string): Promise<void> {
	const issues = ndv.locator('[data-test-id=parameter-input-issues-container], .el-alert--error, [data-test-id=empty-fields-notice]');
	if (await issues.count()) {
		throw new Error(`${what}: the panel shows a problem: ${(await issues.allTextContents()).join(' | ').slice(0, 500)}`);
	}
}

async function shotNodePanel(page: Page): Promise<void> {
	await openNewLead(page);
	const ndv = await openNode(page, 'Send welcome template');
	await outputAsSchema(ndv);
	await expectNoParameterIssues(ndv, 'Send welcome template');
	for (const label of ['Resource', 'Operation', 'Inbox', 'Template']) await ndv.getByText(label, { exact: true }).first().waitFor();
	await ndv.locator('[data-test-id=output-panel]').getByText('message_id').first().waitFor();
	// both pickers' lists load from Cekat (the sandbox); closed again for the picture
	for (const picker of ['inboxId', 'templateId']) {
		await openPicker(page, ndv, picker);
		await closePicker(page, ndv);
	}
	// no focus or hover left on a parameter (it would show its Fixed/Expression switch)
	await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
	await page.mouse.move(0, VIEWPORT.height - 1);
	await page.waitForTimeout(300);
}

/** Opens a "From list" picker and waits for its items (fails on the picker's error message). */
async function openPicker(page: Page, ndv: Locator, parameter: string): Promise<void> {
	await ndv.locator(`[data-test-id="resource-locator-${parameter}"] [data-test-id=rlc-input]`).click();
	const item = page.locator('[data-test-id=rlc-item]');
	const error = page.locator('[data-test-id=rlc-error-container]');
	await Promise.race([item.first().waitFor({ timeout: 15_000 }), error.first().waitFor({ timeout: 15_000 })]);
	if (await error.first().isVisible().catch(() => false)) throw new Error(`the ${parameter} picker failed: ${await error.first().innerText()}`);
}

async function closePicker(page: Page, ndv: Locator): Promise<void> {
	// a click on the panel's (already active) Parameters tab; Escape would close the whole panel
	await ndv.getByText('Parameters', { exact: true }).first().click();
	await page.locator('[data-test-id=rlc-item]').first().waitFor({ state: 'hidden', timeout: 5_000 });
}

async function shotCrmMapper(page: Page): Promise<void> {
	await openNewLead(page);
	const ndv = await openNode(page, 'Create lead in CRM');
	await outputAsSchema(ndv);
	const mapper = ndv.locator('[data-test-id=resource-mapper-container]');
	await mapper.waitFor();
	await expectNoParameterIssues(ndv, 'Create lead in CRM');
	// Board at the top of the parameters, so the picker, the mapper and its "Add column to send" button all show
	await ndv.locator('[data-test-id="boardId-parameter-input-options-container"]').evaluate((e) => e.scrollIntoView({ block: 'start' }));
	// the board's other columns, offered by "Add column to send"
	await mapper.locator('[data-test-id=add-fields-select]').click();
	await page.getByRole('menuitem', { name: 'Deal Value' }).waitFor({ timeout: 10_000 });
	await page.waitForTimeout(300);
}

/** The paid-orders example's Search: the Stage rule's "Label Names or IDs" lists the board's labels by name. */
async function shotCrmSearch(page: Page): Promise<void> {
	await closeNdv(page);
	await openWorkflow(page, PAID_ORDERS_ID);
	const ndv = await openNode(page, "Find the customer's deal");
	await expectNoParameterIssues(ndv, "Find the customer's deal");
	const labels = ndv.locator('[data-test-id="parameter-input-labels"]').last();
	await labels.scrollIntoViewIfNeeded();
	// the stored label id "3" is shown by its name
	await labels.getByText('Won', { exact: true }).waitFor({ timeout: 15_000 });
	await labels.click();
	for (const name of ['New Lead', 'Contacted', 'Proposal Sent', 'Lost']) {
		await page.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^${name}$`) }).first().waitFor({ timeout: 15_000 });
	}
	await page.waitForTimeout(300);
}

/**
 * The AI hand-off example: each Cekat action opens without a parameter problem (its pickers show the saved
 * agent and label by name), then Assign Agent's agent picker lists the workspace's agents, loaded from Cekat.
 */
async function shotHandoff(page: Page): Promise<void> {
	await closeNdv(page);
	await openWorkflow(page, HANDOFF_ID);
	for (const name of ['Block AI', 'Add label Follow Up', 'Tell the customer', 'Assign agent']) {
		const ndv = await openNode(page, name);
		await expectNoParameterIssues(ndv, name);
		if (name !== 'Assign agent') await closeNdv(page);
	}
	const ndv = page.locator('[data-test-id=ndv]');
	// the saved agent shows by name (the locator's cached name) before the list is opened
	const saved = await ndv.locator('[data-test-id="resource-locator-agentId"] input').last().inputValue();
	if (saved !== 'Fajar Pratama') throw new Error(`Assign agent: the Agent picker shows "${saved}", not "Fajar Pratama"`);
	await openPicker(page, ndv, 'agentId');
	await page.waitForTimeout(300);
}

/** Event → Track in the real editor: no parameter problem, and the Cekat Events credential (not Cekat API) is the one asked for. */
async function shotEvent(page: Page): Promise<void> {
	await closeNdv(page);
	await openWorkflow(page, EVENT_ID);
	const ndv = await openNode(page, 'Track order paid');
	await expectNoParameterIssues(ndv, 'Track order paid');
	const credential = await ndv.locator('[data-test-id=node-credentials-select] input').first().inputValue();
	if (credential !== EVENTS_CREDENTIAL.name) throw new Error(`Track order paid: the credential shows "${credential}", not "${EVENTS_CREDENTIAL.name}"`);
	await page.waitForTimeout(300);
}

/** A user adds "Track an event" from the node panel: the new node's credential is the Cekat Events one (picked by the hidden authentication parameter). */
async function shotEventAction(page: Page): Promise<void> {
	await closeNdv(page);
	await openWorkflow(page, EVENT_ID);
	await page.click('[data-test-id=node-creator-plus-button]');
	await page.locator('input[data-test-id=node-creator-search-bar]').fill('Cekat');
	await page.locator('[data-test-id=node-creator-item-name]', { hasText: /^Cekat$/ }).first().click();
	await page.getByText(/^Actions \(\d+\)$/).waitFor({ timeout: 10_000 });
	const action = page.locator('[data-test-id=node-creator]').getByText(/^Track an event$/).first();
	await action.scrollIntoViewIfNeeded();
	await action.click();
	const ndv = page.locator('[data-test-id=ndv]');
	await ndv.waitFor({ timeout: 10_000 });
	const credential = await ndv.locator('[data-test-id=node-credentials-select] input').first().inputValue();
	if (credential !== EVENTS_CREDENTIAL.name) throw new Error(`Track an event (new node): the credential shows "${credential}", not "${EVENTS_CREDENTIAL.name}"`);
	await page.waitForTimeout(300);
}

async function shotActions(page: Page): Promise<void> {
	await closeNdv(page);
	if (!page.url().includes(`/workflow/${NEW_LEAD_ID}`)) await openWorkflow(page, NEW_LEAD_ID);
	// move the workflow left, out from under the node panel (the canvas pans on scroll)
	await page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height - 150);
	await page.mouse.wheel(300, 0);
	await page.click('[data-test-id=node-creator-plus-button]');
	const search = page.locator('input[data-test-id=node-creator-search-bar]');
	await search.fill('Cekat');
	const item = page.locator('[data-test-id=node-creator-item-name]', { hasText: /^Cekat$/ });
	await item.first().click();
	await page.getByText(/^Actions \(\d+\)$/).waitFor({ timeout: 10_000 });
	// The list is alphabetical by resource (agents first): scroll to the CRM item, message and order actions.
	// The panel selects its first action once it has rendered, which scrolls it back: scroll until it stays.
	await page.mouse.move(0, VIEWPORT.height - 1);
	const heading = page.locator('[data-test-id=node-creator]').getByText(/^CRM item actions$/i);
	for (let attempt = 0; ; attempt++) {
		await heading.evaluate((e) => e.scrollIntoView({ block: 'start' }));
		await page.waitForTimeout(500);
		const box = await heading.boundingBox();
		if (box && box.y < 300) break;
		if (attempt >= 10) throw new Error('the node panel does not stay scrolled to the CRM item actions');
	}
}

let interrupts = 0;
const onSignal = (signal: NodeJS.Signals) => {
	if (++interrupts > 1) process.exit(130);
	say(`${signal}: stopping …`);
	void cleanup().then(() => process.exit(130));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', onSignal);

main()
	.then(async () => {
		await cleanup();
		say(`done in ${secs(t0)}`);
	})
	.catch(async (e: unknown) => {
		if (interrupts) return; // the signal handler stops everything and exits
		console.error(`\nnpm run screenshot failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
		if (currentPage) {
			const file = path.join(tmpdir(), 'cekat-screenshot-failure.png');
			await currentPage.screenshot({ path: file, timeout: 10_000 }).then(() => console.error(`What the browser showed: ${file}`), () => undefined);
		}
		await cleanup();
		process.exit(1);
	});
