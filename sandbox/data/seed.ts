/**
 * Deterministic demo data. Every collection draws from its own PRNG stream (seed + collection name), so the
 * same seed always gives the same ids and content, and resizing one collection does not reshuffle the others.
 * Timestamps are relative to the clock value passed in, so "inside the 24-hour window" stays meaningful.
 */
import { Rng } from '../prng';
import {
	type Agent,
	type AgentAssignment,
	type AiAgent,
	type Campaign,
	type CampaignMessage,
	type Contact,
	type Conversation,
	type CrmBoard,
	type CrmColumn,
	type CrmColumnType,
	type CrmItem,
	type CrmValue,
	type Inbox,
	type Label,
	type Message,
	type Order,
	type OrderLine,
	type OrderStatus,
	type PaymentMethod,
	type PaymentStatus,
	type PipelineStatus,
	type Product,
	type Ref,
	type SentByType,
	type StageStatus,
	type Template,
	type SandboxSizes,
} from '../types';
import * as W from './words';

const PIPELINE_COLORS = ['#64748b', '#3b82f6', '#f59e0b', '#10b981', '#8b5cf6', '#ef4444'];
const refOf = (x: Ref): Ref => ({ id: x.id, name: x.name });

export interface StoreData {
	inboxes: Inbox[];
	agents: Agent[];
	aiAgents: AiAgent[];
	labels: Label[];
	pipelines: PipelineStatus[];
	contacts: Contact[];
	conversations: Conversation[];
	messages: Message[];
	agentAssignments: AgentAssignment[];
	templates: Template[];
	campaigns: Campaign[];
	campaignMessages: CampaignMessage[];
	products: Product[];
	orders: Order[];
	boards: CrmBoard[];
	crmItems: CrmItem[];
}

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const JAKARTA_OFFSET = 7 * HOUR;

// Module constant rather than a global lookup per call (slow inside jest's vm context, see prng.ts).
const DateCtor = Date;
export const iso = (ms: number): string => new DateCtor(ms).toISOString();
/** Calendar date (YYYY-MM-DD) in Jakarta time. */
export const jakartaDate = (ms: number): string => new Date(ms + JAKARTA_OFFSET).toISOString().slice(0, 10);

/** Seeded orders are numbered ORDER_NUMBER_BASE + 1, + 2, … (integers, docs/cekat-api.md "Orders"). */
export const ORDER_NUMBER_BASE = 1000;

const fill = (tpl: string, vars: Record<string, string>): string => tpl.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

