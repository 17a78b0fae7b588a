/**
 * In-memory Miro organization: users (org members) and groups (teams). Records are plain
 * objects kept in insertion-ordered Maps so 100,000 seeded users cost one loop, and rendering to
 * SCIM JSON happens only for what a response returns.
 */
import type { Clock } from './clock';
import { type AttrPath, type FilterNode, filterAttributes, formatAttrPath } from './filter';
import {
	ENTERPRISE_SCHEMA,
	getCaseInsensitive,
	GROUP_SCHEMA,
	isPlainObject,
	ORG_ADMIN,
	ORG_ROLE_TYPE,
	ScimError,
	type ScimGroup,
	type ScimRole,
	type ScimUser,
	USER_SCHEMA,
	USER_TYPES,
	type UserType,
} from './scim';
import {
	addRoles,
	checkLengths,
	defaultRoles,
	normalizeUserName,
	normalizeUserType,
	optionalString,
	parseEnterprise,
	parseName,
	parsePhotos,
	shownName,
	toBoolean,
	type UserRecord,
} from './user';

export interface GroupRecord {
	id: string;
	displayName: string;
	members: Set<string>;
	/** Team admins: the last one cannot be removed from the team (Miro reference). */
	adminIds: Set<string>;
	created: string;
	lastModified: string;
}

/** Miro ids are numeric strings beyond 2^53; the first one mirrors a real Miro id. */
export const FIRST_ID = 3074457345618261605n;
export const DEFAULT_TEAM = 'Default Team';

const CORE_USER_URN = USER_SCHEMA.toLowerCase();
const ENTERPRISE_URN = ENTERPRISE_SCHEMA.toLowerCase();
const ENTERPRISE_FIELDS = [
	'employeenumber',
	'costcenter',
	'organization',
	'division',
	'department',
	'manager',
];

/** Attributes a /Users filter may name (lowercase, `attr` or `attr.sub`). */
const USER_FILTER_ATTRIBUTES = new Set([
	'id',
	'username',
	'externalid',
	'displayname',
	'usertype',
	'active',
	'preferredlanguage',
	'name',
	'name.givenname',
	'name.familyname',
	'name.formatted',
	'emails',
	'emails.value',
	'emails.primary',
	'groups',
	'groups.value',
	'groups.display',
	'roles',
	'roles.value',
	'roles.type',
	'roles.primary',
	'roles.display',
	'meta.created',
	'meta.lastmodified',
	'employeenumber',
	'costcenter',
	'organization',
	'division',
	'department',
	'manager',
	'manager.value',
	'manager.displayname',
]);

/** Groups: Miro documents no complex attribute filters; members.value is the one allowed. */
const GROUP_FILTER_ATTRIBUTES = new Set([
	'id',
	'displayname',
	'members',
	'members.value',
	'meta.created',
	'meta.lastmodified',
]);

function normalizedName(path: AttrPath): string | undefined {
	const uri = path.uri?.toLowerCase();
	if (uri !== undefined && uri !== CORE_USER_URN && uri !== ENTERPRISE_URN) {
		if (uri !== GROUP_SCHEMA.toLowerCase()) return undefined;
	}
	const attr = path.attr.toLowerCase();
	if (uri === ENTERPRISE_URN && !ENTERPRISE_FIELDS.includes(attr)) return undefined;
	return path.sub ? `${attr}.${path.sub.toLowerCase()}` : attr;
}

function checkFilterAttributes(node: FilterNode, allowed: Set<string>, resource: string): void {
	for (const { path, inValuePath } of filterAttributes(node)) {
		if (inValuePath && resource === 'Groups') {
			throw new ScimError(400, 'invalidFilter', 'Groups support no complex attribute filters');
		}
		const name = normalizedName(path);
		if (name === undefined || !allowed.has(name)) {
			const detail = `Filtering ${resource} by "${formatAttrPath(path)}" is not supported`;
			throw new ScimError(400, 'invalidFilter', detail);
		}
	}
}

export function checkUserFilter(node: FilterNode): void {
	checkFilterAttributes(node, USER_FILTER_ATTRIBUTES, 'Users');
}

export function checkGroupFilter(node: FilterNode): void {
	checkFilterAttributes(node, GROUP_FILTER_ATTRIBUTES, 'Groups');
}

function subOf(value: unknown, sub: string | undefined): unknown {
	if (!sub) return value;
	const pick = (element: unknown) =>
		isPlainObject(element) ? getCaseInsensitive(element, sub) : undefined;
	return Array.isArray(value) ? value.map(pick) : pick(value);
}

