/**
 * Sync > Apply Plan: the items a dry-run Reconcile produced (e.g. after an approval step) are
 * applied exactly, through WorkflowExecute, every request pinned with nock. Before any write it
 * refuses a stale plan or one over either guard, leaves out what an earlier run applied, and
 * reads each user a removal would touch: one who changed since the plan is left alone.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { NODE_TYPE, runNode, runWorkflow } from '../../helpers/harness';
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
const HOUR = 3_600_000;
const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();
const PLANNED_AT = hoursAgo(1);

const stamp = { outcome: 'planned', plannedAt: PLANNED_AT, inScope: 40 };
const PLAN: IDataObject[] = [
	{
		action: 'update',
		email: 'ada@example.com',
		id: ADA,
		group: null,
		before: { familyName: 'Lovelace' },
		after: { familyName: 'King' },
		removesAccess: false,
		...stamp,
	},
	{
		action: 'create',
		email: 'new@example.com',
		id: null,
		group: null,
		before: null,
		after: { email: 'new@example.com', givenName: 'Nia', familyName: 'New' },
		removesAccess: false,
		...stamp,
	},
	{
		action: 'addToGroup',
		email: 'new@example.com',
		id: null,
		group: { id: ENG, name: 'g_app_eng' },
		removesAccess: false,
		...stamp,
	},
	{
		action: 'removeFromGroup',
		email: 'ada@example.com',
		id: ADA,
		group: { id: ENG, name: 'g_app_eng' },
		removesAccess: true,
		...stamp,
	},
	{
		action: 'deactivate',
		email: 'bob@example.com',
		id: BOB,
		before: { active: true },
		after: { active: false },
		removesAccess: true,
		...stamp,
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

const scimUser = (id: string, userName: string, active: boolean, groups: string[]) => ({
	schemas: [CORE_SCHEMA],
	id,
	userName,
	active,
	groups: groups.map((value) => ({ value, display: 'g_app_eng' })),
});

/** The fresh reads of the users the plan's removals touch, as Miro answers them now. */
function freshReads(ada = scimUser(ADA, 'ada@example.com', true, [ENG]), bob?: IDataObject) {
	return miro()
		.get(`${SCIM}/Users/${ADA}`)
		.reply(200, ada)
		.get(`${SCIM}/Users/${BOB}`)
		.reply(bob ? 200 : 200, bob ?? scimUser(BOB, 'bob@example.com', true, []));
}

const outcomes = (json: IDataObject[]) =>
	json.map((record) =>
		[record.action, record.outcome, record.skipReason].filter(Boolean).join(' '),
	);

describe('sync > apply plan', () => {
	it('reads the users it removes access from, then applies exactly the plan items', async () => {
		const reads = freshReads();
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
		expect(reads.isDone()).toBe(true);
		expect(outcomes(result.json)).toEqual([
			'update done',
			'create done',
			'addToGroup done',
			'removeFromGroup done',
			'deactivate done',
			'summary done',
		]);
		expect(result.json[2].id).toBe(NEW);
		expect(result.json[4]).toMatchObject({ plannedAt: PLANNED_AT, inScope: 40 });
		expect(result.json[4].effect).toContain('the paid license is freed');
		expect(result.json[5]).toMatchObject({
			mode: 'applyPlan',
			reads: 2,
			writes: 4,
			accessRemovals: 2,
			skipped: 0,
			plannedAt: PLANNED_AT,
		});
	});

	it('in dry run (the default) reads the users and writes nothing', async () => {
		const reads = freshReads();
		const result = await runNode(apply({ dryRun: undefined }), { items: PLAN });
		expect(reads.isDone()).toBe(true);
		expect(result.json.map((json) => json.outcome)).toEqual([
			'planned',
			'planned',
			'planned',
			'planned',
			'planned',
			'planned',
		]);
		expect(result.json[5]).toMatchObject({ reads: 2, writes: 0 });
	});

	it('a group addition for a person created earlier looks the email up once', async () => {
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
		expect(outcomes(result.json)).toEqual(['addToGroup done', 'summary done']);
	});

	it('an item that is not a plan change fails naming the field', async () => {
		const result = await runNode(apply(), { items: [{ action: 'frobnicate', email: 'a@b.co' }] });
		expect(result.error?.message).toBe('action: "frobnicate" is not a change a plan holds');
	});

	it('a plannedAt that is no time fails naming the field', async () => {
		const result = await runNode(apply(), { items: [{ ...PLAN[0], plannedAt: 'yesterday' }] });
		expect(result.error?.message).toBe('plannedAt: "yesterday" is not a date and time');
	});
});

