import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { memberPatches } from '../../scim/group';
import type { MemberPatch } from '../../scim/group';
import { isRefusal } from '../../transport';
import { groupLocator } from '../common.descriptions';
import { encodeId } from '../context';
import type { RunContext } from '../context';
import { checkMemberCount } from '../guards';
import { fieldError } from '../validation';
import { idsOf, resolveMemberRefs } from './members';
import type { MemberRef } from './members';

const properties: INodeProperties[] = [
	groupLocator(),
	{
		displayName: 'Users to Add',
		name: 'add',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. jane@example.com, 3074457345618261605',
		description:
			'Miro user IDs or emails, separated by commas or new lines, or an expression giving one or a list. Emails are looked up once each. Adding a deactivated user reactivates them.',
	},
	{
		displayName: 'Users to Remove',
		name: 'remove',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. jane@example.com',
		description: 'Miro user IDs or emails, as for Users to Add',
		hint: "Removed users lose access to the team's boards and ownership of their boards moves to someone else; adding them back does not return it",
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['group'], operation: ['updateMembers'] } },
	properties,
);

/** Items share PATCHes (executeBatch) unless the user turned Merge Member Changes off. */
export function batched(run: RunContext): boolean {
	return run.mergeMemberChanges;
}

/** Splits a list the way people type or map them: one value, an array, or commas/new lines. */
export function memberList(value: unknown): string[] {
	const raw: unknown[] = Array.isArray(value) ? value.flat() : [value];
	const entries = raw.flatMap((entry) => {
		if (entry && typeof entry === 'object') {
			const object = entry as IDataObject;
			entry = object.id ?? object.value ?? object.email ?? object.userName;
		}
		if (entry === undefined || entry === null) return [];
		return String(entry).split(/[\n,;]+/);
	});
	return [...new Set(entries.map((entry) => entry.trim()).filter((entry) => entry !== ''))];
}

interface MemberChange {
	itemIndex: number;
	groupId: string;
	add: MemberRef[];
	remove: MemberRef[];
}

