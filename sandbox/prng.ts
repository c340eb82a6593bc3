/** Small seeded PRNG helpers: the demo data must be identical for identical seeds, without data libraries. */

// Builtins copied to module constants: inside jest's vm context every global lookup (`Math.…`) goes through
// a slow interceptor, which made generating 100k orders several times slower in tests than in the CLI.
const imul = Math.imul;
const floor = Math.floor;
const fromCharCode = String.fromCharCode;

/** mulberry32: 32-bit state, fast, good enough for demo data. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
	// State kept as int32 (`| 0`) rather than uint32 (`>>> 0`): same bits, but V8 keeps small ints unboxed.
	let a = seed | 0;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = a;
		t = imul(t ^ (t >>> 15), t | 1);
		t ^= t + imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** FNV-1a hash: derives an independent stream per collection, so resizing one collection leaves the others alone. */
export function hashString(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = imul(h, 0x01000193);
	}
	return h >>> 0;
}

// Hex digits as char codes; ids are built into one buffer so each id is a flat string (no rope of
// concatenations), which keeps generating 100k+ records fast and light on the garbage collector.
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DASH = 45;
const idBuf: number[] = new Array(36).fill(48);

function putHex(x: number, at: number, digits: number): void {
	for (let i = digits - 1; i >= 0; i--) {
		idBuf[at + i] = HEX_CODES[x & 0xf];
		x >>>= 4;
	}
}

export class Rng {
	private readonly next: () => number;

	constructor(seed: number, stream = '') {
		this.next = mulberry32((seed ^ hashString(stream)) >>> 0);
	}

	float(): number {
		return this.next();
	}

	/** Integer in [min, max] (both inclusive). */
	int(min: number, max: number): number {
		return min + floor(this.next() * (max - min + 1));
	}

	bool(pTrue = 0.5): boolean {
		return this.next() < pTrue;
	}

	pick<T>(items: readonly T[]): T {
		return items[floor(this.next() * items.length)];
	}

	/** Picks by relative weights, e.g. weighted([['a', 3], ['b', 1]]). */
	weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
		let total = 0;
		for (const [, w] of entries) total += w;
		let r = this.next() * total;
		for (const [v, w] of entries) {
			r -= w;
			if (r < 0) return v;
		}
		return entries[entries.length - 1][0];
	}

	/** n distinct elements (or all of them if n >= length), order randomised. */
	sample<T>(items: readonly T[], n: number): T[] {
		const copy = items.slice();
		const k = Math.min(n, copy.length);
		for (let i = 0; i < k; i++) {
			const j = i + floor(this.next() * (copy.length - i));
			[copy[i], copy[j]] = [copy[j], copy[i]];
		}
		return copy.slice(0, k);
	}

	digits(n: number): string {
		let s = '';
		for (let i = 0; i < n; i++) s += floor(this.next() * 10);
		return s;
	}

	/** UUID-shaped (version 4 layout) id built from the stream, so ids are reproducible. */
	uuid(): string {
		const a = (this.next() * 4294967296) >>> 0;
		const b = (this.next() * 4294967296) >>> 0;
		const c = (this.next() * 4294967296) >>> 0;
		const d = (this.next() * 4294967296) >>> 0;
		// Layout 8-4-4-4-12 with version nibble 4 and variant bits 10xx, like a random v4 UUID.
		putHex(a, 0, 8);
		idBuf[8] = DASH;
		putHex(b >>> 16, 9, 4);
		idBuf[13] = DASH;
		putHex(0x4000 | (b & 0xfff), 14, 4);
		idBuf[18] = DASH;
		putHex(0x8000 | ((c >>> 16) & 0x3fff), 19, 4);
		idBuf[23] = DASH;
		putHex(c & 0xffff, 24, 4);
		putHex(d, 28, 8);
		return fromCharCode.apply(null, idBuf);
	}
}
