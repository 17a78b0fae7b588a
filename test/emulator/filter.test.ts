import { afterEach, describe, expect, it } from 'vitest';

import { closeAll, quote, scim, start } from './helpers';
import { evaluate, FilterError, parseFilter, parsePatchPath, resolvePlain } from './filter';
import { ENTERPRISE_SCHEMA, type ScimUser } from './scim';

afterEach(closeAll);

const ada = {
	userName: 'Ada@Example.com',
	displayName: 'Ada "The Countess" \\ Lovelace',
	active: true,
	age: 36,
	name: { givenName: 'Ada', familyName: 'Lovelace' },
	emails: [{ value: 'ada@example.com', primary: true }, { value: 'countess@example.org' }],
	meta: { created: '2024-05-01T00:00:00.000Z' },
	[ENTERPRISE_SCHEMA]: { department: 'Analytical Engines' },
};

const matches = (filter: string) => evaluate(parseFilter(filter), ada, resolvePlain);

describe('filter evaluation', () => {
	it.each<[string, boolean]>([
		['userName eq "ada@example.com"', true],
		['userName eq "grace@example.com"', false],
		['userName ne "grace@example.com"', true],
		['userName co "EXAMPLE"', true],
		['userName sw "ada@"', true],
		['userName ew ".com"', true],
		['userName ew ".org"', false],
		['title pr', false],
		['userName pr', true],
		['meta.created gt "2024-01-01"', true],
		['meta.created ge "2024-05-01T00:00:00.000Z"', true],
		['meta.created lt "2024-05-01"', false],
		['meta.created le "2025"', true],
		['age gt 35', true],
		['age lt 36', false],
		['active eq true', true],
		['active ne true', false],
		['title ne "x"', true],
		['emails.value eq "countess@example.org"', true],
		['emails co "countess"', true],
		['emails[value ew ".org"]', true],
		['emails[value ew ".org" and primary eq true]', false],
		['name.familyName eq "lovelace"', true],
		[`${ENTERPRISE_SCHEMA}:department sw "analytical"`, true],
		['displayName eq "Ada \\"The Countess\\" \\\\ Lovelace"', true],
		['userName eq "ada@example.com" and active eq false', false],
		['userName eq "x" or active eq true', true],
		['not (active eq true)', false],
		['not (userName eq "x") and (name.givenName eq "Ada" or name.givenName eq "Grace")', true],
		['userName eq "x" or userName eq "y" and active eq true', false],
		['(userName eq "x" or userName eq "ada@example.com") and active eq true', true],
		['USERNAME EQ "ADA@EXAMPLE.COM" AND Active Eq TRUE', true],
		['title eq null', true],
	])('%s -> %s', (filter, expected) => {
		expect(matches(filter)).toBe(expected);
	});

	it('binds and tighter than or', () => {
		expect(parseFilter('a eq "1" or b eq "2" and c eq "3"')).toMatchObject({
			type: 'or',
			right: { type: 'and' },
		});
	});

	it.each([
		'',
		'userName',
		'userName eq',
		'userName eq ada@example.com',
		'userName zz "x"',
		'(userName eq "x"',
		'userName eq "x")',
		'userName eq "x" and',
		'not userName eq "x"',
		'userName eq "unterminated',
		'userName eq "bad \\q escape"',
		'active gt true',
		'emails[value eq "x"',
		'user..name eq "x"',
	])('refuses %j', (filter) => {
		expect(() => parseFilter(filter)).toThrow(FilterError);
	});

	it('keeps an unquoted id as its digits', () => {
		const path = parsePatchPath('members[value eq 3074457345618261605]');
		expect(path.filter).toMatchObject({ value: { kind: 'number', raw: '3074457345618261605' } });
		expect(evaluate(path.filter!, { value: '3074457345618261605' }, resolvePlain)).toBe(true);
		expect(evaluate(path.filter!, { value: '3074457345618261604' }, resolvePlain)).toBe(false);
	});

	it('parses PATCH paths with a filter and a sub-attribute', () => {
		expect(parsePatchPath('roles[primary eq true].value')).toMatchObject({
			path: { attr: 'roles' },
			filter: { type: 'compare', op: 'eq', value: { kind: 'boolean', value: true } },
			valueSub: 'value',
		});
		expect(parsePatchPath(`${ENTERPRISE_SCHEMA}:manager.value`)).toEqual({
			path: { uri: ENTERPRISE_SCHEMA, attr: 'manager', sub: 'value' },
		});
		expect(parsePatchPath('members[value eq "a]b"]')).toMatchObject({
			filter: { value: { value: 'a]b' } },
		});
	});
});

