import type { IDataObject } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import {
	adminRoleEntry,
	adminRolePath,
	orgRoleEntry,
	simplifyUser,
	userReplaceOperations,
	userResource,
} from '../../nodes/MiroScim/scim/user';
import type { UserFields } from '../../nodes/MiroScim/scim/user';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('userResource (POST /Users body)', () => {
	it.each<[string, UserFields, object]>([
		[
			'only userName; active sent explicitly, as RFC 7643 leaves its default to the service',
			{ userName: 'jane@example.com' },
			{ schemas: [CORE], userName: 'jane@example.com', active: true },
		],
		[
			'names, display name, license, language, active',
			{
				userName: 'jane@example.com',
				givenName: 'Jane',
				familyName: 'Doe',
				displayName: 'Jane D.',
				userType: 'Full',
				preferredLanguage: 'en_US',
				active: true,
			},
			{
				schemas: [CORE],
				userName: 'jane@example.com',
				name: { givenName: 'Jane', familyName: 'Doe' },
				displayName: 'Jane D.',
				userType: 'Full',
				preferredLanguage: 'en_US',
				active: true,
			},
		],
		[
			'active false is kept',
			{ userName: 'jane@example.com', active: false },
			{ schemas: [CORE], userName: 'jane@example.com', active: false },
		],
		[
			'organization role as the one primary role',
			{ userName: 'jane@example.com', orgRole: 'ORGANIZATION_INTERNAL_ADMIN' },
			{
				schemas: [CORE],
				userName: 'jane@example.com',
				active: true,
				roles: [
					{ type: 'organization_user_role', value: 'ORGANIZATION_INTERNAL_ADMIN', primary: true },
				],
			},
		],
		[
			'enterprise fields add the extension schema',
			{
				userName: 'jane@example.com',
				department: 'R&D',
				costCenter: 'CC-1',
				employeeNumber: '42',
				organization: 'Acme',
				division: 'Tools',
				managerId: '3074457345618261606',
				managerDisplayName: 'John Roe',
			},
			{
				schemas: [CORE, ENTERPRISE],
				userName: 'jane@example.com',
				active: true,
				[ENTERPRISE]: {
					employeeNumber: '42',
					costCenter: 'CC-1',
					organization: 'Acme',
					division: 'Tools',
					department: 'R&D',
					manager: { value: '3074457345618261606', displayName: 'John Roe' },
				},
			},
		],
		[
			'only a manager name',
			{ userName: 'jane@example.com', managerDisplayName: 'John Roe' },
			{
				schemas: [CORE, ENTERPRISE],
				userName: 'jane@example.com',
				active: true,
				[ENTERPRISE]: { manager: { displayName: 'John Roe' } },
			},
		],
	])('%s', (_, fields, expected) => {
		expect(userResource(fields)).toEqual(expected);
	});
});

describe("userReplaceOperations (PATCH /Users/{id}, paths as in Miro's table)", () => {
	it.each<[string, UserFields, object[]]>([
		['nothing', {}, []],
		['deactivate', { active: false }, [{ op: 'Replace', path: 'active', value: false }]],
		['reactivate', { active: true }, [{ op: 'Replace', path: 'active', value: true }]],
		[
			'change email',
			{ userName: 'new@example.com' },
			[{ op: 'Replace', path: 'userName', value: 'new@example.com' }],
		],
		['rename', { displayName: 'Jane' }, [{ op: 'Replace', path: 'displayName', value: 'Jane' }]],
		['upgrade license', { userType: 'Full' }, [{ op: 'Replace', path: 'userType', value: 'Full' }]],
		[
			'set organization role',
			{ orgRole: 'ORGANIZATION_INTERNAL_USER' },
			[
				{
					op: 'Replace',
					path: 'roles[primary eq true].value',
					value: 'ORGANIZATION_INTERNAL_USER',
				},
			],
		],
		[
			'name parts one by one',
			{ givenName: 'Jane', familyName: 'Doe' },
			[
				{ op: 'Replace', path: 'name.givenName', value: 'Jane' },
				{ op: 'Replace', path: 'name.familyName', value: 'Doe' },
			],
		],
		[
			'enterprise fields by their full path',
			{ department: 'R&D', managerId: '3074457345618261606', managerDisplayName: 'John' },
			[
				{ op: 'Replace', path: `${ENTERPRISE}:department`, value: 'R&D' },
				{ op: 'Replace', path: `${ENTERPRISE}:manager.value`, value: '3074457345618261606' },
				{ op: 'Replace', path: `${ENTERPRISE}:manager.displayName`, value: 'John' },
			],
		],
		[
			'an empty string is a value',
			{ displayName: '' },
			[{ op: 'Replace', path: 'displayName', value: '' }],
		],
	])('%s', (_, fields, expected) => {
		expect(userReplaceOperations(fields)).toEqual(expected);
	});
});

