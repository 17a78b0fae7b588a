import type { IDataObject } from 'n8n-workflow';

import { addMembers, patchBytes, patchOp, removeMember } from './patch';
import type { PatchOp, PatchOperation } from './patch';

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** Miro answers 413 above either limit for one PATCH /Groups/{id}. */
export const MAX_MEMBERS_PER_PATCH = 8000;
export const MAX_PATCH_BYTES = 800_000;

export interface MemberLimits {
	maxMembers: number;
	maxBytes: number;
}

export const MIRO_MEMBER_LIMITS: MemberLimits = {
	maxMembers: MAX_MEMBERS_PER_PATCH,
	maxBytes: MAX_PATCH_BYTES,
};

/** One PATCH /Groups/{id} body and the member ids it adds and removes. */
export interface MemberPatch {
	body: PatchOp;
	add: string[];
	remove: string[];
}

/**
 * Splits member additions and removals into as few PatchOps as the limits allow. Additions
 * share one `add` operation per PatchOp; each removal is its own `members[value eq …]`
 * operation. Members are never replaced wholesale: a replace-all PATCH makes Miro remove and
 * re-add everyone, which hands their boards to someone else.
 */
export function memberPatches(
	addIds: string[],
	removeIds: string[],
	limits: MemberLimits = MIRO_MEMBER_LIMITS,
): MemberPatch[] {
	const patches: MemberPatch[] = [];
	const empty = patchBytes(patchOp([addMembers([])]));
	let adds: string[] = [];
	let removes: string[] = [];
	let bytes = empty;

	const flush = () => {
		if (adds.length === 0 && removes.length === 0) return;
		const operations: PatchOperation[] = [];
		if (adds.length > 0) operations.push(addMembers(adds));
		for (const id of removes) operations.push(removeMember(id));
		patches.push({ body: patchOp(operations), add: adds, remove: removes });
		adds = [];
		removes = [];
		bytes = empty;
	};

	const fits = (extraBytes: number) =>
		adds.length + removes.length + 1 <= limits.maxMembers && bytes + extraBytes <= limits.maxBytes;

	for (const id of addIds) {
		// `{"value":"<id>"},` as it stands inside the add operation's array.
		const extra = Buffer.byteLength(JSON.stringify({ value: id }), 'utf8') + 1;
		if (!fits(extra)) flush();
		adds.push(id);
		bytes += extra;
	}
	for (const id of removeIds) {
		// A bare id is counted with the quotes (4 bytes in JSON) that a server refusing the bare
		// form gets instead (transport/forms.ts): the fallback must fit the same limits.
		const quotes = /^\d+$/.test(id) ? 4 : 0;
		const extra = Buffer.byteLength(JSON.stringify(removeMember(id)), 'utf8') + 1 + quotes;
		if (!fits(extra)) flush();
		removes.push(id);
		bytes += extra;
	}
	flush();
	return patches;
}

/**
 * A POST /Groups body (RFC 7643 §4.2, RFC 7644 §3.3): Miro publishes no shape of its own for
 * creating a user group. `members` is the value of an `add members` operation from
 * `memberPatches`, so a create carries exactly what one member PATCH may.
 */
export function groupResource(displayName: string, members: IDataObject[] = []): IDataObject {
	const resource: IDataObject = { schemas: [GROUP_SCHEMA], displayName };
	if (members.length > 0) resource.members = members;
	return resource;
}

/**
 * Splits initial members between the create itself and follow-up `add` PatchOps. The create
 * carries the first batch; its limits leave room for the name, which the create body adds.
 */
export function createMemberBatches(
	displayName: string,
	memberIds: string[],
	limits: MemberLimits = MIRO_MEMBER_LIMITS,
): { first: IDataObject[]; followUps: MemberPatch[] } {
	const nameBytes = Buffer.byteLength(JSON.stringify({ schemas: [GROUP_SCHEMA], displayName }));
	const patches = memberPatches(memberIds, [], {
		maxMembers: limits.maxMembers,
		maxBytes: limits.maxBytes - nameBytes,
	});
	const [first, ...followUps] = patches;
	return { first: (first?.body.Operations[0].value ?? []) as IDataObject[], followUps };
}

export function simplifyGroup(group: IDataObject): IDataObject {
	const members = Array.isArray(group.members) ? (group.members as IDataObject[]) : undefined;
	const simple: IDataObject = { id: group.id, name: group.displayName ?? null };
	if (members) {
		simple.memberCount = members.length;
		simple.members = members.map((member) => ({
			id: member.value,
			display: member.display ?? null,
		}));
	}
	return simple;
}
