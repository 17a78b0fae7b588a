import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	byName,
	DESIGN,
	ENGINEERING,
	expectAllDone,
	FAST,
	id,
	JANE,
	JOHN,
	listResponse,
	MARY,
	miro,
	memberBody,
	miroWithBody,
	SCIM,
	scimError,
	team,
	groupListing,
} from './fixtures';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const update = (extra: INodeParameters): INodeParameters => ({
	resource: 'group',
	operation: 'updateMembers',
	group: id(ENGINEERING),
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
				Operations: [{ op: 'add', path: 'members', value: [{ value: JANE }, { value: JOHN }] }],
			})
			.reply(204);

		const result = await runNode(update({ add: `${JANE}, ${JOHN}` }));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([
			{ teamId: ENGINEERING, added: [JANE, JOHN], removed: [], requests: 1, merged: false },
		]);
		expectAllDone(scope);
	});

	it('removes users with a quoted members[value eq "…"] path each', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, {
				schemas: [PATCH_OP],
				Operations: [
					{ op: 'remove', path: `members[value eq "${JANE}"]` },
					{ op: 'remove', path: `members[value eq "${JOHN}"]` },
				],
			})
			.reply(204);

		const result = await runNode(update({ remove: `${JANE}\n${JOHN}` }));

		expect(result.json).toEqual([
			{ teamId: ENGINEERING, added: [], removed: [JANE, JOHN], requests: 1, merged: false },
		]);
		expectAllDone(scope);
	});

	it('adds and removes in one PATCH', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, {
				schemas: [PATCH_OP],
				Operations: [
					{ op: 'add', path: 'members', value: [{ value: JANE }] },
					{ op: 'remove', path: `members[value eq "${JOHN}"]` },
				],
			})
			.reply(200, team(ENGINEERING, 'Engineering', [[JANE, 'Jane Doe']]));

		const result = await runNode(update({ add: JANE, remove: JOHN }));

		expect(result.json).toEqual([
			{ teamId: ENGINEERING, added: [JANE], removed: [JOHN], requests: 1, merged: false },
		]);
		expectAllDone(scope);
	});

	it('takes users from an expression giving a list of ids, objects or emails', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(userQuery('mary@example.com'))
			.reply(200, listResponse([user(MARY, 'mary@example.com')]));
		const patch = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE, JOHN, MARY]))
			.reply(204);

		const result = await runNode(update({ add: '={{ $json.users }}' }), {
			items: [{ users: [JANE, { id: JOHN }, { email: 'mary@example.com' }, JANE] }],
		});

		expect(result.json).toEqual([
			{ teamId: ENGINEERING, added: [JANE, JOHN, MARY], removed: [], requests: 1, merged: false },
		]);
		expectAllDone(scope, patch);
	});

	it('resolves each email with one GET /Users, cached across items', async () => {
		const lookups = miro()
			.get(`${SCIM}/Users`)
			.query(userQuery('jane@example.com'))
			.once()
			.reply(200, listResponse([user(JANE, 'jane@example.com')]))
			.get(`${SCIM}/Users`)
			.query(userQuery('john@example.com'))
			.once()
			.reply(200, listResponse([user(JOHN, 'john@example.com')]));
		const patches = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE, JOHN]))
			.reply(204)
			.patch(`${SCIM}/Groups/${DESIGN}`, body([JANE], [JOHN]))
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
			{ teamId: ENGINEERING, added: [JANE, JOHN], removed: [], requests: 1, merged: false },
			{ teamId: DESIGN, added: [JANE], removed: [JOHN], requests: 1, merged: false },
		]);
		expectAllDone(lookups, patches);
	});

	it('names the field of an email no Miro user has, without patching', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(userQuery('nobody@example.com'))
			.reply(200, listResponse([]));

		const result = await runNode(update({ add: `${JANE}, nobody@example.com` }));

		expect(result.error?.message).toBe(
			'Users to Add: no Miro user has the email nobody@example.com',
		);
		expectAllDone(scope);
	});

	it('refuses an item with no users to add or remove without any request', async () => {
		const result = await runNode(update({ add: ' , ', remove: '' }));

		expect(result.error?.message).toBe('Users to Add: and Users to Remove are both empty');
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('refuses a user listed both to add and to remove', async () => {
		const result = await runNode(update({ add: `${JANE}, ${JOHN}`, remove: JOHN }));

		expect(result.error?.message).toBe(`Users to Remove: user ${JOHN} is also in Users to Add`);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('merges the changes of 3 items for one team into one PATCH; each reports its own', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE, JOHN], [MARY]))
			.once()
			.reply(204);

		const result = await runNode(fromItems(), {
			items: [
				{ team: ENGINEERING, add: JANE },
				{ team: ENGINEERING, add: `${JOHN}, ${JANE}` },
				{ team: ENGINEERING, remove: MARY },
			],
		});

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([
			{ teamId: ENGINEERING, added: [JANE], removed: [], requests: 1, merged: true },
			{ teamId: ENGINEERING, added: [JOHN, JANE], removed: [], requests: 1, merged: true },
			{ teamId: ENGINEERING, added: [], removed: [MARY], requests: 1, merged: true },
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
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE, MARY]))
			.once()
			.reply(204)
			.patch(`${SCIM}/Groups/${DESIGN}`, body([JOHN]))
			.once()
			.reply(204);

		const result = await runNode(fromItems(), {
			items: [
				{ team: ENGINEERING, add: JANE },
				{ team: DESIGN, add: JOHN },
				{ team: ENGINEERING, add: MARY },
			],
		});

		expect(result.json).toEqual([
			{ teamId: ENGINEERING, added: [JANE], removed: [], requests: 1, merged: true },
			{ teamId: DESIGN, added: [JOHN], removed: [], requests: 1, merged: false },
			{ teamId: ENGINEERING, added: [MARY], removed: [], requests: 1, merged: true },
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
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE, JOHN]))
			.once()
			.reply(204);

		const result = await runNode(
			update({ group: byName('Engineering'), add: '={{ $json.add }}' }),
			{
				items: [{ add: JANE }, { add: JOHN }],
			},
		);

		expect(result.json.map((json) => json.merged)).toEqual([true, true]);
		expectAllDone(search, patch);
	});

	it('sends one PATCH per item when Merge Member Changes is off', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE]))
			.reply(204)
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JOHN]))
			.reply(204)
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([], [MARY]))
			.reply(204);

		const result = await runNode(fromItems({ ...FAST, mergeMemberChanges: false }), {
			items: [
				{ team: ENGINEERING, add: JANE },
				{ team: ENGINEERING, add: JOHN },
				{ team: ENGINEERING, remove: MARY },
			],
		});

		expect(result.json).toEqual([
			{ teamId: ENGINEERING, added: [JANE], removed: [], requests: 1, merged: false },
			{ teamId: ENGINEERING, added: [JOHN], removed: [], requests: 1, merged: false },
			{ teamId: ENGINEERING, added: [], removed: [MARY], requests: 1, merged: false },
		]);
		expectAllDone(scope);
	});

	it('keeps the order of items that add and remove the same user: no merge', async () => {
		const sent: object[] = [];
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`)
			.times(2)
			.reply(async (request: Request) => {
				sent.push(await request.json());
				return [204];
			});

		const result = await runNode(fromItems(), {
			items: [
				{ team: ENGINEERING, add: JANE },
				{ team: ENGINEERING, remove: JANE },
			],
		});

		expect(sent).toEqual([body([JANE]), body([], [JANE])]);
		expect(result.json.map((json) => json.merged)).toEqual([false, false]);
		expectAllDone(scope);
	});

	it('splits more than 8000 users of one item into several PATCHes and never replaces members', async () => {
		const ids = Array.from({ length: 8001 }, (_, i) => `30744573456${String(i).padStart(8, '0')}`);
		const sent: Array<{ schemas: string[]; Operations: Array<Record<string, unknown>> }> = [];
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`)
			.times(2)
			.reply(async (request: Request) => {
				sent.push(await request.json());
				return [204];
			});

		const result = await runNode(update({ add: ids.join('\n') }));

		expect(result.error).toBeUndefined();
		expect(sent).toEqual([body(ids.slice(0, 8000)), body(ids.slice(8000))]);
		expect(
			sent.flatMap((patch) => patch.Operations.map((operation) => operation.op)),
		).not.toContain('replace');
		expect(result.json).toEqual([
			{ teamId: ENGINEERING, added: ids, removed: [], requests: 2, merged: false },
		]);
		expectAllDone(scope);
	});

	it('when a merged PATCH is refused (400), sends the items one by one so only the bad one fails', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE, JOHN, MARY]))
			.reply(
				400,
				scimError(400, `User ${JOHN} is not a member of the organization`, 'invalidValue'),
			)
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE]))
			.reply(204)
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JOHN]))
			.reply(
				400,
				scimError(400, `User ${JOHN} is not a member of the organization`, 'invalidValue'),
			)
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([MARY]))
			.reply(204);

		const result = await runNode(fromItems(), {
			items: [
				{ team: ENGINEERING, add: JANE },
				{ team: ENGINEERING, add: JOHN },
				{ team: ENGINEERING, add: MARY },
			],
			continueOnFail: true,
		});

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([
			{ teamId: ENGINEERING, added: [JANE], removed: [], requests: 1, merged: false },
			{
				error: 'Miro rejected the request as invalid',
				description: `Miro says: User ${JOHN} is not a member of the organization Check the field Miro names above; lengths and formats are listed in the node documentation.`,
				httpCode: '400',
			},
			{ teamId: ENGINEERING, added: [MARY], removed: [], requests: 1, merged: false },
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
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE, JOHN]))
			.times(2)
			.reply(503, scimError(503, 'Service unavailable'));

		const result = await runNode(fromItems({ ...FAST, maxAttempts: 2 }), {
			items: [
				{ team: ENGINEERING, add: JANE },
				{ team: ENGINEERING, add: JOHN },
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
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE]))
			.reply(403, scimError(403, 'SCIM is disabled'));

		const result = await runNode(update({ add: JANE }));

		expect(result.error?.message).toBe('Miro refused access to SCIM');
		expect(result.error?.httpCode).toBe('403');
		expectAllDone(scope);
	});

	it('after a PATCH with removals loses its connection, reads the team and does not resend a change already in place', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE], [JOHN]))
			.once()
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		const check = miro()
			.get(`${SCIM}/Groups/${ENGINEERING}`)
			.once()
			.reply(
				200,
				team(ENGINEERING, 'Engineering', [
					[JANE, 'Jane Doe'],
					[MARY, 'Mary Major'],
				]),
			);

		const result = await runNode(update({ add: JANE, remove: JOHN }));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([
			{ teamId: ENGINEERING, added: [JANE], removed: [JOHN], requests: 1, merged: false },
		]);
		expectAllDone(scope, check);
	});

	it('after a PATCH with removals loses its connection, resends it when the team shows it was not applied', async () => {
		const order: string[] = [];
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([], [JOHN]))
			.once()
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([], [JOHN]))
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
				return [200, team(ENGINEERING, 'Engineering', [[JOHN, 'John Roe']])];
			});

		const result = await runNode(update({ remove: JOHN }));

		expect(result.error).toBeUndefined();
		expect(order).toEqual(['GET', 'PATCH']);
		expect(result.json).toEqual([
			{ teamId: ENGINEERING, added: [], removed: [JOHN], requests: 1, merged: false },
		]);
		expectAllDone(scope, check);
	});

	it('resends an add-only PATCH after a lost connection without reading the team first', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE]))
			.once()
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.patch(`${SCIM}/Groups/${ENGINEERING}`, body([JANE]))
			.once()
			.reply(204);

		const result = await runNode(update({ add: JANE }));

		expect(result.error).toBeUndefined();
		expectAllDone(scope);
	});
});
