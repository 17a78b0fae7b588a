import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	FAST,
	JANE_SIMPLE,
	janeResource,
	listResponse,
	member,
	miro,
	SCIM,
	scimError,
	useNock,
} from '../../helpers/fixtures';

useNock();

const getAll = (extra: INodeParameters) => ({
	resource: 'user',
	operation: 'getAll',
	options: FAST,
	...extra,
});

const ids = (json: IDataObject[]) => json.map((user) => user.id);

describe('user: getAll', () => {
	it('asks for exactly Limit users and returns them simplified', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query({ startIndex: 1, count: 2 })
			.reply(200, listResponse([janeResource(), member(2)], 40));

		const result = await runNode(getAll({ limit: 2 }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([
			JANE_SIMPLE,
			{
				id: '3074457345618261702',
				email: 'user2@example.com',
				displayName: null,
				givenName: null,
				familyName: null,
				active: true,
				license: null,
				role: null,
				adminRoles: [],
				groups: [],
			},
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
	});

	it('asks only for what the Limit still needs after a short page', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query({ startIndex: 1, count: 5 })
			.reply(200, listResponse([member(1), member(2), member(3)], 10))
			.get(`${SCIM}/Users`)
			.query({ startIndex: 4, count: 2 })
			.reply(200, listResponse([member(4), member(5)], 10, 4));

		const result = await runNode(getAll({ limit: 5, simplify: false }));

		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([member(1), member(2), member(3), member(4), member(5)]);
	});

	it('cuts a page that returns more than Limit', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query({ startIndex: 1, count: 2 })
			.reply(200, listResponse([member(1), member(2), member(3)], 3));

		const result = await runNode(getAll({ limit: 2, simplify: false }));

		expect(scope.isDone()).toBe(true);
		expect(ids(result.json)).toEqual(['3074457345618261701', '3074457345618261702']);
	});

	it('pages through everything with Return All, advancing by what each page returned', async () => {
		// Miro may return fewer than `count` (its ServiceProviderConfig says 200): pages of 3, 2, 2.
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query({ startIndex: 1, count: 1000 })
			.reply(200, listResponse([member(1), member(2), member(3)], 7, 1))
			.get(`${SCIM}/Users`)
			.query({ startIndex: 4, count: 1000 })
			.reply(200, listResponse([member(4), member(5)], 7, 4))
			.get(`${SCIM}/Users`)
			.query({ startIndex: 6, count: 1000 })
			.reply(200, listResponse([member(6), member(7)], 7, 6));

		const result = await runNode(getAll({ returnAll: true, simplify: false }));

		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([1, 2, 3, 4, 5, 6, 7].map(member));
		for (const user of result.json) expect(typeof user.id).toBe('string');
		expect(result.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(
			true,
		);
	});

	it('stops at an empty page when Miro sends no totalResults', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query({ startIndex: 1, count: 1000 })
			.reply(200, { Resources: [member(1), member(2)] })
			.get(`${SCIM}/Users`)
			.query({ startIndex: 3, count: 1000 })
			.reply(200, { Resources: [] });

		const result = await runNode(getAll({ returnAll: true }));

		expect(scope.isDone()).toBe(true);
		expect(ids(result.json)).toEqual(['3074457345618261701', '3074457345618261702']);
	});

	it('combines email, status, team and a raw filter with "and", escaping quote and backslash', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query({
				startIndex: 1,
				count: 10,
				filter:
					'(userName eq "o\\"neil\\\\x@example.com") and (active eq true) and ' +
					'(groups.value eq "3458764513820540928") and (userType eq "Full" or userType eq "Basic")',
			})
			.reply(200, listResponse([janeResource()]));

		const result = await runNode(
			getAll({
				limit: 10,
				filters: {
					email: 'o"neil\\x@example.com',
					active: 'true',
					teamId: '3458764513820540928',
					filter: ' userType eq "Full" or userType eq "Basic" ',
				},
			}),
		);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([JANE_SIMPLE]);
	});

	it.each([
		[{ email: 'jane.doe@example.com' }, 'userName eq "jane.doe@example.com"'],
		[{ active: 'false' }, 'active eq false'],
		[{ active: 'any', teamId: '3458764513820540928' }, 'groups.value eq "3458764513820540928"'],
		[{ filter: 'displayName sw "A"' }, 'displayName sw "A"'],
		[
			{ active: 'false', filter: 'displayName sw "A" or displayName sw "B"' },
			'(active eq false) and (displayName sw "A" or displayName sw "B")',
		],
	])('builds the filter from %j', async (filters, filter) => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query({ startIndex: 1, count: 50, filter })
			.reply(200, listResponse([]));

		const result = await runNode(getAll({ limit: 50, filters }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([]);
	});

	it('sends no filter when every filter is empty or "any"', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query({ startIndex: 1, count: 50 })
			.reply(200, listResponse([]));

		const result = await runNode(
			getAll({ limit: 50, filters: { email: '', active: 'any', teamId: '', filter: '  ' } }),
		);

		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([]);
	});

	it('treats a 404 for no match as an empty result', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query({ startIndex: 1, count: 1000, filter: 'userName eq "gone@example.com"' })
			.reply(404, scimError(404, 'No users found'));

		const result = await runNode(
			getAll({ returnAll: true, filters: { email: 'gone@example.com' } }),
		);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([]);
	});

	it('fails on an error page in the middle instead of returning part of the list', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query({ startIndex: 1, count: 1000 })
			.reply(200, listResponse([member(1)], 2))
			.get(`${SCIM}/Users`)
			.query({ startIndex: 2, count: 1000 })
			.reply(400, scimError(400, 'startIndex out of range'));

		const result = await runNode(getAll({ returnAll: true }));

		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([]);
		expect(result.error?.httpCode).toBe('400');
		expect(result.error?.description).toMatch(/^Miro says: startIndex out of range/);
	});
});
