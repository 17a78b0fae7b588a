import { domainOf, fieldDiff, isOrgAdmin } from './fields';
import { indexGroups, managedGroupIds, personGroupIds } from './groups';
import type { GroupIndex } from './groups';
import { guardVerdict } from './guard';
import type {
	Change,
	DesiredPerson,
	FieldValues,
	ItemProblem,
	MiroGroup,
	MiroUser,
	Plan,
	SyncOptions,
} from './types';

interface UserIndex {
	byEmail: Map<string, MiroUser>;
	byNumber: Map<string, MiroUser>;
}

function indexUsers(users: MiroUser[]): UserIndex {
	const byEmail = new Map<string, MiroUser>();
	const byNumber = new Map<string, MiroUser>();
	for (const user of users) {
		byEmail.set(user.userName.toLowerCase(), user);
		const number = user.fields.employeeNumber;
		if (number) byNumber.set(number, user);
	}
	return { byEmail, byNumber };
}

interface Match {
	person: DesiredPerson;
	user?: MiroUser;
	groupIds?: Set<string>;
}

/** Everything the plan derives from the listings before deciding on changes. */
interface Context {
	options: SyncOptions;
	users: UserIndex;
	groups: GroupIndex;
	managed: Set<string>;
	/** group id -> member ids */
	members: Map<string, Set<string>>;
	excluded: Set<string>;
}

function duplicateProblem(person: DesiredPerson, field: string, value: string, first: number) {
	return {
		itemIndex: person.itemIndex,
		field,
		problem: `${value} is also in item ${first}`,
		fix: 'Each person may appear once in the input: remove or merge the duplicate.',
	};
}

/** Finds the Miro user for a person, or why the person cannot be used. */
function matchPerson(person: DesiredPerson, ctx: Context): MiroUser | undefined | ItemProblem {
	const byEmail = ctx.users.byEmail.get(person.email.toLowerCase());
	if (ctx.options.matchBy === 'email') return byEmail;
	const number = person.fields.employeeNumber;
	if (!number) {
		return {
			itemIndex: person.itemIndex,
			field: 'Employee Number',
			problem: 'is empty',
			fix: 'Match By is Employee Number: map the employee number for every person.',
		};
	}
	const byNumber = ctx.users.byNumber.get(number);
	if (byNumber && byEmail && byEmail !== byNumber) {
		return {
			itemIndex: person.itemIndex,
			field: 'Email',
			problem: `${person.email} belongs to another Miro user (${byEmail.id}) than employee number ${number} (${byNumber.id})`,
			fix: 'Fix the email or the employee number in the source, or change the other Miro user first.',
		};
	}
	if (byNumber) return byNumber;
	if (byEmail?.fields.employeeNumber) {
		return {
			itemIndex: person.itemIndex,
			field: 'Employee Number',
			problem: `${person.email} is a Miro user with employee number ${byEmail.fields.employeeNumber}, not ${number}`,
			fix: 'Fix the employee number in the source or in Miro.',
		};
	}
	return byEmail;
}

/** Duplicates, unmatched keys and unusable groups: people the plan must leave out. */
function matchAll(people: DesiredPerson[], ctx: Context) {
	const matches: Match[] = [];
	const problems: ItemProblem[] = [];
	const seenEmail = new Map<string, number>();
	const seenNumber = new Map<string, number>();
	for (const person of people) {
		const email = person.email.toLowerCase();
		const number = person.fields.employeeNumber;
		let problem: ItemProblem | undefined;
		if (seenEmail.has(email))
			problem = duplicateProblem(person, 'Email', person.email, seenEmail.get(email) as number);
		else if (ctx.options.matchBy === 'employeeNumber' && number && seenNumber.has(number))
			problem = duplicateProblem(
				person,
				'Employee Number',
				number,
				seenNumber.get(number) as number,
			);
		seenEmail.set(email, seenEmail.get(email) ?? person.itemIndex);
		if (number) seenNumber.set(number, seenNumber.get(number) ?? person.itemIndex);
		const user = problem ?? matchPerson(person, ctx);
		const groupIds =
			person.groups === undefined ? undefined : personGroupIds(ctx.groups, ctx.managed, person);
		problem ??= user && 'problem' in user ? user : undefined;
		problem ??= groupIds && 'problem' in groupIds ? groupIds : undefined;
		if (problem) problems.push(problem);
		else
			matches.push({
				person,
				user: user as MiroUser | undefined,
				groupIds: groupIds as Set<string>,
			});
	}
	return { matches, problems };
}

function createChange(person: DesiredPerson): Change[] {
	if (person.fields.active === false) return [];
	const after: FieldValues = { email: person.email };
	for (const [key, value] of Object.entries(person.fields))
		if (value !== undefined) after[key as keyof FieldValues] = value;
	return [
		{
			action: 'create',
			email: person.email,
			itemIndex: person.itemIndex,
			before: undefined,
			after,
			removesAccess: false,
		},
	];
}

/** Create, or one change (update, reactivate or deactivate) carrying every field that differs. */
function userChange(match: Match, ctx: Context): Change[] {
	const { person, user } = match;
	if (!user) return createChange(person);
	const diff = fieldDiff(person.fields, user.fields) ?? { before: {}, after: {} };
	if (user.userName.toLowerCase() !== person.email.toLowerCase()) {
		diff.before.email = user.userName;
		diff.after.email = person.email;
	}
	const wantActive = person.fields.active !== false;
	const base = { email: user.userName, id: user.id, itemIndex: person.itemIndex };
	if (wantActive !== user.active) {
		if (!wantActive && isOrgAdmin(user) && !ctx.options.includeAdmins) {
			return [
				...(Object.keys(diff.after).length > 0
					? [{ ...base, action: 'update' as const, ...diff, removesAccess: false }]
					: []),
				{ ...base, action: 'report', removesAccess: false, note: adminNote('deactivated') },
			];
		}
		diff.before.active = user.active;
		diff.after.active = wantActive;
		const action = wantActive ? 'reactivate' : 'deactivate';
		return [{ ...base, action, ...diff, removesAccess: !wantActive }];
	}
	if (Object.keys(diff.after).length === 0) return [];
	return [{ ...base, action: 'update', ...diff, removesAccess: false }];
}

