import type { INodeParameters, INodeParameterResourceLocator } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	expectPatch,
	FAST,
	JANE_ID,
	JANE_SIMPLE,
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

/**
 * Deactivate and Reactivate differ only in the value of `active` they send (setActive.ts): one
 * table of tests, run for each.
 */
describe.each([
	['deactivate', false],
	['reactivate', true],
])('user: %s', (operation, active) => {
	const setActive = (user: INodeParameterResourceLocator, extra: INodeParameters = {}) => ({
		resource: 'user',
		operation,
		user,
		options: FAST,
		...extra,
	});

	it(`sends one PATCH replacing active with ${active}`, async () => {
		const scope = expectPatch(miro(), JANE_ID, [
			{ op: 'Replace', path: 'active', value: active },
		]).reply(200, janeResource({ active }));

		const result = await runNode(setActive(rl.id(JANE_ID)));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, active }]);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('looks the email up, then patches that id; raw output with Simplify off', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "jane.doe@example.com"'))
			.reply(200, listResponse([janeResource({ active: !active })]));
		expectPatch(scope, JANE_ID, [{ op: 'Replace', path: 'active', value: active }]).reply(
			200,
			janeResource({ active }),
		);

		const result = await runNode(setActive(rl.email('jane.doe@example.com'), { simplify: false }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([janeResource({ active })]);
		expect(result.json[0].id).toBe('3074457345618261605');
	});

	it('looks an email up once for several items naming the same user', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "jane.doe@example.com"'))
			.reply(200, listResponse([janeResource()]));
		expectPatch(scope, JANE_ID, [{ op: 'Replace', path: 'active', value: active }])
			.times(2)
			.reply(200, janeResource({ active }));

		const result = await runNode(setActive(rl.email('={{ $json.email }}')), {
			items: [{ email: 'jane.doe@example.com' }, { email: 'JANE.DOE@example.com' }],
		});

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([
			{ ...JANE_SIMPLE, active },
			{ ...JANE_SIMPLE, active },
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('reads the user back when the PATCH answers 204', async () => {
		const scope = expectPatch(miro(), JANE_ID, [
			{ op: 'Replace', path: 'active', value: active },
		]).reply(204);
		scope.get(`${SCIM}/Users/${JANE_ID}`).reply(200, janeResource({ active }));

		const result = await runNode(setActive(rl.id(JANE_ID)));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, active }]);
	});

	it('fails naming the field when no user has the email, without patching', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "gone@example.com"'))
			.reply(404, scimError(404, 'No users found'));

		const result = await runNode(setActive(rl.email('gone@example.com')));

		expect(scope.isDone()).toBe(true);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(
			'User (By Email): no Miro user has the email gone@example.com',
		);
	});

	it('reports a 404 for an unknown id', async () => {
		const scope = expectPatch(miro(), '3074457345618261000', [
			{ op: 'Replace', path: 'active', value: active },
		]).reply(404, scimError(404, 'User not found'));

		const result = await runNode(setActive(rl.id('3074457345618261000')));

		expect(scope.isDone()).toBe(true);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Miro has no such user or group');
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.description).toMatch(/^Miro says: User not found /);
	});
});
