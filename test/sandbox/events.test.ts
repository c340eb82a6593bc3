/**
 * Cekat Events ingest (issue 18) over real HTTP: POST /api/events/ingest with the events token, the event-payload checks
 * (400 envelopes naming the field), the canonical success envelope, GET /__sandbox/data/events, duplicate event_id,
 * the optional defined custom events (404), journal and faults.
 */
import axios, { type AxiosInstance } from 'axios';
import { DEFAULT_EVENTS_TOKEN, type TrackedEvent } from '../../sandbox';
import { FIXED_NOW, startTestSandbox, type TestEnv } from './helpers';

const INGEST = '/api/events/ingest';

let env: TestEnv;
let events: AxiosInstance;
beforeAll(async () => {
	env = await startTestSandbox();
	events = axios.create({ baseURL: env.sb.url, headers: { authorization: `Bearer ${env.sb.eventsToken}` }, validateStatus: () => true });
});
afterAll(() => env.sb.close());
afterEach(async () => {
	await env.anon.post('/__sandbox/reset');
});

/** What the SDKs send for order_paid (conformance case request-common-order-paid, with the generated fields filled). */
const orderPaid = (over: Record<string, unknown> = {}) => ({
	event_key: 'order_paid',
	is_common: true,
	event_id: 'd6f1c1de-6a7e-4c53-9d3b-0c6f5e0a8b21',
	occurred_at: '2026-09-13T01:15:30.250Z',
	email: 'buyer@example.com',
	properties: { order_id: 'ord-paid', amount: 125.75, currency: 'IDR' },
	...over,
});

const stored = async (): Promise<TrackedEvent[]> => (await env.anon.get('/__sandbox/data/events')).data;

function expectEventsError(res: { status: number; data: any }, status: number, code: string): void {
	expect(res.status).toBe(status);
	expect(res.data).toEqual(expect.objectContaining({ success: false, error: expect.any(String), code }));
	expect(res.data.error.length).toBeGreaterThan(0);
}

describe('token', () => {
	it('is the default sandbox-events-token', () => {
		expect(env.sb.eventsToken).toBe(DEFAULT_EVENTS_TOKEN);
		expect(DEFAULT_EVENTS_TOKEN).toBe('sandbox-events-token');
	});

	it('missing, wrong, or the API key instead → 401 { success: false, error, code: "unauthorized" }; nothing is stored', async () => {
		const missing = await env.anon.post(INGEST, orderPaid());
		expect(missing.data).toEqual({ success: false, error: 'Missing access token: send Authorization: Bearer <access token>', code: 'unauthorized' });
		expect(missing.status).toBe(401);
		expectEventsError(await env.anon.post(INGEST, orderPaid(), { headers: { authorization: 'Bearer wrong-token' } }), 401, 'unauthorized');
		// the Open API's key opens nothing here, in any of its forms
		expectEventsError(await env.api.post(INGEST, orderPaid()), 401, 'unauthorized');
		expectEventsError(await env.anon.post(INGEST, orderPaid(), { headers: { authorization: `Bearer ${env.sb.apiKey}` } }), 401, 'unauthorized');
		// only the Bearer form: the token in the api_key header or as "Authorization: <token>" does not count
		expectEventsError(await env.anon.post(INGEST, orderPaid(), { headers: { api_key: env.sb.eventsToken } }), 401, 'unauthorized');
		expectEventsError(await env.anon.post(INGEST, orderPaid(), { headers: { authorization: env.sb.eventsToken } }), 401, 'unauthorized');
		expect(await stored()).toEqual([]);
		const journal = env.sb.journal();
		expect(journal).toHaveLength(6);
		expect(journal.every((e) => e.path === INGEST && e.status === 401 && !e.keyMatched)).toBe(true);
		expect(journal.map((e) => e.auth)).toEqual(['none', 'bearer', 'api_key', 'bearer', 'api_key', 'none']);
	});

	it('the 401 comes before validation; the events token opens no Open API route', async () => {
		expectEventsError(await env.anon.post(INGEST, { nonsense: true }), 401, 'unauthorized');
		const inboxes = await env.anon.get('/api/inboxes', { headers: { authorization: `Bearer ${env.sb.eventsToken}` } });
		expect(inboxes.status).toBe(401);
		expect(inboxes.data).toEqual({ success: false, status_code: 401, error: { message: 'Not authenticated' } });
	});

	it('a token given at start replaces the default', async () => {
		const other = await startTestSandbox({ eventsToken: 'shop-token-123' });
		try {
			const url = `${other.sb.url}${INGEST}`;
			const ok = await axios.post(url, orderPaid(), { headers: { authorization: 'Bearer shop-token-123' }, validateStatus: () => true });
			expect(ok.status).toBe(200);
			const old = await axios.post(url, orderPaid(), { headers: { authorization: `Bearer ${DEFAULT_EVENTS_TOKEN}` }, validateStatus: () => true });
			expect(old.status).toBe(401);
			expect(other.sb.events()).toHaveLength(1);
		} finally {
			await other.sb.close();
		}
	});
});

