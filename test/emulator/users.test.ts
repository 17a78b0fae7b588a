import { afterEach, describe, expect, it } from 'vitest';

import { closeAll, patchOp, scim, start } from './helpers';
import { ENTERPRISE_SCHEMA, ERROR_SCHEMA, type ScimUser } from './scim';

afterEach(closeAll);

const ENTERPRISE = ENTERPRISE_SCHEMA;

async function withUser(body: Record<string, unknown> = {}) {
	const emulator = await start();
	const api = scim(emulator);
	const created = await api.post<ScimUser>('/Users', { userName: 'ada@example.com', ...body });
	expect(created.status).toBe(201);
	return { emulator, api, user: created.data };
}

describe('POST /Users', () => {
	it('creates a user with Miro defaults, a Location and a 19-digit string id', async () => {
		const emulator = await start();
		const api = scim(emulator);
		const response = await api.post('/Users', {
			schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
			userName: 'ada@example.com',
			name: { givenName: 'Ada', familyName: 'Lovelace' },
		});
		expect(response.status).toBe(201);
		expect(response.headers['content-type']).toBe('application/scim+json');
		const user = response.data as ScimUser;
		expect(response.headers.location).toBe(`${emulator.url}/Users/${user.id}`);
		expect(user.id).toMatch(/^\d{19}$/);
		expect(BigInt(user.id) > 2n ** 53n).toBe(true);
		expect(user).toMatchObject({
			userName: 'ada@example.com',
			displayName: 'Ada Lovelace',
			userType: 'Full',
			active: true,
			emails: [{ value: 'ada@example.com', primary: true }],
			roles: [
				{ type: 'organization_user_role', value: 'ORGANIZATION_INTERNAL_USER', primary: true },
			],
			meta: { resourceType: 'User', location: `${emulator.url}/Users/${user.id}` },
		});
		expect(user.meta.created).toMatch(/^\d{4}-\d\d-\d\dT/);
	});

	it('keeps ids as quoted strings in the JSON text, increasing beyond 2^53', async () => {
		const emulator = await start();
		const api = scim(emulator);
		const first = await api.post('/Users', { userName: 'a@example.com' }, { responseType: 'text' });
		const second = await api.post(
			'/Users',
			{ userName: 'b@example.com' },
			{ responseType: 'text' },
		);
		const idOf = (text: string) => /"id":"(\d+)"/.exec(text)?.[1];
		const [a, b] = [idOf(first.data as string), idOf(second.data as string)];
		expect(a).toMatch(/^\d{19}$/);
		expect(BigInt(b as string) - BigInt(a as string)).toBe(1n);
		// Number() would have lost the last digits.
		expect(String(Number(a))).not.toBe(a);
	});

	it('joins the Default Team, visible on the user and in the group members', async () => {
		const { emulator, api, user } = await withUser();
		const team = emulator.state.groupByName('Default Team');
		expect(user.groups).toEqual([{ value: team?.id, display: 'Default Team' }]);
		const group = await api.get(`/Groups/${team?.id}`);
		expect(group.data.members).toContainEqual({
			value: user.id,
			display: 'ada@example.com',
			type: 'User',
		});
	});

	it('refuses a duplicate userName, compared case-insensitively, with 409 uniqueness', async () => {
		const { api } = await withUser();
		const response = await api.post('/Users', { userName: 'ADA@Example.com' });
		expect(response.status).toBe(409);
		expect(response.data).toMatchObject({
			schemas: [ERROR_SCHEMA],
			status: '409',
			scimType: 'uniqueness',
		});
		expect(response.data.detail).toContain('not unique');
	});

	it.each([
		['no userName', { displayName: 'x' }],
		['a userName that is not an email', { userName: 'ada' }],
		['name without familyName', { userName: 'a@example.com', name: { givenName: 'Ada' } }],
		['displayName over 60', { userName: 'a@example.com', displayName: 'x'.repeat(61) }],
		[
			'name.formatted over 60',
			{
				userName: 'a@example.com',
				name: { givenName: 'A', familyName: 'B', formatted: 'x'.repeat(61) },
			},
		],
		[
			'employeeNumber over 20',
			{ userName: 'a@example.com', [ENTERPRISE]: { employeeNumber: '1'.repeat(21) } },
		],
		[
			'department over 120',
			{ userName: 'a@example.com', [ENTERPRISE]: { department: 'd'.repeat(121) } },
		],
		[
			'manager.displayName over 60',
			{ userName: 'a@example.com', [ENTERPRISE]: { manager: { displayName: 'm'.repeat(61) } } },
		],
		['an unknown userType', { userName: 'a@example.com', userType: 'Platinum' }],
		[
			'a guest org role',
			{
				userName: 'a@example.com',
				roles: [
					{ type: 'organization_user_role', value: 'ORGANIZATION_TEAM_GUEST_USER', primary: true },
				],
			},
		],
	])('answers 400 for %s', async (_case, body) => {
		const emulator = await start();
		const response = await scim(emulator).post('/Users', body);
		expect(response.status).toBe(400);
		expect(response.data).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400' });
		expect(emulator.state.users()).toHaveLength(1);
	});

	it('accepts 60-character names, enterprise fields at their maximum, roles and a license', async () => {
		const { user } = await withUser({
			displayName: 'x'.repeat(60),
			userType: 'basic',
			active: false,
			preferredLanguage: 'en_US',
			externalId: 'okta-123',
			roles: [
				{ type: 'organization_user_role', value: 'ORGANIZATION_INTERNAL_ADMIN', primary: true },
				{ type: 'organization_admin_role', value: 'Content Admin', primary: false },
			],
			unknownAttribute: 'ignored',
			[ENTERPRISE]: {
				employeeNumber: '1'.repeat(20),
				department: 'd'.repeat(120),
				manager: { value: 'not-numeric', displayName: 'Grace' },
			},
		});
		expect(user).toMatchObject({
			userType: 'Basic',
			active: false,
			externalId: 'okta-123',
			preferredLanguage: 'en_US',
		});
		expect(user.roles.map((role) => [role.value, role.primary])).toEqual([
			['ORGANIZATION_INTERNAL_ADMIN', true],
			['Content Admin', false],
		]);
		// Miro ignores a manager.value that is not a numeric id.
		expect(user[ENTERPRISE]?.manager).toEqual({ displayName: 'Grace' });
		expect(user.schemas).toContain(ENTERPRISE);
		expect(user).not.toHaveProperty('unknownAttribute');
	});
});

