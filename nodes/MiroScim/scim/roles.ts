import type { IDataObject } from 'n8n-workflow';

import { add, remove, replace } from './patch';
import type { PatchOperation } from './patch';
import {
	ADMIN_ROLE_TYPE,
	adminRoleEntry,
	adminRolePath,
	ORG_ROLE_PATH,
	orgRoleEntry,
} from './user';
import type { OrgRole, ScimRole } from './user';

/** What Update Role asks for: a new primary role (or none) and admin roles to add and remove. */
export interface RoleChange {
	orgRole?: OrgRole;
	adds: string[];
	removes: string[];
}

function rolesOf(user: IDataObject): ScimRole[] {
	return Array.isArray(user.roles) ? (user.roles as ScimRole[]) : [];
}

export function primaryRoleOf(user: IDataObject): string | undefined {
	return rolesOf(user).find((role) => role.primary === true)?.value;
}

function adminRolesOf(user: IDataObject): string[] {
	return rolesOf(user)
		.filter((role) => role.type === ADMIN_ROLE_TYPE || role.primary === false)
		.map((role) => String(role.value));
}

/**
 * The PatchOp operations for a role change. The primary role is replaced through Miro's path
 * when the user has one; a user with none (seen on other SCIM servers) gets one added, as a
 * `replace` on a path that matches nothing may be answered 2xx and change nothing.
 */
export function roleOperations(change: RoleChange, current?: IDataObject): PatchOperation[] {
	const operations: PatchOperation[] = [];
	if (change.orgRole !== undefined) {
		const hasPrimary = current === undefined || primaryRoleOf(current) !== undefined;
		operations.push(
			hasPrimary
				? replace(ORG_ROLE_PATH, change.orgRole)
				: add('roles', [orgRoleEntry(change.orgRole)]),
		);
	}
	if (change.adds.length > 0) operations.push(add('roles', change.adds.map(adminRoleEntry)));
	for (const role of change.removes) operations.push(remove(adminRolePath(role)));
	return operations;
}

/** What of the change the user does not show yet; empty when the change is in place. */
export function missingRoleChanges(change: RoleChange, user: IDataObject): string[] {
	const missing: string[] = [];
	const primary = primaryRoleOf(user);
	if (change.orgRole !== undefined && primary !== change.orgRole) {
		missing.push(`organization role ${change.orgRole} (found ${primary ?? 'none'})`);
	}
	const admin = adminRolesOf(user);
	for (const role of change.adds)
		if (!admin.includes(role)) missing.push(`admin role "${role}" added`);
	for (const role of change.removes) {
		if (admin.includes(role)) missing.push(`admin role "${role}" removed`);
	}
	return missing;
}