describe('sync > apply plan: guards, before any request', () => {
	it('more access removals than Max Access Removals', async () => {
		const result = await runNode(apply({ maxAccessRemovals: 1 }), { items: PLAN });
		expect(result.error?.message).toBe(
			'The plan makes 2 access removals (1 deactivation, 1 group removal), more than the limit of 1 (Max Access Removals is 1)',
		);
		expect(result.error?.description).toContain("in this node's parameters");
	});

	it("a larger share than Max Access Removals (%) of the plan's users in scope", async () => {
		const small = PLAN.slice(0, 5).map((item) => ({ ...item, inScope: 10 }));
		const result = await runNode(
			apply({ maxAccessRemovalsPercent: 10, maxAccessRemovalsPercentFloor: 1 }),
			{ items: small },
		);
		expect(result.error?.message).toBe(
			'The plan makes 2 access removals (1 deactivation, 1 group removal), more than the limit of 1 (Max Access Removals (%) is 10: 10% of the 10 users in scope is 1)',
		);
	});

	it('the share comes from the summary when the items carry no inScope', async () => {
		const items = PLAN.map((item) => ({ ...item, inScope: item === PLAN[5] ? 40 : undefined }));
		const result = await runNode(
			apply({ maxAccessRemovalsPercent: 2, maxAccessRemovalsPercentFloor: 0 }),
			{ items },
		);
		expect(result.error?.message).toContain('2% of the 40 users in scope is 0');
	});

	it('by default the floor lets one leaver of a small organization through', async () => {
		miro()
			.get(`${SCIM}/Users/${BOB}`)
			.reply(200, scimUser(BOB, 'bob@example.com', true, []));
		expectPatch(miro(), BOB, [{ op: 'Replace', path: 'active', value: false }]).reply(200, {
			id: BOB,
		});
		const result = await runNode(apply(), { items: [{ ...PLAN[4], inScope: 3 }] });
		expect(outcomes(result.json)).toEqual(['deactivate done', 'summary done']);
		expect(result.json[1]).toMatchObject({ guard: { passed: true, limit: 5 } });
	});

	it('a plan older than Max Plan Age (default 24 hours)', async () => {
		const stale = PLAN.map((item) => ({ ...item, plannedAt: hoursAgo(25) }));
		const result = await runNode(apply(), { items: stale });
		expect(result.error?.message).toMatch(
			/^The plan was made 25 hours ago \(\d{4}-\d\d-\d\dT[\d:.]+Z\), more than Max Plan Age \(Hours\), 24$/,
		);
		expect(result.error?.description).toContain('run the Reconcile again');
		// In dry run too: a stale plan is not what would be applied.
		const dry = await runNode(apply({ dryRun: true }), { items: stale });
		expect(dry.error?.message).toContain('more than Max Plan Age (Hours), 24');
	});

	it('the oldest item decides; a larger Max Plan Age accepts it', async () => {
		const mixed = [{ ...PLAN[0], plannedAt: hoursAgo(30) }, PLAN[1]];
		const refused = await runNode(apply(), { items: mixed });
		expect(refused.error?.message).toContain('The plan was made 30 hours ago');
		const scope = miro();
		expectPatch(scope, ADA, [{ op: 'Replace', path: 'name.familyName', value: 'King' }]).reply(
			200,
			{ id: ADA },
		);
		const accepted = await runNode(apply({ maxPlanAgeHours: 48 }), { items: [mixed[0]] });
		expect(outcomes(accepted.json)).toEqual(['update done', 'summary done']);
	});

	it('items without plannedAt are refused unless Max Plan Age is 0', async () => {
		const bare = { ...PLAN[0], plannedAt: undefined };
		const refused = await runNode(apply(), { items: [bare, bare] });
		expect(refused.error?.message).toBe(
			'2 plan items have no plannedAt, so the age of the plan is unknown',
		);
		expect(refused.error?.description).toContain('set Max Plan Age (Hours) to 0');
		expectPatch(miro(), ADA, [{ op: 'Replace', path: 'name.familyName', value: 'King' }]).reply(
			200,
			{ id: ADA },
		);
		const accepted = await runNode(apply({ maxPlanAgeHours: 0 }), { items: [bare] });
		expect(outcomes(accepted.json)).toEqual(['update done', 'summary done']);
	});
});

