import type { IDataObject } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { missingRoleChanges, roleOperations } from '../../nodes/MiroScim/scim/roles';
import type { RoleChange } from '../../nodes/MiroScim/scim/roles';

const ORG = 'organization_user_role';
const ADMIN = 'organization_admin_role';
const user = (...roles: Array<[string, string, boolean]>): IDataObject => ({
	roles: roles.map(([type, value, primary]) => ({ type, value, primary })),
});
const asAdmin: RoleChange = { orgRole: 'ORGANIZATION_INTERNAL_ADMIN', adds: [], removes: [] };

describe('roleOperations', () => {
	it.each<[string, RoleChange, IDataObject | undefined, object[]]>([
		[
			'replaces an existing primary role',
			asAdmin,
			user([ORG, 'ORGANIZATION_INTERNAL_USER', true]),
			[
				{
					op: 'Replace',
					path: 'roles[primary eq true].value',
					value: 'ORGANIZATION_INTERNAL_ADMIN',
				},
			],
		],
		[
			'adds a primary role when the user has none',
			asAdmin,
			user([ADMIN, 'Content Admin', false]),
			[
				{
					op: 'Add',
					path: 'roles',
					value: [{ type: ORG, value: 'ORGANIZATION_INTERNAL_ADMIN', primary: true }],
				},
			],
		],
		[
			'admin roles only: one add, one remove each, no read needed',
			{ adds: ['User Admin'], removes: ['Content Admin'] },
			undefined,
			[
				{ op: 'Add', path: 'roles', value: [{ type: ADMIN, value: 'User Admin', primary: false }] },
				{ op: 'Remove', path: 'roles[value eq "Content Admin"]' },
			],
		],
	])('%s', (_, change, current, expected) => {
		expect(roleOperations(change, current)).toEqual(expected);
	});
});

describe('missingRoleChanges', () => {
	it.each<[string, RoleChange, IDataObject, string[]]>([
		['in place', asAdmin, user([ORG, 'ORGANIZATION_INTERNAL_ADMIN', true]), []],
		[
			'primary unchanged',
			asAdmin,
			user([ORG, 'ORGANIZATION_INTERNAL_USER', true]),
			['organization role ORGANIZATION_INTERNAL_ADMIN (found ORGANIZATION_INTERNAL_USER)'],
		],
		[
			'no primary at all',
			asAdmin,
			{},
			['organization role ORGANIZATION_INTERNAL_ADMIN (found none)'],
		],
		[
			'admin roles not applied',
			{ adds: ['User Admin'], removes: ['Content Admin'] },
			user([ADMIN, 'Content Admin', false]),
			['admin role "User Admin" added', 'admin role "Content Admin" removed'],
		],
	])('%s', (_, change, answer, expected) => {
		expect(missingRoleChanges(change, answer)).toEqual(expected);
	});
});
