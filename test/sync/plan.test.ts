/**
 * The reconcile planner as tables: desired people and Miro's listings in, the exact changes and
 * the guard's verdict out. No mocks, no requests.
 */
import { describe, expect, it } from 'vitest';

import { fieldDiff, miroGroupFrom, miroUserFrom } from '../../nodes/MiroScim/sync/fields';
import { groupListProblem } from '../../nodes/MiroScim/sync/groups';
import { guardVerdict } from '../../nodes/MiroScim/sync/guard';
import { planSync } from '../../nodes/MiroScim/sync/plan';
import type {
	Change,
	DesiredPerson,
	ManagedFields,
	MiroGroup,
	MiroUser,
	SyncOptions,
} from '../../nodes/MiroScim/sync/types';

const OPTIONS: SyncOptions = {
	matchBy: 'email',
	scope: 'input',
	domains: [],
	exclude: [],
	leavers: 'deactivate',
	includeAdmins: false,
	managedGroups: 'input',
	groupPrefix: '',
	groupList: [],
	maxAccessRemovals: 100,
	maxAccessRemovalsPercent: 100,
	maxAccessRemovalsPercentFloor: 5,
	allowEmptyInput: false,
	protectedKeys: [],
};

const user = (
	id: string,
	userName: string,
	fields: ManagedFields = {},
	active = true,
): MiroUser => ({ id, userName, active, fields });
const admin = (id: string, userName: string) =>
	user(id, userName, { orgRole: 'ORGANIZATION_INTERNAL_ADMIN' });
const person = (
	itemIndex: number,
	email: string,
	fields: ManagedFields = {},
	groups?: string[],
): DesiredPerson => ({ itemIndex, email, fields, groups });
const group = (id: string, displayName: string, memberIds: string[] = []): MiroGroup => ({
	id,
	displayName,
	memberIds,
});

/** Only what a reader checks first: action, who, which team. */
const brief = (changes: Change[]) =>
	changes.map((change) =>
		[change.action, change.email, change.group?.name].filter(Boolean).join(' '),
	);

const ADA = user('1', 'ada@example.com', { givenName: 'Ada', familyName: 'Lovelace' });
const BOB = user('2', 'bob@example.com');
const EVE = user('3', 'eve@other.org');
const BOSS = admin('4', 'boss@example.com');
const GONE = user('5', 'gone@example.com', {}, false);
const USERS = [ADA, BOB, EVE, BOSS, GONE];
const ENG = group('10', 'g_app_eng', ['1', '2']);
const OPS = group('11', 'g_app_ops', ['3', '4']);
const DEFAULT = group('12', 'Default Team', ['1', '2', '3', '4', '5']);
const GROUPS = [ENG, OPS, DEFAULT];

