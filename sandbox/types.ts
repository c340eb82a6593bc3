/**
 * Entity shapes served by the sandbox. They follow what is known of the real service ("observed" shapes in CEKAT-API-NOTES.md);
 * fields the notes do not name are kept few and plausible.
 */

export interface SandboxSizes {
	inboxes: number;
	agents: number;
	contacts: number;
	conversations: number;
	/** Average number of messages per conversation (each conversation gets avg-3 … avg+3, at least 1). */
	messagesPerConversation: number;
	templates: number;
	campaigns: number;
	/** Average number of recipients (campaign messages) per campaign. */
	campaignMessagesPerCampaign: number;
	products: number;
	orders: number;
	boards: number;
	itemsPerBoard: number;
}

export const DEFAULT_SIZES: SandboxSizes = {
	inboxes: 4,
	agents: 12,
	contacts: 400,
	conversations: 300,
	messagesPerConversation: 8,
	templates: 24,
	campaigns: 30,
	campaignMessagesPerCampaign: 25,
	products: 24,
	orders: 1200,
	boards: 2,
	itemsPerBoard: 150,
};

/** Minimums keep the generated graph consistent (every conversation needs an inbox, a contact, …). */
export const MIN_SIZES: Partial<SandboxSizes> = { inboxes: 1, agents: 1, contacts: 1, products: 1 };
/** Upper bound per size: protects the process from an accidental `orders: 1e9`. */
export const MAX_SIZE = 2_000_000;

export interface Ref {
	id: string;
	name: string;
}

export interface Inbox {
	id: string;
	name: string;
	type: 'whatsapp' | 'instagram';
	status: string;
	phone_number: string | null;
	ai_agent_id: string | null;
	created_at: string;
}

export interface Agent {
	id: string;
	name: string;
	role: string;
	email: string;
	division: string[];
	is_online: boolean;
	created_at: string;
}

/** AI agents are not served by any route; they exist so ids in inboxes/conversations/messages are consistent. */
export interface AiAgent {
	id: string;
	name: string;
}

export interface Contact {
	id: string;
	contact_name: string;
	phone_number: string;
	email: string | null;
	platform: string;
	inboxes: Ref[];
	additional_data: Record<string, unknown>;
	created_at: string;
}

export interface Label {
	id: string;
	name: string;
	color: string;
}

/** A conversation pipeline status (OFF's getPipelinesDropdown reads id, name, color). */
export interface PipelineStatus {
	id: string;
	name: string;
	color: string;
}

/** INV, PM and OFF agree on these four. */
export type StageStatus = 'open' | 'pending' | 'assigned' | 'resolved';

export interface Conversation {
	id: string;
	inbox_id: string;
	inbox_name: string;
	contact_id: string;
	contact_name: string;
	contact_phone: string;
	stage_status: StageStatus;
	labels: Label[];
	pipeline: Ref | null;
	handled_by_id: string | null;
	handled_by_name: string | null;
	last_message: { message: string; created_at: string; sent_by_type?: SentByType } | null;
	/** PM's saved conversation detail: [{ id, name }] of agents collaborating besides the handler. */
	collaborators: Ref[];
	resolved_by_id: string | null;
	resolved_by_name: string | null;
	created_at: string;
	resolved_at: string | null;
	platform_type: string;
	notes: string | null;
	additional_data: Record<string, unknown>;
	assigned_ai_agent: string | null;
	keep_assigned_ai_agent_on_resolve: boolean;
	/** POST /business_workflows/block-ai | unblock-ai; the field name is not evidenced. Absent = false. */
	ai_blocked?: boolean;
	/** Value / currency given with POST /business_workflows/labels, per label id (kept in the store, not served). */
	label_values?: Record<string, { value: number | null; currency: string | null }>;
}

export type SentByType = 'contact' | 'agent' | 'ai' | 'api';

export interface Message {
	id: string;
	message: string;
	sent_by: string;
	sent_by_name: string;
	sent_by_type: SentByType;
	media_type: string;
	media_url: string | null;
	status: string;
	is_template: boolean;
	created_at: string;
	conversation_id: string;
	contact: { id: string; contact_name: string; phone_number: string };
	inbox: Ref;
}

export interface Template {
	id: string;
	name: string;
	wa_template_id: string;
	category: string;
	language: string;
	status: 'APPROVED' | 'PENDING' | 'REJECTED';
	body: string;
	inbox_id: string;
	created_at: string;
}

export interface Campaign {
	id: string;
	name: string;
	inbox_id: string;
	template_id: string | null;
	status: string;
	total_recipients: number;
	sent: number;
	delivered: number;
	read: number;
	failed: number;
	created_at: string;
}

