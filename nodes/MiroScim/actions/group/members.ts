import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { memberPatches } from '../../scim/group';
import type { MemberPatch } from '../../scim/group';
import { isRefusal } from '../../transport';
import { encodeId } from '../context';
import type { RunContext } from '../context';
import { fieldError, requireEmail, requireId } from '../validation';

/** A user as the builder gave them: the id, and the email when they gave an email. */
export interface MemberRef extends IDataObject {
	id: string;
	email?: string;
}

export const idsOf = (users: MemberRef[]) => users.map((user) => user.id);

async function resolveMember(
	ctx: IExecuteFunctions,
	run: RunContext,
	itemIndex: number,
	entry: string,
	field: string,
): Promise<MemberRef> {
	if (!entry.includes('@')) return { id: requireId(ctx, itemIndex, field, entry) };
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
	return { id, email };
}

/**
 * Turns Miro user IDs and emails, as a builder lists them, into one entry per user, in the order
 * given; a user given both ways keeps the email. Emails are looked up once per execution; an
 * unknown email fails the item before anything changes.
 */
export async function resolveMemberRefs(
	ctx: IExecuteFunctions,
	run: RunContext,
	itemIndex: number,
	entries: string[],
	field: string,
): Promise<MemberRef[]> {
	const users = new Map<string, MemberRef>();
	for (const entry of entries) {
		const user = await resolveMember(ctx, run, itemIndex, entry, field);
		users.set(user.id, { ...users.get(user.id), ...user });
	}
	return [...users.values()];
}

/** The user IDs of `resolveMemberRefs`. */
export async function resolveMembers(
	ctx: IExecuteFunctions,
	run: RunContext,
	itemIndex: number,
	entries: string[],
	field: string,
): Promise<string[]> {
	return idsOf(await resolveMemberRefs(ctx, run, itemIndex, entries, field));
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

/** One wish for one group's members: an Update Members item, or one change of a sync. */
export interface MemberChange {
	itemIndex: number;
	groupId: string;
	add: string[];
	remove: string[];
}

/** How a member change went out: in how many PATCH requests, shared by how many changes. */
export interface MemberDelivery {
	patchRequests: number;
	itemsInPatch: number;
}

/**
 * Sends the PatchOps for one group. Additions are idempotent; removals are not (a member already
 * removed by an attempt whose answer was lost cannot be removed again), so before resending a
 * PatchOp with removals the group is read back and, if the change is in place, that is the answer.
 */
export async function sendPatches(
	run: RunContext,
	groupId: string,
	patches: MemberPatch[],
	itemIndex: number,
): Promise<number> {
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

/** One change in its own PATCH requests. */
export async function sendMemberChange(
	run: RunContext,
	change: MemberChange,
): Promise<MemberDelivery> {
	const patches = memberPatches(change.add, change.remove);
	const patchRequests = await sendPatches(run, change.groupId, patches, change.itemIndex);
	return { patchRequests, itemsInPatch: 1 };
}

/**
 * One group's changes in shared PATCHes. Returns false when they must go one by one instead:
 * one change adds a user another removes (only one-by-one keeps their order), or Miro refused the
 * content (4xx), so each change on its own finds out which of them it refuses. Rate limits,
 * outages and lost connections would fail them all alike, so those fail them all.
 */
async function sendMerged<C extends MemberChange>(
	run: RunContext,
	groupId: string,
	changes: C[],
	outcomes: Map<C, MemberDelivery | Error>,
): Promise<boolean> {
	const adds = [...new Set(changes.flatMap((change) => change.add))];
	const removes = [...new Set(changes.flatMap((change) => change.remove))];
	if (changes.length < 2 || adds.some((id) => removes.includes(id))) return false;
	try {
		const patches = memberPatches(adds, removes);
		const patchRequests = await sendPatches(run, groupId, patches, changes[0].itemIndex);
		for (const change of changes)
			outcomes.set(change, { patchRequests, itemsInPatch: changes.length });
	} catch (error) {
		if (isRefusal(error)) return false;
		for (const change of changes) outcomes.set(change, error as Error);
	}
	return true;
}

/**
 * Every group's changes go out together: 2,000 onboarding items adding people to two groups make
 * two PATCH requests, not 2,000 (Miro allows only 5 large group PATCHes per 30 s:
 * MIRO_RATE_LIMITS). If a merged request is refused, its changes are sent one by one so that each gets its
 * own outcome and one bad change does not fail the others. Update Members and Sync both send
 * their member changes here.
 */
export async function sendMemberChanges<C extends MemberChange>(
	run: RunContext,
	changes: C[],
): Promise<Map<C, MemberDelivery | Error>> {
	const outcomes = new Map<C, MemberDelivery | Error>();
	const groups = new Map<string, C[]>();
	for (const change of changes)
		groups.set(change.groupId, [...(groups.get(change.groupId) ?? []), change]);
	await run.forEach([...groups], async ([groupId, group]) => {
		if (await sendMerged(run, groupId, group, outcomes)) return;
		for (const change of group) {
			try {
				outcomes.set(change, await sendMemberChange(run, change));
			} catch (error) {
				outcomes.set(change, error as Error);
			}
		}
	});
	return outcomes;
}