export function generateData(seed: number, sizes: SandboxSizes, now: number): StoreData {
	const r = (stream: string) => new Rng(seed, stream);

	// --- AI agents, inboxes, agents -------------------------------------------------------------------
	const rAi = r('ai_agents');
	const aiAgents: AiAgent[] = ['Sekar AI', 'Asisten Kopi', 'Bot Sales'].map((name) => ({ id: rAi.uuid(), name }));

	const rIn = r('inboxes');
	const inboxes: Inbox[] = [];
	for (let i = 0; i < sizes.inboxes; i++) {
		const [base, type] = W.INBOXES[i % W.INBOXES.length];
		const round = Math.floor(i / W.INBOXES.length);
		inboxes.push({
			id: rIn.uuid(),
			name: round === 0 ? base : `${base} ${round + 1}`,
			type,
			// PM's inbox rows say "active"; the other value is a guess.
			status: rIn.bool(0.9) ? 'active' : 'inactive',
			phone_number: type === 'whatsapp' ? `62811${rIn.digits(7)}` : null,
			ai_agent_id: i % 4 !== 2 ? aiAgents[i % aiAgents.length].id : null,
			created_at: iso(now - rIn.int(300, 400) * DAY - rIn.int(0, DAY)),
		});
	}
	const waInboxes = inboxes.filter((x) => x.type === 'whatsapp');

	const rAg = r('agents');
	const agents: Agent[] = [];
	const usedEmails = new Set<string>();
	for (let i = 0; i < sizes.agents; i++) {
		const first = rAg.pick(W.FIRST_NAMES);
		const last = rAg.pick(W.LAST_NAMES);
		let email = `${first}.${last}@tokosekar.co.id`.toLowerCase();
		if (usedEmails.has(email)) email = `${first}.${last}${i + 1}@tokosekar.co.id`.toLowerCase();
		usedEmails.add(email);
		agents.push({
			id: rAg.uuid(),
			name: `${first} ${last}`,
			role: i === 0 ? 'admin' : rAg.weighted([['agent', 6], ['supervisor', 2], ['admin', 1]] as const),
			email,
			division: rAg.sample(W.DIVISIONS, rAg.int(1, 2)),
			is_online: rAg.bool(0.5),
			created_at: iso(now - rAg.int(30, 380) * DAY - rAg.int(0, DAY)),
		});
	}

	const rLab = r('labels');
	const labels: Label[] = W.LABELS.map(([name, color]) => ({ id: rLab.uuid(), name, color }));
	// Colours by position (no PRNG draw, so every id stays as it was).
	const pipelines: PipelineStatus[] = W.PIPELINES.map((name, i) => ({ id: rLab.uuid(), name, color: PIPELINE_COLORS[i % PIPELINE_COLORS.length] }));

	// --- products ---------------------------------------------------------------------------------------
	const rPr = r('products');
	const products: Product[] = [];
	for (let i = 0; i < sizes.products; i++) {
		const [base, price] = W.PRODUCTS[i % W.PRODUCTS.length];
		const round = Math.floor(i / W.PRODUCTS.length);
		products.push({
			id: rPr.uuid(),
			name: round === 0 ? base : `${base} (Varian ${round + 1})`,
			sku: `SKR-${pad(i + 1, 4)}`,
			price: round === 0 ? price : price + round * 5000,
		});
	}

	// --- contacts (inboxes/created_at completed after conversations) -------------------------------------
	const rCo = r('contacts');
	const contacts: Contact[] = [];
	const phones = new Set<string>();
	const prefixes = ['11', '12', '13', '21', '22', '52', '53', '56', '57', '58', '77', '78', '81', '82', '95', '96'];
	for (let i = 0; i < sizes.contacts; i++) {
		const first = rCo.pick(W.FIRST_NAMES);
		const last = rCo.pick(W.LAST_NAMES);
		let phone: string;
		do phone = `628${rCo.pick(prefixes)}${rCo.digits(rCo.int(7, 9))}`;
		while (phones.has(phone));
		phones.add(phone);
		contacts.push({
			id: rCo.uuid(),
			contact_name: rCo.bool(0.85) ? `${first} ${last}` : first,
			phone_number: phone,
			email: rCo.bool(0.6) ? `${first}.${last}${rCo.int(1, 99)}@gmail.com`.toLowerCase() : null,
			platform: 'whatsapp',
			inboxes: [],
			additional_data: { city: rCo.pick(W.CITIES), source: rCo.pick(['organic', 'instagram_ads', 'website', 'referral']) },
			created_at: iso(now - rCo.int(1, 400) * DAY - rCo.int(0, DAY)),
		});
	}

	// --- conversations + messages + assignment history ---------------------------------------------------
	const rCv = r('conversations');
	// Fields added after the first edition draw from their own stream, so existing ids and content stay put.
	const rCx = r('conversations-extra');
	const rMs = r('messages');
	const conversations: Conversation[] = [];
	const messages: Message[] = [];
	const agentAssignments: AgentAssignment[] = [];
	const contactOrder = rCv.sample(contacts, contacts.length);
	const convsOfContact = new Map<string, Conversation[]>();
	const stageNotes = ['Pelanggan minta invoice', 'Tanya stok grosir', 'Komplain pengiriman', 'Minta katalog terbaru'];
	for (let i = 0; i < sizes.conversations; i++) {
		// Mostly distinct contacts, some contacts with several conversations.
		const contact = rCv.bool(0.85) ? contactOrder[i % contactOrder.length] : rCv.pick(contacts);
		const inbox = inboxes.length > 1 && rCv.bool(0.1) ? rCv.pick(inboxes) : rCv.pick(waInboxes.length ? waInboxes : inboxes);
		// ~40% have a contact message within the last 24 hours; the others only older than 24 hours (+2h margin).
		const inside = rCv.bool(0.4);
		const endTime = inside ? now - rCv.int(5 * MIN, 20 * HOUR) : now - rCv.int(26 * HOUR, 90 * DAY);
		const n = sizes.messagesPerConversation <= 0 ? 0 : Math.max(1, sizes.messagesPerConversation + rCv.int(-3, 3));
		const times: number[] = new Array(n);
		if (n > 0) times[n - 1] = endTime;
		for (let k = n - 2; k >= 0; k--) times[k] = times[k + 1] - rCv.int(1 * MIN, 20 * MIN) - rCv.int(0, 59_000);
		const createdAt = n > 0 ? times[0] : endTime;

		const handler = agents.length && rCv.bool(0.75) ? rCv.pick(agents) : null;
		const aiAgentId = inbox.ai_agent_id && rCv.bool(0.6) ? inbox.ai_agent_id : null;
		let stage: StageStatus = inside
			? rCv.weighted([['open', 7], ['pending', 3]] as const)
			: rCv.weighted([['resolved', 6], ['open', 2.5], ['pending', 1.5]] as const);
		// "assigned" (INV, PM): an open conversation an agent has taken.
		if (stage === 'open' && handler && rCx.bool(0.6)) stage = 'assigned';
		const collaborators = handler && agents.length > 1 && rCx.bool(0.2) ? [rCx.pick(agents.filter((a) => a.id !== handler.id))] : [];
		const labelCount = rCv.weighted([[0, 5], [1, 3.5], [2, 1.5]] as const);
		const conv: Conversation = {
			id: rCv.uuid(),
			inbox_id: inbox.id,
			inbox_name: inbox.name,
			contact_id: contact.id,
			contact_name: contact.contact_name,
			contact_phone: contact.phone_number,
			stage_status: stage,
			labels: rCv.sample(labels, labelCount),
			pipeline: rCv.bool(0.6) ? refOf(rCv.pick(pipelines)) : null,
			handled_by_id: handler ? handler.id : null,
			handled_by_name: handler ? handler.name : null,
			last_message: null,
			collaborators: collaborators.map((a) => ({ id: a.id, name: a.name })),
			resolved_by_id: stage === 'resolved' && handler ? handler.id : null,
			resolved_by_name: stage === 'resolved' && handler ? handler.name : null,
			created_at: iso(createdAt),
			resolved_at: stage === 'resolved' ? iso(Math.min(now - 1000, endTime + rCv.int(5, 120) * MIN)) : null,
			platform_type: inbox.type,
			notes: rCv.bool(0.15) ? rCv.pick(stageNotes) : null,
			additional_data: { source: rCv.pick(['organic', 'instagram_ads', 'website', 'referral']) },
			assigned_ai_agent: aiAgentId,
			keep_assigned_ai_agent_on_resolve: rCv.bool(0.2),
		};
		conversations.push(conv);
		const list = convsOfContact.get(contact.id) ?? [];
		list.push(conv);
		convsOfContact.set(contact.id, list);

		// Contact writes on even indices, so the last contact message is one of the last two (inside the window
		// for "inside" conversations).
		const aiAgent = aiAgentId ? aiAgents.find((a) => a.id === aiAgentId) : undefined;
		for (let k = 0; k < n; k++) {
			let type: SentByType;
			let byId: string;
			let byName: string;
			if (k % 2 === 0) {
				type = 'contact';
				byId = contact.id;
				byName = contact.contact_name;
			} else if (aiAgent && (k <= 3 || !handler)) {
				type = 'ai';
				byId = aiAgent.id;
				byName = aiAgent.name;
			} else {
				const a = handler ?? (agents.length ? rMs.pick(agents) : null);
				type = a ? 'agent' : 'ai';
				byId = a ? a.id : aiAgents[0].id;
				byName = a ? a.name : aiAgents[0].name;
			}
			const lines = type === 'contact' ? W.CONTACT_LINES : type === 'agent' ? W.AGENT_LINES : W.AI_LINES;
			const id = rMs.uuid();
			const isImage = type === 'contact' && rMs.bool(0.08);
			const isDoc = type === 'agent' && rMs.bool(0.04);
			const text = isDoc
				? 'Invoice pesanan terlampir ya kak'
				: fill(rMs.pick(lines), {
						product: rMs.pick(W.PRODUCTS)[0],
						city: rMs.pick(W.CITIES),
						qty: String(rMs.int(1, 5)),
						name: contact.contact_name.split(' ')[0],
						ongkir: `${rMs.int(9, 35)}.000`,
						resi: rMs.digits(12),
						shop: W.SHOP_NAME,
					});
			messages.push({
				id,
				message: isImage ? (rMs.bool(0.5) ? 'Yang ini ada kak?' : '') : text,
				sent_by: byId,
				sent_by_name: byName,
				sent_by_type: type,
				media_type: isImage ? 'image' : isDoc ? 'document' : 'text',
				media_url: isImage ? `https://cdn.cekat.example/media/${id}.jpg` : isDoc ? `https://cdn.cekat.example/media/${id}.pdf` : null,
				status: type === 'contact' ? 'received' : rMs.weighted([['read', 6], ['delivered', 3], ['sent', 1]] as const),
				is_template: false,
				created_at: iso(times[k]),
				conversation_id: conv.id,
				contact: { id: contact.id, contact_name: contact.contact_name, phone_number: contact.phone_number },
				inbox: { id: inbox.id, name: inbox.name },
			});
		}
		if (n > 0) {
			const last = messages[messages.length - 1];
			conv.last_message = { message: last.message, created_at: last.created_at, sent_by_type: last.sent_by_type };
		}

		// History rows; the last "assigned" row of a handled conversation names its current handler.
		let t = Math.min(now - 1000, createdAt + rCv.int(1, 10) * MIN);
		const row = (agent: Agent, action: 'assigned' | 'unassigned') => {
			agentAssignments.push({ id: rCv.uuid(), agent_id: agent.id, agent_name: agent.name, conversation_id: conv.id, action, created_at: iso(t) });
			t = Math.min(now - 1000, t + rCv.int(1, 30) * MIN);
		};
		if (handler) {
			if (agents.length > 1 && rCv.bool(0.3)) {
				const first = rCv.pick(agents.filter((a) => a.id !== handler.id));
				row(first, 'assigned');
				row(first, 'unassigned');
			}
			row(handler, 'assigned');
		} else if (agents.length && rCv.bool(0.1)) {
			const a = rCv.pick(agents);
			row(a, 'assigned');
			row(a, 'unassigned');
		}
	}

	// Contacts: inbox list and platform from their conversations; created before their first conversation.
	const inboxById = new Map(inboxes.map((x) => [x.id, x]));
	for (const c of contacts) {
		const convs = convsOfContact.get(c.id);
		if (convs) {
			const seen = new Map<string, Ref>();
			for (const cv of convs) seen.set(cv.inbox_id, { id: cv.inbox_id, name: cv.inbox_name });
			c.inboxes = [...seen.values()];
			c.platform = inboxById.get(convs[0].inbox_id)?.type ?? 'whatsapp';
			const firstConv = convs.reduce((m, cv) => (cv.created_at < m ? cv.created_at : m), convs[0].created_at);
			if (firstConv < c.created_at) c.created_at = iso(Date.parse(firstConv) - rCo.int(1, 600) * MIN);
		} else {
			const ib = rCo.pick(waInboxes.length ? waInboxes : inboxes);
			c.inboxes = [{ id: ib.id, name: ib.name }];
			c.platform = ib.type;
		}
	}

	// --- templates ----------------------------------------------------------------------------------------
	const rTp = r('templates');
	const templates: Template[] = [];
	const tplInboxes = waInboxes.length ? waInboxes : inboxes;
	for (let i = 0; i < sizes.templates; i++) {
		const [base, category, body] = W.TEMPLATES[i % W.TEMPLATES.length];
		const round = Math.floor(i / W.TEMPLATES.length);
		const inbox = tplInboxes[i % tplInboxes.length];
		templates.push({
			id: rTp.uuid(),
			name: round === 0 ? base : `${base}_${round + 1}`,
			wa_template_id: `1${rTp.digits(15)}`,
			category,
			language: 'id',
			// The first round is always approved so every base template has a sendable copy.
			status: round === 0 ? 'APPROVED' : rTp.weighted([['APPROVED', 7], ['PENDING', 1.8], ['REJECTED', 1.2]] as const),
			body,
			inbox_id: inbox.id,
			created_at: iso(now - rTp.int(10, 300) * DAY - rTp.int(0, DAY)),
		});
	}

	// --- campaigns + campaign messages ---------------------------------------------------------------
	const rCa = r('campaigns');
	const campaigns: Campaign[] = [];
	const campaignMessages: CampaignMessage[] = [];
	const campaignNames = ['Promo Ramadan', 'Flash Sale 11.11', 'Harbolnas 12.12', 'Restock Batik', 'Diskon Gajian', 'Promo Akhir Tahun', 'Launching Kopi Baru', 'Reminder Pembayaran'];
	for (let i = 0; i < sizes.campaigns; i++) {
		const inbox = rCa.pick(tplInboxes);
		const tpls = templates.filter((t) => t.inbox_id === inbox.id && t.status === 'APPROVED');
		const createdMs = now - rCa.int(1, 180) * DAY - rCa.int(0, DAY);
		const status = rCa.weighted([['completed', 8.5], ['running', 1.5]] as const);
		const avg = sizes.campaignMessagesPerCampaign;
		const count = avg <= 0 ? 0 : Math.max(1, avg + rCa.int(-10, 10));
		const recipients = rCa.sample(contacts, count);
		const camp: Campaign = {
			id: rCa.uuid(),
			name: `${rCa.pick(campaignNames)} #${i + 1}`,
			inbox_id: inbox.id,
			template_id: tpls.length ? rCa.pick(tpls).id : null,
			status,
			total_recipients: recipients.length,
			sent: 0,
			delivered: 0,
			read: 0,
			failed: 0,
			created_at: iso(createdMs),
		};
		for (const c of recipients) {
			const st = rCa.weighted([['read', 4.5], ['delivered', 3], ['sent', 1.5], ['failed', 1]] as const);
			if (st === 'failed') camp.failed++;
			else camp.sent++;
			if (st === 'delivered' || st === 'read') camp.delivered++;
			if (st === 'read') camp.read++;
			const sentMs = createdMs + rCa.int(1, 3600) * 1000;
			campaignMessages.push({
				id: rCa.uuid(),
				campaign_id: camp.id,
				contact_id: c.id,
				contact_name: c.contact_name,
				phone_number: c.phone_number,
				status: st,
				error_message: st === 'failed' ? rCa.pick(['Recipient phone number is not on WhatsApp', 'Message undeliverable']) : null,
				sent_at: st === 'failed' ? null : iso(sentMs),
				created_at: iso(createdMs + rCa.int(0, 59) * 1000),
			});
		}
		campaigns.push(camp);
	}

	// --- orders ----------------------------------------------------------------------------------------------
	const orders = generateOrders(r('orders'), r('orders-extra'), sizes.orders, now, contacts, products, convsOfContact);

	// --- CRM ----------------------------------------------------------------------------------------------
	const { boards, crmItems } = generateCrm(r('crm'), r('crm-extra'), sizes, now, agents, contacts, convsOfContact);

	return {
		inboxes,
		agents,
		aiAgents,
		labels,
		pipelines,
		contacts,
		conversations,
		messages,
		agentAssignments,
		templates,
		campaigns,
		campaignMessages,
		products,
		orders,
		boards,
		crmItems,
	};
}