describe('GET /Users/{id}', () => {
	it('returns the user, and 404 for an unknown id', async () => {
		const { api, user } = await withUser();
		const found = await api.get(`/Users/${user.id}`);
		expect(found.status).toBe(200);
		expect(found.data).toEqual(user);
		const missing = await api.get('/Users/3074457345618260000');
		expect(missing.status).toBe(404);
		expect(missing.data).toMatchObject({ status: '404', schemas: [ERROR_SCHEMA] });
	});

	it('honours attributes and excludedAttributes', async () => {
		const { api, user } = await withUser({ [ENTERPRISE]: { department: 'R&D', costCenter: 'C1' } });
		const only = await api.get(`/Users/${user.id}`, {
			params: { attributes: `userName,${ENTERPRISE}:department` },
		});
		expect(only.data).toEqual({
			schemas: user.schemas,
			id: user.id,
			userName: 'ada@example.com',
			[ENTERPRISE]: { department: 'R&D' },
		});
		const without = await api.get(`/Users/${user.id}`, {
			params: { excludedAttributes: 'groups,roles' },
		});
		expect(without.data).not.toHaveProperty('groups');
		expect(without.data).not.toHaveProperty('roles');
		expect(without.data.userName).toBe('ada@example.com');
	});
});

describe('PATCH /Users/{id}', () => {
	// The shapes of Miro's reference table, one row each.
	it.each<[string, Array<Record<string, unknown>>, (user: ScimUser) => void]>([
		[
			'deactivate',
			[{ op: 'replace', path: 'active', value: false }],
			(u) => expect(u.active).toBe(false),
		],
		[
			'rename',
			[{ op: 'replace', path: 'displayName', value: 'Ada L.' }],
			(u) => expect(u.displayName).toBe('Ada L.'),
		],
		[
			'change email',
			[{ op: 'replace', path: 'userName', value: 'ada.l@example.com' }],
			(u) =>
				expect([u.userName, u.emails[0].value]).toEqual(['ada.l@example.com', 'ada.l@example.com']),
		],
		[
			'upgrade license',
			[{ op: 'replace', path: 'userType', value: 'Full' }],
			(u) => expect(u.userType).toBe('Full'),
		],
		[
			'set org role',
			[
				{
					op: 'replace',
					path: 'roles[primary eq true].value',
					value: 'ORGANIZATION_INTERNAL_ADMIN',
				},
			],
			(u) =>
				expect(u.roles).toEqual([
					{
						type: 'organization_user_role',
						value: 'ORGANIZATION_INTERNAL_ADMIN',
						display: 'Organization Internal Admin',
						primary: true,
					},
				]),
		],
		[
			'add admin role',
			[
				{
					op: 'add',
					path: 'roles',
					value: [{ value: 'Content Admin', type: 'organization_admin_role', primary: false }],
				},
			],
			(u) =>
				expect(u.roles[1]).toEqual({
					type: 'organization_admin_role',
					value: 'Content Admin',
					display: 'Content Admin',
					primary: false,
				}),
		],
		[
			'enterprise field',
			[{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Research' }],
			(u) => expect(u[ENTERPRISE]?.department).toBe('Research'),
		],
		[
			'manager value and name',
			[
				{ op: 'add', path: `${ENTERPRISE}:manager.value`, value: '3074457345618261605' },
				{ op: 'add', path: `${ENTERPRISE}:manager.displayName`, value: 'Grace' },
			],
			(u) =>
				expect(u[ENTERPRISE]?.manager).toEqual({
					value: '3074457345618261605',
					displayName: 'Grace',
				}),
		],
		[
			'name parts',
			[
				{ op: 'replace', path: 'name.givenName', value: 'Augusta' },
				{ op: 'replace', path: 'name.formatted', value: 'Augusta Ada King' },
			],
			(u) =>
				expect(u.name).toEqual({
					givenName: 'Augusta',
					familyName: 'Lovelace',
					formatted: 'Augusta Ada King',
				}),
		],
		[
			'preferredLanguage',
			[{ op: 'replace', path: 'preferredLanguage', value: 'fr_FR' }],
			(u) => expect(u.preferredLanguage).toBe('fr_FR'),
		],
		[
			'path-less replace (Okta/Entra)',
			[
				{
					op: 'Replace',
					value: { active: false, displayName: 'AL', [ENTERPRISE]: { division: 'D1' } },
				},
			],
			(u) =>
				expect([u.active, u.displayName, u[ENTERPRISE]?.division]).toEqual([false, 'AL', 'D1']),
		],
	])('%s', async (_goal, operations, check) => {
		const { api, user } = await withUser({
			userType: 'Basic',
			name: { givenName: 'Ada', familyName: 'Lovelace' },
		});
		const response = await api.patch(`/Users/${user.id}`, patchOp(...operations));
		expect(response.status).toBe(200);
		check(response.data);
		const stored = await api.get(`/Users/${user.id}`);
		check(stored.data);
	});

	it('removes an admin role by filter and treats op names case-insensitively', async () => {
		const { api, user } = await withUser({
			roles: [
				{ type: 'organization_admin_role', value: 'Content Admin', primary: false },
				{ type: 'organization_admin_role', value: 'User Admin', primary: false },
			],
		});
		const response = await api.patch(
			`/Users/${user.id}`,
			patchOp({ op: 'REMOVE', path: 'roles[value eq "Content Admin"]' }),
		);
		expect(response.status).toBe(200);
		expect(response.data.roles.map((role: { value: string }) => role.value)).toEqual([
			'ORGANIZATION_INTERNAL_USER',
			'User Admin',
		]);
		const orgRole = await api.patch(
			`/Users/${user.id}`,
			patchOp({ op: 'remove', path: 'roles[value eq "ORGANIZATION_INTERNAL_USER"]' }),
		);
		expect(orgRole.status).toBe(400);
	});

	it('upgrades a license but refuses a downgrade', async () => {
		const { api, user } = await withUser({ userType: 'Free' });
		const up = await api.patch(
			`/Users/${user.id}`,
			patchOp({ op: 'replace', path: 'userType', value: 'Standard' }),
		);
		expect([up.status, up.data.userType]).toEqual([200, 'Standard']);
		const down = await api.patch(
			`/Users/${user.id}`,
			patchOp({ op: 'replace', path: 'userType', value: 'Free Restricted' }),
		);
		expect(down.status).toBe(400);
		expect(down.data.scimType).toBe('invalidValue');
		expect((await api.get(`/Users/${user.id}`)).data.userType).toBe('Standard');
	});

	it('keeps userName, userType and roles of a deactivated user unless the PatchOp reactivates it', async () => {
		const { api, user } = await withUser({ userType: 'Free' });
		await api.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: false }));
		for (const operation of [
			{ op: 'replace', path: 'userName', value: 'new@example.com' },
			{ op: 'replace', path: 'userType', value: 'Full' },
			{ op: 'replace', path: 'roles[primary eq true].value', value: 'ORGANIZATION_INTERNAL_ADMIN' },
		]) {
			const refused = await api.patch(`/Users/${user.id}`, patchOp(operation));
			expect(refused.status, operation.path).toBe(409);
			expect(refused.data.status).toBe('409');
		}
		const rename = await api.patch(
			`/Users/${user.id}`,
			patchOp({ op: 'replace', path: 'displayName', value: 'Still inactive' }),
		);
		expect(rename.status).toBe(200);
		const reactivated = await api.patch(
			`/Users/${user.id}`,
			patchOp(
				{ op: 'replace', path: 'userName', value: 'new@example.com' },
				{ op: 'replace', path: 'active', value: true },
			),
		);
		expect(reactivated.status).toBe(200);
		expect(reactivated.data).toMatchObject({ userName: 'new@example.com', active: true });
	});

	it('checks userName uniqueness on change', async () => {
		const { api, user } = await withUser();
		await api.post('/Users', { userName: 'taken@example.com' });
		const response = await api.patch(
			`/Users/${user.id}`,
			patchOp({ op: 'replace', path: 'userName', value: 'Taken@example.com' }),
		);
		expect(response.status).toBe(409);
		expect(response.data.scimType).toBe('uniqueness');
	});

	it.each<[string, Record<string, unknown>, number, string]>([
		[
			'an unknown path',
			patchOp({ op: 'replace', path: 'nickName', value: 'x' }),
			400,
			'invalidPath',
		],
		[
			'a malformed path',
			patchOp({ op: 'replace', path: 'roles[value eq', value: 'x' }),
			400,
			'invalidPath',
		],
		['an unknown op', patchOp({ op: 'move', path: 'active', value: true }), 400, 'invalidSyntax'],
		[
			'no PatchOp schema',
			{ Operations: [{ op: 'replace', path: 'active', value: false }] },
			400,
			'invalidSyntax',
		],
		['a remove without path', patchOp({ op: 'remove' }), 400, 'noTarget'],
		[
			'a changed email',
			patchOp({ op: 'replace', path: 'emails[type eq "work"].value', value: 'x@example.com' }),
			400,
			'mutability',
		],
		['groups', patchOp({ op: 'add', path: 'groups', value: [{ value: '1' }] }), 400, 'mutability'],
		[
			'a non-boolean active',
			patchOp({ op: 'replace', path: 'active', value: 'maybe' }),
			400,
			'invalidValue',
		],
		[
			'a displayName over 60',
			patchOp({ op: 'replace', path: 'displayName', value: 'y'.repeat(61) }),
			400,
			'invalidValue',
		],
		[
			'a department over 120',
			patchOp({ op: 'replace', path: `${ENTERPRISE}:department`, value: 'y'.repeat(121) }),
			400,
			'invalidValue',
		],
	])('refuses %s', async (_case, body, status, scimType) => {
		const { api, user } = await withUser();
		const response = await api.patch(`/Users/${user.id}`, body);
		expect(response.status).toBe(status);
		expect(response.data).toMatchObject({ status: String(status), scimType });
		expect((await api.get(`/Users/${user.id}`)).data).toEqual(user);
	});

	it('applies all operations or none', async () => {
		const { api, user } = await withUser();
		const response = await api.patch(
			`/Users/${user.id}`,
			patchOp(
				{ op: 'replace', path: 'displayName', value: 'Changed' },
				{ op: 'replace', path: 'title', value: 'x' },
			),
		);
		expect(response.status).toBe(400);
		expect((await api.get(`/Users/${user.id}`)).data.displayName).toBe('ada@example.com');
	});

	it('accepts an emails value equal to the userName (an IdP echo) without change', async () => {
		const { api, user } = await withUser();
		const response = await api.patch(
			`/Users/${user.id}`,
			patchOp({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'ada@example.com' }),
		);
		expect(response.status).toBe(200);
		expect(response.data.emails).toEqual([{ value: 'ada@example.com', primary: true }]);
	});

	it('answers 404 for an unknown user', async () => {
		const emulator = await start();
		const response = await scim(emulator).patch(
			'/Users/3074457345618260000',
			patchOp({ op: 'replace', path: 'active', value: false }),
		);
		expect(response.status).toBe(404);
	});
});

