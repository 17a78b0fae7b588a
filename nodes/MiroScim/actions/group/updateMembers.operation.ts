import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { batchOutcomes, stopBeforeWrite } from '../batch';
import type { PairedRecord } from '../batch';
import { groupLocator } from '../common.descriptions';
import type { RunContext } from '../context';
import type { BatchOutcomes } from '../node.type';
import { checkMemberCount } from '../guards';
import { fieldError } from '../validation';
import {
	idsOf,
	memberList,
	resolveMemberRefs,
	sendMemberChange,
	sendMemberChanges,
} from './members';
import type { MemberChange, MemberDelivery, MemberRef } from './members';

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
		hint: "Removed users lose access to the group's boards (a team's, where groups are teams) and ownership of their boards moves to someone else; adding them back does not return it",
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

/** One item's change, with its users as the builder gave them. */
interface ItemChange extends MemberChange {
	groupName: string | null;
	addRefs: MemberRef[];
	removeRefs: MemberRef[];
}

async function readChange(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<ItemChange> {
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
	const addRefs = await resolveMemberRefs(ctx, run, itemIndex, addEntries, 'Users to Add');
	const removeRefs = await resolveMemberRefs(ctx, run, itemIndex, removeEntries, 'Users to Remove');
	const add = idsOf(addRefs);
	const remove = idsOf(removeRefs);
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
	const groupName = await run.groupName('group', itemIndex, groupId);
	return { itemIndex, groupId, groupName, add, remove, addRefs, removeRefs };
}

/** What a user's change did, by whether they were a member before (undefined: not known). */
const MEMBER_RESULTS = {
	add: { false: 'added', true: 'already a member', undefined: 'added or already a member' },
	remove: { true: 'removed', false: 'not a member', undefined: 'removed or not a member' },
} as const;

/**
 * Each user as the builder gave them, with what their change did. Miro answers a member PATCH
 * the same whether or not anything changed, so the node tells from the user's groups as the
 * email lookup it already made listed them (no extra request); a user given by ID was not looked
 * up, and then it cannot tell.
 */
function memberResults(run: RunContext, change: ItemChange, side: 'add' | 'remove') {
	const refs = side === 'add' ? change.addRefs : change.removeRefs;
	return refs.map((ref) => {
		const was = run.wasMember(ref.id, change.groupId);
		return { ...ref, result: MEMBER_RESULTS[side][`${was}`] };
	});
}

/** Version 1's output, as 0.1.0 gave it: ids only, and whether items shared the PATCH. */
function resultV1(change: ItemChange, delivery: MemberDelivery): IDataObject {
	return {
		teamId: change.groupId,
		added: change.add,
		removed: change.remove,
		requests: delivery.patchRequests,
		merged: delivery.itemsInPatch > 1,
	};
}

/**
 * What one item reports: the group, each user as the builder gave them with what their change
 * did, whether anything changed (null: the node cannot tell), how many PATCH requests carried
 * the change, and how many items' changes shared them.
 */
function result(run: RunContext, change: ItemChange, delivery: MemberDelivery): IDataObject {
	if (run.nodeVersion < 2) return resultV1(change, delivery);
	const usersToAdd = memberResults(run, change, 'add');
	const usersToRemove = memberResults(run, change, 'remove');
	const results = [...usersToAdd, ...usersToRemove].map((user) => user.result);
	const unknown = results.some((value) => value.includes(' or '));
	const changed = results.some((value) => value === 'added' || value === 'removed');
	return {
		groupId: change.groupId,
		groupName: change.groupName,
		usersToAdd,
		usersToRemove,
		changed: changed ? true : unknown ? null : false,
		patchRequests: delivery.patchRequests,
		itemsInPatch: delivery.itemsInPatch,
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject> {
	const change = await readChange(this, itemIndex, run);
	return result(run, change, await sendMemberChange(run, change));
}

/** Every item's change, in item order; an item that cannot be read gets its error instead. */
async function readChanges(
	ctx: IExecuteFunctions,
	itemIndexes: number[],
	run: RunContext,
	errors: Map<number, Error>,
): Promise<ItemChange[]> {
	const changes: ItemChange[] = [];
	await run.forEach(itemIndexes, async (itemIndex) => {
		try {
			changes.push(await readChange(ctx, itemIndex, run));
		} catch (error) {
			errors.set(itemIndex, error as Error);
		}
	});
	return changes.sort((a, b) => a.itemIndex - b.itemIndex);
}

/**
 * All items' changes for one group go out together (see sendMemberChanges): each item reports
 * its own outcome, and one bad item does not fail the others.
 */
export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
	run: RunContext,
): Promise<BatchOutcomes> {
	const errors = new Map<number, Error>();
	const changes = await readChanges(this, itemIndexes, run, errors);
	const stop = stopBeforeWrite(this, itemIndexes, errors);
	if (stop) return stop;
	const deliveries = await sendMemberChanges(run, changes);
	const records: PairedRecord[] = [];
	for (const change of changes) {
		const delivery = deliveries.get(change) as MemberDelivery | Error;
		if (delivery instanceof Error) errors.set(change.itemIndex, delivery);
		else records.push([change.itemIndex, result(run, change, delivery)]);
	}
	return batchOutcomes(itemIndexes, errors, records);
}
