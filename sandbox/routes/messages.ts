/**
 * Messages and templates: GET /api/messages, GET /api/messages/summary/ai_credits, legacy GET /messages,
 * POST /messages/whatsapp (24-hour window), POST /templates/send, legacy GET /templates.
 */
import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../errors';
import { jakartaDate } from '../data/seed';
import { newestFirst } from '../store';
import { DEFAULT_VARIANT } from '../variant';
import { wireMessage } from '../wire';
import type { Conversation, Message } from '../types';
import {
	filterByRange,
	hasRange,
	inRange,
	isHttpUrl,
	isPlainObject,
	listQuerySchema,
	pageEnvelope,
	PHONE_RE,
	type Query,
	readDateRange,
	readPaging,
	type RouteDeps,
	stringParam,
} from './common';

const WINDOW_MS = 24 * 3_600_000;
const MEDIA_TYPES = ['text', 'image', 'video', 'document', 'audio', 'location', 'button', 'list', 'cta_url'] as const;
type MediaType = (typeof MEDIA_TYPES)[number];
const FILE_TYPES: ReadonlySet<string> = new Set(['image', 'video', 'document', 'audio']);

const sendBodySchema = {
	type: 'object',
	properties: {
		conversation_id: { type: 'string' },
		receiver: { type: 'string' },
		message: { type: 'string' },
		media_type: { type: 'string', enum: MEDIA_TYPES },
		file_url: { type: 'string' },
		footer: { type: 'string' },
		header: { type: 'object' },
		location: {
			type: 'object',
			properties: { latitude: { type: 'string' }, longitude: { type: 'string' }, name: { type: 'string' }, address: { type: 'string' } },
		},
		action: {
			type: 'object',
			properties: {
				name: { type: 'string' },
				parameters: { type: 'object', properties: { display_text: { type: 'string' }, url: { type: 'string' } } },
			},
		},
	},
};

interface SendBody {
	conversation_id?: string;
	receiver?: string;
	message?: string;
	media_type?: MediaType;
	file_url?: string;
	footer?: string;
	header?: Record<string, unknown>;
	location?: { latitude?: string; longitude?: string; name?: string; address?: string };
	action?: { name?: string; parameters?: { display_text?: string; url?: string } };
}

const templateSendSchema = {
	type: 'object',
	required: ['inbox_id', 'wa_template_id', 'phone_number'],
	properties: {
		inbox_id: { type: 'string' },
		wa_template_id: { type: 'string' },
		phone_number: { type: 'string' },
		phone_name: { type: 'string' },
		template_body_variables: { type: 'array', items: { type: 'string' } },
		file_url: { type: 'string' },
		otp_code: { type: 'string' },
	},
};

interface TemplateSendBody {
	inbox_id: string;
	wa_template_id: string;
	phone_number: string;
	phone_name?: string;
	template_body_variables?: string[];
	file_url?: string;
	otp_code?: string;
}

/** Number of distinct {{n}} placeholders in a template body (the count of variables it expects). */
export function placeholderCount(body: string): number {
	const seen = new Set<string>();
	for (const m of body.matchAll(/\{\{\s*(\d+)\s*\}\}/g)) seen.add(m[1]);
	return seen.size;
}

function isNumericString(s: string | undefined): boolean {
	return typeof s === 'string' && s.trim() !== '' && Number.isFinite(Number(s));
}

