/**
 * Runs in every test file: whatever the suite, its process output (n8n's log lines, console, stray
 * writes) must never contain the test API key.
 *
 * Everything is recorded for that check, but only jest's report and the suites' one-line figures are
 * printed: n8n's log lines (the expected errors the suites assert) go to the console's own streams, which
 * are recorded and dropped; console.log / info print as one plain line, console.warn / error as one line on
 * stderr, console.debug nothing. CEKAT_TEST_VERBOSE=1 prints everything the jest way, as before.
 */
import { API_KEY } from './key';

const leaks: string[] = [];
const verbose = !!process.env.CEKAT_TEST_VERBOSE && process.env.CEKAT_TEST_VERBOSE !== '0';
const check = (text: string) => {
	if (text.includes(API_KEY)) leaks.push(text.slice(0, 300));
};
const textOf = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a, null, 0) ?? String(a))).join(' ');

type Writable = { write: (...args: unknown[]) => boolean };
const processStreams = new Set<NodeJS.WriteStream>([process.stdout, process.stderr]);

// The process streams carry jest's own report when a file runs in band: recorded, always passed on.
for (const stream of processStreams) {
	const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
	(stream as unknown as Writable).write = (chunk: unknown, ...rest: unknown[]) => {
		check(String(chunk));
		return write(chunk, ...rest);
	};
}

// winston (n8n's logger) writes to console._stdout / _stderr when they exist (read at each line); under jest
// workers they are not the process streams. Replaced by sinks that record and, unless verbose, drop.
const consoleWithStreams = console as unknown as { _stdout?: Writable; _stderr?: Writable };
for (const key of ['_stdout', '_stderr'] as const) {
	const stream = consoleWithStreams[key];
	if (!stream) continue;
	const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
	const sink: Writable = {
		write: (chunk: unknown, ...rest: unknown[]) => {
			check(String(chunk));
			if (verbose) return write(chunk, ...rest);
			const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
			callback?.();
			return true;
		},
	};
	if (!verbose && processStreams.has(stream as unknown as NodeJS.WriteStream)) {
		// in band, Node's console writes through these very properties: keep console.* (wrapped below) off them
		Object.defineProperty(console, key, { value: sink, writable: true, configurable: true, enumerable: false });
	} else if (!processStreams.has(stream as unknown as NodeJS.WriteStream)) {
		(stream as Writable).write = sink.write;
	}
}

const plain: Record<'log' | 'info' | 'warn' | 'error' | 'debug', NodeJS.WriteStream | undefined> = {
	log: process.stdout,
	info: process.stdout,
	warn: process.stderr,
	error: process.stderr,
	debug: undefined,
};
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
	const original = console[method].bind(console);
	console[method] = (...args: unknown[]) => {
		const text = textOf(args);
		check(text);
		if (verbose) original(...args);
		else plain[method]?.write(`${text}\n`);
	};
}

afterAll(() => {
	expect(leaks).toEqual([]);
});
