import type { IDataObject } from 'n8n-workflow';

import { userReplaceOperations, userResource } from '../../scim/user';
import type { UserFields } from '../../scim/user';
import type { SkipReason } from '../../sync/recheck';
import type { Change, ChangeAction, FieldValues } from '../../sync/types';
import { encodeId } from '../context';
import type { RunContext } from '../context';
import { sendMemberChanges } from '../group/members';
import type { MemberChange } from '../group/members';
import { createUser as createUserOnce } from '../user/createUser';

export interface Outcome {
	outcome: 'planned' | 'done' | 'failed' | 'reported' | 'skipped';
	/** The user's id, also for one the apply created. */
	id?: string;
	error?: string;
	description?: string;
	/** Why Apply Plan did not send a change (see sync/recheck.ts), and what it found. */
	skipReason?: SkipReason;
	note?: string;
}

export const USER_ACTIONS: ChangeAction[] = [
	'create',
	'update',
	'reactivate',
	'deactivate',
	'delete',
];
export const GROUP_ACTIONS: ChangeAction[] = ['addToGroup', 'removeFromGroup'];

/** What a change is before (or instead of) being applied: `report` changes write nothing. */
export function plannedOutcome(change: Change): Outcome {
	return { outcome: change.action === 'report' ? 'reported' : 'planned' };
}

function failed(error: unknown): Outcome {
	const description = (error as { description?: unknown }).description;
	return {
		outcome: 'failed',
		error: (error as Error).message,
		...(typeof description === 'string' ? { description } : {}),
	};
}

/** The `after` values of a change as the user fields the SCIM builders take. */
export function userFieldsOf(after: FieldValues = {}): UserFields {
	const fields: IDataObject = {};
	for (const [key, value] of Object.entries(after)) {
		if (value === null || value === undefined) continue;
		fields[key === 'email' ? 'userName' : key] = value;
	}
	return fields as UserFields;
}

/** Made meanwhile by someone else (another run, a person): that user is the result, and the
 * next run brings its fields in step. */
async function createUser(run: RunContext, change: Change, itemIndex: number): Promise<string> {
	const body = userResource({ ...userFieldsOf(change.after), userName: change.email });
	const request = { email: change.email, body, itemIndex, lookFirst: false, takeExisting: true };
	return String((await createUserOnce(run, request)).user.id);
}

async function applyUserChange(run: RunContext, change: Change): Promise<string> {
	const itemIndex = change.itemIndex ?? 0;
	if (change.action === 'create') return await createUser(run, change, itemIndex);
	const id = change.id as string;
	if (change.action === 'delete') await run.deleteOnce(`/Users/${encodeId(id)}`, itemIndex);
	else await run.patchUser(id, userReplaceOperations(userFieldsOf(change.after)), itemIndex);
	return id;
}

type GroupChange = MemberChange & { change: Change };

/** A group change as a member change; a user the apply created has no id in the plan yet. */
async function memberChangeOf(
	run: RunContext,
	change: Change,
	createdIds: Map<string, string>,
): Promise<GroupChange | Outcome> {
	const userId =
		change.id ??
		createdIds.get(change.email.toLowerCase()) ??
		(await run.userIdByEmail(change.email, change.itemIndex ?? 0));
	if (!userId) return failed(new Error(`${change.email} is not a Miro user`));
	const adds = change.action === 'addToGroup';
	const groupId = (change.group as { id: string }).id;
	const itemIndex = change.itemIndex ?? 0;
	return { change, itemIndex, groupId, add: adds ? [userId] : [], remove: adds ? [] : [userId] };
}

/** Each group's changes merged: one `add` for all additions, one filtered `remove` each. */
async function applyGroupChanges(
	run: RunContext,
	changes: Change[],
	createdIds: Map<string, string>,
	outcomes: Map<Change, Outcome>,
): Promise<void> {
	// In plan order, so that a merged PatchOp lists the members as the plan does.
	const resolved = new Array<GroupChange | Outcome>(changes.length);
	await run.forEach([...changes.keys()], async (n) => {
		resolved[n] = await memberChangeOf(run, changes[n], createdIds);
	});
	const memberChanges: GroupChange[] = [];
	resolved.forEach((entry, n) => {
		if ('outcome' in entry) outcomes.set(changes[n], entry);
		else memberChanges.push(entry);
	});
	const deliveries = await sendMemberChanges(run, memberChanges);
	for (const memberChange of memberChanges) {
		const delivery = deliveries.get(memberChange);
		const userId = [...memberChange.add, ...memberChange.remove][0];
		outcomes.set(
			memberChange.change,
			delivery instanceof Error ? failed(delivery) : { outcome: 'done', id: userId },
		);
	}
}

/**
 * Applies exactly the given changes: user changes first (creates give the ids that team
 * additions need), then each team's changes merged. Every change gets its own outcome; one that
 * fails does not stop the others, and re-running the sync converges.
 */
export async function applyChanges(run: RunContext, changes: Change[]): Promise<Outcome[]> {
	const outcomes = new Map<Change, Outcome>();
	const createdIds = new Map<string, string>();
	const userChanges = changes.filter((change) => USER_ACTIONS.includes(change.action));
	await run.forEach(userChanges, async (change) => {
		try {
			const id = await applyUserChange(run, change);
			if (change.action === 'create') createdIds.set(change.email.toLowerCase(), id);
			outcomes.set(change, { outcome: 'done', id });
		} catch (error) {
			outcomes.set(change, failed(error));
		}
	});
	const groupChanges = changes.filter(
		(change) => GROUP_ACTIONS.includes(change.action) && change.group,
	);
	await applyGroupChanges(run, groupChanges, createdIds, outcomes);
	return changes.map((change) => outcomes.get(change) ?? plannedOutcome(change));
}
