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

/** The writable user attributes, shared by Create's Additional Fields and Update's Update Fields. */
export function userFieldOptions(withEmail: boolean): INodeProperties[] {
	const options: INodeProperties[] = [
		...(Object.keys(enterpriseLabels) as EnterpriseField[]).map(
			(key): INodeProperties => ({
				displayName: enterpriseLabels[key],
				name: key,
				type: 'string',
				default: '',
				description: `Enterprise attribute ${key}, at most ${ENTERPRISE_FIELDS[key]} characters`,
			}),
		),
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
	if (withEmail) {
		options.push(
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
		);
	}
	return options.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** Validates a Create/Update fields collection; empty strings mean "not set". */
export function readUserFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: IDataObject,
	collection: string,
): UserFields {
	const fields: UserFields = {};
	const text = (key: string) => {
		const value = raw[key];
		if (value === undefined || value === null) return undefined;
		const trimmed = String(value).trim();
		return trimmed === '' ? undefined : trimmed;
	};
	const label = (name: string) => `${collection} > ${name}`;

	if (text('userName') !== undefined)
		fields.userName = requireEmail(ctx, itemIndex, label('Email'), raw.userName);
	if (text('givenName') !== undefined) fields.givenName = text('givenName');
	if (text('familyName') !== undefined) fields.familyName = text('familyName');
	const displayName = text('displayName');
	if (displayName !== undefined)
		fields.displayName = checkLength(
			ctx,
			itemIndex,
			label('Display Name'),
			displayName,
			MAX_DISPLAY_NAME,
		);
	if (text('userType') !== undefined) fields.userType = text('userType');
	const language = text('preferredLanguage');
	if (language !== undefined) {
		if (!/^[a-zA-Z]{2,3}([_-][a-zA-Z0-9]{2,8})*$/.test(language)) {
			throw fieldError(
				ctx,
				itemIndex,
				label('Preferred Language'),
				`"${language}" is not a language tag`,
				'Use a tag such as en_US or de_DE.',
			);
		}
		fields.preferredLanguage = language;
	}
	if (raw.orgRole !== undefined && raw.orgRole !== '') {
		if (!ORG_ROLES.includes(raw.orgRole as OrgRole)) {
			throw fieldError(
				ctx,
				itemIndex,
				label('Organization Role'),
				`"${String(raw.orgRole)}" is not a role SCIM can set`,
				'Use ORGANIZATION_INTERNAL_ADMIN or ORGANIZATION_INTERNAL_USER.',
			);
		}
		fields.orgRole = raw.orgRole as OrgRole;
	}
	for (const key of Object.keys(ENTERPRISE_FIELDS) as EnterpriseField[]) {
		const value = text(key);
		if (value !== undefined)
			fields[key] = checkLength(
				ctx,
				itemIndex,
				label(enterpriseLabels[key]),
				value,
				ENTERPRISE_FIELDS[key],
			);
	}
	if (text('managerId') !== undefined)
		fields.managerId = requireId(ctx, itemIndex, label('Manager ID'), text('managerId'));
	const managerName = text('managerDisplayName');
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
