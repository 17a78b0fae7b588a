/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not part of the published node */
/**
 * The contract test's own tests: it must fail on requests and answers outside Miro's description
 * (as written in miro-scim.openapi.json), through every path it watches, and its allow-list must
 * stay narrow.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator } from '../emulator/server';
import type { Emulator } from '../emulator/server';
import { checkRequest, checkResponse, contract } from './contract';
import type { ContractRequest } from './contract';
import { DEPARTURES, unlisted } from './departures';
import { takeViolations } from './recorder';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ID = '3074457345618261605';

const request = (partial: Partial<ContractRequest>): ContractRequest => ({
	method: 'GET',
	path: '/Users',
	query: {},
	...partial,
});
const patch = (operations: object[], target = `/Groups/${ID}`) =>
	request({
		method: 'PATCH',
		path: target,
		contentType: 'application/scim+json',
		body: { schemas: [PATCH_OP], Operations: operations },
	});
const failures = (r: ContractRequest) => unlisted(checkRequest(r)).map((v) => v.detail);

describe('requests outside the description fail', () => {
	it.each([
		[
			'an undocumented query parameter',
			request({ query: { startIndex: '1', foo: 'bar' } }),
			'query parameter foo is not documented for GET /Users',
		],
		[
			'excludedAttributes on users',
			request({ query: { excludedAttributes: 'groups' } }),
			'query parameter excludedAttributes is not documented for GET /Users',
		],
		[
			'excludedAttributes other than members on groups',
			request({ path: '/Groups', query: { excludedAttributes: 'meta' } }),
			'query parameter excludedAttributes is not documented for GET /Groups',
		],
		[
			'a count above 1000',
			request({ query: { count: '5000' } }),
			'count: 5000 is above the documented maximum 1000',
		],
		[
			'a sortOrder not enumerated',
			request({ query: { sortOrder: 'up' } }),
			'sortOrder: "up" is not one of "ascending", "descending"',
		],
		[
			'a misspelled op',
			patch([{ op: 'Replase', path: 'displayName', value: 'x' }]),
			'body/Operations/*/op: "Replase" is not one of "Add", "Remove", "Replace"',
		],
		[
			'a misspelled op on a user',
			patch([{ op: 'replce', path: 'active', value: 'false' }], `/Users/${ID}`),
			'body/Operations/*/op: "replce" is not one of "Add", "Remove", "Replace"',
		],
		[
			'a group path not described',
			patch([
				{ op: 'Replace', path: 'members', value: [] },
				{ op: 'Remove', path: 'members[display eq "x"]' },
			]),
			'body/Operations/*/path: "members[display eq \\"x\\"]" is not of the documented form ^(members|displayName|members\\[value eq [0-9]+\\])$',
		],
		[
			'a user PATCH without a path',
			patch([{ op: 'Replace', value: 'x' }], `/Users/${ID}`),
			'body/Operations/*/path: required path is missing',
		],
		[
			'a create without userName',
			request({ method: 'POST', contentType: 'application/scim+json', body: { active: true } }),
			'body/userName: required userName is missing',
		],
		[
			'a name without familyName',
			request({
				method: 'POST',
				contentType: 'application/json',
				body: { userName: 'a@b.c', name: { givenName: 'A' } },
			}),
			'body/name/familyName: required familyName is missing',
		],
		[
			'a body of the wrong content type',
			request({ method: 'POST', contentType: 'text/plain', body: { userName: 'a@b.c' } }),
			'Content-Type "text/plain" is not one of application/scim+json, application/json',
		],
		[
			'a method the description lacks',
			request({ method: 'PUT', path: `/Groups/${ID}` }),
			`PUT /Groups/{id} is not in Miro's description`,
		],
		[
			'a path the description lacks',
			request({ path: '/Bulk' }),
			`GET /Bulk is not in Miro's description`,
		],
	])('%s', (_, wrong, detail) => {
		expect(failures(wrong)).toContain(detail);
	});

	it("the node's documented forms pass", () => {
		expect(
			failures(
				request({
					path: '/Groups',
					query: { attributes: 'id,displayName,meta', startIndex: '1', count: '1000' },
				}),
			),
		).toEqual([]);
		expect(
			failures(
				patch([
					{ op: 'Add', path: 'members', value: [{ value: ID }] },
					{ op: 'Remove', path: `members[value eq ${ID}]` },
					{ op: 'Replace', path: 'displayName', value: 'x' },
				]),
			),
		).toEqual([]);
		expect(
			failures(
				patch(
					[
						{
							op: 'Add',
							path: 'roles',
							value: [{ value: 'Content Admin', type: 'organization_admin_role', primary: false }],
						},
						{ op: 'Remove', path: 'roles[value eq "Content Admin"]' },
					],
					`/Users/${ID}`,
				),
			),
		).toEqual([]);
	});

	it('the fallbacks pass only through the allow-list, and only in their exact form', () => {
		const lower = patch([{ op: 'remove', path: `members[value eq "${ID}"]` }]);
		expect(checkRequest(lower).map((v) => v.rule)).toEqual([
			'body/Operations/*/op',
			'body/Operations/*/path',
		]);
		expect(failures(lower)).toEqual([]);
		expect(failures(patch([{ op: 'REMOVE', path: `members[value eq "${ID}" ]` }]))).toHaveLength(2);
	});
});

