/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- n8n's community-node rules guard shipped node code; this dev/test tool is never shipped */
import { spawn } from 'node:child_process';
import path from 'node:path';

import axios from 'axios';
import { afterEach, describe, expect, it } from 'vitest';

import { closeAll, scim, start } from './helpers';
import { ERROR_SCHEMA } from './scim';

afterEach(closeAll);

describe('authentication', () => {
	it.each([
		['no Authorization header', null],
		['a wrong token', 'not-the-token'],
	])('answers 401 with a SCIM error for %s', async (_case, token) => {
		const emulator = await start();
		const response = await scim(emulator, token).get('/Users');
		expect(response.status).toBe(401);
		expect(response.headers['content-type']).toBe('application/scim+json');
		expect(response.headers['www-authenticate']).toBe('Bearer');
		expect(response.data).toEqual({
			schemas: [ERROR_SCHEMA],
			status: '401',
			detail: expect.any(String),
		});
		expect(emulator.log).toMatchObject([
			{ method: 'GET', path: '/api/v1/scim/Users', status: 401 },
		]);
	});

	it('accepts a custom token and the scheme in any case; setToken retires the old one', async () => {
		const emulator = await start({ token: 's3cret' });
		const response = await axios.get(`${emulator.url}/Users`, {
			headers: { Authorization: 'bearer s3cret' },
		});
		expect(response.status).toBe(200);
		emulator.setToken('rotated');
		expect((await scim(emulator, 's3cret').get('/Users')).status).toBe(401);
		expect((await scim(emulator).get('/Users')).status).toBe(200);
	});
});

describe('media types and bodies', () => {
	it('accepts application/json as well as application/scim+json', async () => {
		const emulator = await start();
		const response = await axios.post(
			`${emulator.url}/Users`,
			{ userName: 'json@example.com' },
			{
				headers: {
					Authorization: `Bearer ${emulator.token}`,
					'Content-Type': 'application/json; charset=utf-8',
				},
			},
		);
		expect(response.status).toBe(201);
	});

	it('answers 415 for another media type and 400 invalidSyntax for broken JSON', async () => {
		const emulator = await start();
		const api = scim(emulator);
		const form = await api.post('/Users', 'userName=a@example.com', {
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});
		expect(form.status).toBe(415);
		expect(form.data).toMatchObject({ status: '415', schemas: [ERROR_SCHEMA] });
		const broken = await api.post('/Users', '{"userName": ', {
			transformRequest: [(data: string) => data],
		});
		expect(broken.status).toBe(400);
		expect(broken.data.scimType).toBe('invalidSyntax');
		expect(emulator.log.at(-1)?.body).toBe('{"userName": ');
		expect(emulator.state.users()).toHaveLength(1);
	});
});

describe('routes', () => {
	it.each([
		['get', '/Bulk', 404],
		['get', '/Users/1/extra', 404],
		['get', '/Teams', 404],
		['delete', '/Users', 405],
		['post', '/ServiceProviderConfig', 405],
	] as const)('%s %s -> %s', async (method, url, status) => {
		const emulator = await start();
		const response = await scim(emulator).request({ method, url });
		expect(response.status).toBe(status);
		expect(response.data).toMatchObject({ schemas: [ERROR_SCHEMA], status: String(status) });
	});

	it('answers 404 outside the base path', async () => {
		const emulator = await start();
		const origin = new URL(emulator.url).origin;
		const response = await axios.get(`${origin}/api/v2/Users`, { validateStatus: () => true });
		expect(response.status).toBe(404);
	});

	it('honours a custom basePath', async () => {
		const emulator = await start({ basePath: '/scim/v2/' });
		expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
		expect((await scim(emulator).get('/Users')).status).toBe(200);
	});

	it('describes itself: ServiceProviderConfig, ResourceTypes, Schemas', async () => {
		const emulator = await start();
		const api = scim(emulator);
		const config = await api.get('/ServiceProviderConfig');
		expect(config.data).toMatchObject({
			patch: { supported: true },
			bulk: { supported: false },
			sort: { supported: true },
			etag: { supported: false },
			filter: { supported: true, maxResults: 200 },
		});
		const types = await api.get('/ResourceTypes');
		expect(types.data.Resources.map((t: { endpoint: string }) => t.endpoint)).toEqual([
			'/Users',
			'/Groups',
		]);
		expect((await api.get('/ResourceTypes/User')).data.schemaExtensions).toEqual([
			{ schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false },
		]);
		const schemas = await api.get('/Schemas');
		expect(schemas.data.totalResults).toBe(3);
		const user = await api.get('/Schemas/urn:ietf:params:scim:schemas:core:2.0:User');
		expect(user.data.attributes.map((a: { name: string }) => a.name)).toContain('userName');
		expect((await api.get('/Schemas/urn:nope')).status).toBe(404);
	});
});

