import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { batchOutcomes, stopBeforeWrite } from '../batch';
import type { PairedRecord } from '../batch';
import { groupLocator } from '../common.descriptions';
import type { RunContext } from '../context';
import type { BatchOutcomes } from '../node.type';
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

/** One item's change, with its users as the builder gave them. */
interface ItemChange extends MemberChange {
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
	return { itemIndex, groupId, add, remove, addRefs, removeRefs };
}

/**
 * What one item reports. Miro answers a member PATCH the same whether or not anything changed,
 * so the node cannot tell "added" from "already a member": it reports the users it asked for
 * (after success, every one in usersToAdd is a member and none in usersToRemove is), how many
 * PATCH requests carried the change, and how many items' changes shared them.
 */
function result(change: ItemChange, delivery: MemberDelivery): IDataObject {
	return {
		teamId: change.groupId,
		usersToAdd: change.addRefs,
		usersToRemove: change.removeRefs,
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
	return result(change, await sendMemberChange(run, change));
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
		else records.push([change.itemIndex, result(change, delivery)]);
	}
	return batchOutcomes(itemIndexes, errors, records);
}
