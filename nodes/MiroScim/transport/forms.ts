import type { IDataObject } from 'n8n-workflow';

import { scimDetail } from './errors';

/**
 * Where Miro's OpenAPI description and SCIM's RFCs offer two spellings of the same request, the
 * node sends Miro's documented one first. A server that refuses it with a 400 naming the part
 * (the query parameter, `op`, the member path) gets the request once more in the other
 * spelling; when that one is accepted, every later request of this process to that server uses
 * it (see `FormMemory`).
 */
export interface RequestForms {
	/** Leaving members out of a group read: `attributes=…` (Miro) or `excludedAttributes=members` (RFC). */
	projection: 'attributes' | 'excludedAttributes';
	/** PatchOp `op`: `Add`/`Remove`/`Replace` (Miro's schema) or lower case (the RFC's examples). */
	opCase: 'documented' | 'lower';
	/** Member removal path: `members[value eq 123]` (Miro's example) or `members[value eq "123"]` (RFC). */
	memberPath: 'unquoted' | 'quoted';
}

export const DOCUMENTED_FORMS: RequestForms = {
	projection: 'attributes',
	opCase: 'documented',
	memberPath: 'unquoted',
};

/**
 * The group attributes a read without members asks for: Miro's example (`id,displayName`) and
 * `meta`, which every group output carried when members were excluded instead.
 */
export const GROUP_ATTRIBUTES = 'id,displayName,meta';

/** What `shapeRequest` needs to know about a request. */
export interface Shapeable {
	qs?: IDataObject;
	body?: IDataObject;
	/** A group read that needs no members: the transport adds the projection parameter. */
	omitMembers?: boolean;
}

const UNQUOTED_MEMBER = /^members\[value eq ([^"\]\s]+)\]$/;

function shapeOperation(operation: IDataObject, forms: RequestForms): IDataObject {
	const shaped = { ...operation };
	if (forms.opCase === 'lower' && typeof shaped.op === 'string')
		shaped.op = shaped.op.toLowerCase();
	const member = typeof shaped.path === 'string' ? UNQUOTED_MEMBER.exec(shaped.path) : null;
	if (forms.memberPath === 'quoted' && member) shaped.path = `members[value eq "${member[1]}"]`;
	return shaped;
}

/** The query and body to send for `request` in `forms`. */
export function shapeRequest(
	request: Shapeable,
	forms: RequestForms,
): { qs?: IDataObject; body?: IDataObject } {
	let qs = request.qs;
	if (request.omitMembers) {
		qs = {
			...qs,
			...(forms.projection === 'attributes'
				? { attributes: GROUP_ATTRIBUTES }
				: { excludedAttributes: 'members' }),
		};
	}
	let body = request.body;
	if (body && Array.isArray(body.Operations)) {
		const operations = body.Operations as IDataObject[];
		body = { ...body, Operations: operations.map((op) => shapeOperation(op, forms)) };
	}
	return { qs, body };
}

function names(text: string, word: string): boolean {
	return new RegExp(`(^|[^A-Za-z])${word}([^A-Za-z]|$)`, 'i').test(text);
}

/**
 * The other spelling to try after `status`/`body` answered `request` sent in `forms`, or
 * undefined when the refusal does not name a part that has another spelling. Only a 400 counts:
 * the server understood the request and refused its form.
 */
export function otherFormsFor(
	status: number,
	body: unknown,
	request: Shapeable,
	forms: RequestForms,
): RequestForms | undefined {
	if (status !== 400) return undefined;
	const scimType = (body as IDataObject | undefined)?.scimType;
	const text = `${scimDetail(body) ?? ''} ${typeof scimType === 'string' ? scimType : ''}`;
	if (request.omitMembers) {
		const sent = forms.projection;
		if (names(text, sent)) {
			return { ...forms, projection: sent === 'attributes' ? 'excludedAttributes' : 'attributes' };
		}
	}
	const operations = Array.isArray(request.body?.Operations)
		? (request.body.Operations as IDataObject[])
		: [];
	if (operations.length === 0) return undefined;
	if (names(text, 'op')) {
		return { ...forms, opCase: forms.opCase === 'documented' ? 'lower' : 'documented' };
	}
	const removesMember = operations.some(
		(op) => typeof op.path === 'string' && UNQUOTED_MEMBER.test(op.path),
	);
	if (removesMember && (names(text, 'path') || /invalidPath|invalidFilter/i.test(text))) {
		return { ...forms, memberPath: forms.memberPath === 'unquoted' ? 'quoted' : 'unquoted' };
	}
	return undefined;
}

/**
 * The spellings one server accepted, per credential and base URL, for the life of the process:
 * a server that refused a form once is not asked in it again.
 */
const remembered = new Map<string, RequestForms>();

export function formsFor(scope: string): RequestForms {
	return remembered.get(scope) ?? DOCUMENTED_FORMS;
}

export function rememberForms(scope: string, forms: RequestForms): void {
	remembered.set(scope, forms);
}

/** Forgets every server's answer: tests start from an empty process. */
export function resetRequestForms(): void {
	remembered.clear();
}
