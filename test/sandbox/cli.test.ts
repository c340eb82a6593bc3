/** The CLI (`npm run sandbox` = tsx sandbox/main.ts): env configuration, printed URL, clean stop on SIGTERM. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import axios from 'axios';

const ROOT = path.resolve(__dirname, '../..');

it('starts from env vars, serves, and exits 0 on SIGTERM', async () => {
	const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], {
		cwd: ROOT,
		env: { ...process.env, PORT: '0', CEKAT_SANDBOX_API_KEY: 'cli-key', CEKAT_SANDBOX_SEED: '9', CEKAT_SANDBOX_ORDERS: '25', CEKAT_SANDBOX_ITEMS_PER_BOARD: '3' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout.setEncoding('utf8');
	child.stderr.setEncoding('utf8');
	child.stderr.on('data', (c: string) => (out += c));
	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
		child.stdout.on('data', (c: string) => {
			out += c;
			const m = /listening on (http:\/\/\S+)/.exec(out);
			if (m && /API key/.test(out)) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		});
	});
	try {
		expect(out).toContain('API key (header api_key): cli-key');
		const state = await axios.get(`${url}/__sandbox/state`);
		expect(state.data).toMatchObject({ seed: 9, counts: { orders: 25, crm_items: 6 } });
		const ok = await axios.get(`${url}/api/inboxes?limit=1`, { headers: { api_key: 'cli-key' }, validateStatus: () => true });
		expect(ok.status).toBe(200);
	} finally {
		const code = await new Promise<number | null>((resolve) => {
			child.once('close', (c) => resolve(c)); // 'close': stdout is fully read too
			child.kill('SIGTERM');
		});
		expect(code).toBe(0);
	}
	expect(out).toContain('SIGTERM: stopping sandbox');
});
