import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BENCH_KEY, control, REPO, startSandboxProcess } from './lib';
import { findRuntime } from '../scripts/lib/runtime';
async function main() {
	const sandbox = await startSandboxProcess();
	const conversations = await control(sandbox.url, 'GET', '/__sandbox/data/conversations');
	const inboxes = await control(sandbox.url, 'GET', '/__sandbox/data/inboxes');
	const messages = await control(sandbox.url, 'GET', '/__sandbox/data/messages');
	const templates = await control(sandbox.url, 'GET', '/__sandbox/data/templates');
	const lastContact = new Map<string, number>();
	for (const m of messages) if (m.sent_by_type === 'contact') lastContact.set(m.conversation_id, Math.max(lastContact.get(m.conversation_id) ?? 0, Date.parse(m.created_at)));
	const whatsapp = new Set(inboxes.filter((i: any) => i.type === 'whatsapp').map((i: any) => i.id));
	const open = conversations.find((c: any) => whatsapp.has(c.inbox_id) && Date.now() - (lastContact.get(c.id) ?? 0) < 20 * 3600_000)!;
	const template = templates.find((t: any) => t.status === 'APPROVED' && whatsapp.has(t.inbox_id) && new Set(t.body.match(/\{\{\s*\d+\s*\}\}/g) ?? []).size === 1)!;
	const targets: any = { whatsapp: { conversationId: open.id }, template: { inboxId: template.inbox_id, templateId: template.wa_template_id } };
	const [variant, op] = process.argv.slice(2);
	const runtime = findRuntime();
	const r = spawnSync('node', ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', '--import', 'tsx', path.join(REPO, 'bench/workers/send.ts'), variant, sandbox.url, BENCH_KEY, '2000', op, JSON.stringify(targets[op])], { cwd: REPO, encoding: 'utf8', env: { ...process.env, N8N_LOG_LEVEL: 'silent', N8N_NODES_BASE: path.join(runtime!.n8nDir, 'node_modules', 'n8n-nodes-base') } });
	console.log(r.stdout, r.stderr.slice(0, 2000));
	await sandbox.stop();
}
void main();