describe('answers outside the description fail', () => {
	const list = { method: 'GET', path: '/Users' };
	it.each([
		[
			'a ListResponse without totalResults',
			list,
			{ status: 200, body: { Resources: [] } },
			'response/totalResults: required totalResults is missing',
		],
		[
			'Resources not an array',
			list,
			{ status: 200, body: { totalResults: 1, Resources: {} } },
			'response/Resources: expected array, got object {}',
		],
		[
			'a user id as a number',
			list,
			{ status: 200, body: { totalResults: 1, Resources: [{ id: 3, userName: 'a' }] } },
			'response/Resources/*/id: expected string, got integer 3',
		],
		[
			'a group member list of strings',
			{ method: 'GET', path: `/Groups/${ID}` },
			{ status: 200, body: { id: ID, members: ['x'] } },
			'response/members/*: expected object, got string "x"',
		],
		[
			'an error without detail',
			list,
			{ status: 400, body: { status: '400' } },
			'response/detail: required detail is missing',
		],
		[
			'an undocumented success status',
			list,
			{ status: 202, body: {} },
			'status 202 is not documented for GET /Users',
		],
	])('%s', (_, req, response, detail) => {
		const details = checkResponse(req, { contentType: 'application/scim+json', ...response }).map(
			(v) => v.detail,
		);
		expect(details.join('\n')).toContain(detail);
	});
});

