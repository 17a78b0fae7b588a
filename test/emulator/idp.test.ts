/**
 * Requests shaped as Okta and Microsoft Entra ID send them to Miro (their SCIM provisioning
 * guides), replayed against the emulator with Miro's rate limits on.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { closeAll, patchOp, scim, start } from './helpers';
import { ENTERPRISE_SCHEMA, type ScimGroup, type ScimUser } from './scim';

afterEach(closeAll);

describe('Okta', () => {
	it('tests the connection, looks a user up by userName, then creates it', async () => {
		const emulator = await start();
		const api = scim(emulator);
		const test = await api.get('/Users?startIndex=1&count=2');
		expect(test.status).toBe(200);
		expect(test.data).toMatchObject({ startIndex: 1, totalResults: 1, itemsPerPage: 1 });
		const lookup = await api.get(
			`/Users?filter=${encodeURIComponent('userName eq "isabella.kennedy@example.com"')}&startIndex=1&count=100`,
		);
		expect(lookup.data.totalResults).toBe(0);
		const created = await api.post('/Users', {
			schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
			userName: 'isabella.kennedy@example.com',
			name: { givenName: 'Isabella', familyName: 'Kennedy' },
			emails: [{ primary: true, value: 'isabella.kennedy@example.com', type: 'work' }],
			displayName: 'Isabella Kennedy',
			locale: 'en-US',
			externalId: '00u1dhhb1fkIGP7RL1d8',
			groups: [],
			password: '1mz050nq',
			active: true,
		});
		expect(created.status).toBe(201);
		expect(created.data).toMatchObject({
			userName: 'isabella.kennedy@example.com',
			externalId: '00u1dhhb1fkIGP7RL1d8',
			active: true,
		});
		expect(created.data).not.toHaveProperty('password');
		const again = await api.get('/Users', {
			params: { filter: 'userName eq "Isabella.Kennedy@example.com"', startIndex: 1, count: 100 },
		});
		expect(again.data.Resources.map((u: ScimUser) => u.id)).toEqual([created.data.id]);
	});

	it('deactivates with a path-less Replace, then updates and reactivates with PUT', async () => {
		const emulator = await start();
		const api = scim(emulator);
		const user = emulator.addUser({
			userName: 'okta.user@example.com',
			name: { givenName: 'Okta', familyName: 'User' },
		});
		const deactivated = await api.patch(
			`/Users/${user.id}`,
			patchOp({ op: 'Replace', value: { active: false } }),
		);
		expect(deactivated.status).toBe(200);
		expect(deactivated.data.active).toBe(false);
		const put = await api.put(`/Users/${user.id}`, {
			schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
			id: user.id,
			userName: 'okta.user@example.com',
			name: { givenName: 'Okta', familyName: 'Renamed' },
			emails: [{ primary: true, value: 'okta.user@example.com', type: 'work' }],
			displayName: 'Okta Renamed',
			locale: 'en-US',
			groups: [],
			active: true,
			meta: { resourceType: 'User' },
		});
		expect(put.status).toBe(200);
		expect(put.data).toMatchObject({
			active: true,
			displayName: 'Okta Renamed',
			name: { familyName: 'Renamed' },
		});
	});

	it('pushes group membership and a rename with add / remove / path-less replace', async () => {
		const emulator = await start();
		const api = scim(emulator);
		const user = emulator.addUser({ userName: 'pushed@example.com' });
		const team = emulator.state.groupByName('g_app_proeng_all') as ScimGroup;
		const add = await api.patch(
			`/Groups/${team.id}`,
			patchOp({
				op: 'add',
				path: 'members',
				value: [{ value: user.id, display: 'pushed@example.com' }],
			}),
		);
		expect(add.status).toBe(200);
		const rename = await api.patch(
			`/Groups/${team.id}`,
			patchOp({ op: 'replace', value: { id: team.id, displayName: 'g_app_proeng_all_v2' } }),
		);
		expect(rename.data.displayName).toBe('g_app_proeng_all_v2');
		const remove = await api.patch(
			`/Groups/${team.id}`,
			patchOp({ op: 'remove', path: `members[value eq "${user.id}"]` }),
		);
		expect(remove.status).toBe(200);
		expect(emulator.state.groupByName('g_app_proeng_all_v2')?.members).toEqual([]);
		expect(emulator.log.every((entry) => !entry.flags?.includes('replaceMembers'))).toBe(true);
	});
});

describe('Microsoft Entra ID', () => {
	it('filters with userName eq, creates, and patches with capitalised ops', async () => {
		const emulator = await start();
		const api = scim(emulator);
		const probe = await api.get('/Users', {
			params: { filter: 'userName eq "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081"' },
		});
		expect([probe.status, probe.data.totalResults]).toEqual([200, 0]);
		const created = await api.post('/Users', {
			schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_SCHEMA],
			externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
			userName: 'entra.user@contoso.com',
			active: true,
			emails: [{ primary: true, type: 'work', value: 'entra.user@contoso.com' }],
			meta: { resourceType: 'User' },
			name: { formatted: 'Entra User', familyName: 'User', givenName: 'Entra' },
			roles: [],
			[ENTERPRISE_SCHEMA]: { department: 'Finance', employeeNumber: 'E-100' },
		});
		expect(created.status).toBe(201);
		const id = created.data.id as string;
		const admin = emulator.state.userByName('admin@example.com') as ScimUser;
		const patched = await api.patch(
			`/Users/${id}`,
			patchOp(
				{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'entra.user@contoso.com' },
				{ op: 'Replace', path: 'name.familyName', value: 'Updated' },
				{ op: 'Add', path: 'displayName', value: 'Entra Updated' },
				{ op: 'Add', path: `${ENTERPRISE_SCHEMA}:manager`, value: admin.id },
				{ op: 'Replace', path: `${ENTERPRISE_SCHEMA}:department`, value: 'Sales' },
				{
					op: 'Replace',
					path: 'roles[primary eq "True"].value',
					value: 'ORGANIZATION_INTERNAL_ADMIN',
				},
			),
		);
		expect(patched.status).toBe(200);
		expect(patched.data).toMatchObject({
			displayName: 'Entra Updated',
			name: { familyName: 'Updated', givenName: 'Entra' },
			roles: [{ value: 'ORGANIZATION_INTERNAL_ADMIN', primary: true }],
			[ENTERPRISE_SCHEMA]: {
				department: 'Sales',
				employeeNumber: 'E-100',
				manager: { value: admin.id },
			},
		});
		// Entra disables rather than deletes; older connectors send the boolean as a string.
		const disabled = await api.patch(
			`/Users/${id}`,
			patchOp({ op: 'Replace', path: 'active', value: 'False' }),
		);
		expect(disabled.data.active).toBe(false);
		expect(emulator.log.filter((entry) => entry.method === 'DELETE')).toEqual([]);
	});

	it('finds a group without members, then adds and removes members with value arrays', async () => {
		const emulator = await start();
		const api = scim(emulator);
		const users = ['a', 'b'].map((name) => emulator.addUser({ userName: `${name}@contoso.com` }));
		const found = await api.get('/Groups', {
			params: { excludedAttributes: 'members', filter: 'displayName eq "IT Administration"' },
		});
		expect(found.data.totalResults).toBe(1);
		const group = found.data.Resources[0] as ScimGroup;
		expect(group).not.toHaveProperty('members');
		const add = await api.patch(
			`/Groups/${group.id}`,
			patchOp({ op: 'Add', path: 'members', value: users.map((u) => ({ value: u.id })) }),
		);
		expect(add.status).toBe(200);
		const remove = await api.patch(
			`/Groups/${group.id}`,
			patchOp({ op: 'Remove', path: 'members', value: [{ value: users[0].id }] }),
		);
		expect(remove.status).toBe(200);
		expect(emulator.state.groupByName('IT Administration')?.members?.map((m) => m.value)).toEqual([
			users[1].id,
		]);
		const user = await api.get(`/Users/${users[1].id}`);
		expect(user.data.groups.map((g: { display: string }) => g.display)).toEqual([
			'Default Team',
			'IT Administration',
		]);
	});
});
