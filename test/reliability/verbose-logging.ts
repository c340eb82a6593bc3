/**
 * Imported first by the secrets suite: n8n's own logger at debug level, and every line written to the
 * console or the process streams collected, before n8n's logger binds to the console.
 */
process.env.N8N_LOG_LEVEL = 'debug';
process.env.N8N_LOG_OUTPUT = 'console';

export const logLines: string[] = [];

// winston writes to console._stdout when it exists; under jest workers that is not process.stdout.
const consoleStreams = [(console as unknown as { _stdout?: NodeJS.WriteStream })._stdout, (console as unknown as { _stderr?: NodeJS.WriteStream })._stderr];
for (const stream of new Set([process.stdout, process.stderr, ...consoleStreams].filter((s): s is NodeJS.WriteStream => !!s))) {
	const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
	(stream as unknown as { write: (...args: unknown[]) => boolean }).write = (chunk: unknown, ...rest: unknown[]) => {
		logLines.push(String(chunk));
		return write(chunk, ...rest);
	};
}
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
	const original = console[method].bind(console);
	console[method] = (...args: unknown[]) => {
		logLines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a) ?? String(a))).join(' '));
		original(...args);
	};
}