describe('planSync: who is created, updated, reactivated or leaves', () => {
	it.each<[string, DesiredPerson[], Partial<SyncOptions>, string[]]>([
		['nothing differs', [person(0, 'ada@example.com', { givenName: 'Ada' })], {}, []],
		['email matches in any case', [person(0, 'ADA@Example.com')], {}, []],
		['a joiner is created', [person(0, 'new@example.com')], {}, ['create new@example.com']],
		[
			'a joiner marked inactive is not created',
			[person(0, 'new@example.com', { active: false })],
			{},
			[],
		],
		[
			'a changed name is an update',
			[person(0, 'ada@example.com', { givenName: 'Ada', familyName: 'King' })],
			{},
			['update ada@example.com'],
		],
		[
			'a returning person is reactivated',
			[person(0, 'gone@example.com')],
			{},
			['reactivate gone@example.com'],
		],
		[
			'active false deactivates',
			[person(0, 'bob@example.com', { active: false })],
			{},
			['deactivate bob@example.com'],
		],
		['input-only scope takes nobody out', [person(0, 'ada@example.com')], { scope: 'input' }, []],
		[
			'domain scope: others in the domain leave, admins are reported',
			[person(0, 'ada@example.com')],
			{ scope: 'domains', domains: ['example.com'] },
			['deactivate bob@example.com', 'report boss@example.com'],
		],
		[
			'domain scope with admins included',
			[person(0, 'ada@example.com')],
			{ scope: 'domains', domains: ['example.com'], includeAdmins: true },
			['deactivate bob@example.com', 'deactivate boss@example.com'],
		],
		[
			'leavers deleted, also deactivated ones',
			[person(0, 'ada@example.com')],
			{ scope: 'domains', domains: ['example.com'], leavers: 'delete' },
			['delete bob@example.com', 'report boss@example.com', 'delete gone@example.com'],
		],
		[
			'leavers reported only',
			[person(0, 'ada@example.com')],
			{ scope: 'domains', domains: ['example.com'], leavers: 'report' },
			['report bob@example.com', 'report boss@example.com'],
		],
		[
			'excluded users are never touched',
			[person(0, 'ada@example.com', { familyName: 'X', givenName: 'Y' })],
			{
				scope: 'domains',
				domains: ['example.com'],
				exclude: ['ADA@example.com', 'bob@example.com'],
			},
			['report boss@example.com'],
		],
		[
			'protected keys (unreadable items) are not leavers',
			[person(0, 'ada@example.com')],
			{ scope: 'domains', domains: ['example.com'], protectedKeys: ['Bob@example.com'] },
			['report boss@example.com'],
		],
	])('%s', (_name, people, options, expected) => {
		const plan = planSync(people, USERS, GROUPS, { ...OPTIONS, ...options });
		expect(plan.problems).toEqual([]);
		expect(brief(plan.changes)).toEqual(expected);
	});

	it('an update carries only the managed fields that differ, before and after', () => {
		const plan = planSync(
			[person(3, 'ada@example.com', { givenName: 'Ada', familyName: 'King', department: 'R&D' })],
			USERS,
			GROUPS,
			OPTIONS,
		);
		expect(plan.changes).toEqual([
			{
				action: 'update',
				email: 'ada@example.com',
				id: '1',
				itemIndex: 3,
				before: { familyName: 'Lovelace', department: null },
				after: { familyName: 'King', department: 'R&D' },
				removesAccess: false,
			},
		]);
	});

	it('a reactivation carries the field changes in the same change, active first', () => {
		const [change] = planSync(
			[person(0, 'gone@example.com', { department: 'Ops' })],
			USERS,
			GROUPS,
			OPTIONS,
		).changes;
		expect(change).toMatchObject({
			action: 'reactivate',
			before: { department: null, active: false },
			after: { department: 'Ops', active: true },
			removesAccess: false,
		});
	});
});

describe('planSync: match by employee number', () => {
	const numbered = [
		user('1', 'ada@example.com', { employeeNumber: 'E1' }),
		user('2', 'bob@example.com'),
		user('3', 'cy@example.com', { employeeNumber: 'E3' }),
	];
	const byNumber = { ...OPTIONS, matchBy: 'employeeNumber' as const };

	it.each<[string, DesiredPerson[], string[]]>([
		[
			'a changed email is an email update, not a leaver and a joiner',
			[person(0, 'ada.k@example.com', { employeeNumber: 'E1' })],
			['update ada@example.com'],
		],
		[
			'no number in Miro: falls back to the email and sets the number',
			[person(0, 'bob@example.com', { employeeNumber: 'E2' })],
			['update bob@example.com'],
		],
		[
			'an unknown number is a joiner',
			[person(0, 'dan@example.com', { employeeNumber: 'E4' })],
			['create dan@example.com'],
		],
	])('%s', (_name, people, expected) => {
		const plan = planSync(people, numbered, [], byNumber);
		expect(plan.problems).toEqual([]);
		expect(brief(plan.changes)).toEqual(expected);
	});

	it('reports the email change as before/after', () => {
		const [change] = planSync(
			[person(0, 'ada.k@example.com', { employeeNumber: 'E1' })],
			numbered,
			[],
			byNumber,
		).changes;
		expect(change.before).toEqual({ email: 'ada@example.com' });
		expect(change.after).toEqual({ email: 'ada.k@example.com' });
	});

	it.each<[string, DesiredPerson, string, string]>([
		['no employee number', person(0, 'ada@example.com'), 'Employee Number', 'is empty'],
		[
			'an email that belongs to someone else',
			person(0, 'cy@example.com', { employeeNumber: 'E1' }),
			'Email',
			'cy@example.com belongs to another Miro user (3) than employee number E1 (1)',
		],
		[
			'an email whose user has another number',
			person(0, 'cy@example.com', { employeeNumber: 'E9' }),
			'Employee Number',
			'cy@example.com is a Miro user with employee number E3, not E9',
		],
	])('%s is an item problem', (_name, desired, field, problem) => {
		const plan = planSync([desired], numbered, [], byNumber);
		expect(plan.problems).toEqual([expect.objectContaining({ itemIndex: 0, field, problem })]);
		expect(plan.changes).toEqual([]);
	});
});

