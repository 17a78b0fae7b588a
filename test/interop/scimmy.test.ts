/**
 * The node against a SCIM 2.0 service provider that is not Miro: SCIMMY 1.3.5 with
 * scimmy-routers 1.3.2 on express, on 127.0.0.1. Everything goes through the node as n8n runs
 * it (runNode); the store is only read to check what the server ended up holding. Findings are
 * written up in ./README.md.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { credentialTestRequest, runNode } from '../helpers/harness';
import type { RunOptions } from '../helpers/harness';
import { ENTERPRISE_SCHEMA, startScimmy } from './scimmyServer';
import type { ScimmyServer } from './scimmyServer';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const FAST = { pacing: false, initialBackoffMs: 1 };
/** Small enough that 7 users take three pages. */
const MAX_PAGE = 3;

let server: ScimmyServer;

beforeAll(async () => {
	server = await startScimmy({ token: 'scimmy-interop-token', maxPageSize: MAX_PAGE });
});

afterAll(async () => {
	await server.close();
});

beforeEach(() => {
	server.requests.length = 0;
});

const rl = {
	id: (value: string) => ({ __rl: true, mode: 'id', value }),
	email: (value: string) => ({ __rl: true, mode: 'email', value }),
	name: (value: string) => ({ __rl: true, mode: 'name', value }),
};

async function node(parameters: INodeParameters, options: RunOptions = {}) {
	return await runNode(
		{ ...parameters, options: { ...FAST, ...((parameters.options as IDataObject) ?? {}) } },
		{ credentials: { token: server.token, baseUrl: server.baseUrl }, ...options },
	);
}

/** Runs the node and fails the test with the node's own error if it ended with one. */
async function ok(parameters: INodeParameters, options: RunOptions = {}) {
	const result = await node(parameters, options);
	if (result.error) throw result.error;
	return result.json;
}

async function createUser(email: string, givenName = 'Test', familyName = 'User') {
	const [user] = await ok({
		resource: 'user',
		operation: 'create',
		email,
		givenName,
		familyName,
		ifExists: 'returnExisting',
	});
	return user;
}

const sent = (method: string, path: string) =>
	server.requests.filter(
		(request) => request.method === method && request.url.split('?')[0].endsWith(path),
	);

const query = (url: string) => Object.fromEntries(new URL(url, 'http://x').searchParams);

describe('SCIMMY interop: connection', () => {
	it('sends Bearer auth and application/scim+json, as SCIMMY verifies', async () => {
		await createUser('headers@interop.example');

		expect(server.requests.length).toBeGreaterThan(0);
		for (const request of server.requests) {
			expect(request.headers.authorization).toBe(`Bearer ${server.token}`);
			expect(request.headers.accept).toBe('application/scim+json');
			expect(request.status).toBeLessThan(400);
		}
		const [post] = sent('POST', '/Users');
		expect(post.headers['content-type']).toMatch(/^application\/scim\+json/);
	});

	it("answers a wrong token with the node's 401 message and SCIMMY's detail", async () => {
		const result = await runNode(
			{ resource: 'user', operation: 'get', user: rl.id('whatever'), options: FAST },
			{ credentials: { token: 'wrong-token', baseUrl: server.baseUrl } },
		);

		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Miro did not accept the SCIM token');
		expect(result.error?.httpCode).toBe('401');
		expect(result.error?.description).toMatch(/^Miro says: Bearer token missing or not valid /);
		expect(server.requests.map((request) => request.status)).toEqual([401]);
		expect(server.requests[0].headers.authorization).toBe('Bearer wrong-token');
	});

	it("passes the credential's test request (GET /Users?startIndex=1&count=1)", async () => {
		const request = await credentialTestRequest({ token: server.token, baseUrl: server.baseUrl });
		const url = new URL(`${request.baseURL}${request.url}`);
		for (const [key, value] of Object.entries(request.qs ?? {})) {
			url.searchParams.set(key, String(value));
		}
		const response = await fetch(url, { headers: request.headers as Record<string, string> });

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({
			schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
			startIndex: 1,
		});
	});
});

