/** Once per `jest` run, after every suite: removes the run's temp folder (see test/global-setup.ts). */
import { rmSync } from 'node:fs';

import { TEMP_VARIABLES } from './global-setup';

export default function globalTeardown(): void {
	const root = process.env.CEKAT_TEST_TEMP_ROOT;
	for (const name of TEMP_VARIABLES) {
		const saved = process.env[`CEKAT_TEST_SAVED_${name}`];
		if (saved) process.env[name] = saved;
		else delete process.env[name];
		delete process.env[`CEKAT_TEST_SAVED_${name}`];
	}
	delete process.env.CEKAT_TEST_TEMP_ROOT;
	if (root) rmSync(root, { recursive: true, force: true, maxRetries: 3 });
}