const BANK_ACCOUNTS = ['BCA 1234567890', 'Mandiri 1370012345678', 'BNI 0987654321'];

function generateOrders(
	rng: Rng,
	rngExtra: Rng,
	count: number,
	now: number,
	contacts: Contact[],
	products: Product[],
	convsOfContact: Map<string, Conversation[]>,
): Order[] {
	// Order numbers follow creation time, like a real sequence.
	const times = new Float64Array(count);
	for (let i = 0; i < count; i++) times[i] = Math.floor(now - rng.float() * 365 * DAY);
	times.sort();
	const orders: Order[] = new Array(count);
	const fees = [0, 9000, 12000, 15000, 18000, 22000, 25000, 35000];
	const lineCounts = [[1, 5], [2, 3], [3, 1.5], [4, 0.5]] as const;
	const quantities = [[1, 6], [2, 2.5], [3, 1], [5, 0.5]] as const;
	const statuses = [['completed', 45], ['pending', 15], ['processing', 15], ['shipping', 15], ['cancelled', 10]] as const;
	const methods = [['manual', 5], ['xendit', 4], ['custom', 1]] as const;
	// One buyer snapshot per contact, shared by its orders (never mutated in place): saves memory and GC time.
	const snapshots = new Map<string, Order['contact']>();
	const notes = ['Tolong dibungkus rapi', 'Kirim sebelum jam 3 sore', 'Hadiah ulang tahun, tanpa nota harga', 'Pakai bubble wrap ya'];
	for (let i = 0; i < count; i++) {
		const createdMs = times[i];
		const contact = rng.pick(contacts);
		const convs = convsOfContact.get(contact.id);
		const conv = convs && rng.bool(0.5) ? rng.pick(convs) : null;
		const lineCount = rng.weighted(lineCounts);
		const lines: OrderLine[] = [];
		let subtotal = 0;
		const used = new Set<number>();
		for (let l = 0; l < lineCount; l++) {
			let p = rng.int(0, products.length - 1);
			if (used.has(p) && products.length > lineCount) p = (p + 1) % products.length;
			used.add(p);
			const product = products[p];
			const quantity = rng.weighted(quantities);
			const total = quantity * product.price;
			subtotal += total;
			lines.push({ id: rng.uuid(), product_id: product.id, product_name: product.name, quantity, price: product.price, total });
		}
		const discount = rng.bool(0.3) ? Math.round((subtotal * rng.int(5, 20)) / 100 / 1000) * 1000 : 0;
		const shipping = rng.pick(fees);
		const vat = rng.bool(0.2) ? Math.round(subtotal * 0.11) : 0;
		const orderStatus: OrderStatus = rng.weighted(statuses);
		let payment: PaymentStatus;
		if (orderStatus === 'completed') payment = rng.bool(0.6) ? 'settled' : 'paid';
		else if (orderStatus === 'pending') payment = rng.bool(0.8) ? 'pending' : 'expired';
		else if (orderStatus === 'cancelled') payment = rng.bool(0.7) ? 'expired' : 'pending';
		else payment = 'paid';
		const method: PaymentMethod = rng.weighted(methods);
		const orderNumber = ORDER_NUMBER_BASE + i + 1;
		const paid = payment === 'paid' || payment === 'settled';
		let snapshot = snapshots.get(contact.id);
		if (!snapshot) {
			snapshot = { id: contact.id, contact_name: contact.contact_name, phone_number: contact.phone_number, email: contact.email };
			snapshots.set(contact.id, snapshot);
		}
		const city = typeof contact.additional_data.city === 'string' ? contact.additional_data.city : rng.pick(W.CITIES);
		orders[i] = {
			id: rng.uuid(),
			order_number: orderNumber,
			order_status: orderStatus,
			payment_status: payment,
			payment_method: method,
			bank_account_number: method === 'manual' ? rngExtra.pick(BANK_ACCOUNTS) : null,
			subtotal,
			discount,
			shipping_fee: shipping,
			vat,
			grand_total: subtotal - discount + shipping + vat,
			contact_id: contact.id,
			contact: snapshot,
			conversation_id: conv ? conv.id : null,
			inbox_id: conv ? conv.inbox_id : (contact.inboxes[0]?.id ?? null),
			orders_products: lines,
			notes: rng.bool(0.2) ? rng.pick(notes) : null,
			address: rng.bool(0.7) ? `${rng.pick(W.STREETS)} No. ${rng.int(1, 200)}, ${city}` : null,
			email: contact.email,
			custom_invoice_url: rng.bool(0.1) ? `https://invoice.tokosekar.example/${orderNumber}` : null,
			invoice_is_sent: paid && rng.bool(0.7),
			created_at: iso(createdMs),
			updated_at: iso(Math.min(now - 1000, createdMs + rng.int(0, 10 * DAY))),
		};
	}
	return orders;
}

