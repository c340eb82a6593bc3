/** Shared pieces of the benchmarks: a sandbox in its own process, child-process measurements, tables. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import type { INode, INodeParameters, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

export const REPO = path.resolve(__dirname, '..');
const TSX = path.join(REPO, 'node_modules', '.bin', 'tsx');
export const BENCH_KEY = 'bench-api-key';

export interface SandboxProcess {
	url: string;
	stop(): Promise<void>;
}

/** The sandbox in a child process, so that it does not share the measured process's event loop. */
export async function startSandboxProcess(env: Record<string, string> = {}): Promise<SandboxProcess> {
	const child: ChildProcess = spawn(TSX, [path.join(REPO, 'sandbox', 'main.ts')], {
		cwd: REPO,
		env: { ...process.env, PORT: '0', CEKAT_SANDBOX_API_KEY: BENCH_KEY, CEKAT_SANDBOX_JOURNAL_LIMIT: '200000', ...env },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const match = /listening on (http:\/\/\S+)/.exec(out);
			if (match) resolve(match[1]);
		});
		child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${out}`)));
	});
	return {
		url,
		stop: () =>
			new Promise<void>((resolve) => {
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			}),
	};
}

export async function control(url: string, method: string, route: string, body?: unknown): Promise<any> {
	const res = await fetch(`${url}${route}`, {
		method,
		headers: body ? { 'content-type': 'application/json' } : {},
		body: body ? JSON.stringify(body) : undefined,
	});
	const text = await res.text();
	return text ? JSON.parse(text) : undefined;
}

export interface Measurement {
	ms: number;
	peakRssMb: number;
	/** RSS growth during the measured operation */
	rssGrowthMb: number;
	[key: string]: unknown;
}

/**
 * Runs one measurement in a fresh process (`bench/workers/<worker>.ts` by tsx, or `<worker>.js` by plain node),
 * which prints its figures as JSON.
 */
export function measure(worker: string, args: string[], env: Record<string, string> = {}): Measurement {
	const js = path.join(REPO, 'bench', 'workers', `${worker}.js`);
	const [command, file] = existsSync(js) ? [process.execPath, js] : [TSX, path.join(REPO, 'bench', 'workers', `${worker}.ts`)];
	const result = spawnSync(command, [file, ...args], {
		cwd: REPO,
		env: { ...process.env, N8N_LOG_LEVEL: 'silent', ...env },
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	const line = result.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
	if (result.status !== 0 || !line) {
		throw new Error(`${worker} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
	}
	return JSON.parse(line) as Measurement;
}

export const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export function table(headers: string[], rows: Array<Array<string | number>>): string {
	const cells = [headers, ...rows.map((r) => r.map(String))];
	const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
	const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

/** Figures a worker reports: wall time of the operation, and memory. */
export function report(startedAt: bigint, rssBefore: number, extra: Record<string, unknown> = {}) {
	const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
	const peakRssMb = process.resourceUsage().maxRSS / 1024;
	process.stdout.write(`${JSON.stringify({ ms, peakRssMb, rssGrowthMb: peakRssMb - rssBefore / 1024 / 1024, ...extra })}\n`);
}

/**
 * n8n's own HTTP Request node (version 4.2) with these parameters, from the pinned n8n's n8n-nodes-base
 * (N8N_NODES_BASE): the node and the node types for runNode.
 */
export function httpRequestNode(parameters: INodeParameters): { node: INode; nodeTypes: INodeTypes } {
	const { HttpRequest } = require(path.join(process.env.N8N_NODES_BASE!, 'dist/nodes/HttpRequest/HttpRequest.node.js')) as {
		HttpRequest: new () => IVersionedNodeType;
	};
	const httpRequest = new HttpRequest();
	return {
		node: { id: 'http', name: 'HTTP Request', type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [0, 0], parameters },
		nodeTypes: {
			getByName: () => httpRequest,
			getByNameAndVersion: (_type, version) => NodeHelpers.getVersionedNodeType(httpRequest, version) as INodeType,
			getKnownTypes: () => ({}),
		},
	};
}
