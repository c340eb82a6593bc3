/**
 * In-memory store: typed collections with id indexes, plus the few secondary indexes the routes need.
 * Routes validate first and only then call the mutating helpers, so a rejected request changes nothing.
 * Sorted views are computed lazily and cached until the collection changes (keeps the GET hot path light).
 */
import { generateData, iso, ORDER_NUMBER_BASE } from './data/seed';
import { Rng } from './prng';
import {
	type Agent,
	type AgentAssignment,
	type AiAgent,
	type Campaign,
	type CampaignMessage,
	type Contact,
	type Conversation,
	type CrmBoard,
	type CrmItem,
	type CurrentAssignment,
	type Inbox,
	type Label,
	type Message,
	type Order,
	type PipelineStatus,
	type Product,
	type SandboxSizes,
	type Template,
	type TrackedEvent,
	DEFAULT_SIZES,
	MAX_SIZE,
	MIN_SIZES,
} from './types';

export class Collection<T extends { id: string }> {
	private items: T[] = [];
	private byId = new Map<string, T>();
	private memos = new Map<string, unknown>();

	replace(items: T[]): void {
		this.items = items;
		this.byId = new Map(items.map((x) => [x.id, x]));
		this.memos.clear();
	}

	get size(): number {
		return this.items.length;
	}

	/** The live array, in insertion order. Do not mutate it; use the helpers. */
	all(): readonly T[] {
		return this.items;
	}

	get(id: string): T | undefined {
		return this.byId.get(id);
	}

	add(item: T): void {
		this.items.push(item);
		this.byId.set(item.id, item);
		this.memos.clear();
	}

	removeIds(ids: ReadonlySet<string>): void {
		this.items = this.items.filter((x) => !ids.has(x.id));
		for (const id of ids) this.byId.delete(id);
		this.memos.clear();
	}

	/** Call after changing a stored object in place, so cached views are rebuilt. */
	changed(): void {
		this.memos.clear();
	}

	memo<R>(key: string, compute: (items: readonly T[]) => R): R {
		if (this.memos.has(key)) return this.memos.get(key) as R;
		const value = compute(this.items);
		this.memos.set(key, value);
		return value;
	}
}