describe("the recorder on n8n-core's axios and the emulator's contract mode", () => {
	let emulator: Emulator;
	beforeAll(async () => {
		emulator = await startEmulator({ port: 0, rateLimits: false, contract: true });
	});
	afterAll(async () => await emulator.close());

	it('a wrong request sent through the axios n8n-core uses is recorded (and would fail its test)', async () => {
		nock('https://miro.example')
			.get('/api/v1/scim/Users')
			.query(true)
			.reply(200, { totalResults: 0 });
		const axios = createRequire(__filename)('axios') as { get: (url: string) => Promise<unknown> };
		await axios.get('https://miro.example/api/v1/scim/Users?startIndex=1&foo=bar');
		nock.cleanAll();
		expect(takeViolations().map((v) => v.detail)).toEqual([
			'query parameter foo is not documented for GET /Users',
		]);
	});

	it('the emulator records a misspelled op it was sent, and its answer checks pass', async () => {
		const group = emulator.state.groupByName('Engineering')!;
		await fetch(`${emulator.url}/Groups/${group.id}`, {
			method: 'PATCH',
			headers: {
				Authorization: `Bearer ${emulator.token}`,
				'Content-Type': 'application/scim+json',
			},
			body: JSON.stringify({
				schemas: [PATCH_OP],
				Operations: [{ op: 'Ad', path: 'members', value: [] }],
			}),
		});
		const expected = ['body/Operations/*/op: "Ad" is not one of "Add", "Remove", "Replace"'];
		expect(emulator.contractViolations.map((v) => v.detail)).toEqual(expected);
		expect(takeViolations().map((v) => v.detail)).toEqual(expected);
		emulator.contractViolations.length = 0;
	});

	it("the emulator's answers fit the description: lists, users, groups, errors", async () => {
		const user = emulator.addUser({
			userName: 'ada@example.com',
			name: { givenName: 'Ada', familyName: 'L' },
		});
		const group = emulator.state.groupByName('Engineering')!;
		const get = async (route: string) =>
			await fetch(`${emulator.url}${route}`, {
				headers: { Authorization: `Bearer ${emulator.token}` },
			});
		const send = async (method: string, route: string, body: unknown) =>
			await fetch(`${emulator.url}${route}`, {
				method,
				headers: {
					Authorization: `Bearer ${emulator.token}`,
					'Content-Type': 'application/scim+json',
				},
				body: JSON.stringify(body),
			});
		const statuses = [
			(await get('/Users?startIndex=1&count=2')).status,
			(await get(`/Users?filter=${encodeURIComponent('userName eq "ada@example.com"')}`)).status,
			(await get(`/Users/${user.id}`)).status,
			(await get('/Users/3074457345618299999')).status,
			(await get('/Groups?attributes=id,displayName,meta')).status,
			(await get(`/Groups/${group.id}`)).status,
			(await send('POST', '/Users', { userName: 'bob@example.com' })).status,
			(await send('POST', '/Users', { userName: 'bob@example.com' })).status,
			(
				await send('PATCH', `/Users/${user.id}`, {
					schemas: [PATCH_OP],
					Operations: [{ op: 'Replace', path: 'displayName', value: 'Ada' }],
				})
			).status,
			(
				await send('PATCH', `/Groups/${group.id}`, {
					schemas: [PATCH_OP],
					Operations: [{ op: 'Add', path: 'members', value: [{ value: user.id }] }],
				})
			).status,
			(
				await send('PATCH', `/Groups/${group.id}`, {
					schemas: [PATCH_OP],
					Operations: [{ op: 'Remove', path: `members[value eq ${user.id}]` }],
				})
			).status,
			(await get('/ServiceProviderConfig')).status,
			(await get('/Schemas')).status,
			(await get('/ResourceTypes')).status,
		];
		expect(statuses).toEqual([
			200, 200, 200, 404, 200, 200, 201, 409, 200, 200, 200, 200, 200, 200,
		]);
		expect(emulator.contractViolations).toEqual([]);
	});
});

describe('the contract and its allow-list', () => {
	it('every departure says why and names a test that exists', () => {
		expect(DEPARTURES.length).toBeLessThanOrEqual(10);
		for (const departure of DEPARTURES) {
			expect(departure.reason.length).toBeGreaterThan(20);
			expect(existsSync(path.join(__dirname, '..', '..', departure.test)), departure.test).toBe(
				true,
			);
		}
	});

	it("every operation cites where in Miro's description it comes from", () => {
		const paths = contract.paths as Record<string, Record<string, { 'x-source'?: string }>>;
		for (const [route, item] of Object.entries(paths)) {
			for (const [method, operation] of Object.entries(item)) {
				if (method === 'parameters') continue;
				expect(operation['x-source'], `${method} ${route}`).toMatch(/^#\/paths\/~1/);
			}
		}
		expect((contract.info as { 'x-upstream': { commit: string } })['x-upstream'].commit).toMatch(
			/^3a2506b/,
		);
	});
});