describe('success', () => {
	it('order_paid → 200 with the canonical envelope; validated_properties = the keys of properties', async () => {
		const res = await events.post(INGEST, orderPaid());
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toMatch(/^application\/json/);
		expect(res.data).toEqual({
			success: true,
			data: { success: true, message: 'accepted', event_key: 'order_paid', validated_properties: ['order_id', 'amount', 'currency'] },
		});
		// no x-ratelimit counter on t.cekat.ai's route (not evidenced)
		expect(res.headers['x-ratelimit-limit']).toBeUndefined();
	});

	it('every common key and a custom key; identity as sent (whitespace kept), phone only, no properties', async () => {
		const base = { occurred_at: '2026-09-13T01:15:30.250Z' };
		const payloads: Array<{ event_key: string; event_id: string; properties?: Record<string, unknown>; [k: string]: unknown }> = [
			{ ...base, event_key: 'user_registration', is_common: true, event_id: 'e-reg', email: 'ada@example.com', contact_name: 'Ada', visitor_id: 'visitor-1' },
			{ ...base, event_key: 'user_login', is_common: true, event_id: 'e-login', email: '  ada@example.com  ', phone_number: '  +628123456789  ' },
			{ ...base, event_key: 'order_created', is_common: true, event_id: 'e-created', phone_number: '+628123456789', properties: { amount: 0, currency: 'USD' } },
			{ ...base, event_key: 'trial_started', is_common: false, event_id: 'e-custom', email: 'person@example.com', properties: { source: 'landing-page', nested: { list: [1, 2.5, null, true, 'x'] } } },
			// is_common: false with a common name is a custom event of that name (not evidenced either way): no order checks
			{ ...base, event_key: 'order_paid', is_common: false, event_id: 'e-custom-named-order', email: 'b@example.com' },
		];
		for (const p of payloads) {
			const res = await events.post(INGEST, p);
			expect(res.status).toBe(200);
			expect(res.data.data).toEqual({ success: true, message: 'accepted', event_key: p.event_key, validated_properties: Object.keys(p.properties ?? {}) });
		}
		const list = await stored();
		expect(list.map((e) => e.event_id)).toEqual(payloads.map((p) => p.event_id));
		const login = list.find((e) => e.event_id === 'e-login');
		expect(login).toMatchObject({ email: '  ada@example.com  ', phone_number: '  +628123456789  ', properties: {} });
		expect(list[0]).toMatchObject({ contact_name: 'Ada', visitor_id: 'visitor-1', is_common: true });
	});

	it('stores what was sent, journals the request like any route (body as sent, no headers)', async () => {
		const payload = orderPaid();
		await events.post(INGEST, payload);
		const [event] = await stored();
		expect(event).toEqual({
			id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
			event_id: payload.event_id,
			event_key: 'order_paid',
			is_common: true,
			occurred_at: payload.occurred_at,
			email: payload.email,
			properties: payload.properties,
			received_at: new Date(FIXED_NOW).toISOString(),
			last_received_at: new Date(FIXED_NOW).toISOString(),
			deliveries: 1,
		});
		expect(env.sb.events()).toEqual([event]);
		const [entry] = env.sb.journal();
		expect(entry).toMatchObject({ method: 'POST', path: INGEST, route: INGEST, body: payload, keyMatched: true, auth: 'bearer', status: 200, contentType: 'application/json' });
		expect(JSON.stringify(entry)).not.toContain(env.sb.eventsToken);
	});

	it('the token never reaches the journal, even inside a payload', async () => {
		const res = await events.post(INGEST, orderPaid({ properties: { order_id: `x ${env.sb.eventsToken}`, amount: 1, currency: 'IDR' } }));
		expect(res.status).toBe(200);
		const [entry] = env.sb.journal();
		expect(JSON.stringify(entry)).not.toContain(env.sb.eventsToken);
		expect((entry.body as { properties: { order_id: string } }).properties.order_id).toBe('x [REDACTED]');
	});
});