function adminNote(verb: string): string {
	return `organization admin: not ${verb} (turn on Include Organization Admins to allow it)`;
}

/** Additions to and removals from the managed groups, for one person in the input. */
function groupChanges(match: Match, ctx: Context): Change[] {
	const { person, user, groupIds } = match;
	if (!groupIds || person.fields.active === false) return [];
	const changes: Change[] = [];
	const email = user?.userName ?? person.email;
	for (const groupId of ctx.managed) {
		const isMember = user !== undefined && (ctx.members.get(groupId)?.has(user.id) ?? false);
		const wanted = groupIds.has(groupId);
		if (wanted === isMember) continue;
		const group = { id: groupId, name: ctx.groups.byId.get(groupId)?.displayName ?? groupId };
		changes.push({
			action: wanted ? 'addToGroup' : 'removeFromGroup',
			email,
			id: user?.id,
			itemIndex: person.itemIndex,
			group,
			removesAccess: !wanted,
		});
	}
	return changes;
}

function inScopeLeaver(user: MiroUser, ctx: Context): boolean {
	const { scope, domains } = ctx.options;
	if (scope === 'domains') return domains.includes(domainOf(user.userName));
	if (scope === 'groups') {
		for (const groupId of ctx.managed) if (ctx.members.get(groupId)?.has(user.id)) return true;
	}
	return false;
}

/** What happens to a user in scope who is not in the input. */
function leaverChange(user: MiroUser, ctx: Context): Change[] {
	const { leavers, includeAdmins } = ctx.options;
	const base = { email: user.userName, id: user.id, before: { active: user.active } };
	if (leavers === 'report') {
		return user.active
			? [{ ...base, action: 'report', removesAccess: false, note: 'leaver (Leavers: Report Only)' }]
			: [];
	}
	if (leavers === 'deactivate' && !user.active) return [];
	if (isOrgAdmin(user) && !includeAdmins) {
		const verb = leavers === 'delete' ? 'deleted' : 'deactivated';
		return [
			{ ...base, action: 'report', removesAccess: false, note: `leaver, ${adminNote(verb)}` },
		];
	}
	if (leavers === 'delete')
		return [{ ...base, action: 'delete', after: undefined, removesAccess: true }];
	return [{ ...base, action: 'deactivate', after: { active: false }, removesAccess: true }];
}

/** Users that input items name but the plan cannot use are never taken for leavers. */
function protectedKeysOf(people: DesiredPerson[], problems: ItemProblem[], options: SyncOptions) {
	const keys = new Set(options.protectedKeys.map((key) => key.toLowerCase()));
	const items = new Set(problems.map((problem) => problem.itemIndex));
	for (const person of people) {
		if (!items.has(person.itemIndex)) continue;
		keys.add(person.email.toLowerCase());
		if (person.fields.employeeNumber) keys.add(person.fields.employeeNumber.toLowerCase());
	}
	return keys;
}

function isExcluded(user: MiroUser | undefined, email: string, ctx: Context): boolean {
	return (
		ctx.excluded.has(email.toLowerCase()) ||
		(user !== undefined && ctx.excluded.has(user.userName.toLowerCase()))
	);
}

function buildContext(
	groups: MiroGroup[],
	users: MiroUser[],
	people: DesiredPerson[],
	options: SyncOptions,
): Context {
	const groupIndex = indexGroups(groups);
	const managed = managedGroupIds(groupIndex, people, options);
	const members = new Map<string, Set<string>>();
	for (const id of managed) members.set(id, new Set(groupIndex.byId.get(id)?.memberIds ?? []));
	const excluded = new Set(options.exclude.map((email) => email.toLowerCase()));
	return { options, users: indexUsers(users), groups: groupIndex, managed, members, excluded };
}

/**
 * The plan of a reconcile: from the desired people and Miro's listings to the exact changes that
 * make Miro match, within scope, and whether the safety guard lets them through. Pure: no
 * requests, no clock; the same input gives the same plan.
 */
export function planSync(
	people: DesiredPerson[],
	users: MiroUser[],
	groups: MiroGroup[],
	options: SyncOptions,
): Plan {
	const ctx = buildContext(groups, users, people, options);
	const { matches, problems } = matchAll(people, ctx);
	const changes: Change[] = [];
	const matched = new Set<string>();
	let inScope = 0;
	let excluded = 0;
	for (const match of matches) {
		if (match.user) matched.add(match.user.id);
		if (isExcluded(match.user, match.person.email, ctx)) {
			excluded++;
			continue;
		}
		if (match.user) inScope++;
		changes.push(...userChange(match, ctx), ...groupChanges(match, ctx));
	}
	const protectedKeys = protectedKeysOf(people, problems, options);
	for (const user of users) {
		if (matched.has(user.id) || !inScopeLeaver(user, ctx)) continue;
		if (isExcluded(user, user.userName, ctx)) {
			excluded++;
			continue;
		}
		if (protectedKeys.has(user.userName.toLowerCase())) continue;
		if (user.fields.employeeNumber && protectedKeys.has(user.fields.employeeNumber.toLowerCase()))
			continue;
		inScope++;
		changes.push(...leaverChange(user, ctx));
	}
	const guard = guardVerdict(changes, inScope, matches.length, options);
	return { changes, problems, guard, inScope, excluded };
}
