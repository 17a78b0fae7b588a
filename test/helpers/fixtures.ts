/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not part of the published node */
/**
 * Shared by every node test: a nock scope that insists on the credential's Bearer token and the
 * SCIM Accept header for every request, builders for Miro's answers, exact-body matchers, and a
 * guard (`useNock`) that fails the test when the node sent anything no interceptor expected.
 * Request expectations (paths, queries, bodies) stay written out in each test.
 */
import nock from 'nock';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { IDataObject, INodeParameterResourceLocator, INodeParameters } from 'n8n-workflow';

export const ORIGIN = 'https://miro.com';
export const SCIM = '/api/v1/scim';
export const SCIM_JSON = 'application/scim+json';

export const CORE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** 19-digit ids, beyond 2^53: any trip through a JS number changes them. */
export const JANE_ID = '3074457345618261605';
export const JOHN_ID = '3074457345618261606';
export const MARY_ID = '3074457345618261607';
export const MANAGER_ID = '3074457345618261799';
/** Team ids. */
export const ENGINEERING = '3458764513820540928';
export const DESIGN = '3458764513820540929';

/** Node options that keep tests fast: no pacing, near-zero backoff; tests of those set their own. */
export const FAST: INodeParameters = { pacing: false, initialBackoffMs: 1 };

export const rl = {
	id: (value: string | number): INodeParameterResourceLocator => ({
		__rl: true,
		mode: 'id',
		value,
	}),
	email: (value: string): INodeParameterResourceLocator => ({ __rl: true, mode: 'email', value }),
	list: (value: string): INodeParameterResourceLocator => ({ __rl: true, mode: 'list', value }),
	name: (value: string): INodeParameterResourceLocator => ({ __rl: true, mode: 'name', value }),
};

/** A user as Miro returns it. */
export function janeResource(overrides: IDataObject = {}): IDataObject {
	return {
		schemas: [CORE_SCHEMA, ENTERPRISE],
		id: JANE_ID,
		userName: 'jane.doe@example.com',
		name: { givenName: 'Jane', familyName: 'Doe' },
		displayName: 'Jane Doe',
		userType: 'Full',
		active: true,
		emails: [{ value: 'jane.doe@example.com', primary: true }],
		roles: [
			{
				type: 'organization_user_role',
				value: 'ORGANIZATION_INTERNAL_USER',
				display: 'Organization internal user',
				primary: true,
			},
			{ type: 'organization_admin_role', value: 'Content Admin', primary: false },
		],
		groups: [{ value: ENGINEERING, display: 'Engineering' }],
		[ENTERPRISE]: {
			department: 'R&D',
			employeeNumber: 'E-1001',
			manager: { value: MANAGER_ID, displayName: 'Max Boss' },
		},
		meta: {
			resourceType: 'User',
			created: '2026-01-05T10:00:00Z',
			lastModified: '2026-02-01T09:30:00Z',
			location: `${ORIGIN}${SCIM}/Users/${JANE_ID}`,
		},
		...overrides,
	};
}

/** What Simplify makes of `janeResource()`, written out by hand. */
export const JANE_SIMPLE: IDataObject = {
	id: '3074457345618261605',
	email: 'jane.doe@example.com',
	displayName: 'Jane Doe',
	givenName: 'Jane',
	familyName: 'Doe',
	active: true,
	license: 'Full',
	role: 'ORGANIZATION_INTERNAL_USER',
	adminRoles: ['Content Admin'],
	groups: [{ id: '3458764513820540928', name: 'Engineering' }],
	department: 'R&D',
	employeeNumber: 'E-1001',
	manager: { id: '3074457345618261799', displayName: 'Max Boss' },
};

/** A minimal user, for lists. */
export function member(n: number): IDataObject {
	return {
		schemas: [CORE_SCHEMA],
		id: `30744573456182617${String(n).padStart(2, '0')}`,
		userName: `user${n}@example.com`,
		active: true,
	};
}

export function listResponse(
	resources: object[],
	totalResults = resources.length,
	startIndex = 1,
): IDataObject {
	return {
		schemas: [LIST_SCHEMA],
		totalResults,
		startIndex,
		itemsPerPage: resources.length,
		Resources: resources,
	};
}

export function scimError(status: number, detail: string, scimType?: string): IDataObject {
	return {
		schemas: [ERROR_SCHEMA],
		status: String(status),
		...(scimType ? { scimType } : {}),
		detail,
	};
}

