/* eslint-disable @n8n/community-nodes/require-node-api-error -- n8n's community-node rules guard shipped node code; this dev/test tool is never shipped */
/**
 * PatchOp (RFC 7644 section 3.5.2) for Miro users and teams: every operation applies to a
 * draft, and the store commits the draft only when all operations succeeded, so a failed PATCH
 * changes nothing.
 */
import {
	evaluate,
	FilterError,
	type FilterNode,
	parsePatchPath,
	type PatchPath,
	resolvePlain,
} from './filter';
import {
	ENTERPRISE_SCHEMA,
	GROUP_SCHEMA,
	isPlainObject,
	ORG_ROLE_TYPE,
	PATCH_OP_SCHEMA,
	ScimError,
	USER_SCHEMA,
} from './scim';
import type { GroupRecord, Store } from './store';
import {
	addRoles,
	adminRole,
	ENTERPRISE_MAX,
	isOrgRoleEntry,
	managerValue,
	normalizeOrgRoleValue,
	normalizeUserName,
	normalizeUserType,
	optionalString,
	orgRole,
	parsePhotos,
	requireString,
	toBoolean,
	type UserRecord,
} from './user';

export type PatchOpName = 'add' | 'remove' | 'replace';

export interface PatchOperation {
	op: PatchOpName;
	path?: string;
	value?: unknown;
}

/** Miro's documented ceiling for one group PATCH; above it the answer is 413. */
export const MAX_MEMBERS_PER_PATCH = 8000;

const ENTERPRISE_URN = ENTERPRISE_SCHEMA.toLowerCase();
const CORE_USER_URN = USER_SCHEMA.toLowerCase();
const ENTERPRISE_STRINGS = Object.keys(ENTERPRISE_MAX).map((field) => field.toLowerCase());

function invalidPath(detail: string): ScimError {
	return new ScimError(400, 'invalidPath', detail);
}

function invalidValue(detail: string): ScimError {
	return new ScimError(400, 'invalidValue', detail);
}

export function parsePatchOp(body: unknown): PatchOperation[] {
	if (!isPlainObject(body))
		throw new ScimError(400, 'invalidSyntax', 'Body must be a PatchOp object');
	const schemas = body.schemas;
	if (
		!Array.isArray(schemas) ||
		!schemas.some((s) => String(s).toLowerCase() === PATCH_OP_SCHEMA.toLowerCase())
	) {
		throw new ScimError(400, 'invalidSyntax', `schemas must contain ${PATCH_OP_SCHEMA}`);
	}
	const operations = body.Operations ?? body.operations;
	if (!Array.isArray(operations) || operations.length === 0) {
		throw new ScimError(400, 'invalidSyntax', 'Operations must be a non-empty array');
	}
	return operations.map((operation, index) => {
		if (!isPlainObject(operation)) {
			throw new ScimError(400, 'invalidSyntax', `Operations[${index}] must be an object`);
		}
		// RFC 7644 section 3.5.2: op values are case-insensitive; Entra sends "Replace", Miro "replace".
		const op = typeof operation.op === 'string' ? operation.op.toLowerCase() : '';
		if (op !== 'add' && op !== 'remove' && op !== 'replace') {
			throw new ScimError(
				400,
				'invalidSyntax',
				`Operations[${index}].op must be add, remove or replace`,
			);
		}
		const path =
			typeof operation.path === 'string' && operation.path.trim() !== ''
				? operation.path
				: undefined;
		if (operation.path !== undefined && typeof operation.path !== 'string') {
			throw invalidPath(`Operations[${index}].path must be a string`);
		}
		if (op === 'remove' && path === undefined) {
			throw new ScimError(400, 'noTarget', `Operations[${index}]: remove needs a path`);
		}
		if (op !== 'remove' && operation.value === undefined) {
			throw invalidValue(`Operations[${index}]: ${op} needs a value`);
		}
		if (op !== 'remove' && path === undefined && !isPlainObject(operation.value)) {
			throw invalidValue(`Operations[${index}]: without a path the value must be an object`);
		}
		return { op, path, value: operation.value };
	});
}

function parseTarget(text: string): PatchPath {
	try {
		return parsePatchPath(text);
	} catch (error) {
		if (error instanceof FilterError) throw invalidPath(error.message);
		throw error;
	}
}

function assertPlain(target: PatchPath, text: string): void {
	if (target.filter || target.path.sub || target.valueSub)
		throw invalidPath(`Invalid path "${text}"`);
}