export function registerMessageRoutes(app: FastifyInstance, { store, webhooks, variant = DEFAULT_VARIANT }: RouteDeps): void {
	app.get('/api/messages', { schema: { querystring: listQuerySchema({ conversation_id: stringParam }) } }, async (req) => {
		const q = req.query as Query;
		const paging = readPaging(q);
		const range = readDateRange(q);
		const base = q.conversation_id !== undefined ? store.messagesOf(q.conversation_id).slice().reverse() : newestFirst(store.messages);
		return pageEnvelope(filterByRange(base, range, (m) => m.created_at), paging, variant, wireMessage);
	});

	app.get(
		'/api/messages/summary/ai_credits',
		{ schema: { querystring: listQuerySchema({ conversation_id: stringParam }) } },
		async (req) => {
			const q = req.query as Query;
			const range = readDateRange(q);
			if (q.conversation_id !== undefined && !store.conversations.get(q.conversation_id)) {
				throw notFound(`Conversation ${q.conversation_id} not found`);
			}
			const source = q.conversation_id !== undefined ? store.messagesOf(q.conversation_id) : store.messages.all();
			const byDate = new Map<string, { messages: number; ai_credits: number }>();
			let total = 0;
			let ai = 0;
			for (const m of source) {
				if (hasRange(range) && !inRange(m.created_at, range)) continue;
				total++;
				const day = jakartaDate(Date.parse(m.created_at));
				const row = byDate.get(day) ?? { messages: 0, ai_credits: 0 };
				row.messages++;
				// One credit per AI-written message: a documented-looking but assumed rate.
				if (m.sent_by_type === 'ai') {
					ai++;
					row.ai_credits++;
				}
				byDate.set(day, row);
			}
			const breakdown = [...byDate.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, r]) => ({ date, ...r }));
			return {
				success: true,
				data: {
					start_date: q.start_date ?? null,
					end_date: q.end_date ?? null,
					conversation_id: q.conversation_id ?? null,
					total_messages: total,
					ai_messages: ai,
					ai_credits_used: ai,
					breakdown,
				},
			};
		},
	);

	// Legacy: all messages of one conversation, oldest first, { data: [...] }.
	app.get('/messages', { schema: { querystring: { type: 'object', properties: { conversation_id: stringParam } } } }, async (req) => {
		const q = req.query as Query;
		if (q.conversation_id === undefined || q.conversation_id === '') throw badRequest('conversation_id', 'conversation_id is required');
		if (!store.conversations.get(q.conversation_id)) throw notFound(`Conversation ${q.conversation_id} not found`);
		return { data: store.messagesOf(q.conversation_id).map(wireMessage) };
	});

	// Legacy template list, { data: [...] }; inbox_id narrows it (unknown inbox → 404).
	app.get('/templates', { schema: { querystring: { type: 'object', properties: { inbox_id: stringParam } } } }, async (req) => {
		const q = req.query as Query;
		if (q.inbox_id !== undefined && !store.inboxes.get(q.inbox_id)) throw notFound(`Inbox ${q.inbox_id} not found`);
		const all = store.templates.all();
		return { data: q.inbox_id !== undefined ? all.filter((t) => t.inbox_id === q.inbox_id) : all };
	});

	app.post('/messages/whatsapp', { schema: { body: sendBodySchema } }, async (req) => {
		const body = req.body as SendBody;
		const mediaType: MediaType = body.media_type ?? 'text';
		validateSendShape(body, mediaType);

		let conv: Conversation | undefined;
		if (body.conversation_id !== undefined) {
			conv = store.conversations.get(body.conversation_id);
			if (!conv) throw notFound(`Conversation ${body.conversation_id} not found`);
		} else {
			const receiver = body.receiver as string;
			const contact = store.findContactByPhone(receiver);
			if (!contact) throw notFound(`No contact with phone number ${receiver} (receiver)`);
			conv = store.latestWhatsappConversation(contact.id);
			if (!conv) throw notFound(`Contact ${receiver} has no WhatsApp conversation (receiver)`);
		}
		if (conv.platform_type !== 'whatsapp') {
			throw badRequest('conversation_id', `Conversation ${conv.id} is on ${conv.platform_type}, not WhatsApp`);
		}
		const lastIn = store.lastContactMessageAt(conv.id);
		if (!lastIn || store.now() - Date.parse(lastIn) > WINDOW_MS) {
			throw badRequest(
				body.conversation_id !== undefined ? 'conversation_id' : 'receiver',
				'The 24-hour customer service window is closed for this conversation (the contact has not written in the last 24 hours). ' +
					'Send an approved WhatsApp template instead, e.g. via POST /templates/send.',
			);
		}

		const fileUrl = body.file_url ?? (typeof body.header?.file_url === 'string' ? body.header.file_url : null);
		const text =
			body.message ?? (mediaType === 'location' ? [body.location?.name, body.location?.address].filter(Boolean).join(', ') : '');
		const msg: Message = store.addMessage(conv, {
			message: text,
			sent_by: 'api',
			sent_by_name: 'API',
			sent_by_type: 'api',
			media_type: mediaType,
			media_url: FILE_TYPES.has(mediaType) ? fileUrl : null,
			status: 'sent',
			is_template: false,
		});
		webhooks?.emit('message.sent', msg, { inboxId: conv.inbox_id });
		return { success: true, data: wireMessage(msg) };
	});

	app.post('/templates/send', { schema: { body: templateSendSchema } }, async (req) => {
		const body = req.body as TemplateSendBody;
		const vars = body.template_body_variables ?? [];
		if (!PHONE_RE.test(body.phone_number)) {
			throw badRequest('phone_number', `phone_number must be 8–15 digits with the country code and no '+', e.g. 6281234567890 (got '${body.phone_number}')`);
		}
		if (body.file_url !== undefined && !isHttpUrl(body.file_url)) throw badRequest('file_url', 'file_url must be an http(s) URL');
		const inbox = store.inboxes.get(body.inbox_id);
		if (!inbox) throw notFound(`Inbox ${body.inbox_id} not found`);
		const template = store.templates.all().find((t) => t.wa_template_id === body.wa_template_id && t.inbox_id === inbox.id);
		if (!template) throw notFound(`Template with wa_template_id ${body.wa_template_id} not found in inbox ${inbox.id}`);
		if (template.status !== 'APPROVED') {
			throw badRequest('wa_template_id', `Template '${template.name}' is ${template.status}; only APPROVED templates can be sent`);
		}
		const expected = placeholderCount(template.body);
		if (vars.length !== expected) {
			throw badRequest(
				'template_body_variables',
				`template_body_variables: template '${template.name}' expects ${expected} variable(s), got ${vars.length}`,
			);
		}

		// All checks passed: find or create the contact and its conversation in this inbox, then record.
		const contact = store.findContactByPhone(body.phone_number) ?? store.addContact(body.phone_name?.trim() || body.phone_number, body.phone_number, inbox);
		let conv: Conversation | undefined;
		for (const c of store.conversations.all()) {
			if (c.contact_id === contact.id && c.inbox_id === inbox.id && (!conv || c.created_at > conv.created_at)) conv = c;
		}
		if (!conv) {
			conv = store.addConversation(contact, inbox);
			webhooks?.emit('conversation.created', conv, { inboxId: inbox.id });
		}
		const text = template.body.replace(/\{\{\s*(\d+)\s*\}\}/g, (m, n: string) => vars[Number(n) - 1] ?? m);
		const msg = store.addMessage(conv, {
			message: text,
			sent_by: 'api',
			sent_by_name: 'API',
			sent_by_type: 'api',
			media_type: body.file_url ? 'document' : 'text',
			media_url: body.file_url ?? null,
			status: 'sent',
			is_template: true,
		});
		webhooks?.emit('message.sent', msg, { inboxId: conv.inbox_id });
		return { success: true, data: { message_id: msg.id, conversation_id: conv.id, contact_id: contact.id, status: 'sent', message: text } };
	});
}

