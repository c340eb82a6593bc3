/**
 * Reply Buttons and List of Send WhatsApp: the fields (or JSON) in Cekat's `action` shape, with WhatsApp's limits
 * checked before any request (contract of issue 16; OFF sends the same shapes, without checks).
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { isObject } from '../../../shared/cekatShapes';
import { show } from '../../shared/descriptions';
import type { ItemView } from '../../shared/send';
import { asText, fieldError, shown, type FieldContext } from '../../shared/validation';
import { R } from './fields';

/** WhatsApp's limits for interactive messages (characters, counted as the user sees them). */
export const LIMITS = {
	buttons: 3,
	buttonTitle: 20,
	buttonId: 256,
	listButton: 20,
	sections: 10,
	rows: 10,
	rowTitle: 24,
	rowDescription: 72,
	rowId: 200,
	sectionTitle: 24,
} as const;

const length = (text: string) => [...text].length;

/** A text of at most `max` characters; `required` refuses an empty one. */
function limited(ctx: FieldContext, field: string, what: string, raw: unknown, max: number, required = true): string {
	const text = asText(ctx, field, raw);
	if (!text && required) throw fieldError(ctx, field, `${what} is empty`);
	if (length(text) > max) throw fieldError(ctx, field, `${what} ${shown(text)} has ${length(text)} characters; WhatsApp allows at most ${max}`);
	return text;
}

function fromJson(ctx: FieldContext, field: string, raw: unknown): unknown[] {
	let value = raw;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value || '[]');
		} catch {
			throw fieldError(ctx, field, `${shown(raw)} is not valid JSON`);
		}
	}
	if (!Array.isArray(value)) throw fieldError(ctx, field, `must be a JSON array, got ${shown(value)}`);
	return value;
}

const entries = (value: unknown, key: string): IDataObject[] =>
	isObject(value) && Array.isArray(value[key]) ? (value[key] as IDataObject[]) : [];

function unique(ctx: FieldContext, field: string, what: string, values: string[]) {
	const twice = values.find((v, i) => values.indexOf(v) !== i);
	if (twice !== undefined) throw fieldError(ctx, field, `${what} ${shown(twice)} is used twice; each must be unique`);
}

/** `action` of a Reply Buttons message: 1 to 3 buttons, unique ids and titles. */
export function replyButtonsAction(ctx: ItemView): IDataObject {
	const json = ctx.getNodeParameter('interactiveInput', 'fields') === 'json';
	const field = json ? 'Buttons (JSON)' : 'Buttons';
	const raw = json ? fromJson(ctx, field, ctx.getNodeParameter('replyButtonsJson', '[]')) : entries(ctx.getNodeParameter('replyButtons', {}), 'button');
	if (raw.length === 0) throw fieldError(ctx, field, 'add at least one button');
	if (raw.length > LIMITS.buttons) throw fieldError(ctx, field, `has ${raw.length} buttons; WhatsApp allows at most ${LIMITS.buttons}`);
	const buttons = raw.map((button, index) => {
		const b = isObject(button) ? button : {};
		const n = index + 1;
		return {
			id: limited(ctx, field, `button ${n} ID`, b.id, LIMITS.buttonId),
			title: limited(ctx, field, `button ${n} title`, b.title, LIMITS.buttonTitle),
		};
	});
	unique(ctx, field, 'button ID', buttons.map((b) => b.id));
	unique(ctx, field, 'button title', buttons.map((b) => b.title));
	return { buttons: buttons.map((reply) => ({ type: 'reply', reply })) };
}

/** `action` of a List message: a button text, 1 to 10 sections, 1 to 10 rows in all, unique row ids. */
export function listAction(ctx: ItemView): IDataObject {
	const button = limited(ctx, 'List Button Text', 'the text', ctx.getNodeParameter('listButton', ''), LIMITS.listButton);
	const json = ctx.getNodeParameter('interactiveInput', 'fields') === 'json';
	const field = json ? 'Sections (JSON)' : 'Sections';
	const raw = json ? fromJson(ctx, field, ctx.getNodeParameter('listSectionsJson', '[]')) : entries(ctx.getNodeParameter('listSections', {}), 'section');
	if (raw.length === 0) throw fieldError(ctx, field, 'add at least one section');
	if (raw.length > LIMITS.sections) throw fieldError(ctx, field, `has ${raw.length} sections; WhatsApp allows at most ${LIMITS.sections}`);
	const sections = raw.map((section, index) => {
		const s = isObject(section) ? section : {};
		const n = index + 1;
		// WhatsApp needs a section title once there are several sections.
		const title = limited(ctx, field, `section ${n} title`, s.title, LIMITS.sectionTitle, raw.length > 1);
		const rawRows = json ? (Array.isArray(s.rows) ? (s.rows as unknown[]) : []) : entries(s.rows, 'row');
		if (rawRows.length === 0) throw fieldError(ctx, field, `section ${n} has no rows; add at least one`);
		const rows = rawRows.map((row, rowIndex) => {
			const r = isObject(row) ? row : {};
			const where = `section ${n} row ${rowIndex + 1}`;
			const description = limited(ctx, field, `${where} description`, r.description, LIMITS.rowDescription, false);
			return {
				id: limited(ctx, field, `${where} ID`, r.id, LIMITS.rowId),
				title: limited(ctx, field, `${where} title`, r.title, LIMITS.rowTitle),
				...(description ? { description } : {}),
			};
		});
		return { ...(title ? { title } : {}), rows };
	});
	const rowCount = sections.reduce((sum, s) => sum + s.rows.length, 0);
	if (rowCount > LIMITS.rows) throw fieldError(ctx, field, `has ${rowCount} rows in all; WhatsApp allows at most ${LIMITS.rows}`);
	unique(ctx, field, 'row ID', sections.flatMap((s) => s.rows.map((r) => r.id)));
	return { button, sections };
}

