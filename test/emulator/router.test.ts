/** The route table as a client meets it: method and path -> a rate-limit class, 404 or 405. */
import { afterEach, describe, expect, it } from 'vitest';

import { closeAll, patchOp, scim, start } from './helpers';
import type { GroupModel } from './server';

afterEach(closeAll);

const ID = '3074457345618260000';
const SMALL_PATCH = patchOp({ op: 'add', path: 'members', value: [{ value: ID }] });
const LARGE_PATCH = patchOp({
	op: 'add',
	path: 'members',
	value: Array.from({ length: 20 }, () => ({ value: ID })),
});

/** routed: the rate-limit class the log shows ('' for discovery, which counts against none) */
type Outcome = { routed: string } | { status: 404 } | { status: 405; allow: string };

describe('routing', () => {
	it.each<[GroupModel, string, string, unknown, Outcome]>([
		['team', 'GET', '/Users', undefined, { routed: 'GET /Users' }],
		['team', 'POST', '/Users', { userName: 'ada@example.com' }, { routed: 'POST /Users' }],
		['team', 'DELETE', '/Users', undefined, { status: 405, allow: 'GET, POST' }],
		['team', 'GET', `/Users/${ID}`, undefined, { routed: 'GET /Users/{id}' }],
		['team', 'PUT', `/Users/${ID}`, { userName: 'a@example.com' }, { routed: 'PUT /Users/{id}' }],
		['team', 'PATCH', `/Users/${ID}`, patchOp(), { routed: 'PATCH /Users/{id}' }],
		['team', 'DELETE', `/Users/${ID}`, undefined, { routed: 'DELETE /Users/{id}' }],
		['team', 'POST', `/Users/${ID}`, {}, { status: 405, allow: 'GET, PUT, PATCH, DELETE' }],
		['team', 'GET', '/Groups', undefined, { routed: 'GET /Groups' }],
		['team', 'POST', '/Groups', { displayName: 'x' }, { status: 405, allow: 'GET' }],
		['user-group', 'POST', '/Groups', { displayName: 'x' }, { routed: 'POST /Groups' }],
		['team', 'GET', `/Groups/${ID}`, undefined, { routed: 'GET /Groups/{id}' }],
		[
			'team',
			'PATCH',
			`/Groups/${ID}`,
			SMALL_PATCH,
			{ routed: 'PATCH /Groups/{id} (body <= 500 bytes)' },
		],
		[
			'team',
			'PATCH',
			`/Groups/${ID}`,
			LARGE_PATCH,
			{ routed: 'PATCH /Groups/{id} (body > 500 bytes)' },
		],
		['team', 'DELETE', `/Groups/${ID}`, undefined, { status: 405, allow: 'GET, PATCH' }],
		['user-group', 'DELETE', `/Groups/${ID}`, undefined, { routed: 'DELETE /Groups/{id}' }],
		['user-group', 'PUT', `/Groups/${ID}`, {}, { status: 405, allow: 'GET, PATCH, DELETE' }],
		['team', 'GET', '/ServiceProviderConfig', undefined, { routed: '' }],
		['team', 'POST', '/ServiceProviderConfig', {}, { status: 405, allow: 'GET' }],
		['team', 'GET', '/ServiceProviderConfig/x', undefined, { status: 404 }],
		[
			'team',
			'GET',
			'/Schemas/urn:ietf:params:scim:schemas:core:2.0:User',
			undefined,
			{ routed: '' },
		],
		['team', 'GET', '/ResourceTypes/User', undefined, { routed: '' }],
		['team', 'GET', '/users', undefined, { status: 404 }],
		['team', 'GET', `/Users/${ID}/groups`, undefined, { status: 404 }],
		['team', 'GET', '/', undefined, { status: 404 }],
	])('%s: %s %s', async (groupModel, method, url, data, outcome) => {
		const emulator = await start({ groupModel });
		const response = await scim(emulator).request({ method, url, data });
		const entry = emulator.log.at(-1);
		if ('routed' in outcome) {
			expect(entry?.endpoint ?? '').toBe(outcome.routed);
			// Unknown ids answer 404 from the handler, after routing; discovery always answers.
			if (outcome.routed === '') expect(response.status).toBe(200);
			else expect(response.status).not.toBe(405);
			return;
		}
		expect(entry?.endpoint).toBeUndefined();
		expect(response.status).toBe(outcome.status);
		if (outcome.status === 405) expect(response.headers.allow).toBe(outcome.allow);
	});

	it('explains a refusal the group model causes, and a PUT on a group', async () => {
		const detail = async (groupModel: GroupModel, method: string, url: string) => {
			const emulator = await start({ groupModel });
			return (await scim(emulator).request({ method, url, data: {} })).data.detail;
		};
		expect(await detail('team', 'POST', '/Groups')).toContain('cannot be created through SCIM');
		expect(await detail('team', 'DELETE', `/Groups/${ID}`)).toContain('cannot be deleted');
		expect(await detail('team', 'PUT', `/Groups/${ID}`)).toBe(
			'PUT is not supported on /Groups/{id}: use PATCH',
		);
		expect(await detail('team', 'DELETE', '/Users')).toBe('DELETE is not supported on /Users');
	});
});
