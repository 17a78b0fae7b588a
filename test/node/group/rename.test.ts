import nock from 'nock';
import type { INodeParameterResourceLocator, INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	ENGINEERING,
	expectAllDone,
	FAST,
	listResponse,
	miro,
	miroWithBody,
	rl,
	SCIM,
	scimError,
	team,
	useNock,
	groupListing,
} from '../../helpers/fixtures';

useNock();

const rename = (
	group: INodeParameterResourceLocator,
	newName: string,
	extra: INodeParameters = {},
): INodeParameters => ({
	resource: 'group',
	operation: 'rename',
	group,
	newName,
	options: FAST,
	...extra,
});

const RENAME_BODY = {
	schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
	Operations: [{ op: 'Replace', path: 'displayName', value: 'g_app_proeng_all' }],
};

describe('group > rename', () => {
	it('sends one replace of displayName and returns the team Miro answers with', async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, RENAME_BODY)
			.reply(200, team(ENGINEERING, 'g_app_proeng_all'));

		const result = await runNode(rename(rl.id(ENGINEERING), 'g_app_proeng_all'));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([{ id: ENGINEERING, name: 'g_app_proeng_all' }]);
		expectAllDone(scope);
	});

	it('handles a 204 without a body', async () => {
		const scope = miroWithBody().patch(`${SCIM}/Groups/${ENGINEERING}`, RENAME_BODY).reply(204);

		const simplified = await runNode(rename(rl.id(ENGINEERING), 'g_app_proeng_all'));
		expect(simplified.error).toBeUndefined();
		expect(simplified.json).toEqual([{ id: ENGINEERING, name: 'g_app_proeng_all' }]);
		expectAllDone(scope);

		const again = miroWithBody().patch(`${SCIM}/Groups/${ENGINEERING}`, RENAME_BODY).reply(204);
		const raw = await runNode(rename(rl.id(ENGINEERING), 'g_app_proeng_all', { simplify: false }));
		expect(raw.json).toEqual([{ id: ENGINEERING, displayName: 'g_app_proeng_all' }]);
		expectAllDone(again);
	});

	it('finds the team by its current name first', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query(groupListing())
			.reply(200, listResponse([team(ENGINEERING, 'Product Engineering')]));
		const patch = miroWithBody().patch(`${SCIM}/Groups/${ENGINEERING}`, RENAME_BODY).reply(204);

		const result = await runNode(rename(rl.name('Product Engineering'), '  g_app_proeng_all  '));

		expect(result.json).toEqual([{ id: ENGINEERING, name: 'g_app_proeng_all' }]);
		expectAllDone(scope, patch);
	});

	it('refuses an empty new name without sending anything', async () => {
		const result = await runNode(rename(rl.id(ENGINEERING), ' '));

		expect(result.error?.message).toBe('New Name: is empty');
		expect(nock.pendingMocks()).toEqual([]);
	});

	it("reports a refused rename with Miro's detail", async () => {
		const scope = miroWithBody()
			.patch(`${SCIM}/Groups/${ENGINEERING}`, RENAME_BODY)
			.reply(409, scimError(409, 'A team with this name already exists', 'uniqueness'));

		const result = await runNode(rename(rl.id(ENGINEERING), 'g_app_proeng_all'), {
			continueOnFail: true,
		});

		expect(result.json).toHaveLength(1);
		expect(result.json[0].httpCode).toBe('409');
		expect(result.json[0].description).toMatch(/^Miro says: A team with this name already exists/);
		expectAllDone(scope);
	});
});
