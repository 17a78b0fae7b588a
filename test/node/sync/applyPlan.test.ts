/**
 * Sync > Apply Plan: the items a dry-run Reconcile produced (e.g. after an approval step) are
 * applied exactly, through WorkflowExecute, every request pinned with nock.
 */
import type { IDataObject } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	CORE_SCHEMA,
	exactly,
	expectPatch,
	expectPost,
	FAST,
	lookup,
	listResponse,
	miro,
	SCIM,
	useNock,
} from '../../helpers/fixtures';

useNock();

const ADA = '3074457345618261601';
const BOB = '3074457345618261602';
const NEW = '3074457345618261609';
const ENG = '3458764513820540901';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const PLAN: IDataObject[] = [
	{
		action: 'update',
		email: 'ada@example.com',
		id: ADA,
		group: null,
		before: { familyName: 'Lovelace' },
		after: { familyName: 'King' },
		removesAccess: false,
		outcome: 'planned',
	},
	{
		action: 'create',
		email: 'new@example.com',
		id: null,
		group: null,
		before: null,
		after: { email: 'new@example.com', givenName: 'Nia', familyName: 'New' },
		removesAccess: false,
		outcome: 'planned',
	},
	{
		action: 'addToGroup',
		email: 'new@example.com',
		id: null,
		group: { id: ENG, name: 'g_app_eng' },
		removesAccess: false,
		outcome: 'planned',
	},
	{
		action: 'removeFromGroup',
		email: 'ada@example.com',
		id: ADA,
		group: { id: ENG, name: 'g_app_eng' },
		removesAccess: true,
		outcome: 'planned',
	},
	{
		action: 'deactivate',
		email: 'bob@example.com',
		id: BOB,
		before: { active: true },
		after: { active: false },
		removesAccess: true,
		outcome: 'planned',
	},
	{ action: 'summary', inScope: 40, removesAccess: false },
];

const apply = (extra: IDataObject = {}) => ({
	resource: 'sync',
	operation: 'applyPlan',
	dryRun: false,
	options: FAST,
	...extra,
});

describe('sync > apply plan', () => {
	it('applies exactly the plan items; a joiner gets the id its create returned', async () => {
		const scope = miro();
		expectPatch(scope, ADA, [{ op: 'Replace', path: 'name.familyName', value: 'King' }]).reply(
			200,
			{ id: ADA, userName: 'ada@example.com' },
		);
		expectPost(scope, {
			schemas: [CORE_SCHEMA],
			userName: 'new@example.com',
			active: true,
			name: { givenName: 'Nia', familyName: 'New' },
		}).reply(201, { id: NEW, userName: 'new@example.com' });
		expectPatch(scope, BOB, [{ op: 'Replace', path: 'active', value: false }]).reply(200, {
			id: BOB,
			userName: 'bob@example.com',
		});
		scope
			.patch(
				`${SCIM}/Groups/${ENG}`,
				exactly({
					schemas: [PATCH_OP],
					Operations: [
						{ op: 'Add', path: 'members', value: [{ value: NEW }] },
						{ op: 'Remove', path: `members[value eq ${ADA}]` },
					],
				}),
			)
			.reply(204);

		const result = await runNode(apply(), { items: PLAN });

		expect(result.error).toBeUndefined();
		expect(result.json.map((json) => `${json.action} ${json.outcome}`)).toEqual([
			'update done',
			'create done',
			'addToGroup done',
			'removeFromGroup done',
			'deactivate done',
			'summary done',
		]);
		expect(result.json[2].id).toBe(NEW);
		expect(result.json[5]).toMatchObject({ mode: 'applyPlan', writes: 4, accessRemovals: 2 });
	});

	it('in dry run (the default) writes nothing', async () => {
		const result = await runNode(apply({ dryRun: undefined }), { items: PLAN });
		expect(result.json.map((json) => json.outcome)).toEqual([
			'planned',
			'planned',
			'planned',
			'planned',
			'planned',
			'planned',
		]);
	});

	it('a team addition for a person created earlier looks the email up once', async () => {
		const scope = miro();
		scope
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "new@example.com"'))
			.reply(200, listResponse([{ id: NEW, userName: 'new@example.com' }]))
			.patch(
				`${SCIM}/Groups/${ENG}`,
				exactly({
					schemas: [PATCH_OP],
					Operations: [{ op: 'Add', path: 'members', value: [{ value: NEW }] }],
				}),
			)
			.reply(204);
		const result = await runNode(apply(), { items: [PLAN[2]] });
		expect(result.json.map((json) => `${json.action} ${json.outcome}`)).toEqual([
			'addToGroup done',
			'summary done',
		]);
	});

	it('more access removals than Max Access Removals fails before any write', async () => {
		const result = await runNode(apply({ maxAccessRemovals: 1 }), { items: PLAN });
		expect(result.error?.message).toBe(
			'The plan removes access 2 times (1 deactivations, 0 deletions, 1 team removals), more than the limit of 1 (Max Access Removals is 1)',
		);
	});

	it('an item that is not a plan change fails naming the field', async () => {
		const result = await runNode(apply(), { items: [{ action: 'frobnicate', email: 'a@b.co' }] });
		expect(result.error?.message).toBe('action: "frobnicate" is not a change a plan holds');
	});
});
