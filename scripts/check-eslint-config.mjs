// What `n8n-node lint` checks in strict mode (package.json n8n.strict: true): eslint.config.mjs is n8n's
// default, unchanged. (`n8n-node lint` itself lints the whole repository; `npm run lint` scopes the same
// config to what is published: nodes, credentials and package.json.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const cli = path.resolve(path.dirname(require.resolve('@n8n/node-cli/eslint')), '..', '..');
const normalise = (text) => text.replace(/\s+/g, ' ').trim();
const expected = readFileSync(path.join(cli, 'dist/template/templates/shared/default/eslint.config.mjs'), 'utf8');
const actual = readFileSync(new URL('../eslint.config.mjs', import.meta.url), 'utf8');
if (normalise(expected) !== normalise(actual)) {
	console.error(`Strict mode violation: eslint.config.mjs differs from n8n's default:\n${expected}`);
	process.exit(1);
}
console.log('eslint.config.mjs is n8n\'s default (strict mode)');