function cloneUser(user: UserRecord): UserRecord {
	return structuredClone(user);
}

/**
 * Which Miro object a SCIM Group is: a team (the older model; teams cannot be created or
 * deleted through SCIM) or a user group (Miro's newer synchronization model: groups are created
 * and deleted through SCIM, and there is no default team a new user joins).
 */
export type GroupModel = 'team' | 'user-group';

export interface StoreOptions {
	baseUrl: string;
	teams: string[];
	groupModel: GroupModel;
	seedAdmin: boolean;
	seedUsers: number;
	seedUserTeams?: number;
	/** meta timestamps come from it (default: real time) */
	clock?: Clock;
	/** the organization's licenses, lowest first (default: all of USER_TYPES) */
	userTypes?: readonly UserType[];
}

export class Store {
	private users = new Map<string, UserRecord>();
	private userNameIndex = new Map<string, string>();
	private groups = new Map<string, GroupRecord>();
	private nextId = FIRST_ID;
	private usersArray: UserRecord[] | undefined;
	/** Bumped on every change so list results can be cached between pages. */
	version = 0;
	defaultTeamId = '';

	constructor(private options: StoreOptions) {
		this.seed();
	}

	private now(): string {
		return this.options.clock?.iso() ?? new Date().toISOString();
	}

	/**
	 * Where a license stands in this organization's order; one the organization does not offer
	 * is refused like an unknown value (Miro's licenses differ per organization).
	 */
	private licenseRank(type: UserType): number {
		const order = this.options.userTypes ?? USER_TYPES;
		const rank = order.indexOf(type);
		if (rank < 0) {
			throw new ScimError(
				400,
				'invalidValue',
				`userType "${type}" is not one of ${order.join(', ')}`,
			);
		}
		return rank;
	}

	/** Back to the seeded organization (teams, optional admin, generated users), on `groupModel`. */
	reset(groupModel: GroupModel = this.options.groupModel): void {
		this.options = { ...this.options, groupModel };
		this.users.clear();
		this.userNameIndex.clear();
		this.groups.clear();
		this.nextId = FIRST_ID;
		this.seed();
	}

	private seed(): void {
		const teamModel = this.options.groupModel === 'team';
		const defaultTeam = teamModel ? this.createGroup(DEFAULT_TEAM) : undefined;
		this.defaultTeamId = defaultTeam?.id ?? '';
		for (const team of this.options.teams) if (team !== DEFAULT_TEAM) this.createGroup(team);
		if (this.options.seedAdmin) {
			// An org needs an admin, and the "last admin" rules need one to protect.
			const admin = this.createUser({
				userName: 'admin@example.com',
				name: { givenName: 'Org', familyName: 'Admin' },
				roles: [{ type: ORG_ROLE_TYPE, value: ORG_ADMIN, primary: true }],
			});
			defaultTeam?.adminIds.add(admin.id);
		}
		this.seedGeneratedUsers(this.options.seedUsers);
	}

	/** Bulk seeding for benchmarks: no validation, one shared timestamp, plain objects only. */
	private seedGeneratedUsers(count: number): void {
		const stamp = this.now();
		const members = this.groups.get(this.defaultTeamId)?.members;
		const teams = Array.from({ length: this.options.seedUserTeams ?? 0 }, (_, n) =>
			this.createGroup(`g_app_team${String(n + 1).padStart(2, '0')}`),
		);
		// Records are replaced, never mutated, on change: one frozen roles array serves them all.
		const roles = Object.freeze(defaultRoles().map((role) => Object.freeze(role))) as ScimRole[];
		for (let i = 1; i <= count; i++) {
			const userName = `user${i}@example.com`;
			const id = this.newId();
			this.users.set(id, {
				id,
				userName,
				name: { givenName: 'User', familyName: String(i) },
				userType: 'Full',
				active: true,
				roles,
				created: stamp,
				lastModified: stamp,
			});
			this.userNameIndex.set(userName, id);
			members?.add(id);
			if (teams.length > 0) teams[(i - 1) % teams.length].members.add(id);
		}
		this.touch();
	}

	newId(): string {
		const id = this.nextId.toString();
		this.nextId += 1n;
		return id;
	}

	private touch(): void {
		this.version++;
		this.usersArray = undefined;
	}

	location(resource: 'Users' | 'Groups', id: string): string {
		return `${this.options.baseUrl}/${resource}/${id}`;
	}

