/**
 * Event → Track as a custom operation: per item, the payload is built and checked (payload.ts), then
 * delivered (delivery.ts), in input order. The output is Cekat's acknowledgement plus what was sent and
 * how (event id, attempts, retry delays); a failure names the item, says whether Cekat may have received
 * the event, and lists the items already delivered.
 */
import type { IDataObject, IExecuteData, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, deliver, type Outcome } from './delivery';
import { fieldError, type FieldContext } from '../validation';
import { buildEventPayload, type EventPayload } from './payload';

/** Payloads and outcomes of earlier tries of this node run (Retry On Fail): a delivered item is not sent again, the others keep their event id. */
const tried = new WeakMap<IExecuteData, Map<number, { payload: EventPayload; delivered?: INodeExecutionData }>>();

const OUTCOME_TEXT: Record<string, string> = {
	unknown: 'Cekat may have received it: send it again with the same Event ID.',
	known: 'Cekat did not take it.',
};

function properties(ctx: IExecuteFunctions, i: number, item: FieldContext): unknown {
	const input = ctx.getNodeParameter('propertiesInput', i, 'none') as string;
	if (input === 'json') {
		let raw: unknown;
		try {
			raw = ctx.getNodeParameter('propertiesJson', i, {});
		} catch (error) {
			// n8n's expression engine overflows its stack on an object that contains itself.
			if (error instanceof RangeError || /call stack/i.test(String((error as Error)?.message))) {
				throw fieldError(item, 'Properties (JSON)', 'refers back to itself (a cycle), which JSON cannot carry', 'Nothing was sent for this item.');
			}
			throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i });
		}
		if (typeof raw !== 'string') return raw;
		if (raw.trim() === '') return undefined;
		try {
			return JSON.parse(raw) as unknown;
		} catch (error) {
			throw fieldError(item, 'Properties (JSON)', `is not valid JSON (${(error as Error).message})`, 'Nothing was sent for this item.');
		}
	}
	if (input === 'keyValue') {
		const pairs = ((ctx.getNodeParameter('properties.property', i, []) as Array<{ name?: string; value?: unknown }>) ?? []).filter((p) => (p.name ?? '').trim() !== '');
		const out: IDataObject = {};
		for (const pair of pairs) {
			const name = pair.name!.trim();
			if (name in out) throw fieldError(item, 'Properties', `"${name}" is given twice`, 'Nothing was sent for this item.');
			out[name] = pair.value as IDataObject[string];
		}
		return out;
	}
	return undefined;
}

function outcomeJson(payload: EventPayload, outcome: Outcome): IDataObject {
	return {
		event_id: payload.event_id,
		occurred_at: payload.occurred_at,
		attempts: outcome.attempts,
		retry_delays_ms: outcome.retryDelaysMs,
		delivery_outcome_unknown: outcome.deliveryOutcomeUnknown,
	};
}

function failure(ctx: IExecuteFunctions, i: number, payload: EventPayload, outcome: Outcome): NodeApiError | NodeOperationError {
	const node = ctx.getNode();
	const context = {
		itemIndex: i,
		result: outcome.result,
		attempts: outcome.attempts,
		retryDelaysMs: outcome.retryDelaysMs,
		deliveryOutcomeUnknown: outcome.deliveryOutcomeUnknown,
		eventId: payload.event_id,
		occurredAt: payload.occurred_at,
		...(outcome.status !== undefined ? { status: outcome.status } : {}),
		...(outcome.serverError !== undefined ? { serverError: outcome.serverError } : {}),
		...(outcome.serverCode !== undefined ? { serverCode: outcome.serverCode } : {}),
		...(outcome.retainedBodyBytes !== undefined
			? { retainedBodyBytes: outcome.retainedBodyBytes, observedBodyBytes: outcome.observedBodyBytes, bodyTruncated: outcome.bodyTruncated, body: outcome.body }
			: {}),
	};
	const tries = `${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}`;
	const hint: Record<string, string> = {
		authentication_error: 'Check the credential’s Access Token.',
		event_definition_not_found_error: 'Define the event key in Cekat, or check it.',
		response_decode_error: 'Cekat took the event (200): do not send it again.',
		caller_cancelled: outcome.deliveryOutcomeUnknown ? OUTCOME_TEXT.unknown : 'The event was not sent.',
	};
	const description = [
		hint[outcome.result],
		outcome.result === 'response_decode_error' || outcome.result === 'caller_cancelled' ? undefined : OUTCOME_TEXT[outcome.deliveryOutcomeUnknown ? 'unknown' : 'known'],
		`Item ${i}, event ID ${payload.event_id}, ${tries}${outcome.retryDelaysMs.length ? ` (waited ${outcome.retryDelaysMs.join(', ')} ms between them)` : ''}.`,
	]
		.filter(Boolean)
		.join(' ');
	// Cekat's own message unchanged (the contract's caller-visible message); the item is in the context and the description.
	const message = `${outcome.message ?? 'The event could not be sent'}${outcome.deliveryOutcomeUnknown ? ' (delivery outcome unknown)' : ''}`;
	if (outcome.result === 'caller_cancelled') {
		const error = new NodeOperationError(node, message, { itemIndex: i, description });
		error.context = { ...error.context, ...context };
		return error;
	}
	// Built from plain facts only: no request options (they hold the token) reach the error.
	// No message or code in the response object: NodeApiError would swap the message for its generic text.
	const error = new NodeApiError(node, { result: outcome.result } as JsonObject, {
		message,
		description,
		itemIndex: i,
		...(outcome.status !== undefined ? { httpCode: String(outcome.status) } : {}),
	});
	error.context = { ...error.context, ...context };
	return error;
}

