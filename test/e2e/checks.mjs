// @ts-check
// What the emulator's state and request log must show after each template: the same end
// states as test/workflows/templates.test.ts. Each check throws an AssertionError on a difference.

import assert from 'node:assert/strict';

import { ADMIN_ROLE, PEOPLE, SEEDED_ADMIN, USER_ROLE } from './templates.mjs';

// ---- reading the emulator's state ------------------------------------------------------

/**
 * The emulator's JSON as these checks read it (GET /_emulator/state and /_emulator/log).
 * @typedef {{ id: string, userName: string, displayName?: string, active?: boolean,
 *   roles?: Array<{ value: string, primary?: boolean, type?: string }>, [field: string]: any }} EmulatorUser
 * @typedef {{ id: string, displayName: string, members: Array<{ value: string, [field: string]: any }>,
 *   [field: string]: any }} EmulatorGroup
 * @typedef {{ users: EmulatorUser[], groups: EmulatorGroup[], groupModel?: string, [field: string]: any }} EmulatorState
 * @typedef {{ method: string, path: string, status: number, endpoint?: string, flags?: string[],
 *   [field: string]: any }} LogEntry
 * @typedef {{ result: import('./n8n.mjs').ExecuteResult, state: EmulatorState, log: LogEntry[] }} Run
 */

/** @param {EmulatorState} state @param {string} email */
export const usersNamed = (state, email) =>
	state.users.filter((user) => user.userName.toLowerCase() === email.toLowerCase());

/** @param {EmulatorUser} user */
export const orgRole = (user) =>
	user.roles?.find((role) => role.primary)?.value ??
	user.roles?.find((role) => role.type === 'organization_user_role')?.value;

/**
 * Names of the teams `email` is a member of, sorted.
 * @param {EmulatorState} state
 * @param {string} email
 */
export function teamsOf(state, email) {
	const ids = new Set(usersNamed(state, email).map((user) => user.id));
	return state.groups
		.filter((group) => group.members.some((member) => ids.has(member.value)))
		.map((group) => group.displayName)
		.sort();
}

/** On the team model every user is also in 'Default Team'; the user-group model has none. */
/** @param {EmulatorState} state @param {string[]} names */
export const withDefaultTeam = (state, names) =>
	state.groupModel === 'user-group' ? names : ['Default Team', ...names];

/**
 * { teamName: [member emails, sorted] }
 * @param {EmulatorState} state
 * @returns {Record<string, string[]>}
 */
export function memberships(state) {
	const emailOf = new Map(state.users.map((user) => [user.id, user.userName]));
	return Object.fromEntries(
		state.groups.map((group) => [
			group.displayName,
			group.members.map((member) => emailOf.get(member.value) ?? `id ${member.value}`).sort(),
		]),
	);
}

/** Users without `meta` (timestamps), by id: compares two states. */
/** @param {EmulatorState} state */
export const usersForComparison = (state) =>
	[...state.users].sort((a, b) => a.id.localeCompare(b.id)).map(({ meta: _meta, ...user }) => user);

/** @param {LogEntry[]} log @param {string} method @param {RegExp} pathPattern */
const countRequests = (log, method, pathPattern) =>
	log.filter((entry) => entry.method === method && pathPattern.test(entry.path)).length;

// ---- the expected end states -------------------------------------------------------------

/**
 * deepStrictEqual whose message shows what was expected and what was found.
 * @param {unknown} actual
 * @param {unknown} expected
 * @param {string} what
 */