	// Users

	userRecords(): UserRecord[] {
		this.usersArray ??= [...this.users.values()];
		return this.usersArray;
	}

	getUser(id: string): UserRecord | undefined {
		return this.users.get(id);
	}

	findUserByName(userName: string): UserRecord | undefined {
		const id = this.userNameIndex.get(userName.toLowerCase());
		return id === undefined ? undefined : this.users.get(id);
	}

	private assertUniqueUserName(userName: string, exceptId?: string): void {
		const owner = this.userNameIndex.get(userName.toLowerCase());
		if (owner !== undefined && owner !== exceptId) {
			throw new ScimError(409, 'uniqueness', `userName "${userName}" is not unique`);
		}
	}

	/**
	 * Builds a user from a POST or PUT body. For PUT (`existing` given) attributes left out are
	 * cleared, except the license, status and roles, which Okta's PUT does not carry reliably.
	 */
	private userFromBody(body: unknown, existing?: UserRecord): UserRecord {
		if (!isPlainObject(body))
			throw new ScimError(400, 'invalidSyntax', 'Body must be a JSON object');
		const get = (key: string) => getCaseInsensitive(body, key);
		if (get('userName') === undefined || get('userName') === null) {
			throw new ScimError(400, 'invalidValue', 'userName is required');
		}
		const stamp = this.now();
		const user: UserRecord = {
			id: existing?.id ?? '',
			userName: normalizeUserName(get('userName')),
			userType: existing?.userType ?? 'Full',
			active: existing?.active ?? true,
			roles: existing ? existing.roles.map((role) => ({ ...role })) : defaultRoles(),
			created: existing?.created ?? stamp,
			lastModified: stamp,
		};
		const name = parseName(get('name'), true);
		if (name) user.name = name;
		const displayName = optionalString('displayName', get('displayName'));
		if (displayName !== undefined) user.displayName = displayName;
		const externalId = optionalString('externalId', get('externalId'));
		if (externalId !== undefined) user.externalId = externalId;
		const language = optionalString('preferredLanguage', get('preferredLanguage'));
		if (language !== undefined) user.preferredLanguage = language;
		const photos = parsePhotos(get('photos'));
		if (photos) user.photos = photos;
		const enterprise = parseEnterprise(get(ENTERPRISE_SCHEMA));
		if (enterprise) user.enterprise = enterprise;
		if (get('userType') !== undefined && get('userType') !== null) {
			user.userType = normalizeUserType(get('userType'));
		}
		if (get('active') !== undefined && get('active') !== null) {
			user.active = toBoolean('active', get('active'));
		}
		const roles = get('roles');
		if (Array.isArray(roles)) {
			const kept = existing ? user.roles.filter((role) => role.type === ORG_ROLE_TYPE) : user.roles;
			user.roles = addRoles(kept, roles);
		}
		checkLengths(user);
		return user;
	}

	createUser(body: unknown): UserRecord {
		const user = this.userFromBody(body);
		this.licenseRank(user.userType);
		this.assertUniqueUserName(user.userName);
		user.id = this.newId();
		this.users.set(user.id, user);
		this.userNameIndex.set(user.userName.toLowerCase(), user.id);
		// Miro: "the new user joins the org's default team".
		this.groups.get(this.defaultTeamId)?.members.add(user.id);
		this.touch();
		return user;
	}

	replaceUser(id: string, body: unknown): UserRecord {
		const existing = this.requireUser(id);
		const next = this.userFromBody(body, existing);
		if (isPlainObject(body)) {
			const sentId = getCaseInsensitive(body, 'id');
			if (sentId !== undefined && String(sentId) !== id) {
				throw new ScimError(400, 'mutability', 'id in the body does not match the URL');
			}
		}
		this.commitUser(existing, next);
		return next;
	}

	requireUser(id: string): UserRecord {
		const user = this.users.get(id);
		if (!user) throw new ScimError(404, undefined, `User ${id} not found`);
		return user;
	}

	/** A working copy for PATCH: changes apply to it and are committed only if all succeed. */
	draftUser(id: string): UserRecord {
		return cloneUser(this.requireUser(id));
	}