interface ColumnDef {
	name: string;
	type: CrmColumnType;
	labels?: string[];
	required?: boolean;
	readOnly?: boolean;
	hidden?: boolean;
	/** Added after the first edition: ids and values come from a separate stream so older ids stay put. */
	extra?: boolean;
}

const LABEL_COLORS = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#ec4899', '#14b8a6', '#64748b'];

const BOARD_DEFS: ReadonlyArray<{ name: string; description: string; groups: Array<[string, string]>; columns: ColumnDef[] }> = [
	{
		name: 'Sales Pipeline',
		description: 'Leads dan peluang penjualan dari WhatsApp dan Instagram',
		groups: [['Prospek', '#3b82f6'], ['Negosiasi', '#f59e0b'], ['Menang', '#10b981'], ['Kalah', '#ef4444']],
		columns: [
			{ name: 'Stage', type: 'select', labels: ['New Lead', 'Contacted', 'Proposal Sent', 'Won', 'Lost'], required: true },
			{ name: 'Deal Value', type: 'number' },
			{ name: 'Close Date', type: 'date' },
			{ name: 'Owner', type: 'agents' },
			{ name: 'Notes', type: 'text' },
			{ name: 'Customer Phone', type: 'text' },
			{ name: 'Lead Source', type: 'select', labels: ['Instagram', 'WhatsApp', 'Website', 'Referral'] },
			{ name: 'Lead Score', type: 'number', readOnly: true },
			{ name: 'Tags', type: 'dropdown', labels: ['VIP', 'Reseller', 'Repeat Buyer', 'Wholesale'], extra: true },
			{ name: 'Contract Period', type: 'timeline', extra: true },
			{ name: 'Internal Notes', type: 'text', hidden: true, extra: true },
		],
	},
	{
		name: 'Customer Support',
		description: 'Tiket keluhan dan pertanyaan pelanggan',
		groups: [['Open', '#ef4444'], ['In Progress', '#f59e0b'], ['Resolved', '#10b981']],
		columns: [
			{ name: 'Priority', type: 'select', labels: ['Low', 'Medium', 'High', 'Urgent'], required: true },
			{ name: 'Ticket Type', type: 'select', labels: ['Complaint', 'Question', 'Return', 'Refund'] },
			{ name: 'Due Date', type: 'date' },
			{ name: 'Assignee', type: 'agents' },
			{ name: 'Description', type: 'text' },
			{ name: 'Resolution Hours', type: 'number' },
			{ name: 'Channel', type: 'text', readOnly: true },
		],
	},
];

