/**
 * Installs (once) and prints the n8n runtime used by `npm run dev` and `npm run test:e2e`:
 * Node 24 and n8n 2.41.1 in ~/.cache/n8n-nodes-cekat (or $CEKAT_N8N_CACHE).
 *
 *   npx tsx scripts/n8n-runtime.ts            install what is missing, print the paths
 *   npx tsx scripts/n8n-runtime.ts --check    only report whether it is installed (exit 1 if not)
 */
import { ensureRuntime, findRuntime, cacheDir, N8N_VERSION } from './lib/runtime';

async function main(): Promise<void> {
	const t0 = Date.now();
	if (process.argv.includes('--check')) {
		const found = findRuntime();
		console.log(found ? `n8n ${N8N_VERSION} runtime installed in ${found.cacheDir}` : `n8n ${N8N_VERSION} runtime not installed in ${cacheDir()}`);
		process.exit(found ? 0 : 1);
	}
	const runtime = await ensureRuntime();
	console.log(`n8n ${N8N_VERSION} runtime ready in ${runtime.cacheDir} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
	console.log(`  node: ${runtime.nodeBin}`);
	console.log(`  n8n:  ${runtime.n8nBin}`);
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : e);
	process.exit(1);
});