describe('SCIMMY interop: users', () => {
	it('creates a user with a UUID id and returns the existing one on a second create', async () => {
		const first = await createUser('ada@interop.example', 'Ada', 'Lovelace');
		expect(first).toMatchObject({
			email: 'ada@interop.example',
			givenName: 'Ada',
			familyName: 'Lovelace',
			active: true,
			created: true,
			// Miro-only fields stay empty on a generic server.
			license: null,
			role: null,
			adminRoles: [],
			groups: [],
		});
		expect(first.id).toMatch(UUID);

		const second = await createUser('ada@interop.example', 'Someone', 'Else');
		expect(second).toMatchObject({ id: first.id, givenName: 'Ada', created: false });

		expect([...server.users.values()].filter((u) => u.userName === 'ada@interop.example')).toEqual([
			expect.objectContaining({ id: first.id, name: { givenName: 'Ada', familyName: 'Lovelace' } }),
		]);
		expect(sent('POST', '/Users')).toHaveLength(1);
		const lookup = sent('GET', '/Users')[0];
		expect(query(lookup.url)).toEqual({
			filter: 'userName eq "ada@interop.example"',
			startIndex: '1',
			count: '1',
		});

		const [updated] = await ok({
			resource: 'user',
			operation: 'create',
			email: 'ada@interop.example',
			givenName: 'Augusta',
			familyName: 'King',
			ifExists: 'update',
		});
		expect(updated).toMatchObject({
			id: first.id,
			givenName: 'Augusta',
			familyName: 'King',
			created: false,
		});
		expect(sent('POST', '/Users')).toHaveLength(1);
	});

	it('fails a plain create of an existing userName with the uniqueness message', async () => {
		await createUser('dup@interop.example');
		const result = await node({
			resource: 'user',
			operation: 'create',
			email: 'dup@interop.example',
			givenName: 'D',
			familyName: 'Up',
			ifExists: 'fail',
		});

		expect(result.error?.httpCode).toBe('409');
		expect(result.error?.message).toBe('A Miro user with this email already exists');
	});

	it('writes the enterprise extension, with a UUID manager id, on create', async () => {
		const boss = await createUser('admiral@interop.example', 'Chester', 'Nimitz');
		const [user] = await ok({
			resource: 'user',
			operation: 'create',
			email: 'grace@interop.example',
			givenName: 'Grace',
			familyName: 'Hopper',
			additionalFields: {
				department: 'Navy',
				employeeNumber: 'E-1906',
				displayName: 'Amazing Grace',
				managerId: String(boss.id),
				userType: 'Employee',
			},
		});

		expect(user).toMatchObject({
			displayName: 'Amazing Grace',
			department: 'Navy',
			employeeNumber: 'E-1906',
			manager: { id: boss.id, displayName: null },
			license: 'Employee',
		});
		expect(server.users.get(String(user.id))?.[ENTERPRISE_SCHEMA]).toEqual({
			department: 'Navy',
			employeeNumber: 'E-1906',
			manager: { value: boss.id },
		});
	});

	it('gets a user by id and by email, simplified or as the SCIM resource', async () => {
		const created = await createUser('linus@interop.example', 'Linus', 'Pauling');

		const [byId] = await ok({
			resource: 'user',
			operation: 'get',
			user: rl.id(String(created.id)),
		});
		expect(byId).toMatchObject({
			id: created.id,
			email: 'linus@interop.example',
			givenName: 'Linus',
		});

		const [byEmail] = await ok({
			resource: 'user',
			operation: 'get',
			user: rl.email('linus@interop.example'),
			simplify: false,
		});
		expect(byEmail).toMatchObject({
			schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
			id: created.id,
			userName: 'linus@interop.example',
			meta: { resourceType: 'User', location: `/scim/v2/Users/${String(created.id)}` },
		});
	});

	it('lists users with a filter, a limit, and Return All across pages the server caps', async () => {
		const emails = Array.from({ length: 7 }, (_, index) => `page${index + 1}@paging.example`);
		await ok(
			{
				resource: 'user',
				operation: 'create',
				email: '={{ $json.email }}',
				givenName: 'Page',
				familyName: '={{ $json.n }}',
				options: { concurrency: 1 },
			},
			{ items: emails.map((email, n) => ({ email, n: String(n + 1) })) },
		);
		const filters = { filter: 'userName ew "@paging.example"' };

		server.requests.length = 0;
		const limited = await ok({ resource: 'user', operation: 'getAll', limit: 5, filters });
		expect(limited.map((user) => user.email)).toEqual(emails.slice(0, 5));
		expect(sent('GET', '/Users').map((request) => query(request.url))).toEqual([
			{ startIndex: '1', count: '5', filter: filters.filter },
			{ startIndex: '4', count: '2', filter: filters.filter },
		]);

		server.requests.length = 0;
		const all = await ok({ resource: 'user', operation: 'getAll', returnAll: true, filters });
		expect(all.map((user) => user.email)).toEqual(emails);
		expect(sent('GET', '/Users').map((request) => query(request.url).startIndex)).toEqual([
			'1',
			'4',
			'7',
		]);

		const [one] = await ok({
			resource: 'user',
			operation: 'getAll',
			returnAll: true,
			filters: { ...filters, email: 'page3@paging.example', active: 'true' },
		});
		expect(one).toMatchObject({ email: 'page3@paging.example', familyName: '3' });
	});

	it('updates names, displayName, userName and an enterprise field with PATCH', async () => {
		const created = await createUser('old.name@interop.example', 'Old', 'Name');

		const [updated] = await ok({
			resource: 'user',
			operation: 'update',
			user: rl.email('old.name@interop.example'),
			updateFields: {
				givenName: 'New',
				familyName: 'Surname',
				displayName: 'New Surname',
				userName: 'new.name@interop.example',
				department: 'Research',
			},
		});

		expect(updated).toMatchObject({
			id: created.id,
			email: 'new.name@interop.example',
			givenName: 'New',
			familyName: 'Surname',
			displayName: 'New Surname',
			department: 'Research',
		});
		const [patch] = sent('PATCH', `/Users/${String(created.id)}`);
		expect(patch.body).toEqual({
			schemas: [PATCH_OP],
			Operations: [
				{ op: 'Replace', path: 'userName', value: 'new.name@interop.example' },
				{ op: 'Replace', path: 'name.givenName', value: 'New' },
				{ op: 'Replace', path: 'name.familyName', value: 'Surname' },
				{ op: 'Replace', path: 'displayName', value: 'New Surname' },
				{ op: 'Replace', path: `${ENTERPRISE_SCHEMA}:department`, value: 'Research' },
			],
		});
		expect(patch.status).toBe(200);
	});

	it('reads the user back when a PATCH that changes nothing answers 204', async () => {
		const created = await createUser('same@interop.example', 'Same', 'Name');

		const [user] = await ok({
			resource: 'user',
			operation: 'update',
			user: rl.id(String(created.id)),
			updateFields: { givenName: 'Same' },
		});

		expect(user).toMatchObject({ id: created.id, givenName: 'Same', familyName: 'Name' });
		expect(sent('PATCH', `/Users/${String(created.id)}`).map((r) => r.status)).toEqual([204]);
		expect(sent('GET', `/Users/${String(created.id)}`)).toHaveLength(1);
	});

	it('deactivates and reactivates (active false / true), twice in a row too', async () => {
		const created = await createUser('leaver@interop.example');
		const user = rl.id(String(created.id));

		const [off] = await ok({ resource: 'user', operation: 'deactivate', user });
		expect(off).toMatchObject({ id: created.id, active: false });
		expect(server.users.get(String(created.id))?.active).toBe(false);

		const [again] = await ok({ resource: 'user', operation: 'deactivate', user });
		expect(again).toMatchObject({ id: created.id, active: false });

		const inactive = await ok({
			resource: 'user',
			operation: 'getAll',
			returnAll: true,
			filters: { active: 'false' },
		});
		expect(inactive.map((u) => u.id)).toContain(created.id);

		const [on] = await ok({ resource: 'user', operation: 'reactivate', user });
		expect(on).toMatchObject({ id: created.id, active: true });
		expect(sent('PATCH', `/Users/${String(created.id)}`).map((r) => r.status)).toEqual([
			200, 204, 200,
		]);
	});

	it('deletes a user; getting it afterwards is a 404 NodeApiError', async () => {
		const created = await createUser('gone@interop.example');

		const [deleted] = await ok({
			resource: 'user',
			operation: 'delete',
			user: rl.id(String(created.id)),
		});
		expect(deleted).toEqual({ deleted: true, id: created.id });
		expect(server.users.has(String(created.id))).toBe(false);

		const result = await node({
			resource: 'user',
			operation: 'get',
			user: rl.id(String(created.id)),
		});
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.message).toBe('Miro has no such user or group');
		expect(result.error?.description).toMatch(/^Miro says: Resource .* not found /);

		const byEmail = await node({
			resource: 'user',
			operation: 'get',
			user: rl.email('gone@interop.example'),
		});
		expect(byEmail.error?.message).toBe(
			'User (By Email): no Miro user has the email gone@interop.example',
		);
	});
});

