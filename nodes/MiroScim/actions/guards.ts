import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ADMIN_ROLE_TYPE } from '../scim/user';
import type { RunContext } from './context';

/**
 * Guard rails for a node that an AI agent drives (an MCP server, an agent's tool): limits that
 * hold whatever the model asks. Both are off unless the builder turns them on, so workflows
 * saved before they existed run as before. They are read from the node's stored parameters and
 * must be fixed values: an expression could let the model that fills `$fromAI()` loosen them.
 */
export interface GuardRails {
	/** Refuse to deactivate, delete or change an organization admin, or to grant admin roles. */
	protectAdmins: boolean;
	/** Most users one item (one tool call) may add to or remove from groups; 0: no limit. */
	maxUsersPerItem: number;
}

const ADMIN_ROLE = 'ORGANIZATION_INTERNAL_ADMIN';

/** The user operations that change who a user is or whether they can sign in. */
const ADMIN_GUARDED = ['deactivate', 'delete', 'update', 'updateRole'];

export const maxUsersPerItemOption: INodeProperties = {
	displayName: 'Max Users per Item',
	name: 'maxUsersPerItem',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	noDataExpression: true,
	displayOptions: { show: { '/resource': ['group'], '/operation': ['updateMembers'] } },
	description:
		'Guard rail for AI agents: refuse, before any request, an item (one tool call) that adds or removes more users than this. 0 means no limit. A fixed number, never an expression.',
};

export const protectAdminsOption: INodeProperties = {
	displayName: 'Protect Admins',
	name: 'protectAdmins',
	type: 'boolean',
	default: false,
	noDataExpression: true,
	displayOptions: { show: { '/resource': ['user'], '/operation': ADMIN_GUARDED } },
	description:
		'Whether to refuse deactivating, deleting or changing a user who is an organization admin or holds an admin role, and granting admin roles. Guard rail for AI agents: the user is read first and nothing is written. A fixed value, never an expression.',
};

function guardError(ctx: IExecuteFunctions, itemIndex: number, message: string, fix: string) {
	// The fix goes into the message too: an agent's tool call sees the message, not the description.
	return new NodeOperationError(ctx.getNode(), `${message} ${fix}`, {
		itemIndex,
		description: fix,
	});
}

/** The guard rails as stored; refuses an expression in either before anything runs. */
export function readGuardRails(ctx: IExecuteFunctions): GuardRails {
	const stored = (ctx.getNode().parameters.options ?? {}) as IDataObject;
	for (const name of ['protectAdmins', 'maxUsersPerItem']) {
		const value = stored[name];
		if (typeof value === 'string' && value.startsWith('=')) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Options > ${name}: a guard rail cannot be an expression`,
				{ description: 'Give it a fixed value in the node, so that no tool call can change it.' },
			);
		}
	}
	const maxUsers = Number(stored.maxUsersPerItem ?? 0);
	return {
		protectAdmins: stored.protectAdmins === true,
		maxUsersPerItem: Number.isFinite(maxUsers) && maxUsers > 0 ? Math.floor(maxUsers) : 0,
	};
}

/** Refuses one item's member change when it names more users than Max Users per Item allows. */
export function checkMemberCount(ctx: IExecuteFunctions, itemIndex: number, count: number): void {
	const { maxUsersPerItem: max } = readGuardRails(ctx);
	if (max === 0 || count <= max) return;
	throw guardError(
		ctx,
		itemIndex,
		`Refused: this call adds or removes ${count} users, more than the ${max} one call may change.`,
		`Send at most ${max} users (added and removed together) per call, and make further calls for the rest; nothing was changed.`,
	);
}

/** Whether a SCIM user is an organization admin or holds any admin role. */
export function isAdmin(user: IDataObject): boolean {
	const roles = Array.isArray(user.roles) ? (user.roles as IDataObject[]) : [];
	return roles.some(
		(role) => role.value === ADMIN_ROLE || role.type === ADMIN_ROLE_TYPE || role.primary === false,
	);
}

/**
 * With Protect Admins on, reads the user and refuses `operation` on an admin before anything is
 * written. Without it, sends nothing.
 */
export async function protectAdmin(
	ctx: IExecuteFunctions,
	run: RunContext,
	itemIndex: number,
	userId: string,
	operation: string,
): Promise<void> {
	if (!readGuardRails(ctx).protectAdmins) return;
	const user = await run.getUser(userId, itemIndex);
	if (!isAdmin(user)) return;
	throw guardError(
		ctx,
		itemIndex,
		`Refused: ${String(user.userName ?? userId)} is a Miro organization admin, and this node does not ${operation} admins.`,
		'Do not retry with another value for this user; a person must make this change in Miro or in a workflow without Protect Admins. Nothing was changed.',
	);
}

/** With Protect Admins on, refuses a role change that would grant admin rights, before any request. */
export function refuseAdminGrant(
	ctx: IExecuteFunctions,
	itemIndex: number,
	change: { orgRole?: string; adds: string[] },
): void {
	if (!readGuardRails(ctx).protectAdmins) return;
	if (change.orgRole !== ADMIN_ROLE && change.adds.length === 0) return;
	throw guardError(
		ctx,
		itemIndex,
		'Refused: this call would grant admin rights in Miro.',
		'Granting admin roles is not allowed from this node; a person must do it in Miro. Nothing was changed.',
	);
}