/** Newest first: created_at desc, then id desc, so equal timestamps still have one fixed order. */
export function compareNewestFirst(a: { id: string; created_at: string }, b: { id: string; created_at: string }): number {
	if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
	return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Last activity of a conversation: its last message, else its creation (the v2 list order and cursor). */
export function activityOf(c: Conversation): string {
	return c.last_message?.created_at ?? c.created_at;
}

/** Most recent activity first, then id desc: one fixed order even for equal timestamps. */
export function compareActivity(a: { id: string; at: string }, b: { id: string; at: string }): number {
	if (a.at !== b.at) return a.at < b.at ? 1 : -1;
	return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function byActivity(c: Collection<Conversation>): readonly Conversation[] {
	return c.memo('by-activity', (items) => items.slice().sort((a, b) => compareActivity({ id: a.id, at: activityOf(a) }, { id: b.id, at: activityOf(b) })));
}

export function newestFirst<T extends { id: string; created_at: string }>(c: Collection<T>): readonly T[] {
	return c.memo('newest-first', (items) => items.slice().sort(compareNewestFirst));
}

export function normalizeSizes(sizes?: Partial<SandboxSizes>): SandboxSizes {
	const out: SandboxSizes = { ...DEFAULT_SIZES };
	for (const key of Object.keys(DEFAULT_SIZES) as Array<keyof SandboxSizes>) {
		const v = sizes?.[key];
		if (typeof v === 'number' && Number.isFinite(v)) out[key] = Math.min(MAX_SIZE, Math.max(0, Math.floor(v)));
		out[key] = Math.max(out[key], MIN_SIZES[key] ?? 0);
	}
	return out;
}

export class Store {
	readonly inboxes = new Collection<Inbox>();
	readonly agents = new Collection<Agent>();
	readonly contacts = new Collection<Contact>();
	readonly conversations = new Collection<Conversation>();
	readonly messages = new Collection<Message>();
	readonly agentAssignments = new Collection<AgentAssignment>();
	readonly templates = new Collection<Template>();
	readonly campaigns = new Collection<Campaign>();
	readonly campaignMessages = new Collection<CampaignMessage>();
	readonly products = new Collection<Product>();
	readonly orders = new Collection<Order>();
	readonly boards = new Collection<CrmBoard>();
	readonly crmItems = new Collection<CrmItem>();
	/** Cekat Events accepted by POST /api/events/ingest (none seeded), one per event_id. */
	readonly events = new Collection<TrackedEvent>();
	aiAgents: AiAgent[] = [];
	labels: Label[] = [];
	pipelines: PipelineStatus[] = [];

	seed = 42;
	sizes: SandboxSizes = { ...DEFAULT_SIZES };
	/** Increases on every successful mutation: tests compare it to prove a rejected request changed nothing. */
	revision = 0;
	generatedAt = '';

	private idRng = new Rng(42, 'runtime-ids');
	private contactByPhone = new Map<string, Contact>();
	private messagesByConv = new Map<string, Message[]>();
	private campaignMsgsByCampaign = new Map<string, CampaignMessage[]>();
	private lastContactMsgAt = new Map<string, string>();
	private orderSeq = 0;
	private eventsByEventId = new Map<string, TrackedEvent>();

	constructor(readonly now: () => number = Date.now) {}

	/** (Re)generates the seeded state in place: holders of this Store object keep a valid reference. */
	load(seed: number, sizes?: Partial<SandboxSizes>): void {
		this.seed = seed;
		this.sizes = normalizeSizes(sizes);
		const now = this.now();
		const d = generateData(seed, this.sizes, now);
		this.generatedAt = iso(now);
		this.inboxes.replace(d.inboxes);
		this.agents.replace(d.agents);
		this.contacts.replace(d.contacts);
		this.conversations.replace(d.conversations);
		this.messages.replace(d.messages);
		this.agentAssignments.replace(d.agentAssignments);
		this.templates.replace(d.templates);
		this.campaigns.replace(d.campaigns);
		this.campaignMessages.replace(d.campaignMessages);
		this.products.replace(d.products);
		this.orders.replace(d.orders);
		this.boards.replace(d.boards);
		this.crmItems.replace(d.crmItems);
		this.events.replace([]);
		this.eventsByEventId = new Map();
		this.aiAgents = d.aiAgents;
		this.labels = d.labels;
		this.pipelines = d.pipelines;
		this.idRng = new Rng(seed, 'runtime-ids');
		this.revision = 0;

		this.contactByPhone = new Map(d.contacts.map((c) => [c.phone_number, c]));
		this.messagesByConv = new Map();
		this.lastContactMsgAt = new Map();
		for (const m of d.messages) this.indexMessage(m);
		this.campaignMsgsByCampaign = new Map();
		for (const m of d.campaignMessages) {
			const list = this.campaignMsgsByCampaign.get(m.campaign_id);
			if (list) list.push(m);
			else this.campaignMsgsByCampaign.set(m.campaign_id, [m]);
		}
		this.orderSeq = d.orders.length;
	}

	private indexMessage(m: Message): void {
		const list = this.messagesByConv.get(m.conversation_id);
		if (list) list.push(m);
		else this.messagesByConv.set(m.conversation_id, [m]);
		if (m.sent_by_type === 'contact') {
			const prev = this.lastContactMsgAt.get(m.conversation_id);
			if (!prev || prev < m.created_at) this.lastContactMsgAt.set(m.conversation_id, m.created_at);
		}
	}

	newId(): string {
		return this.idRng.uuid();
	}

	nowIso(): string {
		return iso(this.now());
	}

	counts(): Record<string, number> {
		return {
			inboxes: this.inboxes.size,
			agents: this.agents.size,
			contacts: this.contacts.size,
			conversations: this.conversations.size,
			messages: this.messages.size,
			agent_assignments: this.agentAssignments.size,
			templates: this.templates.size,
			campaigns: this.campaigns.size,
			campaign_messages: this.campaignMessages.size,
			products: this.products.size,
			orders: this.orders.size,
			crm_boards: this.boards.size,
			crm_items: this.crmItems.size,
			events: this.events.size,
		};
	}

	/** Raw arrays by snake_case name, for /__sandbox/data/<collection> and tests. */
	dump(name: string): readonly unknown[] | undefined {
		const map: Record<string, () => readonly unknown[]> = {
			inboxes: () => this.inboxes.all(),
			agents: () => this.agents.all(),
			ai_agents: () => this.aiAgents,
			labels: () => this.labels,
			pipelines: () => this.pipelines,
			contacts: () => this.contacts.all(),
			conversations: () => this.conversations.all(),
			messages: () => this.messages.all(),
			agent_assignments: () => this.agentAssignments.all(),
			current_assignments: () => this.currentAssignments(),
			templates: () => this.templates.all(),
			campaigns: () => this.campaigns.all(),
			campaign_messages: () => this.campaignMessages.all(),
			products: () => this.products.all(),
			orders: () => this.orders.all(),
			crm_boards: () => this.boards.all(),
			boards: () => this.boards.all(),
			crm_items: () => this.crmItems.all(),
			events: () => this.events.all(),
		};
		return Object.prototype.hasOwnProperty.call(map, name) ? map[name]() : undefined;
	}

	static readonly COLLECTION_NAMES = [
		'inboxes', 'agents', 'ai_agents', 'labels', 'pipelines', 'contacts', 'conversations', 'messages',
		'agent_assignments', 'current_assignments', 'templates', 'campaigns', 'campaign_messages', 'products',
		'orders', 'crm_boards', 'crm_items', 'events',
	];

	// --- lookups -------------------------------------------------------------------------------------------

	findContactByPhone(phone: string): Contact | undefined {
		return this.contactByPhone.get(phone);
	}

	/** Messages of one conversation, oldest first. */
	messagesOf(conversationId: string): readonly Message[] {
		return this.messagesByConv.get(conversationId) ?? [];
	}

	campaignMessagesOf(campaignId: string): readonly CampaignMessage[] {
		return this.campaignMsgsByCampaign.get(campaignId) ?? [];
	}

	lastContactMessageAt(conversationId: string): string | undefined {
		return this.lastContactMsgAt.get(conversationId);
	}

	/** Newest conversation of a contact on a WhatsApp inbox (used by send-by-receiver). */
	latestWhatsappConversation(contactId: string): Conversation | undefined {
		let best: Conversation | undefined;
		for (const c of this.conversations.all()) {
			if (c.contact_id !== contactId || c.platform_type !== 'whatsapp') continue;
			const lastAt = c.last_message?.created_at ?? c.created_at;
			const bestAt = best ? (best.last_message?.created_at ?? best.created_at) : '';
			if (!best || lastAt > bestAt) best = c;
		}
		return best;
	}

	itemsOfBoard(boardId: string): readonly CrmItem[] {
		return this.crmItems.memo(`board:${boardId}`, (items) => items.filter((i) => i.board_id === boardId));
	}

	/** Current assignment per handled conversation, newest assignment first. */
	currentAssignments(): readonly CurrentAssignment[] {
		return this.conversations.memo('current-assignments', (convs) => {
			const lastAssigned = new Map<string, AgentAssignment>();
			for (const a of this.agentAssignments.all()) {
				if (a.action !== 'assigned') continue;
				const prev = lastAssigned.get(a.conversation_id);
				if (!prev || prev.created_at <= a.created_at) lastAssigned.set(a.conversation_id, a);
			}
			const rows: CurrentAssignment[] = [];
			for (const c of convs) {
				if (!c.handled_by_id) continue;
				const row = lastAssigned.get(c.id);
				rows.push({
					conversation_id: c.id,
					contact_name: c.contact_name,
					inbox_id: c.inbox_id,
					agent_id: c.handled_by_id,
					agent_name: c.handled_by_name ?? '',
					assigned_at: row && row.agent_id === c.handled_by_id ? row.created_at : c.created_at,
				});
			}
			return rows.sort((a, b) =>
				a.assigned_at !== b.assigned_at ? (a.assigned_at < b.assigned_at ? 1 : -1) : a.conversation_id < b.conversation_id ? 1 : -1,
			);
		});
	}

	// --- mutations (callers validate first) ----------------------------------------------------------------

	addContact(name: string, phone: string, inbox: Inbox | undefined, email: string | null = null): Contact {
		const contact: Contact = {
			id: this.newId(),
			contact_name: name,
			phone_number: phone,
			email,
			platform: inbox?.type ?? 'whatsapp',
			inboxes: inbox ? [{ id: inbox.id, name: inbox.name }] : [],
			additional_data: {},
			created_at: this.nowIso(),
		};
		this.contacts.add(contact);
		this.contactByPhone.set(phone, contact);
		this.revision++;
		return contact;
	}

	addConversation(contact: Contact, inbox: Inbox): Conversation {
		const conv: Conversation = {
			id: this.newId(),
			inbox_id: inbox.id,
			inbox_name: inbox.name,
			contact_id: contact.id,
			contact_name: contact.contact_name,
			contact_phone: contact.phone_number,
			stage_status: 'open',
			labels: [],
			pipeline: null,
			handled_by_id: null,
			handled_by_name: null,
			last_message: null,
			collaborators: [],
			resolved_by_id: null,
			resolved_by_name: null,
			created_at: this.nowIso(),
			resolved_at: null,
			platform_type: inbox.type,
			notes: null,
			additional_data: {},
			assigned_ai_agent: null,
			keep_assigned_ai_agent_on_resolve: false,
		};
		this.conversations.add(conv);
		if (!contact.inboxes.some((r) => r.id === inbox.id)) {
			contact.inboxes.push({ id: inbox.id, name: inbox.name });
		}
		this.revision++;
		return conv;
	}

	/** Records a message and moves the conversation's last_message. */
	addMessage(conv: Conversation, fields: Pick<Message, 'message' | 'sent_by' | 'sent_by_name' | 'sent_by_type' | 'media_type' | 'media_url' | 'status' | 'is_template'>): Message {
		const msg: Message = {
			id: this.newId(),
			...fields,
			created_at: this.nowIso(),
			conversation_id: conv.id,
			contact: { id: conv.contact_id, contact_name: conv.contact_name, phone_number: conv.contact_phone },
			inbox: { id: conv.inbox_id, name: conv.inbox_name },
		};
		this.messages.add(msg);
		this.indexMessage(msg);
		conv.last_message = { message: msg.message, created_at: msg.created_at, sent_by_type: msg.sent_by_type };
		this.conversations.changed();
		this.revision++;
		return msg;
	}

	addAssignment(conv: Conversation, agent: Agent, action: 'assigned' | 'unassigned'): void {
		this.agentAssignments.add({
			id: this.newId(),
			agent_id: agent.id,
			agent_name: agent.name,
			conversation_id: conv.id,
			action,
			created_at: this.nowIso(),
		});
		this.conversations.changed();
		this.revision++;
	}

	/** Integer order numbers (docs/cekat-api.md "Orders"); seeded orders are 1001, 1002, … */
	nextOrderNumber(): number {
		return ORDER_NUMBER_BASE + this.orderSeq + 1;
	}

	addOrder(order: Order): void {
		this.orderSeq++;
		this.orders.add(order);
		this.revision++;
	}

	/**
	 * Records an accepted Cekat Event, once per event_id: a repeat only counts a delivery (the first payload stays).
	 * `duplicate` tells the caller which happened.
	 */
	recordEvent(fields: Omit<TrackedEvent, 'id' | 'received_at' | 'last_received_at' | 'deliveries'>): { event: TrackedEvent; duplicate: boolean } {
		const at = this.nowIso();
		const known = this.eventsByEventId.get(fields.event_id);
		if (known) {
			known.deliveries++;
			known.last_received_at = at;
			this.events.changed();
			this.revision++;
			return { event: known, duplicate: true };
		}
		const event: TrackedEvent = { id: this.newId(), ...fields, received_at: at, last_received_at: at, deliveries: 1 };
		this.events.add(event);
		this.eventsByEventId.set(event.event_id, event);
		this.revision++;
		return { event, duplicate: false };
	}

	eventByEventId(eventId: string): TrackedEvent | undefined {
		return this.eventsByEventId.get(eventId);
	}

	touch(): void {
		this.revision++;
	}
}
