/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not part of the published node */
/**
 * A server (or a proxy in front of it) that repeats the request's Authorization header in its
 * error detail must never get the node to surface its own credential: not in the error n8n
 * shows, not in Continue On Fail items, not in sync records, not in what n8n logs.
 */
import type { INodeParameters, LoggerProxy as LoggerProxyType } from 'n8n-workflow';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { redact, redactDeep } from '../../nodes/MiroScim/transport/errors';
import { startEmulator } from '../emulator/server';
import type { Emulator } from '../emulator/server';
import { FAST, rl } from '../helpers/fixtures';
import { runNode } from '../helpers/harness';
import type { RunOptions } from '../helpers/harness';

/** The CommonJS n8n-workflow that n8n-core logs through (vitest would load the ESM copy). */
const { LoggerProxy } = createRequire(__filename)('n8n-workflow') as {
	LoggerProxy: typeof LoggerProxyType;
};

const CREDENTIAL = 'scim-credential-7f3a9c1e5b';
const MISSING = '3074457345618269999';
let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({
		port: 0,
		token: CREDENTIAL,
		rateLimits: false,
		quirks: { echoAuthorization: true },
	});
});
afterAll(async () => await emulator.close());

const run = async (parameters: INodeParameters, options: RunOptions = {}) =>
	await runNode(
		{ options: FAST, ...parameters },
		{ credentials: { token: CREDENTIAL, baseUrl: emulator.url }, ...options },
	);

const getMissing = { resource: 'user', operation: 'get', user: rl.id(MISSING) };

describe('a server that echoes the Authorization header', () => {
	it('really does echo it (the premise of every test below)', async () => {
		const response = await fetch(`${emulator.url}/Users/${MISSING}`, {
			headers: { Authorization: `Bearer ${CREDENTIAL}` },
		});
		expect(((await response.json()) as { detail: string }).detail).toContain(CREDENTIAL);
	});

	it('the error n8n shows and stores has the detail without the token', async () => {
		const result = await run(getMissing);

		expect(result.error?.message).toBe('Miro has no such user or group');
		const description = String(result.error?.description);
		expect(description).toContain('Miro says: User');
		expect(description).toContain('Authorization: Bearer ***');
		expect(description).not.toContain(CREDENTIAL);
		// Everything n8n keeps of the run: the error object, its cause, its context.
		expect(JSON.stringify(result.run)).not.toContain(CREDENTIAL);
		expect(JSON.stringify(result.error, Object.getOwnPropertyNames(result.error))).not.toContain(
			CREDENTIAL,
		);
	});

	it('Continue On Fail items carry no token', async () => {
		const result = await run(getMissing, { continueOnFail: true });

		expect(result.json).toHaveLength(1);
		expect(String(result.json[0].error)).toBe('Miro has no such user or group');
		expect(JSON.stringify(result.items)).not.toContain(CREDENTIAL);
		expect(JSON.stringify(result.items)).toContain('Bearer ***');
	});

	it('sync records carry no token', async () => {
		const result = await run(
			{
				resource: 'sync',
				operation: 'applyPlan',
				dryRun: false,
			},
			{
				items: [
					{
						action: 'update',
						email: 'gone@example.com',
						id: MISSING,
						before: { familyName: 'Old' },
						after: { familyName: 'New' },
						removesAccess: false,
						outcome: 'planned',
						plannedAt: new Date().toISOString(),
					},
				],
			},
		);

		expect(result.json[0]).toMatchObject({ action: 'update', outcome: 'failed' });
		expect(String(result.json[0].errorDescription)).toContain('Authorization: Bearer ***');
		expect(JSON.stringify(result.run)).not.toContain(CREDENTIAL);
	});

	it('nothing n8n logs while the node fails carries the token', async () => {
		const lines: string[] = [];
		const capture = (level: string) => (message: string, meta?: object) =>
			lines.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`);
		LoggerProxy.init({
			error: capture('error'),
			warn: capture('warn'),
			info: capture('info'),
			debug: capture('debug'),
		} as unknown as Parameters<typeof LoggerProxy.init>[0]);
		try {
			await run(getMissing);
		} finally {
			const quiet = () => {};
			LoggerProxy.init({
				error: quiet,
				warn: quiet,
				info: quiet,
				debug: quiet,
			} as unknown as Parameters<typeof LoggerProxy.init>[0]);
		}

		expect(lines.some((line) => line.includes('finished with error'))).toBe(true);
		expect(lines.join('\n')).not.toContain(CREDENTIAL);
	});
});

describe('redact', () => {
	it.each([
		['Bearer abc.def-ghi', 'tok-1234', 'Bearer ***'],
		['got "bearer eyJhbGciOi.x1", ok', 'tok-1234', 'got "bearer ***", ok'],
		['Bearer token missing or not valid', 'tok-1234', 'Bearer token missing or not valid'],
		['token tok-1234 twice: tok-1234', 'tok-1234', 'token *** twice: ***'],
		['Authorization: Bearer tok-1234;', 'tok-1234', 'Authorization: Bearer ***;'],
		['nothing secret here', 'tok-1234', 'nothing secret here'],
		['a short token "ab" is not hunted', 'ab', 'a short token "ab" is not hunted'],
	])('%j (token %j) -> %j', (text, token, expected) => {
		expect(redact(text, token)).toBe(expected);
	});

	it('reaches every string of an error body', () => {
		expect(
			redactDeep({ detail: 'x tok-1234', nested: [{ note: 'Bearer y1234567' }], status: 400 }, 'tok-1234'),
		).toEqual({ detail: 'x ***', nested: [{ note: 'Bearer ***' }], status: 400 });
	});
});
