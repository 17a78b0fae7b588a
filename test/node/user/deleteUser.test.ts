import type { INodeParameters, INodeParameterResourceLocator } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	connectionReset,
	expectNoToken,
	FAST,
	JANE_ID,
	janeResource,
	listResponse,
	lookup,
	miro,
	rl,
	SCIM,
	scimError,
	useNock,
} from '../../helpers/fixtures';

useNock();

const deleteUser = (user: INodeParameterResourceLocator, options: INodeParameters = FAST) => ({
	resource: 'user',
	operation: 'delete',
	user,
	options,
});

describe('user: delete', () => {
	it('sends DELETE and returns { deleted: true, id } on 204', async () => {
		const scope = miro()
			.delete(`${SCIM}/Users/3074457345618261605`)
			.matchHeader('content-type', (value) => value === undefined || value === null)
			.reply(204);

		const result = await runNode(deleteUser(rl.id('3074457345618261605')));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ deleted: true, id: '3074457345618261605' }]);
		expect(typeof result.json[0].id).toBe('string');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('looks the email up, then deletes that id', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "jane.doe@example.com"'))
			.reply(200, listResponse([janeResource()]))
			.delete(`${SCIM}/Users/${JANE_ID}`)
			.reply(204);

		const result = await runNode(deleteUser(rl.email('jane.doe@example.com')));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ deleted: true, id: '3074457345618261605' }]);
	});

	it('fails on a 404 to the first attempt: the id is wrong', async () => {
		const scope = miro()
			.delete(`${SCIM}/Users/${JANE_ID}`)
			.reply(404, scimError(404, 'User not found'));

		const result = await runNode(deleteUser(rl.id(JANE_ID)));

		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([]);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Miro has no such user or team');
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.description).toMatch(/^Miro says: User not found /);
	});

	it('after a dropped connection, a 404 from the check means the DELETE worked: one DELETE only', async () => {
		const scope = miro()
			.delete(`${SCIM}/Users/${JANE_ID}`)
			.replyWithError(connectionReset())
			.get(`${SCIM}/Users/${JANE_ID}`)
			.reply(404, scimError(404, 'User not found'));

		const result = await runNode(deleteUser(rl.id(JANE_ID)));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ deleted: true, id: '3074457345618261605' }]);
		expectNoToken(result.run);
	});

	it('after a 503, resends the DELETE when the user still exists', async () => {
		const scope = miro()
			.delete(`${SCIM}/Users/${JANE_ID}`)
			.reply(503, scimError(503, 'Unavailable'))
			.get(`${SCIM}/Users/${JANE_ID}`)
			.reply(200, janeResource())
			.delete(`${SCIM}/Users/${JANE_ID}`)
			.reply(204);

		const result = await runNode(deleteUser(rl.id(JANE_ID)));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ deleted: true, id: '3074457345618261605' }]);
	});

	it('a 404 to a resend after an uncertain attempt counts as done once the check confirms it', async () => {
		const scope = miro()
			.delete(`${SCIM}/Users/${JANE_ID}`)
			.reply(502, 'Bad Gateway')
			.get(`${SCIM}/Users/${JANE_ID}`)
			.reply(200, janeResource())
			.delete(`${SCIM}/Users/${JANE_ID}`)
			.reply(404, scimError(404, 'User not found'))
			.get(`${SCIM}/Users/${JANE_ID}`)
			.reply(404, scimError(404, 'User not found'));

		const result = await runNode(deleteUser(rl.id(JANE_ID)));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ deleted: true, id: '3074457345618261605' }]);
	});

	it('reports a 409 for the last admin and does not retry it', async () => {
		const scope = miro()
			.delete(`${SCIM}/Users/${JANE_ID}`)
			.reply(409, scimError(409, 'The last admin of the organization cannot be deleted'));

		const result = await runNode(deleteUser(rl.id(JANE_ID)));

		expect(scope.isDone()).toBe(true);
		expect(result.error?.message).toBe('Miro reported a conflict');
		expect(result.error?.httpCode).toBe('409');
		expect(result.error?.description).toMatch(
			/^Miro says: The last admin of the organization cannot be deleted /,
		);
	});
});
