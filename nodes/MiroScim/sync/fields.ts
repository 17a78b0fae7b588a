import type { IDataObject } from 'n8n-workflow';

import { ENTERPRISE_FIELDS, ENTERPRISE_SCHEMA, ORG_ROLE_TYPE } from '../scim/user';
import type { EnterpriseField, OrgRole, ScimRole } from '../scim/user';
import type { FieldValues, ManagedField, ManagedFields, MiroGroup, MiroUser } from './types';

/** Compared and written in this order; `active` is handled by the plan's actions. */
export const COMPARED_FIELDS: ManagedField[] = [
	'givenName',
	'familyName',
	'displayName',
	'userType',
	'orgRole',
	'employeeNumber',
	'costCenter',
	'organization',
	'division',
	'department',
	'managerId',
	'managerDisplayName',
];

function text(value: unknown): string | undefined {
	return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** A user resource as Miro lists it, reduced to the attributes a plan compares. */
export function miroUserFrom(resource: IDataObject): MiroUser {
	const name = (resource.name ?? {}) as IDataObject;
	const enterprise = (resource[ENTERPRISE_SCHEMA] ?? {}) as IDataObject;
	const manager = (enterprise.manager ?? {}) as IDataObject;
	const roles = Array.isArray(resource.roles) ? (resource.roles as ScimRole[]) : [];
	const orgRole = roles.find((role) => role.type === ORG_ROLE_TYPE || role.primary === true);
	const fields: ManagedFields = {
		givenName: text(name.givenName),
		familyName: text(name.familyName),
		displayName: text(resource.displayName),
		userType: text(resource.userType),
		orgRole: orgRole?.value as OrgRole | undefined,
		managerId: text(manager.value),
		managerDisplayName: text(manager.displayName),
	};
	for (const key of Object.keys(ENTERPRISE_FIELDS) as EnterpriseField[]) {
		fields[key] = text(enterprise[key]);
	}
	return {
		id: String(resource.id),
		userName: String(resource.userName ?? ''),
		active: resource.active !== false,
		fields,
	};
}

export function miroGroupFrom(resource: IDataObject): MiroGroup {
	const members = Array.isArray(resource.members) ? (resource.members as IDataObject[]) : [];
	return {
		id: String(resource.id),
		displayName: String(resource.displayName ?? ''),
		memberIds: members.map((member) => String(member.value)),
	};
}

/**
 * The managed fields whose desired value differs from Miro's, as before/after pairs. Fields the
 * person does not carry are not managed and never compared.
 */
export function fieldDiff(
	desired: ManagedFields,
	current: ManagedFields,
): { before: FieldValues; after: FieldValues } | undefined {
	const before: FieldValues = {};
	const after: FieldValues = {};
	for (const key of COMPARED_FIELDS) {
		const wanted = desired[key];
		if (wanted === undefined || wanted === current[key]) continue;
		before[key] = current[key] ?? null;
		after[key] = wanted;
	}
	return Object.keys(after).length > 0 ? { before, after } : undefined;
}

export function isOrgAdmin(user: MiroUser): boolean {
	return user.fields.orgRole === 'ORGANIZATION_INTERNAL_ADMIN';
}

export function domainOf(email: string): string {
	return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}