describe('SCIMMY interop: groups', () => {
	let alice: IDataObject;
	let bob: IDataObject;
	let carol: IDataObject;
	let groupId: string;

	beforeAll(async () => {
		alice = await createUser('alice@groups.example', 'Alice', 'A');
		bob = await createUser('bob@groups.example', 'Bob', 'B');
		carol = await createUser('carol@groups.example', 'Carol', 'C');
		groupId = String(server.addGroup('Engineering', [String(alice.id)]).id);
		server.addGroup('Design');
		server.addGroup('Engineering Managers');
	});

	const memberIds = () =>
		((server.groups.get(groupId)?.members ?? []) as IDataObject[]).map((m) => m.value);

	it('finds a group by exact name, without members, and reports a missing name', async () => {
		const [group] = await ok({ resource: 'group', operation: 'find', name: 'Engineering' });
		expect(group).toEqual({ id: groupId, name: 'Engineering' });
		// Names resolve through a listing of every group: no filter for a server to misread.
		expect(query(sent('GET', '/Groups')[0].url)).toEqual({
			attributes: 'id,displayName,meta',
			startIndex: '1',
			count: '1000',
		});

		const missing = await node({ resource: 'group', operation: 'find', name: 'Nobody' });
		expect(missing.error?.message).toBe('Group Name: no Miro group is named "Nobody"');
	});

	it('gets a group by id and by name, with or without members', async () => {
		const [withMembers] = await ok({ resource: 'group', operation: 'get', group: rl.id(groupId) });
		expect(withMembers).toMatchObject({
			id: groupId,
			name: 'Engineering',
			memberCount: 1,
			members: [{ id: alice.id, display: 'alice@groups.example' }],
		});

		const [byName] = await ok({
			resource: 'group',
			operation: 'get',
			group: rl.name('Engineering'),
			includeMembers: false,
		});
		expect(byName).toEqual({ id: groupId, name: 'Engineering' });
	});

	it('lists groups, filtered by name contains, and pages with a limit', async () => {
		const engineering = await ok({
			resource: 'group',
			operation: 'getAll',
			returnAll: true,
			filters: { nameContains: 'Engineering' },
		});
		expect(engineering.map((g) => g.name).sort()).toEqual(['Engineering', 'Engineering Managers']);

		const two = await ok({ resource: 'group', operation: 'getAll', limit: 2 });
		expect(two).toHaveLength(2);
		expect(two[0]).not.toHaveProperty('members');
	});

	it('adds members by id and by email, in one merged PATCH for two items', async () => {
		const results = await ok(
			{
				resource: 'group',
				operation: 'updateMembers',
				group: rl.id(groupId),
				add: '={{ $json.add }}',
			},
			{ items: [{ add: String(bob.id) }, { add: 'carol@groups.example' }] },
		);

		// Bob is given by ID (not looked up: the node cannot tell whether he was a member); Carol's
		// lookup lists her groups, so the node knows she was not one.
		expect(results).toEqual([
			{
				groupId,
				groupName: null,
				usersToAdd: [{ id: bob.id, result: 'added or already a member' }],
				usersToRemove: [],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 2,
			},
			{
				groupId,
				groupName: null,
				usersToAdd: [{ id: carol.id, email: 'carol@groups.example', result: 'added' }],
				usersToRemove: [],
				changed: true,
				patchRequests: 1,
				itemsInPatch: 2,
			},
		]);
		expect(memberIds()).toEqual([alice.id, bob.id, carol.id]);
		const patches = sent('PATCH', `/Groups/${groupId}`);
		expect(patches.map((p) => p.body)).toEqual([
			{
				schemas: [PATCH_OP],
				Operations: [
					{ op: 'Add', path: 'members', value: [{ value: bob.id }, { value: carol.id }] },
				],
			},
		]);

		// The user's read-only `groups` attribute now shows the membership, and filters on it work.
		const [user] = await ok({ resource: 'user', operation: 'get', user: rl.id(String(bob.id)) });
		expect(user.groups).toEqual([{ id: groupId, name: 'Engineering' }]);
		const team = await ok({
			resource: 'user',
			operation: 'getAll',
			returnAll: true,
			filters: { teamId: groupId },
		});
		expect(team.map((member) => member.id)).toEqual([alice.id, bob.id, carol.id]);
	});

	it('re-adding an existing member is a no-op (204) and not an error', async () => {
		const [result] = await ok({
			resource: 'group',
			operation: 'updateMembers',
			group: rl.name('Engineering'),
			add: String(alice.id),
		});
		expect(result).toMatchObject({ usersToAdd: [{ id: alice.id }], patchRequests: 1 });
		expect(sent('PATCH', `/Groups/${groupId}`).map((p) => p.status)).toEqual([204]);
	});

	it('removes members with members[value eq "<uuid>"] paths', async () => {
		const [result] = await ok({
			resource: 'group',
			operation: 'updateMembers',
			group: rl.id(groupId),
			remove: `${String(alice.id)}, bob@groups.example`,
		});

		expect(result).toMatchObject({
			usersToRemove: [{ id: alice.id }, { id: bob.id, email: 'bob@groups.example' }],
			patchRequests: 1,
		});
		expect(memberIds()).toEqual([carol.id]);
		expect(sent('PATCH', `/Groups/${groupId}`)[0].body).toEqual({
			schemas: [PATCH_OP],
			Operations: [
				{ op: 'Remove', path: `members[value eq "${String(alice.id)}"]` },
				{ op: 'Remove', path: `members[value eq "${String(bob.id)}"]` },
			],
		});
	});

	it('renames a group; renaming to the same name again answers 204 and still succeeds', async () => {
		const [renamed] = await ok({
			resource: 'group',
			operation: 'rename',
			group: rl.name('Engineering'),
			newName: 'g_app_eng_all',
		});
		expect(renamed).toMatchObject({ id: groupId, name: 'g_app_eng_all', memberCount: 1 });
		expect(server.groups.get(groupId)?.displayName).toBe('g_app_eng_all');

		const [same] = await ok({
			resource: 'group',
			operation: 'rename',
			group: rl.id(groupId),
			newName: 'g_app_eng_all',
		});
		expect(same).toEqual({ id: groupId, name: 'g_app_eng_all' });
		expect(sent('PATCH', `/Groups/${groupId}`).map((p) => p.status)).toEqual([200, 204]);
	});
});