describe('PUT /Users/{id}', () => {
	it('replaces writable attributes and clears the ones left out', async () => {
		const { api, user } = await withUser({
			displayName: 'Ada',
			externalId: 'e1',
			name: { givenName: 'Ada', familyName: 'Lovelace' },
			[ENTERPRISE]: { department: 'R&D' },
		});
		const response = await api.put(`/Users/${user.id}`, {
			schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
			id: user.id,
			userName: 'ada@example.com',
			name: { givenName: 'Augusta', familyName: 'King' },
			emails: [{ value: 'ada@example.com', primary: true, type: 'work' }],
			active: true,
		});
		expect(response.status).toBe(200);
		expect(response.data).toMatchObject({
			displayName: 'Augusta King',
			name: { givenName: 'Augusta', familyName: 'King' },
		});
		expect(response.data).not.toHaveProperty('externalId');
		expect(response.data).not.toHaveProperty([ENTERPRISE]);
		expect(response.data.groups).toEqual(user.groups);
		expect(response.data.roles).toEqual(user.roles);
	});

	it('applies the upgrade-only and inactive rules too', async () => {
		const { api, user } = await withUser({ userType: 'Advanced', active: false });
		const downgrade = await api.put(`/Users/${user.id}`, {
			userName: 'ada@example.com',
			userType: 'Free',
		});
		expect(downgrade.status).toBe(400);
		const rename = await api.put(`/Users/${user.id}`, {
			userName: 'other@example.com',
			active: false,
		});
		expect(rename.status).toBe(409);
		const same = await api.put(`/Users/${user.id}`, {
			userName: 'ada@example.com',
			active: false,
			displayName: 'A',
		});
		expect(same.status).toBe(200);
		const missing = await api.put(`/Users/${user.id}`, { displayName: 'no userName' });
		expect(missing.status).toBe(400);
	});
});