describe('planSync: managed groups', () => {
	it('moves a person: one add and one remove, unmanaged teams untouched', () => {
		const plan = planSync(
			[
				person(0, 'ada@example.com', {}, ['g_app_ops']),
				person(1, 'bob@example.com', {}, ['g_app_eng']),
			],
			USERS,
			GROUPS,
			OPTIONS,
		);
		expect(brief(plan.changes)).toEqual([
			'addToGroup ada@example.com g_app_ops',
			'removeFromGroup ada@example.com g_app_eng',
		]);
		expect(plan.changes.map((change) => change.removesAccess)).toEqual([false, true]);
	});

	it('a joiner is created and added, by team name or id, without an id yet', () => {
		const plan = planSync(
			[person(0, 'new@example.com', {}, ['g_app_eng', '11'])],
			USERS,
			GROUPS,
			OPTIONS,
		);
		expect(brief(plan.changes)).toEqual([
			'create new@example.com',
			'addToGroup new@example.com g_app_eng',
			'addToGroup new@example.com g_app_ops',
		]);
		expect(plan.changes[1].id).toBeUndefined();
	});

	it('prefix: every g_app_ team is managed; scope "members of managed teams" finds leavers', () => {
		const plan = planSync([person(0, 'ada@example.com', {}, ['g_app_eng'])], USERS, GROUPS, {
			...OPTIONS,
			managedGroups: 'prefix',
			groupPrefix: 'g_app_',
			scope: 'groups',
		});
		// Bob, Eve and the admin are members of managed teams; Gone is only in Default Team.
		expect(brief(plan.changes)).toEqual([
			'deactivate bob@example.com',
			'deactivate eve@other.org',
			'report boss@example.com',
		]);
		expect(plan.inScope).toBe(4);
	});

	it('a list of teams; other teams named in the input are a problem', () => {
		const options = { ...OPTIONS, managedGroups: 'list' as const, groupList: ['g_app_ops'] };
		const plan = planSync(
			[person(0, 'ada@example.com', {}, ['g_app_eng'])],
			USERS,
			GROUPS,
			options,
		);
		expect(plan.problems).toEqual([
			expect.objectContaining({
				itemIndex: 0,
				field: 'Groups',
				problem: 'the group "g_app_eng" is not one the sync manages',
			}),
		]);
	});

	it.each<[string, MiroGroup[], string]>([
		['an unknown team', GROUPS, 'no Miro group is named "g_app_nope"'],
		[
			'a name two teams share',
			[...GROUPS, group('13', 'g_app_nope'), group('14', 'g_app_nope')],
			'2 Miro groups are named "g_app_nope"',
		],
	])('%s is an item problem, and that person is never a leaver', (_name, groups, problem) => {
		const plan = planSync(
			[person(0, 'ada@example.com'), person(1, 'bob@example.com', {}, ['g_app_nope'])],
			USERS,
			groups,
			{ ...OPTIONS, scope: 'domains', domains: ['example.com'] },
		);
		expect(plan.problems).toEqual([
			expect.objectContaining({ itemIndex: 1, field: 'Groups', problem }),
		]);
		expect(brief(plan.changes)).toEqual(['report boss@example.com']);
	});

	it('duplicate emails (any case) are a problem on the later item', () => {
		const plan = planSync(
			[person(0, 'ada@example.com'), person(4, 'Ada@Example.com')],
			USERS,
			GROUPS,
			OPTIONS,
		);
		expect(plan.problems).toEqual([
			expect.objectContaining({
				itemIndex: 4,
				field: 'Email',
				problem: 'Ada@Example.com is also in item 0',
			}),
		]);
	});

	it('a missing list entry is a configuration problem', () => {
		expect(
			groupListProblem(GROUPS, { ...OPTIONS, managedGroups: 'list', groupList: ['nope'] }),
		).toEqual(expect.objectContaining({ problem: 'no Miro group is named "nope"' }));
		expect(
			groupListProblem(GROUPS, { ...OPTIONS, managedGroups: 'list', groupList: ['10'] }),
		).toBeUndefined();
	});
});