describe('validation: 400 { success: false, error, code: "validation_error", field }, nothing stored', () => {
	const cases: Array<[string, unknown, string]> = [
		['an array body', [orderPaid()], 'body'],
		['an unknown field', orderPaid({ amount: 5 }), 'amount'],
		['event_key missing', orderPaid({ event_key: undefined }), 'event_key'],
		['event_key blank', orderPaid({ event_key: '   ', is_common: false }), 'event_key'],
		['event_key not a string', orderPaid({ event_key: 7 }), 'event_key'],
		['is_common missing', orderPaid({ is_common: undefined }), 'is_common'],
		['is_common a string', orderPaid({ is_common: 'true' }), 'is_common'],
		['is_common true for a custom key', orderPaid({ event_key: 'trial_started' }), 'is_common'],
		['event_id missing', orderPaid({ event_id: undefined }), 'event_id'],
		['event_id blank', orderPaid({ event_id: ' ' }), 'event_id'],
		['occurred_at missing', orderPaid({ occurred_at: undefined }), 'occurred_at'],
		['occurred_at without milliseconds', orderPaid({ occurred_at: '2026-09-13T01:15:30Z' }), 'occurred_at'],
		['occurred_at with an offset', orderPaid({ occurred_at: '2026-09-13T08:15:30.250+07:00' }), 'occurred_at'],
		['occurred_at with microseconds', orderPaid({ occurred_at: '2026-09-13T01:15:30.250000Z' }), 'occurred_at'],
		['occurred_at not a real day', orderPaid({ occurred_at: '2026-02-30T01:15:30.250Z' }), 'occurred_at'],
		['no identity', orderPaid({ email: undefined }), 'email'],
		['blank identity', orderPaid({ email: '  ', phone_number: '' }), 'email'],
		['only a blank phone', orderPaid({ email: undefined, phone_number: ' ' }), 'phone_number'],
		['email not a string', orderPaid({ email: ['buyer@example.com'] }), 'email'],
		['contact_name not a string', orderPaid({ contact_name: 1 }), 'contact_name'],
		['properties an array', orderPaid({ properties: [] }), 'properties'],
		['properties null', orderPaid({ properties: null }), 'properties'],
		['an unsafe integer inside properties', orderPaid({ properties: { amount: 1, currency: 'IDR', deep: { list: [1, 9007199254740993] } } }), 'properties.deep.list[1]'],
		['order_paid without properties', orderPaid({ properties: undefined }), 'properties.amount'],
		['order_paid without amount', orderPaid({ properties: { order_id: 'x', currency: 'IDR' } }), 'properties.amount'],
		['order_created with a string amount', orderPaid({ event_key: 'order_created', properties: { amount: '10', currency: 'IDR' } }), 'properties.amount'],
		['an unsafe integer amount', orderPaid({ properties: { amount: 2 ** 60, currency: 'IDR' } }), 'properties.amount'],
		['order_paid without currency', orderPaid({ properties: { amount: 10 } }), 'properties.currency'],
		['order_paid with a blank currency', orderPaid({ properties: { amount: 10, currency: ' ' } }), 'properties.currency'],
		['order_paid with a numeric currency', orderPaid({ properties: { amount: 10, currency: 360 } }), 'properties.currency'],
	];

	it.each(cases)('%s', async (_name, payload, field) => {
		const before = (await env.anon.get('/__sandbox/state')).data;
		const res = await events.post(INGEST, payload);
		expectEventsError(res, 400, 'validation_error');
		expect(res.data.field).toBe(field);
		expect(res.data.error).toContain(field === 'body' ? 'JSON object' : field.replace(/\[\d+\]$/, ''));
		expect(await stored()).toEqual([]);
		expect((await env.anon.get('/__sandbox/state')).data).toEqual(before);
		expect(env.sb.journal().at(-1)).toMatchObject({ path: INGEST, status: 400, keyMatched: true });
	});

	it('an unsafe integer written in the JSON text (rounded by the parser) is still refused', async () => {
		const text = JSON.stringify(orderPaid()).replace('"amount":125.75', '"amount":9007199254740993');
		const res = await events.post(INGEST, text, { headers: { 'content-type': 'application/json' } });
		expectEventsError(res, 400, 'validation_error');
		expect(res.data.field).toBe('properties.amount');
	});

	it('malformed JSON and a non-JSON body answer in the events envelope', async () => {
		// (axios would re-encode a string that is not JSON: send the text as it is)
		const bad = await events.post(INGEST, '{"event_key":', { headers: { 'content-type': 'application/json' }, transformRequest: [(d: unknown) => d] });
		expectEventsError(bad, 400, 'validation_error');
		expect(bad.data.error).toMatch(/not valid JSON/);
		const text = await events.post(INGEST, 'event=order_paid', { headers: { 'content-type': 'text/plain' } });
		expectEventsError(text, 400, 'validation_error');
		expect(text.data.field).toBe('body');
	});

	it('other methods and paths under /api/events answer 404 in the events envelope', async () => {
		expectEventsError(await events.get(INGEST), 404, 'not_found');
		expectEventsError(await events.post('/api/events/track', orderPaid()), 404, 'not_found');
	});
});