function generateCrm(
	rng: Rng,
	rngExtra: Rng,
	sizes: SandboxSizes,
	now: number,
	agents: Agent[],
	contacts: Contact[],
	convsOfContact: Map<string, Conversation[]>,
): { boards: CrmBoard[]; crmItems: CrmItem[] } {
	const boards: CrmBoard[] = [];
	const crmItems: CrmItem[] = [];
	const issues = ['Paket rusak saat diterima', 'Salah kirim ukuran', 'Tanya cara retur', 'Refund belum masuk', 'Tanya stok ulang', 'Pesanan terlambat'];
	const dealNotes = ['Minta penawaran harga grosir', 'Follow up minggu depan', 'Tertarik paket reseller', 'Sudah kirim katalog'];
	for (let b = 0; b < sizes.boards; b++) {
		const def = BOARD_DEFS[b % BOARD_DEFS.length];
		const round = Math.floor(b / BOARD_DEFS.length);
		const columns: CrmColumn[] = def.columns.map((c, position) => {
			const cr = c.extra ? rngExtra : rng;
			const id = cr.uuid();
			// Label ids are short strings "0", "1", … (PM, OFF); the draws that once made UUID label ids are kept
			// so the ids of everything generated after them do not move.
			const labels = c.labels?.map((name, i) => {
				cr.uuid();
				return { id: String(i), name, color: LABEL_COLORS[i % LABEL_COLORS.length] };
			});
			return {
				id,
				name: c.name,
				type: c.type,
				// The "default" label mirrors the real API: an empty placeholder option that is not a real choice.
				settings: labels ? { labels: [{ id: 'default', name: '', color: '#cbd5e1' }, ...labels] } : {},
				is_required: c.required === true,
				read_only: c.readOnly === true,
				is_visible: c.hidden !== true,
				position,
			};
		});
		const isExtra = new Set(def.columns.filter((c) => c.extra).map((c) => c.name));
		const groups = def.groups.map(([name, color]) => ({ id: rng.uuid(), name, color }));
		const board: CrmBoard = {
			id: rng.uuid(),
			name: round === 0 ? def.name : `${def.name} ${round + 1}`,
			description: def.description,
			created_at: iso(now - rng.int(200, 300) * DAY),
			crm_columns: columns,
			crm_groups: groups,
		};
		boards.push(board);
		const sales = def === BOARD_DEFS[0];
		for (let i = 0; i < sizes.itemsPerBoard; i++) {
			const contact = rng.bool(0.8) ? rng.pick(contacts) : null;
			const convs = contact ? convsOfContact.get(contact.id) : undefined;
			const group = rng.pick(groups);
			const createdMs = now - rng.int(1, 120) * DAY - rng.int(0, DAY);
			const values: Record<string, CrmValue> = {};
			for (const col of columns) values[col.name] = seedValue(isExtra.has(col.name) ? rngExtra : rng, col, now, agents, contact, sales ? dealNotes : issues);
			crmItems.push({
				id: rng.uuid(),
				board_id: board.id,
				item_name: sales
					? `${contact ? contact.contact_name : rng.pick(W.FIRST_NAMES)} - ${rng.pick(W.PRODUCTS)[0]}`
					: `Tiket #${1000 + i}: ${rng.pick(issues)}`,
				group_id: group.id,
				group: { id: group.id, name: group.name },
				values,
				contact_id: contact ? contact.id : null,
				conversation_id: convs && rng.bool(0.5) ? rng.pick(convs).id : null,
				created_at: iso(createdMs),
				updated_at: iso(Math.min(now - 1000, createdMs + rng.int(0, 20 * DAY))),
			});
		}
	}
	return { boards, crmItems };
}