export async function trackEvents(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const credentials = await this.getCredentials<{ accessToken?: string; baseUrl?: string }>('cekatEventsApi');
	const run = this.getExecuteData();
	let memory = tried.get(run);
	if (!memory) {
		memory = new Map();
		tried.set(run, memory);
	}
	const output: INodeExecutionData[] = [];
	const delivered: Array<{ item: number; eventId: string }> = [];
	const signal = this.getExecutionCancelSignal();

	for (let i = 0; i < items.length; i++) {
		const earlier = memory.get(i);
		if (earlier?.delivered) {
			output.push(earlier.delivered);
			delivered.push({ item: i, eventId: earlier.payload.event_id });
			continue;
		}
		let payload = earlier?.payload;
		try {
			if (!payload) {
				const extra = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
				const eventType = this.getNodeParameter('eventType', i) as string;
				const isOrder = eventType === 'order_created' || eventType === 'order_paid';
				const item: FieldContext = { getNode: () => node, getItemIndex: () => i };
				payload = buildEventPayload(item, {
					eventType,
					eventKey: eventType === 'custom_event' ? this.getNodeParameter('eventKey', i, '') : undefined,
					amount: isOrder ? this.getNodeParameter('amount', i, undefined) : undefined,
					currency: isOrder ? this.getNodeParameter('currency', i, '') : undefined,
					email: this.getNodeParameter('email', i, ''),
					phoneNumber: this.getNodeParameter('phoneNumber', i, ''),
					contactName: extra.contactName,
					visitorId: extra.visitorId,
					inboundHeaders: extra.inboundHeaders,
					eventId: extra.eventId,
					occurredAt: extra.occurredAt,
					properties: properties(this, i, item),
					propertiesLabel: this.getNodeParameter('propertiesInput', i, 'none') === 'json' ? 'Properties (JSON)' : 'Properties',
				});
				memory.set(i, { payload });
			}
		} catch (error) {
			const nodeError = error instanceof NodeOperationError ? error : new NodeOperationError(node, error as Error, { itemIndex: i });
			nodeError.context = { ...nodeError.context, itemIndex: i, result: 'validation_error', attempts: 0, retryDelaysMs: [], deliveryOutcomeUnknown: false };
			if (!continueOnFail) throw withDelivered(nodeError, delivered);
			// n8n shows an item with an error as { error: message }; the facts stay in error.context.
			output.push({ json: { error: nodeError.message }, error: nodeError, pairedItem: { item: i } });
			continue;
		}

		const options = this.getNodeParameter('eventOptions', i, {}) as { timeout?: number; retries?: number };
		const outcome = await deliver(
			{
				baseUrl: String(credentials.baseUrl ?? ''),
				accessToken: String(credentials.accessToken ?? ''),
				timeoutMs: Number(options.timeout) > 0 ? Number(options.timeout) : DEFAULT_TIMEOUT_MS,
				retries: Number.isInteger(options.retries) && options.retries! >= 0 ? options.retries! : DEFAULT_RETRIES,
				signal,
				request: async (request) => await this.helpers.httpRequest(request),
			},
			payload,
		);
		if (outcome.acknowledgement) {
			const item: INodeExecutionData = { json: { ...outcome.acknowledgement, ...outcomeJson(payload, outcome) }, pairedItem: { item: i } };
			memory.set(i, { payload, delivered: item });
			delivered.push({ item: i, eventId: payload.event_id });
			output.push(item);
			continue;
		}
		const error = failure(this, i, payload, outcome);
		if (!continueOnFail || outcome.result === 'caller_cancelled') throw withDelivered(error, delivered);
		output.push({ json: { error: error.message }, error, pairedItem: { item: i } });
	}
	return [output];
}

/** A stopping error also says which earlier items Cekat already acknowledged (a re-run should leave them out). */
function withDelivered<E extends NodeApiError | NodeOperationError>(error: E, delivered: Array<{ item: number; eventId: string }>): E {
	if (!delivered.length) return error;
	const list = delivered.slice(0, 50).map((d) => `item ${d.item} (event ${d.eventId})`).join(', ');
	error.description = [error.description, `Already delivered before this item: ${list}${delivered.length > 50 ? `, … ${delivered.length - 50} more` : ''}.`].filter(Boolean).join('\n\n');
	error.context = { ...error.context, delivered };
	return error;
}
