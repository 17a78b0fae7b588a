/**
 * SCIM filter expressions (RFC 7644 §3.4.2.2).
 *
 * A filter compares an attribute with a value written as a JSON string, so a value is escaped
 * exactly as JSON escapes it: a backslash first becomes `\\`, then a quote `\"`. An email or a
 * team name that contains either can therefore never end the string early and change the
 * filter. URL encoding of the whole parameter is left to the HTTP layer, which encodes every
 * query value it sends.
 */
export function scimString(value: string): string {
	return JSON.stringify(value);
}

export type FilterOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

export function compare(
	attribute: string,
	operator: FilterOperator,
	value: string | boolean,
): string {
	const literal = typeof value === 'boolean' ? String(value) : scimString(value);
	return `${attribute} ${operator} ${literal}`;
}

export function eq(attribute: string, value: string | boolean): string {
	return compare(attribute, 'eq', value);
}

/** Joins clauses with `and`; a raw clause the user typed is parenthesised so its `or` stays inside. */
export function and(...clauses: Array<string | undefined>): string | undefined {
	const present = clauses.filter((clause): clause is string => !!clause && clause.trim() !== '');
	if (present.length === 0) return undefined;
	if (present.length === 1) return present[0];
	return present.map((clause) => `(${clause})`).join(' and ');
}

export function or(...clauses: string[]): string {
	return clauses.length === 1 ? clauses[0] : clauses.map((clause) => `(${clause})`).join(' or ');
}
