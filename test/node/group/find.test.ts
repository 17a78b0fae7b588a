import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	DESIGN,
	ENGINEERING,
	expectAllDone,
	FAST,
	groupListing,
	listResponse,
	miro,
	SCIM,
	team,
	useNock,
} from '../../helpers/fixtures';

useNock();

const find = (name: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'group',
	operation: 'find',
	name,
	options: FAST,
	...extra,
});

describe('group > find', () => {
	it('lists the teams once, without members, and returns the simplified team', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.reply(200, listResponse([team(ENGINEERING, 'Engineering')]));

		const result = await runNode(find('Engineering'));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([{ id: ENGINEERING, name: 'Engineering' }]);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expectAllDone(scope);
	});

	it('returns the SCIM resource as Miro sent it when Simplify is off', async () => {
		const raw = team(ENGINEERING, 'Engineering');
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.reply(200, listResponse([raw]));

		const result = await runNode(find('Engineering', { simplify: false }));

		expect(result.json).toEqual([raw]);
		expectAllDone(scope);
	});

	it('picks the team whose name matches exactly when Miro returns several', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.reply(
				200,
				listResponse([team(DESIGN, 'Engineering Ops'), team(ENGINEERING, 'Engineering')]),
			);

		const result = await runNode(find('Engineering'));

		expect(result.json).toEqual([{ id: ENGINEERING, name: 'Engineering' }]);
		expectAllDone(scope);
	});

	it('never answers with a team of another name (case included)', async () => {
		// A near match must never make the node act on the wrong team.
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.reply(
				200,
				listResponse([team(DESIGN, 'Engineering Ops'), team(ENGINEERING, 'engineering')]),
			);

		const result = await runNode(find('Engineering'));

		expect(result.json).toEqual([]);
		expect(result.error?.message).toBe('Team Name: no Miro team is named "Engineering"');
		expectAllDone(scope);
	});

	it.each([
		['an empty list', 200, listResponse([])],
		['a 404', 404, { detail: 'Not found' }],
	])(
		'reports a missing team (%s) as a NodeOperationError naming "Team Name"',
		async (_, status, body) => {
			const scope = miro().get(`${SCIM}/Groups`).query(groupListing()).reply(status, body);

			const result = await runNode(find('Nope'));

			// n8n-workflow ships CommonJS and ESM builds, so compare the class by name.
			expect(result.error?.name).toBe('NodeOperationError');
			expect(result.error?.message).toBe('Team Name: no Miro team is named "Nope"');
			expect(result.error?.description).toContain('create the team in Miro first');
			expectAllDone(scope);
		},
	);

	it('lists once per execution however many items ask for the name', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.once()
			.reply(200, listResponse([team(ENGINEERING, 'Engineering')]));

		const result = await runNode(find('={{ $json.team }}'), {
			items: Array.from({ length: 5 }, () => ({ team: 'Engineering' })),
		});

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual(
			Array.from({ length: 5 }, () => ({ id: ENGINEERING, name: 'Engineering' })),
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
		expectAllDone(scope);
	});

	it('answers every distinct name from one listing', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.once()
			.reply(200, listResponse([team(ENGINEERING, 'Engineering'), team(DESIGN, 'Design')]));

		const result = await runNode(find('={{ $json.team }}'), {
			items: [
				{ team: 'Engineering' },
				{ team: 'Design' },
				{ team: 'Engineering' },
				{ team: 'Design' },
			],
		});

		expect(result.json).toEqual([
			{ id: ENGINEERING, name: 'Engineering' },
			{ id: DESIGN, name: 'Design' },
			{ id: ENGINEERING, name: 'Engineering' },
			{ id: DESIGN, name: 'Design' },
		]);
		expectAllDone(scope);
	});

	it('finds a name with a quote and a backslash without sending it in a filter', async () => {
		const name = 'R&D "Core" \\ Ops';
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.reply(200, listResponse([team(ENGINEERING, name)]));

		const result = await runNode(find('={{ $json.team }}'), { items: [{ team: name }] });

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([{ id: ENGINEERING, name }]);
		expectAllDone(scope);
	});

	it('refuses an empty name without asking Miro', async () => {
		const result = await runNode(find('   '));

		expect(result.error?.message).toBe('Team Name: is empty');
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('reports a missing team on its own item and keeps the others with Continue On Fail', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.once()
			.reply(200, listResponse([team(ENGINEERING, 'Engineering')]));

		const result = await runNode(find('={{ $json.team }}'), {
			items: [{ team: 'Engineering' }, { team: 'Ghosts' }],
			continueOnFail: true,
		});

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([
			{ id: ENGINEERING, name: 'Engineering' },
			{
				error: 'Team Name: no Miro team is named "Ghosts"',
				description:
					'Names must match exactly, including case. Teams cannot be created through SCIM: create the team in Miro first.',
			},
		]);
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expectAllDone(scope);
	});
});
