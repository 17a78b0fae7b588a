import nock from 'nock';
import type { INodeParameterResourceLocator, INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	ENGINEERING,
	expectAllDone,
	FAST,
	JANE_ID,
	JOHN_ID,
	listResponse,
	miro,
	rl,
	SCIM,
	scimError,
	team,
	useNock,
	groupListing,
} from '../../helpers/fixtures';

useNock();

const get = (
	group: INodeParameterResourceLocator,
	extra: INodeParameters = {},
): INodeParameters => ({
	resource: 'group',
	operation: 'get',
	group,
	options: FAST,
	...extra,
});

const withMembers = team(ENGINEERING, 'Engineering', [
	[JANE_ID, 'Jane Doe'],
	[JOHN_ID, 'John Roe'],
]);

describe('group > get', () => {
	it.each([
		['By ID', rl.id(ENGINEERING)],
		['From List', rl.list(ENGINEERING)],
	])('reads the team with its members (%s)', async (_, locator) => {
		const scope = miro().get(`${SCIM}/Groups/${ENGINEERING}`).reply(200, withMembers);

		const result = await runNode(get(locator));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([
			{
				id: ENGINEERING,
				name: 'Engineering',
				memberCount: 2,
				members: [
					{ id: JANE_ID, display: 'Jane Doe' },
					{ id: JOHN_ID, display: 'John Roe' },
				],
			},
		]);
		expectAllDone(scope);
	});

	it('asks Miro to leave the members out when Include Members is off', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups/${ENGINEERING}`)
			.query({ attributes: 'id,displayName,meta' })
			.reply(200, team(ENGINEERING, 'Engineering'));

		const result = await runNode(get(rl.id(ENGINEERING), { includeMembers: false }));

		expect(result.json).toEqual([{ id: ENGINEERING, name: 'Engineering' }]);
		expectAllDone(scope);
	});

	it('returns the SCIM resource as Miro sent it when Simplify is off', async () => {
		const scope = miro().get(`${SCIM}/Groups/${ENGINEERING}`).reply(200, withMembers);

		const result = await runNode(get(rl.id(ENGINEERING), { simplify: false }));

		expect(result.json).toEqual([withMembers]);
		expectAllDone(scope);
	});

	it('by name without members makes only the name search', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.once()
			.reply(200, listResponse([team(ENGINEERING, 'Engineering')]));

		const result = await runNode(get(rl.name('Engineering'), { includeMembers: false }));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([{ id: ENGINEERING, name: 'Engineering' }]);
		expectAllDone(scope);
	});

	it('by name with members searches, then reads the team by its id', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.reply(200, listResponse([team(ENGINEERING, 'Engineering')]))
			.get(`${SCIM}/Groups/${ENGINEERING}`)
			.reply(200, withMembers);

		const result = await runNode(get(rl.name('Engineering'), { simplify: false }));

		expect(result.json).toEqual([withMembers]);
		expectAllDone(scope);
	});

	it('names "Group (By Name)" when no group has the name', async () => {
		const scope = miro().get(`${SCIM}/Groups`).query(groupListing()).reply(200, listResponse([]));

		const result = await runNode(get(rl.name('Ghosts')));

		expect(result.error?.message).toBe('Group (By Name): no Miro group is named "Ghosts"');
		expectAllDone(scope);
	});

	it.each(['../Users', 'a/b', '12?x=1', '12#frag', '%2e%2e'])(
		'refuses the id %j without sending anything',
		async (value) => {
			const result = await runNode(get(rl.id(value)));

			expect(result.error?.message).toBe(`Group: "${value}" is not a valid ID`);
			expect(nock.pendingMocks()).toEqual([]);
		},
	);

	it("reports a 404 with Miro's detail", async () => {
		const scope = miro()
			.get(`${SCIM}/Groups/${ENGINEERING}`)
			.reply(404, scimError(404, 'Group not found'));

		const result = await runNode(get(rl.id(ENGINEERING)));

		expect(result.error?.message).toBe('Miro has no such user or group');
		expect(result.error?.description).toMatch(/^Miro says: Group not found /);
		expect(result.error?.httpCode).toBe('404');
		expectAllDone(scope);
	});
});