export interface CampaignMessage {
	id: string;
	campaign_id: string;
	contact_id: string;
	contact_name: string;
	phone_number: string;
	status: 'sent' | 'delivered' | 'read' | 'failed';
	error_message: string | null;
	sent_at: string | null;
	created_at: string;
}

/** History row of /api/agent_assignments. */
export interface AgentAssignment {
	id: string;
	agent_id: string;
	agent_name: string;
	conversation_id: string;
	action: 'assigned' | 'unassigned';
	created_at: string;
}

/** Row of /api/conversations/agent-assignments (current assignment per conversation); derived, not stored. */
export interface CurrentAssignment {
	conversation_id: string;
	contact_name: string;
	inbox_id: string;
	agent_id: string;
	agent_name: string;
	assigned_at: string;
}

export interface Product {
	id: string;
	name: string;
	sku: string;
	price: number;
}

export const ORDER_STATUSES = ['pending', 'processing', 'shipping', 'cancelled', 'completed'] as const;
export const PAYMENT_STATUSES = ['pending', 'paid', 'expired', 'settled'] as const;
export const PAYMENT_METHODS = ['manual', 'xendit', 'custom'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface OrderLine {
	id: string;
	product_id: string | null;
	product_name: string;
	quantity: number;
	price: number;
	total: number;
}

export interface Order {
	id: string;
	/** An integer (OFF prints `Order #${order_number}`; 2292 in a real answer). Seeds count from 1001. */
	order_number: number;
	order_status: OrderStatus;
	payment_status: PaymentStatus;
	payment_method: PaymentMethod;
	/** Required for manual payment (OFF, PM); null otherwise. */
	bank_account_number: string | null;
	subtotal: number;
	discount: number;
	shipping_fee: number;
	vat: number;
	grand_total: number;
	contact_id: string;
	contact: { id: string; contact_name: string; phone_number: string; email: string | null };
	conversation_id: string | null;
	inbox_id: string | null;
	orders_products: OrderLine[];
	notes: string | null;
	address: string | null;
	email: string | null;
	custom_invoice_url: string | null;
	invoice_is_sent: boolean;
	created_at: string;
	updated_at: string;
}

export type CrmColumnType = 'text' | 'number' | 'date' | 'select' | 'dropdown' | 'agents' | 'timeline';

/** A select/dropdown option. Ids are short strings "0", "1", … plus a "default" label with an empty name (PM, OFF). */
export interface CrmLabel {
	id: string;
	name: string;
	color: string;
}

export interface CrmColumn {
	id: string;
	name: string;
	type: CrmColumnType;
	/** Stored labels carry no `count`: it is computed when served (the number of items using the label). */
	settings: { labels?: CrmLabel[] } & Record<string, unknown>;
	is_required: boolean;
	read_only: boolean;
	is_visible: boolean;
	position: number;
}

export interface CrmGroup {
	id: string;
	name: string;
	color: string;
}

export interface CrmBoard {
	id: string;
	name: string;
	description: string;
	created_at: string;
	crm_columns: CrmColumn[];
	crm_groups: CrmGroup[];
}

/** select: a label id ("0"); dropdown: label ids (["0","1"]); agents: agent ids; timeline: { from, to } (YYYY-MM-DD). */
export type CrmValue = string | number | string[] | { from: string; to: string } | null;

/**
 * INTERNAL form of an item (webhooks.ts and tests read it). On the wire items are flat:
 * { item_id, item_name, group_id, group_name, "<Column name>": value, … } (sandbox/wire.ts).
 */
export interface CrmItem {
	id: string;
	board_id: string;
	item_name: string;
	group_id: string;
	group: Ref;
	/** Every column of the board is present, keyed by column name; unset values are null. */
	values: Record<string, CrmValue>;
	contact_id: string | null;
	conversation_id: string | null;
	created_at: string;
	updated_at: string;
}

/**
 * An event accepted by `POST /api/events/ingest` (Cekat Events, t.cekat.ai; sandbox/routes/events.ts). One record per
 * `event_id`: a repeated delivery is answered again but not stored twice (`deliveries` counts them).
 */
export interface TrackedEvent {
	/** The sandbox's own id of the record. */
	id: string;
	event_id: string;
	event_key: string;
	is_common: boolean;
	/** UTC with milliseconds, as sent. */
	occurred_at: string;
	email?: string;
	phone_number?: string;
	contact_name?: string;
	visitor_id?: string;
	/** As sent (order events carry `amount` and `currency` here); `{}` when the payload had none. */
	properties: Record<string, unknown>;
	/** Sandbox clock, ISO Z: the first accepted delivery. */
	received_at: string;
	/** Sandbox clock: the latest accepted delivery of this event_id. */
	last_received_at: string;
	/** Accepted deliveries of this event_id (1 = no repeat). */
	deliveries: number;
}
