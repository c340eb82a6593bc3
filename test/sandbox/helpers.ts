/** Shared setup for the sandbox tests: one in-process sandbox per test file, a fixed clock, axios clients. */
import axios, { type AxiosInstance } from 'axios';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';
import type { Conversation, Store } from '../../sandbox';

/** A fixed clock makes generated timestamps (and the 24-hour window) reproducible. */
export const FIXED_NOW = Date.parse('2026-06-15T05:00:00.000Z');
export const HOUR = 3_600_000;

export interface TestEnv {
	sb: Sandbox;
	/** Client with the right key; never throws on HTTP status. */
	api: AxiosInstance;
	/** Client without any key. */
	anon: AxiosInstance;
	/** Mutable clock used by the sandbox. */
	clock: { now: number };
}

export async function startTestSandbox(opts: SandboxOptions = {}): Promise<TestEnv> {
	const clock = { now: FIXED_NOW };
	const sb = await startSandbox({ port: 0, now: () => clock.now, ...opts });
	const api = axios.create({ baseURL: sb.url, headers: { api_key: sb.apiKey }, validateStatus: () => true });
	const anon = axios.create({ baseURL: sb.url, validateStatus: () => true });
	return { sb, api, anon, clock };
}

/** Conversations whose last contact message is within (or older than) 24 hours of `now`. */
export function windowConversations(store: Store, now: number): { inside: Conversation[]; outside: Conversation[] } {
	const inside: Conversation[] = [];
	const outside: Conversation[] = [];
	for (const c of store.conversations.all()) {
		if (c.platform_type !== 'whatsapp') continue;
		const last = store.lastContactMessageAt(c.id);
		if (last && now - Date.parse(last) <= 24 * HOUR) inside.push(c);
		else outside.push(c);
	}
	return { inside, outside };
}

export function expectPageEnvelope(body: any): void {
	expect(body.success).toBe(true);
	expect(Array.isArray(body.data)).toBe(true);
	const p = body.metadata?.pagination;
	expect(p).toEqual({
		current_page: expect.any(Number),
		total_page: expect.any(Number),
		total_items: expect.any(Number),
		current_items: body.data.length,
		limit: expect.any(Number),
	});
}

export function expectSuccessFamily400(body: any, field: string): void {
	expect(body.success).toBe(false);
	expect(body.error.code).toBe('VALIDATION_ERROR');
	expect(body.error.message).toContain(field);
	expect(body.error.details.map((d: { field: string }) => d.field)).toContain(field);
}