/** The query of the node's email lookup: one filtered page of one. */
export function lookup(filter: string) {
	return { filter, startIndex: 1, count: 1 };
}

/** A team as Miro returns it; `members` as [id, display] pairs. */
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

/** Every request must carry the token and ask for SCIM JSON, or it matches nothing. */
export function miro(origin = ORIGIN, token = 'test-token'): nock.Scope {
	return nock(origin, {
		reqheaders: { authorization: `Bearer ${token}`, accept: SCIM_JSON },
	});
}

/** For requests with a body: also the SCIM content type. */
export function miroWithBody(origin = ORIGIN): nock.Scope {
	return nock(origin, {
		reqheaders: {
			authorization: 'Bearer test-token',
			accept: SCIM_JSON,
			'content-type': /^application\/scim\+json/,
		},
	});
}

/** Every mocked request was made, and no other is left waiting. */
export function expectAllDone(...scopes: nock.Scope[]): void {
	for (const scope of scopes) expect(scope.isDone()).toBe(true);
	expect(nock.pendingMocks()).toEqual([]);
}

/** A member PatchOp written out in full: one add of `adds` (if any), then one remove per id. */
export function memberBody(adds: string[], removes: string[] = []): nock.DataMatcherMap {
	const Operations: nock.DataMatcherMap[] = [];
	if (adds.length > 0)
		Operations.push({ op: 'Add', path: 'members', value: adds.map((value) => ({ value })) });
	for (const removed of removes)
		Operations.push({ op: 'Remove', path: `members[value eq ${removed}]` });
	return { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations };
}

const bodyMismatches: Array<{ expected: unknown; actual: unknown }> = [];

/** A body matcher for nock: the parsed JSON body must deep-equal `expected`, no extra keys. */
export function exactly(expected: unknown) {
	return (actual: unknown) => {
		const ok = isDeepStrictEqual(actual, expected);
		if (!ok) bodyMismatches.push({ expected, actual });
		return ok;
	};
}

export function patchBody(operations: IDataObject[]): IDataObject {
	return { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations };
}

export function expectPost(scope: nock.Scope, body: IDataObject): nock.Interceptor {
	return scope.post(`${SCIM}/Users`, exactly(body)).matchHeader('content-type', SCIM_JSON);
}

export function expectPatch(
	scope: nock.Scope,
	id: string,
	operations: IDataObject[],
): nock.Interceptor {
	return scope
		.patch(`${SCIM}/Users/${id}`, exactly(patchBody(operations)))
		.matchHeader('content-type', SCIM_JSON);
}

const unmatched: string[] = [];
const onNoMatch = (request: { method?: string; url?: string }) => {
	// A loopback server is one the test started itself (and opened the network for); nock still
	// reports those requests as unmatched, but they are not the node talking to a mocked Miro.
	if (request.url && /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(request.url)) return;
	unmatched.push(`${request.method} ${request.url}`);
};

/**
 * Net connect off before each test; after it, no request went unmatched and no interceptor is
 * left over. (nock answers an unmatched request to a mocked host with a 501, which the node would
 * report as a Miro error: this makes such a request fail the test by name instead.)
 */
export function useNock(): void {
	beforeAll(() => {
		nock.emitter.on('no match', onNoMatch);
	});
	beforeEach(() => {
		nock.disableNetConnect();
		unmatched.length = 0;
		bodyMismatches.length = 0;
	});
	afterEach(() => {
		try {
			expect(
				unmatched,
				`unexpected requests; bodies seen: ${JSON.stringify(bodyMismatches)}`,
			).toEqual([]);
			expect(nock.pendingMocks()).toEqual([]);
		} finally {
			nock.cleanAll();
		}
	});
	afterAll(() => {
		nock.emitter.removeListener('no match', onNoMatch);
		nock.enableNetConnect();
	});
}

/**
 * A connection reset, for nock's replyWithError. It must be an Error instance: nock 15 leaves
 * the request hanging (until the node's timeout) when given a plain `{ code }` object.
 */
export function connectionReset(): Error {
	return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

/** The serialized run and error must never contain the token. */
export function expectNoToken(...values: unknown[]): void {
	for (const value of values) expect(JSON.stringify(value) ?? '').not.toContain('test-token');
}

/** The query of one group-directory listing page: every team, without members. */
export function groupListing(startIndex = 1) {
	return { attributes: 'id,displayName,meta', startIndex: String(startIndex), count: '1000' };
}