describe('sync > apply plan: users who changed since the plan', () => {
	it('leaves out a removal whose user is no longer as planned; applies the rest', async () => {
		// Ada left g_app_eng by hand; Bob was deactivated by hand (or another run).
		freshReads(
			scimUser(ADA, 'ada@example.com', true, []),
			scimUser(BOB, 'bob@example.com', false, []),
		);
		expectPatch(miro(), ADA, [{ op: 'Replace', path: 'name.familyName', value: 'King' }]).reply(
			200,
			{ id: ADA },
		);
		const result = await runNode(apply(), { items: [PLAN[0], PLAN[3], PLAN[4], PLAN[5]] });
		expect(outcomes(result.json)).toEqual([
			'update done',
			'removeFromGroup skipped userChanged',
			'deactivate skipped userChanged',
			'summary done',
		]);
		expect(result.json[1].note).toBe(
			'not applied: the user changed since the plan was made (no longer a member of g_app_eng)',
		);
		expect(result.json[2].note).toBe(
			'not applied: the user changed since the plan was made (active was true, is now false)',
		);
		expect(result.json[3]).toMatchObject({ skipped: 2, reads: 2, writes: 1 });
	});

	it('a user whose email changed, or who is gone, is left alone', async () => {
		miro()
			.get(`${SCIM}/Users/${ADA}`)
			.reply(200, scimUser(ADA, 'ada.king@example.com', true, [ENG]))
			.get(`${SCIM}/Users/${BOB}`)
			.reply(404, { detail: 'User not found' });
		const result = await runNode(apply(), { items: [PLAN[3], PLAN[4]] });
		expect(outcomes(result.json)).toEqual([
			'removeFromGroup skipped userChanged',
			'deactivate skipped userGone',
			'summary done',
		]);
		expect(result.json[0].note).toContain('email was ada@example.com, is now ada.king@example.com');
		expect(result.json[1].note).toBe('not applied: the user no longer exists in Miro');
	});
});

describe('sync > apply plan: items an earlier run applied', () => {
	it('says so and sends nothing for them', async () => {
		const done = PLAN.slice(0, 5).map((item, n) => ({
			...item,
			outcome: 'done',
			id: n === 1 || n === 2 ? NEW : item.id,
		}));
		const result = await runNode(apply(), { items: done });
		expect(result.error).toBeUndefined();
		expect(outcomes(result.json)).toEqual([
			'update skipped alreadyApplied',
			'create skipped alreadyApplied',
			'addToGroup skipped alreadyApplied',
			'removeFromGroup skipped alreadyApplied',
			'deactivate skipped alreadyApplied',
			'summary done',
		]);
		expect(result.json[1]).toMatchObject({
			id: NEW,
			note: 'not applied again: the input says an earlier run applied it (outcome "done")',
		});
		expect(result.json[5]).toMatchObject({ skipped: 5, reads: 0, writes: 0 });
	});

	it('Reconcile with Dry Run off, then Apply Plan: nothing is applied twice', async () => {
		const HR = [{ email: 'new@example.com' }];
		miro()
			.get(`${SCIM}/Users`)
			.query({ startIndex: '1', count: '1000' })
			.reply(200, listResponse([]))
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '1', count: '1000' })
			.reply(200, listResponse([]));
		expectPost(miro(), { schemas: [CORE_SCHEMA], userName: 'new@example.com', active: true }).reply(
			201,
			{ id: NEW, userName: 'new@example.com' },
		);
		const node = (name: string, parameters: INodeParameters, x: number) => ({
			id: name,
			name,
			type: NODE_TYPE,
			typeVersion: 1,
			position: [x, 0] as [number, number],
			parameters: { resource: 'sync', dryRun: false, options: FAST, ...parameters },
			credentials: { miroScimApi: { id: 'cred-1', name: 'Miro SCIM account' } },
		});
		const result = await runWorkflow(
			{
				nodes: [
					{
						id: 'source',
						name: 'Source',
						type: 'test.source',
						typeVersion: 1,
						position: [0, 0],
						parameters: { items: JSON.stringify(HR) },
					},
					node('Plan', { operation: 'reconcile', email: '={{ $json.email }}' }, 200),
					node('Apply plan', { operation: 'applyPlan' }, 400),
				],
				connections: {
					Source: { main: [[{ node: 'Plan', type: 'main', index: 0 }]] },
					Plan: { main: [[{ node: 'Apply plan', type: 'main', index: 0 }]] },
				},
			},
			{
				credentials: {
					'cred-1': {
						type: 'miroScimApi',
						data: { token: 'test-token', baseUrl: 'https://miro.com/api/v1/scim' },
					},
				},
			},
		);
		expect(result.error).toBeUndefined();
		const applied = result.output('Apply plan').map((item) => item.json);
		expect(outcomes(applied)).toEqual(['create skipped alreadyApplied', 'summary done']);
		expect(applied[0].id).toBe(NEW);
	});
});
