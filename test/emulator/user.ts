/**
 * Miro's rules for user attribute values, shared by POST, PUT and PATCH /Users so the three
 * entry points cannot drift apart.
 */
import {
	ADMIN_ROLE_TYPE,
	type EnterpriseUser,
	isPlainObject,
	ORG_ADMIN,
	ORG_ROLE_TYPE,
	ORG_USER,
	ScimError,
	type ScimName,
	type ScimPhoto,
	type ScimRole,
	USER_TYPES,
	type UserType,
} from './scim';

/** What the store keeps for a user; emails, groups and meta.location are derived on output. */
export interface UserRecord {
	id: string;
	userName: string;
	externalId?: string;
	name?: ScimName;
	displayName?: string;
	userType: UserType;
	active: boolean;
	preferredLanguage?: string;
	photos?: ScimPhoto[];
	roles: ScimRole[];
	enterprise?: EnterpriseUser;
	created: string;
	lastModified: string;
}

/** Miro's documented maximum lengths for the full name (shown name) fields. */
export const NAME_MAX = 60;

/** Enterprise extension maximum lengths from Miro's reference. */
export const ENTERPRISE_MAX: Record<Exclude<keyof EnterpriseUser, 'manager'>, number> = {
	employeeNumber: 20,
	costCenter: 120,
	organization: 120,
	division: 120,
	department: 120,
};
export const MANAGER_DISPLAY_NAME_MAX = 60;

/** The org roles SCIM may not assign (Miro reference: they exist but are not settable). */
const UNSETTABLE_ORG_ROLES = ['ORGANIZATION_EXTERNAL_USER', 'ORGANIZATION_TEAM_GUEST_USER'];

function invalid(detail: string): ScimError {
	return new ScimError(400, 'invalidValue', detail);
}

export function requireString(attribute: string, value: unknown): string {
	if (typeof value !== 'string') throw invalid(`${attribute} must be a string`);
	return value;
}

export function optionalString(attribute: string, value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return requireString(attribute, value);
}

/** Entra ID historically sends booleans as the strings "True"/"False" in PATCH values. */
export function toBoolean(attribute: string, value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
		return value.toLowerCase() === 'true';
	}
	throw invalid(`${attribute} must be a boolean`);
}

export function normalizeUserName(value: unknown): string {
	const userName = requireString('userName', value).trim();
	if (userName === '') throw invalid('userName is required');
	// Miro uses the email as the userName; anything that is not an address is refused.
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(userName)) {
		throw invalid(`userName "${userName}" is not a valid email address`);
	}
	return userName;
}

export function normalizeUserType(value: unknown): UserType {
	const text = requireString('userType', value);
	const match = USER_TYPES.find((type) => type.toLowerCase() === text.trim().toLowerCase());
	if (!match) throw invalid(`userType "${text}" is not one of ${USER_TYPES.join(', ')}`);
	return match;
}

/** An organization's licenses, lowest first, each one Miro knows (checked once, at start). */
export function licenseOrder(types: readonly string[] | undefined): UserType[] | undefined {
	return types?.map(normalizeUserType);
}

/** The org role Miro shows next to the value; the emulator's wording is a guess. */
export function orgRole(value: string): ScimRole {
	const display =
		value === ORG_ADMIN ? 'Organization Internal Admin' : 'Organization Internal User';
	return { type: ORG_ROLE_TYPE, value, display, primary: true };
}

export function adminRole(value: string): ScimRole {
	return { type: ADMIN_ROLE_TYPE, value, display: value, primary: false };
}

export function defaultRoles(): ScimRole[] {
	return [orgRole(ORG_USER)];
}

export function isOrgRoleEntry(entry: Record<string, unknown>): boolean {
	return entry.type === ORG_ROLE_TYPE || entry.primary === true || entry.primary === 'true';
}

export function normalizeOrgRoleValue(value: unknown): string {
	const text = requireString('roles.value', value).trim().toUpperCase();
	if (text === ORG_ADMIN || text === ORG_USER) return text;
	if (UNSETTABLE_ORG_ROLES.includes(text)) {
		throw invalid(`Organization role ${text} cannot be set through SCIM`);
	}
	throw invalid(`Organization role must be ${ORG_ADMIN} or ${ORG_USER}`);
}

function roleEntries(value: unknown): Array<Record<string, unknown>> {
	const list = Array.isArray(value) ? value : [value];
	return list.map((entry) => {
		if (!isPlainObject(entry)) throw invalid('roles entries must be objects');
		return entry;
	});
}

/**
 * Merges role entries into `roles`: one org role (primary) replaces the current one, admin roles
 * are added once each.
 */