describe('DELETE /Users/{id}', () => {
	it('answers 204, removes the user from its teams, then 404', async () => {
		const { emulator, api, user } = await withUser();
		const team = emulator.addGroup('Design', { memberIds: [user.id] });
		expect((await api.delete(`/Users/${user.id}`)).status).toBe(204);
		expect((await api.get(`/Users/${user.id}`)).status).toBe(404);
		expect((await api.delete(`/Users/${user.id}`)).status).toBe(404);
		expect(emulator.state.groupByName('Design')?.members).toEqual([]);
		expect(emulator.state.groups().find((g) => g.id === team.id)?.members).toEqual([]);
		expect(emulator.state.userByName('ada@example.com')).toBeUndefined();
	});

	it('refuses to delete or demote the last organization admin', async () => {
		const emulator = await start();
		const api = scim(emulator);
		const admin = emulator.state.userByName('admin@example.com') as ScimUser;
		expect(admin.roles[0].value).toBe('ORGANIZATION_INTERNAL_ADMIN');
		expect((await api.delete(`/Users/${admin.id}`)).status).toBe(409);
		const demote = await api.patch(
			`/Users/${admin.id}`,
			patchOp({
				op: 'replace',
				path: 'roles[primary eq true].value',
				value: 'ORGANIZATION_INTERNAL_USER',
			}),
		);
		expect(demote.status).toBe(409);
		const deactivate = await api.patch(
			`/Users/${admin.id}`,
			patchOp({ op: 'replace', path: 'active', value: false }),
		);
		expect(deactivate.status).toBe(409);
		emulator.addUser({
			userName: 'second@example.com',
			roles: [
				{ type: 'organization_user_role', value: 'ORGANIZATION_INTERNAL_ADMIN', primary: true },
			],
		});
		expect((await api.delete(`/Users/${admin.id}`)).status).toBe(204);
	});

	it('has no admin to protect with seedAdmin false', async () => {
		const emulator = await start({ seedAdmin: false });
		expect(emulator.state.users()).toEqual([]);
		const user = emulator.addUser({ userName: 'x@example.com' });
		expect((await scim(emulator).delete(`/Users/${user.id}`)).status).toBe(204);
	});
});
