import type { IDataObject } from 'n8n-workflow';

import { scimString } from './filter';
import { replace } from './patch';
import type { PatchOperation } from './patch';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export const ORG_ROLE_TYPE = 'organization_user_role';
export const ADMIN_ROLE_TYPE = 'organization_admin_role';
export const ORG_ROLES = ['ORGANIZATION_INTERNAL_ADMIN', 'ORGANIZATION_INTERNAL_USER'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export interface ScimRole {
	type?: string;
	value?: string;
	display?: string;
	primary?: boolean;
}

export interface ScimUser extends IDataObject {
	id: string;
	userName: string;
}

/** The enterprise extension fields Miro stores, with the lengths its reference gives. */
export const ENTERPRISE_FIELDS = {
	employeeNumber: 20,
	costCenter: 120,
	organization: 120,
	division: 120,
	department: 120,
} as const;
export type EnterpriseField = keyof typeof ENTERPRISE_FIELDS;

export const MAX_DISPLAY_NAME = 60;
export const MAX_MANAGER_DISPLAY_NAME = 60;

/** The user fields this node writes, in n8n's parameter names. */
export interface UserFields {
	userName?: string;
	givenName?: string;
	familyName?: string;
	displayName?: string;
	userType?: string;
	preferredLanguage?: string;
	active?: boolean;
	orgRole?: OrgRole;
	employeeNumber?: string;
	costCenter?: string;
	organization?: string;
	division?: string;
	department?: string;
	managerId?: string;
	managerDisplayName?: string;
}

export function orgRoleEntry(value: OrgRole): ScimRole {
	return { type: ORG_ROLE_TYPE, value, primary: true };
}

export function adminRoleEntry(value: string): ScimRole {
	return { type: ADMIN_ROLE_TYPE, value, primary: false };
}

function enterpriseOf(fields: UserFields): IDataObject | undefined {
	const extension: IDataObject = {};
	for (const key of Object.keys(ENTERPRISE_FIELDS) as EnterpriseField[]) {
		if (fields[key] !== undefined) extension[key] = fields[key];
	}
	if (fields.managerId !== undefined || fields.managerDisplayName !== undefined) {
		const manager: IDataObject = {};
		if (fields.managerId !== undefined) manager.value = fields.managerId;
		if (fields.managerDisplayName !== undefined) manager.displayName = fields.managerDisplayName;
		extension.manager = manager;
	}
	return Object.keys(extension).length > 0 ? extension : undefined;
}

/** The body of POST /Users. Miro requires both name parts whenever `name` is sent. */
export function userResource(fields: UserFields): IDataObject {
	const extension = enterpriseOf(fields);
	const resource: IDataObject = {
		schemas: extension ? [USER_SCHEMA, ENTERPRISE_SCHEMA] : [USER_SCHEMA],
		userName: fields.userName,
	};
	if (fields.givenName !== undefined || fields.familyName !== undefined) {
		resource.name = { givenName: fields.givenName, familyName: fields.familyName };
	}
	if (fields.displayName !== undefined) resource.displayName = fields.displayName;
	if (fields.userType !== undefined) resource.userType = fields.userType;
	if (fields.preferredLanguage !== undefined) resource.preferredLanguage = fields.preferredLanguage;
	// RFC 7643 leaves a missing `active` to the service, and one server stored none: the new
	// user then matched no "active eq true" filter. Miro's default is true; say it explicitly.
	resource.active = fields.active ?? true;
	if (fields.orgRole !== undefined) resource.roles = [orgRoleEntry(fields.orgRole)];
	if (extension) resource[ENTERPRISE_SCHEMA] = extension;
	return resource;
}

function rolesOf(user: IDataObject): ScimRole[] {
	return Array.isArray(user.roles) ? (user.roles as ScimRole[]) : [];
}

/** The flat record most workflows want; `Simplify: off` returns the SCIM resource as Miro sent it. */
/**
 * A flat record of a user. `groupsField` names the list of the user's groups: `groups` from
 * version 2 of the node, `teams` in version 1 (0.1.0's name).
 */
export function simplifyUser(
	user: IDataObject,
	groupsField: 'groups' | 'teams' = 'groups',
): IDataObject {
	const name = (user.name ?? {}) as IDataObject;
	const enterprise = (user[ENTERPRISE_SCHEMA] ?? {}) as IDataObject;
	const manager = (enterprise.manager ?? {}) as IDataObject;
	const roles = rolesOf(user);
	const orgRole = roles.find((role) => role.type === ORG_ROLE_TYPE || role.primary === true);
	const groups = Array.isArray(user.groups) ? (user.groups as IDataObject[]) : [];
	const simple: IDataObject = {
		id: user.id,
		email: user.userName,
		displayName: user.displayName ?? name.formatted ?? null,
		givenName: name.givenName ?? null,
		familyName: name.familyName ?? null,
		active: user.active ?? null,
		license: user.userType ?? null,
		role: orgRole?.value ?? null,
		adminRoles: roles
			.filter((role) => role !== orgRole && role.type !== ORG_ROLE_TYPE)
			.map((role) => role.value),
		[groupsField]: groups.map((group) => ({ id: group.value, name: group.display ?? null })),
	};
	for (const key of Object.keys(ENTERPRISE_FIELDS)) {
		if (enterprise[key] !== undefined) simple[key] = enterprise[key];
	}
	if (manager.value !== undefined || manager.displayName !== undefined) {
		simple.manager = { id: manager.value ?? null, displayName: manager.displayName ?? null };
	}
	return simple;
}

/**
 * One `replace` per changed attribute, paths as Miro's PATCH table gives them. Sub-attribute
 * paths (`name.givenName`, `…:User:department`) change one value without resending the others.
 */
export function userReplaceOperations(fields: UserFields): PatchOperation[] {
	const operations: PatchOperation[] = [];
	const put = (path: string, value: string | boolean | undefined) => {
		if (value !== undefined) operations.push(replace(path, value));
	};
	// First: Miro refuses email, license and role changes while a user is deactivated, and applies
	// a PatchOp's operations in order, so a reactivation must come before them.
	put('active', fields.active);
	put('userName', fields.userName);
	put('name.givenName', fields.givenName);
	put('name.familyName', fields.familyName);
	put('displayName', fields.displayName);
	put('userType', fields.userType);
	put('preferredLanguage', fields.preferredLanguage);
	for (const key of Object.keys(ENTERPRISE_FIELDS) as EnterpriseField[]) {
		put(`${ENTERPRISE_SCHEMA}:${key}`, fields[key]);
	}
	put(`${ENTERPRISE_SCHEMA}:manager.value`, fields.managerId);
	put(`${ENTERPRISE_SCHEMA}:manager.displayName`, fields.managerDisplayName);
	if (fields.orgRole !== undefined) put(ORG_ROLE_PATH, fields.orgRole);
	return operations;
}

/** The organization role is the one primary role (Miro's PATCH table). */
export const ORG_ROLE_PATH = 'roles[primary eq true].value';

export function adminRolePath(role: string): string {
	return `roles[value eq ${scimString(role)}]`;
}
