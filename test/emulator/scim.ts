/**
 * Shared SCIM vocabulary of the emulator: schema URNs (RFC 7643/7644), the resource shapes Miro
 * answers with, and the error type every layer throws to produce a SCIM Error response.
 */

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** Miro's licenses, lowest first: PATCH may move a user up this list, never down. */
export const USER_TYPES = [
	'Free Restricted',
	'Free',
	'Basic',
	'Standard',
	'Advanced',
	'Full',
] as const;
export type UserType = (typeof USER_TYPES)[number];

export const ORG_ROLE_TYPE = 'organization_user_role';
export const ADMIN_ROLE_TYPE = 'organization_admin_role';
export const ORG_ADMIN = 'ORGANIZATION_INTERNAL_ADMIN';
export const ORG_USER = 'ORGANIZATION_INTERNAL_USER';

export interface ScimRole {
	type: typeof ORG_ROLE_TYPE | typeof ADMIN_ROLE_TYPE;
	value: string;
	display: string;
	primary: boolean;
}

export interface ScimName {
	givenName?: string;
	familyName?: string;
	formatted?: string;
}

export interface ScimPhoto {
	type: string;
	value: string;
}

export interface EnterpriseUser {
	employeeNumber?: string;
	costCenter?: string;
	organization?: string;
	division?: string;
	department?: string;
	manager?: { value?: string; displayName?: string };
}

export interface ScimMeta {
	resourceType: 'User' | 'Group';
	created: string;
	lastModified: string;
	location: string;
}

export interface ScimUser {
	schemas: string[];
	id: string;
	externalId?: string;
	userName: string;
	name?: ScimName;
	displayName: string;
	userType: UserType;
	active: boolean;
	preferredLanguage?: string;
	emails: Array<{ value: string; primary: boolean }>;
	photos?: ScimPhoto[];
	roles: ScimRole[];
	groups: Array<{ value: string; display: string }>;
	[ENTERPRISE_SCHEMA]?: EnterpriseUser;
	meta: ScimMeta;
}

export interface ScimMember {
	value: string;
	display: string;
	type: 'User';
}

export interface ScimGroup {
	schemas: string[];
	id: string;
	displayName: string;
	members?: ScimMember[];
	meta: ScimMeta;
}

/** RFC 7644 section 3.12 scimType keywords used by the emulator. */
export type ScimType =
	| 'invalidFilter'
	| 'tooMany'
	| 'uniqueness'
	| 'mutability'
	| 'invalidSyntax'
	| 'invalidPath'
	| 'noTarget'
	| 'invalidValue'
	| 'invalidVers'
	| 'sensitive';

export class ScimError extends Error {
	constructor(
		readonly status: number,
		readonly scimType: ScimType | undefined,
		detail: string,
		readonly headers: Record<string, string> = {},
	) {
		super(detail);
	}

	/** Miro sends `status` as a string, as RFC 7644 section 3.12 shows it. */
	toBody(): Record<string, unknown> {
		const body: Record<string, unknown> = { schemas: [ERROR_SCHEMA], status: String(this.status) };
		if (this.scimType) body.scimType = this.scimType;
		body.detail = this.message;
		return body;
	}
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Attribute names are case-insensitive (RFC 7643 section 2.1): look a key up that way. */
export function getCaseInsensitive(object: Record<string, unknown>, key: string): unknown {
	if (key in object) return object[key];
	const lower = key.toLowerCase();
	for (const k of Object.keys(object)) if (k.toLowerCase() === lower) return object[k];
	return undefined;
}
