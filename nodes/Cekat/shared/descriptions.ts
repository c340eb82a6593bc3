import type {
	IDataObject,
	IDisplayOptions,
	IExecuteSingleFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INodeProperties,
	INodePropertyOptions,
	INodePropertyRouting,
	PostReceiveAction,
} from 'n8n-workflow';

import { checkResponse } from './errors';
import { prepareRequest } from './request';
import { paginate, unwrapData, type ListFamily } from './pagination';
import { EXAMPLE_ID } from './validation';

type PreSend = (this: IExecuteSingleFunctions, options: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

/** Steps an operation adds to the request (after prepareRequest) and to the answer. */
export interface OperationHooks {
	preSend?: PreSend[];
	postReceive?: PostReceiveAction[];
}

/**
 * The operation builders take what the Operation picker shows of an operation (`name`, `value`, `action`,
 * `description`, as n8n names them) and its request, `route`: method and path, e.g. 'GET /api/orders/{orderId}'
 * (`{parameter}` placeholders are filled, URL-encoded, by prepareRequest).
 */
const request = (route: string) => {
	const [method, url] = route.split(' ') as [IHttpRequestMethods, string];
	return { method, url };
};

/** An operation that answers one record (get, create, update, send). */
export function singleOperation(
	name: string,
	value: string,
	action: string,
	description: string,
	route: string,
	{ preSend = [], postReceive = [unwrapData] }: OperationHooks = {},
): INodePropertyOptions {
	const { method, url } = request(route);
	return {
		name,
		value,
		action,
		description,
		routing: {
			request: { method, url },
			// The request runs through the node's request hook (Cekat.node.ts, requestOperations).
			send: { preSend: [prepareRequest, ...preSend] },
			output: { postReceive: [checkResponse(url), ...postReceive] },
		},
	};
}

/**
 * An operation that answers a list: one n8n item per record, read from the answer's envelope `family`. Its
 * resource declares Return All + Limit beside it with returnAllFields (the paging function reads them).
 */
export function listOperation(
	name: string,
	value: string,
	action: string,
	description: string,
	route: string,
	family: ListFamily,
	{ preSend = [], postReceive = [] }: OperationHooks = {},
): INodePropertyOptions {
	const { method, url } = request(route);
	return {
		name,
		value,
		action,
		description,
		routing: {
			request: { method, url },
			send: { paginate: true, preSend: [prepareRequest, ...preSend] },
			operations: { pagination: paginate(family) },
			// Extra steps see the whole answer (paging reads its records afterwards).
			output: { postReceive: [checkResponse(url), ...postReceive] },
		},
	};
}

/** A field's routing: its value goes to this body property (a dotted path nests) or query parameter. */
export const toBody = (property: string): INodePropertyRouting => ({ send: { type: 'body', property } });
export const toQuery = (property: string, value?: string): INodePropertyRouting =>
	({ send: value === undefined ? { type: 'query', property } : { type: 'query', property, value } });

/** A WhatsApp number field's description (normalizePhone reads these forms) and placeholder. */
export const PHONE_DESCRIPTION = 'WhatsApp number with country code; +62 812-3456-7890 and 0812… are accepted';
export const PHONE_PLACEHOLDER = '6281234567890';

/** The placeholder of a field that takes a Cekat id. */
export const ID_PLACEHOLDER = `e.g. ${EXAMPLE_ID}`;

export function show(resource: string, operations: string[], extra: IDataObject = {}): IDisplayOptions {
	return { show: { resource: [resource], operation: operations, ...extra } } as IDisplayOptions;
}

/** One operation of a resource: its entry in the Operation picker and the fields only it uses. */
export interface OperationDescription {
	option: INodePropertyOptions;
	fields: INodeProperties[];
}

/**
 * A resource's properties: its Operation picker, the fields several operations share, then each
 * operation's own fields (one file per operation where a resource has many).
 */
export function resourceProperties(
	resource: string,
	operations: OperationDescription[],
	defaultOperation: string,
	sharedFields: INodeProperties[] = [],
): INodeProperties[] {
	return [
		operationPicker(resource, operations.map((operation) => operation.option), defaultOperation),
		...sharedFields,
		...operations.flatMap((operation) => operation.fields),
	];
}

export function operationPicker(resource: string, options: INodePropertyOptions[], defaultValue: string): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: defaultValue,
	};
}

/** Return All + Limit of a resource's list operations (read by the paging function, pagination.ts). */
export function returnAllFields(resource: string, operations: string[]): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			displayOptions: show(resource, operations),
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			displayOptions: show(resource, operations, { returnAll: [false] }),
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
		},
	];
}

/** Start/End Date filters (YYYY-MM-DD, Jakarta time), sent in the query. */
export function dateRangeOptions(): INodeProperties[] {
	return [
		{
			displayName: 'Start Date',
			name: 'startDate',
			type: 'dateTime',
			default: '',
			description: 'Only records from this day on (Jakarta time; a date-time counts as its Jakarta date)',
			routing: toQuery('start_date'),
		},
		{
			displayName: 'End Date',
			name: 'endDate',
			type: 'dateTime',
			default: '',
			description: 'Only records up to and including this day (Jakarta time)',
			routing: toQuery('end_date'),
		},
	];
}

export function filtersCollection(resource: string, operations: string[], options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(resource, operations),
		options,
	};
}

/** A resource whose only operation is Get Many on a page-family list, with Start/End Date filters (agents, inboxes…). */
export function listOnlyResource(resource: string, action: string, description: string, url: string): INodeProperties[] {
	return [
		operationPicker(resource, [listOperation('Get Many', 'getAll', action, description, `GET ${url}`, 'page')], 'getAll'),
		...returnAllFields(resource, ['getAll']),
		filtersCollection(resource, ['getAll'], dateRangeOptions()),
	];
}

/** A picker's type, default and two modes: "From List" with search, or "By ID". */
export function locator(noun: string, searchListMethod: string, freeFormId = false): Pick<INodeProperties, 'type' | 'default' | 'modes'> {
	return {
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select ${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}...`,
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: freeFormId ? 'e.g. 1234567890' : ID_PLACEHOLDER,
				// No `validation` regex: n8n checks it before every execution in a vm with a 250 ms limit,
				// which failed executions on a loaded queue-mode worker. The node checks ids itself
				// (checkCekatId), naming the field and the item.
			},
		],
	};
}

/**
 * A required picker of an operation: the parameter `name` shown as `displayName` (its lower case names it in the
 * list's placeholder), searched by the listSearch method `searchListMethod`. `extraShow` adds display conditions;
 * `freeFormId` is for ids that are not Cekat UUIDs (Meta's template ids).
 */
export function locatorField(
	resource: string,
	operations: string[],
	name: string,
	displayName: string,
	searchListMethod: string,
	description: string,
	{ extraShow, freeFormId }: { extraShow?: IDataObject; freeFormId?: boolean } = {},
): INodeProperties {
	return {
		displayName,
		name,
		...locator(displayName.toLowerCase(), searchListMethod, freeFormId),
		required: true,
		displayOptions: show(resource, operations, extraShow),
		description,
	};
}