	/** Applies Miro's cross-attribute rules, then stores `next` in place of `previous`. */
	commitUser(previous: UserRecord, next: UserRecord): void {
		checkLengths(next);
		if (next.userName.toLowerCase() !== previous.userName.toLowerCase()) {
			this.assertUniqueUserName(next.userName, previous.id);
		}
		if (this.licenseRank(next.userType) < this.licenseRank(previous.userType)) {
			throw new ScimError(
				400,
				'invalidValue',
				`userType cannot be downgraded from ${previous.userType} to ${next.userType}`,
			);
		}
		const changed =
			next.userName !== previous.userName ||
			next.userType !== previous.userType ||
			JSON.stringify(next.roles) !== JSON.stringify(previous.roles);
		// Miro: while deactivated, userName, userType and roles cannot change; a request that also
		// reactivates the user is fine.
		if (!previous.active && !next.active && changed) {
			throw new ScimError(
				409,
				undefined,
				'User is deactivated: userName, userType and roles cannot change until it is reactivated',
			);
		}
		if (this.isActiveAdmin(previous) && !this.isActiveAdmin(next)) {
			this.assertAnotherActiveAdmin(previous.id);
		}
		next.lastModified = this.now();
		this.userNameIndex.delete(previous.userName.toLowerCase());
		this.userNameIndex.set(next.userName.toLowerCase(), next.id);
		this.users.set(next.id, next);
		this.touch();
	}

	private isActiveAdmin(user: UserRecord): boolean {
		return user.active && user.roles.some((r) => r.type === ORG_ROLE_TYPE && r.value === ORG_ADMIN);
	}

	private assertAnotherActiveAdmin(exceptId: string): void {
		for (const user of this.users.values()) {
			if (user.id !== exceptId && this.isActiveAdmin(user)) return;
		}
		throw new ScimError(409, undefined, 'The last organization admin cannot be removed');
	}

	deleteUser(id: string): void {
		const user = this.requireUser(id);
		if (user.roles.some((r) => r.type === ORG_ROLE_TYPE && r.value === ORG_ADMIN)) {
			this.assertAnotherActiveAdmin(id);
		}
		this.users.delete(id);
		this.userNameIndex.delete(user.userName.toLowerCase());
		for (const group of this.groups.values()) {
			if (group.members.delete(id)) group.lastModified = this.now();
			group.adminIds.delete(id);
		}
		this.touch();
	}

	/** Adding a deactivated user to a team reactivates it (Miro reference). */
	reactivate(id: string): void {
		const user = this.users.get(id);
		if (user && !user.active) {
			user.active = true;
			user.lastModified = this.now();
			this.touch();
		}
	}

	renderUser(user: UserRecord): ScimUser {
		const scim: ScimUser = {
			schemas: user.enterprise ? [USER_SCHEMA, ENTERPRISE_SCHEMA] : [USER_SCHEMA],
			id: user.id,
			userName: user.userName,
			displayName: shownName(user),
			userType: user.userType,
			active: user.active,
			emails: [{ value: user.userName, primary: true }],
			roles: user.roles.map((role) => ({ ...role })),
			groups: this.groupRefs(user.id),
			meta: {
				resourceType: 'User',
				created: user.created,
				lastModified: user.lastModified,
				location: this.location('Users', user.id),
			},
		};
		// Key order as Miro lists them, optional attributes only when set.
		const ordered: Record<string, unknown> = { schemas: scim.schemas, id: scim.id };
		if (user.externalId !== undefined) ordered.externalId = user.externalId;
		ordered.userName = scim.userName;
		if (user.name) ordered.name = { ...user.name };
		Object.assign(ordered, {
			displayName: scim.displayName,
			userType: scim.userType,
			active: scim.active,
		});
		if (user.preferredLanguage !== undefined) ordered.preferredLanguage = user.preferredLanguage;
		ordered.emails = scim.emails;
		if (user.photos) ordered.photos = user.photos.map((photo) => ({ ...photo }));
		ordered.roles = scim.roles;
		ordered.groups = scim.groups;
		if (user.enterprise) ordered[ENTERPRISE_SCHEMA] = structuredClone(user.enterprise);
		ordered.meta = scim.meta;
		return ordered as unknown as ScimUser;
	}

