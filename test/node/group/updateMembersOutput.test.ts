/**
 * What Update Members reports, per node version. Version 2 names the group and says what each
 * user's change did, telling it from the groups Miro listed on the user the email lookup found
 * (no extra request); version 1 keeps the output 0.1.0 gave (teamId, added, removed, requests,
 * merged), so that workflows saved with it keep reading the same fields.
 */
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	ENGINEERING,
	expectAllDone,
	FAST,
	groupListing,
	JANE_ID,
	JOHN_ID,
	listResponse,
	lookup,
	MARY_ID,
	memberBody,
	miro,
	miroWithBody,
	rl,
	SCIM,
	team,
	useNock,
} from '../../helpers/fixtures';

useNock();

const userQuery = (email: string) => lookup(`userName eq "${email}"`);
/** A user as Miro lists them, with the groups they are in. */
const user = (id: string, userName: string, groupIds: string[]) => ({
	id,
	userName,
	active: true,
	groups: groupIds.map((value) => ({ value, display: 'Engineering' })),
});

/** Jane is in Engineering, John is not, Mary is. */
function lookups() {
	return miro()
		.get(`${SCIM}/Users`)
		.query(userQuery('jane@example.com'))
		.reply(200, listResponse([user(JANE_ID, 'jane@example.com', [ENGINEERING])]))
		.get(`${SCIM}/Users`)
		.query(userQuery('john@example.com'))
		.reply(200, listResponse([user(JOHN_ID, 'john@example.com', [])]))
		.get(`${SCIM}/Users`)
		.query(userQuery('mary@example.com'))
		.reply(200, listResponse([user(MARY_ID, 'mary@example.com', [ENGINEERING])]));
}

const parameters = {
	resource: 'group',
	operation: 'updateMembers',
	add: 'jane@example.com, john@example.com',
	remove: 'mary@example.com',
	options: FAST,
};

describe('group > updateMembers output', () => {
	it('version 2 names the group and says what each change did, from the lookups it made', async () => {
		const reads = lookups()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.reply(200, listResponse([team(ENGINEERING, 'Engineering')]));
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, memberBody([JANE_ID, JOHN_ID], [MARY_ID]))
			.reply(204);

		const result = await runNode({ ...parameters, group: rl.name('Engineering') });

		expect(result.json).toEqual([
			{
				groupId: ENGINEERING,
				groupName: 'Engineering',
				usersToAdd: [
					{ id: JANE_ID, email: 'jane@example.com', result: 'already a member' },
					{ id: JOHN_ID, email: 'john@example.com', result: 'added' },
				],
				usersToRemove: [{ id: MARY_ID, email: 'mary@example.com', result: 'removed' }],
				changed: true,
				patchRequests: 1,
				itemsInPatch: 1,
			},
		]);
		expectAllDone(reads, scope);
	});

	it('version 2 says a re-run changed nothing', async () => {
		const reads = miro()
			.get(`${SCIM}/Users`)
			.query(userQuery('jane@example.com'))
			.reply(200, listResponse([user(JANE_ID, 'jane@example.com', [ENGINEERING])]))
			.get(`${SCIM}/Users`)
			.query(userQuery('john@example.com'))
			.reply(200, listResponse([user(JOHN_ID, 'john@example.com', [])]));
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, memberBody([JANE_ID], [JOHN_ID]))
			.reply(204);

		const result = await runNode({
			...parameters,
			group: rl.id(ENGINEERING),
			add: 'jane@example.com',
			remove: 'john@example.com',
		});

		expect(result.json[0]).toMatchObject({
			usersToAdd: [{ id: JANE_ID, result: 'already a member' }],
			usersToRemove: [{ id: JOHN_ID, result: 'not a member' }],
			changed: false,
		});
		expectAllDone(reads, scope);
	});

	it('version 1 keeps 0.1.0 output: teamId, added, removed, requests, merged', async () => {
		const reads = lookups();
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, memberBody([JANE_ID, JOHN_ID], [MARY_ID]))
			.reply(204);

		const result = await runNode({ ...parameters, group: rl.id(ENGINEERING) }, { typeVersion: 1 });

		expect(result.json).toEqual([
			{
				teamId: ENGINEERING,
				added: [JANE_ID, JOHN_ID],
				removed: [MARY_ID],
				requests: 1,
				merged: false,
			},
		]);
		expectAllDone(reads, scope);
	});

	it('version 1 says merged when items shared the PATCH', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, memberBody([JANE_ID, JOHN_ID]))
			.reply(204);

		const result = await runNode(
			{ ...parameters, group: rl.id(ENGINEERING), add: '={{ $json.add }}', remove: '' },
			{ typeVersion: 1, items: [{ add: JANE_ID }, { add: JOHN_ID }] },
		);

		expect(result.json).toEqual([
			{ teamId: ENGINEERING, added: [JANE_ID], removed: [], requests: 1, merged: true },
			{ teamId: ENGINEERING, added: [JOHN_ID], removed: [], requests: 1, merged: true },
		]);
		expectAllDone(scope);
	});
});
