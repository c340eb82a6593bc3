/**
 * `npm run check:package`: what n8n's verification looks at, offline.
 * 1. The packed tarball holds only the built package, README and LICENSE: no tests, sandbox or sources (the
 *    CHANGELOG stays in the repository: n8n does not need it, and the size limit does).
 * 2. Its package.json has no runtime dependencies, only the n8n-workflow peer dependency.
 * 3. It is at most 150 kB unpacked, with no source maps or declaration files, and holds every file n8n loads:
 *    each node and credential of the "n8n" block, each node's codex (X.node.json) and the icons they name.
 * 4. @n8n/scan-community-package's lint passes on the tarball (compiled .js + package.json) and on the sources
 *    (the same two legs its CLI runs after downloading a package from npm).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..');
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^dist\/(nodes|credentials|icons)\//];
const FORBIDDEN = [/\.test\./, /(^|\/)sandbox\//, /(^|\/)test\//, /\.ts$/, /\.map$/];
/** Issue 4: the unpacked tarball at most 150 kB (npm's kB: 1,000 bytes). */
const MAX_UNPACKED = 150_000;

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
			if (FORBIDDEN.some((re) => re.test(file))) problems.push(`test, sandbox, source, declaration or source map file in the tarball: ${file}`);
		}
		const { n8n } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
		const codex = n8n.nodes.map((f) => f.replace(/\.js$/, '.json'));
		for (const required of ['package.json', 'README.md', 'LICENSE', ...n8n.nodes, ...n8n.credentials, ...codex]) {
			if (!files.includes(required)) problems.push(`missing from the tarball: ${required}`);
		}
		if (packed.unpackedSize > MAX_UNPACKED) problems.push(`the package is ${packed.unpackedSize} bytes unpacked; at most ${MAX_UNPACKED}`);

		// The README ships in the tarball and is the package page: details live in docs/ (issue 15: at most 15 kB).
		const readme = statSync(path.join(REPO, 'README.md')).size;
		if (readme > 15_000) problems.push(`README.md is ${readme} bytes; keep it at most 15,000 and move details to docs/`);

		const unpacked = path.join(work, 'package');
		execFileSync('tar', ['-xzf', path.join(work, path.basename(packed.filename)), '-C', work]);
		// Each class loads from the unpacked tarball as n8n loads it (X.node.js exports X), and the icons it names
		// exist where n8n resolves them: relative to the file that exports it.
		symlinkSync(path.join(REPO, 'node_modules'), path.join(work, 'node_modules'));
		let iconsFound = 0;
		for (const file of [...n8n.nodes, ...n8n.credentials]) {
			const className = path.basename(file).split('.')[0];
			try {
				// eslint-disable-next-line @typescript-eslint/no-require-imports
				const instance = new (require(path.join(unpacked, file))[className])() as { description?: { icon?: unknown }; icon?: unknown };
				const icon = instance.description?.icon ?? instance.icon;
				const icons = typeof icon === 'string' ? [icon] : icon && typeof icon === 'object' ? Object.values(icon) : [];
				for (const value of icons.filter((v): v is string => typeof v === 'string' && v.startsWith('file:'))) {
					const at = path.posix.normalize(path.posix.join(path.posix.dirname(file), value.slice(5)));
					if (files.includes(at)) iconsFound++;
					else problems.push(`${file}: its icon ${value} (${at}) is not in the tarball`);
				}
			} catch (error) {
				problems.push(`${file} does not load as n8n loads it: ${String(error)}`);
			}
		}

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
			`tarball ${path.basename(packed.filename)}: ${files.length} files, ${(packed.size / 1024).toFixed(1)} KB packed, ${(packed.unpackedSize / 1024).toFixed(1)} KB unpacked (${packed.unpackedSize} bytes, limit ${MAX_UNPACKED})\n` +
				`n8n classes: ${n8n.nodes.length + n8n.credentials.length} loaded from the tarball, ${iconsFound} icon files found where n8n looks\n` +
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
