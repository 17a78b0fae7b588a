import type { INodeParameters } from 'n8n-workflow';
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

const updateRole = (extra: INodeParameters) => ({
	resource: 'user',
	operation: 'updateRole',
	user: rl.id(JANE_ID),
	options: FAST,
	...extra,
});

const adminRole = (value: string) => ({ type: 'organization_admin_role', value, primary: false });
const ORG_USER = {
	type: 'organization_user_role',
	value: 'ORGANIZATION_INTERNAL_USER',
	primary: true,
};

describe('user: updateRole', () => {
	it('sets the organization role with a replace on the primary role', async () => {
		const admin = janeResource({
			roles: [{ ...ORG_USER, value: 'ORGANIZATION_INTERNAL_ADMIN' }],
		});
		const scope = miro().get(`${SCIM}/Users/${JANE_ID}`).reply(200, janeResource());
		expectPatch(scope, JANE_ID, [
			{ op: 'Replace', path: 'roles[primary eq true].value', value: 'ORGANIZATION_INTERNAL_ADMIN' },
		]).reply(200, admin);

		const result = await runNode(updateRole({ orgRole: 'ORGANIZATION_INTERNAL_ADMIN' }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([
			{ ...JANE_SIMPLE, role: 'ORGANIZATION_INTERNAL_ADMIN', adminRoles: [] },
		]);
	});

	it('adds admin roles in one add operation', async () => {
		const scope = expectPatch(miro(), JANE_ID, [
			{
				op: 'Add',
				path: 'roles',
				value: [
					{ type: 'organization_admin_role', value: 'Content Admin', primary: false },
					{ type: 'organization_admin_role', value: 'User Admin', primary: false },
				],
			},
		]).reply(
			200,
			janeResource({ roles: [ORG_USER, adminRole('Content Admin'), adminRole('User Admin')] }),
		);

		const result = await runNode(updateRole({ addAdminRoles: ['Content Admin', 'User Admin'] }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json[0].adminRoles).toEqual(['Content Admin', 'User Admin']);
		expect(result.json[0].role).toBe('ORGANIZATION_INTERNAL_USER');
	});

	it('removes an admin role with a value filter path', async () => {
		const scope = expectPatch(miro(), JANE_ID, [
			{ op: 'Remove', path: 'roles[value eq "Content Admin"]' },
		]).reply(200, janeResource({ roles: [ORG_USER] }));

		const result = await runNode(updateRole({ removeAdminRoles: ['Content Admin'] }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json[0].adminRoles).toEqual([]);
	});

	it('combines role, preset and custom roles: replace, one add, one remove each, de-duplicated', async () => {
		const after = janeResource({
			roles: [
				{ ...ORG_USER, value: 'ORGANIZATION_INTERNAL_ADMIN' },
				adminRole('Security Admin'),
				adminRole('Board Auditor'),
				adminRole('Template Manager'),
			],
		});
		const scope = miro().get(`${SCIM}/Users/${JANE_ID}`).reply(200, janeResource());
		expectPatch(scope, JANE_ID, [
			{ op: 'Replace', path: 'roles[primary eq true].value', value: 'ORGANIZATION_INTERNAL_ADMIN' },
			{
				op: 'Add',
				path: 'roles',
				value: [
					adminRole('Security Admin'),
					adminRole('Board Auditor'),
					adminRole('Template Manager'),
				],
			},
			{ op: 'Remove', path: 'roles[value eq "Content Admin"]' },
			{ op: 'Remove', path: 'roles[value eq "Old \\"Legacy\\" Role"]' },
		]).reply(200, after);

		const result = await runNode(
			updateRole({
				orgRole: 'ORGANIZATION_INTERNAL_ADMIN',
				addAdminRoles: ['Security Admin'],
				removeAdminRoles: ['Content Admin'],
				customAdminRoles: {
					add: ' Board Auditor, Template Manager ,Security Admin,, ',
					remove: 'Old "Legacy" Role',
				},
				simplify: false,
			}),
		);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([after]);
	});

	it('finds the user by email before patching', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "jane.doe@example.com"'))
			.reply(200, listResponse([janeResource()]));
		scope.get(`${SCIM}/Users/${JANE_ID}`).reply(200, janeResource());
		expectPatch(scope, JANE_ID, [
			{ op: 'Replace', path: 'roles[primary eq true].value', value: 'ORGANIZATION_INTERNAL_USER' },
		]).reply(200, janeResource());

		const result = await runNode(
			updateRole({ user: rl.email('jane.doe@example.com'), orgRole: 'ORGANIZATION_INTERNAL_USER' }),
		);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([JANE_SIMPLE]);
	});

	it.each([
		[{ addAdminRoles: ['Content Admin'], removeAdminRoles: ['Content Admin'] }, 'Content Admin'],
		[{ addAdminRoles: ['User Admin'], customAdminRoles: { remove: 'User Admin' } }, 'User Admin'],
	])('refuses a role both added and removed, before any request (%j)', async (roles, role) => {
		const result = await runNode(updateRole({ user: rl.email('jane.doe@example.com'), ...roles }));

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(`Admin Roles: "${role}" is both added and removed`);
	});

	it('refuses a call that changes nothing, before any request', async () => {
		const result = await runNode(
			updateRole({
				orgRole: 'keep',
				addAdminRoles: [],
				removeAdminRoles: [],
				customAdminRoles: { add: ' , ', remove: '' },
			}),
		);

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe('Organization Role: nothing to change');
	});

	it('after a lost answer to a removal, reads the user and stops if the change is in place', async () => {
		const scope = expectPatch(miro(), JANE_ID, [
			{ op: 'Remove', path: 'roles[value eq "Content Admin"]' },
		]).reply(503, scimError(503, 'Unavailable'));
		scope.get(`${SCIM}/Users/${JANE_ID}`).reply(200, janeResource({ roles: [ORG_USER] }));

		const result = await runNode(updateRole({ removeAdminRoles: ['Content Admin'] }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, adminRoles: [] }]);
	});

	it('after a lost answer to a removal, resends when the role is still there', async () => {
		const ops = [{ op: 'Remove', path: 'roles[value eq "Content Admin"]' }];
		const scope = expectPatch(miro(), JANE_ID, ops).replyWithError(
			Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
		);
		scope.get(`${SCIM}/Users/${JANE_ID}`).reply(200, janeResource());
		expectPatch(scope, JANE_ID, ops).reply(200, janeResource({ roles: [ORG_USER] }));

		const result = await runNode(updateRole({ removeAdminRoles: ['Content Admin'] }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json[0].adminRoles).toEqual([]);
	});
	it('adds a primary role, instead of replacing one, when the user has none', async () => {
		const bare = janeResource({ roles: [] });
		const scope = miro().get(`${SCIM}/Users/${JANE_ID}`).reply(200, bare);
		expectPatch(scope, JANE_ID, [
			{
				op: 'Add',
				path: 'roles',
				value: [
					{ type: 'organization_user_role', value: 'ORGANIZATION_INTERNAL_ADMIN', primary: true },
				],
			},
		]).reply(200, janeResource({ roles: [{ ...ORG_USER, value: 'ORGANIZATION_INTERNAL_ADMIN' }] }));

		const result = await runNode(updateRole({ orgRole: 'ORGANIZATION_INTERNAL_ADMIN' }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json[0].role).toBe('ORGANIZATION_INTERNAL_ADMIN');
	});

	it('fails clearly when the server answers 204 but the role is unchanged', async () => {
		const scope = miro().get(`${SCIM}/Users/${JANE_ID}`).reply(200, janeResource());
		expectPatch(scope, JANE_ID, [
			{ op: 'Replace', path: 'roles[primary eq true].value', value: 'ORGANIZATION_INTERNAL_ADMIN' },
		]).reply(204);
		scope.get(`${SCIM}/Users/${JANE_ID}`).reply(200, janeResource());

		const result = await runNode(updateRole({ orgRole: 'ORGANIZATION_INTERNAL_ADMIN' }));

		expect(scope.isDone()).toBe(true);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(
			"Miro accepted the role change, but the user's roles did not change",
		);
		expect(result.error?.description).toMatch(
			/^Still missing: organization role ORGANIZATION_INTERNAL_ADMIN \(found ORGANIZATION_INTERNAL_USER\)\./,
		);
	});

	it('fails clearly when a 200 answer still shows a removed admin role', async () => {
		const scope = expectPatch(miro(), JANE_ID, [
			{ op: 'Remove', path: 'roles[value eq "Content Admin"]' },
		]).reply(200, janeResource());

		const result = await runNode(updateRole({ removeAdminRoles: ['Content Admin'] }));

		expect(scope.isDone()).toBe(true);
		expect(result.error?.description).toMatch(
			/^Still missing: admin role "Content Admin" removed\./,
		);
	});
});
