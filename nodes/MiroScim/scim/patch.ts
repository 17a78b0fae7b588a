import type { IDataObject, GenericValue } from 'n8n-workflow';

type PatchValue = GenericValue | IDataObject | GenericValue[] | IDataObject[];

import { scimString } from './filter';

/**
 * RFC 7644 §3.5.2. Miro's PatchOp schemas enumerate `Add`, `Remove`, `Replace` and its examples
 * use them; the RFC's examples are lower case. The node writes Miro's spelling; the transport
 * (`transport/forms.ts`) lowers it for a server that refuses it.
 */
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface PatchOperation extends IDataObject {
	op: 'Add' | 'Remove' | 'Replace';
	path?: string;
	value?: PatchValue;
}

export interface PatchOp extends IDataObject {
	schemas: string[];
	Operations: PatchOperation[];
}

export function patchOp(operations: PatchOperation[]): PatchOp {
	return { schemas: [PATCH_OP_SCHEMA], Operations: operations };
}

export function replace(path: string, value: PatchValue): PatchOperation {
	return { op: 'Replace', path, value };
}

export function add(path: string, value: PatchValue): PatchOperation {
	return { op: 'Add', path, value };
}

export function remove(path: string): PatchOperation {
	return { op: 'Remove', path };
}

/**
 * Miro's example (PATCH /Groups/{id}) leaves the id unquoted: `members[value eq 3074457364022187294]`.
 * The RFC quotes string values; the transport quotes it for a server that refuses the bare id
 * (`transport/forms.ts`). Ids that are not digits (other SCIM servers use UUIDs) are quoted, as
 * the RFC writes them: bare, they are no SCIM value at all.
 */
export function memberPath(userId: string): string {
	return /^\d+$/.test(userId)
		? `members[value eq ${userId}]`
		: `members[value eq ${scimString(userId)}]`;
}

export function addMembers(userIds: string[]): PatchOperation {
	return add(
		'members',
		userIds.map((value) => ({ value })),
	);
}

export function removeMember(userId: string): PatchOperation {
	return remove(memberPath(userId));
}

/** Bytes a PatchOp takes on the wire, as Miro counts them for its 500-byte and 800,000-byte limits. */
export function patchBytes(body: PatchOp): number {
	return Buffer.byteLength(JSON.stringify(body), 'utf8');
}
