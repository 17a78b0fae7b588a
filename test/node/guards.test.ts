/**
 * The guard rails for agent-driven workflows (Options > Protect Admins, Max Users per Item),
 * run through n8n's engine. A refusal sends no write: the tests leave nock without an
 * interceptor for one, so any request beyond the read a check needs fails the test by name.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { isAdmin, readGuardRails } from '../../nodes/MiroScim/actions/guards';
import { runNode } from '../helpers/harness';
import {
	exactly,
	expectPatch,
	FAST,
	JANE_ID,
	janeResource,
	memberBody,
	miro,
	rl,
	SCIM,
	useNock,
} from '../helpers/fixtures';

useNock();

const USER_ROLE = {
	type: 'organization_user_role',
	value: 'ORGANIZATION_INTERNAL_USER',
	primary: true,
};
const ADMIN_ROLE = { ...USER_ROLE, value: 'ORGANIZATION_INTERNAL_ADMIN' };
const plainUser = (extra: IDataObject = {}) => janeResource({ roles: [USER_ROLE], ...extra });
const orgAdmin = () => janeResource({ roles: [ADMIN_ROLE] });
/** janeResource() holds the Content Admin role. */
const contentAdmin = () => janeResource();

const GUARDED = { ...FAST, protectAdmins: true };

const userOp = (
	operation: string,
	extra: INodeParameters = {},
	options: INodeParameters = GUARDED,
) => ({
	resource: 'user',
	operation,
	user: rl.id(JANE_ID),
	options,
	...extra,
});

describe('isAdmin', () => {
	it.each([
		['an organization admin', orgAdmin(), true],
		['a user holding an admin role', contentAdmin(), true],
		['a plain user', plainUser(), false],
		['a user without roles', janeResource({ roles: undefined }), false],
	])('%s: %s', (_name, user, expected) => {
		expect(isAdmin(user)).toBe(expected);
	});
});

describe('Protect Admins', () => {
	it.each([
		['deactivate', {}],
		['delete', {}],
		['update', { updateFields: { displayName: 'Someone Else' } }],
		['updateRole', { removeAdminRoles: ['Content Admin'] }],
	])('%s: reads the user, refuses an admin, and writes nothing', async (operation, extra) => {
		for (const admin of [orgAdmin(), contentAdmin()]) {
			const scope = miro().get(`${SCIM}/Users/${JANE_ID}`).reply(200, admin);
			const result = await runNode(userOp(operation, extra));
			expect(scope.isDone()).toBe(true);
			expect(result.error?.message).toMatch(
				/^Refused: jane\.doe@example\.com is a Miro organization admin, and this node does not .+ admins\. Do not retry with another value for this user; .+ Nothing was changed\.$/,
			);
		}
	});

	it('deactivates a user who is not an admin: one read, then the PATCH', async () => {
		const scope = miro().get(`${SCIM}/Users/${JANE_ID}`).reply(200, plainUser());
		expectPatch(scope, JANE_ID, [{ op: 'Replace', path: 'active', value: false }]).reply(
			200,
			plainUser({ active: false }),
		);
		const result = await runNode(userOp('deactivate'));
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json[0]).toMatchObject({ id: JANE_ID, active: false });
	});

	it('reactivates an admin (giving access back is not guarded) without reading first', async () => {
		const scope = expectPatch(miro(), JANE_ID, [
			{ op: 'Replace', path: 'active', value: true },
		]).reply(200, orgAdmin());
		const result = await runNode(userOp('reactivate'));
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it.each([
		['the admin organization role', { orgRole: 'ORGANIZATION_INTERNAL_ADMIN' }],
		['an admin role', { addAdminRoles: ['User Admin'] }],
		['a custom admin role', { customAdminRoles: { add: 'Board Auditor' } }],
	])('refuses granting %s before any request', async (_name, extra) => {
		const result = await runNode(userOp('updateRole', extra));
		expect(result.error?.message).toBe(
			'Refused: this call would grant admin rights in Miro. Granting admin roles is not allowed from this node; a person must do it in Miro. Nothing was changed.',
		);
	});

	it('is off by default: an admin is deactivated as before, with no read', async () => {
		const scope = expectPatch(miro(), JANE_ID, [
			{ op: 'Replace', path: 'active', value: false },
		]).reply(200, orgAdmin());
		const result = await runNode(userOp('deactivate', {}, FAST));
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('refuses an expression in place of the fixed value, before any request', async () => {
		const result = await runNode(
			userOp('deactivate', {}, { ...FAST, protectAdmins: "={{ $fromAI('protect') }}" } as never),
		);
		expect(result.error?.message).toBe(
			'Options > protectAdmins: a guard rail cannot be an expression',
		);
	});
});

describe('Max Users per Item', () => {
	const members = (
		add: string,
		remove = '',
		options: INodeParameters = { ...FAST, maxUsersPerItem: 2 },
	) => ({
		resource: 'group',
		operation: 'updateMembers',
		group: rl.id('3458764513820540928'),
		add,
		remove,
		options,
	});

	it('refuses an item naming more users than allowed, before any lookup or PATCH', async () => {
		const result = await runNode(members('a@example.com, b@example.com', 'c@example.com'));
		expect(result.error?.message).toBe(
			'Refused: this call adds or removes 3 users, more than the 2 one call may change. Send at most 2 users (added and removed together) per call, and make further calls for the rest; nothing was changed.',
		);
	});

	it('counts a user named twice once, and lets the item through at the limit', async () => {
		const scope = miro()
			.patch(
				`${SCIM}/Groups/3458764513820540928`,
				exactly(memberBody([JANE_ID], ['3074457345618261606'])),
			)
			.reply(204);
		const result = await runNode(
			members('3074457345618261605, 3074457345618261605', '3074457345618261606'),
		);
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json[0]).toMatchObject({ patchRequests: 1 });
	});

	it('with Continue On Fail, refuses only the item over the limit', async () => {
		const scope = miro()
			.patch(`${SCIM}/Groups/3458764513820540928`, exactly(memberBody([JANE_ID])))
			.reply(204);
		const result = await runNode(members('={{ $json.add }}'), {
			continueOnFail: true,
			items: [{ add: '3074457345618261605' }, { add: '1, 2, 3' }],
		});
		expect(scope.isDone()).toBe(true);
		expect(result.json[0]).toMatchObject({ usersToAdd: [{ id: '3074457345618261605' }] });
		expect(result.json[1].error).toMatch(/^Refused: this call adds or removes 3 users/);
	});

	it('reads 0 and absence as no limit', () => {
		const ctx = (options: IDataObject) =>
			({ getNode: () => ({ parameters: { options } }) }) as never;
		expect(readGuardRails(ctx({}))).toEqual({ protectAdmins: false, maxUsersPerItem: 0 });
		expect(readGuardRails(ctx({ maxUsersPerItem: 0 })).maxUsersPerItem).toBe(0);
		expect(readGuardRails(ctx({ maxUsersPerItem: 5, protectAdmins: true }))).toEqual({
			protectAdmins: true,
			maxUsersPerItem: 5,
		});
	});
});
