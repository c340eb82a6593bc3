/** One page size for every list (defined with the paging rules; re-exported for the benchmarks). */
export { PAGE_SIZE } from '../../shared/paging';

export const ORDER_STATUSES = ['pending', 'processing', 'shipping', 'cancelled', 'completed'] as const;
export const PAYMENT_STATUSES = ['pending', 'paid', 'expired', 'settled'] as const;
export const PAYMENT_METHODS = ['manual', 'xendit', 'custom'] as const;

const titleCase = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);
const optionsOf = (values: readonly string[]) => values.map((value) => ({ name: titleCase(value), value }));

/** Picker options of Cekat's order values (the Order operations and the trigger's order filters). */
export const ORDER_STATUS_OPTIONS = optionsOf(ORDER_STATUSES);
export const PAYMENT_STATUS_OPTIONS = optionsOf(PAYMENT_STATUSES);
export const PAYMENT_METHOD_OPTIONS = optionsOf(PAYMENT_METHODS);

/** Cekat filters dates in Jakarta time (WIB, UTC+7, no daylight saving). */
export const JAKARTA_OFFSET_MINUTES = 7 * 60;

/** Display names of the parameters that fill URL path segments, for error messages. */
export const PATH_PARAMETER_NAMES: Record<string, string> = {
	boardId: 'Board',
	columnId: 'Column',
	itemId: 'Item',
	orderId: 'Order',
	conversationId: 'Conversation',
	campaignId: 'Campaign',
};
