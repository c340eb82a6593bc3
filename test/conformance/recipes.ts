/**
 * The fixtures' runtime recipes, built locally as the contract asks ("a runner constructs the named non-JSON
 * value locally, and expands response_body_recipe to an ordinary response body before posting it to the
 * mock"). Every recipe the schema names is here; an unknown one fails the case.
 *
 * Properties recipes reach the node the way a workflow would give them: the value sits in the input item's
 * json and the node's Properties (JSON) parameter is the expression `={{ $json.properties }}`. Measured with
 * n8n-core 2.41.1 (see README.md in this folder): n8n's expression evaluation hands the node the very same
 * object (identity kept: NaN, ±Infinity, unsafe integers, symbol keys, Map, Set, Date all arrive unchanged), except
 * a cycle: getNodeParameter's cleanupParameterData walks every enumerable key and overflows the stack on a
 * cyclic value, so the node never sees it and gets n8n's `RangeError: Maximum call stack size exceeded` from
 * getNodeParameter instead. No route through a node parameter avoids that walk, so the cycle case runs as a
 * workflow would: the node has to turn that failure of its own parameter into a validation error with no
 * request.
 */

export interface ResponseBodyRecipe {
	unit: string;
	minimum_utf8_bytes: number;
	suffix: string;
}

/**
 * The unit repeated until the body holds at least `minimum_utf8_bytes` bytes, then the suffix (the same
 * expansion as Cekat's own Node.js runner). With the fixtures' "€" (3 bytes) and 65,537: 21,846 units
 * (65,538 bytes) + "END", so byte 65,536 falls inside a "€": the bounded read cuts a UTF-8 sequence.
 */
export function expandResponseBodyRecipe(recipe: ResponseBodyRecipe): string {
	if (typeof recipe.unit !== 'string' || Buffer.byteLength(recipe.unit) === 0) throw new Error('response_body_recipe.unit must be a non-empty string');
	const unitBytes = Buffer.byteLength(recipe.unit);
	const count = Math.ceil(recipe.minimum_utf8_bytes / unitBytes);
	return recipe.unit.repeat(count) + recipe.suffix;
}

/** The first `bytes` bytes of `body` as a text API decodes them (an incomplete UTF-8 sequence becomes U+FFFD). */
export function retainedText(body: string, bytes: number): string {
	return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.from(body, 'utf8').subarray(0, bytes));
}

export interface PropertiesVariant {
	/** Short name for the case record. */
	label: string;
	/** The value put in the input item's json as `properties`. */
	value: unknown;
}

/**
 * The properties value(s) of each recipe. Where JavaScript has more than one natural form of the recipe, every
 * form is run and each must give the fixture's result.
 */
export const PROPERTIES_RECIPES: Record<string, () => PropertiesVariant[]> = {
	nan: () => [{ label: 'NaN', value: { value: Number.NaN } }],
	positive_infinity: () => [{ label: 'Infinity', value: { value: Number.POSITIVE_INFINITY } }],
	negative_infinity: () => [{ label: '-Infinity', value: { value: Number.NEGATIVE_INFINITY } }],
	unsafe_integer_high: () => [{ label: 'MAX_SAFE_INTEGER + 1', value: { value: Number.MAX_SAFE_INTEGER + 1 } }],
	unsafe_integer_low: () => [{ label: 'MIN_SAFE_INTEGER - 1', value: { value: Number.MIN_SAFE_INTEGER - 1 } }],
	cycle: () => {
		const value: Record<string, unknown> = { name: 'cycle' };
		value.self = value;
		return [{ label: 'self-reference', value }];
	},
	// A JavaScript object's keys are strings or symbols: a symbol key (what Cekat's Node.js runner uses; JSON.stringify
	// drops it silently), and a Map, the JavaScript structure whose keys may be anything (JSON.stringify gives {}).
	non_string_key: () => [
		{ label: 'symbol key', value: { [Symbol('not-a-string')]: 'value' } },
		{ label: 'Map with a number key', value: new Map<unknown, unknown>([[1, 'value']]) },
	],
	// A runtime object JavaScript's JSON encoder cannot represent (the contract: "each runner constructs recipe values
	// that its language's encoder cannot represent"; an SDK may first apply its language's standard JSON conventions):
	// a Map and a Set (JSON.stringify turns both into {}, losing their content). Not a Date, although Cekat's own
	// Node.js runner uses one: a Date has toJSON, JavaScript's standard convention, so JSON.stringify represents it
	// (as its ISO text), and the contract lets an SDK send that.
	runtime_object: () => [
		{ label: 'Map value', value: { value: new Map([['a', 1]]) } },
		{ label: 'Set value', value: { value: new Set([1]) } },
	],
};
