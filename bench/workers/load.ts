/** Time to load the built node and credential modules in a fresh process (what n8n does at start). */
/* eslint-disable @typescript-eslint/no-require-imports */
import path from 'node:path';

// n8n has n8n-workflow loaded already; only the package's own modules are timed.
require('n8n-workflow');
const started = process.hrtime.bigint();
const dist = path.resolve(__dirname, '..', '..', 'dist');
const { Cekat } = require(path.join(dist, 'nodes/Cekat/Cekat.node.js'));
const { CekatApi } = require(path.join(dist, 'credentials/CekatApi.credentials.js'));
new Cekat();
new CekatApi();
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(`${JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024, rssGrowthMb: 0 })}\n`);