export function addRoles(roles: ScimRole[], value: unknown): ScimRole[] {
	let next = [...roles];
	let orgRoles = 0;
	for (const entry of roleEntries(value)) {
		if (isOrgRoleEntry(entry)) {
			orgRoles++;
			if (orgRoles > 1) throw invalid('Only one organization role (primary) can be set');
			const role = orgRole(normalizeOrgRoleValue(entry.value));
			next = [role, ...next.filter((r) => r.type !== ORG_ROLE_TYPE)];
		} else {
			const name = requireString('roles.value', entry.value).trim();
			if (name === '') throw invalid('An admin role needs a value');
			if (
				!next.some(
					(r) => r.type === ADMIN_ROLE_TYPE && r.value.toLowerCase() === name.toLowerCase(),
				)
			) {
				next.push(adminRole(name));
			}
		}
	}
	return next;
}

export function parsePhotos(value: unknown): ScimPhoto[] | undefined {
	if (value === undefined || value === null) return undefined;
	const list = Array.isArray(value) ? value : [value];
	return list.map((entry) => {
		if (!isPlainObject(entry)) throw invalid('photos entries must be objects');
		return {
			type: optionalString('photos.type', entry.type) ?? 'photo',
			value: requireString('photos.value', entry.value),
		};
	});
}

export function parseName(value: unknown, requireBoth: boolean): ScimName | undefined {
	if (value === undefined || value === null) return undefined;
	if (!isPlainObject(value)) throw invalid('name must be an object');
	const name: ScimName = {};
	const givenName = optionalString('name.givenName', value.givenName);
	const familyName = optionalString('name.familyName', value.familyName);
	const formatted = optionalString('name.formatted', value.formatted);
	// Miro: "if name is sent, givenName and familyName are both required inside it".
	if (requireBoth && (givenName === undefined || familyName === undefined)) {
		throw invalid('name.givenName and name.familyName are both required when name is sent');
	}
	if (givenName !== undefined) name.givenName = givenName;
	if (familyName !== undefined) name.familyName = familyName;
	if (formatted !== undefined) name.formatted = formatted;
	return name;
}

/** manager.value must be a Miro user id (digits); Miro ignores anything else. */
export function managerValue(value: unknown): string | undefined {
	if (typeof value === 'string' && /^\d+$/.test(value.trim())) return value.trim();
	return undefined;
}

export function parseEnterprise(value: unknown): EnterpriseUser | undefined {
	if (value === undefined || value === null) return undefined;
	if (!isPlainObject(value)) throw invalid('The enterprise extension must be an object');
	const enterprise: EnterpriseUser = {};
	for (const field of Object.keys(ENTERPRISE_MAX) as Array<keyof typeof ENTERPRISE_MAX>) {
		const text = optionalString(field, value[field]);
		if (text !== undefined) enterprise[field] = text;
	}
	if (isPlainObject(value.manager)) {
		const manager: EnterpriseUser['manager'] = {};
		const id = managerValue(value.manager.value);
		if (id !== undefined) manager.value = id;
		const displayName = optionalString('manager.displayName', value.manager.displayName);
		if (displayName !== undefined) manager.displayName = displayName;
		if (Object.keys(manager).length > 0) enterprise.manager = manager;
	}
	return Object.keys(enterprise).length > 0 ? enterprise : undefined;
}

/** The full name Miro shows: displayName, else name.formatted, else given + family, else userName. */
export function shownName(user: UserRecord): string {
	if (user.displayName) return user.displayName;
	if (user.name?.formatted) return user.name.formatted;
	const parts = [user.name?.givenName, user.name?.familyName].filter((part) => part);
	return parts.length > 0 ? parts.join(' ') : user.userName;
}

/** Length limits checked once on the final record, whatever request produced it. */
export function checkLengths(user: UserRecord): void {
	if (user.displayName !== undefined && user.displayName.length > NAME_MAX) {
		throw invalid(`displayName is longer than ${NAME_MAX} characters`);
	}
	if (user.name?.formatted !== undefined && user.name.formatted.length > NAME_MAX) {
		throw invalid(`name.formatted is longer than ${NAME_MAX} characters`);
	}
	const given = user.name?.givenName ?? '';
	const family = user.name?.familyName ?? '';
	if (given.length + family.length > NAME_MAX) {
		throw invalid(`name.givenName and name.familyName together exceed ${NAME_MAX} characters`);
	}
	const enterprise = user.enterprise ?? {};
	for (const [field, max] of Object.entries(ENTERPRISE_MAX)) {
		const text = enterprise[field as keyof typeof ENTERPRISE_MAX];
		if (text !== undefined && text.length > max) {
			throw invalid(`${field} is longer than ${max} characters`);
		}
	}
	const managerName = enterprise.manager?.displayName;
	if (managerName !== undefined && managerName.length > MANAGER_DISPLAY_NAME_MAX) {
		throw invalid(`manager.displayName is longer than ${MANAGER_DISPLAY_NAME_MAX} characters`);
	}
}