/** Field checks of a send request, before any lookup (so 400 wins over 404). */
function validateSendShape(body: SendBody, mediaType: MediaType): void {
	if (body.conversation_id === undefined && body.receiver === undefined) {
		throw badRequest('conversation_id', 'conversation_id or receiver is required');
	}
	if (body.conversation_id !== undefined && body.conversation_id.trim() === '') throw badRequest('conversation_id', 'conversation_id must not be empty');
	if (body.receiver !== undefined && (!PHONE_RE.test(body.receiver) || body.receiver.startsWith('0'))) {
		throw badRequest(
			'receiver',
			`receiver must be the phone number with country code, digits only, no '+' or leading 0 (8–15 digits, e.g. 6281234567890); got '${body.receiver}'`,
		);
	}
	const needsText = mediaType === 'text' || mediaType === 'button' || mediaType === 'list' || mediaType === 'cta_url';
	if (needsText && (body.message === undefined || body.message.trim() === '')) {
		throw badRequest('message', `message is required for media_type '${mediaType}'`);
	}
	if (FILE_TYPES.has(mediaType)) {
		if (body.file_url === undefined || body.file_url === '') throw badRequest('file_url', `file_url is required for media_type '${mediaType}'`);
	}
	if (body.file_url !== undefined && !isHttpUrl(body.file_url)) throw badRequest('file_url', 'file_url must be an http(s) URL');
	if (mediaType === 'location') {
		const loc = body.location;
		if (!loc) throw badRequest('location', "location is required for media_type 'location'");
		if (!isNumericString(loc.latitude)) throw badRequest('location.latitude', 'location.latitude is required: a number as a string, e.g. "-6.2"');
		if (!isNumericString(loc.longitude)) throw badRequest('location.longitude', 'location.longitude is required: a number as a string, e.g. "106.8"');
	}
	if (mediaType === 'cta_url') {
		const a = body.action;
		if (!a || a.name !== 'cta_url') throw badRequest('action.name', "action.name must be 'cta_url' for media_type 'cta_url'");
		if (!a.parameters?.display_text) throw badRequest('action.parameters.display_text', 'action.parameters.display_text is required for a CTA button');
		if (!a.parameters.url || !isHttpUrl(a.parameters.url)) throw badRequest('action.parameters.url', 'action.parameters.url must be an http(s) URL');
	}
	if (body.header !== undefined) {
		const h = body.header;
		const text = h.text;
		const file = h.file_url;
		const ok = isPlainObject(h) && ((typeof text === 'string' && text !== '' && file === undefined) || (typeof file === 'string' && isHttpUrl(file) && text === undefined));
		if (!ok) throw badRequest('header', 'header must be { "text": "…" } or { "file_url": "https://…" }');
	}
}