function seedValue(rng: Rng, col: CrmColumn, now: number, agents: Agent[], contact: Contact | null, texts: string[]): CrmValue {
	if (!col.is_required && !col.read_only && rng.bool(0.15)) return null;
	switch (col.type) {
		case 'select': {
			// Stored and served as the label id (PM: "Status": "0").
			const real = (col.settings.labels ?? []).filter((l) => l.id !== 'default');
			return real.length ? rng.pick(real).id : null;
		}
		case 'dropdown': {
			const real = (col.settings.labels ?? []).filter((l) => l.id !== 'default');
			return real.length ? rng.sample(real, rng.int(1, Math.min(2, real.length))).map((l) => l.id).sort() : [];
		}
		case 'timeline': {
			const from = now + rng.int(-90, 30) * DAY;
			return { from: jakartaDate(from), to: jakartaDate(from + rng.int(30, 365) * DAY) };
		}
		case 'number':
			if (col.name === 'Deal Value') return rng.int(1, 100) * 50_000;
			if (col.name === 'Lead Score') return rng.int(0, 100);
			return rng.int(1, 72);
		case 'date':
			return jakartaDate(now + rng.int(-60, 60) * DAY);
		case 'agents':
			return agents.length ? rng.sample(agents, rng.int(1, Math.min(2, agents.length))).map((a) => a.id) : [];
		case 'text':
			if (col.name === 'Customer Phone') return contact ? contact.phone_number : null;
			if (col.name === 'Channel') return rng.pick(['WhatsApp', 'Instagram', 'Email']);
			if (col.name === 'Internal Notes') return rng.pick(['Cek limit kredit', 'Pernah telat bayar', 'Prioritaskan']);
			return rng.pick(texts);
	}
}
