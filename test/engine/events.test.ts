/**
 * Event → Track through n8n-core's engine against the sandbox's event ingest (POST /api/events/ingest, Bearer
 * token): each event type, validation before any request, Cekat's refusals, and the delivery rules of Cekat's SDK
 * contract (retries keep the event id, Retry-After, timeouts, unknown outcome, no retry after a 200). The full
 * contract (59 cases, every transport quirk) runs in `npm run test:conformance`.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { findSecret } from '../secrets';
import { loadPackage, NODE_TYPE, runNode } from './harness';

const TOKEN = 'engine-events-token';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, eventsToken: TOKEN });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearJournal();
});

interface Outcome {
	json: IDataObject[];
	errors: Array<{ message: string; description?: string | null; context: IDataObject } | undefined>;
	/** The error the node stopped with. */
	error?: { message: string; description?: string | null; context?: IDataObject };
}

async function track(parameters: IDataObject, items: IDataObject[] = [{}], options: { token?: string; settings?: Partial<INode> } = {}): Promise<Outcome> {
	const pkg = await loadPackage();
	const node: INode = {
		id: 'events',
		name: 'Cekat',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'event', operation: 'track', ...parameters } as INode['parameters'],
		credentials: { cekatEventsApi: { id: 'cred-events', name: 'Cekat Events' } },
		...options.settings,
	};
	const run = await runNode({
		nodeTypes: pkg.nodeTypes,
		credentialTypes: pkg.credentialTypes,
		node,
		items,
		credentialsByType: { cekatEventsApi: { accessToken: options.token ?? TOKEN, baseUrl: sandbox.url } },
	});
	const leak = findSecret(run, options.token ?? TOKEN);
	if (leak) throw new Error(`the access token leaked into the execution data at ${leak}`);
	const output = run.data.resultData.runData.Cekat?.[0]?.data?.main?.[0] ?? [];
	return {
		json: output.map((item) => item.json),
		errors: output.map((item) => item.error as Outcome['errors'][number]),
		error: run.data.resultData.error as Outcome['error'],
	};
}

const ingests = () => sandbox.journal().filter((e) => e.method === 'POST' && e.path === '/api/events/ingest');
const sent = () => ingests().map((e) => e.body as IDataObject);

const ORDER_PAID = { eventType: 'order_paid', amount: 125.75, currency: 'IDR', email: 'buyer@example.com' };

