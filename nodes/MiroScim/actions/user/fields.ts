import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	ENTERPRISE_FIELDS,
	MAX_DISPLAY_NAME,
	MAX_MANAGER_DISPLAY_NAME,
	ORG_ROLES,
} from '../../scim/user';
import type { EnterpriseField, OrgRole, UserFields } from '../../scim/user';
import { checkLength, fieldError, requireEmail, requireId, requireText } from '../validation';

export const orgRoleOptions = [
	{
		name: 'Internal Admin',
		value: 'ORGANIZATION_INTERNAL_ADMIN',
		description: 'Organization admin (ORGANIZATION_INTERNAL_ADMIN)',
	},
	{
		name: 'Internal User',
		value: 'ORGANIZATION_INTERNAL_USER',
		description: 'Regular organization member (ORGANIZATION_INTERNAL_USER)',
	},
];

const enterpriseLabels: Record<EnterpriseField, string> = {
	costCenter: 'Cost Center',
	department: 'Department',
	division: 'Division',
	employeeNumber: 'Employee Number',
	organization: 'Organization',
};

const enterpriseOptions = (Object.keys(enterpriseLabels) as EnterpriseField[]).map(
	(key): INodeProperties => ({
		displayName: enterpriseLabels[key],
		name: key,
		type: 'string',
		default: '',
		description: `Enterprise attribute ${key}, at most ${ENTERPRISE_FIELDS[key]} characters`,
	}),
);

/** Attributes both Create's Additional Fields and Update's Update Fields offer. */
const sharedOptions: INodeProperties[] = [
	...enterpriseOptions,
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		default: '',
		description: 'Full name shown in Miro, at most 60 characters',
	},
	{
		displayName: 'License (User Type)',
		name: 'userType',
		type: 'string',
		default: '',
		placeholder: 'e.g. Full',
		description:
			'Miro license such as Full, Free, Free Restricted, Basic, Standard or Advanced (depends on your plan). Miro can upgrade a license through SCIM but not downgrade it.',
	},
	{
		displayName: 'Manager Display Name',
		name: 'managerDisplayName',
		type: 'string',
		default: '',
		description: 'Enterprise attribute manager.displayName, at most 60 characters',
	},
	{
		displayName: 'Manager ID',
		name: 'managerId',
		type: 'string',
		default: '',
		description:
			"Enterprise attribute manager.value: the manager's Miro user ID (numeric; Miro ignores other values)",
	},
	{
		displayName: 'Organization Role',
		name: 'orgRole',
		type: 'options',
		options: orgRoleOptions,
		default: 'ORGANIZATION_INTERNAL_USER',
	},
	{
		displayName: 'Preferred Language',
		name: 'preferredLanguage',
		type: 'string',
		default: '',
		placeholder: 'e.g. en_US',
	},
];

/** Only Update offers these as optional: Create asks for the email and names as main fields. */
const identityOptions: INodeProperties[] = [
	{
		displayName: 'Email (userName)',
		name: 'userName',
		type: 'string',
		default: '',
		placeholder: 'e.g. jane.doe@example.com',
		description: "The user's new email address; Miro derives the user's emails from it",
	},
	{
		displayName: 'First Name',
		name: 'givenName',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Last Name',
		name: 'familyName',
		type: 'string',
		default: '',
	},
];

