import axios from 'axios';
import { afterEach, describe, expect, it } from 'vitest';

import { closeAll, patchOp, quote, scim, start } from './helpers';
import { GROUP_SCHEMA } from './scim';
import type { ScimGroup } from './scim';

afterEach(closeAll);

const group = (displayName: string, members: string[] = []) => ({
	schemas: [GROUP_SCHEMA],
	displayName,
	...(members.length > 0 ? { members: members.map((value) => ({ value })) } : {}),
});

describe('user-group model', () => {
	it('has no default team: a new user belongs to no group', async () => {
		const emulator = await start({ groupModel: 'user-group' });
		const api = scim(emulator);
		expect(emulator.state.groupByName('Default Team')).toBeUndefined();
		const created = await api.post('/Users', { userName: 'ada@example.com' });
		expect(created.status).toBe(201);
		expect(created.data.groups).toEqual([]);
	});

	it('creates a group with members (201, Location) and finds it by name', async () => {
		const emulator = await start({ groupModel: 'user-group' });
		const api = scim(emulator);
		const ada = emulator.addUser({ userName: 'ada@example.com' });
		const response = await api.post('/Groups', group('g_app_new_all', [ada.id]));
		expect(response.status).toBe(201);
		expect(response.headers.location).toBe(`${emulator.url}/Groups/${response.data.id}`);
		expect(response.data).toMatchObject({
			displayName: 'g_app_new_all',
			members: [{ value: ada.id, display: 'ada@example.com', type: 'User' }],
		});
		const found = await api.get('/Groups', {
			params: { filter: `displayName eq ${quote('g_app_new_all')}` },
		});
		expect(found.data.Resources.map((g: ScimGroup) => g.id)).toEqual([response.data.id]);
		expect(emulator.log.at(-2)).toMatchObject({ endpoint: 'POST /Groups', status: 201 });
	});

	it.each([
		['no displayName', { schemas: [GROUP_SCHEMA] }, 400],
		['no Group schema', { displayName: 'X' }, 400],
		['an unknown member', group('X', ['1']), 400],
		['a taken name', group('Engineering'), 409],
	])('refuses a create with %s', async (_, body, status) => {
		const emulator = await start({ groupModel: 'user-group' });
		const response = await scim(emulator).post('/Groups', body);
		expect(response.status).toBe(status);
		expect(emulator.state.groups()).toHaveLength(5);
	});

	it('puts one user in several groups', async () => {
		const emulator = await start({ groupModel: 'user-group' });
		const api = scim(emulator);
		const ada = emulator.addUser({ userName: 'ada@example.com' });
		const first = await api.post('/Groups', group('g_one', [ada.id]));
		const second = await api.post('/Groups', group('g_two'));
		const added = await api.patch(
			`/Groups/${second.data.id}`,
			patchOp({ op: 'add', path: 'members', value: [{ value: ada.id }] }),
		);
		expect(added.status).toBe(200);
		const user = await api.get(`/Users/${ada.id}`);
		expect(user.data.groups).toEqual([
			{ value: first.data.id, display: 'g_one' },
			{ value: second.data.id, display: 'g_two' },
		]);
	});

	it('deletes a group (204), keeps its members in the organization, then answers 404', async () => {
		const emulator = await start({ groupModel: 'user-group' });
		const api = scim(emulator);
		const ada = emulator.addUser({ userName: 'ada@example.com' });
		const created = await api.post('/Groups', group('g_gone', [ada.id]));
		const deleted = await api.delete(`/Groups/${created.data.id}`);
		expect(deleted.status).toBe(204);
		expect(emulator.state.groupByName('g_gone')).toBeUndefined();
		expect(emulator.state.userByName('ada@example.com')?.groups).toEqual([]);
		expect((await api.delete(`/Groups/${created.data.id}`)).status).toBe(404);
		expect(emulator.log.at(-1)).toMatchObject({ endpoint: 'DELETE /Groups/{id}' });
	});

	it('applies a create whose answer is dropped: a second POST of the name is a 409', async () => {
		const emulator = await start({ groupModel: 'user-group', faults: { rateDrop: 1 } });
		const api = scim(emulator);
		const error = await api.post('/Groups', group('g_lost')).then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(axios.isAxiosError(error)).toBe(true);
		expect(emulator.state.groupByName('g_lost')).toBeDefined();
		emulator.setFaults({});
		const again = await api.post('/Groups', group('g_lost'));
		expect(again.status).toBe(409);
		expect(again.data.scimType).toBe('uniqueness');
		expect(emulator.state.groups().filter((g) => g.displayName === 'g_lost')).toHaveLength(1);
	});

	it('paces creates and deletes at the assumed 5 per window', async () => {
		const emulator = await start({ groupModel: 'user-group', timeScale: 100 });
		const api = scim(emulator);
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) statuses.push((await api.post('/Groups', group(`g_${i}`))).status);
		expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
	});
});

describe('team model', () => {
	it.each([
		['post', '/Groups', 'cannot be created through SCIM'],
		['delete', '/Groups/{id}', 'cannot be deleted through SCIM'],
	] as const)('%s %s answers 405 naming the team model', async (method, path, detail) => {
		const emulator = await start({ groupModel: 'team' });
		const team = emulator.state.groupByName('Engineering') as ScimGroup;
		const response = await scim(emulator).request({
			method,
			url: path.replace('{id}', team.id),
			data: group('New'),
		});
		expect(response.status).toBe(405);
		expect(response.data.detail).toContain('maps SCIM groups to Miro teams');
		expect(response.data.detail).toContain(detail);
		expect(emulator.state.groups()).toHaveLength(6);
	});

	it('rejects an unknown model', async () => {
		// @ts-expect-error -- an invalid value on purpose
		await expect(start({ groupModel: 'teams' })).rejects.toThrow(RangeError);
	});
});

describe('switching the model', () => {
	it('reset({ groupModel }) reseeds on the other model, also over the inspection route', async () => {
		const emulator = await start({ groupModel: 'team' });
		emulator.reset({ groupModel: 'user-group' });
		expect(emulator.state.groupByName('Default Team')).toBeUndefined();
		expect((await scim(emulator).post('/Groups', group('g_new'))).status).toBe(201);

		const origin = new URL(emulator.url).origin;
		const back = await axios.post(`${origin}/_emulator/reset`, { groupModel: 'team' });
		expect(back.status).toBe(200);
		expect(emulator.state.groupByName('Default Team')).toBeDefined();
		expect((await scim(emulator).post('/Groups', group('g_new'))).status).toBe(405);
		const state = await axios.get(`${origin}/_emulator/state?summary=true`);
		expect(state.data.groupModel).toBe('team');
	});
});
