import type { IDataObject, GenericValue } from 'n8n-workflow';

type PatchValue = GenericValue | IDataObject | GenericValue[] | IDataObject[];

import { scimString } from './filter';

/** RFC 7644 §3.5.2. Miro's own examples send lowercase op names; we always do. */
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface PatchOperation extends IDataObject {
	op: 'add' | 'remove' | 'replace';
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
	return { op: 'replace', path, value };
}

export function add(path: string, value: PatchValue): PatchOperation {
	return { op: 'add', path, value };
}

export function remove(path: string): PatchOperation {
	return { op: 'remove', path };
}

/** Miro's example leaves the id unquoted; the RFC form quotes it, and Miro accepts both. */
export function memberPath(userId: string): string {
	return `members[value eq ${scimString(userId)}]`;
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