describe('Event → Track: the five events', () => {
	it.each([
		['user_registration', { eventType: 'user_registration', email: 'ada@example.com', additionalFields: { contactName: 'Ada' } }, { event_key: 'user_registration', is_common: true, email: 'ada@example.com', contact_name: 'Ada' }],
		['user_login', { eventType: 'user_login', phoneNumber: '+628123456789' }, { event_key: 'user_login', is_common: true, phone_number: '+628123456789' }],
		['order_created', { eventType: 'order_created', amount: 99000, currency: 'IDR', email: 'b@example.com' }, { event_key: 'order_created', is_common: true, email: 'b@example.com', properties: { amount: 99000, currency: 'IDR' } }],
		['order_paid', ORDER_PAID, { event_key: 'order_paid', is_common: true, email: 'buyer@example.com', properties: { amount: 125.75, currency: 'IDR' } }],
		['custom', { eventType: 'custom_event', eventKey: 'trial_started', email: 'p@example.com', propertiesInput: 'keyValue', properties: { property: [{ name: 'plan', value: 'pro' }] } }, { event_key: 'trial_started', is_common: false, email: 'p@example.com', properties: { plan: 'pro' } }],
	])('%s: the payload Cekat received, the Bearer token, the User-Agent, and the acknowledgement as output', async (_name, parameters, expected) => {
		const result = await track(parameters);
		expect(result.error).toBeUndefined();
		const [entry] = ingests();
		expect(ingests()).toHaveLength(1);
		// The sandbox checked the Bearer token (the User-Agent is asserted by npm run test:conformance).
		expect([entry.auth, entry.keyMatched, entry.status]).toEqual(['bearer', true, 200]);
		const { event_id: eventId, occurred_at: occurredAt, ...rest } = entry.body as IDataObject;
		expect(rest).toEqual(expected);
		expect(eventId).toMatch(UUID_V4);
		expect(occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
		expect(result.json).toEqual([
			{
				success: true,
				message: expect.any(String),
				event_key: expected.event_key,
				validated_properties: Object.keys((expected as IDataObject).properties ?? {}),
				event_id: eventId,
				occurred_at: occurredAt,
				attempts: 1,
				retry_delays_ms: [],
				delivery_outcome_unknown: false,
			},
		]);
		expect(sandbox.events().map((e) => e.event_id)).toEqual([eventId]);
	});

	it('takes the visitor id from the inbound headers (header before cookie), fixes a given event id and time', async () => {
		const items = [
			{ headers: { 'x-cekat-visitor-id': '  v-header ', cookie: '_cekat_visitor_id=v-cookie' } },
			{ headers: { 'x-cekat-visitor-id': '  ', cookie: 'a=1; _cekat_visitor_id= v-cookie ' } },
		];
		const result = await track(
			{ ...ORDER_PAID, propertiesInput: 'json', propertiesJson: '={{ { order_id: "ORD-" + $itemIndex } }}', additionalFields: { inboundHeaders: '={{ $json.headers }}', eventId: '={{ " ORD-" + $itemIndex + "-paid " }}', occurredAt: '2026-09-13T08:15:30.250+07:00' } },
			items,
		);
		expect(result.error).toBeUndefined();
		expect(sent().map((b) => [b.visitor_id, b.event_id, b.occurred_at, b.properties])).toEqual([
			['v-header', 'ORD-0-paid', '2026-09-13T01:15:30.250Z', { order_id: 'ORD-0', amount: 125.75, currency: 'IDR' }],
			['v-cookie', 'ORD-1-paid', '2026-09-13T01:15:30.250Z', { order_id: 'ORD-1', amount: 125.75, currency: 'IDR' }],
		]);
		expect(result.json.map((j) => j.validated_properties)).toEqual([['order_id', 'amount', 'currency'], ['order_id', 'amount', 'currency']].map((keys) => expect.arrayContaining(keys)));
	});
});

describe('Event → Track: checked before any request', () => {
	it.each([
		['no email and no phone', { ...ORDER_PAID, email: '  ' }, /^Email: an email or a phone number is required .* \[item 0\]$/],
		['a blank currency', { ...ORDER_PAID, currency: ' ' }, /^Currency: is required for an order event .*\[item 0\]$/],
		['amount in the properties too', { ...ORDER_PAID, propertiesInput: 'keyValue', properties: { property: [{ name: 'amount', value: '1' }] } }, /^Properties: must not contain "amount".*\[item 0\]$/],
		['a custom event without a key', { eventType: 'custom_event', eventKey: ' ', email: 'a@b.c' }, /^Event Key: is required for a custom event \[item 0\]$/],
		['NaN in the properties', { eventType: 'custom_event', eventKey: 'k', email: 'a@b.c', propertiesInput: 'json', propertiesJson: '={{ { score: NaN } }}' }, /^Properties \(JSON\): properties\.score is NaN.*\[item 0\]$/],
		['an unsafe integer', { eventType: 'custom_event', eventKey: 'k', email: 'a@b.c', propertiesInput: 'json', propertiesJson: '={{ { big: 9007199254740993 } }}' }, /^Properties \(JSON\): properties\.big .* outside the safe integer range.*\[item 0\]$/],
		['invalid JSON', { eventType: 'custom_event', eventKey: 'k', email: 'a@b.c', propertiesInput: 'json', propertiesJson: '{ nope' }, /^Properties \(JSON\): is not valid JSON/],
		['a wrong time', { ...ORDER_PAID, additionalFields: { occurredAt: 'yesterday-ish' } }, /^Occurred At: is not an ISO 8601 date-time: "yesterday-ish" \[item 0\]$/],
	])('%s: a field error naming the item, nothing sent', async (_name, parameters, message) => {
		const result = await track(parameters);
		expect(result.error?.message).toMatch(message);
		expect(result.error?.context).toEqual(expect.objectContaining({ result: 'validation_error', attempts: 0, itemIndex: 0 }));
		expect(ingests()).toEqual([]);
	});

	it('On Error → Continue: the refused item has its error in place, the others are sent', async () => {
		const items = [{ email: 'a@example.com' }, { email: '' }, { email: 'c@example.com' }];
		const result = await track({ ...ORDER_PAID, email: '={{ $json.email }}' }, items, { settings: { onError: 'continueRegularOutput' } });
		expect(result.error).toBeUndefined();
		expect(result.json[1]).toEqual({ error: expect.stringMatching(/^Email: .*\[item 1\]$/) });
		expect(result.errors[1]?.context).toEqual(expect.objectContaining({ result: 'validation_error', attempts: 0 }));
		expect(sent().map((b) => b.email)).toEqual(['a@example.com', 'c@example.com']);
	});
});

describe('Event → Track: Cekat refuses', () => {
	it('a wrong token: 401 with Cekat’s message, not retried', async () => {
		const result = await track(ORDER_PAID, [{}], { token: 'wrong-token' });
		expect(ingests()).toHaveLength(1);
		expect(result.error?.context).toEqual(expect.objectContaining({ result: 'authentication_error', status: 401, attempts: 1, deliveryOutcomeUnknown: false }));
		expect(result.error?.context?.serverError).toBe(result.error?.message);
		expect(result.error?.description).toContain('Access Token');
		expect(sandbox.events()).toEqual([]);
	});

	it('a custom key Cekat does not define: 404, not retried', async () => {
		sandbox.setEventDefinitions(['trial_started']);
		const result = await track({ eventType: 'custom_event', eventKey: 'unknown_thing', email: 'a@b.c' });
		expect(ingests()).toHaveLength(1);
		expect(result.error?.context).toEqual(expect.objectContaining({ result: 'event_definition_not_found_error', status: 404, attempts: 1 }));
	});

	it('Stop after delivered items: the error lists them (a re-run can leave them out)', async () => {
		sandbox.setEventDefinitions(['trial_started']);
		const items = [{ key: 'trial_started' }, { key: 'nope' }];
		const result = await track({ eventType: 'custom_event', eventKey: '={{ $json.key }}', email: 'a@b.c' }, items);
		const [first] = sent();
		expect(result.error?.description).toContain(`Already delivered before this item: item 0 (event ${String(first.event_id)})`);
		expect(result.error?.context).toEqual(expect.objectContaining({ itemIndex: 1, delivered: [{ item: 0, eventId: first.event_id }] }));
	});

	it('Retry On Fail re-runs the node without sending a delivered event again', async () => {
		sandbox.setEventDefinitions(['trial_started']);
		const items = [{ key: 'trial_started' }, { key: 'nope' }];
		await track({ eventType: 'custom_event', eventKey: '={{ $json.key }}', email: 'a@b.c' }, items, { settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } });
		expect(sent().map((b) => b.event_key)).toEqual(['trial_started', 'nope', 'nope']);
		// The failed item kept its event id on the second try.
		expect(sent()[1].event_id).toBe(sent()[2].event_id);
	});
});