// Users

export function patchUser(store: Store, id: string, body: unknown): UserRecord {
	const operations = parsePatchOp(body);
	const previous = store.requireUser(id);
	const draft = store.draftUser(id);
	for (const operation of operations) applyUserOperation(draft, operation);
	store.commitUser(previous, draft);
	return draft;
}

function applyUserOperation(user: UserRecord, operation: PatchOperation): void {
	if (operation.path !== undefined) {
		applyUserPath(user, operation.op, operation.path, operation.value);
		return;
	}
	// Okta and Entra send `{"op":"Replace","value":{"active":false}}`: each key is a path.
	for (const [key, value] of Object.entries(operation.value as Record<string, unknown>)) {
		const lower = key.toLowerCase();
		if (lower === 'schemas' || (lower === 'id' && value === user.id)) continue;
		if (lower === ENTERPRISE_URN) {
			if (!isPlainObject(value)) throw invalidValue(`${ENTERPRISE_SCHEMA} must be an object`);
			for (const [field, fieldValue] of Object.entries(value)) {
				applyUserPath(user, operation.op, `${ENTERPRISE_SCHEMA}:${field}`, fieldValue);
			}
			continue;
		}
		applyUserPath(user, operation.op, key, value);
	}
}

function applyUserPath(user: UserRecord, op: PatchOpName, text: string, value: unknown): void {
	const target = parseTarget(text);
	const uri = target.path.uri?.toLowerCase();
	const attr = target.path.attr.toLowerCase();
	if (uri === ENTERPRISE_URN) return applyEnterprise(user, op, target, text, value);
	if (uri !== undefined && uri !== CORE_USER_URN)
		throw invalidPath(`Unknown schema in path "${text}"`);
	const remove = op === 'remove';
	switch (attr) {
		case 'active':
			assertPlain(target, text);
			if (remove) throw invalidValue('active cannot be removed');
			user.active = toBoolean('active', value);
			return;
		case 'username':
			assertPlain(target, text);
			if (remove) throw invalidValue('userName cannot be removed');
			user.userName = normalizeUserName(value);
			return;
		case 'usertype':
			assertPlain(target, text);
			if (remove) throw invalidValue('userType cannot be removed (licenses are upgrade-only)');
			user.userType = normalizeUserType(value);
			return;
		case 'displayname':
		case 'preferredlanguage':
		case 'externalid': {
			assertPlain(target, text);
			const key = (
				{
					displayname: 'displayName',
					preferredlanguage: 'preferredLanguage',
					externalid: 'externalId',
				} as const
			)[attr];
			const next = remove ? undefined : optionalString(key, value);
			if (next === undefined) delete user[key];
			else user[key] = next;
			return;
		}
		case 'name':
			return applyName(user, op, target, text, value);
		case 'emails':
			return applyEmails(user, op, target, value);
		case 'roles':
			return applyRoles(user, op, target, text, value);
		case 'photos':
			return applyPhotos(user, op, target, text, value);
		case 'groups':
			throw new ScimError(
				400,
				'mutability',
				'groups is read-only on a user: PATCH the group members',
			);
		case 'id':
		case 'meta':
		case 'schemas':
			throw new ScimError(400, 'mutability', `${target.path.attr} is read-only`);
		default:
			// Enterprise attributes are also accepted without their schema URN prefix.
			if (uri === undefined && (ENTERPRISE_STRINGS.includes(attr) || attr === 'manager')) {
				return applyEnterprise(user, op, target, text, value);
			}
			throw invalidPath(`Unknown attribute in path "${text}"`);
	}
}

function applyName(
	user: UserRecord,
	op: PatchOpName,
	target: PatchPath,
	text: string,
	value: unknown,
): void {
	if (target.filter) throw invalidPath(`Invalid path "${text}"`);
	const subs = {
		givenname: 'givenName',
		familyname: 'familyName',
		formatted: 'formatted',
	} as const;
	const name = { ...user.name };
	if (target.path.sub) {
		const key = subs[target.path.sub.toLowerCase() as keyof typeof subs];
		if (!key) throw invalidPath(`Unknown attribute in path "${text}"`);
		const next = op === 'remove' ? undefined : optionalString(`name.${key}`, value);
		if (next === undefined) delete name[key];
		else name[key] = next;
	} else if (op === 'remove') {
		delete user.name;
		return;
	} else {
		// RFC 7644 section 3.5.2.3: sub-attributes left out of the value stay as they are.
		if (!isPlainObject(value)) throw invalidValue('name must be an object');
		for (const [sub, subValue] of Object.entries(value)) {
			const key = subs[sub.toLowerCase() as keyof typeof subs];
			if (!key) continue;
			const next = optionalString(`name.${key}`, subValue);
			if (next === undefined) delete name[key];
			else name[key] = next;
		}
	}
	if (Object.keys(name).length > 0) user.name = name;
	else delete user.name;
}