async function readChange(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<MemberChange> {
	const addEntries = memberList(ctx.getNodeParameter('add', itemIndex, ''));
	const removeEntries = memberList(ctx.getNodeParameter('remove', itemIndex, ''));
	checkMemberCount(ctx, itemIndex, addEntries.length + removeEntries.length);
	if (addEntries.length === 0 && removeEntries.length === 0) {
		throw fieldError(
			ctx,
			itemIndex,
			'Users to Add and Users to Remove',
			'both are empty',
			'Give at least one Miro user ID or email to add or remove.',
		);
	}
	const add = await resolveMemberRefs(ctx, run, itemIndex, addEntries, 'Users to Add');
	const remove = await resolveMemberRefs(ctx, run, itemIndex, removeEntries, 'Users to Remove');
	const both = idsOf(add).filter((id) => idsOf(remove).includes(id));
	if (both.length > 0) {
		throw fieldError(
			ctx,
			itemIndex,
			'Users to Remove',
			`user ${both.join(', ')} is also in Users to Add`,
			'List each user under Add or under Remove, not both.',
		);
	}
	const groupId = await run.groupId('group', itemIndex);
	return { itemIndex, groupId, add, remove };
}

/**
 * Sends the PatchOps for one team. Additions are idempotent; removals are not (a member already
 * removed by an attempt whose answer was lost cannot be removed again), so before resending a
 * PatchOp with removals the team is read back and, if the change is in place, that is the answer.
 */
export async function sendPatches(
	run: RunContext,
	groupId: string,
	patches: MemberPatch[],
	itemIndex: number,
) {
	for (const { body, add: added, remove: removed } of patches) {
		await run.client.request({
			method: 'PATCH',
			path: `/Groups/${encodeId(groupId)}`,
			body,
			idempotent: removed.length === 0,
			recover: async () => {
				const response = await run.client.request({
					method: 'GET',
					path: `/Groups/${encodeId(groupId)}`,
					itemIndex,
				});
				const members = new Set(
					((response.body.members ?? []) as IDataObject[]).map((member) => String(member.value)),
				);
				const done =
					added.every((id) => members.has(id)) && removed.every((id) => !members.has(id));
				return done ? response.body : undefined;
			},
			itemIndex,
		});
	}
	return patches.length;
}

/**
 * What one item reports. Miro answers a member PATCH the same whether or not anything changed,
 * so the node cannot tell "added" from "already a member": it reports the users it asked for
 * (after success, every one in usersToAdd is a member and none in usersToRemove is), how many
 * PATCH requests carried the change, and how many items' changes shared them.
 */
function result(change: MemberChange, patchRequests: number, itemsInPatch: number): IDataObject {
	return {
		teamId: change.groupId,
		usersToAdd: change.add,
		usersToRemove: change.remove,
		patchRequests,
		itemsInPatch,
	};
}

async function applyOne(run: RunContext, change: MemberChange): Promise<IDataObject> {
	const patches = memberPatches(idsOf(change.add), idsOf(change.remove));
	return result(change, await sendPatches(run, change.groupId, patches, change.itemIndex), 1);
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject> {
	return await applyOne(run, await readChange(this, itemIndex, run));
}

type Outcomes = Map<number, IDataObject | Error>;

/** Every item's change, in item order; an item that cannot be read gets its error instead. */
async function readChanges(
	ctx: IExecuteFunctions,
	itemIndexes: number[],
	run: RunContext,
	outcomes: Outcomes,
): Promise<MemberChange[]> {
	const changes: MemberChange[] = [];
	await run.forEach(itemIndexes, async (itemIndex) => {
		try {
			changes.push(await readChange(ctx, itemIndex, run));
		} catch (error) {
			outcomes.set(itemIndex, error as Error);
		}
	});
	return changes.sort((a, b) => a.itemIndex - b.itemIndex);
}

function byTeam(changes: MemberChange[]): Map<string, MemberChange[]> {
	const teams = new Map<string, MemberChange[]>();
	for (const change of changes)
		teams.set(change.groupId, [...(teams.get(change.groupId) ?? []), change]);
	return teams;
}

/**
 * One team's changes from several items in shared PATCHes. Returns false when they must go one
 * by one instead: one item adds a user another removes (only one-by-one keeps their order), or
 * Miro refused the content (4xx), so each item on its own finds out which of them it refuses.
 * Rate limits, outages and lost connections would fail them all alike, so those fail them all.
 */
async function sendMerged(
	run: RunContext,
	groupId: string,
	changes: MemberChange[],
	outcomes: Outcomes,
): Promise<boolean> {
	const adds = [...new Set(changes.flatMap((change) => idsOf(change.add)))];
	const removes = [...new Set(changes.flatMap((change) => idsOf(change.remove)))];
	if (changes.length < 2 || adds.some((id) => removes.includes(id))) return false;
	try {
		const patches = memberPatches(adds, removes);
		const requests = await sendPatches(run, groupId, patches, changes[0].itemIndex);
		for (const change of changes)
			outcomes.set(change.itemIndex, result(change, requests, changes.length));
	} catch (error) {
		if (isRefusal(error)) return false;
		for (const change of changes) outcomes.set(change.itemIndex, error as Error);
	}
	return true;
}

/**
 * All items' changes for one team go out together: 2,000 onboarding items adding people to two
 * teams make two PATCH requests, not 2,000 (Miro allows only 5 large team PATCHes per 30 s).
 * If a merged request is refused, its items are sent one by one so that each reports its own
 * outcome and one bad item does not fail the others.
 */
export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
	run: RunContext,
): Promise<Array<IDataObject | Error>> {
	const outcomes: Outcomes = new Map();
	const changes = await readChanges(this, itemIndexes, run, outcomes);
	// Without "Continue On Fail" one bad item stops the node: better before any team changes.
	if (outcomes.size > 0 && !this.continueOnFail()) {
		return itemIndexes.map((itemIndex) => outcomes.get(itemIndex) ?? {});
	}
	const teams = byTeam(changes);
	await run.forEach([...teams.keys()], async (groupId) => {
		const team = teams.get(groupId) as MemberChange[];
		if (await sendMerged(run, groupId, team, outcomes)) return;
		for (const change of team) {
			try {
				outcomes.set(change.itemIndex, await applyOne(run, change));
			} catch (error) {
				outcomes.set(change.itemIndex, error as Error);
			}
		}
	});
	return itemIndexes.map((itemIndex) => outcomes.get(itemIndex) as IDataObject | Error);
}