describe('data and duplicates', () => {
	it('GET /__sandbox/data/events lists accepted events in arrival order; state counts them; reset clears them', async () => {
		expect((await env.anon.get('/__sandbox/data')).data.collections).toContain('events');
		for (const id of ['a', 'b', 'c']) expect((await events.post(INGEST, orderPaid({ event_id: `evt-${id}` }))).status).toBe(200);
		expect((await events.post(INGEST, orderPaid({ event_id: 'evt-bad', email: undefined }))).status).toBe(400);
		expect((await stored()).map((e) => e.event_id)).toEqual(['evt-a', 'evt-b', 'evt-c']);
		const state = (await env.anon.get('/__sandbox/state')).data;
		expect(state.counts.events).toBe(3);
		expect(state.revision).toBe(3);
		await env.anon.post('/__sandbox/reset');
		expect(await stored()).toEqual([]);
		expect(env.sb.events()).toEqual([]);
	});

	it('a repeated event_id is accepted again but stored once (the first payload stays; deliveries counts)', async () => {
		const first = await events.post(INGEST, orderPaid({ event_id: 'SHOP-1001' }));
		env.clock.now += 5_000;
		// a re-delivery, even with a changed payload
		const again = await events.post(INGEST, orderPaid({ event_id: 'SHOP-1001', properties: { order_id: 'changed', amount: 1, currency: 'IDR' } }));
		expect(first.status).toBe(200);
		expect(again.status).toBe(200);
		expect(again.data).toEqual({ success: true, data: { success: true, message: 'accepted', event_key: 'order_paid', validated_properties: ['order_id', 'amount', 'currency'] } });
		const list = await stored();
		expect(list).toHaveLength(1);
		expect(list[0]).toMatchObject({
			event_id: 'SHOP-1001',
			properties: { order_id: 'ord-paid', amount: 125.75, currency: 'IDR' },
			received_at: new Date(FIXED_NOW).toISOString(),
			last_received_at: new Date(FIXED_NOW + 5_000).toISOString(),
			deliveries: 2,
		});
		// both deliveries are in the journal
		expect(env.sb.journal().filter((e) => e.path === INGEST && e.status === 200)).toHaveLength(2);
		// another event_id is another record; event_ids are compared as sent
		await events.post(INGEST, orderPaid({ event_id: 'SHOP-1002' }));
		expect((await stored()).map((e) => [e.event_id, e.deliveries])).toEqual([
			['SHOP-1001', 2],
			['SHOP-1002', 1],
		]);
	});
});

