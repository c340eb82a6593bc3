/** CRM Item: one file per operation; fields several operations share are in fields.ts. */
import type { INodeProperties } from 'n8n-workflow';

import { resourceProperties } from '../../shared/descriptions';
import { create } from './create';
import { deleteItems } from './delete';
import { boardField, itemField, R } from './fields';
import { get } from './get';
import { getAll } from './getAll';
import { search } from './search';
import { update } from './update';

export const crmItemDescription: INodeProperties[] = resourceProperties(
	R,
	[create, deleteItems, get, getAll, search, update],
	'getAll',
	[boardField, itemField],
);