/** Miro derives emails from userName; an unchanged address is accepted so IdP syncs pass. */
function applyEmails(user: UserRecord, op: PatchOpName, target: PatchPath, value: unknown): void {
	const readOnly = new ScimError(
		400,
		'mutability',
		'emails is derived from userName and read-only: replace userName to change the address',
	);
	if (op === 'remove') throw readOnly;
	const list = Array.isArray(value) ? value : [value];
	const addresses = list.map((entry) => (isPlainObject(entry) ? entry.value : entry));
	const same = addresses.every(
		(address) =>
			typeof address === 'string' && address.toLowerCase() === user.userName.toLowerCase(),
	);
	if (!same || (target.path.sub && target.path.sub.toLowerCase() !== 'value')) throw readOnly;
}

function applyRoles(
	user: UserRecord,
	op: PatchOpName,
	target: PatchPath,
	text: string,
	value: unknown,
): void {
	if (target.path.sub) throw invalidPath(`Invalid path "${text}": address roles with a filter`);
	const isOrg = (role: { type: string }) => role.type === ORG_ROLE_TYPE;
	if (target.filter) {
		const filter = target.filter;
		const matched = user.roles.filter((role) => evaluate(filter, role, resolvePlain));
		if (op === 'remove') {
			if (target.valueSub) throw invalidPath(`Invalid path "${text}": remove the whole role`);
			if (matched.some(isOrg)) {
				throw invalidValue(
					'The organization role cannot be removed: replace roles[primary eq true].value',
				);
			}
			// Nothing matching means nothing to remove: an IdP retry must not fail.
			user.roles = user.roles.filter((role) => !matched.includes(role));
			return;
		}
		if (matched.length === 0) throw new ScimError(400, 'noTarget', `No role matches "${text}"`);
		if (target.valueSub && target.valueSub.toLowerCase() !== 'value') {
			throw invalidPath(`Only roles[...].value can be set, not "${text}"`);
		}
		const newValue = target.valueSub ? value : isPlainObject(value) ? value.value : value;
		let roles = user.roles.filter((role) => !matched.includes(role));
		for (const role of matched) {
			if (isOrg(role)) roles = [orgRole(normalizeOrgRoleValue(newValue)), ...roles];
			else roles = addRoles(roles, [adminRole(requireString('roles.value', newValue))]);
		}
		user.roles = roles;
		return;
	}
	const orgRoles = user.roles.filter(isOrg);
	if (op === 'add') user.roles = addRoles(user.roles, value);
	else if (op === 'replace') user.roles = addRoles(orgRoles, value);
	else if (value === undefined) user.roles = orgRoles;
	else {
		const entries = (Array.isArray(value) ? value : [value]).map((entry) => {
			if (!isPlainObject(entry)) throw invalidValue('roles entries must be objects');
			if (isOrgRoleEntry(entry)) throw invalidValue('The organization role cannot be removed');
			return String(entry.value).toLowerCase();
		});
		user.roles = user.roles.filter(
			(role) => isOrg(role) || !entries.includes(role.value.toLowerCase()),
		);
	}
}

function applyPhotos(
	user: UserRecord,
	op: PatchOpName,
	target: PatchPath,
	text: string,
	value: unknown,
): void {
	if (target.path.sub) throw invalidPath(`Invalid path "${text}"`);
	const photos = user.photos ?? [];
	if (target.filter) {
		const filter = target.filter;
		const rest = photos.filter((photo) => !evaluate(filter, photo, resolvePlain));
		if (op !== 'remove')
			rest.push({
				type: 'photo',
				value: requireString('photos.value', isPlainObject(value) ? value.value : value),
			});
		user.photos = rest;
	} else if (op === 'remove') {
		delete user.photos;
		return;
	} else {
		const next = parsePhotos(value) ?? [];
		user.photos = op === 'add' ? [...photos, ...next] : next;
	}
	if (user.photos.length === 0) delete user.photos;
}

