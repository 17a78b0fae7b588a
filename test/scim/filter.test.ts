import { describe, expect, it } from 'vitest';

import { and, compare, eq, or, scimString } from '../../nodes/MiroScim/scim/filter';

describe('scimString: a filter value is a JSON string (RFC 7644 §3.4.2.2)', () => {
	it.each([
		['plain', 'Engineering', '"Engineering"'],
		['email', 'jane.doe+ops@example.com', '"jane.doe+ops@example.com"'],
		['a quote', 'R"D', '"R\\"D"'],
		['a backslash', 'a\\b', '"a\\\\b"'],
		['a backslash before a quote', 'a\\"b', '"a\\\\\\"b"'],
		['a trailing backslash', 'team\\', '"team\\\\"'],
		['an attempt to end the string', 'x" or userName pr or "', '"x\\" or userName pr or \\""'],
		['a new line and a tab', 'a\nb\tc', '"a\\nb\\tc"'],
		['non-ASCII', 'Équipe Zürich', '"Équipe Zürich"'],
		['empty', '', '""'],
	])('%s', (_, value, expected) => {
		expect(scimString(value)).toBe(expected);
	});
});

describe('compare / eq', () => {
	it.each([
		[['userName', 'eq', 'a@b.com'], 'userName eq "a@b.com"'],
		[['displayName', 'co', 'eng'], 'displayName co "eng"'],
		[['displayName', 'sw', 'R"'], 'displayName sw "R\\""'],
		[['active', 'eq', true], 'active eq true'],
		[['active', 'ne', false], 'active ne false'],
		[['groups.value', 'eq', '3458764513820540928'], 'groups.value eq "3458764513820540928"'],
	] as const)('compare(%j) is %s', ([attribute, operator, value], expected) => {
		expect(compare(attribute, operator, value)).toBe(expected);
	});

	it.each([
		['displayName', 'Engineering Group', 'displayName eq "Engineering Group"'],
		['userName', 'o"brien\\x@example.com', 'userName eq "o\\"brien\\\\x@example.com"'],
		['active', true, 'active eq true'],
	] as const)('eq(%s, %j) is %s', (attribute, value, expected) => {
		expect(eq(attribute, value)).toBe(expected);
	});
});

describe('and / or', () => {
	it.each([
		[[], undefined],
		[[undefined, ''], undefined],
		[['  ', undefined], undefined],
		[['active eq true'], 'active eq true'],
		[[undefined, 'active eq true', ''], 'active eq true'],
		[['a eq "1"', 'b eq "2"'], '(a eq "1") and (b eq "2")'],
		[['a eq "1" or b eq "2"', 'active eq true'], '(a eq "1" or b eq "2") and (active eq true)'],
	] as Array<[Array<string | undefined>, string | undefined]>)(
		'and(%j) is %j',
		(clauses, expected) => {
			expect(and(...clauses)).toBe(expected);
		},
	);

	it.each([
		[['a eq "1"'], 'a eq "1"'],
		[['a eq "1"', 'b co "x"'], '(a eq "1") or (b co "x")'],
		[['a eq "1"', 'b eq "2"', 'c eq "3"'], '(a eq "1") or (b eq "2") or (c eq "3")'],
	])('or(%j) is %s', (clauses, expected) => {
		expect(or(...clauses)).toBe(expected);
	});
});