describe('GET /Users?filter=', () => {
	async function org() {
		const emulator = await start();
		const api = scim(emulator);
		const engineering = emulator.state.groupByName('Engineering');
		emulator.addUser({
			userName: 'ada@example.com',
			displayName: 'Ada "AL" \\ Lovelace',
			userType: 'Full',
			name: { givenName: 'Ada', familyName: 'Lovelace' },
			[ENTERPRISE_SCHEMA]: { department: 'R&D' },
		});
		emulator.addUser({
			userName: 'grace@example.com',
			userType: 'Basic',
			active: false,
			externalId: 'EXT-1',
			name: { givenName: 'Grace', familyName: 'Hopper' },
		});
		const linus = emulator.addUser({ userName: 'linus@example.org', userType: 'Free' });
		emulator.addGroup('Kernel', { memberIds: [linus.id] });
		const find = async (filter: string) => {
			const response = await api.get('/Users', { params: { filter } });
			expect(response.status, filter).toBe(200);
			return (response.data.Resources as ScimUser[]).map((user) => user.userName).sort();
		};
		return { emulator, api, find, engineering, linus };
	}

	it('supports every operator and the boolean grammar', async () => {
		const { find, emulator } = await org();
		const kernel = emulator.state.groupByName('Kernel');
		expect(await find('userName eq "ADA@example.COM"')).toEqual(['ada@example.com']);
		expect(await find('userName ne "ada@example.com"')).toEqual([
			'admin@example.com',
			'grace@example.com',
			'linus@example.org',
		]);
		expect(await find('emails.value co "@example.org"')).toEqual(['linus@example.org']);
		expect(await find('userName sw "g"')).toEqual(['grace@example.com']);
		expect(await find('emails ew ".ORG"')).toEqual(['linus@example.org']);
		expect(await find('externalId pr')).toEqual(['grace@example.com']);
		expect(await find('externalId eq "ext-1"')).toEqual([]);
		expect(await find('name.familyName gt "k"')).toEqual(['ada@example.com']);
		expect(await find('name.familyName ge "Hopper"')).toEqual([
			'ada@example.com',
			'grace@example.com',
		]);
		expect(await find('name.givenName lt "b"')).toEqual(['ada@example.com']);
		expect(await find('name.givenName le "Grace"')).toEqual([
			'ada@example.com',
			'grace@example.com',
		]);
		expect(await find('active eq false')).toEqual(['grace@example.com']);
		expect(await find('userType eq "full" and active eq true')).toEqual([
			'ada@example.com',
			'admin@example.com',
		]);
		expect(await find('userType eq "Free" or userType eq "Basic"')).toEqual([
			'grace@example.com',
			'linus@example.org',
		]);
		expect(await find('not (userName ew "example.com")')).toEqual(['linus@example.org']);
		expect(
			await find('(userType eq "Free" or userType eq "Basic") and not (active eq false)'),
		).toEqual(['linus@example.org']);
		expect(await find(`groups.value eq "${kernel?.id}"`)).toEqual(['linus@example.org']);
		expect(await find(`${ENTERPRISE_SCHEMA}:department eq "r&d"`)).toEqual(['ada@example.com']);
		expect(await find('roles.value eq "ORGANIZATION_INTERNAL_ADMIN"')).toEqual([
			'admin@example.com',
		]);
		expect(await find(`displayName eq ${quote('Ada "AL" \\ Lovelace')}`)).toEqual([
			'ada@example.com',
		]);
		expect(await find('userName eq "nobody@example.com"')).toEqual([]);
	});

	it.each([
		['a malformed filter', 'userName eq ada@example.com'],
		['an unbalanced parenthesis', '(userName eq "x"'],
		['an unknown attribute', 'nickName eq "x"'],
		['an unknown schema', 'urn:example:Foo:bar eq "x"'],
	])('answers 400 invalidFilter for %s', async (_case, filter) => {
		const { api } = await org();
		const response = await api.get('/Users', { params: { filter } });
		expect(response.status).toBe(400);
		expect(response.data).toMatchObject({ status: '400', scimType: 'invalidFilter' });
	});

	it('answers 200 with totalResults 0 when nothing matches', async () => {
		const { api } = await org();
		const response = await api.get('/Users', {
			params: { filter: 'userName eq "none@example.com"' },
		});
		expect(response.data).toEqual({
			schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
			totalResults: 0,
			startIndex: 1,
			itemsPerPage: 0,
			Resources: [],
		});
	});
});
