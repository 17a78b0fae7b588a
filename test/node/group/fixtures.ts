/**
 * Shared pieces of the team (SCIM group) tests: the mocked Miro origin with the headers every
 * request must carry, and small builders for Miro's answers. Request expectations (paths, queries,
 * bodies) stay written out in each test.
 */
import nock from 'nock';
import type { INodeParameterResourceLocator, INodeParameters } from 'n8n-workflow';
import { expect } from 'vitest';

export const ORIGIN = 'https://miro.com';
export const SCIM = '/api/v1/scim';

/** Retries without waiting and no pacing, so tests stay fast; tests of those set their own. */
export const FAST: INodeParameters = { pacing: false, initialBackoffMs: 1 };

export const ENGINEERING = '3458764513820540928';
export const DESIGN = '3458764513820540929';
export const JANE = '3074457345618261605';
export const JOHN = '3074457345618261606';
export const MARY = '3074457345618261607';

/** The mocked Miro: every request must carry the Bearer token and ask for SCIM JSON. */
export function miro(origin = ORIGIN, token = 'test-token') {
	return nock(origin, {
		reqheaders: {
			authorization: `Bearer ${token}`,
			accept: 'application/scim+json',
		},
	});
}

/** For requests with a body: also the SCIM content type. */
export function miroWithBody(origin = ORIGIN) {
	return nock(origin, {
		reqheaders: {
			authorization: 'Bearer test-token',
			accept: 'application/scim+json',
			'content-type': /^application\/scim\+json/,
		},
	});
}

export function listResponse(resources: object[], totalResults = resources.length) {
	return {
		schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
		totalResults,
		startIndex: 1,
		itemsPerPage: resources.length,
		Resources: resources,
	};
}

export function scimError(status: number, detail: string, scimType?: string) {
	return {
		schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
		status: String(status),
		...(scimType ? { scimType } : {}),
		detail,
	};
}

export function team(id: string, displayName: string, members?: Array<[string, string]>) {
	return {
		schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
		id,
		displayName,
		...(members
			? { members: members.map(([value, display]) => ({ value, display, type: 'User' })) }
			: {}),
		meta: { resourceType: 'Group' },
	};
}

/** Every mocked request was made, and no other is left waiting. */
export function expectAllDone(...scopes: nock.Scope[]) {
	for (const scope of scopes) expect(scope.isDone()).toBe(true);
	expect(nock.pendingMocks()).toEqual([]);
}

type Locator = INodeParameterResourceLocator;
export const id = (value: string): Locator => ({ __rl: true, mode: 'id', value });
export const byName = (value: string): Locator => ({ __rl: true, mode: 'name', value });
export const fromList = (value: string): Locator => ({ __rl: true, mode: 'list', value });

/** A member PatchOp written out in full: one add of `adds` (if any), then one remove per id. */
export function memberBody(adds: string[], removes: string[] = []): nock.DataMatcherMap {
	const Operations: nock.DataMatcherMap[] = [];
	if (adds.length > 0)
		Operations.push({ op: 'add', path: 'members', value: adds.map((value) => ({ value })) });
	for (const removed of removes)
		Operations.push({ op: 'remove', path: `members[value eq "${removed}"]` });
	return { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations };
}

/** The query of one group-directory listing page: every team, without members. */
export function groupListing(startIndex = 1) {
	return { excludedAttributes: 'members', startIndex: String(startIndex), count: '1000' };
}
