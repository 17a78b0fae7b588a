/**
 * User parameters are checked before anything is sent: each bad value must stop the node with a
 * NodeOperationError that names the field, and no request may leave (nock has net connect off
 * and no interceptors, and `useNock` fails the test on any request it sees).
 */
import type { INodeParameters, INodeParameterResourceLocator } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../helpers/harness';
import { FAST, JANE_ID, rl, useNock } from '../helpers/fixtures';

useNock();

const create = (extra: INodeParameters) => ({
	resource: 'user',
	operation: 'create',
	email: 'jane.doe@example.com',
	givenName: 'Jane',
	familyName: 'Doe',
	ifExists: 'returnExisting',
	options: FAST,
	...extra,
});

const update = (updateFields: INodeParameters) => ({
	resource: 'user',
	operation: 'update',
	user: rl.id(JANE_ID),
	updateFields,
	options: FAST,
});

const userOp = (
	operation: string,
	user: INodeParameterResourceLocator,
	extra: INodeParameters = {},
) => ({
	resource: 'user',
	operation,
	user,
	options: FAST,
	...extra,
});

/** Values mapped from the input: n8n's own parameter checks do not see expression results. */
const fromInput = '={{ $json.value }}';

type Case = [string, INodeParameters, string | number | undefined, string];

const cases: Case[] = [
	['create: empty email', create({ email: fromInput }), '', 'Email: is empty'],
	['create: blank email', create({ email: fromInput }), '   ', 'Email: is empty'],
	[
		'create: email without @',
		create({ email: fromInput }),
		'jane.doe.example.com',
		'Email: "jane.doe.example.com" is not an email address',
	],
	[
		'create: email with a space',
		create({ email: fromInput }),
		'jane doe@example.com',
		'Email: "jane doe@example.com" is not an email address',
	],
	[
		'create: email without a domain dot',
		create({ email: 'jane@localhost' }),
		undefined,
		'Email: "jane@localhost" is not an email address',
	],
	['create: empty first name', create({ givenName: fromInput }), '', 'First Name: is empty'],
	['create: blank last name', create({ familyName: fromInput }), '  ', 'Last Name: is empty'],
	[
		'create: display name over 60',
		create({ additionalFields: { displayName: 'x'.repeat(61) } }),
		undefined,
		'Additional Fields > Display Name: is 61 characters long; Miro accepts at most 60',
	],
	[
		'create: department over 120',
		create({ additionalFields: { department: 'd'.repeat(121) } }),
		undefined,
		'Additional Fields > Department: is 121 characters long; Miro accepts at most 120',
	],
	[
		'create: invalid preferred language',
		create({ additionalFields: { preferredLanguage: 'English (US)' } }),
		undefined,
		'Additional Fields > Preferred Language: "English (US)" is not a language tag',
	],
	[
		'create: org role SCIM cannot set',
		create({ additionalFields: { orgRole: fromInput } }),
		'ORGANIZATION_EXTERNAL_USER',
		'Additional Fields > Organization Role: "ORGANIZATION_EXTERNAL_USER" is not a role SCIM can set',
	],
	[
		'update: employee number over 20',
		update({ employeeNumber: 'E'.repeat(21) }),
		undefined,
		'Update Fields > Employee Number: is 21 characters long; Miro accepts at most 20',
	],
	[
		'update: cost center over 120',
		update({ costCenter: 'c'.repeat(121) }),
		undefined,
		'Update Fields > Cost Center: is 121 characters long; Miro accepts at most 120',
	],
	[
		'update: manager display name over 60',
		update({ managerDisplayName: 'm'.repeat(61) }),
		undefined,
		'Update Fields > Manager Display Name: is 61 characters long; Miro accepts at most 60',
	],
	[
		'update: invalid preferred language',
		update({ preferredLanguage: 'e' }),
		undefined,
		'Update Fields > Preferred Language: "e" is not a language tag',
	],
	[
		'update: malformed new email',
		update({ userName: 'jane.doe@' }),
		undefined,
		'Update Fields > Email: "jane.doe@" is not an email address',
	],
	[
		'update: manager id with a slash',
		update({ managerId: '3074457345618261799/../1' }),
		undefined,
		'Update Fields > Manager ID: "3074457345618261799/../1" is not a valid ID',
	],
	[
		'get: id with a slash',
		userOp('get', rl.id(fromInput)),
		'3074457345618261605/../../Groups',
		'User: "3074457345618261605/../../Groups" is not a valid ID',
	],
	[
		'get: id with a query',
		userOp('get', rl.id(fromInput)),
		'3074457345618261605?attributes=password',
		'User: "3074457345618261605?attributes=password" is not a valid ID',
	],
	[
		'delete: id with an encoded slash',
		userOp('delete', rl.id('3074457345618261605%2F..')),
		undefined,
		'User: "3074457345618261605%2F.." is not a valid ID',
	],
	['deactivate: empty id', userOp('deactivate', rl.id(fromInput)), '', 'User: is empty'],
	[
		'reactivate: 19-digit id that arrived as a JS number',
		userOp('reactivate', rl.id(fromInput)),
		// What JSON.parse makes of 3074457345618261605: the nearest double.
		Number('3074457345618261605'),
		'User: 3074457345618261500 lost precision as a number',
	],
	[
		'get: 19-digit id typed as a number in the parameter itself',
		userOp('get', rl.id(Number('3074457345618261605'))),
		undefined,
		'User: 3074457345618261500 lost precision as a number',
	],
	[
		'get: malformed email locator',
		userOp('get', rl.email(fromInput)),
		'jane.doe',
		'User (By Email): "jane.doe" is not an email address',
	],
	[
		'delete: empty email locator',
		userOp('delete', rl.email(fromInput)),
		'',
		'User (By Email): is empty',
	],
	[
		'updateRole: malformed email locator',
		userOp('updateRole', rl.email(fromInput), { orgRole: 'ORGANIZATION_INTERNAL_USER' }),
		'@example.com',
		'User (By Email): "@example.com" is not an email address',
	],
	[
		'getAll: malformed email filter',
		{
			resource: 'user',
			operation: 'getAll',
			limit: 5,
			filters: { email: 'nobody' },
			options: FAST,
		},
		undefined,
		'Filters > Email: "nobody" is not an email address',
	],
	[
		'getAll: team id with a slash',
		{
			resource: 'user',
			operation: 'getAll',
			limit: 5,
			filters: { teamId: '3458764513820540928/members' },
			options: FAST,
		},
		undefined,
		'Filters > Team ID: "3458764513820540928/members" is not a valid ID',
	],
];

describe('user parameter validation', () => {
	it.each(cases)('%s', async (_, parameters, value, message) => {
		const result = await runNode(parameters, { items: [{ value }] });

		expect(result.json).toEqual([]);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(message);
		expect(result.error?.description).toEqual(expect.any(String));
		expect((result.error?.context as { itemIndex?: number }).itemIndex).toBe(0);
	});

	it('stops at the first invalid item: nothing is sent for the items after it (concurrency 1)', async () => {
		const result = await runNode(
			{ ...create({ email: fromInput }), options: { ...FAST, concurrency: 1 } },
			{ items: [{ value: 'bad' }, { value: 'jane.doe@example.com' }] },
		);

		expect(result.error?.message).toBe('Email: "bad" is not an email address');
		expect((result.error?.context as { itemIndex?: number }).itemIndex).toBe(0);
	});
});