describe('roles', () => {
	it.each([
		[
			orgRoleEntry('ORGANIZATION_INTERNAL_ADMIN'),
			{ type: 'organization_user_role', value: 'ORGANIZATION_INTERNAL_ADMIN', primary: true },
		],
		[
			adminRoleEntry('Content Admin'),
			{ type: 'organization_admin_role', value: 'Content Admin', primary: false },
		],
	])('%j', (entry, expected) => {
		expect(entry).toEqual(expected);
	});

	it.each([
		['Content Admin', 'roles[value eq "Content Admin"]'],
		['Ops "Lead" \\ EU', 'roles[value eq "Ops \\"Lead\\" \\\\ EU"]'],
	])('adminRolePath(%j) is %s', (role, path) => {
		expect(adminRolePath(role)).toBe(path);
	});
});

describe('simplifyUser', () => {
	const full = {
		schemas: [CORE, ENTERPRISE],
		id: '3074457345618261605',
		userName: 'jane@example.com',
		displayName: 'Jane Doe',
		name: { givenName: 'Jane', familyName: 'Doe', formatted: 'Jane M. Doe' },
		active: true,
		userType: 'Full',
		roles: [
			{ type: 'organization_admin_role', value: 'Content Admin', primary: false },
			{ type: 'organization_user_role', value: 'ORGANIZATION_INTERNAL_ADMIN', primary: true },
			{ type: 'organization_admin_role', value: 'User Admin', primary: false },
		],
		groups: [
			{ value: '3458764513820540928', display: 'Engineering' },
			{ value: '3458764513820540929' },
		],
		[ENTERPRISE]: {
			department: 'R&D',
			employeeNumber: '42',
			manager: { value: '3074457345618261606', displayName: 'John Roe' },
		},
	};

	it.each<[string, IDataObject, object]>([
		[
			'a full resource',
			full,
			{
				id: '3074457345618261605',
				email: 'jane@example.com',
				displayName: 'Jane Doe',
				givenName: 'Jane',
				familyName: 'Doe',
				active: true,
				license: 'Full',
				role: 'ORGANIZATION_INTERNAL_ADMIN',
				adminRoles: ['Content Admin', 'User Admin'],
				groups: [
					{ id: '3458764513820540928', name: 'Engineering' },
					{ id: '3458764513820540929', name: null },
				],
				department: 'R&D',
				employeeNumber: '42',
				manager: { id: '3074457345618261606', displayName: 'John Roe' },
			},
		],
		[
			'a bare resource',
			{ id: '1', userName: 'a@b.com' },
			{
				id: '1',
				email: 'a@b.com',
				displayName: null,
				givenName: null,
				familyName: null,
				active: null,
				license: null,
				role: null,
				adminRoles: [],
				groups: [],
			},
		],
		[
			'falls back to name.formatted and keeps active false',
			{ id: '1', userName: 'a@b.com', name: { formatted: 'A B' }, active: false },
			{
				id: '1',
				email: 'a@b.com',
				displayName: 'A B',
				givenName: null,
				familyName: null,
				active: false,
				license: null,
				role: null,
				adminRoles: [],
				groups: [],
			},
		],
		[
			'a primary role without a type is the organization role',
			{
				id: '1',
				userName: 'a@b.com',
				roles: [{ value: 'ORGANIZATION_INTERNAL_USER', primary: true }],
			},
			{
				id: '1',
				email: 'a@b.com',
				displayName: null,
				givenName: null,
				familyName: null,
				active: null,
				license: null,
				role: 'ORGANIZATION_INTERNAL_USER',
				adminRoles: [],
				groups: [],
			},
		],
		[
			'a manager with only an id',
			{ id: '1', userName: 'a@b.com', [ENTERPRISE]: { manager: { value: '2' } } },
			{
				id: '1',
				email: 'a@b.com',
				displayName: null,
				givenName: null,
				familyName: null,
				active: null,
				license: null,
				role: null,
				adminRoles: [],
				groups: [],
				manager: { id: '2', displayName: null },
			},
		],
	])('%s', (_, user, expected) => {
		expect(simplifyUser(user)).toEqual(expected);
	});

	it("names the user's groups 'teams' for version 1 of the node, as 0.1.0 did", () => {
		const user = { id: '1', userName: 'a@b.com', groups: [{ value: '7', display: 'Eng' }] };
		expect(simplifyUser(user, 'teams')).toMatchObject({ teams: [{ id: '7', name: 'Eng' }] });
		expect(simplifyUser(user, 'teams')).not.toHaveProperty('groups');
	});

	it('keeps ids beyond 2^53 as the exact strings Miro sent', () => {
		const simple = simplifyUser({ id: '3074457345618261605', userName: 'a@b.com' });
		expect(simple.id).toBe('3074457345618261605');
	});
});
