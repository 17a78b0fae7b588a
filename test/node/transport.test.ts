/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: a real loopback server, not part of the published node */
/**
 * The one door to Miro (transport/index.ts), driven through real workflow runs of team
 * operations: retry rules, Retry-After, backoff, giving up, pacing, base URL checks, and the
 * token staying with Miro. Delays are shrunk to milliseconds; timing windows are asserted loosely.
 */
import axios from 'axios';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { checkBaseUrl } from '../../nodes/MiroScim/transport';
import { adviceFor, describe as describeError } from '../../nodes/MiroScim/transport/errors';
import { credentialTestRequest, runNode } from '../helpers/harness';
import {
	ENGINEERING,
	expectAllDone,
	FAST,
	JANE_ID,
	JOHN_ID,
	listResponse,
	miro,
	miroWithBody,
	ORIGIN,
	rl,
	SCIM,
	scimError,
	team,
	useNock,
} from '../helpers/fixtures';

// Every test starts with the network closed again (one opens loopback for a real server).
useNock();

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const GROUP_PATH = `${SCIM}/Groups/${ENGINEERING}`;
const engineering = team(ENGINEERING, 'Engineering');

const getTeam = (options: INodeParameters = FAST): INodeParameters => ({
	resource: 'group',
	operation: 'get',
	group: rl.id(ENGINEERING),
	options,
});

const networkError = (code: string, message = code) => Object.assign(new Error(message), { code });

/** Records when each request arrived; nock 15 hands reply functions a fetch Request. */
function clock() {
	const times: number[] = [];
	return {
		times,
		gaps: () => times.slice(1).map((time, i) => time - times[i]),
		reply:
			(status: number, body: object = {}, headers: Record<string, string> = {}) =>
			() => {
				times.push(Date.now());
				return [status, body, headers] as const;
			},
	};
}

