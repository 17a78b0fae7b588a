import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	expectAllDone,
	groupListing,
	FAST,
	JANE_ID as JANE,
	JOHN_ID as JOHN,
	listResponse,
	memberBody,
	miro,
	miroWithBody,
	SCIM,
	scimError,
	team,
	useNock,
} from '../../helpers/fixtures';

useNock();

const NEW_GROUP = '3458764513820540999';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

const create = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'group',
	operation: 'create',
	displayName: 'g_app_new_all',
	options: FAST,
	...extra,
});

const postBody = (members: string[] = []) => ({
	schemas: [GROUP_SCHEMA],
	displayName: 'g_app_new_all',
	...(members.length > 0 ? { members: members.map((value) => ({ value })) } : {}),
});

/** A recovery's lookup: Miro's state now, by filter, with members (not the directory). */
const RECOVERY_LOOKUP = { filter: 'displayName eq "g_app_new_all"', startIndex: '1', count: '10' };

describe('group > create on the user-group model', () => {
	it('looks the name up in the group directory, then posts the group with members given as IDs and emails', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.reply(200, listResponse([team('1', 'g_app_new_all_old')]))
			.get(`${SCIM}/Users`)
			.query({ filter: 'userName eq "john@example.com"', startIndex: '1', count: '1' })
			.reply(200, listResponse([{ id: JOHN, userName: 'john@example.com' }]));
		const post = miroWithBody()
			.post(`${SCIM}/Groups`, postBody([JANE, JOHN]))
			.reply(
				201,
				team(NEW_GROUP, 'g_app_new_all', [
					[JANE, 'jane@example.com'],
					[JOHN, 'john@example.com'],
				]),
			);

		const result = await runNode(create({ members: `${JANE}, john@example.com` }));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([
			{
				id: NEW_GROUP,
				name: 'g_app_new_all',
				memberCount: 2,
				members: [
					{ id: JANE, display: 'jane@example.com' },
					{ id: JOHN, display: 'john@example.com' },
				],
				created: true,
			},
		]);
		expectAllDone(scope, post);
	});

	it('Return Existing: returns the group with the exact name unchanged, without posting', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.reply(200, listResponse([team(NEW_GROUP, 'g_app_new_all')]));

		const result = await runNode(create({ members: JANE }));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([{ id: NEW_GROUP, name: 'g_app_new_all', created: false }]);
		expectAllDone(scope);
	});

	it('Fail: posts without a lookup; a taken name is reported as such', async () => {
		const post = miroWithBody()
			.post(`${SCIM}/Groups`, postBody())
			.reply(409, scimError(409, 'A group named "g_app_new_all" already exists', 'uniqueness'));

		const result = await runNode(create({ ifExists: 'fail' }));

		expect(result.error?.message).toBe('A Miro group with this name already exists');
		expect(result.error?.description).toBe(
			'Miro says: A group named "g_app_new_all" already exists Set "If Name Exists" to "Return Existing" to make the step idempotent.',
		);
		expect(result.error?.httpCode).toBe('409');
		expectAllDone(post);
	});

	it('Return Existing: a name taken between the lookup and the POST returns that group', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.reply(200, listResponse([]))
			.get(`${SCIM}/Groups`)
			.query(RECOVERY_LOOKUP)
			.reply(200, listResponse([team(NEW_GROUP, 'g_app_new_all', [])]));
		const post = miroWithBody()
			.post(`${SCIM}/Groups`, postBody())
			.reply(409, scimError(409, 'A group named "g_app_new_all" already exists', 'uniqueness'));

		const result = await runNode(create());

		expect(result.error).toBeUndefined();
		expect(result.json[0]).toMatchObject({ id: NEW_GROUP, created: false });
		expectAllDone(scope, post);
	});

	it('after a lost answer looks the name up instead of posting twice, then adds the members', async () => {
		const post = miroWithBody()
			.post(`${SCIM}/Groups`, postBody([JANE]))
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		const lookup = miro()
			.get(`${SCIM}/Groups`)
			.query(RECOVERY_LOOKUP)
			.reply(200, listResponse([team(NEW_GROUP, 'g_app_new_all', [])]))
			.get(`${SCIM}/Groups/${NEW_GROUP}`)
			.reply(200, team(NEW_GROUP, 'g_app_new_all', [[JANE, 'jane@example.com']]));
		const patch = miroWithBody()
			.patch(`${SCIM}/Groups/${NEW_GROUP}`, memberBody([JANE]))
			.reply(204);

		const result = await runNode(create({ ifExists: 'fail', members: JANE }));

		expect(result.error).toBeUndefined();
		expect(result.json[0]).toMatchObject({ id: NEW_GROUP, memberCount: 1, created: true });
		expectAllDone(post, lookup, patch);
	});

	it('after a 503 whose group is not there, posts again', async () => {
		const post = miroWithBody()
			.post(`${SCIM}/Groups`, postBody())
			.reply(503, scimError(503, 'Unavailable'))
			.post(`${SCIM}/Groups`, postBody())
			.reply(201, team(NEW_GROUP, 'g_app_new_all', []));
		const lookup = miro().get(`${SCIM}/Groups`).query(RECOVERY_LOOKUP).reply(200, listResponse([]));

		const result = await runNode(create({ ifExists: 'fail' }));

		expect(result.error).toBeUndefined();
		expect(result.json[0]).toMatchObject({ id: NEW_GROUP, created: true });
		expectAllDone(post, lookup);
	});

	it('puts members beyond 8,000 into follow-up member PATCHes, then reads the group', async () => {
		const ids = Array.from({ length: 8001 }, (_, i) => String(3074457345618261605n + BigInt(i)));
		const post = miroWithBody()
			.post(`${SCIM}/Groups`, postBody(ids.slice(0, 8000)))
			.reply(201, team(NEW_GROUP, 'g_app_new_all', []));
		const patch = miroWithBody()
			.patch(`${SCIM}/Groups/${NEW_GROUP}`, memberBody(ids.slice(8000)))
			.reply(204);
		const read = miro()
			.get(`${SCIM}/Groups/${NEW_GROUP}`)
			.reply(200, {
				...team(NEW_GROUP, 'g_app_new_all'),
				members: ids.map((value) => ({ value })),
			});

		const result = await runNode(create({ ifExists: 'fail', members: ids.join('\n') }));

		expect(result.error).toBeUndefined();
		expect(result.json[0]).toMatchObject({ id: NEW_GROUP, memberCount: 8001, created: true });
		expectAllDone(post, patch, read);
	});
});

