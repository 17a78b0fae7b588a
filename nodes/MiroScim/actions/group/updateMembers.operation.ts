import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { memberPatches } from '../../scim/group';
import type { PatchOp } from '../../scim/patch';
import { isRefusal } from '../../transport';
import { groupLocator } from '../common.descriptions';
import { encodeId } from '../context';
import type { RunContext } from '../context';
import { fieldError, requireEmail, requireId } from '../validation';

const properties: INodeProperties[] = [
	groupLocator(),
	{
		displayName: 'Users to Add',
		name: 'add',
		type: 'string',
		default: '',
		placeholder: 'e.g. jane@example.com, 3074457345618261605',
		description:
			'Miro user IDs or emails, separated by commas or new lines, or an expression giving one or a list. Emails are looked up once each. Adding a deactivated user reactivates them.',
	},
	{
		displayName: 'Users to Remove',
		name: 'remove',
		type: 'string',
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
	add: string[];
	remove: string[];
}

async function readChange(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<MemberChange> {
	const addEntries = memberList(ctx.getNodeParameter('add', itemIndex, ''));
	const removeEntries = memberList(ctx.getNodeParameter('remove', itemIndex, ''));
	if (addEntries.length === 0 && removeEntries.length === 0) {
		throw fieldError(
			ctx,
			itemIndex,
			'Users to Add',
			'and Users to Remove are both empty',
			'Give at least one Miro user ID or email to add or remove.',
		);
	}
	const resolve = async (entries: string[], field: string) => {
		const ids: string[] = [];
		for (const entry of entries) {
			if (entry.includes('@')) {
				const email = requireEmail(ctx, itemIndex, field, entry);
				const id = await run.userIdByEmail(email, itemIndex);
				if (id === undefined) {
					throw fieldError(
						ctx,
						itemIndex,
						field,
						`no Miro user has the email ${email}`,
						'Create the user first (User > Create), or check the address.',
					);
				}
				ids.push(id);
			} else {
				ids.push(requireId(ctx, itemIndex, field, entry));
			}
		}
		return [...new Set(ids)];
	};
	const add = await resolve(addEntries, 'Users to Add');
	const remove = await resolve(removeEntries, 'Users to Remove');
	const both = add.filter((id) => remove.includes(id));
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
async function sendPatches(
	run: RunContext,
	groupId: string,
	patches: PatchOp[],
	itemIndex: number,
) {
	for (const body of patches) {
		const added = new Set<string>();
		const removed: string[] = [];
		for (const operation of body.Operations) {
			if (operation.op === 'add')
				for (const member of operation.value as IDataObject[]) added.add(String(member.value));
			else if (operation.path)
				removed.push(operation.path.replace(/^members\[value eq "(.*)"\]$/, '$1'));
		}
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
					[...added].every((id) => members.has(id)) && removed.every((id) => !members.has(id));
				return done ? response.body : undefined;
			},
			itemIndex,
		});
	}
	return patches.length;
}

function result(change: MemberChange, requests: number, merged: boolean): IDataObject {
	return { teamId: change.groupId, added: change.add, removed: change.remove, requests, merged };
}

async function applyOne(run: RunContext, change: MemberChange): Promise<IDataObject> {
	const patches = memberPatches(change.add, change.remove);
	return result(change, await sendPatches(run, change.groupId, patches, change.itemIndex), false);
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject> {
	return await applyOne(run, await readChange(this, itemIndex, run));
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
	const results = new Map<number, IDataObject | Error>();
	const changes: MemberChange[] = [];
	await run.forEach(itemIndexes, async (itemIndex) => {
		try {
			changes.push(await readChange(this, itemIndex, run));
		} catch (error) {
			results.set(itemIndex, error as Error);
		}
	});
	changes.sort((a, b) => a.itemIndex - b.itemIndex);
	// Without "Continue On Fail" one bad item stops the node: better before any team changes.
	if (!this.continueOnFail()) {
		const firstBad = itemIndexes.find((itemIndex) => results.get(itemIndex) instanceof Error);
		if (firstBad !== undefined) return itemIndexes.map((itemIndex) => results.get(itemIndex) ?? {});
	}

	const byGroup = new Map<string, MemberChange[]>();
	for (const change of changes) {
		const list = byGroup.get(change.groupId) ?? [];
		list.push(change);
		byGroup.set(change.groupId, list);
	}

	await run.forEach([...byGroup.keys()], async (groupId) => {
		const group = byGroup.get(groupId) as MemberChange[];
		const adds = [...new Set(group.flatMap((change) => change.add))];
		const removes = [...new Set(group.flatMap((change) => change.remove))];
		// One item adding a user another removes has an order that only one-by-one keeps.
		const conflicting = adds.some((id) => removes.includes(id));
		if (!conflicting && group.length > 1) {
			try {
				const requests = await sendPatches(
					run,
					groupId,
					memberPatches(adds, removes),
					group[0].itemIndex,
				);
				for (const change of group) results.set(change.itemIndex, result(change, requests, true));
				return;
			} catch (error) {
				// Miro refused the content (4xx): each item on its own finds out which of them it
				// refuses. Rate limits, outages and lost connections would fail them all alike.
				if (!isRefusal(error)) {
					for (const change of group) results.set(change.itemIndex, error as Error);
					return;
				}
			}
		}
		for (const change of group) {
			try {
				results.set(change.itemIndex, await applyOne(run, change));
			} catch (error) {
				results.set(change.itemIndex, error as Error);
			}
		}
	});
	return itemIndexes.map((itemIndex) => results.get(itemIndex) as IDataObject | Error);
}
