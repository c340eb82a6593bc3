/**
 * `npm run check:package`: what n8n's verification looks at, offline.
 * 1. The packed tarball holds only the built package, README, LICENSE and CHANGELOG: no tests, sandbox or sources.
 * 2. Its package.json has no runtime dependencies, only the n8n-workflow peer dependency.
 * 3. @n8n/scan-community-package's lint passes on the tarball (compiled .js + package.json) and on the sources
 *    (the same two legs its CLI runs after downloading a package from npm).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..');
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^dist\/(nodes|credentials|icons)\//];
const FORBIDDEN = [/\.test\./, /(^|\/)sandbox\//, /(^|\/)test\//, /(?<!\.d)\.ts$/];

async function main() {
	const problems: string[] = [];
	const work = mkdtempSync(path.join(tmpdir(), 'cekat-pack-'));
	try {
		const [packed] = JSON.parse(
			execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
		) as Array<{ filename: string; files: Array<{ path: string }>; size: number; unpackedSize: number }>;
		const files = packed.files.map((f) => f.path);
		for (const file of files) {
			if (!ALLOWED.some((re) => re.test(file))) problems.push(`unexpected file in the tarball: ${file}`);
			if (FORBIDDEN.some((re) => re.test(file))) problems.push(`test, sandbox or source file in the tarball: ${file}`);
		}
		for (const required of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/nodes/Cekat/Cekat.node.js', 'dist/credentials/CekatApi.credentials.js']) {
			if (!files.includes(required)) problems.push(`missing from the tarball: ${required}`);
		}

		// The README ships in the tarball and is the package page: details live in docs/ (issue 15: at most 15 kB).
		const readme = statSync(path.join(REPO, 'README.md')).size;
		if (readme > 15_000) problems.push(`README.md is ${readme} bytes; keep it at most 15,000 and move details to docs/`);

		const unpacked = path.join(work, 'package');
		execFileSync('tar', ['-xzf', path.join(work, path.basename(packed.filename)), '-C', work]);
		const manifest = JSON.parse(readFileSync(path.join(unpacked, 'package.json'), 'utf8')) as Record<string, unknown>;
		if (manifest.dependencies && Object.keys(manifest.dependencies).length) problems.push(`runtime dependencies: ${Object.keys(manifest.dependencies).join(', ')}`);
		if (JSON.stringify(manifest.peerDependencies) !== JSON.stringify({ 'n8n-workflow': '*' })) problems.push(`peerDependencies must be { "n8n-workflow": "*" }, got ${JSON.stringify(manifest.peerDependencies)}`);

		// The scanner's own lint, on the tarball leg and the source leg.
		const scanner = (await import('@n8n/scan-community-package/scanner/scanner.mjs')) as {
			analyzePackage(dir: string, patterns?: string[]): Promise<{ passed: boolean; message?: string; details?: string }>;
			SOURCE_FILE_PATTERNS: string[];
		};
		// The scanner must be able to fail: a planted violation in a copy of the package has to be caught.
		const planted = path.join(work, 'planted');
		execFileSync('cp', ['-r', unpacked, planted]);
		execFileSync('sh', ['-c', `echo 'module.exports = () => { console.log(process.env.HOME); };' > ${JSON.stringify(path.join(planted, 'dist/nodes/Cekat/planted.js'))}`]);
		if ((await scanner.analyzePackage(planted, ['**/*.js', 'package.json'])).passed) problems.push('the scanner did not flag a planted violation: the check cannot fail');

		const tarballLeg = await scanner.analyzePackage(unpacked, ['**/*.js', 'package.json']);
		const sourceLeg = await scanner.analyzePackage(REPO, scanner.SOURCE_FILE_PATTERNS);
		for (const [leg, result] of [['tarball', tarballLeg], ['sources', sourceLeg]] as const) {
			if (!result.passed) problems.push(`scanner (${leg}): ${result.message ?? 'failed'}\n${result.details ?? ''}`);
		}

		process.stdout.write(
			`tarball ${path.basename(packed.filename)}: ${files.length} files, ${(packed.size / 1024).toFixed(1)} KB packed, ${(packed.unpackedSize / 1024).toFixed(1)} KB unpacked\n` +
				`scanner: tarball ${tarballLeg.passed ? 'passed' : 'FAILED'}, sources ${sourceLeg.passed ? 'passed' : 'FAILED'}\n`,
		);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
	if (problems.length) {
		process.stderr.write(`${problems.join('\n')}\n`);
		process.exit(1);
	}
	process.stdout.write('package checks passed\n');
}

void main();
