import { dateRangeOptions, filtersCollection, singleOperation, type OperationDescription } from '../../shared/descriptions';
import { conversationFilter, R } from './fields';

export const getAiCreditUsage: OperationDescription = {
	option: singleOperation(
		'Get AI Credit Usage',
		'getAiCreditUsage',
		'Get AI credit usage',
		'Summary of messages and AI credits used in a period',
		'GET /api/messages/summary/ai_credits',
	),
	fields: [filtersCollection(R, ['getAiCreditUsage'], [conversationFilter, ...dateRangeOptions()])],
};
