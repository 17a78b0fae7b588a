/**
 * POST /Groups on Miro's user-group model. Miro publishes no request shape beyond "create a
 * user group", so this follows RFC 7643 section 4.2 and RFC 7644 section 3.3: displayName is
 * required, members are optional `{value}` references to existing users, and a second group
 * with the same displayName is a 409 uniqueness conflict (the RFC's answer to a duplicate).
 */
import { MAX_MEMBERS_PER_PATCH } from './patch';
import { GROUP_SCHEMA, getCaseInsensitive, isPlainObject, ScimError } from './scim';
import type { GroupRecord, Store } from './store';

/** The group PATCH ceilings apply to a create's members as well (assumed: Miro is silent). */
export const MAX_GROUP_BODY_BYTES = 800_000;

function memberIds(store: Store, members: unknown): string[] {
	if (members === undefined || members === null) return [];
	if (!Array.isArray(members)) {
		throw new ScimError(400, 'invalidValue', 'members must be an array of {"value": "<userId>"}');
	}
	if (members.length > MAX_MEMBERS_PER_PATCH) {
		throw new ScimError(
			413,
			undefined,
			`A group may be created with at most ${MAX_MEMBERS_PER_PATCH} members`,
		);
	}
	return members.map((member, index) => {
		const value = isPlainObject(member) ? getCaseInsensitive(member, 'value') : undefined;
		if (typeof value !== 'string' || value === '') {
			throw new ScimError(400, 'invalidValue', `members[${index}].value must be a user id`);
		}
		if (!store.getUser(value)) {
			throw new ScimError(400, 'invalidValue', `members[${index}]: no user has the id ${value}`);
		}
		return value;
	});
}

export function createUserGroup(store: Store, body: unknown, bytes: number): GroupRecord {
	if (bytes > MAX_GROUP_BODY_BYTES) {
		throw new ScimError(
			413,
			undefined,
			`A group body may be at most ${MAX_GROUP_BODY_BYTES} bytes`,
		);
	}
	if (!isPlainObject(body))
		throw new ScimError(400, 'invalidSyntax', 'Body must be a Group object');
	const schemas = getCaseInsensitive(body, 'schemas');
	if (!Array.isArray(schemas) || !schemas.includes(GROUP_SCHEMA)) {
		throw new ScimError(400, 'invalidSyntax', `schemas must contain ${GROUP_SCHEMA}`);
	}
	const displayName = getCaseInsensitive(body, 'displayName');
	if (typeof displayName !== 'string' || displayName.trim() === '') {
		throw new ScimError(400, 'invalidValue', 'displayName is required');
	}
	if (store.groupRecords().some((group) => group.displayName === displayName)) {
		throw new ScimError(409, 'uniqueness', `A group named "${displayName}" already exists`);
	}
	return store.createGroup(displayName, {
		memberIds: memberIds(store, getCaseInsensitive(body, 'members')),
	});
}
