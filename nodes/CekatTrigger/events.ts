import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * Every event Cekat's webhook settings offer (Settings → Developer and API Setting → Webhooks), as
 * listed in the team's notes on the real service. Cekat documents the names only, not the payloads.
 */
export const CEKAT_EVENTS: ReadonlyArray<{ value: string; name: string; description: string }> = [
	{ value: 'message.received', name: 'Message Received', description: 'A contact wrote to one of your inboxes' },
	{ value: 'message.sent', name: 'Message Sent', description: 'An agent, the AI agent or the API sent a message' },
	{ value: 'conversation.created', name: 'Conversation Created', description: 'A new conversation started' },
	{ value: 'conversation.handled_by_updated', name: 'Conversation Handled By Updated', description: 'A conversation was assigned to another agent (or unassigned)' },
	{ value: 'conversation.stage_status_updated', name: 'Conversation Stage Status Updated', description: 'A conversation moved between open, pending and resolved' },
	{ value: 'conversation.pipeline_status_updated', name: 'Conversation Pipeline Status Updated', description: 'A conversation moved to another pipeline stage' },
	{ value: 'conversation.labels_updated', name: 'Conversation Labels Updated', description: 'Labels were added to or removed from a conversation' },
	{ value: 'contact.updated', name: 'Contact Updated', description: 'A contact’s details changed' },
	{ value: 'crm_item.created', name: 'CRM Item Created', description: 'A card was added to a CRM board' },
	{ value: 'crm_item.updated', name: 'CRM Item Updated', description: 'A CRM card changed (name, group, values)' },
	{ value: 'crm_item.deleted', name: 'CRM Item Deleted', description: 'A CRM card was deleted' },
	{ value: 'crm_value.upserted', name: 'CRM Value Upserted', description: 'A column value of a CRM card was set' },
	{ value: 'crm_value.deleted', name: 'CRM Value Deleted', description: 'A column value of a CRM card was cleared' },
	{ value: 'order.created', name: 'Order Created', description: 'A new order was created' },
	{ value: 'order.updated', name: 'Order Updated', description: 'An order changed (any field)' },
	{ value: 'order.order_status_updated', name: 'Order Status Updated', description: 'An order’s status changed (pending, processing, shipping, completed, cancelled)' },
	{ value: 'order.payment_status_updated', name: 'Order Payment Status Updated', description: 'An order’s payment status changed (pending, paid, expired, settled)' },
];

export const ALL_EVENTS = '*';

export const EVENT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'All Events', value: ALL_EVENTS, description: 'Every event Cekat sends to this URL' },
	...CEKAT_EVENTS.map(({ value, name, description }) => ({ name, value, description })),
];

/** Events about CRM boards: filtered by Board, not by Inbox. */
export const isCrmEvent = (event: string): boolean => event.startsWith('crm_');

/** What Polling mode can watch, read through the list endpoints. */
export const POLL_EVENTS = ['newOrder', 'orderStatusChanged', 'newMessage', 'newConversation', 'newCrmItem'] as const;
export type PollEvent = (typeof POLL_EVENTS)[number];

export const POLL_EVENT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'New CRM Item', value: 'newCrmItem', description: 'A card added to a CRM board (the board’s item list)' },
	{ name: 'New Conversation', value: 'newConversation', description: 'A conversation started (the conversations list)' },
	{ name: 'New Message', value: 'newMessage', description: 'A message received or sent, in any conversation (the messages list)' },
	{ name: 'New Order', value: 'newOrder', description: 'An order created (the orders list, newest first)' },
	{ name: 'Order Status Changed', value: 'orderStatusChanged', description: 'An order’s status or payment status changed (the orders list by last update)' },
];