function same(actual, expected, what) {
	assert.deepStrictEqual(
		actual,
		expected,
		`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
	);
}

/**
 * @param {EmulatorState} state
 * @param {string} email
 */
function userOnce(state, email) {
	const found = usersNamed(state, email);
	same(found.length, 1, `number of users named ${email}`);
	return found[0];
}

/** @param {LogEntry[]} log */
function assertNoMembershipRewrite(log) {
	const rewrites = log.filter((entry) =>
		(entry.flags ?? []).some((flag) => flag === 'replaceMembers' || flag === 'removeAllMembers'),
	);
	same(
		rewrites.map((entry) => `${entry.method} ${entry.path}`),
		[],
		'no request may replace or clear a whole team membership',
	);
}

/**
 * Ada, Grace and Alan exist once each, active, named, in their teams; 3 POST /Users.
 * @param {Run} run
 */
export function checkOnboarding({ result, state, log }) {
	same(result.items('Add user to team').length, 3, 'three people added to a team');
	same(
		state.users.map((user) => user.userName).sort(),
		[SEEDED_ADMIN, PEOPLE.ada, PEOPLE.alan, PEOPLE.grace].sort(),
		'the org has the seeded admin and the three new people',
	);
	const names = { ada: ['Ada', 'Lovelace'], grace: ['Grace', 'Hopper'], alan: ['Alan', 'Turing'] };
	for (const [who, [givenName, familyName]] of Object.entries(names)) {
		const email = PEOPLE[/** @type {keyof typeof PEOPLE} */ (who)];
		const user = userOnce(state, email);
		same(
			{ givenName: user.name?.givenName, familyName: user.name?.familyName },
			{ givenName, familyName },
			`${email} name`,
		);
		same(user.active, true, `${email} is active`);
		same(orgRole(user), USER_ROLE, `${email} org role`);
	}
	same(teamsOf(state, PEOPLE.ada), withDefaultTeam(state, ['Engineering']), 'Ada teams');
	same(teamsOf(state, PEOPLE.grace), withDefaultTeam(state, ['Engineering']), 'Grace teams');
	same(teamsOf(state, PEOPLE.alan), withDefaultTeam(state, ['g_app_proeng_all']), 'Alan teams');
	same(countRequests(log, 'POST', /\/Users$/), 3, 'POST /Users requests');
	// Both team names come from one listing of the group directory (none if still fresh).
	same(countRequests(log, 'GET', /\/Groups$/) <= 1, true, 'at most one team listing');
	same(countRequests(log, 'PATCH', /\/Groups\/\d+$/), 2, 'one merged PATCH per team');
	assertNoMembershipRewrite(log);
}

/**
 * A second onboarding run creates nobody and changes no user and no membership.
 * @param {Run} run
 * @param {EmulatorState} previous  the state after the first run
 */
export function checkOnboardingRerun({ result, state, log }, previous) {
	same(countRequests(log, 'POST', /\/Users$/), 0, 'no POST /Users on the second run');
	same(
		result.items('Create or find Miro user').map((item) => item.created),
		[false, false, false],
		'every person was found, none created',
	);
	for (const email of Object.values(PEOPLE)) userOnce(state, email);
	same(state.users.length, 4, 'still the admin and the three people');
	same(usersForComparison(state), usersForComparison(previous), 'users unchanged');
	same(memberships(state), memberships(previous), 'team memberships unchanged');
	assertNoMembershipRewrite(log);
}

/**
 * Alan is an org admin, moved from g_app_proeng_all to g_app_itadmin_all; nobody else moved.
 * @param {Pick<Run, 'state' | 'log'>} run
 */
export function checkRoleChange({ state, log }) {
	const alan = userOnce(state, PEOPLE.alan);
	same(orgRole(alan), ADMIN_ROLE, 'Alan is an organization admin');
	same(teamsOf(state, PEOPLE.alan), withDefaultTeam(state, ['g_app_itadmin_all']), 'Alan teams');
	same(teamsOf(state, PEOPLE.ada), withDefaultTeam(state, ['Engineering']), 'Ada teams');
	same(teamsOf(state, PEOPLE.grace), withDefaultTeam(state, ['Engineering']), 'Grace teams');
	same(orgRole(userOnce(state, PEOPLE.ada)), USER_ROLE, 'Ada org role');
	same(orgRole(userOnce(state, PEOPLE.grace)), USER_ROLE, 'Grace org role');
	same(state.users.length, 4, 'nobody created or deleted');
	same(countRequests(log, 'POST', /\/Users$/), 0, 'no POST /Users');
	assertNoMembershipRewrite(log);
}

/**
 * Grace is deactivated (not deleted) and in no team; Ada and Alan are untouched.
 * @param {Run} run
 */
export function checkOffboarding({ result, state, log }) {
	const deleted = result.runData['Delete user']?.[0]?.data?.main?.[0] ?? [];
	same(deleted.length, 0, 'the Delete user branch did not run');
	same(countRequests(log, 'DELETE', /\/Users\/\d+$/), 0, 'no DELETE /Users/{id}');
	const grace = userOnce(state, PEOPLE.grace);
	same(grace.active, false, 'Grace is deactivated');
	same(teamsOf(state, PEOPLE.grace), [], 'Grace is in no team');
	same(userOnce(state, PEOPLE.ada).active, true, 'Ada is still active');
	same(teamsOf(state, PEOPLE.ada), withDefaultTeam(state, ['Engineering']), 'Ada teams');
	same(userOnce(state, PEOPLE.alan).active, true, 'Alan is still active');
	same(orgRole(userOnce(state, PEOPLE.alan)), ADMIN_ROLE, 'Alan is still an admin');
	same(teamsOf(state, PEOPLE.alan), withDefaultTeam(state, ['g_app_itadmin_all']), 'Alan teams');
	same(state.users.length, 4, 'nobody created or deleted');
	assertNoMembershipRewrite(log);
}

export const CHECKS = {
	onboarding: checkOnboarding,
	roleChange: checkRoleChange,
	offboarding: checkOffboarding,
};
