import type { INodeProperties } from 'n8n-workflow';

import { ORDER_STATUS_OPTIONS, PAYMENT_METHOD_OPTIONS, PAYMENT_STATUS_OPTIONS } from '../../shared/constants';
import {
	dateRangeOptions,
	filtersCollection,
	ID_PLACEHOLDER,
	listOperation,
	locatorField,
	operationPicker,
	PHONE_DESCRIPTION,
	PHONE_PLACEHOLDER,
	returnAllFields,
	show,
	singleOperation,
	toBody,
	toQuery,
} from '../../shared/descriptions';
import { requireSomeBody } from '../../shared/validation';
import { buildOrder } from './createBody';

const R = 'order';


export const orderDescription: INodeProperties[] = [
	operationPicker(R, [
		singleOperation(
			'Create',
			'create',
			'Create an order',
			'Create an order for a contact, a conversation or a phone number',
			'POST /api/orders',
			{ preSend: [buildOrder] },
		),
		singleOperation(
			'Get',
			'get',
			'Get an order',
			'Get one order with its products and totals',
			'GET /api/orders/{orderId}',
		),
		listOperation(
			'Get Many',
			'getAll',
			'Get many orders',
			'List orders, with filters',
			'GET /api/orders',
			'orders',
		),
		singleOperation(
			'Update',
			'update',
			'Update an order',
			'Change the status, payment status, invoice, address or notes of an order',
			'PUT /api/orders/{orderId}',
			{ preSend: [requireSomeBody] },
		),
	], 'getAll'),
	...returnAllFields(R, ['getAll']),
	locatorField(R, ['get', 'update'], 'orderId', 'Order', 'searchOrders', 'The order (search by order number, buyer name or phone)'),

	// Create
	{
		displayName: 'Products',
		name: 'products',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Product',
		required: true,
		default: { product: [{ productName: '', quantity: 1, price: 0 }] },
		displayOptions: show(R, ['create']),
		description: 'The order lines; Cekat computes the totals from them',
		options: [
			{
				displayName: 'Product',
				name: 'product',
				values: [
					{ displayName: 'Product Name', name: 'productName', type: 'string', default: '', description: 'Name shown on the order' },
					{ displayName: 'Quantity', name: 'quantity', type: 'number', typeOptions: { minValue: 1 }, default: 1, description: 'How many (a whole number)' },
					{ displayName: 'Price', name: 'price', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'Unit price in rupiah (whole number); with a Product ID, 0 keeps the catalogue price' },
					{ displayName: 'Product ID', name: 'productId', type: 'string', default: '', description: 'A product of your Cekat catalogue; name and price may then stay empty' },
				],
			},
		],
	},
	{
		displayName: 'Payment Method',
		name: 'paymentMethod',
		type: 'options',
		required: true,
		default: 'manual',
		displayOptions: show(R, ['create']),
		options: PAYMENT_METHOD_OPTIONS,
		description: 'How the buyer pays: Manual (bank transfer etc.), Xendit (Cekat’s payment link), or Custom',
		routing: toBody('payment_method'),
	},
	// Cekat's own node requires these per payment method (docs/cekat-api.md, Orders).
	{
		displayName: 'Bank Account Number',
		name: 'bankAccountNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: '1234567890',
		displayOptions: show(R, ['create'], { paymentMethod: ['manual'] }),
		description: 'The account the buyer transfers to (required for manual payment)',
		routing: toBody('bank_account_number'),
	},
	{
		displayName: 'Custom Invoice URL',
		name: 'customInvoiceUrl',
		type: 'string',
		default: '',
		placeholder: 'https://shop.example.com/invoice/1001',
		displayOptions: show(R, ['create'], { paymentMethod: ['custom'] }),
		description: 'Link to an invoice made outside Cekat',
		routing: toBody('custom_invoice_url'),
	},
	{
		displayName: 'Buyer',
		name: 'buyer',
		type: 'options',
		default: 'phone',
		displayOptions: show(R, ['create']),
		options: [
			{ name: 'By Phone Number', value: 'phone', description: 'Cekat finds or creates the contact' },
			{ name: 'By Contact ID', value: 'contact' },
			{ name: 'By Conversation ID', value: 'conversation' },
		],
		description: 'How the buyer is identified',
	},
	{
		displayName: 'Phone Number',
		name: 'phoneNumber',
		type: 'string',
		default: '',
		placeholder: PHONE_PLACEHOLDER,
		displayOptions: show(R, ['create'], { buyer: ['phone'] }),
		description: PHONE_DESCRIPTION,
		routing: toBody('phone_number'),
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		displayOptions: show(R, ['create'], { buyer: ['contact'] }),
		placeholder: ID_PLACEHOLDER,
		description: 'ID of the buyer’s contact, from Contact → Get Many',
		routing: toBody('contact_id'),
	},
	{
		...locatorField(R, ['create'], 'conversationId', 'Conversation', 'searchConversations', 'The conversation with the buyer', { extraShow: { buyer: ['conversation'] } }),
		routing: toBody('conversation_id'),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(R, ['create']),
		options: [
			{ displayName: 'Address', name: 'address', type: 'string', default: '', description: 'Delivery address', routing: toBody('address') },
			{ displayName: 'Discount', name: 'discount', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'Discount in rupiah, subtracted from the subtotal', routing: toBody('discount') },
			{ displayName: 'Display Name', name: 'displayName', type: 'string', default: '', description: 'Buyer’s name for a contact created from the phone number', routing: toBody('display_name') },
			{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', description: 'Buyer’s email address', routing: toBody('email') },
			{ displayName: 'Notes', name: 'notes', type: 'string', default: '', description: 'Notes on the order', routing: toBody('notes') },
			{ displayName: 'Shipping Fee', name: 'shippingFee', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'Shipping fee in rupiah', routing: toBody('shipping_fee') },
			{ displayName: 'VAT', name: 'vat', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'VAT amount in rupiah', routing: toBody('vat') },
		],
	},

	// Update
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(R, ['update']),
		options: [
			{ displayName: 'Address', name: 'address', type: 'string', default: '', description: 'New delivery address', routing: toBody('address') },
			{ displayName: 'Custom Invoice URL', name: 'customInvoiceUrl', type: 'string', default: '', placeholder: 'https://shop.example.com/invoice/1001', description: 'Link to an invoice made outside Cekat', routing: toBody('custom_invoice_url') },
			{ displayName: 'Invoice Is Sent', name: 'invoiceIsSent', type: 'boolean', default: false, description: 'Whether the invoice has been sent to the buyer', routing: toBody('invoice_is_sent') },
			{ displayName: 'Notes', name: 'notes', type: 'string', default: '', description: 'New notes (replace the old ones)', routing: toBody('notes') },
			{ displayName: 'Order Status', name: 'orderStatus', type: 'options', options: ORDER_STATUS_OPTIONS, default: 'processing', description: 'The new order status', routing: toBody('order_status') },
			{ displayName: 'Payment Status', name: 'paymentStatus', type: 'options', options: PAYMENT_STATUS_OPTIONS, default: 'paid', description: 'The new payment status', routing: toBody('payment_status') },
		],
	},

	// Get Many
	filtersCollection(R, ['getAll'], [
		...dateRangeOptions(),
		{ displayName: 'Export Scope', name: 'exportScope', type: 'string', default: '', description: 'Passed to Cekat as export_scope', routing: toQuery('export_scope') },
		{ displayName: 'Inbox ID', name: 'inboxId', type: 'string', default: '', description: 'Only orders of this inbox', routing: toQuery('inbox_id') },
		{ displayName: 'Include Conversation', name: 'includeConv', type: 'boolean', default: true, description: 'Whether to include each order’s conversation', routing: toQuery('include_conv', '={{ $value ? "true" : "false" }}') },
		{ displayName: 'Order Status', name: 'orderStatus', type: 'multiOptions', options: ORDER_STATUS_OPTIONS, default: [], description: 'Only orders with one of these statuses', routing: toQuery('order_status', '={{ $value.join(",") }}') },
		{ displayName: 'Payment Status', name: 'paymentStatus', type: 'multiOptions', options: PAYMENT_STATUS_OPTIONS, default: [], description: 'Only orders with one of these payment statuses', routing: toQuery('payment_status', '={{ $value.join(",") }}') },
		{ displayName: 'Product IDs', name: 'productIds', type: 'string', default: '', placeholder: 'id1,id2', description: 'Only orders with one of these products (comma-separated IDs)', routing: toQuery('product_ids') },
		{ displayName: 'Search', name: 'search', type: 'string', default: '', description: 'Text to find in the order number, buyer name or phone', routing: toQuery('search') },
		{
			displayName: 'Sort By',
			name: 'sortField',
			type: 'options',
			default: 'created_at',
			description: 'Field to sort by',
			options: [
				{ name: 'Created At', value: 'created_at' },
				{ name: 'Grand Total', value: 'grand_total' },
				{ name: 'Order Number', value: 'order_number' },
				{ name: 'Updated At', value: 'updated_at' },
			],
			routing: toQuery('sort_field'),
		},
		{
			displayName: 'Sort Direction',
			name: 'sortDirection',
			type: 'options',
			default: 'desc',
			description: 'Descending: newest or largest first',
			options: [
				{ name: 'Ascending', value: 'asc' },
				{ name: 'Descending', value: 'desc' },
			],
			routing: toQuery('sort_direction'),
		},
	]),
];
