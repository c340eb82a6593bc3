/**
 * Runs in every test file: whatever the suite, its process output (n8n's log lines, console, stray
 * writes) must never contain the test API key.
 */
import { API_KEY } from './key';

const leaks: string[] = [];
// winston (n8n's logger) writes to console._stdout when it exists; under jest workers that is not process.stdout.
const consoleStreams = [(console as unknown as { _stdout?: NodeJS.WriteStream })._stdout, (console as unknown as { _stderr?: NodeJS.WriteStream })._stderr];
for (const stream of new Set([process.stdout, process.stderr, ...consoleStreams].filter((s): s is NodeJS.WriteStream => !!s))) {
	const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
	(stream as unknown as { write: (...args: unknown[]) => boolean }).write = (chunk: unknown, ...rest: unknown[]) => {
		if (String(chunk).includes(API_KEY)) leaks.push(String(chunk).slice(0, 300));
		return write(chunk, ...rest);
	};
}
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
	const original = console[method].bind(console);
	console[method] = (...args: unknown[]) => {
		const text = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a, null, 0) ?? String(a))).join(' ');
		if (text.includes(API_KEY)) leaks.push(text.slice(0, 300));
		original(...args);
	};
}

afterAll(() => {
	expect(leaks).toEqual([]);
});