describe('group > create on the team model', () => {
	it.each([405, 403, 501])(
		'maps a %i refusal of POST /Groups to the team-model message',
		async (status) => {
			const scope = miro().get(`${SCIM}/Groups`).query(groupListing()).reply(200, listResponse([]));
			const post = miroWithBody()
				.post(`${SCIM}/Groups`, postBody())
				.reply(status, scimError(status, 'POST /Groups is not supported'));

			const result = await runNode(create());

			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toBe(
				'Miro refused to create the group: this organization maps SCIM groups to teams',
			);
			expect(result.error?.description).toBe(
				'Miro says: POST /Groups is not supported Create the team in Miro and find it by name (Group > Find by Name), or ask Miro to move the organization to the user-group model.',
			);
			expect(result.error?.httpCode).toBe(String(status));
			expectAllDone(scope, post);
		},
	);

	it('Return Existing finds the team by name without posting', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.reply(200, listResponse([team(NEW_GROUP, 'g_app_new_all')]));

		const result = await runNode(create());

		expect(result.json).toEqual([{ id: NEW_GROUP, name: 'g_app_new_all', created: false }]);
		expectAllDone(scope);
	});
});

describe('group > create, input checks before any request', () => {
	it.each([
		[{ displayName: '  ' }, 'Name: is empty'],
		[{ members: 'not-an-email@' }, 'Members: "not-an-email@" is not an email address'],
		[{ members: '12/34' }, 'Members: "12/34" is not a valid ID'],
	])('%j -> %s', async (extra, message) => {
		const result = await runNode(create(extra));

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(message);
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('group > create and the group directory', () => {
	it('the created group is found by name in the next execution without listing again', async () => {
		const scope = miro().get(`${SCIM}/Groups`).query(groupListing()).reply(200, listResponse([]));
		const post = miroWithBody()
			.post(`${SCIM}/Groups`, postBody())
			.reply(201, team(NEW_GROUP, 'g_app_new_all', []));

		expect((await runNode(create())).error).toBeUndefined();
		const found = await runNode({
			resource: 'group',
			operation: 'find',
			name: 'g_app_new_all',
			options: FAST,
		});

		expect(found.error).toBeUndefined();
		expect(found.json[0]).toMatchObject({ id: NEW_GROUP });
		expectAllDone(scope, post);
	});
});