const interactive = (types: string[], extra: IDataObject = {}) => show(R, ['sendWhatsApp'], { messageType: types, ...extra });

export const interactiveFields: INodeProperties[] = [
	{
		displayName: 'Define',
		name: 'interactiveInput',
		type: 'options',
		default: 'fields',
		displayOptions: interactive(['button', 'list']),
		description: 'Enter the buttons or list here, or as JSON (e.g. from an earlier node)',
		options: [
			{ name: 'Using Fields Below', value: 'fields' },
			{ name: 'Using JSON', value: 'json' },
		],
	},
	{
		displayName: 'Buttons',
		name: 'replyButtons',
		type: 'fixedCollection',
		placeholder: 'Add Button',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		displayOptions: interactive(['button'], { interactiveInput: ['fields'] }),
		description: `Up to ${LIMITS.buttons} reply buttons; a tap comes back with the button's ID`,
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{ displayName: 'Title', name: 'title', type: 'string', default: '', placeholder: 'Yes, confirm', description: `Label of the button (at most ${LIMITS.buttonTitle} characters, unique)` },
					{ displayName: 'ID', name: 'id', type: 'string', default: '', placeholder: 'confirm', description: `What the reply carries back (at most ${LIMITS.buttonId} characters, unique)` },
				],
			},
		],
	},
	{
		displayName: 'Buttons (JSON)',
		name: 'replyButtonsJson',
		type: 'json',
		default: '[]',
		displayOptions: interactive(['button'], { interactiveInput: ['json'] }),
		description: `Up to ${LIMITS.buttons} buttons: a JSON array of objects with an ID and a title`,
	},
	{
		displayName: 'List Button Text',
		name: 'listButton',
		type: 'string',
		default: '',
		placeholder: 'See options',
		displayOptions: interactive(['list']),
		description: `The button that opens the list (at most ${LIMITS.listButton} characters)`,
	},
	{
		displayName: 'Sections',
		name: 'listSections',
		type: 'fixedCollection',
		placeholder: 'Add Section',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		displayOptions: interactive(['list'], { interactiveInput: ['fields'] }),
		description: `Up to ${LIMITS.sections} sections with ${LIMITS.rows} rows in all`,
		options: [
			{
				displayName: 'Section',
				name: 'section',
				values: [
					{ displayName: 'Title', name: 'title', type: 'string', default: '', placeholder: 'Drinks', description: `Heading of the section (at most ${LIMITS.sectionTitle} characters; required with several sections)` },
					{
						displayName: 'Rows',
						name: 'rows',
						type: 'fixedCollection',
						placeholder: 'Add Row',
						typeOptions: { multipleValues: true, sortable: true },
						default: {},
						description: 'The choices of this section',
						options: [
							{
								displayName: 'Row',
								name: 'row',
								values: [
									{ displayName: 'Title', name: 'title', type: 'string', default: '', placeholder: 'Iced coffee', description: `Text of the choice (at most ${LIMITS.rowTitle} characters)` },
									{ displayName: 'ID', name: 'id', type: 'string', default: '', placeholder: 'iced_coffee', description: `What the reply carries back (at most ${LIMITS.rowId} characters, unique in the list)` },
									{ displayName: 'Description', name: 'description', type: 'string', default: '', description: `Optional line under the title (at most ${LIMITS.rowDescription} characters)` },
								],
							},
						],
					},
				],
			},
		],
	},
	{
		displayName: 'Sections (JSON)',
		name: 'listSectionsJson',
		type: 'json',
		default: '[]',
		displayOptions: interactive(['list'], { interactiveInput: ['json'] }),
		description: 'A JSON array of sections with a title and rows; rows with an ID, a title and an optional description',
	},
];
