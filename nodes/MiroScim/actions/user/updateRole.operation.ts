import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { add, remove, replace } from '../../scim/patch';
import type { PatchOperation } from '../../scim/patch';
import {
	adminRoleEntry,
	adminRolePath,
	ADMIN_ROLE_TYPE,
	ORG_ROLE_PATH,
	simplifyUser,
} from '../../scim/user';
import type { ScimRole } from '../../scim/user';
import { simplifyField, userLocator } from '../common.descriptions';
import type { RunContext } from '../context';
import { fieldError } from '../validation';
import { orgRoleOptions } from './fields';

const adminRoleOptions = [
	{ name: 'Content Admin', value: 'Content Admin' },
	{ name: 'Security Admin', value: 'Security Admin' },
	{ name: 'User Admin', value: 'User Admin' },
];

const properties: INodeProperties[] = [
	userLocator(),
	{
		displayName: 'Organization Role',
		name: 'orgRole',
		type: 'options',
		default: 'keep',
		options: [{ name: 'Keep Current', value: 'keep' }, ...orgRoleOptions],
		description:
			'The primary organization role. Guest and external roles cannot be set through SCIM.',
	},
	{
		displayName: 'Add Admin Roles',
		name: 'addAdminRoles',
		type: 'multiOptions',
		default: [],
		options: adminRoleOptions,
	},
	{
		displayName: 'Remove Admin Roles',
		name: 'removeAdminRoles',
		type: 'multiOptions',
		default: [],
		options: adminRoleOptions,
		hint: 'Removes only the roles listed here; other admin roles stay',
	},
	{
		displayName: 'Custom Admin Roles',
		name: 'customAdminRoles',
		type: 'collection',
		placeholder: 'Add Custom Role',
		default: {},
		description:
			'Admin roles your organization defined in Miro, by their exact names, comma-separated',
		options: [
			{
				displayName: 'Add',
				name: 'add',
				type: 'string',
				default: '',
				placeholder: 'e.g. Board Auditor, Template Manager',
			},
			{
				displayName: 'Remove',
				name: 'remove',
				type: 'string',
				default: '',
				placeholder: 'e.g. Board Auditor',
			},
		],
	},
	simplifyField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['updateRole'] } },
	properties,
);

function roleList(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return [...new Set(list.map((role) => String(role).trim()).filter((role) => role !== ''))];
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject> {
	const orgRole = this.getNodeParameter('orgRole', itemIndex, 'keep') as string;
	const custom = this.getNodeParameter('customAdminRoles', itemIndex, {}) as IDataObject;
	const adds = roleList([
		...roleList(this.getNodeParameter('addAdminRoles', itemIndex, [])),
		...roleList(custom.add),
	]);
	const removes = roleList([
		...roleList(this.getNodeParameter('removeAdminRoles', itemIndex, [])),
		...roleList(custom.remove),
	]);

	const both = adds.filter((role) => removes.includes(role));
	if (both.length > 0) {
		throw fieldError(
			this,
			itemIndex,
			'Admin Roles',
			`"${both.join('", "')}" is both added and removed`,
			'List each admin role under Add or under Remove, not both.',
		);
	}
	const operations: PatchOperation[] = [];
	if (orgRole !== 'keep') operations.push(replace(ORG_ROLE_PATH, orgRole));
	if (adds.length > 0) operations.push(add('roles', adds.map(adminRoleEntry)));
	for (const role of removes) operations.push(remove(adminRolePath(role)));
	if (operations.length === 0) {
		throw fieldError(
			this,
			itemIndex,
			'Organization Role',
			'nothing to change',
			'Choose a new organization role, or admin roles to add or remove.',
		);
	}

	const id = await run.userId('user', itemIndex);
	// Removing a role that an earlier, lost attempt already removed can fail; so before sending
	// it again the user is read back and, if every change is already in place, that is the result.
	const recover =
		removes.length > 0
			? async () => {
					const user = await run.getUser(id, itemIndex);
					const roles = (Array.isArray(user.roles) ? user.roles : []) as ScimRole[];
					const admin = roles
						.filter((role) => role.type === ADMIN_ROLE_TYPE || role.primary === false)
						.map((role) => role.value);
					const primary = roles.find((role) => role.primary === true)?.value;
					const done =
						(orgRole === 'keep' || primary === orgRole) &&
						adds.every((role) => admin.includes(role)) &&
						removes.every((role) => !admin.includes(role));
					return done ? user : undefined;
				}
			: undefined;
	const user = await run.patchUser(id, operations, itemIndex, recover);
	return this.getNodeParameter('simplify', itemIndex, true) ? simplifyUser(user) : user;
}
