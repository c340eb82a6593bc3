/**
 * Send WhatsApp → Reply Buttons and List through n8n's engine: Cekat's `action` shapes (contract-16) as the sandbox
 * received them, and WhatsApp's limits refused before any request, naming the field, the item and the limit.
 */
import type { IDataObject } from 'n8n-workflow';

import { onlyRequest, useEnv, type Env } from './env';

const DAY = 24 * 60 * 60 * 1000;

/** A WhatsApp conversation whose customer wrote within the last 24 hours. */
function openConversation(env: Env) {
	const { store } = env.sandbox;
	const conversation = store.conversations.all().find((c) => {
		const last = store.lastContactMessageAt(c.id);
		return store.inboxes.get(c.inbox_id)?.type === 'whatsapp' && last !== undefined && Date.now() - Date.parse(last) < DAY - 60_000;
	});
	if (!conversation) throw new Error('no conversation with an open window in the seed');
	return conversation;
}

const send = (env: Env, extra: IDataObject) => ({
	resource: 'message',
	operation: 'sendWhatsApp',
	sendTo: 'conversation',
	conversationId: openConversation(env).id,
	message: 'Pesanan Anda siap. Lanjutkan?',
	...extra,
});

const buttons = (...titles: string[]) => ({ button: titles.map((title, i) => ({ id: `b${i + 1}`, title })) });
const rows = (...titles: string[]) => ({ row: titles.map((title, i) => ({ id: `r_${title.toLowerCase().replace(/\W+/g, '_')}_${i}`, title })) });

describe('Send WhatsApp: Reply Buttons', () => {
	const env = useEnv();
	afterEach(() => env.sandbox.reset());

	it('sends media_type "button" with action.buttons [{ type: "reply", reply: { id, title } }], header and footer', async () => {
		const conversation = openConversation(env);
		const result = await env.run(send(env, { messageType: 'button', replyButtons: buttons('Ya', 'Tidak'), options: { headerText: 'Konfirmasi', footer: 'Toko Kopi' } }));
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'POST', '/messages/whatsapp').body).toEqual({
			conversation_id: conversation.id,
			media_type: 'button',
			message: 'Pesanan Anda siap. Lanjutkan?',
			action: { buttons: [{ type: 'reply', reply: { id: 'b1', title: 'Ya' } }, { type: 'reply', reply: { id: 'b2', title: 'Tidak' } }] },
			header: { text: 'Konfirmasi' },
			footer: 'Toko Kopi',
		});
		expect(result.json[0]).toEqual(expect.objectContaining({ conversation_id: conversation.id, media_type: 'button' }));
		expect(env.sandbox.store.messagesOf(conversation.id).some((m) => m.id === result.json[0].id)).toBe(true);
	});

	it('takes the buttons as JSON (e.g. from an earlier node), one request per item', async () => {
		const result = await env.run(
			send(env, { messageType: 'button', interactiveInput: 'json', replyButtonsJson: '={{ $json.choices }}' }),
			{ items: [{ choices: [{ id: 'yes', title: 'Yes' }] }, { choices: [{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }, { id: 'c', title: 'C' }] }] },
		);
		expect(result.error).toBeUndefined();
		expect(env.requests().map((r) => ((r.body as IDataObject).action as { buttons: unknown[] }).buttons.length)).toEqual([1, 3]);
	});

	it.each([
		['4 buttons', { replyButtons: buttons('A', 'B', 'C', 'D') }, /^Buttons: has 4 buttons; WhatsApp allows at most 3 \[item 0\]/],
		['no button', { replyButtons: {} }, /^Buttons: add at least one button \[item 0\]/],
		['a title over 20 characters', { replyButtons: buttons('Ya', 'Tidak, terima kasih banyak') }, /^Buttons: button 2 title "Tidak, terima kasih banyak" has 26 characters; WhatsApp allows at most 20 \[item 0\]/],
		['an empty title', { replyButtons: { button: [{ id: 'x', title: '' }] } }, /^Buttons: button 1 title is empty/],
		['an id over 256 characters', { replyButtons: { button: [{ id: 'x'.repeat(257), title: 'Ya' }] } }, /^Buttons: button 1 ID .* has 257 characters; WhatsApp allows at most 256/],
		['two buttons with one id', { replyButtons: { button: [{ id: 'same', title: 'Ya' }, { id: 'same', title: 'Tidak' }] } }, /^Buttons: button ID "same" is used twice/],
		['two buttons with one title', { replyButtons: { button: [{ id: 'a', title: 'Ya' }, { id: 'b', title: 'Ya' }] } }, /^Buttons: button title "Ya" is used twice/],
		['no message text', { replyButtons: buttons('Ya'), message: '' }, /^Message: is required: it is the text above the buttons/],
		['JSON that is not a list', { interactiveInput: 'json', replyButtonsJson: '{"id": "a"}' }, /^Buttons \(JSON\): must be a JSON array/],
		['4 buttons as JSON', { interactiveInput: 'json', replyButtonsJson: JSON.stringify(['a', 'b', 'c', 'd'].map((id) => ({ id, title: id }))) }, /^Buttons \(JSON\): has 4 buttons; WhatsApp allows at most 3/],
	])('%s: refused before any request', async (_name, extra, message) => {
		const result = await env.run(send(env, { messageType: 'button', ...extra }));
		expect(result.error?.message).toMatch(message);
		expect(env.requests()).toEqual([]);
	});

	it('the error names the item: item 1 of 2, and with On Error → Continue the good item is sent', async () => {
		const result = await env.run(
			send(env, { messageType: 'button', interactiveInput: 'json', replyButtonsJson: '={{ $json.choices }}' }),
			{
				items: [{ choices: [{ id: 'ok', title: 'OK' }] }, { choices: [1, 2, 3, 4].map((n) => ({ id: `b${n}`, title: `B${n}` })) }],
				settings: { onError: 'continueRegularOutput' },
			},
		);
		expect(result.json[1].error).toMatch(/^Buttons \(JSON\): has 4 buttons; WhatsApp allows at most 3 \[item 1\]/);
		expect(env.requests()).toHaveLength(1);
	});
});