describe('retry rules', () => {
	it.each([429, 500, 502, 503, 504])('retries a GET answered %i', async (status) => {
		const scope = miro()
			.get(GROUP_PATH)
			.reply(status, scimError(status, 'try again'))
			.get(GROUP_PATH)
			.reply(200, engineering);

		const result = await runNode(getTeam());

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([{ id: ENGINEERING, name: 'Engineering' }]);
		expectAllDone(scope);
	});

	it.each([
		[400, 'Miro rejected the request as invalid'],
		[401, 'Miro did not accept the SCIM token'],
		[403, 'Miro refused access to SCIM'],
		[404, 'Miro has no such user or group'],
		[405, 'Miro does not support this operation here'],
		[409, 'Miro reported a conflict'],
		[413, 'The request was too large for Miro'],
		[415, 'Miro did not accept the content type'],
		[501, 'Miro is unavailable'],
		[418, 'Miro answered with HTTP 418'],
	])('does not retry %i: one request, "%s"', async (status, message) => {
		const scope = miro().get(GROUP_PATH).once().reply(status, scimError(status, 'nope'));

		const result = await runNode(getTeam());

		expect(result.error?.message).toBe(message);
		expect(result.error?.httpCode).toBe(String(status));
		expect(result.error?.description).toMatch(/^Miro says: nope /);
		expect(result.error?.description).not.toContain('attempts');
		expectAllDone(scope);
	});

	it.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN', 'EPIPE'])(
		'retries a GET whose connection failed with %s',
		async (code) => {
			const scope = miro()
				.get(GROUP_PATH)
				.replyWithError(networkError(code))
				.get(GROUP_PATH)
				.reply(200, engineering);

			const result = await runNode(getTeam());

			expect(result.error).toBeUndefined();
			expect(result.json).toEqual([{ id: ENGINEERING, name: 'Engineering' }]);
			expectAllDone(scope);
		},
	);

	it('does not retry a failure it cannot recognise as a network fault', async () => {
		const scope = miro().get(GROUP_PATH).once().replyWithError('certificate verify failed');

		const result = await runNode(getTeam());

		expect(result.error?.message).toBe('Could not reach Miro');
		expect(result.error?.description).toMatch(
			new RegExp(
				`^GET /Groups/${ENGINEERING} failed with .*certificate verify failed.* after 1 attempt\\.`,
			),
		);
		expectAllDone(scope);
	});

	it('retries a request that timed out (a real loopback server that never answers)', async () => {
		nock.enableNetConnect('127.0.0.1');
		const received: string[] = [];
		const server = http.createServer((request, response) => {
			received.push(
				`${request.method} ${request.url} ${request.headers.authorization} ${request.headers.accept}`,
			);
			if (received.length === 1) return; // never answers: the client's timeout must end it
			response.setHeader('content-type', 'application/scim+json');
			response.end(JSON.stringify(engineering));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
		const { port } = server.address() as AddressInfo;
		try {
			const started = Date.now();
			const result = await runNode(getTeam({ ...FAST, timeoutSeconds: 0.2 }), {
				credentials: { token: 'test-token', baseUrl: `http://127.0.0.1:${port}/scim` },
			});

			expect(result.error).toBeUndefined();
			expect(result.json).toEqual([{ id: ENGINEERING, name: 'Engineering' }]);
			expect(received).toEqual(
				Array(2).fill(`GET /scim/Groups/${ENGINEERING} Bearer test-token application/scim+json`),
			);
			expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		} finally {
			server.closeAllConnections();
			server.close();
		}
	});

	it('resends an idempotent PATCH (rename) after a 502 without looking first', async () => {
		const body = {
			schemas: [PATCH_OP],
			Operations: [{ op: 'Replace', path: 'displayName', value: 'Platform' }],
		};
		const scope = miroWithBody()
			.patch(GROUP_PATH, body)
			.reply(502, 'Bad Gateway')
			.patch(GROUP_PATH, body)
			.reply(200, team(ENGINEERING, 'Platform'));

		const result = await runNode({
			resource: 'group',
			operation: 'rename',
			group: rl.id(ENGINEERING),
			newName: 'Platform',
			options: FAST,
		});

		expect(result.json).toEqual([{ id: ENGINEERING, name: 'Platform' }]);
		expectAllDone(scope);
	});

	const removeJohn = {
		schemas: [PATCH_OP],
		Operations: [{ op: 'Remove', path: `members[value eq ${JOHN_ID}]` }],
	};
	const removeMembers = (options: INodeParameters = FAST): INodeParameters => ({
		resource: 'group',
		operation: 'updateMembers',
		group: rl.id(ENGINEERING),
		remove: JOHN_ID,
		options,
	});

	it('resends a removal after a 429 without looking first: a 429 changed nothing', async () => {
		const scope = miroWithBody()
			.patch(GROUP_PATH, removeJohn)
			.reply(429, scimError(429, 'Too many requests'), { 'Retry-After': '0' })
			.patch(GROUP_PATH, removeJohn)
			.reply(204);

		const result = await runNode(removeMembers());

		expect(result.error).toBeUndefined();
		expectAllDone(scope);
	});

	it('after a 500 on a removal, reads the team, then resends as the change is not there', async () => {
		const order: string[] = [];
		const scope = miroWithBody()
			.patch(GROUP_PATH, removeJohn)
			.reply(() => {
				order.push('PATCH 500');
				return [500, scimError(500, 'Internal error')];
			})
			.patch(GROUP_PATH, removeJohn)
			.reply(() => {
				order.push('PATCH 204');
				return [204];
			});
		const check = miro()
			.get(GROUP_PATH)
			.reply(() => {
				order.push('GET');
				return [200, team(ENGINEERING, 'Engineering', [[JOHN_ID, 'John Roe']])];
			});

		const result = await runNode(removeMembers());

		expect(result.error).toBeUndefined();
		expect(order).toEqual(['PATCH 500', 'GET', 'PATCH 204']);
		expectAllDone(scope, check);
	});

	it('after a lost removal, a 404 on the resend makes it look again and find the change in place', async () => {
		const order: string[] = [];
		const scope = miroWithBody()
			.patch(GROUP_PATH, removeJohn)
			.replyWithError(networkError('ECONNRESET', 'socket hang up'))
			.patch(GROUP_PATH, removeJohn)
			.reply(() => {
				order.push('PATCH 404');
				return [404, scimError(404, 'Member not found')];
			});
		const checks = miro()
			.get(GROUP_PATH)
			.reply(() => {
				order.push('GET (still there)');
				return [200, team(ENGINEERING, 'Engineering', [[JOHN_ID, 'John Roe']])];
			})
			.get(GROUP_PATH)
			.reply(() => {
				order.push('GET (gone)');
				return [200, team(ENGINEERING, 'Engineering', [[JANE_ID, 'Jane Doe']])];
			});

		const result = await runNode(removeMembers());

		expect(result.error).toBeUndefined();
		expect(order).toEqual(['GET (still there)', 'PATCH 404', 'GET (gone)']);
		expect(result.json).toEqual([
			{
				groupId: ENGINEERING,
				groupName: null,
				usersToAdd: [],
				usersToRemove: [{ id: JOHN_ID, result: 'removed or not a member' }],
				changed: null,
				patchRequests: 1,
				itemsInPatch: 1,
			},
		]);
		expectAllDone(scope, checks);
	});
});

describe('giving up', () => {
	it.each([
		[429, 'Miro rate limit reached and retries ran out'],
		[503, 'Miro is unavailable'],
		[500, 'Miro had an internal error'],
	])('after Max Attempts of %i, says so and names the attempts', async (status, message) => {
		const scope = miro().get(GROUP_PATH).times(3).reply(status, scimError(status, 'busy'));

		const result = await runNode(getTeam({ ...FAST, maxAttempts: 3 }));

		expect(result.error?.message).toBe(message);
		expect(result.error?.httpCode).toBe(String(status));
		expect(result.error?.description).toMatch(/^Miro says: busy .*\(3 attempts\)$/);
		expectAllDone(scope);
	});

	it('after Max Attempts of broken connections, names the fault and the attempts', async () => {
		const scope = miro()
			.get(GROUP_PATH)
			.times(3)
			.replyWithError(networkError('ECONNRESET', 'socket hang up'));

		const result = await runNode(getTeam({ ...FAST, maxAttempts: 3 }));

		// n8n's NodeApiError swaps the message for its own text on well-known codes such as
		// ECONNRESET; the description is the node's.
		expect(result.error?.httpCode).toBe('ECONNRESET');
		expect(result.error?.description).toBe(
			`GET /Groups/${ENGINEERING} failed with ECONNRESET after 3 attempts. Check the Base URL in the credential and your network, then try again.`,
		);
		expectAllDone(scope);
	});

	it('gives up at once when Retry-After is beyond Max Total Wait', async () => {
		const started = Date.now();
		const scope = miro()
			.get(GROUP_PATH)
			.once()
			.reply(429, scimError(429, 'slow down'), { 'Retry-After': '30' });

		const result = await runNode(getTeam({ ...FAST, maxWaitSeconds: 1 }));

		expect(result.error?.message).toBe('Miro rate limit reached and retries ran out');
		// Waiting would have taken 30 s.
		expect(Date.now() - started).toBeLessThan(5000);
		expectAllDone(scope);
	});

	it('Max Attempts 1 sends once', async () => {
		const scope = miro().get(GROUP_PATH).once().reply(503, scimError(503, 'down'));

		const result = await runNode(getTeam({ ...FAST, maxAttempts: 1 }));

		expect(result.error?.message).toBe('Miro is unavailable');
		expectAllDone(scope);
	});
});

describe('waiting between attempts', () => {
	it('honours Retry-After in seconds (fractional) over its own backoff', async () => {
		const at = clock();
		const scope = miro()
			.get(GROUP_PATH)
			.reply(at.reply(429, scimError(429, 'slow down'), { 'Retry-After': '0.05' }))
			.get(GROUP_PATH)
			.reply(at.reply(200, engineering));

		// A 3 s backoff would make the gap at least 1.5 s: Retry-After must win.
		const result = await runNode(getTeam({ pacing: false, initialBackoffMs: 3000 }));

		expect(result.error).toBeUndefined();
		expect(at.times).toHaveLength(2);
		expect(at.gaps()[0]).toBeGreaterThanOrEqual(45);
		expect(at.gaps()[0]).toBeLessThan(1000);
		expectAllDone(scope);
	});

	it('honours Retry-After as an HTTP date', async () => {
		const at = clock();
		const scope = miro()
			.get(GROUP_PATH)
			.reply(() => {
				at.times.push(Date.now());
				// HTTP dates have whole seconds: 1.5 s ahead is 0.5 to 1.5 s of waiting.
				const retryAt = new Date(Date.now() + 1500).toUTCString();
				return [503, scimError(503, 'maintenance'), { 'Retry-After': retryAt }];
			})
			.get(GROUP_PATH)
			.reply(at.reply(200, engineering));

		const result = await runNode(getTeam());

		expect(result.error).toBeUndefined();
		expect(at.times).toHaveLength(2);
		expect(at.gaps()[0]).toBeGreaterThanOrEqual(400);
		expect(at.gaps()[0]).toBeLessThan(2500);
		expectAllDone(scope);
	});

	it('backs off exponentially from Initial Backoff without Retry-After', async () => {
		const at = clock();
		const scope = miro()
			.get(GROUP_PATH)
			.times(3)
			.reply(at.reply(503, scimError(503, 'busy')))
			.get(GROUP_PATH)
			.reply(at.reply(200, engineering));

		const result = await runNode(getTeam({ pacing: false, initialBackoffMs: 40 }));

		expect(result.error).toBeUndefined();
		expect(at.times).toHaveLength(4);
		// Waits are drawn from [20, 40], [40, 80] and [80, 160] ms.
		const [first, second, third] = at.gaps();
		expect(first).toBeGreaterThanOrEqual(18);
		expect(second).toBeGreaterThanOrEqual(38);
		expect(third).toBeGreaterThanOrEqual(78);
		expect(first + second + third).toBeLessThan(1500);
		expectAllDone(scope);
	});
});

describe('the token stays with Miro', () => {
	// A distinctive credential value to search every error and output for.
	const CANARY = 'canary-7f3a9c-d41e';
	const credentials = { token: CANARY, baseUrl: 'https://miro.com/api/v1/scim' };

	/** Paths of every string reachable from `value` (own properties, errors' causes) holding `secret`. */
	function findSecret(value: unknown, secret: string): string[] {
		const found: string[] = [];
		const seen = new Set<unknown>();
		const walk = (current: unknown, path: string, depth: number) => {
			if (typeof current === 'string') {
				if (current.includes(secret)) found.push(path);
				return;
			}
			if (!current || typeof current !== 'object' || seen.has(current) || depth > 12) return;
			seen.add(current);
			for (const key of Object.getOwnPropertyNames(current)) {
				let child: unknown;
				try {
					child = (current as Record<string, unknown>)[key];
				} catch {
					continue;
				}
				walk(child, `${path}.${key}`, depth + 1);
			}
		};
		walk(value, '$', 0);
		return found;
	}

	it.each([
		[
			'a 401',
			() => miro(ORIGIN, CANARY).get(GROUP_PATH).reply(401, scimError(401, 'Invalid token')),
		],
		[
			'retries running out',
			() => miro(ORIGIN, CANARY).get(GROUP_PATH).times(2).reply(503, scimError(503, 'down')),
		],
		[
			'a network failure quoting the header',
			() =>
				miro(ORIGIN, CANARY)
					.get(GROUP_PATH)
					.replyWithError(`proxy refused Authorization: Bearer ${CANARY}`),
		],
		[
			'broken connections',
			() =>
				miro(ORIGIN, CANARY)
					.get(GROUP_PATH)
					.times(2)
					.replyWithError(networkError('ECONNRESET', 'socket hang up')),
		],
	])('is in no error or output after %s', async (_, mock) => {
		const scope = mock();

		const failed = await runNode(getTeam({ ...FAST, maxAttempts: 2 }), { credentials });
		expect(failed.error).toBeDefined();
		expect(findSecret(failed.error, CANARY)).toEqual([]);
		expect(findSecret(failed.run.data.resultData, CANARY)).toEqual([]);
		expect(String(failed.error?.stack)).not.toContain(CANARY);
		expectAllDone(scope);
	});

	it('is in no output item with Continue On Fail', async () => {
		const scope = miro(ORIGIN, CANARY)
			.get(GROUP_PATH)
			.replyWithError(`upstream said Bearer ${CANARY}`);

		const result = await runNode(getTeam({ ...FAST, maxAttempts: 1 }), {
			credentials,
			continueOnFail: true,
		});

		expect(result.json).toHaveLength(1);
		expect(result.json[0].error).toBe('Could not reach Miro');
		expect(String(result.json[0].description)).toContain('Bearer ***');
		expect(findSecret(result.run.data.resultData, CANARY)).toEqual([]);
		expectAllDone(scope);
	});

	it('is not forwarded when Miro redirects to another origin', async () => {
		let forwarded: string | null = 'not requested';
		const scope = miro(ORIGIN, CANARY)
			.get(GROUP_PATH)
			.reply(302, '', { Location: 'https://elsewhere.example.com/collect' });
		const elsewhere = nock('https://elsewhere.example.com')
			.get('/collect')
			.reply((request: Request) => {
				forwarded = request.headers.get('authorization');
				return [404, {}];
			});

		await runNode(getTeam(), { credentials });

		expect(forwarded).toBeNull();
		expectAllDone(scope, elsewhere);
	});

	it('is not sent over plain HTTP to a remote host', async () => {
		const result = await runNode(getTeam(), {
			credentials: { token: CANARY, baseUrl: 'http://miro.com/api/v1/scim' },
		});

		expect(result.error?.message).toBe(
			'The Base URL must start with https:// (got "http://miro.com"); plain HTTP is only allowed for localhost',
		);
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('base URL', () => {
	it.each([
		['the default', 'https://miro.com/api/v1/scim', 'https://miro.com', '/api/v1/scim'],
		['a trailing slash', 'https://miro.com/api/v1/scim/', 'https://miro.com', '/api/v1/scim'],
		[
			'trailing slashes and spaces',
			' https://miro.com/api/v1/scim// ',
			'https://miro.com',
			'/api/v1/scim',
		],
		['the api host', 'https://api.miro.com/api/v1/scim', 'https://api.miro.com', '/api/v1/scim'],
		['an empty field (default)', '', 'https://miro.com', '/api/v1/scim'],
		['plain HTTP on localhost', 'http://localhost:8080/scim', 'http://localhost:8080', '/scim'],
		[
			'plain HTTP on 127.0.0.1',
			'http://127.0.0.1:9999/scim/v2/',
			'http://127.0.0.1:9999',
			'/scim/v2',
		],
	])('%s (%j) is used as %s%s', async (_, baseUrl, origin, prefix) => {
		const scope = miro(origin).get(`${prefix}/Groups/${ENGINEERING}`).reply(200, engineering);

		const result = await runNode(getTeam(), { credentials: { token: 'test-token', baseUrl } });

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([{ id: ENGINEERING, name: 'Engineering' }]);
		expectAllDone(scope);
	});

	it.each([
		[
			'http://miro.com/api/v1/scim',
			'The Base URL must start with https:// (got "http://miro.com"); plain HTTP is only allowed for localhost',
		],
		[
			'http://localhost.evil.example/scim',
			'The Base URL must start with https:// (got "http://localhost.evil.example"); plain HTTP is only allowed for localhost',
		],
		[
			'http://127.0.0.1.nip.io/scim',
			'The Base URL must start with https:// (got "http://127.0.0.1.nip.io"); plain HTTP is only allowed for localhost',
		],
		[
			'ftp://miro.com/scim',
			'The Base URL must start with https:// (got "ftp://miro.com"); plain HTTP is only allowed for localhost',
		],
		['miro.com/api/v1/scim', 'The Base URL "miro.com/api/v1/scim" is not a valid URL'],
	])('refuses %j before sending anything', async (baseUrl, message) => {
		const result = await runNode(getTeam(), { credentials: { token: 'test-token', baseUrl } });

		expect(result.error?.message).toBe(message);
		expect(result.error?.description).toBe('Fix the Base URL in the Miro SCIM API credential.');
		expect(nock.pendingMocks()).toEqual([]);
	});

	it.each([
		['https://miro.com/api/v1/scim', { url: 'https://miro.com/api/v1/scim' }],
		['https://miro.com/api/v1/scim///', { url: 'https://miro.com/api/v1/scim' }],
		[undefined, { url: 'https://miro.com/api/v1/scim' }],
		['   ', { url: 'https://miro.com/api/v1/scim' }],
		['http://[::1]:3000/scim/', { url: 'http://[::1]:3000/scim' }],
		['http://127.4.5.6/scim', { url: 'http://127.4.5.6/scim' }],
		['HTTPS://MIRO.COM/api/v1/scim', { url: 'HTTPS://MIRO.COM/api/v1/scim' }],
		['http://10.0.0.1/scim', { problem: expect.stringContaining('must start with https://') }],
		['not a url', { problem: 'The Base URL "not a url" is not a valid URL' }],
	])('checkBaseUrl(%j) is %j', (raw, expected) => {
		expect(checkBaseUrl(raw)).toEqual(expected);
	});
});

describe('credential test request', () => {
	it.each([
		['https://miro.com/api/v1/scim', 'https://miro.com', '/api/v1/scim'],
		['https://miro.com/api/v1/scim/', 'https://miro.com', '/api/v1/scim'],
		['https://miro.com/api/v1/scim///', 'https://miro.com', '/api/v1/scim'],
		['https://api.miro.com/api/v1/scim', 'https://api.miro.com', '/api/v1/scim'],
		[undefined, 'https://miro.com', '/api/v1/scim'],
	])(
		'for base URL %j asks %s%s/Users for one user with the Bearer token',
		async (baseUrl, origin, prefix) => {
			const options = await credentialTestRequest(
				baseUrl === undefined ? { token: 'test-token' } : { token: 'test-token', baseUrl },
			);
			expect(options.baseURL).toBe(`${origin}${prefix}`);

			const scope = miro(origin)
				.get(`${prefix}/Users`)
				.query({ startIndex: '1', count: '1' })
				.reply(200, listResponse([{ id: JANE_ID, userName: 'jane@example.com' }], 120));

			const response = await axios.request({
				method: options.method,
				baseURL: options.baseURL,
				url: options.url,
				params: options.qs,
				headers: options.headers as Record<string, string>,
			});

			expect(options.method).toBe('GET');
			expect(response.status).toBe(200);
			expectAllDone(scope);
		},
	);
});

describe('pacing', () => {
	// The pacer books departures; the mock sees arrivals, and on a loaded machine the first
	// requests of a run can take a few hundred ms to arrive. So requests that must be held use a
	// 1 s window and must arrive at least 0.6 s after the first; requests that must not be held
	// use a 3 s window and must all arrive within 1 s.
	const paced = { pacing: 'adaptive', rateWindowSeconds: 1, initialBackoffMs: 1 };
	const pacedLong = { ...paced, rateWindowSeconds: 3 };
	const HELD = 600;
	const NOT_HELD = 1000;
	const names = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot'];
	const teamId = (i: number) => `34587645138205409${10 + i}`;

	function searches(origin: string, at: ReturnType<typeof clock>, which = names) {
		let scope = miro(origin);
		which.forEach((name) => {
			scope = scope
				.get('/scim/Groups')
				.query({
					startIndex: '1',
					count: '50',
					attributes: 'id,displayName,meta',
					filter: `displayName eq "${name}"`,
				})
				.reply(at.reply(200, listResponse([team(teamId(names.indexOf(name)), name)])));
		});
		return scope;
	}

	// Team searches (Get Many filtered by name) draw on GET /Groups, Miro's scarcest budget.
	const find = (options: INodeParameters): INodeParameters => ({
		resource: 'group',
		operation: 'getAll',
		filters: { name: '={{ $json.name }}' },
		options,
	});

	it('holds the 6th team search of a window (Miro allows 5) until the window has passed', async () => {
		const origin = 'https://pace-searches.example.com';
		const at = clock();
		const scope = searches(origin, at);

		const result = await runNode(find(paced), {
			items: names.map((name) => ({ name })),
			credentials: { token: 'test-token', baseUrl: `${origin}/scim` },
		});

		expect(result.error).toBeUndefined();
		expect(result.json.map((json) => json.name)).toEqual(names);
		const sorted = [...at.times].sort((a, b) => a - b);
		expect(sorted[4] - sorted[0]).toBeLessThan(HELD);
		expect(sorted[5] - sorted[0]).toBeGreaterThanOrEqual(HELD);
		expectAllDone(scope);
	});

	it('shares the budget between executions with the same credential and base URL', async () => {
		const origin = 'https://pace-shared.example.com';
		const credentials = { token: 'test-token', baseUrl: `${origin}/scim` };
		const at = clock();
		const scope = searches(origin, at);

		await runNode(find(paced), { items: names.slice(0, 5).map((name) => ({ name })), credentials });
		const second = await runNode(find(paced), { items: [{ name: names[5] }], credentials });

		expect(second.json).toEqual([{ id: teamId(5), name: 'Foxtrot' }]);
		expect(at.times[5] - at.times[0]).toBeGreaterThanOrEqual(HELD);
		expectAllDone(scope);
	});

	it('keeps separate budgets per base URL', async () => {
		const at = clock();
		const first = searches('https://pace-a.example.com', at, names.slice(0, 5));
		const second = searches('https://pace-b.example.com', at, names.slice(5));

		await runNode(find(pacedLong), {
			items: names.slice(0, 5).map((name) => ({ name })),
			credentials: { token: 'test-token', baseUrl: 'https://pace-a.example.com/scim' },
		});
		await runNode(find(pacedLong), {
			items: [{ name: names[5] }],
			credentials: { token: 'test-token', baseUrl: 'https://pace-b.example.com/scim' },
		});

		expect(at.times[5] - at.times[0]).toBeLessThan(NOT_HELD);
		expectAllDone(first, second);
	});

	it('counts team reads by id apart from team searches', async () => {
		const origin = 'https://pace-endpoints.example.com';
		const at = clock();
		const scope = searches(origin, at, names.slice(0, 5));
		names.slice(0, 5).forEach((name, i) => {
			scope.get(`/scim/Groups/${teamId(i)}`).reply(at.reply(200, team(teamId(i), name)));
		});
		const credentials = { token: 'test-token', baseUrl: `${origin}/scim` };

		await runNode(find(pacedLong), {
			items: names.slice(0, 5).map((name) => ({ name })),
			credentials,
		});
		const result = await runNode(
			{
				resource: 'group',
				operation: 'get',
				group: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				options: pacedLong,
			},
			{ items: names.slice(0, 5).map((_, i) => ({ id: teamId(i) })), credentials },
		);

		expect(result.error).toBeUndefined();
		expect(at.times).toHaveLength(10);
		expect(Math.max(...at.times) - Math.min(...at.times)).toBeLessThan(NOT_HELD);
		expectAllDone(scope);
	});

	it.each([
		['Pacing Off', 'off', 'https://pace-off.example.com'],
		['a workflow saved with Pace Requests off', false, 'https://pace-false.example.com'],
	])('sends at once with %s', async (_, pacing, origin) => {
		const at = clock();
		const scope = searches(origin, at);

		await runNode(find({ ...pacedLong, pacing }), {
			items: names.map((name) => ({ name })),
			credentials: { token: 'test-token', baseUrl: `${origin}/scim` },
		});

		expect(Math.max(...at.times) - Math.min(...at.times)).toBeLessThan(NOT_HELD);
		expectAllDone(scope);
	});

	it.each([
		['small (<= 500 bytes, 100 per window)', 1, false],
		['large (> 500 bytes, 5 per window)', 30, true],
	])('paces team PATCHes by body size: %s', async (_, usersPerTeam, held) => {
		const origin = `https://pace-patch-${usersPerTeam}.example.com`;
		const at = clock();
		const users = Array.from(
			{ length: usersPerTeam },
			(__, i) => `30744573456182${String(i).padStart(5, '0')}`,
		);
		const scope = miroWithBody(origin);
		names.forEach((__, i) => {
			scope
				.patch(`/scim/Groups/${teamId(i)}`, {
					schemas: [PATCH_OP],
					Operations: [{ op: 'Add', path: 'members', value: users.map((value) => ({ value })) }],
				})
				.reply(at.reply(204));
		});

		const result = await runNode(
			{
				resource: 'group',
				operation: 'updateMembers',
				group: { __rl: true, mode: 'id', value: '={{ $json.team }}' },
				add: users.join(','),
				options: held ? paced : pacedLong,
			},
			{
				items: names.map((__, i) => ({ team: teamId(i) })),
				credentials: { token: 'test-token', baseUrl: `${origin}/scim` },
			},
		);

		expect(result.error).toBeUndefined();
		const spread = Math.max(...at.times) - Math.min(...at.times);
		if (held) expect(spread).toBeGreaterThanOrEqual(HELD);
		else expect(spread).toBeLessThan(NOT_HELD);
		expectAllDone(scope);
	});
});

describe('error advice', () => {
	it.each([
		[
			409,
			{ scimType: 'uniqueness', detail: 'userName exists' },
			'A Miro user with this email already exists',
		],
		[
			400,
			{ scimType: 'invalidValue', detail: 'User name is not unique' },
			'A Miro user with this email already exists',
		],
		[
			409,
			{ detail: 'User already exists in another organization' },
			'A Miro user with this email already exists',
		],
		[409, { detail: 'User is inactive' }, 'Miro reported a conflict'],
		[400, { detail: 'displayName too long' }, 'Miro rejected the request as invalid'],
		[502, {}, 'Miro is unavailable'],
		[504, {}, 'Miro is unavailable'],
		[422, {}, 'Miro answered with HTTP 422'],
	])('%i %j -> "%s"', (status, body, message) => {
		expect(adviceFor(status, body).message).toBe(message);
	});

	it.each([
		[
			404,
			{ detail: 'User not found' },
			1,
			/^Miro says: User not found Check the ID, email or name\./,
		],
		[500, 'upstream exploded', 1, /^Miro says: upstream exploded /],
		[503, {}, 4, /^HTTP 503 .*\(4 attempts\)$/],
		[429, { message: 'Rate limited' }, 6, /^Miro says: Rate limited .*\(6 attempts\)$/],
	])('describe(%i, %j, %i attempts) matches %s', (status, body, attempts, pattern) => {
		expect(describeError(status, body, attempts)).toMatch(pattern);
	});
});
