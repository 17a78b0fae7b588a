/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not part of the published node */
/**
 * Shared by the user-operation tests: a nock scope that insists on the credential's Bearer
 * token and the SCIM Accept header for every request, exact-body matchers, and a guard that
 * fails the test when the node sent anything no interceptor expected.
 */
import nock from 'nock';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { IDataObject, INodeParameterResourceLocator } from 'n8n-workflow';

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
export const MANAGER_ID = '3074457345618261799';
export const TEAM_ID = '3458764513820540928';

/** Node options that keep tests fast: no pacing, near-zero backoff. */
export const FAST = { pacing: false, initialBackoffMs: 1 };

export const rl = {
	id: (value: string | number): INodeParameterResourceLocator => ({
		__rl: true,
		mode: 'id',
		value,
	}),
	email: (value: string): INodeParameterResourceLocator => ({ __rl: true, mode: 'email', value }),
	list: (value: string): INodeParameterResourceLocator => ({ __rl: true, mode: 'list', value }),
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
		groups: [{ value: TEAM_ID, display: 'Engineering' }],
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
	teams: [{ id: '3458764513820540928', name: 'Engineering' }],
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
	resources: IDataObject[],
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

/** Every request must carry the token and ask for SCIM JSON, or it matches nothing. */
export function miro(): nock.Scope {
	return nock(ORIGIN, {
		reqheaders: { authorization: 'Bearer test-token', accept: SCIM_JSON },
	});
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
	unmatched.push(`${request.method} ${request.url}`);
};

/**
 * Net connect off; after each test, no request went unmatched, no interceptor is left over.
 * (nock answers an unmatched request to a mocked host with a 501, which the node would report
 * as a Miro error: this makes such a request fail the test by name instead.)
 */
export function useNock(): void {
	beforeAll(() => {
		nock.disableNetConnect();
		nock.emitter.on('no match', onNoMatch);
	});
	beforeEach(() => {
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
