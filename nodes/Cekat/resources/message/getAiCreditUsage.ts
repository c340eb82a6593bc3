import { dateRangeOptions, filtersCollection, singleOperation, type OperationDescription } from '../../shared/descriptions';
import { conversationFilter, R } from './fields';

export const getAiCreditUsage: OperationDescription = {
	option: singleOperation({
		name: 'Get AI Credit Usage',
		value: 'getAiCreditUsage',
		action: 'Get AI credit usage',
		description: 'Summary of messages and AI credits used in a period',
		method: 'GET',
		url: '/api/messages/summary/ai_credits',
	}),
	fields: [filtersCollection(R, ['getAiCreditUsage'], [conversationFilter, ...dateRangeOptions()])],
};