	/** Filter and sort resolver over records, so a 100,000-user filter renders nothing. */
	resolveUser = (user: UserRecord, path: AttrPath): unknown => {
		const uri = path.uri?.toLowerCase();
		const attr = path.attr.toLowerCase();
		if (uri === ENTERPRISE_URN || (uri === undefined && ENTERPRISE_FIELDS.includes(attr))) {
			const enterprise = user.enterprise as Record<string, unknown> | undefined;
			return subOf(enterprise ? getCaseInsensitive(enterprise, path.attr) : undefined, path.sub);
		}
		if (uri !== undefined && uri !== CORE_USER_URN) return undefined;
		// A switch, not a table of closures: this runs once per user per filtered request.
		switch (attr) {
			case 'id':
				return user.id;
			case 'username':
				return user.userName;
			case 'externalid':
				return user.externalId;
			case 'displayname':
				return shownName(user);
			case 'usertype':
				return user.userType;
			case 'active':
				return user.active;
			case 'preferredlanguage':
				return user.preferredLanguage;
			case 'name':
				return subOf(user.name, path.sub);
			case 'emails':
				return subOf([{ value: user.userName, primary: true }], path.sub);
			case 'photos':
				return subOf(user.photos, path.sub);
			case 'roles':
				return subOf(user.roles, path.sub);
			case 'groups':
				return subOf(this.groupRefs(user.id), path.sub);
			case 'meta':
				return subOf(
					{ resourceType: 'User', created: user.created, lastModified: user.lastModified },
					path.sub,
				);
			default:
				return undefined;
		}
	};

	private groupRefs(userId: string): Array<{ value: string; display: string }> {
		const refs: Array<{ value: string; display: string }> = [];
		for (const group of this.groups.values()) {
			if (group.members.has(userId)) refs.push({ value: group.id, display: group.displayName });
		}
		return refs;
	}

	// Groups

	groupRecords(): GroupRecord[] {
		return [...this.groups.values()];
	}

	getGroup(id: string): GroupRecord | undefined {
		return this.groups.get(id);
	}

	requireGroup(id: string): GroupRecord {
		const group = this.groups.get(id);
		if (!group) throw new ScimError(404, undefined, `Group ${id} not found`);
		return group;
	}

	createGroup(
		displayName: string,
		options: { memberIds?: string[]; adminIds?: string[] } = {},
	): GroupRecord {
		const stamp = this.now();
		const group: GroupRecord = {
			id: this.newId(),
			displayName,
			members: new Set(),
			adminIds: new Set(),
			created: stamp,
			lastModified: stamp,
		};
		for (const id of [...(options.memberIds ?? []), ...(options.adminIds ?? [])]) {
			this.requireUser(id);
			group.members.add(id);
		}
		for (const id of options.adminIds ?? []) group.adminIds.add(id);
		this.groups.set(group.id, group);
		this.touch();
		return group;
	}

	/** The user-group model's DELETE /Groups/{id}: members stay in the organization. */
	deleteGroup(id: string): void {
		this.requireGroup(id);
		this.groups.delete(id);
		this.touch();
	}

	draftGroup(id: string): GroupRecord {
		const group = this.requireGroup(id);
		return { ...group, members: new Set(group.members), adminIds: new Set(group.adminIds) };
	}

	commitGroup(next: GroupRecord): void {
		next.lastModified = this.now();
		this.groups.set(next.id, next);
		this.touch();
	}

	renderGroup(group: GroupRecord, includeMembers = true): ScimGroup {
		const scim: ScimGroup = {
			schemas: [GROUP_SCHEMA],
			id: group.id,
			displayName: group.displayName,
			meta: {
				resourceType: 'Group',
				created: group.created,
				lastModified: group.lastModified,
				location: this.location('Groups', group.id),
			},
		};
		if (!includeMembers) return scim;
		const members = [...group.members].map((id) => {
			const user = this.users.get(id);
			return { value: id, display: user ? shownName(user) : id, type: 'User' as const };
		});
		return {
			schemas: scim.schemas,
			id: scim.id,
			displayName: scim.displayName,
			members,
			meta: scim.meta,
		};
	}

	resolveGroup = (group: GroupRecord, path: AttrPath): unknown => {
		const uri = path.uri?.toLowerCase();
		if (uri !== undefined && uri !== GROUP_SCHEMA.toLowerCase()) return undefined;
		switch (path.attr.toLowerCase()) {
			case 'id':
				return group.id;
			case 'displayname':
				return group.displayName;
			case 'members':
				return subOf(
					[...group.members].map((value) => ({ value, type: 'User' })),
					path.sub,
				);
			case 'meta':
				return subOf(
					{ resourceType: 'Group', created: group.created, lastModified: group.lastModified },
					path.sub,
				);
			default:
				return undefined;
		}
	};

	counts(): { users: number; groups: number } {
		return { users: this.users.size, groups: this.groups.size };
	}
}

export type { UserRecord, UserType };