describe('Event → Track: delivery', () => {
	it('a 503 with Retry-After 1: waited at least 1 s, sent again with the same event id and time', async () => {
		sandbox.addFault({ path: '/api/events/ingest', status: 503, retryAfter: 1, count: 1 });
		const result = await track(ORDER_PAID);
		expect(result.error).toBeUndefined();
		expect(ingests().map((e) => e.status)).toEqual([503, 200]);
		const [a, b] = sent();
		expect([b.event_id, b.occurred_at]).toEqual([a.event_id, a.occurred_at]);
		expect(result.json[0]).toEqual(expect.objectContaining({ attempts: 2, delivery_outcome_unknown: false }));
		expect((result.json[0].retry_delays_ms as number[])[0]).toBeGreaterThanOrEqual(1000);
		expect(sandbox.events()).toHaveLength(1);
	});

	it('no answer after every retry: a transport error, delivery outcome unknown, 3 attempts with jittered waits', async () => {
		sandbox.addFault({ path: '/api/events/ingest', kind: 'drop', count: 3 });
		const result = await track(ORDER_PAID);
		expect(ingests()).toHaveLength(3);
		expect(new Set(sent().map((b) => b.event_id)).size).toBe(1);
		expect(result.error?.message).toMatch(/\(delivery outcome unknown\)$/);
		const context = result.error?.context as { result: string; attempts: number; deliveryOutcomeUnknown: boolean; retryDelaysMs: number[] };
		expect(context).toEqual(expect.objectContaining({ result: 'transport_error', attempts: 3, deliveryOutcomeUnknown: true }));
		expect(context.retryDelaysMs[0]).toBeLessThanOrEqual(100);
		expect(context.retryDelaysMs[1]).toBeLessThanOrEqual(200);
		expect(result.error?.description).toContain('same Event ID');
	});

	it('a slow answer past the timeout is tried again and then acknowledged', async () => {
		sandbox.addFault({ path: '/api/events/ingest', kind: 'delay', delayMs: 600, count: 1 });
		const result = await track({ ...ORDER_PAID, eventOptions: { timeout: 200 } });
		expect(result.error).toBeUndefined();
		expect(result.json[0]).toEqual(expect.objectContaining({ success: true, attempts: 2, delivery_outcome_unknown: false }));
		expect(new Set(sent().map((b) => b.event_id)).size).toBe(1);
	});

	it('a 200 that is not an acknowledgement is never retried (Cekat took the event)', async () => {
		sandbox.addFault({ path: '/api/events/ingest', kind: 'malformed', count: 3 });
		const result = await track(ORDER_PAID);
		expect(ingests()).toHaveLength(1);
		expect(result.error?.context).toEqual(expect.objectContaining({ result: 'response_decode_error', status: 200, attempts: 1, deliveryOutcomeUnknown: false }));
		expect(result.error?.description).toContain('do not send it again');
	});

	it('Retries 0: one attempt only', async () => {
		sandbox.addFault({ path: '/api/events/ingest', status: 500, count: 1 });
		const result = await track({ ...ORDER_PAID, eventOptions: { retries: 0 } });
		expect(ingests()).toHaveLength(1);
		expect(result.error?.context).toEqual(expect.objectContaining({ result: 'api_error', status: 500, attempts: 1 }));
	});
});
