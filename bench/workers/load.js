/**
 * Time to load the built package's nodes and credentials in a fresh process (what n8n does at start). Plain
 * JavaScript run by plain node, as n8n loads the package: tsx's require hooks would add their own time.
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const { n8n } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// n8n has n8n-workflow loaded already; only the package's own modules are timed.
require('n8n-workflow');
const started = process.hrtime.bigint();
// Every file of the "n8n" block, as n8n's loader does: X.node.js exports class X.
for (const file of [...n8n.nodes, ...n8n.credentials]) {
	const className = path.basename(file).split('.')[0];
	new (require(path.join(root, file))[className])();
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(`${JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024, rssGrowthMb: 0 })}\n`);