describe('guardVerdict', () => {
	const removals = (count: number, action: Change['action'] = 'deactivate'): Change[] =>
		Array.from({ length: count }, (_, i) => ({
			action,
			email: `u${i}@x.io`,
			removesAccess: true,
		}));
	const options = (max: number, percent: number, floor = 0) => ({
		maxAccessRemovals: max,
		maxAccessRemovalsPercent: percent,
		maxAccessRemovalsPercentFloor: floor,
		allowEmptyInput: false,
	});
	it.each<[string, number, number, number, number, number, boolean, number]>([
		// name, removals, in scope, max, max %, floor, passed, limit
		['under both limits', 5, 100, 10, 10, 0, true, 10],
		['at the count limit', 10, 1000, 10, 10, 0, true, 10],
		['over the count limit', 11, 1000, 10, 10, 0, false, 10],
		['over the percentage', 11, 100, 50, 10, 0, false, 10],
		['100% turns the percentage off', 90, 100, 100, 100, 0, true, 100],
		['no removals always passes', 0, 0, 0, 0, 0, true, 0],
		[
			'one leaver among three: 10% rounds to 0, the floor lets 5 through',
			1,
			3,
			100,
			10,
			5,
			true,
			5,
		],
		['over the floor in a small organization', 6, 20, 100, 10, 5, false, 5],
		['the percentage above the floor wins', 30, 400, 100, 10, 5, true, 40],
		['the count caps the floor', 3, 3, 2, 10, 5, false, 2],
		['floor 0 keeps the bare percentage', 1, 3, 100, 10, 0, false, 0],
	])('%s', (_name, count, inScope, max, percent, floor, passed, limit) => {
		const verdict = guardVerdict(removals(count), inScope, 1, options(max, percent, floor));
		expect({ passed: verdict.passed, limit: verdict.limit }).toEqual({ passed, limit });
	});

	it.each<[string, Change[], number, ReturnType<typeof options>, string]>([
		[
			'the count, in singular',
			[...removals(1), ...removals(1, 'delete'), ...removals(1, 'removeFromGroup')],
			10,
			options(2, 100),
			'The plan makes 3 access removals (1 deactivation, 1 deletion, 1 group removal), more than the limit of 2 (Max Access Removals is 2)',
		],
		[
			'the percentage, only the kinds present',
			removals(2),
			40,
			options(100, 2),
			'The plan makes 2 access removals (2 deactivations), more than the limit of 0 (Max Access Removals (%) is 2: 2% of the 40 users in scope is 0)',
		],
		[
			'the floor',
			removals(4, 'removeFromGroup'),
			1,
			options(100, 10, 3),
			'The plan makes 4 access removals (4 group removals), more than the limit of 3 (Max Access Removals (%) Floor is 3; 10% of the 1 user in scope is 0)',
		],
	])('names %s and the fields that set the limit', (_name, changes, inScope, guard, message) => {
		const verdict = guardVerdict(changes, inScope, 1, guard);
		expect(verdict.message).toBe(message);
		expect(verdict.fix).toContain(
			"raise Max Access Removals, Max Access Removals (%) or Max Access Removals (%) Floor in this node's parameters",
		);
	});

	it('one access removal is singular', () => {
		expect(guardVerdict(removals(1), 10, 1, options(0, 100)).message).toBe(
			'The plan makes 1 access removal (1 deactivation), more than the limit of 0 (Max Access Removals is 0)',
		);
	});

	it('an empty input fails unless allowed', () => {
		const guard = options(100, 100);
		expect(guardVerdict([], 0, 0, guard).passed).toBe(false);
		expect(guardVerdict([], 0, 0, { ...guard, allowEmptyInput: true }).passed).toBe(true);
	});
});

describe('fields', () => {
	it('reads a SCIM user as Miro lists it', () => {
		expect(
			miroUserFrom({
				id: '1',
				userName: 'a@x.io',
				name: { givenName: 'A', familyName: 'B' },
				roles: [
					{ type: 'organization_user_role', value: 'ORGANIZATION_INTERNAL_ADMIN', primary: true },
				],
				'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
					employeeNumber: 'E1',
					manager: { value: '9' },
				},
			}),
		).toEqual({
			id: '1',
			userName: 'a@x.io',
			active: true,
			fields: expect.objectContaining({
				givenName: 'A',
				familyName: 'B',
				orgRole: 'ORGANIZATION_INTERNAL_ADMIN',
				employeeNumber: 'E1',
				managerId: '9',
			}),
		});
		expect(miroGroupFrom({ id: 7, displayName: 'T', members: [{ value: '1' }] })).toEqual(
			group('7', 'T', ['1']),
		);
	});

	it.each<[ManagedFields, ManagedFields, unknown]>([
		[{}, { department: 'X' }, undefined],
		[{ department: 'X' }, { department: 'X' }, undefined],
		[
			{ department: 'Y' },
			{ department: 'X' },
			{ before: { department: 'X' }, after: { department: 'Y' } },
		],
		[{ userType: 'Full' }, {}, { before: { userType: null }, after: { userType: 'Full' } }],
	])('fieldDiff(%j, %j)', (desired, current, expected) => {
		expect(fieldDiff(desired, current)).toEqual(expected);
	});
});