/** The writable user attributes, shared by Create's Additional Fields and Update's Update Fields. */
export function userFieldOptions(withEmail: boolean): INodeProperties[] {
	const options = withEmail ? [...sharedOptions, ...identityOptions] : [...sharedOptions];
	return options.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** A field's value as typed: trimmed, and undefined when empty ("not set"). */
function textOf(raw: IDataObject, key: string): string | undefined {
	const value = raw[key];
	if (value === undefined || value === null) return undefined;
	const trimmed = String(value).trim();
	return trimmed === '' ? undefined : trimmed;
}

/** Reads one collection's fields for one item; `label` names a field in errors. */
interface FieldReader {
	ctx: IExecuteFunctions;
	itemIndex: number;
	raw: IDataObject;
	label: (name: string) => string;
}

function readLanguage({ ctx, itemIndex, label }: FieldReader, language: string): string {
	if (!/^[a-zA-Z]{2,3}([_-][a-zA-Z0-9]{2,8})*$/.test(language)) {
		throw fieldError(
			ctx,
			itemIndex,
			label('Preferred Language'),
			`"${language}" is not a language tag`,
			'Use a tag such as en_US or de_DE.',
		);
	}
	return language;
}

function readOrgRole({ ctx, itemIndex, label }: FieldReader, role: unknown): OrgRole {
	if (!ORG_ROLES.includes(role as OrgRole)) {
		throw fieldError(
			ctx,
			itemIndex,
			label('Organization Role'),
			`"${String(role)}" is not a role SCIM can set`,
			'Use ORGANIZATION_INTERNAL_ADMIN or ORGANIZATION_INTERNAL_USER.',
		);
	}
	return role as OrgRole;
}

/** Email, names, display name, license, language and organization role. */
function readProfile(reader: FieldReader): UserFields {
	const { ctx, itemIndex, raw, label } = reader;
	const fields: UserFields = {};
	if (textOf(raw, 'userName') !== undefined)
		fields.userName = requireEmail(ctx, itemIndex, label('Email'), raw.userName);
	if (textOf(raw, 'givenName') !== undefined) fields.givenName = textOf(raw, 'givenName');
	if (textOf(raw, 'familyName') !== undefined) fields.familyName = textOf(raw, 'familyName');
	const displayName = textOf(raw, 'displayName');
	if (displayName !== undefined)
		fields.displayName = checkLength(
			ctx,
			itemIndex,
			label('Display Name'),
			displayName,
			MAX_DISPLAY_NAME,
		);
	if (textOf(raw, 'userType') !== undefined) fields.userType = textOf(raw, 'userType');
	const language = textOf(raw, 'preferredLanguage');
	if (language !== undefined) fields.preferredLanguage = readLanguage(reader, language);
	if (raw.orgRole !== undefined && raw.orgRole !== '')
		fields.orgRole = readOrgRole(reader, raw.orgRole);
	return fields;
}

/** The enterprise extension's attributes, manager included. */
function readEnterprise({ ctx, itemIndex, raw, label }: FieldReader): UserFields {
	const fields: UserFields = {};
	for (const key of Object.keys(ENTERPRISE_FIELDS) as EnterpriseField[]) {
		const value = textOf(raw, key);
		if (value !== undefined)
			fields[key] = checkLength(
				ctx,
				itemIndex,
				label(enterpriseLabels[key]),
				value,
				ENTERPRISE_FIELDS[key],
			);
	}
	const managerId = textOf(raw, 'managerId');
	if (managerId !== undefined)
		fields.managerId = requireId(ctx, itemIndex, label('Manager ID'), managerId);
	const managerName = textOf(raw, 'managerDisplayName');
	if (managerName !== undefined)
		fields.managerDisplayName = checkLength(
			ctx,
			itemIndex,
			label('Manager Display Name'),
			managerName,
			MAX_MANAGER_DISPLAY_NAME,
		);
	return fields;
}

/** Validates a Create/Update fields collection; empty strings mean "not set". */
export function readUserFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: IDataObject,
	collection: string,
): UserFields {
	const reader: FieldReader = {
		ctx,
		itemIndex,
		raw,
		label: (name) => `${collection} > ${name}`,
	};
	return { ...readProfile(reader), ...readEnterprise(reader) };
}

export function readNames(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Pick<UserFields, 'givenName' | 'familyName'> {
	return {
		givenName: requireText(
			ctx,
			itemIndex,
			'First Name',
			ctx.getNodeParameter('givenName', itemIndex, ''),
		),
		familyName: requireText(
			ctx,
			itemIndex,
			'Last Name',
			ctx.getNodeParameter('familyName', itemIndex, ''),
		),
	};
}
