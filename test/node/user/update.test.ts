import type { INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	ENTERPRISE,
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

const update = (updateFields: INodeParameters, extra: INodeParameters = {}) => ({
	resource: 'user',
	operation: 'update',
	user: rl.id(JANE_ID),
	updateFields,
	options: FAST,
	...extra,
});

describe('user: update', () => {
	it('sends one PATCH with a replace operation per field, in a stable order', async () => {
		const updated = janeResource({ userName: 'jane.smith@example.com', displayName: 'Jane Smith' });
		const scope = expectPatch(miro(), JANE_ID, [
			{ op: 'Replace', path: 'userName', value: 'jane.smith@example.com' },
			{ op: 'Replace', path: 'name.givenName', value: 'Jane' },
			{ op: 'Replace', path: 'name.familyName', value: 'Smith' },
			{ op: 'Replace', path: 'displayName', value: 'Jane Smith' },
			{ op: 'Replace', path: 'userType', value: 'Advanced' },
			{ op: 'Replace', path: 'preferredLanguage', value: 'en_US' },
			{ op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'E-2002' },
			{ op: 'Replace', path: `${ENTERPRISE}:costCenter`, value: 'CC-7' },
			{ op: 'Replace', path: `${ENTERPRISE}:organization`, value: 'Example Corp' },
			{ op: 'Replace', path: `${ENTERPRISE}:division`, value: 'Platform' },
			{
				op: 'Replace',
				path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
				value: 'Sales',
			},
			{
				op: 'Replace',
				path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value',
				value: '3074457345618261799',
			},
			{ op: 'Replace', path: `${ENTERPRISE}:manager.displayName`, value: 'Max Boss' },
			{ op: 'Replace', path: 'roles[primary eq true].value', value: 'ORGANIZATION_INTERNAL_USER' },
		]).reply(200, updated);

		const result = await runNode(
			update({
				userName: 'jane.smith@example.com',
				givenName: 'Jane',
				familyName: 'Smith',
				displayName: 'Jane Smith',
				userType: 'Advanced',
				preferredLanguage: 'en_US',
				employeeNumber: 'E-2002',
				costCenter: 'CC-7',
				organization: 'Example Corp',
				division: 'Platform',
				department: 'Sales',
				managerId: '3074457345618261799',
				managerDisplayName: 'Max Boss',
				orgRole: 'ORGANIZATION_INTERNAL_USER',
			}),
		);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([
			{ ...JANE_SIMPLE, email: 'jane.smith@example.com', displayName: 'Jane Smith' },
		]);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('sends only the fields that have a value; raw output with Simplify off', async () => {
		const scope = expectPatch(miro(), JANE_ID, [
			{ op: 'Replace', path: 'displayName', value: 'JD' },
		]).reply(200, janeResource({ displayName: 'JD' }));

		const result = await runNode(
			update({ displayName: ' JD ', givenName: '', department: '  ' }, { simplify: false }),
		);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([janeResource({ displayName: 'JD' })]);
	});

	it.each([
		['204 without a body', 204, undefined],
		['200 with an empty body', 200, ''],
	])('reads the user back when the PATCH answers %s', async (_, status, body) => {
		const scope = expectPatch(miro(), JANE_ID, [
			{ op: 'Replace', path: 'userType', value: 'Advanced' },
		]).reply(status, body);
		scope.get(`${SCIM}/Users/${JANE_ID}`).reply(200, janeResource({ userType: 'Advanced' }));

		const result = await runNode(update({ userType: 'Advanced' }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, license: 'Advanced' }]);
	});

	it('finds the user by email first, then patches that id', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "jane.doe@example.com"'))
			.reply(200, listResponse([janeResource()]));
		expectPatch(scope, JANE_ID, [
			{ op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Sales' },
		]).reply(200, janeResource({ [ENTERPRISE]: { department: 'Sales' } }));

		const result = await runNode(
			update({ department: 'Sales' }, { user: rl.email('jane.doe@example.com') }),
		);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		const expected: Record<string, unknown> = { ...JANE_SIMPLE, department: 'Sales' };
		delete expected.employeeNumber;
		delete expected.manager;
		expect(result.json).toEqual([expected]);
	});

	it('fails naming the field when no user has the email, without patching', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "nobody@example.com"'))
			.reply(200, listResponse([]));

		const result = await runNode(
			update({ department: 'Sales' }, { user: rl.email('nobody@example.com') }),
		);

		expect(scope.isDone()).toBe(true);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(
			'User (By Email): no Miro user has the email nobody@example.com',
		);
	});

	it.each([
		['no fields', {}, rl.id(JANE_ID)],
		['only blank fields', { displayName: '  ', department: '', managerId: '' }, rl.id(JANE_ID)],
		['no fields, user by email', {}, rl.email('jane.doe@example.com')],
	])('fails before any request when there is nothing to update (%s)', async (_, fields, user) => {
		const result = await runNode(update(fields, { user }));

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe('Update Fields: nothing to change');
		expect(result.error?.description).toContain('Add at least one field');
	});

	it('retries the PATCH after a 503: a replace is safe to repeat', async () => {
		const ops = [{ op: 'Replace', path: 'displayName', value: 'Jane Doe' }];
		const scope = expectPatch(miro(), JANE_ID, ops).reply(503, scimError(503, 'Unavailable'));
		expectPatch(scope, JANE_ID, ops).reply(200, janeResource());

		const result = await runNode(update({ displayName: 'Jane Doe' }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([JANE_SIMPLE]);
	});

	it('maps a 409 for a deactivated user', async () => {
		const scope = expectPatch(miro(), JANE_ID, [
			{ op: 'Replace', path: 'userType', value: 'Full' },
		]).reply(409, scimError(409, 'User is deactivated; userType cannot change', 'mutability'));

		const result = await runNode(update({ userType: 'Full' }));

		expect(scope.isDone()).toBe(true);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Miro reported a conflict');
		expect(result.error?.httpCode).toBe('409');
		expect(result.error?.description).toMatch(
			/^Miro says: User is deactivated; userType cannot change /,
		);
	});
});