describe('log and inspection routes', () => {
	it('logs every SCIM request in order with query, body and status', async () => {
		const emulator = await start();
		const api = scim(emulator);
		await api.get('/Users', { params: { filter: 'userName eq "a@example.com"', count: '1' } });
		await api.post('/Users', { userName: 'a@example.com' });
		await api.post('/Users', { userName: 'a@example.com' });
		expect(
			emulator.log.map(({ method, path, query, body, status }) => ({
				method,
				path,
				query,
				body,
				status,
			})),
		).toEqual([
			{
				method: 'GET',
				path: '/api/v1/scim/Users',
				query: { filter: 'userName eq "a@example.com"', count: '1' },
				body: undefined,
				status: 200,
			},
			{
				method: 'POST',
				path: '/api/v1/scim/Users',
				query: {},
				body: { userName: 'a@example.com' },
				status: 201,
			},
			{
				method: 'POST',
				path: '/api/v1/scim/Users',
				query: {},
				body: { userName: 'a@example.com' },
				status: 409,
			},
		]);
		expect(emulator.log[0].at).toBeLessThanOrEqual(emulator.log[1].at);
		const log = emulator.log;
		emulator.resetLog();
		expect(log).toBe(emulator.log);
		expect(emulator.log).toEqual([]);
	});

	it('serves state, log, faults and reset over HTTP for another process', async () => {
		const emulator = await start();
		const origin = new URL(emulator.url).origin;
		await scim(emulator).post('/Users', { userName: 'demo@example.com' });
		const state = await axios.get(`${origin}/_emulator/state`);
		expect(state.data.counts).toEqual({ users: 2, groups: 6 });
		expect(state.data.users.map((u: { userName: string }) => u.userName)).toEqual([
			'admin@example.com',
			'demo@example.com',
		]);
		expect(state.data.groups).toHaveLength(6);
		expect((await axios.get(`${origin}/_emulator/state?summary=true`)).data).toEqual({
			counts: { users: 2, groups: 6 },
			groupModel: 'team',
		});
		const log = await axios.get(`${origin}/_emulator/log`);
		expect(log.data).toMatchObject([{ method: 'POST', status: 201 }]);
		expect((await axios.post(`${origin}/_emulator/faults`, { rate503: 1 })).data).toEqual({
			rate503: 1,
		});
		expect((await scim(emulator).get('/Users')).status).toBe(503);
		const reset = await axios.post(`${origin}/_emulator/reset`);
		expect(reset.data.counts).toEqual({ users: 1, groups: 6 });
		expect(emulator.log).toEqual([]);
		expect(emulator.state.userByName('demo@example.com')).toBeUndefined();
		// Faults survive a reset (restarted from their seed); switch them off.
		await axios.post(`${origin}/_emulator/faults`, {});
		expect((await scim(emulator).get('/Users')).status).toBe(200);
	});
});

describe('CLI', () => {
	it('prints the URL and token, serves, and exits cleanly on SIGTERM', async () => {
		const cli = path.join(__dirname, 'cli.ts');
		const tsx = path.join(__dirname, '../../node_modules/.bin/tsx');
		const child = spawn(
			tsx,
			[cli, '--port', '0', '--token', 'cli-token', '--time-scale', '0.1', '--seed-users', '3'],
			{
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const exited = new Promise<number | null>((resolve) =>
			child.on('exit', (code) => resolve(code)),
		);
		for (let i = 0; i < 100 && !output.includes('Ctrl+C'); i++)
			await new Promise((r) => setTimeout(r, 50));
		const url = /SCIM base URL\s+(\S+)/.exec(output)?.[1] as string;
		expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/scim$/);
		expect(output).toContain('cli-token');
		expect(output).toContain('/_emulator/state');
		const users = await axios.get(`${url}/Users`, {
			headers: { Authorization: 'Bearer cli-token' },
		});
		expect(users.data.totalResults).toBe(4);
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	}, 10_000);
});
