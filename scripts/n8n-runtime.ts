/**
 * Installs (once) and prints the n8n runtime used by `npm run dev` and `npm run test:e2e`, in
 * ~/.cache/n8n-nodes-cekat (or $CEKAT_N8N_CACHE): n8n 2.41.1 on Node 24 by default, n8n 1.123.81 on Node 22 with
 * CEKAT_N8N_LINE=1 or --n8n=1 (see scripts/lib/runtime.ts).
 *
 *   npx tsx scripts/n8n-runtime.ts              install what is missing, print the paths
 *   npx tsx scripts/n8n-runtime.ts --n8n=1      the same for n8n 1.123.81
 *   npx tsx scripts/n8n-runtime.ts --check      only report whether it is installed (exit 1 if not)
 */
import { applyLineOption, cacheDir, ensureRuntime, findRuntime, selectedLine } from './lib/runtime';

async function main(): Promise<void> {
	const t0 = Date.now();
	applyLineOption();
	const line = selectedLine();
	if (process.argv.includes('--check')) {
		const found = findRuntime(line);
		console.log(found ? `n8n ${line.n8n} runtime installed in ${found.cacheDir}` : `n8n ${line.n8n} runtime not installed in ${cacheDir()}`);
		process.exit(found ? 0 : 1);
	}
	const runtime = await ensureRuntime(line);
	console.log(`n8n ${runtime.n8nVersion} runtime ready in ${runtime.cacheDir} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
	console.log(`  node: ${runtime.nodeBin}`);
	console.log(`  n8n:  ${runtime.n8nBin}`);
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : e);
	process.exit(1);
});
