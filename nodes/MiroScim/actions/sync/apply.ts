import type { IDataObject } from 'n8n-workflow';

import { memberPatches } from '../../scim/group';
import { userReplaceOperations, userResource } from '../../scim/user';
import type { UserFields } from '../../scim/user';
import type { SkipReason } from '../../sync/recheck';
import type { Change, ChangeAction, FieldValues } from '../../sync/types';
import { encodeId } from '../context';
import type { RunContext } from '../context';
import { sendPatches } from '../group/updateMembers.operation';

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

/**
 * A create whose answer was lost may have made the user: before resending, and on a 409, the
 * transport looks the email up and takes the user it finds.
 */
async function createUser(run: RunContext, change: Change, itemIndex: number): Promise<string> {
	const email = change.email;
	const response = await run.client.request({
		method: 'POST',
		path: '/Users',
		body: userResource({ ...userFieldsOf(change.after), userName: email }),
		idempotent: false,
		recover: async () => await run.findUserByEmail(email, itemIndex),
		// Made meanwhile by someone else (another run, a person): that user is the result, and the
		// next run brings its fields in step.
		recoverOnConflict: true,
		itemIndex,
	});
	return String(response.body.id);
}

async function applyUserChange(run: RunContext, change: Change): Promise<string> {
	const itemIndex = change.itemIndex ?? 0;
	if (change.action === 'create') return await createUser(run, change, itemIndex);
	const id = change.id as string;
	if (change.action === 'delete') await run.deleteOnce(`/Users/${encodeId(id)}`, itemIndex);
	else await run.patchUser(id, userReplaceOperations(userFieldsOf(change.after)), itemIndex);
	return id;
}

type Member = { change: Change; userId: string };

async function sendMembers(run: RunContext, groupId: string, members: Member[]): Promise<void> {
	const adds = members.filter((m) => m.change.action === 'addToGroup').map((m) => m.userId);
	const removes = members.filter((m) => m.change.action !== 'addToGroup').map((m) => m.userId);
	const itemIndex = members[0].change.itemIndex ?? 0;
	await sendPatches(run, groupId, memberPatches(adds, removes), itemIndex);
}

/** Miro refused the content (4xx other than 429): one by one finds the member it refuses. */
function refusedContent(error: unknown): boolean {
	const status = Number((error as { httpCode?: string }).httpCode);
	return status >= 400 && status < 500 && status !== 429;
}

/** One team's changes merged: one `add` for all additions, one filtered `remove` each. */
async function applyGroup(
	run: RunContext,
	groupId: string,
	changes: Change[],
	createdIds: Map<string, string>,
	outcomes: Map<Change, Outcome>,
): Promise<void> {
	const members: Member[] = [];
	for (const change of changes) {
		const userId =
			change.id ??
			createdIds.get(change.email.toLowerCase()) ??
			(await run.userIdByEmail(change.email, change.itemIndex ?? 0));
		if (userId) members.push({ change, userId });
		else outcomes.set(change, failed(new Error(`${change.email} is not a Miro user`)));
	}
	if (members.length === 0) return;
	try {
		await sendMembers(run, groupId, members);
		for (const { change, userId } of members) outcomes.set(change, { outcome: 'done', id: userId });
	} catch (error) {
		if (!refusedContent(error) || members.length === 1) {
			for (const { change } of members) outcomes.set(change, failed(error));
			return;
		}
		for (const member of members) {
			try {
				await sendMembers(run, groupId, [member]);
				outcomes.set(member.change, { outcome: 'done', id: member.userId });
			} catch (single) {
				outcomes.set(member.change, failed(single));
			}
		}
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
	const byGroup = new Map<string, Change[]>();
	for (const change of changes) {
		if (!GROUP_ACTIONS.includes(change.action) || !change.group) continue;
		const list = byGroup.get(change.group.id) ?? [];
		list.push(change);
		byGroup.set(change.group.id, list);
	}
	await run.forEach([...byGroup], async ([groupId, groupChanges]) => {
		await applyGroup(run, groupId, groupChanges, createdIds, outcomes);
	});
	return changes.map((change) => outcomes.get(change) ?? plannedOutcome(change));
}