function applyEnterprise(
	user: UserRecord,
	op: PatchOpName,
	target: PatchPath,
	text: string,
	value: unknown,
): void {
	if (target.filter) throw invalidPath(`Invalid path "${text}"`);
	const enterprise = { ...user.enterprise };
	const attr = target.path.attr.toLowerCase();
	const remove = op === 'remove';
	if (ENTERPRISE_STRINGS.includes(attr)) {
		if (target.path.sub) throw invalidPath(`Invalid path "${text}"`);
		const key = Object.keys(ENTERPRISE_MAX).find(
			(field) => field.toLowerCase() === attr,
		) as keyof typeof ENTERPRISE_MAX;
		const next = remove ? undefined : optionalString(key, value);
		if (next === undefined) delete enterprise[key];
		else enterprise[key] = next;
	} else if (attr === 'manager') {
		const manager = { ...enterprise.manager };
		const sub = target.path.sub?.toLowerCase();
		const setValue = (raw: unknown) => {
			// Miro ignores a manager.value that is not a numeric user id.
			const id = managerValue(raw);
			if (id !== undefined) manager.value = id;
		};
		if (sub === 'value') {
			if (remove) delete manager.value;
			else setValue(value);
		} else if (sub === 'displayname') {
			const next = remove ? undefined : optionalString('manager.displayName', value);
			if (next === undefined) delete manager.displayName;
			else manager.displayName = next;
		} else if (sub !== undefined) {
			throw invalidPath(`Unknown attribute in path "${text}"`);
		} else if (remove) {
			delete manager.value;
			delete manager.displayName;
		} else if (isPlainObject(value)) {
			if (value.value !== undefined) setValue(value.value);
			if (value.displayName !== undefined) {
				const next = optionalString('manager.displayName', value.displayName);
				if (next === undefined) delete manager.displayName;
				else manager.displayName = next;
			}
		} else {
			// Entra ID sends the manager as a bare id string.
			setValue(value);
		}
		if (Object.keys(manager).length > 0) enterprise.manager = manager;
		else delete enterprise.manager;
	} else {
		throw invalidPath(`Unknown attribute in path "${text}"`);
	}
	if (Object.keys(enterprise).length > 0) user.enterprise = enterprise;
	else delete user.enterprise;
}

// Groups (teams)

export interface GroupPatchResult {
	group: GroupRecord;
	/** `replaceMembers` / `removeAllMembers`: the calls that cost Miro customers board ownership. */
	flags: string[];
}

function isMembersPath(text: string | undefined): boolean {
	return (
		text !== undefined &&
		/^\s*(urn:ietf:params:scim:schemas:core:2\.0:Group:)?members\s*$/i.test(text)
	);
}

/** Member entries carried by a PatchOp, counted against Miro's 8000-per-PATCH limit. */
export function countMemberValues(operations: PatchOperation[]): number {
	let count = 0;
	for (const operation of operations) {
		if (isMembersPath(operation.path) && Array.isArray(operation.value))
			count += operation.value.length;
		if (operation.path === undefined && isPlainObject(operation.value)) {
			for (const [key, value] of Object.entries(operation.value)) {
				if (key.toLowerCase() === 'members' && Array.isArray(value)) count += value.length;
			}
		}
	}
	return count;
}

export function patchGroup(store: Store, id: string, body: unknown): GroupPatchResult {
	const previous = store.requireGroup(id);
	const operations = parsePatchOp(body);
	if (countMemberValues(operations) > MAX_MEMBERS_PER_PATCH) {
		throw new ScimError(
			413,
			undefined,
			`A group PATCH may carry at most ${MAX_MEMBERS_PER_PATCH} members`,
		);
	}
	const draft = store.draftGroup(id);
	const context: GroupContext = { store, group: draft, added: new Set(), flags: [] };
	for (const operation of operations) applyGroupOperation(context, operation);
	const admins = [...previous.adminIds];
	// Miro: the last team admin cannot be removed, and one failure fails the whole call.
	if (admins.length > 0 && !admins.some((admin) => draft.members.has(admin))) {
		throw new ScimError(409, undefined, 'The last team admin cannot be removed from the team');
	}
	draft.adminIds = new Set(admins.filter((admin) => draft.members.has(admin)));
	store.commitGroup(draft);
	for (const userId of context.added) if (draft.members.has(userId)) store.reactivate(userId);
	return { group: draft, flags: context.flags };
}

