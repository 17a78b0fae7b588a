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

const deactivate = (user: INodeParameterResourceLocator, extra: INodeParameters = {}) => ({
	resource: 'user',
	operation: 'deactivate',
	user,
	options: FAST,
	...extra,
});

describe('user: deactivate', () => {
	it('sends one PATCH replacing active with false', async () => {
		const scope = expectPatch(miro(), JANE_ID, [
			{ op: 'Replace', path: 'active', value: false },
		]).reply(200, janeResource({ active: false }));

		const result = await runNode(deactivate(rl.id(JANE_ID)));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, active: false }]);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('looks the email up, then patches that id; raw output with Simplify off', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "jane.doe@example.com"'))
			.reply(200, listResponse([janeResource({ active: true })]));
		expectPatch(scope, JANE_ID, [{ op: 'Replace', path: 'active', value: false }]).reply(
			200,
			janeResource({ active: false }),
		);

		const result = await runNode(deactivate(rl.email('jane.doe@example.com'), { simplify: false }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([janeResource({ active: false })]);
		expect(result.json[0].id).toBe('3074457345618261605');
	});

	it('looks an email up once for several items naming the same user', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "jane.doe@example.com"'))
			.reply(200, listResponse([janeResource()]));
		expectPatch(scope, JANE_ID, [{ op: 'Replace', path: 'active', value: false }])
			.times(2)
			.reply(200, janeResource({ active: false }));

		const result = await runNode(deactivate(rl.email('={{ $json.email }}')), {
			items: [{ email: 'jane.doe@example.com' }, { email: 'JANE.DOE@example.com' }],
		});

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([
			{ ...JANE_SIMPLE, active: false },
			{ ...JANE_SIMPLE, active: false },
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('reads the user back when the PATCH answers 204', async () => {
		const scope = expectPatch(miro(), JANE_ID, [
			{ op: 'Replace', path: 'active', value: false },
		]).reply(204);
		scope.get(`${SCIM}/Users/${JANE_ID}`).reply(200, janeResource({ active: false }));

		const result = await runNode(deactivate(rl.id(JANE_ID)));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, active: false }]);
	});

	it('fails naming the field when no user has the email, without patching', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "gone@example.com"'))
			.reply(404, scimError(404, 'No users found'));

		const result = await runNode(deactivate(rl.email('gone@example.com')));

		expect(scope.isDone()).toBe(true);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(
			'User (By Email): no Miro user has the email gone@example.com',
		);
	});

	it('reports a 404 for an unknown id', async () => {
		const scope = expectPatch(miro(), '3074457345618261000', [
			{ op: 'Replace', path: 'active', value: false },
		]).reply(404, scimError(404, 'User not found'));

		const result = await runNode(deactivate(rl.id('3074457345618261000')));

		expect(scope.isDone()).toBe(true);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Miro has no such user or group');
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.description).toMatch(/^Miro says: User not found /);
	});
});
