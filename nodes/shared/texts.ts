/**
 * Texts that several nodes or node versions show, written once (the bundle would carry every copy). Each
 * version may add its own sentence.
 */

/** n8n shows one entry for a node and its trigger, with this text: it must fit both. */
export const NODE_DESCRIPTION = 'WhatsApp messages, CRM boards, orders and conversations in Cekat';

/** A redelivered event is recognised by its ID (webhook.ts). */
export const REDELIVERED = 'A redelivered event (same event ID) starts nothing.';

/** Webhook URL added in Cekat by hand (v1, v2 with registration off). */
export const WEBHOOK_BY_HAND =
	'In Cekat, add a webhook (Settings → Developer and API Setting → Webhooks) with the Production URL above (the Test URL while testing) and the same events. With a Secret, add it to the URL: <code>…/cekat?secret=YOUR_SECRET</code>. ' +
	REDELIVERED;

export const EVENTS_DESCRIPTION =
	'Events that start the workflow. Output: Cekat’s event as sent, plus "event" (its name); order status events also get old_value and new_value at the top. Other events are answered and start nothing.';

export const INBOX_FILTER =
	'Only message, conversation, note and template events of this inbox; such events naming no inbox are then ignored. Other events are not filtered by inbox. Empty: every inbox.';

export const BOARD_FILTER = 'Only CRM events (crm_item.*, crm_value.*) of this board. Empty: every board.';

const SECRET = 'Optional. Only requests carrying it (?secret=… in the URL, or an X-Cekat-Secret header) start the workflow; others get 401.';
export const SECRET_BY_HAND = `${SECRET} Add ?secret=… to the URL you paste in Cekat.`;
export const SECRET_REGISTERED = `${SECRET} A registered URL carries it; add it to a URL you add by hand.`;

/** How polling works (v1's Polling mode, the Cekat Polling Trigger). */
export const POLLING_HOW =
	'The first poll after activation starts from now; each new record is then emitted once. New CRM items are found by their ID, status changes by comparing the newest orders with the last poll. A test run shows a recent record.';