interface GroupContext {
	store: Store;
	group: GroupRecord;
	added: Set<string>;
	flags: string[];
}

function applyGroupOperation(context: GroupContext, operation: PatchOperation): void {
	if (operation.path === undefined) {
		for (const [key, value] of Object.entries(operation.value as Record<string, unknown>)) {
			const lower = key.toLowerCase();
			if (lower === 'schemas' || (lower === 'id' && value === context.group.id)) continue;
			if (lower === 'displayname') setDisplayName(context.group, operation.op, value);
			else if (lower === 'members') applyMembers(context, operation.op, value);
			else throw invalidPath(`Unknown group attribute "${key}"`);
		}
		return;
	}
	const target = parseTarget(operation.path);
	const uri = target.path.uri?.toLowerCase();
	if (uri !== undefined && uri !== GROUP_SCHEMA.toLowerCase()) {
		throw invalidPath(`Unknown schema in path "${operation.path}"`);
	}
	const attr = target.path.attr.toLowerCase();
	if (attr === 'displayname') {
		assertPlain(target, operation.path);
		setDisplayName(context.group, operation.op, operation.value);
	} else if (attr === 'members') {
		if (target.path.sub || target.valueSub) throw invalidPath(`Invalid path "${operation.path}"`);
		if (!target.filter) return applyMembers(context, operation.op, operation.value);
		if (operation.op !== 'remove') {
			throw invalidPath(`Only remove accepts a members filter, not ${operation.op}`);
		}
		const ids = memberIdsFromFilter(context.group, target.filter);
		removeMembers(context, ids);
	} else {
		throw invalidPath(`Unknown group attribute in path "${operation.path}"`);
	}
}

function setDisplayName(group: GroupRecord, op: PatchOpName, value: unknown): void {
	if (op === 'remove') throw invalidValue('A team needs a displayName');
	const name = requireString('displayName', value).trim();
	if (name === '') throw invalidValue('displayName cannot be empty');
	group.displayName = name;
}

function memberIds(value: unknown): string[] {
	const list = Array.isArray(value) ? value : [value];
	return list.map((entry) => {
		if (!isPlainObject(entry))
			throw invalidValue('members entries must be objects like {"value":"<id>"}');
		// Miro ids exceed 2^53: a JSON number has already lost digits, so only strings are ids.
		if (typeof entry.value !== 'string' || !/^\d+$/.test(entry.value)) {
			throw invalidValue(`members value ${JSON.stringify(entry.value)} is not a user id string`);
		}
		return entry.value;
	});
}

/** `members[value eq "id"]`, quoted as the RFC writes it or unquoted as Miro's example does. */
function memberIdsFromFilter(group: GroupRecord, filter: FilterNode): string[] {
	if (
		filter.type === 'compare' &&
		filter.op === 'eq' &&
		filter.path.attr.toLowerCase() === 'value' &&
		!filter.path.sub &&
		!filter.path.uri
	) {
		if (filter.value.kind === 'string') return [filter.value.value];
		if (filter.value.kind === 'number') return [filter.value.raw];
	}
	return [...group.members].filter((value) =>
		evaluate(filter, { value, type: 'User' }, resolvePlain),
	);
}

function requireKnownUsers(store: Store, ids: string[]): void {
	for (const id of ids) {
		if (!store.getUser(id)) throw invalidValue(`User ${id} not found`);
	}
}

function removeMembers(context: GroupContext, ids: string[]): void {
	requireKnownUsers(context.store, ids);
	// A user who is not a member is already where the caller wants it.
	for (const id of ids) context.group.members.delete(id);
}

function applyMembers(context: GroupContext, op: PatchOpName, value: unknown): void {
	const { store, group } = context;
	if (op === 'remove') {
		if (value === undefined) {
			context.flags.push('removeAllMembers');
			group.members.clear();
			return;
		}
		removeMembers(context, memberIds(value));
		return;
	}
	const ids = memberIds(value);
	requireKnownUsers(store, ids);
	if (op === 'replace') {
		// RFC 7644 allows it; on Miro it strips everyone not listed, with their board ownership.
		context.flags.push('replaceMembers');
		group.members.clear();
	}
	for (const id of ids) {
		group.members.add(id);
		context.added.add(id);
	}
}
