import { afterEach, describe, expect, it } from 'vitest';

import { closeAll, patchOp, quote, scim, start } from './helpers';
import type { ScimGroup, ScimUser } from './scim';
import type { Emulator } from './server';

afterEach(closeAll);

async function setup(options: Parameters<typeof start>[0] = {}) {
	const emulator = await start(options);
	const api = scim(emulator);
	const users = ['ada', 'grace', 'linus'].map((name) =>
		emulator.addUser({ userName: `${name}@example.com` }),
	);
	const team = emulator.state.groupByName('Engineering') as ScimGroup;
	return { emulator, api, users, team };
}

function memberIds(emulator: Emulator, name: string): string[] {
	return (emulator.state.groupByName(name)?.members ?? []).map((member) => member.value);
}

describe('GET /Groups', () => {
	it('lists the seeded teams, Default Team first, with members', async () => {
		const { api, users } = await setup();
		const response = await api.get('/Groups');
		expect(response.status).toBe(200);
		expect(response.data.totalResults).toBe(6);
		expect(response.data.Resources.map((g: ScimGroup) => g.displayName)).toEqual([
			'Default Team',
			'Engineering',
			'IT Administration',
			'g_app_proeng_all',
			'g_app_itadmin_all',
			'Marketing',
		]);
		const defaultTeam = response.data.Resources[0] as ScimGroup;
		expect(defaultTeam.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:Group']);
		expect(defaultTeam.id).toMatch(/^\d{19}$/);
		expect(defaultTeam.members?.map((m) => m.value)).toContain(users[0].id);
		expect(defaultTeam.members?.[0]).toEqual({
			value: expect.any(String),
			display: 'Org Admin',
			type: 'User',
		});
		expect(defaultTeam.meta).toMatchObject({
			resourceType: 'Group',
			location: expect.stringMatching(/\/Groups\/\d+$/),
		});
	});

	it('filters by displayName and members.value, and can leave members out', async () => {
		const { emulator, api, users } = await setup();
		emulator.addGroup('Team "Quotes" \\ Backslash', { memberIds: [users[1].id] });
		const byName = await api.get('/Groups', {
			params: {
				filter: `displayName eq ${quote('Team "Quotes" \\ Backslash')}`,
				excludedAttributes: 'members',
			},
		});
		expect(byName.data.totalResults).toBe(1);
		expect(byName.data.Resources[0]).not.toHaveProperty('members');
		expect(byName.data.Resources[0].displayName).toBe('Team "Quotes" \\ Backslash');
		const byMember = await api.get('/Groups', {
			params: { filter: `members.value eq "${users[1].id}"` },
		});
		expect(byMember.data.Resources.map((g: ScimGroup) => g.displayName)).toEqual([
			'Default Team',
			'Team "Quotes" \\ Backslash',
		]);
		const caseless = await api.get('/Groups', { params: { filter: 'DISPLAYNAME sw "g_APP_"' } });
		expect(caseless.data.totalResults).toBe(2);
	});

	it.each([
		'members[value eq "1"]',
		'members.display eq "x"',
		'externalId eq "x"',
		'displayName eq',
	])('refuses the filter %s with 400 invalidFilter', async (filter) => {
		const { api } = await setup();
		const response = await api.get('/Groups', { params: { filter } });
		expect(response.status).toBe(400);
		expect(response.data).toMatchObject({ status: '400', scimType: 'invalidFilter' });
	});

	it('GET /Groups/{id} honours excludedAttributes=members and answers 404 for unknown ids', async () => {
		const { api, team } = await setup();
		const full = await api.get(`/Groups/${team.id}`);
		expect(full.data).toMatchObject({ id: team.id, displayName: 'Engineering', members: [] });
		const lean = await api.get(`/Groups/${team.id}?excludedAttributes=members`);
		expect(lean.data).not.toHaveProperty('members');
		expect((await api.get('/Groups/3074457345618260000')).status).toBe(404);
	});
});

describe('teams cannot be created, replaced or deleted', () => {
	it.each([
		['post', '/Groups'],
		['delete', '/Groups/{id}'],
		['put', '/Groups/{id}'],
	] as const)('%s %s answers 405', async (method, path) => {
		const { emulator, api, team } = await setup();
		const response = await api.request({
			method,
			url: path.replace('{id}', team.id),
			data: { displayName: 'New' },
		});
		expect(response.status).toBe(405);
		expect(response.data).toMatchObject({
			status: '405',
			schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
		});
		expect(response.headers.allow).toContain('GET');
		expect(emulator.state.groups()).toHaveLength(6);
	});
});

describe('PATCH /Groups/{id}', () => {
	it('adds many members in one call; an existing member is a no-op', async () => {
		const { emulator, api, users, team } = await setup();
		const add = (ids: string[]) =>
			api.patch(
				`/Groups/${team.id}`,
				patchOp({ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }),
			);
		const first = await add([users[0].id, users[1].id]);
		expect(first.status).toBe(200);
		expect(first.data.members).toEqual([
			{ value: users[0].id, display: 'ada@example.com', type: 'User' },
			{ value: users[1].id, display: 'grace@example.com', type: 'User' },
		]);
		expect((await add([users[1].id])).status).toBe(200);
		expect(memberIds(emulator, 'Engineering')).toEqual([users[0].id, users[1].id]);
		const user = await api.get(`/Users/${users[0].id}`);
		expect(user.data.groups).toContainEqual({ value: team.id, display: 'Engineering' });
	});

	it('refuses an unknown user id and adds nobody', async () => {
		const { emulator, api, users, team } = await setup();
		const response = await api.patch(
			`/Groups/${team.id}`,
			patchOp({
				op: 'add',
				path: 'members',
				value: [{ value: users[0].id }, { value: '3074457345618260000' }],
			}),
		);
		expect(response.status).toBe(400);
		expect(response.data.scimType).toBe('invalidValue');
		expect(memberIds(emulator, 'Engineering')).toEqual([]);
	});

	it('reactivates a deactivated user it adds', async () => {
		const { emulator, api, team } = await setup();
		const dormant = emulator.addUser({ userName: 'dormant@example.com', active: false });
		const response = await api.patch(
			`/Groups/${team.id}`,
			patchOp({ op: 'add', path: 'members', value: [{ value: dormant.id }] }),
		);
		expect(response.status).toBe(200);
		expect(emulator.state.userByName('dormant@example.com')?.active).toBe(true);
	});

	it('removes one member by filter, with the id quoted (RFC) or unquoted (Miro example)', async () => {
		const { emulator, api, users, team } = await setup();
		emulator.addGroup('Design', { memberIds: users.map((u) => u.id) });
		const design = emulator.state.groupByName('Design') as ScimGroup;
		const quoted = await api.patch(
			`/Groups/${design.id}`,
			patchOp({ op: 'remove', path: `members[value eq "${users[0].id}"]` }),
		);
		expect(quoted.status).toBe(200);
		const unquoted = await api.patch(
			`/Groups/${design.id}`,
			patchOp({ op: 'remove', path: `members[value eq ${users[1].id}]` }),
		);
		expect(unquoted.status).toBe(200);
		expect(memberIds(emulator, 'Design')).toEqual([users[2].id]);
		// Removing someone who is not a member leaves the team as the caller wants it.
		const again = await api.patch(
			`/Groups/${team.id}`,
			patchOp({ op: 'remove', path: `members[value eq "${users[0].id}"]` }),
		);
		expect(again.status).toBe(200);
	});

	it('removes the listed members only if every one can be removed (last team admin: 409)', async () => {
		const { emulator, api, users } = await setup();
		const [admin, member] = users;
		const design = emulator.addGroup('Design', { adminIds: [admin.id], memberIds: [member.id] });
		const both = await api.patch(
			`/Groups/${design.id}`,
			patchOp({
				op: 'remove',
				path: 'members',
				value: [{ value: member.id }, { value: admin.id }],
			}),
		);
		expect(both.status).toBe(409);
		expect(both.data.status).toBe('409');
		expect(memberIds(emulator, 'Design').sort()).toEqual([admin.id, member.id].sort());
		const unknown = await api.patch(
			`/Groups/${design.id}`,
			patchOp({
				op: 'remove',
				path: 'members',
				value: [{ value: member.id }, { value: '3074457345618260000' }],
			}),
		);
		expect(unknown.status).toBe(400);
		expect(memberIds(emulator, 'Design')).toContain(member.id);
		const one = await api.patch(
			`/Groups/${design.id}`,
			patchOp({ op: 'remove', path: `members[value eq "${member.id}"]` }),
		);
		expect(one.status).toBe(200);
		expect(memberIds(emulator, 'Design')).toEqual([admin.id]);
	});

	it('protects the seeded admin as admin of Default Team', async () => {
		const { emulator, api } = await setup();
		const admin = emulator.state.userByName('admin@example.com') as ScimUser;
		const team = emulator.state.groupByName('Default Team') as ScimGroup;
		const response = await api.patch(
			`/Groups/${team.id}`,
			patchOp({ op: 'remove', path: `members[value eq "${admin.id}"]` }),
		);
		expect(response.status).toBe(409);
	});

	it('renames with a path or a path-less value', async () => {
		const { emulator, api, team } = await setup();
		const withPath = await api.patch(
			`/Groups/${team.id}`,
			patchOp({ op: 'replace', path: 'displayName', value: 'g_app_eng_all' }),
		);
		expect([withPath.status, withPath.data.displayName]).toEqual([200, 'g_app_eng_all']);
		const pathless = await api.patch(
			`/Groups/${team.id}`,
			patchOp({ op: 'Replace', value: { displayName: 'Engineering 2' } }),
		);
		expect(pathless.data.displayName).toBe('Engineering 2');
		expect(emulator.state.groupByName('Engineering 2')?.id).toBe(team.id);
		const empty = await api.patch(
			`/Groups/${team.id}`,
			patchOp({ op: 'replace', path: 'displayName', value: '' }),
		);
		expect(empty.status).toBe(400);
	});

	it('accepts "replace members" but flags it in the log', async () => {
		const { emulator, api, users, team } = await setup();
		await api.patch(
			`/Groups/${team.id}`,
			patchOp({ op: 'add', path: 'members', value: [{ value: users[0].id }] }),
		);
		expect(emulator.log.at(-1)?.flags).toBeUndefined();
		const response = await api.patch(
			`/Groups/${team.id}`,
			patchOp({ op: 'replace', path: 'members', value: [{ value: users[1].id }] }),
		);
		expect(response.status).toBe(200);
		expect(memberIds(emulator, 'Engineering')).toEqual([users[1].id]);
		expect(emulator.log.at(-1)).toMatchObject({
			method: 'PATCH',
			status: 200,
			flags: ['replaceMembers'],
		});
		expect(emulator.log.filter((entry) => entry.flags?.includes('replaceMembers'))).toHaveLength(1);
	});

	it.each([
		['an unknown path', patchOp({ op: 'add', path: 'owners', value: [] }), 'invalidPath'],
		[
			'a filter on add',
			patchOp({ op: 'add', path: 'members[value eq "1"]', value: [] }),
			'invalidPath',
		],
		[
			'a numeric member id',
			patchOp({ op: 'add', path: 'members', value: [{ value: Number('3074457345618261605') }] }),
			'invalidValue',
		],
	])('refuses %s with 400', async (_case, body, scimType) => {
		const { api, team } = await setup();
		const response = await api.patch(`/Groups/${team.id}`, body);
		expect(response.status).toBe(400);
		expect(response.data.scimType).toBe(scimType);
	});

	it('answers 413 above 8000 members or 800,000 bytes, and accepts exactly 8000', async () => {
		const { emulator, api, team } = await setup({ seedUsers: 8000, seedAdmin: false });
		const ids = emulator.state
			.users()
			.map((user) => user.id)
			.slice(3, 8003);
		expect(ids).toHaveLength(8000);
		const tooMany = await api.patch(
			`/Groups/${team.id}`,
			patchOp({ op: 'add', path: 'members', value: [...ids, ids[0]].map((value) => ({ value })) }),
		);
		expect(tooMany.status).toBe(413);
		expect(tooMany.data).toMatchObject({
			status: '413',
			schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
		});
		const padded = patchOp({
			op: 'add',
			path: 'members',
			value: ids.slice(0, 7000).map((value) => ({ value, display: 'x'.repeat(100) })),
		});
		expect(JSON.stringify(padded).length).toBeGreaterThan(800_000);
		expect((await api.patch(`/Groups/${team.id}`, padded)).status).toBe(413);
		expect(memberIds(emulator, 'Engineering')).toEqual([]);
		const exact = await api.patch(
			`/Groups/${team.id}`,
			patchOp({ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }),
			{ params: { excludedAttributes: 'members' } },
		);
		expect(exact.status).toBe(200);
		expect(memberIds(emulator, 'Engineering')).toHaveLength(8000);
	});
});
