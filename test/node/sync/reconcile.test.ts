/**
 * Sync > Reconcile through n8n-core's WorkflowExecute, every request pinned with nock: the two
 * listings (users page by page, teams with members), then exactly the writes of the plan.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	CORE_SCHEMA,
	ENTERPRISE,
	exactly,
	expectPatch,
	expectPost,
	FAST,
	listResponse,
	miro,
	SCIM,
	useNock,
} from '../../helpers/fixtures';

useNock();

const ADA = '3074457345618261601';
const BOB = '3074457345618261602';
const BOSS = '3074457345618261603';
const KEEP = '3074457345618261604';
const NEW = '3074457345618261609';
const ENG = '3458764513820540901';
const OPS = '3458764513820540902';
const DEFAULT = '3458764513820540900';

const scimUser = (id: string, userName: string, extra: IDataObject = {}) => ({
	schemas: [CORE_SCHEMA],
	id,
	userName,
	active: true,
	roles: [{ type: 'organization_user_role', value: 'ORGANIZATION_INTERNAL_USER', primary: true }],
	...extra,
});
const USERS = [
	scimUser(ADA, 'ada@example.com', {
		name: { givenName: 'Ada', familyName: 'Lovelace' },
		[ENTERPRISE]: { employeeNumber: 'E1', department: 'R&D' },
	}),
	scimUser(BOB, 'bob@example.com'),
	scimUser(BOSS, 'boss@example.com', {
		roles: [
			{ type: 'organization_user_role', value: 'ORGANIZATION_INTERNAL_ADMIN', primary: true },
		],
	}),
	scimUser(KEEP, 'keep@example.com'),
];
const team = (id: string, displayName: string, members: string[]) => ({
	id,
	displayName,
	members: members.map((value) => ({ value })),
});
const GROUPS = [
	team(DEFAULT, 'Default Team', [ADA, BOB, BOSS, KEEP]),
	team(ENG, 'g_app_eng', [ADA, BOB]),
	team(OPS, 'g_app_ops', [BOSS]),
];
const PAGE = { startIndex: '1', count: '1000' };

/** The two reads every reconcile makes. */
function listings(users: IDataObject[] = USERS, groups: IDataObject[] = GROUPS) {
	return miro()
		.get(`${SCIM}/Users`)
		.query(PAGE)
		.reply(200, listResponse(users))
		.get(`${SCIM}/Groups`)
		.query(PAGE)
		.reply(200, listResponse(groups));
}

const reconcile = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'sync',
	operation: 'reconcile',
	email: '={{ $json.email }}',
	givenName: '={{ $json.first ?? "" }}',
	familyName: '={{ $json.last ?? "" }}',
	groups: '={{ $json.teams }}',
	fields: { department: '={{ $json.department ?? "" }}' },
	options: FAST,
	...extra,
});

const HR = [
	{ email: 'ada@example.com', first: 'Ada', last: 'King', department: 'R&D', teams: ['g_app_ops'] },
	{ email: 'new@example.com', first: 'Nia', last: 'New', department: 'Ops', teams: 'g_app_eng' },
	{ email: 'keep@example.com', teams: [] },
];
const domainScope = {
	scope: 'domains',
	domains: 'example.com',
	exclude: 'keep@example.com',
	maxAccessRemovalsPercent: 100,
};

const byAction = (json: IDataObject[]) =>
	json.map((record) =>
		[record.action, record.email, (record.group as IDataObject | null)?.name, record.outcome]
			.filter(Boolean)
			.join(' '),
	);

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('sync > reconcile: dry run', () => {
	it('lists once, returns the plan and a summary, and writes nothing (the default)', async () => {
		const scope = listings();
		const before = Date.now();
		const result = await runNode(reconcile(domainScope), { items: HR });
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(byAction(result.json)).toEqual([
			'update ada@example.com planned',
			'addToGroup ada@example.com g_app_ops planned',
			'removeFromGroup ada@example.com g_app_eng planned',
			'create new@example.com planned',
			'addToGroup new@example.com g_app_eng planned',
			'deactivate bob@example.com planned',
			'report boss@example.com reported',
			'summary planned',
		]);
		expect(result.json[0]).toEqual({
			action: 'update',
			email: 'ada@example.com',
			id: ADA,
			group: null,
			before: { familyName: 'Lovelace' },
			after: { familyName: 'King' },
			removesAccess: false,
			outcome: 'planned',
			plannedAt: result.json[7].plannedAt,
			inScope: 3,
		});
		// Every item carries the time of the listing the plan compared with, for Apply Plan.
		const plannedAt = Date.parse(result.json[7].plannedAt as string);
		expect(plannedAt).toBeGreaterThanOrEqual(before - 1000);
		expect(plannedAt).toBeLessThanOrEqual(Date.now());
		expect(new Set(result.json.map((json) => json.plannedAt)).size).toBe(1);
		// Removals say what happens to boards and the license.
		expect(result.json[5].effect).toBe(
			'The user can no longer sign in; their boards stay in place and the paid license is freed. Reactivating restores access.',
		);
		expect(result.json[2].effect).toContain('Where SCIM groups are Miro teams');
		expect(result.json[0].effect).toBeUndefined();
		expect(result.json[6].note).toBe(
			'leaver, organization admin: not deactivated (turn on Include Organization Admins to allow it)',
		);
		expect(result.json[7]).toMatchObject({
			action: 'summary',
			dryRun: true,
			counts: { create: 1, update: 1, deactivate: 1, addToGroup: 2, removeFromGroup: 1, report: 1 },
			accessRemovals: 2,
			inScope: 3,
			excluded: 1,
			guard: { passed: true, limit: 100 },
			reads: 2,
			writes: 0,
		});
		// Leavers and the summary come with the last item; a person's changes with their own.
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
			{ item: 2 },
			{ item: 2 },
			{ item: 2 },
		]);
	});
});

