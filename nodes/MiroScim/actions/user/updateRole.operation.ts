import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { missingRoleChanges, primaryRoleOf, roleOperations } from '../../scim/roles';
import type { RoleChange } from '../../scim/roles';
import type { OrgRole, ScimUser } from '../../scim/user';
import { simplifyField, userLocator } from '../common.descriptions';
import type { RunContext } from '../context';
import { protectAdmin, refuseAdminGrant } from '../guards';
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
		displayName: 'Admin Roles to Add',
		name: 'addAdminRoles',
		type: 'multiOptions',
		default: [],
		options: adminRoleOptions,
	},
	{
		displayName: 'Admin Roles to Remove',
		name: 'removeAdminRoles',
		type: 'multiOptions',
		default: [],
		options: adminRoleOptions,
		hint: 'Removes only the roles listed here; other admin roles stay',
	},
	{
		// The parameter keeps its name and keys so that saved workflows keep their custom roles.
		displayName: 'Custom Admin Roles',
		name: 'customAdminRoles',
		type: 'collection',
		placeholder: 'Add Custom Admin Roles',
		default: {},
		description: 'Admin roles your organization defined in Miro, by their exact names',
		options: [
			{
				displayName: 'Custom Roles to Add',
				name: 'add',
				type: 'string',
				default: '',
				placeholder: 'e.g. Board Auditor, Template Manager',
				description: 'Exact names, separated by commas',
			},
			{
				displayName: 'Custom Roles to Remove',
				name: 'remove',
				type: 'string',
				default: '',
				placeholder: 'e.g. Board Auditor',
				description: 'Exact names, separated by commas',
			},
		],
	},
	simplifyField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['updateRole'] } },
	properties,
);

function roleList(...values: unknown[]): string[] {
	const list = values.flatMap((value) =>
		Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [],
	);
	return [...new Set(list.map((role) => String(role).trim()).filter((role) => role !== ''))];
}

/** Reads and checks the wanted change; refuses an empty or contradictory one before any request. */
function readRoleChange(ctx: IExecuteFunctions, itemIndex: number): RoleChange {
	const orgRole = ctx.getNodeParameter('orgRole', itemIndex, 'keep') as string;
	const custom = ctx.getNodeParameter('customAdminRoles', itemIndex, {}) as IDataObject;
	const change: RoleChange = {
		orgRole: orgRole === 'keep' ? undefined : (orgRole as OrgRole),
		adds: roleList(ctx.getNodeParameter('addAdminRoles', itemIndex, []), custom.add),
		removes: roleList(ctx.getNodeParameter('removeAdminRoles', itemIndex, []), custom.remove),
	};
	const both = change.adds.filter((role) => change.removes.includes(role));
	if (both.length > 0) {
		throw fieldError(
			ctx,
			itemIndex,
			'Admin Roles',
			`"${both.join('", "')}" is both added and removed`,
			'List each admin role under Add or under Remove, not both.',
		);
	}
	if (change.orgRole === undefined && change.adds.length + change.removes.length === 0) {
		throw fieldError(
			ctx,
			itemIndex,
			'Organization Role',
			'nothing to change',
			'Choose a new organization role, or admin roles to add or remove.',
		);
	}
	return change;
}

/** A 2xx that left the roles as they were is a failure the builder must hear about. */
function confirm(ctx: IExecuteFunctions, itemIndex: number, change: RoleChange, user: ScimUser) {
	const missing = missingRoleChanges(change, user);
	if (missing.length === 0) return;
	throw new NodeOperationError(
		ctx.getNode(),
		"Miro accepted the role change, but the user's roles did not change",
		{
			itemIndex,
			description: `Still missing: ${missing.join('; ')}. The server answered with success without applying the change; check that it supports the roles paths Miro documents, or set the role in its admin console.`,
		},
	);
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject> {
	const change = readRoleChange(this, itemIndex);
	refuseAdminGrant(this, itemIndex, change);
	const id = await run.userId('user', itemIndex);
	await protectAdmin(this, run, itemIndex, id, 'change the roles of');
	// Whether the user has a primary role decides between replacing and adding one.
	const current = change.orgRole ? await run.getUser(id, itemIndex) : undefined;
	const operations = roleOperations(change, current);
	const addsPrimary = current !== undefined && primaryRoleOf(current) === undefined;
	// Removing (or adding a primary role) twice is not harmless: after a lost answer the user is
	// read back first, and if every change is in place, that is the result.
	const recover =
		change.removes.length > 0 || addsPrimary
			? async () => {
					const user = await run.getUser(id, itemIndex);
					return missingRoleChanges(change, user).length === 0 ? user : undefined;
				}
			: undefined;
	let user = await run.patchUser(id, operations, itemIndex, recover);
	if (!Array.isArray(user.roles)) user = await run.getUser(id, itemIndex);
	confirm(this, itemIndex, change, user);
	return this.getNodeParameter('simplify', itemIndex, true) ? run.simplifyUser(user) : user;
}
