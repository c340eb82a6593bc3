import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { asText, checkCekatId, checkPhone, fieldError, wholeNumber } from '../../shared/validation';

/**
 * preSend of Order Create: the fields route themselves (routing.send); here the product lines get
 * their shape, and the buyer, the bank account and the amounts are checked before any request.
 */
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

	if (body.payment_method === 'manual') {
		const account = asText(this, 'Bank Account Number', body.bank_account_number);
		if (!account) throw fieldError(this, 'Bank Account Number', 'is required for manual payment');
		body.bank_account_number = account;
	}

	// The buyer's field (shown for the chosen Buyer) routed itself to one of these keys.
	const buyerKeys: Record<string, [string, string]> = {
		contact: ['contact_id', 'Contact ID'],
		conversation: ['conversation_id', 'Conversation'],
		phone: ['phone_number', 'Phone Number'],
	};
	const [key, label] = buyerKeys[this.getNodeParameter('buyer', 'phone') as string];
	const value = asText(this, label, body[key]);
	if (!value) throw fieldError(this, label, 'is required to identify the buyer');
	body[key] = key === 'phone_number' ? checkPhone(this, label, value) : checkCekatId(this, label, value);

	for (const [field, label] of [['shipping_fee', 'Shipping Fee'], ['discount', 'Discount'], ['vat', 'VAT']] as const) {
		if (body[field] !== undefined && body[field] !== '') body[field] = wholeNumber(this, label, body[field], 0);
	}
	requestOptions.body = body;
	return requestOptions;
}