const memberPatch = (adds: string[], removes: string[] = []) => ({
	schemas: [PATCH_OP],
	Operations: [
		...(adds.length
			? [{ op: 'Add', path: 'members', value: adds.map((value) => ({ value })) }]
			: []),
		...removes.map((id) => ({ op: 'Remove', path: `members[value eq ${id}]` })),
	],
});

describe('sync > reconcile: apply', () => {
	it('applies exactly the plan: create, update, deactivate, one merged PATCH per team', async () => {
		const reads = listings();
		const writes = miro();
		expectPatch(writes, ADA, [{ op: 'Replace', path: 'name.familyName', value: 'King' }]).reply(
			200,
			USERS[0],
		);
		expectPost(writes, {
			schemas: [CORE_SCHEMA, ENTERPRISE],
			userName: 'new@example.com',
			active: true,
			name: { givenName: 'Nia', familyName: 'New' },
			[ENTERPRISE]: { department: 'Ops' },
		}).reply(201, scimUser(NEW, 'new@example.com'));
		expectPatch(writes, BOB, [{ op: 'Replace', path: 'active', value: false }]).reply(
			200,
			scimUser(BOB, 'bob@example.com', { active: false }),
		);
		writes
			.patch(`${SCIM}/Groups/${OPS}`, exactly(memberPatch([ADA])))
			.reply(204)
			.patch(`${SCIM}/Groups/${ENG}`, exactly(memberPatch([NEW], [ADA])))
			.reply(204);

		const result = await runNode(reconcile({ ...domainScope, dryRun: false }), { items: HR });

		expect(result.error).toBeUndefined();
		expect(reads.isDone() && writes.isDone()).toBe(true);
		expect(byAction(result.json)).toEqual([
			'update ada@example.com done',
			'addToGroup ada@example.com g_app_ops done',
			'removeFromGroup ada@example.com g_app_eng done',
			'create new@example.com done',
			'addToGroup new@example.com g_app_eng done',
			'deactivate bob@example.com done',
			'report boss@example.com reported',
			'summary done',
		]);
		expect(result.json[3].id).toBe(NEW);
		expect(result.json[4].id).toBe(NEW);
		expect(result.json[7]).toMatchObject({ dryRun: false, reads: 2, writes: 5, failed: 0 });
	});

	it('a second run against the applied state writes nothing', async () => {
		const applied = [
			scimUser(ADA, 'ada@example.com', {
				name: { givenName: 'Ada', familyName: 'King' },
				[ENTERPRISE]: { department: 'R&D' },
			}),
			scimUser(NEW, 'new@example.com', {
				name: { givenName: 'Nia', familyName: 'New' },
				[ENTERPRISE]: { department: 'Ops' },
			}),
			scimUser(BOB, 'bob@example.com', { active: false }),
			USERS[2],
			USERS[3],
		];
		const groups = [team(ENG, 'g_app_eng', [BOB, NEW]), team(OPS, 'g_app_ops', [BOSS, ADA])];
		const scope = listings(applied, groups);
		const result = await runNode(reconcile({ ...domainScope, dryRun: false }), { items: HR });
		expect(scope.isDone()).toBe(true);
		expect(byAction(result.json)).toEqual(['report boss@example.com reported', 'summary done']);
		expect(result.json[1]).toMatchObject({ writes: 0, changes: 0 });
	});

	it('Include Organization Admins deactivates an admin leaver; Delete deletes', async () => {
		const scope = listings();
		const writes = miro();
		writes.delete(`${SCIM}/Users/${BOB}`).reply(204).delete(`${SCIM}/Users/${BOSS}`).reply(204);
		const result = await runNode(
			reconcile({
				...domainScope,
				groups: '',
				fields: {},
				givenName: '',
				familyName: '',
				exclude: '',
				includeAdmins: true,
				leavers: 'delete',
				dryRun: false,
			}),
			{ items: [{ email: 'ada@example.com' }, { email: 'keep@example.com' }] },
		);
		expect(result.error).toBeUndefined();
		expect(scope.isDone() && writes.isDone()).toBe(true);
		expect(byAction(result.json)).toEqual([
			'delete bob@example.com done',
			'delete boss@example.com done',
			'summary done',
		]);
	});

	it('matches by employee number: an email change is one PATCH of userName', async () => {
		const scope = listings();
		const writes = miro();
		expectPatch(writes, ADA, [
			{ op: 'Replace', path: 'userName', value: 'ada.king@example.com' },
		]).reply(200, USERS[0]);
		const result = await runNode(
			reconcile({
				matchBy: 'employeeNumber',
				groups: '',
				givenName: '',
				familyName: '',
				fields: { employeeNumber: '={{ $json.number }}' },
				dryRun: false,
			}),
			{ items: [{ email: 'ada.king@example.com', number: 'E1' }] },
		);
		expect(result.error).toBeUndefined();
		expect(scope.isDone() && writes.isDone()).toBe(true);
		expect(result.json[0]).toMatchObject({
			action: 'update',
			id: ADA,
			before: { email: 'ada@example.com' },
			after: { email: 'ada.king@example.com' },
			outcome: 'done',
		});
	});
});

