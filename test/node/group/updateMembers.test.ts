import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	DESIGN,
	ENGINEERING,
	expectAllDone,
	FAST,
	JANE_ID,
	JOHN_ID,
	listResponse,
	MARY_ID,
	memberBody,
	miro,
	miroWithBody,
	rl,
	SCIM,
	scimError,
	team,
	useNock,
	groupListing,
} from '../../helpers/fixtures';

useNock();

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const update = (extra: INodeParameters): INodeParameters => ({
	resource: 'group',
	operation: 'updateMembers',
	group: rl.id(ENGINEERING),
	options: FAST,
	...extra,
});

/** Parameters taking team, users to add and users to remove from each input item. */
const fromItems = (options: INodeParameters = FAST) =>
	update({
		group: { __rl: true, mode: 'id', value: '={{ $json.team }}' },
		add: '={{ $json.add }}',
		remove: '={{ $json.remove }}',
		options,
	});

const userQuery = (email: string) => ({
	filter: `userName eq "${email}"`,
	startIndex: '1',
	count: '1',
});
const user = (userId: string, userName: string) => ({ id: userId, userName, active: true });

const body = memberBody;

describe('group > updateMembers', () => {
	it('adds users by id in one PATCH', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, {
				schemas: [PATCH_OP],
				Operations: [
					{ op: 'Add', path: 'members', value: [{ value: JANE_ID }, { value: JOHN_ID }] },
				],
			})
			.reply(204);

		const result = await runNode(update({ add: `${JANE_ID}, ${JOHN_ID}` }));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [
					{ id: JANE_ID, result: 'added or already a member' },
					{ id: JOHN_ID, result: 'added or already a member' },
				],
				usersToRemove: [],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
		]);
		expectAllDone(scope);
	});

	it("removes users with Miro's members[value eq …] path each, the id bare", async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, {
				schemas: [PATCH_OP],
				Operations: [
					{ op: 'Remove', path: `members[value eq ${JANE_ID}]` },
					{ op: 'Remove', path: `members[value eq ${JOHN_ID}]` },
				],
			})
			.reply(204);

		const result = await runNode(update({ remove: `${JANE_ID}\n${JOHN_ID}` }));

		expect(result.json).toEqual([
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [],
				usersToRemove: [
					{ id: JANE_ID, result: 'removed or not a member' },
					{ id: JOHN_ID, result: 'removed or not a member' },
				],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
		]);
		expectAllDone(scope);
	});

	it('adds and removes in one PATCH', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, {
				schemas: [PATCH_OP],
				Operations: [
					{ op: 'Add', path: 'members', value: [{ value: JANE_ID }] },
					{ op: 'Remove', path: `members[value eq ${JOHN_ID}]` },
				],
			})
			.reply(200, team(ENGINEERING, 'Engineering', [[JANE_ID, 'Jane Doe']]));

		const result = await runNode(update({ add: JANE_ID, remove: JOHN_ID }));

		expect(result.json).toEqual([
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [{ id: JANE_ID, result: 'added or already a member' }],
				usersToRemove: [{ id: JOHN_ID, result: 'removed or not a member' }],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
		]);
		expectAllDone(scope);
	});

	it('takes users from an expression giving a list of ids, objects or emails', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(userQuery('mary@example.com'))
			.reply(200, listResponse([user(MARY_ID, 'mary@example.com')]));
		const patch = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE_ID, JOHN_ID, MARY_ID]))
			.reply(204);

		const result = await runNode(update({ add: '={{ $json.users }}' }), {
			items: [{ users: [JANE_ID, { id: JOHN_ID }, { email: 'mary@example.com' }, JANE_ID] }],
		});

		expect(result.json).toEqual([
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [
					{ id: JANE_ID, result: 'added or already a member' },
					{ id: JOHN_ID, result: 'added or already a member' },
					{ id: MARY_ID, email: 'mary@example.com', result: 'added or already a member' },
				],
				usersToRemove: [],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
		]);
		expectAllDone(scope, patch);
	});

	it('resolves each email with one GET /Users, cached across items', async () => {
		const lookups = miro()
			.get(`${SCIM}/Users`)
			.query(userQuery('jane@example.com'))
			.once()
			.reply(200, listResponse([user(JANE_ID, 'jane@example.com')]))
			.get(`${SCIM}/Users`)
			.query(userQuery('john@example.com'))
			.once()
			.reply(200, listResponse([user(JOHN_ID, 'john@example.com')]));
		const patches = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE_ID, JOHN_ID]))
			.reply(204)
			.patch(`${SCIM}/Groups/${DESIGN}`, body([JANE_ID], [JOHN_ID]))
			.reply(204);

		const result = await runNode(fromItems(), {
			items: [
				{ team: ENGINEERING, add: 'jane@example.com, john@example.com' },
				// Emails are compared case-insensitively, as Miro compares userName.
				{ team: DESIGN, add: 'Jane@Example.com', remove: 'JOHN@example.com' },
			],
		});

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [
					{ id: JANE_ID, email: 'jane@example.com', result: 'added or already a member' },
					{ id: JOHN_ID, email: 'john@example.com', result: 'added or already a member' },
				],
				usersToRemove: [],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
			{
				// Each user named as this item gave them.
				groupId: DESIGN,
				groupName: null,
				usersToAdd: [
					{ id: JANE_ID, email: 'Jane@Example.com', result: 'added or already a member' },
				],
				usersToRemove: [
					{ id: JOHN_ID, email: 'JOHN@example.com', result: 'removed or not a member' },
				],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
		]);
		expectAllDone(lookups, patches);
	});

	it('names the field of an email no Miro user has, without patching', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(userQuery('nobody@example.com'))
			.reply(200, listResponse([]));

		const result = await runNode(update({ add: `${JANE_ID}, nobody@example.com` }));

		expect(result.error?.message).toBe(
			'Users to Add: no Miro user has the email nobody@example.com',
		);
		expectAllDone(scope);
	});

	it('refuses an item with no users to add or remove without any request', async () => {
		const result = await runNode(update({ add: ' , ', remove: '' }));

		expect(result.error?.message).toBe('Users to Add and Users to Remove: both are empty');
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('refuses a user listed both to add and to remove', async () => {
		const result = await runNode(update({ add: `${JANE_ID}, ${JOHN_ID}`, remove: JOHN_ID }));

		expect(result.error?.message).toBe(`Users to Remove: user ${JOHN_ID} is also in Users to Add`);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('lists a user given by id and by email once, with the email', async () => {
		const lookup = miro()
			.get(`${SCIM}/Users`)
			.query(userQuery('jane@example.com'))
			.reply(200, listResponse([user(JANE_ID, 'jane@example.com')]));
		const patch = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE_ID]))
			.reply(204);

		const result = await runNode(update({ add: `${JANE_ID}\njane@example.com` }));

		expect(result.json).toEqual([
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [
					{ id: JANE_ID, email: 'jane@example.com', result: 'added or already a member' },
				],
				usersToRemove: [],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
		]);
		expectAllDone(lookup, patch);
	});

	it('reports the same on a re-run that changes nothing: what was asked, not "added"', async () => {
		// Miro answers an add of a current member exactly like a real addition.
		const patch = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE_ID]))
			.times(2)
			.reply(204);

		const first = await runNode(update({ add: JANE_ID }));
		const again = await runNode(update({ add: JANE_ID }));

		expect(again.json).toEqual(first.json);
		expect(Object.keys(again.json[0])).not.toContain('added');
		expectAllDone(patch);
	});

	it('merges the changes of 3 items for one team into one PATCH; each reports its own', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE_ID, JOHN_ID], [MARY_ID]))
			.once()
			.reply(204);

		const result = await runNode(fromItems(), {
			items: [
				{ team: ENGINEERING, add: JANE_ID },
				{ team: ENGINEERING, add: `${JOHN_ID}, ${JANE_ID}` },
				{ team: ENGINEERING, remove: MARY_ID },
			],
		});

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [{ id: JANE_ID, result: 'added or already a member' }],
				usersToRemove: [],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 3,
			},
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [
					{ id: JOHN_ID, result: 'added or already a member' },
					{ id: JANE_ID, result: 'added or already a member' },
				],
				usersToRemove: [],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 3,
			},
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [],
				usersToRemove: [{ id: MARY_ID, result: 'removed or not a member' }],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 3,
			},
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expectAllDone(scope);
	});

	it('merges per team: two teams make two PATCHes', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE_ID, MARY_ID]))
			.once()
			.reply(204)
			.patch(`${SCIM}/Groups/${DESIGN}`, body([JOHN_ID]))
			.once()
			.reply(204);

		const result = await runNode(fromItems(), {
			items: [
				{ team: ENGINEERING, add: JANE_ID },
				{ team: DESIGN, add: JOHN_ID },
				{ team: ENGINEERING, add: MARY_ID },
			],
		});

		expect(result.json).toEqual([
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [{ id: JANE_ID, result: 'added or already a member' }],
				usersToRemove: [],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 2,
			},
			{
				groupId: DESIGN,
				groupName: null,
				usersToAdd: [{ id: JOHN_ID, result: 'added or already a member' }],
				usersToRemove: [],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [{ id: MARY_ID, result: 'added or already a member' }],
				usersToRemove: [],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 2,
			},
		]);
		expectAllDone(scope);
	});

	it('looks a team name up once for all items and merges their changes', async () => {
		const search = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.once()
			.reply(200, listResponse([team(ENGINEERING, 'Engineering')]));
		const patch = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE_ID, JOHN_ID]))
			.once()
			.reply(204);

		const result = await runNode(
			update({ group: rl.name('Engineering'), add: '={{ $json.add }}' }),
			{
				items: [{ add: JANE_ID }, { add: JOHN_ID }],
			},
		);

		expect(result.json.map((json) => json.itemsInPatch)).toEqual([2, 2]);
		expectAllDone(search, patch);
	});

	it('sends one PATCH per item when Merge Member Changes is off', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE_ID]))
			.reply(204)
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JOHN_ID]))
			.reply(204)
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([], [MARY_ID]))
			.reply(204);

		const result = await runNode(fromItems({ ...FAST, mergeMemberChanges: false }), {
			items: [
				{ team: ENGINEERING, add: JANE_ID },
				{ team: ENGINEERING, add: JOHN_ID },
				{ team: ENGINEERING, remove: MARY_ID },
			],
		});

		expect(result.json).toEqual([
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [{ id: JANE_ID, result: 'added or already a member' }],
				usersToRemove: [],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [{ id: JOHN_ID, result: 'added or already a member' }],
				usersToRemove: [],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [],
				usersToRemove: [{ id: MARY_ID, result: 'removed or not a member' }],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
		]);
		expectAllDone(scope);
	});

	it('keeps the order of items that add and remove the same user: no merge', async () => {
		const sent: object[] = [];
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`)
			.times(2)
			.reply(async (request: Request) => {
				sent.push((await request.json()) as object);
				return [204];
			});

		const result = await runNode(fromItems(), {
			items: [
				{ team: ENGINEERING, add: JANE_ID },
				{ team: ENGINEERING, remove: JANE_ID },
			],
		});

		expect(sent).toEqual([body([JANE_ID]), body([], [JANE_ID])]);
		expect(result.json.map((json) => json.itemsInPatch)).toEqual([1, 1]);
		expectAllDone(scope);
	});

	it('splits more than 8000 users of one item into several PATCHes and never replaces members', async () => {
		const ids = Array.from({ length: 8001 }, (_, i) => `30744573456${String(i).padStart(8, '0')}`);
		type PatchBody = { schemas: string[]; Operations: Array<Record<string, unknown>> };
		const sent: PatchBody[] = [];
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`)
			.times(2)
			.reply(async (request: Request) => {
				sent.push((await request.json()) as PatchBody);
				return [204];
			});

		const result = await runNode(update({ add: ids.join('\n') }));

		expect(result.error).toBeUndefined();
		expect(sent).toEqual([body(ids.slice(0, 8000)), body(ids.slice(8000))]);
		expect(
			sent.flatMap((patch) => patch.Operations.map((operation) => operation.op)),
		).not.toContain('replace');
		expect(result.json).toEqual([
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: ids.map((id) => ({ id, result: 'added or already a member' })),
				usersToRemove: [],
				changed: null,
				patchRequests: 2,
				itemsInPatch: 1,
			},
		]);
		expectAllDone(scope);
	});

	it('when a merged PATCH is refused (400), sends the items one by one so only the bad one fails', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE_ID, JOHN_ID, MARY_ID]))
			.reply(
				400,
				scimError(400, `User ${JOHN_ID} is not a member of the organization`, 'invalidValue'),
			)
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE_ID]))
			.reply(204)
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JOHN_ID]))
			.reply(
				400,
				scimError(400, `User ${JOHN_ID} is not a member of the organization`, 'invalidValue'),
			)
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([MARY_ID]))
			.reply(204);

		const result = await runNode(fromItems(), {
			items: [
				{ team: ENGINEERING, add: JANE_ID },
				{ team: ENGINEERING, add: JOHN_ID },
				{ team: ENGINEERING, add: MARY_ID },
			],
			continueOnFail: true,
		});

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [{ id: JANE_ID, result: 'added or already a member' }],
				usersToRemove: [],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
			{
				error: 'Miro rejected the request as invalid',
				description: `Miro says: User ${JOHN_ID} is not a member of the organization Check the field Miro names above; lengths and formats are listed in the node documentation.`,
				httpCode: '400',
			},
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [{ id: MARY_ID, result: 'added or already a member' }],
				usersToRemove: [],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expectAllDone(scope);
	});

	it('when a merged PATCH fails with an outage, fails every item alike without resending one by one', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE_ID, JOHN_ID]))
			.times(2)
			.reply(503, scimError(503, 'Service unavailable'));

		const result = await runNode(fromItems({ ...FAST, maxAttempts: 2 }), {
			items: [
				{ team: ENGINEERING, add: JANE_ID },
				{ team: ENGINEERING, add: JOHN_ID },
			],
			continueOnFail: true,
		});

		expect(result.json.map((json) => [json.error, json.httpCode])).toEqual([
			['Miro is unavailable', '503'],
			['Miro is unavailable', '503'],
		]);
		expectAllDone(scope);
	});

	it('without Continue On Fail, stops with the error of the failing item', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE_ID]))
			.reply(403, scimError(403, 'SCIM is disabled'));

		const result = await runNode(update({ add: JANE_ID }));

		expect(result.error?.message).toBe('Miro refused access to SCIM');
		expect(result.error?.httpCode).toBe('403');
		expectAllDone(scope);
	});

	it('after a PATCH with removals loses its connection, reads the team and does not resend a change already in place', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE_ID], [JOHN_ID]))
			.once()
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		const check = miro()
			.get(`${SCIM}/Groups/${ENGINEERING}`)
			.once()
			.reply(
				200,
				team(ENGINEERING, 'Engineering', [
					[JANE_ID, 'Jane Doe'],
					[MARY_ID, 'Mary Major'],
				]),
			);

		const result = await runNode(update({ add: JANE_ID, remove: JOHN_ID }));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [{ id: JANE_ID, result: 'added or already a member' }],
				usersToRemove: [{ id: JOHN_ID, result: 'removed or not a member' }],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
		]);
		expectAllDone(scope, check);
	});

	it('after a PATCH with removals loses its connection, resends it when the team shows it was not applied', async () => {
		const order: string[] = [];
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([], [JOHN_ID]))
			.once()
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([], [JOHN_ID]))
			.once()
			.reply(function () {
				order.push('PATCH');
				return [204];
			});
		const check = miro()
			.get(`${SCIM}/Groups/${ENGINEERING}`)
			.once()
			.reply(function () {
				order.push('GET');
				return [200, team(ENGINEERING, 'Engineering', [[JOHN_ID, 'John Roe']])];
			});

		const result = await runNode(update({ remove: JOHN_ID }));

		expect(result.error).toBeUndefined();
		expect(order).toEqual(['GET', 'PATCH']);
		expect(result.json).toEqual([
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [],
				usersToRemove: [{ id: JOHN_ID, result: 'removed or not a member' }],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
		]);
		expectAllDone(scope, check);
	});

	it('resends an add-only PATCH after a lost connection without reading the team first', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE_ID]))
			.once()
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE_ID]))
			.once()
			.reply(204);

		const result = await runNode(update({ add: JANE_ID }));

		expect(result.error).toBeUndefined();
		expectAllDone(scope);
	});
});