describe('Send WhatsApp: List', () => {
	const env = useEnv();
	afterEach(() => env.sandbox.reset());

	it('sends media_type "list" with action { button, sections: [{ title, rows: [{ id, title, description }] }] }', async () => {
		const conversation = openConversation(env);
		const result = await env.run(
			send(env, {
				messageType: 'list',
				listButton: 'Lihat menu',
				listSections: {
					section: [
						{ title: 'Kopi', rows: { row: [{ id: 'latte', title: 'Es Kopi Susu', description: 'Rp 25.000' }, { id: 'americano', title: 'Americano', description: '' }] } },
						{ title: 'Teh', rows: { row: [{ id: 'teh', title: 'Teh Tarik' }] } },
					],
				},
				options: { headerText: 'Menu hari ini' },
			}),
		);
		expect(result.error).toBeUndefined();
		expect(onlyRequest(env, 'POST', '/messages/whatsapp').body).toEqual({
			conversation_id: conversation.id,
			media_type: 'list',
			message: 'Pesanan Anda siap. Lanjutkan?',
			header: { text: 'Menu hari ini' },
			action: {
				button: 'Lihat menu',
				sections: [
					{ title: 'Kopi', rows: [{ id: 'latte', title: 'Es Kopi Susu', description: 'Rp 25.000' }, { id: 'americano', title: 'Americano' }] },
					{ title: 'Teh', rows: [{ id: 'teh', title: 'Teh Tarik' }] },
				],
			},
		});
		expect(result.json[0]).toEqual(expect.objectContaining({ conversation_id: conversation.id, media_type: 'list' }));
	});

	it('takes the sections as JSON; one section may go without a title', async () => {
		const sections = [{ rows: [{ id: 'a', title: 'A', description: 'first' }] }];
		const result = await env.run(send(env, { messageType: 'list', listButton: 'Pilih', interactiveInput: 'json', listSectionsJson: JSON.stringify(sections) }));
		expect(result.error).toBeUndefined();
		expect((onlyRequest(env, 'POST', '/messages/whatsapp').body as IDataObject).action).toEqual({ button: 'Pilih', sections });
	});

	const section = (title: string, ...titles: string[]) => ({ title, rows: rows(...titles) });
	it.each([
		['11 rows in all', { listSections: { section: [section('A', ...'abcdef'.split('')), section('B', ...'ghijk'.split(''))] } }, /^Sections: has 11 rows in all; WhatsApp allows at most 10 \[item 0\]/],
		['11 sections', { listSections: { section: Array.from({ length: 11 }, (_, i) => section(`S${i}`, `r${i}`)) } }, /^Sections: has 11 sections; WhatsApp allows at most 10/],
		['a row title over 24 characters', { listSections: { section: [section('A', 'Es Kopi Susu Gula Aren Besar')] } }, /^Sections: section 1 row 1 title "Es Kopi Susu Gula Aren Besar" has 28 characters; WhatsApp allows at most 24/],
		['a description over 72 characters', { listSections: { section: [{ title: 'A', rows: { row: [{ id: 'a', title: 'A', description: 'd'.repeat(73) }] } }] } }, /^Sections: section 1 row 1 description .* has 73 characters; WhatsApp allows at most 72/],
		['a section title over 24 characters', { listSections: { section: [section('Minuman dingin dan panas spesial', 'A')] } }, /^Sections: section 1 title .* has 32 characters; WhatsApp allows at most 24/],
		['two sections, one without a title', { listSections: { section: [section('A', 'x'), section('', 'y')] } }, /^Sections: section 2 title is empty/],
		['a section without rows', { listSections: { section: [{ title: 'A', rows: {} }] } }, /^Sections: section 1 has no rows/],
		['one row id twice', { listSections: { section: [{ title: 'A', rows: { row: [{ id: 'x', title: 'A' }] } }, { title: 'B', rows: { row: [{ id: 'x', title: 'B' }] } }] } }, /^Sections: row ID "x" is used twice/],
		['a button text over 20 characters', { listButton: 'Lihat semua pilihan menu' }, /^List Button Text: the text "Lihat semua pilihan menu" has 24 characters; WhatsApp allows at most 20/],
		['no button text', { listButton: '' }, /^List Button Text: the text is empty/],
		['a header image', { options: { headerFileUrl: 'https://example.com/a.jpg' } }, /^Header Media URL: a list message takes a header text only/],
		['no sections', { listSections: {} }, /^Sections: add at least one section/],
	])('%s: refused before any request', async (_name, extra, message) => {
		const result = await env.run(send(env, { messageType: 'list', listButton: 'Menu', listSections: { section: [section('A', 'One')] }, ...extra }));
		expect(result.error?.message).toMatch(message);
		expect(env.requests()).toEqual([]);
	});

	it('counts characters as WhatsApp shows them: an emoji is one', async () => {
		const result = await env.run(send(env, { messageType: 'button', replyButtons: buttons('☕'.repeat(20)) }));
		expect(result.error).toBeUndefined();
	});
});