describe('sync > reconcile: safety', () => {
	it('a plan over Max Access Removals fails after the reads, before any write', async () => {
		const scope = listings();
		const result = await runNode(
			reconcile({ ...domainScope, maxAccessRemovals: 1, dryRun: false }),
			{ items: HR },
		);
		expect(scope.isDone()).toBe(true);
		expect(result.error?.message).toBe(
			'The plan makes 2 access removals (1 deactivation, 1 group removal), more than the limit of 1 (Max Access Removals is 1)',
		);
		expect(result.error?.description).toContain('raise Max Access Removals');
	});

	it('in dry run the same plan is returned, the summary saying the guard would stop it', async () => {
		listings();
		const result = await runNode(
			reconcile({ ...domainScope, maxAccessRemovalsPercent: 10, maxAccessRemovalsPercentFloor: 0 }),
			{ items: HR },
		);
		expect(result.error).toBeUndefined();
		expect(result.json.at(-1)).toMatchObject({
			guard: {
				passed: false,
				limit: 0,
				message:
					'The plan makes 2 access removals (1 deactivation, 1 group removal), more than the limit of 0 (Max Access Removals (%) is 10: 10% of the 3 users in scope is 0)',
			},
			accessRemovals: 2,
		});
	});

	it('in a small organization the percentage floor (default 5) lets a leaver through', async () => {
		listings();
		const result = await runNode(reconcile({ ...domainScope, maxAccessRemovalsPercent: 10 }), {
			items: HR,
		});
		expect(result.json.at(-1)).toMatchObject({
			accessRemovals: 2,
			inScope: 3,
			guard: { passed: true, limit: 5 },
		});
	});

	it('an input without people fails, even in dry run, unless Allow Empty Input', async () => {
		listings();
		const empty = await runNode(reconcile(domainScope), {
			items: [{ email: '' }],
			continueOnFail: true,
		});
		expect(empty.error?.message).toBe(
			'The input has no people: an empty source would make everyone in scope a leaver',
		);
	});

	it('a bad item fails naming the item and field, before any request', async () => {
		const result = await runNode(reconcile(domainScope), {
			items: [{ email: 'ada@example.com' }, { email: 'not-an-email' }],
		});
		expect(result.error?.message).toBe('Email: "not-an-email" is not an email address');
		expect((result.error?.context as { itemIndex?: number }).itemIndex).toBe(1);
	});

	it('an unknown team fails naming the item, after the reads and before any write', async () => {
		const scope = listings();
		const result = await runNode(reconcile({ ...domainScope, dryRun: false }), {
			items: [HR[0], { ...HR[1], teams: 'g_app_nope' }],
		});
		expect(scope.isDone()).toBe(true);
		expect(result.error?.message).toBe('Groups: no Miro group is named "g_app_nope"');
		expect((result.error?.context as { itemIndex?: number }).itemIndex).toBe(1);
	});

	it('with Continue On Fail bad items become error items; their users are never leavers', async () => {
		const scope = listings();
		const result = await runNode(reconcile({ ...domainScope, exclude: '' }), {
			items: [
				{ email: 'ada@example.com', first: 'Ada', last: 'Lovelace', teams: 'g_app_eng' },
				{ email: 'bob@example.com', teams: 'g_app_nope' },
				{ email: 'keep@example', teams: [] },
				{ email: 'ada@example.com', teams: [] },
			],
			continueOnFail: true,
		});
		expect(scope.isDone()).toBe(true);
		// Leavers and the summary go with the last usable item (0). Bob is no leaver: his item
		// failed. keep@example.com is: that item's email was unreadable, not a user's.
		expect(result.json.map((json) => json.error ?? `${json.action} ${json.email}`)).toEqual([
			'report boss@example.com',
			'deactivate keep@example.com',
			'summary undefined',
			'Groups: no Miro group is named "g_app_nope"',
			'Email: "keep@example" is not an email address',
			'Email: ada@example.com is also in item 0',
		]);
		expect(result.json[2]).toMatchObject({ invalidItems: 3 });
	});
});
