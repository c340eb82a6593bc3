const { mkdirSync, readFileSync, writeFileSync } = require('fs');
const path = require('path');
const { Transform } = require('stream');
const { src, dest, series } = require('gulp');

/**
 * The build (docs/development.md): every node and credential of package.json's "n8n" block in ONE
 * minified CommonJS bundle, dist/nodes/cekat.bundle.js, plus a one-line file at each path n8n loads
 * (dist/nodes/X/X.node.js re-exports class X). One bundle and not one per node, so that the modules with
 * state (the rate limiter's buckets) stay shared by all nodes of the process, and shared code ships once.
 * The stubs keep the paths n8n resolves icons (file:../../icons) and codex files (X.node.json) from.
 * esbuild comes with tsx (devDependency); tsc only type-checks (npm run build runs it first).
 * CEKAT_SOURCEMAP=1 (npm run build:dev) adds a source map beside the bundle; package.json "files" keeps it
 * out of the tarball.
 */
const BUNDLE = 'dist/nodes/cekat.bundle.js';

function bundle() {
	const esbuild = require('esbuild');
	const { n8n } = JSON.parse(readFileSync('package.json', 'utf8'));
	const entries = [...n8n.nodes, ...n8n.credentials].map((file) => ({
		file,
		// n8n takes the class name from the file name (X.node.js exports X).
		className: path.basename(file).split('.')[0],
		source: './' + path.relative('dist', file).replace(/\.js$/, ''),
	}));
	// n8n's loader records each class's constructor.name: the exported classes keep theirs (minifying renames
	// them); every other function may lose its name (esbuild's keepNames on all of them cost 5 kB). The entry
	// sets `exports` itself: esbuild's ESM-to-CommonJS export helpers cost 0.7 kB.
	const classes = entries.map((e) => e.className).join(', ');
	const contents = [
		...entries.map((e) => `import { ${e.className} } from ${JSON.stringify(e.source)};`),
		`for (const [name, type] of Object.entries({ ${classes} })) exports[name] = Object.defineProperty(type, 'name', { value: name });`,
	].join('\n');
	const sourcemap = process.env.CEKAT_SOURCEMAP === '1';
	return esbuild
		.build({
			stdin: { contents, resolveDir: __dirname, loader: 'ts', sourcefile: 'package-entry.ts' },
			outfile: BUNDLE,
			bundle: true,
			platform: 'node',
			format: 'cjs',
			target: 'node20',
			// n8n provides n8n-workflow (the package's only peer dependency): required once, see oneN8nWorkflow.
			plugins: [oneN8nWorkflow],
			// CEKAT_MINIFY=0 (with CEKAT_SOURCEMAP=1): a readable bundle for CPU profiles.
			minify: process.env.CEKAT_MINIFY !== "0",
			// Class fields as written (`description = {…}`) instead of assignments in a constructor (0.2 kB). The
			// classes extend nothing whose accessors a field could shadow (CekatTrigger's base: no fields). This
			// stands in for tsconfig.json, whose other options esbuild does not use here.
			tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
			legalComments: 'none',
			// Typographic quotes and arrows as UTF-8, not \u escapes (3 bytes fewer each).
			charset: 'utf8',
			// The Event resource's User-Agent names this package's version (shared/events/delivery.ts).
			define: { __CEKAT_VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
			sourcemap: sourcemap ? 'linked' : false,
			logLevel: 'warning',
			metafile: process.env.CEKAT_METAFILE === '1',
		})
		.then((result) => {
			// CEKAT_METAFILE=1: bytes per source file in dist/meta.json (what the package size is made of).
			if (result.metafile) writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
			writeEntryFiles(entries);
		});
}

/**
 * n8n-workflow stays external, required once for the whole bundle: every module's import of it goes through
 * one module that takes the values the sources import out of it, so the bundle refers to them by short names
 * instead of a require per module and a property access per use (1 kB). A value imported from n8n-workflow
 * that is not listed here fails the build ("No matching export … for import …"): add it to the list.
 */
const N8N_WORKFLOW_VALUES = ['deepCopy', 'NodeApiError', 'NodeConnectionTypes', 'NodeHelpers', 'NodeOperationError', 'VersionedNodeType', 'jsonParse', 'sleep'];
const oneN8nWorkflow = {
	name: 'one-n8n-workflow',
	setup(build) {
		build.onResolve({ filter: /^n8n-workflow$/ }, (args) =>
			args.namespace === 'n8n-workflow-values' ? { path: 'n8n-workflow', external: true } : { path: 'n8n-workflow', namespace: 'n8n-workflow-values' },
		);
		build.onLoad({ filter: /.*/, namespace: 'n8n-workflow-values' }, () => ({
			contents: `const n8nWorkflow = require('n8n-workflow');\nexport const { ${N8N_WORKFLOW_VALUES.join(', ')} } = n8nWorkflow;`,
			resolveDir: __dirname,
			loader: 'js',
		}));
	},
};

function writeEntryFiles(entries) {
	for (const e of entries) {
		const rel = path.relative(path.dirname(e.file), BUNDLE).split(path.sep).join('/');
		mkdirSync(path.dirname(e.file), { recursive: true });
		const spec = rel.startsWith('.') ? rel : `./${rel}`;
		writeFileSync(e.file, `"use strict";exports.${e.className}=require(${JSON.stringify(spec)}).${e.className};\n`);
	}
}

// Codex files and SVG icons without their indentation: bytes of the package (its size limit).
const squeeze = (minify) =>
	new Transform({
		objectMode: true,
		transform(file, _encoding, done) {
			if (file.isBuffer()) file.contents = Buffer.from(minify(file.contents.toString('utf8')));
			done(null, file);
		},
	});

function copyIcons() {
	return src('icons/**/*.svg')
		.pipe(squeeze((svg) => svg.replace(/>\s+</g, '><').trim()))
		.pipe(dest('dist/icons'));
}

// n8n reads a node's codex from X.node.json beside X.node.js.
function copyCodex() {
	return src(['nodes/**/*.json', 'credentials/**/*.json'], { base: '.' })
		.pipe(squeeze((json) => JSON.stringify(JSON.parse(json))))
		.pipe(dest('dist'));
}

exports.bundle = bundle;
exports['build:icons'] = series(copyIcons, copyCodex);
exports.build = series(bundle, copyIcons, copyCodex);
exports.default = exports.build;
