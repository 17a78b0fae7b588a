/**
 * The group directory seen from workflow runs: team names resolved from one listing shared by
 * every execution in the process, kept current by the node's own renames, and re-checked when
 * an id it handed out answers 404. (Its timing rules are tested in test/transport/.)
 */
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
	miroWithBody,
	SCIM,
	scimError,
	rl,
	team,
	useNock,
} from '../../helpers/fixtures';

useNock();

const find = (name: string): INodeParameters => ({
	resource: 'group',
	operation: 'find',
	name,
	options: FAST,
});

const teamId = (i: number) => `3458764513${String(i).padStart(9, '0')}`;

describe('group directory across executions', () => {
	it('two executions naming the same team share one listing', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.once()
			.reply(200, listResponse([team(ENGINEERING, 'Engineering')]));

		const first = await runNode(find('Engineering'));
		const second = await runNode(find('Engineering'));

		expect(first.json).toEqual([{ id: ENGINEERING, name: 'Engineering' }]);
		expect(second.json).toEqual([{ id: ENGINEERING, name: 'Engineering' }]);
		expectAllDone(scope);
	});

	it('concurrent executions share one listing', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.once()
			.delay(50)
			.reply(200, listResponse([team(ENGINEERING, 'Engineering'), team(DESIGN, 'Design')]));

		const results = await Promise.all(
			['Engineering', 'Design', 'Engineering', 'Design'].map(
				async (name) => await runNode(find(name)),
			),
		);

		expect(results.map((result) => result.json[0].id)).toEqual([
			ENGINEERING,
			DESIGN,
			ENGINEERING,
			DESIGN,
		]);
		expectAllDone(scope);
	});

	it('500 distinct team names in one execution cost three listing pages, not 500 searches', async () => {
		const all = Array.from({ length: 2500 }, (_, i) => team(teamId(i), `team-${i}`));
		const page = (startIndex: number) => ({
			...listResponse(all.slice(startIndex - 1, startIndex - 1 + 1000), all.length),
			startIndex,
		});
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing(1))
			.once()
			.reply(200, page(1))
			.get(`${SCIM}/Groups`)
			.query(groupListing(1001))
			.once()
			.reply(200, page(1001))
			.get(`${SCIM}/Groups`)
			.query(groupListing(2001))
			.once()
			.reply(200, page(2001));
		const wanted = Array.from({ length: 500 }, (_, i) => i * 5);

		const result = await runNode(find('={{ $json.team }}'), {
			items: wanted.map((i) => ({ team: `team-${i}` })),
		});

		expect(result.error).toBeUndefined();
		expect(result.json.map((json) => json.id)).toEqual(wanted.map(teamId));
		expectAllDone(scope);
	});

	it("the node's own rename moves the name: found under the new one, without a listing", async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.once()
			.reply(200, listResponse([team(ENGINEERING, 'Engineering')]));
		miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, {
				schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
				Operations: [{ op: 'Replace', path: 'displayName', value: 'g_app_proeng_all' }],
			})
			.reply(204);

		const renamed = await runNode({
			resource: 'group',
			operation: 'rename',
			group: rl.name('Engineering'),
			newName: 'g_app_proeng_all',
			options: FAST,
		});
		const found = await runNode(find('g_app_proeng_all'));
		const old = await runNode(find('Engineering'));

		expect(renamed.json).toEqual([{ id: ENGINEERING, name: 'g_app_proeng_all' }]);
		expect(found.json).toEqual([{ id: ENGINEERING, name: 'g_app_proeng_all' }]);
		expect(old.error?.message).toBe('Group Name: no Miro group is named "Engineering"');
		expectAllDone(scope);
	});

	it('an id that answers 404 lists again and retries once with the id the name has now', async () => {
		// Listed once; then the team was deleted and made again in Miro, under a new id.
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.once()
			.reply(200, listResponse([team(ENGINEERING, 'Engineering')]))
			.get(`${SCIM}/Groups/${ENGINEERING}`)
			.once()
			.reply(404, scimError(404, 'Group not found'))
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.once()
			.reply(200, listResponse([team(DESIGN, 'Engineering')]))
			.get(`${SCIM}/Groups/${DESIGN}`)
			.once()
			.reply(200, team(DESIGN, 'Engineering', []));

		await runNode(find('Engineering'));
		const result = await runNode({
			resource: 'group',
			operation: 'get',
			group: rl.name('Engineering'),
			options: FAST,
		});

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([{ id: DESIGN, name: 'Engineering', memberCount: 0, members: [] }]);
		expectAllDone(scope);
	});

	it('a name gone from the new listing after a 404 is reported as no such team', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.once()
			.reply(200, listResponse([team(ENGINEERING, 'Engineering')]))
			.get(`${SCIM}/Groups/${ENGINEERING}`)
			.once()
			.reply(404, scimError(404, 'Group not found'))
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.once()
			.reply(200, listResponse([]));

		await runNode(find('Engineering'));
		const result = await runNode({
			resource: 'group',
			operation: 'get',
			group: rl.name('Engineering'),
			options: FAST,
		});

		expect(result.error?.message).toBe('Group (By Name): no Miro group is named "Engineering"');
		expectAllDone(scope);
	});
});
