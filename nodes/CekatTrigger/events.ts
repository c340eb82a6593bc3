import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * The events Cekat's business webhooks deliver, from Cekat's "Business Webhook Events" reference
 * (docs/cekat-api.md, Webhooks). `message.failed` is registered at Cekat but never sent, so it is not offered.
 * `where` says where the event names its inbox (Inbox filter) or board (Board filter); `none`: neither.
 */
export type EventScope = 'message' | 'conversation' | 'note' | 'template' | 'board' | 'none';

/** Where an event names its inbox or board, by the part of its name before the dot; other events: `none`. */
const SCOPE_OF_KIND: Record<string, EventScope> = {
	message: 'message',
	conversation: 'conversation',
	conversation_note: 'note',
	template: 'template',
	crm_item: 'board',
	crm_value: 'board',
};

/** An event's name as the editor lists it: "crm_item.created" → "CRM Item Created". */
const titleOf = (value: string) => value.split(/[._]/).map((word) => (word === 'crm' || word === 'ai' ? word.toUpperCase() : word[0].toUpperCase() + word.slice(1))).join(' ');

/** [value, description, name when it is not titleOf(value)]. */
const EVENTS: Array<[string, string, string?]> = [
	['message.received', 'A customer wrote to one of your inboxes (data: the message, with data.conversation)'],
	['message.sent', 'An agent, the AI agent or the API sent a message (not system messages)'],
	['conversation.created', 'A new conversation started (data: the conversation)'],
	['conversation.handled_by_updated', 'A conversation was assigned to another agent or unassigned (old_value / new_value: agent IDs or null)'],
	['conversation.stage_status_updated', 'A conversation moved between open, pending, assigned and resolved (old_value / new_value)'],
	['conversation.pipeline_status_updated', 'A conversation moved to another pipeline status (old_value / new_value: status IDs)'],
	['conversation.labels_updated', 'A label was added to or removed from a conversation (change_type, label)'],
	['conversation.customer_first_response_human_stage', 'The customer’s first reply after a human took over (once per conversation)', 'Customer First Response In Human Stage'],
	['ai_summary.generated', 'Cekat’s AI wrote a conversation summary (ai_summary_text, conversation_id, phone_number)'],
	['conversation_note.created', 'A note was added to a contact or conversation (note, contact_id, conversation_id)'],
	['conversation_note.updated', 'A note was edited (note, previous_note)'],
	['contact.updated', 'A contact’s details changed (changes.key, changes.old_value, changes.new_value: the first changed field)'],
	['crm_item.created', 'An item was added to a CRM board (board_id; data.name, and its ID in data)'],
	['crm_item.updated', 'A CRM item changed (board_id; data.name, and its ID in data)'],
	['crm_item.deleted', 'A CRM item was deleted (board_id; data.item_id)'],
	['crm_value.upserted', 'A CRM item’s column value was set (data: item_id, item_name, the column’s name with its value)'],
	['crm_value.deleted', 'A CRM item’s column value was cleared (data: the column’s name with the old value)'],
	['order.created', 'A new order was created (data: the order)'],
	['order.updated', 'An order changed (changed: the changed fields; data: the order)'],
	['order.order_status_updated', 'An order’s status changed (order_id, old_value, new_value)', 'Order Status Updated'],
	['order.payment_status_updated', 'An order’s payment status changed (order_id, old_value, new_value, e.g. PENDING → PAID)'],
	['netzme.invoice_paid', 'A Netzme invoice was paid (invoice_id, amount, payment_method, payment_time)'],
	['template.status_updated', 'Meta approved, rejected or paused a WhatsApp template (data.template_status, data.template_name)'],
];

export const CEKAT_EVENTS: ReadonlyArray<{ value: string; name: string; description: string; where: EventScope }> = EVENTS.map(
	([value, description, name = titleOf(value)]) => ({ value, name, where: SCOPE_OF_KIND[value.split('.')[0]] ?? 'none', description }),
);

export const ALL_EVENTS = '*';

export const EVENT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'All Events', value: ALL_EVENTS, description: 'Every event listed here that Cekat sends to this URL' },
	...CEKAT_EVENTS.map(({ value, name, description }) => ({ name, value, description })),
];

const SCOPE = new Map(CEKAT_EVENTS.map((e) => [e.value, e.where]));

/** Whether the node knows (and offers) an event. */
export const isKnownEvent = (event: string): boolean => SCOPE.has(event);

/** Where an event names its inbox or board; undefined for unknown events. */
export const scopeOf = (event: string): EventScope | undefined => SCOPE.get(event);

/** Events about CRM boards: filtered by Board, not by Inbox. */
export const isCrmEvent = (event: string): boolean => SCOPE.get(event) === 'board';

/** What Polling mode can watch, read through the list endpoints. */
export const POLL_EVENTS = ['newOrder', 'orderStatusChanged', 'newMessage', 'newConversation', 'newCrmItem'] as const;
export type PollEvent = (typeof POLL_EVENTS)[number];

export const POLL_EVENT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'New CRM Item', value: 'newCrmItem', description: 'An item added to a CRM board (a new item_id in the board’s items)' },
	{ name: 'New Conversation', value: 'newConversation', description: 'A conversation started (the conversations list)' },
	{ name: 'New Message', value: 'newMessage', description: 'A message received or sent, in any conversation (the messages list)' },
	{ name: 'New Order', value: 'newOrder', description: 'An order created (the orders list, newest first)' },
	{ name: 'Order Status Changed', value: 'orderStatusChanged', description: 'An order’s status or payment status changed (the newest orders, compared with the last poll)' },
];
