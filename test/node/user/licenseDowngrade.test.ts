/**
 * A license downgrade refused by Miro (400 to a request that sets userType) becomes an error that
 * says what happened, that SCIM only upgrades licenses, and what to do instead; through the
 * node, for User > Update and for a Sync plan item.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import { expectPatch, FAST, JANE_ID, miro, rl, scimError, useNock } from '../../helpers/fixtures';

useNock();

const DOWNGRADE = 'Miro refused the license change: SCIM can only upgrade a license (userType)';

/** The PatchOp User > Update sends for these fields: displayName first, then userType. */
const replaces = (fields: IDataObject) =>
	['displayName', 'userType']
		.filter((path) => fields[path] !== undefined)
		.map((path) => ({ op: 'Replace', path, value: fields[path] }));

const update = (updateFields: IDataObject): INodeParameters => ({
	resource: 'user',
	operation: 'update',
	user: rl.id(JANE_ID),
	updateFields: updateFields as INodeParameters,
	options: FAST,
});

describe('license downgrade refused by Miro', () => {
	it.each<[string, IDataObject, IDataObject]>([
		[
			"Miro's detail names the license",
			{ userType: 'Free' },
			scimError(400, 'userType cannot be downgraded from Full to Free', 'invalidValue'),
		],
		['no detail at all', { userType: 'Free Restricted' }, {}],
		[
			'another field beside it, the detail naming the license',
			{ userType: 'Free', displayName: 'Jane' },
			scimError(400, 'License downgrade is not supported'),
		],
	])('User > Update, %s', async (_name, fields, body) => {
		const operations = replaces(fields);
		const scope = expectPatch(miro(), JANE_ID, operations).reply(400, body);
		const result = await runNode(update(fields));
		expect(scope.isDone()).toBe(true);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe(DOWNGRADE);
		expect(result.error?.httpCode).toBe('400');
		expect(result.error?.description).toContain(
			"To lower this user's license, change it in Miro's admin console (Users); to free a paid license, deactivate the user.",
		);
	});

	it.each<[string, IDataObject, string]>([
		[
			'a 400 about another field, beside userType',
			{ userType: 'Full', displayName: 'x' },
			'displayName is too long',
		],
		['a 400 to an update without userType', { displayName: 'x' }, 'displayName is too long'],
	])('stays the plain 400 for %s', async (_name, fields, detail) => {
		const operations = replaces(fields);
		expectPatch(miro(), JANE_ID, operations).reply(400, scimError(400, detail));
		const result = await runNode(update(fields));
		expect(result.error?.message).toBe('Miro rejected the request as invalid');
		expect(result.error?.description).toMatch(new RegExp(`^Miro says: ${detail} `));
	});

	it('a Sync plan item that lowers a license fails with the same words; the rest goes on', async () => {
		expectPatch(miro(), JANE_ID, [{ op: 'Replace', path: 'userType', value: 'Free' }]).reply(
			400,
			scimError(400, 'userType cannot be downgraded from Full to Free', 'invalidValue'),
		);
		const result = await runNode(
			{
				resource: 'sync',
				operation: 'applyPlan',
				dryRun: false,
				maxPlanAgeHours: 0,
				options: FAST,
			},
			{
				items: [
					{
						action: 'update',
						email: 'jane.doe@example.com',
						id: JANE_ID,
						before: { userType: 'Full' },
						after: { userType: 'Free' },
						removesAccess: false,
						outcome: 'planned',
					},
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.json[0]).toMatchObject({ outcome: 'failed', error: DOWNGRADE });
		expect(result.json[0].errorDescription).toContain('SCIM API raises licenses but never lowers');
		expect(result.json[1]).toMatchObject({ action: 'summary', outcome: 'failed', failed: 1 });
	});
});