describe('defined custom events (optional 404; the real rule is not evidenced)', () => {
	const custom = (key: string, id = `evt-${key}`) => ({ event_key: key, is_common: false, event_id: id, occurred_at: '2026-09-13T01:15:30.250Z', email: 'a@example.com' });

	it('by default every custom key is accepted', async () => {
		expect((await env.anon.get('/__sandbox/events/definitions')).data).toEqual({ definitions: null });
		expect((await events.post(INGEST, custom('anything_at_all'))).status).toBe(200);
	});

	it('with a list, an undefined custom key → 404 event_definition_not_found; defined and common keys pass; reset restores', async () => {
		const set = await env.anon.post('/__sandbox/events/definitions', { definitions: ['trial_started'] });
		expect(set.data).toEqual({ definitions: ['trial_started'] });
		const missing = await events.post(INGEST, custom('checkout_started'));
		expect(missing.data).toEqual({ success: false, error: "Event definition 'checkout_started' not found", code: 'event_definition_not_found' });
		expect(missing.status).toBe(404);
		expect((await events.post(INGEST, custom('trial_started'))).status).toBe(200);
		expect((await events.post(INGEST, orderPaid())).status).toBe(200);
		expect((await stored()).map((e) => e.event_key)).toEqual(['trial_started', 'order_paid']);
		// validation comes first
		expectEventsError(await events.post(INGEST, { ...custom('checkout_started'), email: undefined }), 400, 'validation_error');
		expect((await env.anon.post('/__sandbox/events/definitions', { definitions: 'trial_started' })).status).toBe(400);
		await env.anon.post('/__sandbox/reset');
		expect((await env.anon.get('/__sandbox/events/definitions')).data).toEqual({ definitions: null });
	});

	it('eventDefinitions at start (and setEventDefinitions)', async () => {
		const other = await startTestSandbox({ eventDefinitions: ['trial_started'] });
		try {
			const post = (body: object) => axios.post(`${other.sb.url}${INGEST}`, body, { headers: { authorization: `Bearer ${other.sb.eventsToken}` }, validateStatus: () => true });
			expect((await post(custom('checkout_started'))).status).toBe(404);
			other.sb.setEventDefinitions(null);
			expect((await post(custom('checkout_started'))).status).toBe(200);
			other.sb.reset();
			expect((await post(custom('checkout_started', 'again'))).status).toBe(404);
		} finally {
			await other.sb.close();
		}
	});
});

describe('faults', () => {
	it('apply to the ingest (after the token check) and answer in the events envelope', async () => {
		await env.anon.post('/__sandbox/faults', { path: INGEST, status: 503, retryAfter: 1 });
		expectEventsError(await env.anon.post(INGEST, orderPaid()), 401, 'unauthorized'); // does not use up the fault
		const res = await events.post(INGEST, orderPaid());
		expectEventsError(res, 503, 'service_unavailable');
		expect(res.headers['retry-after']).toBe('1');
		expect(await stored()).toEqual([]);
		expect((await events.post(INGEST, orderPaid())).status).toBe(200);
		expect(await stored()).toHaveLength(1);
	});
});
