import nock from 'nock';
import type { INodeParameterResourceLocator, INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	ENGINEERING,
	expectAllDone,
	groupListing,
	FAST,
	listResponse,
	miro,
	rl,
	SCIM,
	scimError,
	team,
	useNock,
} from '../../helpers/fixtures';

useNock();

const remove = (group: INodeParameterResourceLocator): INodeParameters => ({
	resource: 'group',
	operation: 'delete',
	group,
	options: FAST,
});

const CHECK = { attributes: 'id,displayName,meta' };

describe('group > delete on the user-group model', () => {
	it('deletes by ID', async () => {
		const scope = miro().delete(`${SCIM}/Groups/${ENGINEERING}`).reply(204);

		const result = await runNode(remove(rl.id(ENGINEERING)));

		expect(result.error).toBeUndefined();
		// By ID, without a listing this process made, the node knows no name (and asks none).
		expect(result.json).toEqual([{ deleted: true, id: ENGINEERING, name: null }]);
		expectAllDone(scope);
	});

	it('names a group picked from the list by the name the picker showed', async () => {
		const scope = miro().delete(`${SCIM}/Groups/${ENGINEERING}`).reply(204);

		const result = await runNode(
			remove({ ...rl.list(ENGINEERING), cachedResultName: 'Engineering' }),
		);

		expect(result.json).toEqual([{ deleted: true, id: ENGINEERING, name: 'Engineering' }]);
		expectAllDone(scope);
	});

	it('deletes by exact name', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.reply(200, listResponse([team(ENGINEERING, 'Engineering')]))
			.delete(`${SCIM}/Groups/${ENGINEERING}`)
			.reply(204);

		const result = await runNode(remove(rl.name('Engineering')));

		expect(result.json).toEqual([{ deleted: true, id: ENGINEERING, name: 'Engineering' }]);
		expectAllDone(scope);
	});

	it('reports a 404 on the first attempt as a missing group', async () => {
		const scope = miro()
			.delete(`${SCIM}/Groups/${ENGINEERING}`)
			.reply(404, scimError(404, 'Group not found'));

		const result = await runNode(remove(rl.id(ENGINEERING)));

		expect(result.error?.message).toBe('Miro has no such user or group');
		expect(result.error?.httpCode).toBe('404');
		expectAllDone(scope);
	});

	it('after a lost answer, a group that is gone (404) means the attempt worked', async () => {
		const scope = miro()
			.delete(`${SCIM}/Groups/${ENGINEERING}`)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.get(`${SCIM}/Groups/${ENGINEERING}`)
			.query(CHECK)
			.reply(404, scimError(404, 'Group not found'));

		const result = await runNode(remove(rl.id(ENGINEERING)));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([{ deleted: true, id: ENGINEERING, name: null }]);
		expectAllDone(scope);
	});

	it('after a 503 whose group is still there, deletes again', async () => {
		const scope = miro()
			.delete(`${SCIM}/Groups/${ENGINEERING}`)
			.reply(503, scimError(503, 'Unavailable'))
			.get(`${SCIM}/Groups/${ENGINEERING}`)
			.query(CHECK)
			.reply(200, team(ENGINEERING, 'Engineering'))
			.delete(`${SCIM}/Groups/${ENGINEERING}`)
			.reply(204);

		const result = await runNode(remove(rl.id(ENGINEERING)));

		expect(result.error).toBeUndefined();
		expectAllDone(scope);
	});
});

describe('group > delete on the team model', () => {
	it('maps the 405 refusal to the team-model message, with Miro detail', async () => {
		const scope = miro()
			.delete(`${SCIM}/Groups/${ENGINEERING}`)
			.reply(405, scimError(405, 'DELETE /Groups/{id} is not supported'));

		const result = await runNode(remove(rl.id(ENGINEERING)));

		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe(
			'Miro refused to delete the group: this organization maps SCIM groups to teams',
		);
		expect(result.error?.description).toBe(
			'Miro says: DELETE /Groups/{id} is not supported Delete the team in Miro, or ask Miro to move the organization to the user-group model.',
		);
		expectAllDone(scope);
	});

	it('refuses an ID with a slash before any request', async () => {
		const result = await runNode(remove(rl.id('12/34')));

		expect(result.error?.message).toBe('Group: "12/34" is not a valid ID');
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('group > delete and the group directory', () => {
	it('a deleted group is no longer found by name, without listing again', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.reply(200, listResponse([team(ENGINEERING, 'Engineering')]))
			.delete(`${SCIM}/Groups/${ENGINEERING}`)
			.reply(204);

		expect((await runNode(remove(rl.name('Engineering')))).error).toBeUndefined();
		const found = await runNode({
			resource: 'group',
			operation: 'find',
			name: 'Engineering',
			options: FAST,
		});

		expect(found.error?.message).toBe('Group Name: no Miro group is named "Engineering"');
		expectAllDone(scope);
	});
});
