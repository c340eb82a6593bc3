/**
 * Once per `jest` run, before any worker starts: one temp folder for the whole run, made the temp
 * directory of every worker and child process (TMPDIR / TMP / TEMP, which os.tmpdir() reads), so that
 * whatever the suites create there (the n8n user folders of test/engine/harness.ts, n8n-core's and the
 * sandbox CLI's temp files) goes with it in test/global-teardown.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const TEMP_VARIABLES = ['TMPDIR', 'TMP', 'TEMP'] as const;

export default function globalSetup(): void {
	const root = mkdtempSync(path.join(tmpdir(), 'n8n-cekat-test-'));
	process.env.CEKAT_TEST_TEMP_ROOT = root;
	for (const name of TEMP_VARIABLES) {
		process.env[`CEKAT_TEST_SAVED_${name}`] = process.env[name] ?? '';
		process.env[name] = root;
	}
	// n8n's logger stays quiet in the engine runs (the suites assert the errors it would print)
	process.env.N8N_LOG_LEVEL ??= 'silent';
}
