import type { INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	expectAllDone,
	FAST,
	JANE_ID,
	listResponse,
	miro,
	SCIM,
	team,
	useNock,
} from '../../helpers/fixtures';

useNock();

const getAll = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'group',
	operation: 'getAll',
	options: FAST,
	...extra,
});

/** Teams 1..n with ids that stay strings. */
const teams = (from: number, to: number) =>
	Array.from({ length: to - from + 1 }, (_, i) =>
		team(`34587645138205409${from + i}`, `Team ${from + i}`),
	);
const simple = (from: number, to: number) =>
	teams(from, to).map((group) => ({ id: group.id, name: group.displayName }));

describe('group > getAll', () => {
	it('asks for Limit teams without members and stops there', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '1', count: '3', attributes: 'id,displayName,meta' })
			.reply(200, listResponse(teams(10, 12), 40));

		const result = await runNode(getAll({ limit: 3 }));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual(simple(10, 12));
		expectAllDone(scope);
	});

	it('pages on after a short page until Limit is reached, asking only for what is left', async () => {
		// Miro may return fewer than `count` (its ServiceProviderConfig says 200): the next page
		// starts after what the last one actually returned.
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '1', count: '5', attributes: 'id,displayName,meta' })
			.reply(200, listResponse(teams(10, 11), 40))
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '3', count: '3', attributes: 'id,displayName,meta' })
			.reply(200, listResponse(teams(12, 13), 40))
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '5', count: '1', attributes: 'id,displayName,meta' })
			.reply(200, listResponse(teams(14, 14), 40));

		const result = await runNode(getAll({ limit: 5 }));

		expect(result.json).toEqual(simple(10, 14));
		expectAllDone(scope);
	});

	it('with Return All pages through to totalResults', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '1', count: '1000', attributes: 'id,displayName,meta' })
			.reply(200, listResponse(teams(10, 11), 5))
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '3', count: '1000', attributes: 'id,displayName,meta' })
			.reply(200, listResponse(teams(12, 13), 5))
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '5', count: '1000', attributes: 'id,displayName,meta' })
			.reply(200, listResponse(teams(14, 14), 5));

		const result = await runNode(getAll({ returnAll: true }));

		expect(result.json).toEqual(simple(10, 14));
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 5 }, () => ({ item: 0 })),
		);
		expectAllDone(scope);
	});

	it('with Return All stops at an empty page when Miro gives no total', async () => {
		const page = (resources: object[]) => ({ Resources: resources });
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '1', count: '1000', attributes: 'id,displayName,meta' })
			.reply(200, page(teams(10, 11)))
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '3', count: '1000', attributes: 'id,displayName,meta' })
			.reply(200, page([]));

		const result = await runNode(getAll({ returnAll: true }));

		expect(result.json).toEqual(simple(10, 11));
		expectAllDone(scope);
	});

	it.each([
		['Name', { name: 'Engineering' }, 'displayName eq "Engineering"'],
		['Name Contains', { nameContains: 'eng' }, 'displayName co "eng"'],
		['Name Contains with a quote', { nameContains: 'R"D' }, 'displayName co "R\\"D"'],
		[
			'both',
			{ name: 'Engineering', nameContains: 'eng' },
			'(displayName eq "Engineering") and (displayName co "eng")',
		],
	])('filters by %s', async (_, filters, filter) => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '1', count: '50', attributes: 'id,displayName,meta', filter })
			.reply(200, listResponse(teams(10, 10)));

		const result = await runNode(getAll({ filters }));

		expect(result.json).toEqual(simple(10, 10));
		expectAllDone(scope);
	});

	it('includes members and returns raw resources when asked', async () => {
		const raw = team('3458764513820540910', 'Team 10', [[JANE_ID, 'Jane Doe']]);
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '1', count: '2' })
			.reply(200, listResponse([raw]));

		const result = await runNode(getAll({ limit: 2, includeMembers: true, simplify: false }));

		expect(result.json).toEqual([raw]);
		expectAllDone(scope);
	});

	it('treats a 404 as no teams', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query({
				startIndex: '1',
				count: '50',
				attributes: 'id,displayName,meta',
				filter: 'displayName eq "Ghosts"',
			})
			.reply(404, { detail: 'No groups' });

		const result = await runNode(getAll({ filters: { name: 'Ghosts' } }));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([]);
		expectAllDone(scope);
	});
});
