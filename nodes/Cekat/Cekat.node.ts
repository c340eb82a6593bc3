import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { NODE_DESCRIPTION } from '../shared/texts';
import { getColumnLabels, getColumnNames, getColumns, listSearch } from './methods';
import { singleRequest } from './shared/pagination';
import { trackEvents } from './shared/events/track';
import { bulkSend } from './shared/send';
import { agentDescription } from './resources/agent';
import { agentAssignmentDescription } from './resources/agentAssignment';
import { campaignDescription } from './resources/campaign';
import { contactDescription } from './resources/contact';
import { conversationDescription } from './resources/conversation';
import { crmBoardDescription } from './resources/crmBoard';
import { crmColumnDescription } from './resources/crmColumn';
import { crmItemDescription } from './resources/crmItem';
import { eventDescription } from './resources/event';
import { inboxDescription } from './resources/inbox';
import { messageDescription } from './resources/message';
import { templateBody } from './resources/message/sendTemplate';
import { whatsAppBody } from './resources/message/sendWhatsApp';
import { orderDescription } from './resources/order';
import { templateDescription } from './resources/template';

const RESOURCES = [
	agentDescription,
	agentAssignmentDescription,
	campaignDescription,
	contactDescription,
	conversationDescription,
	crmBoardDescription,
	crmColumnDescription,
	crmItemDescription,
	eventDescription,
	inboxDescription,
	messageDescription,
	orderDescription,
	templateDescription,
];

export class Cekat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cekat',
		name: 'cekat',
		icon: { light: 'file:../../icons/cekat.svg', dark: 'file:../../icons/cekat.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: NODE_DESCRIPTION,
		defaults: { name: 'Cekat' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Cekat's event ingest API (Event → Track) has its own token and host. n8n's routing engine picks a
		// node's credential by its `authentication` parameter once there are two: a hidden one per side below.
		credentials: [
			{ name: 'cekatApi', required: true, displayOptions: { show: { authentication: ['cekatApi'] } } },
			{ name: 'cekatEventsApi', required: true, displayOptions: { show: { authentication: ['cekatEventsApi'] } } },
		],
		// The base URL comes from the credential (its authenticate step), see CekatApi.credentials.ts.
		requestDefaults: {
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			json: true,
			// Failed answers reach checkResponse, which shows Cekat's own message.
			ignoreHttpStatusErrors: true,
		},
		// The one hook of n8n's routing engine that wraps a request: every request of the node runs through
		// singleRequest, which rebuilds transport errors (timeouts, dropped connections) without the HTTP
		// client's config, API key included. List operations replace it with their paging
		// (routing.operations.pagination), which guards each page the same way. Measured: without it, a
		// timeout's error carries the key (test/reliability/secrets.test.ts).
		requestOperations: { pagination: singleRequest },
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				// Turns the request hook above on for every operation (n8n calls it only when `paginate` is set).
				routing: { send: { paginate: true } },
				options: [
					{ name: 'Agent', value: 'agent' },
					{ name: 'Agent Assignment', value: 'agentAssignment' },
					{ name: 'Campaign', value: 'campaign' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Conversation', value: 'conversation' },
					{ name: 'CRM Board', value: 'crmBoard' },
					{ name: 'CRM Column', value: 'crmColumn' },
					{ name: 'CRM Item', value: 'crmItem' },
					{ name: 'Event', value: 'event' },
					{ name: 'Inbox', value: 'inbox' },
					{ name: 'Message', value: 'message' },
					{ name: 'Order', value: 'order' },
					{ name: 'Template', value: 'template' },
				],
				default: 'message',
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'hidden',
				displayOptions: { hide: { resource: ['event'] } },
				default: 'cekatApi',
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'hidden',
				displayOptions: { show: { resource: ['event'] } },
				default: 'cekatEventsApi',
			},
			...RESOURCES.flat(),
		],
	};

	/**
	 * The two sends run item by item in input order instead of the routing engine's all-at-once: a failure
	 * stops the rest and says what was sent (shared/send.ts). Their routing stays the description of the
	 * request (the body is built from the fields' routing.send) and is what the AI-tool variant runs.
	 */
	customOperations = {
		message: {
			sendWhatsApp: bulkSend(this.description, 'message', 'sendWhatsApp', whatsAppBody),
			sendTemplate: bulkSend(this.description, 'message', 'sendTemplate', templateBody),
		},
		event: { track: trackEvents },
	};

	methods = {
		listSearch,
		loadOptions: { getColumnNames, getColumnLabels },
		resourceMapping: { getColumns },
	};
}
