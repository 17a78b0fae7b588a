import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	CORE_SCHEMA,
	expectPost,
	FAST,
	JANE_ID,
	JOHN_ID,
	miro,
	rl,
	SCIM,
	scimError,
	useNock,
} from '../../helpers/fixtures';

useNock();

const postBody = (userName: string, givenName: string) => ({
	schemas: [CORE_SCHEMA],
	userName,
	name: { givenName, familyName: 'Doe' },
	active: true,
});

const created = (id: string, userName: string, givenName: string) => ({
	id,
	userName,
	name: { givenName, familyName: 'Doe' },
	active: true,
});

describe('user: Continue On Fail', () => {
	it('turns an invalid middle item into an error item and creates the others', async () => {
		const scope = expectPost(miro(), postBody('jane@example.com', 'Jane')).reply(
			201,
			created(JANE_ID, 'jane@example.com', 'Jane'),
		);
		expectPost(scope, postBody('john@example.com', 'John')).reply(
			201,
			created(JOHN_ID, 'john@example.com', 'John'),
		);

		const result = await runNode(
			{
				resource: 'user',
				operation: 'create',
				email: '={{ $json.email }}',
				givenName: '={{ $json.first }}',
				familyName: 'Doe',
				ifExists: 'fail',
				simplify: false,
				options: FAST,
			},
			{
				continueOnFail: true,
				items: [
					{ email: 'jane@example.com', first: 'Jane' },
					{ email: 'not-an-email', first: 'Nobody' },
					{ email: 'john@example.com', first: 'John' },
				],
			},
		);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.items).toEqual([
			{
				json: { ...created(JANE_ID, 'jane@example.com', 'Jane'), created: true },
				pairedItem: { item: 0 },
			},
			{
				json: {
					error: 'Email: "not-an-email" is not an email address',
					description:
						'Miro identifies users by email (userName). Use an address like name@company.com in "Email".',
				},
				pairedItem: { item: 1 },
			},
			{
				json: { ...created(JOHN_ID, 'john@example.com', 'John'), created: true },
				pairedItem: { item: 2 },
			},
		]);
	});

	it("turns a 404 for the middle item into an error item with httpCode and Miro's detail", async () => {
		const scope = miro()
			.get(`${SCIM}/Users/${JANE_ID}`)
			.reply(200, { id: JANE_ID, userName: 'jane@example.com' })
			.get(`${SCIM}/Users/3074457345618261000`)
			.reply(404, scimError(404, 'User 3074457345618261000 not found'))
			.get(`${SCIM}/Users/${JOHN_ID}`)
			.reply(200, { id: JOHN_ID, userName: 'john@example.com' });

		const result = await runNode(
			{
				resource: 'user',
				operation: 'get',
				user: rl.id('={{ $json.id }}'),
				simplify: false,
				options: FAST,
			},
			{
				continueOnFail: true,
				items: [{ id: JANE_ID }, { id: '3074457345618261000' }, { id: JOHN_ID }],
			},
		);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.items).toHaveLength(3);
		expect(result.items[0]).toEqual({
			json: { id: '3074457345618261605', userName: 'jane@example.com' },
			pairedItem: { item: 0 },
		});
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(result.items[1].json).toEqual({
			error: 'Miro has no such user or group',
			description: expect.stringMatching(/^Miro says: User 3074457345618261000 not found /),
			httpCode: '404',
		});
		expect(result.items[2]).toEqual({
			json: { id: '3074457345618261606', userName: 'john@example.com' },
			pairedItem: { item: 2 },
		});
		expect(JSON.stringify(result.run)).not.toContain('test-token');
	});

	it('without Continue On Fail, the node fails and the error names the item', async () => {
		const scope = miro()
			.get(`${SCIM}/Users/${JANE_ID}`)
			.reply(200, { id: JANE_ID, userName: 'jane@example.com' })
			.get(`${SCIM}/Users/3074457345618261000`)
			.reply(404, scimError(404, 'User not found'));

		const result = await runNode(
			{
				resource: 'user',
				operation: 'get',
				user: rl.id('={{ $json.id }}'),
				options: { ...FAST, concurrency: 1 },
			},
			{ items: [{ id: JANE_ID }, { id: '3074457345618261000' }, { id: JOHN_ID }] },
		);

		// Concurrency 1: the third item is never started once the second has failed.
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([]);
		expect(result.error?.httpCode).toBe('404');
		expect((result.error?.context as { itemIndex?: number }).itemIndex).toBe(1);
	});
});
