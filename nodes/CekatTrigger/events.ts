import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * The events Cekat's business webhooks deliver, from Cekat's "Business Webhook Events" reference
 * (docs/cekat-api.md, Webhooks). `message.failed` is registered at Cekat but never sent, so it is not offered.
 * `where` says where the event names its inbox (Inbox filter) or board (Board filter); `none`: neither.
 */
export type EventScope = 'message' | 'conversation' | 'note' | 'template' | 'board' | 'none';

export const CEKAT_EVENTS: ReadonlyArray<{ value: string; name: string; description: string; where: EventScope }> = [
	{ value: 'message.received', name: 'Message Received', where: 'message', description: 'A customer wrote to one of your inboxes (data: the message, with data.conversation)' },
	{ value: 'message.sent', name: 'Message Sent', where: 'message', description: 'An agent, the AI agent or the API sent a message (not system messages)' },
	{ value: 'conversation.created', name: 'Conversation Created', where: 'conversation', description: 'A new conversation started (data: the conversation)' },
	{ value: 'conversation.handled_by_updated', name: 'Conversation Handled By Updated', where: 'conversation', description: 'A conversation was assigned to another agent or unassigned (old_value / new_value: agent IDs, may be null)' },
	{ value: 'conversation.stage_status_updated', name: 'Conversation Stage Status Updated', where: 'conversation', description: 'A conversation moved between open, pending, assigned and resolved (old_value / new_value)' },
	{ value: 'conversation.pipeline_status_updated', name: 'Conversation Pipeline Status Updated', where: 'conversation', description: 'A conversation moved to another pipeline status (old_value / new_value: pipeline status IDs)' },
	{ value: 'conversation.labels_updated', name: 'Conversation Labels Updated', where: 'conversation', description: 'A label was added to or removed from a conversation (change_type, label)' },
	{ value: 'conversation.customer_first_response_human_stage', name: 'Customer First Response In Human Stage', where: 'conversation', description: 'The customer’s first reply after a human took over (once per conversation, not every reply)' },
	{ value: 'ai_summary.generated', name: 'AI Summary Generated', where: 'none', description: 'Cekat’s AI wrote a conversation summary (ai_summary_text, conversation_id, phone_number)' },
	{ value: 'conversation_note.created', name: 'Conversation Note Created', where: 'note', description: 'A note was added to a contact or conversation (note, contact_id, conversation_id)' },
	{ value: 'conversation_note.updated', name: 'Conversation Note Updated', where: 'note', description: 'A note was edited (note, previous_note)' },
	{ value: 'contact.updated', name: 'Contact Updated', where: 'none', description: 'A contact’s details changed (changes.key, changes.old_value, changes.new_value: the first changed field)' },
	{ value: 'crm_item.created', name: 'CRM Item Created', where: 'board', description: 'An item was added to a CRM board (board_id; data.name, and its ID in data)' },
	{ value: 'crm_item.updated', name: 'CRM Item Updated', where: 'board', description: 'A CRM item changed (board_id; data.name, and its ID in data)' },
	{ value: 'crm_item.deleted', name: 'CRM Item Deleted', where: 'board', description: 'A CRM item was deleted (board_id; data.item_id)' },
	{ value: 'crm_value.upserted', name: 'CRM Value Upserted', where: 'board', description: 'A column value of a CRM item was set (data: item_id, item_name and the column’s name with its value)' },
	{ value: 'crm_value.deleted', name: 'CRM Value Deleted', where: 'board', description: 'A column value of a CRM item was cleared (data: the column’s name with the value before)' },
	{ value: 'order.created', name: 'Order Created', where: 'none', description: 'A new order was created (data: the order)' },
	{ value: 'order.updated', name: 'Order Updated', where: 'none', description: 'An order changed (changed: the changed fields; data: the order)' },
	{ value: 'order.order_status_updated', name: 'Order Status Updated', where: 'none', description: 'An order’s status changed: order_id, old_value, new_value (pending, processing, shipping, completed, cancelled)' },
	{ value: 'order.payment_status_updated', name: 'Order Payment Status Updated', where: 'none', description: 'An order’s payment status changed: order_id, old_value, new_value (e.g. PENDING → PAID)' },
	{ value: 'netzme.invoice_paid', name: 'Netzme Invoice Paid', where: 'none', description: 'A Netzme invoice was paid (invoice_id, amount, payment_method, payment_time)' },
	{ value: 'template.status_updated', name: 'Template Status Updated', where: 'template', description: 'Meta approved, rejected or paused a WhatsApp template (data.template_status, data.template_name)' },
];

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
	{ name: 'New CRM Item', value: 'newCrmItem', description: 'An item added to a CRM board (found by its item_id in the board’s item list)' },
	{ name: 'New Conversation', value: 'newConversation', description: 'A conversation started (the conversations list)' },
	{ name: 'New Message', value: 'newMessage', description: 'A message received or sent, in any conversation (the messages list)' },
	{ name: 'New Order', value: 'newOrder', description: 'An order created (the orders list, newest first)' },
	{ name: 'Order Status Changed', value: 'orderStatusChanged', description: 'An order’s status or payment status changed (the orders list, compared with the statuses seen before)' },
];
