import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { asText, checkCekatId, checkPhone, fieldError, wholeNumber } from '../../shared/validation';

/** preSend of Order Create: product lines, the buyer, and amounts checked before any request. */
export async function buildOrder(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = (requestOptions.body ?? {}) as IDataObject;
	const lines = this.getNodeParameter('products.product', []) as IDataObject[];
	if (lines.length === 0) throw fieldError(this, 'Products', 'add at least one product');
	body.orders_products = lines.map((line, index) => {
		const label = `Products #${index + 1}`;
		const name = asText(this, `${label} Product Name`, line.productName);
		const productId = asText(this, `${label} Product ID`, line.productId);
		// A catalogue product is named by its id alone (Cekat's Postman example sends product_id + quantity);
		// a line outside the catalogue needs a name and a price.
		if (!name && !productId) throw fieldError(this, `${label} Product Name`, 'is required (or give the Product ID of a catalogue product)');
		const product: IDataObject = {};
		if (productId) product.product_id = productId;
		if (name) product.product_name = name;
		product.quantity = wholeNumber(this, `${label} Quantity`, line.quantity, 1);
		const price = wholeNumber(this, `${label} Price`, line.price ?? 0, 0);
		if (!productId || price > 0) product.price = price;
		return product;
	});

	if (this.getNodeParameter('paymentMethod', '') === 'manual') {
		const account = asText(this, 'Bank Account Number', this.getNodeParameter('bankAccountNumber', ''));
		if (!account) throw fieldError(this, 'Bank Account Number', 'is required for manual payment');
		body.bank_account_number = account;
	}

	const buyer = this.getNodeParameter('buyer', 'phone') as string;
	const buyerFields: Record<string, [string, string]> = {
		contact: ['contactId', 'contact_id'],
		conversation: ['conversationId', 'conversation_id'],
		phone: ['phoneNumber', 'phone_number'],
	};
	const [parameter, key] = buyerFields[buyer];
	const labels: Record<string, string> = { contactId: 'Contact ID', conversationId: 'Conversation', phoneNumber: 'Phone Number' };
	const raw = this.getNodeParameter(parameter, '', { extractValue: true }) as unknown;
	const value = asText(this, labels[parameter], raw);
	if (!value) throw fieldError(this, labels[parameter], 'is required to identify the buyer');
	if (buyer === 'phone') {
		body[key] = checkPhone(this, 'Phone Number', value);
	} else {
		body[key] = checkCekatId(this, labels[parameter], value);
	}

	for (const [field, label] of [['shipping_fee', 'Shipping Fee'], ['discount', 'Discount'], ['vat', 'VAT']] as const) {
		if (body[field] !== undefined && body[field] !== '') body[field] = wholeNumber(this, label, body[field], 0);
	}
	requestOptions.body = body;
	return requestOptions;
}