describe('SCIMMY interop: what relies on Miro', () => {
	it('setting an organization role fails: with no primary role the node adds one, and SCIMMY allows no roles.type value', async () => {
		const created = await createUser('role@interop.example');
		const result = await node({
			resource: 'user',
			operation: 'updateRole',
			user: rl.id(String(created.id)),
			orgRole: 'ORGANIZATION_INTERNAL_ADMIN',
		});

		expect(result.error?.httpCode).toBe('400');
		expect(result.error?.description).toMatch(
			/non-canonical value from complex attribute 'roles' for 'add' op/,
		);
	});

	it('creating with an organization role fails: SCIMMY allows no roles.type value', async () => {
		const result = await node({
			resource: 'user',
			operation: 'create',
			email: 'role2@interop.example',
			givenName: 'R',
			familyName: 'Two',
			additionalFields: { orgRole: 'ORGANIZATION_INTERNAL_USER' },
		});

		expect(result.error?.httpCode).toBe('400');
		expect(result.error?.description).toMatch(/non-canonical value from complex attribute 'roles'/);
	});

	it("an email in another case is not found: SCIMMY's filter matching is case-exact", async () => {
		await createUser('Mixed.Case@interop.example');
		const result = await node({
			resource: 'user',
			operation: 'create',
			email: 'mixed.case@interop.example',
			givenName: 'M',
			familyName: 'C',
			ifExists: 'returnExisting',
		});

		// The lookup misses, the create then meets the store's case-insensitive uniqueness check.
		expect(result.error?.httpCode).toBe('409');
		expect(result.error?.message).toBe('A Miro user with this email already exists');
	});

	it('SCIMMY cannot parse a \\" escape in a filter value: a team name with quotes is found by listing', async () => {
		const created = server.addGroup('Eng "core"');
		const [group] = await ok({ resource: 'group', operation: 'find', name: 'Eng "core"' });

		// A filter displayName eq "Eng \"core\"" would be a 400 here; the listing has no filter.
		expect(group).toEqual({ id: String(created.id), name: 'Eng "core"' });
		expect(sent('GET', '/Groups').every((request) => !query(request.url).filter)).toBe(true);
	});
});
