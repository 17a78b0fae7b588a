/**
 * The emulator's movable clock (meta timestamps for grace-period tests) and an organization's
 * own license order (a downgrade refused with 400, as Miro's SCIM API does).
 */
import axios from 'axios';
import { afterEach, describe, expect, it } from 'vitest';

import { Clock } from './clock';
import { closeAll, patchOp, scim, start } from './helpers';
import type { ScimUser } from './scim';

afterEach(closeAll);

const DAY = 86_400_000;

describe('clock', () => {
	it.each<[string, (clock: Clock) => void, number]>([
		['advance by milliseconds', (clock) => clock.advance(DAY), DAY],
		['advanceDays', (clock) => clock.change({ advanceDays: 3 }), 3 * DAY],
		['advanceSeconds', (clock) => clock.change({ advanceSeconds: 90 }), 90_000],
		['reset', (clock) => (clock.advance(DAY), clock.change({ reset: true })), 0],
	])('%s', (_name, move, offset) => {
		const clock = new Clock();
		move(clock);
		expect(clock.state().offsetMs).toBe(offset);
	});

	it.each<[string, object]>([
		['nothing', {}],
		['two changes at once', { advanceDays: 1, reset: true }],
		['a time that is no time', { now: 'tomorrow' }],
	])('refuses %s', (_name, body) => {
		expect(() => new Clock().change(body)).toThrow(RangeError);
	});

	it('stamps meta.created and meta.lastModified with the time it was set to, and moves on', async () => {
		const emulator = await start({ now: '2026-01-01T00:00:00.000Z' });
		const api = scim(emulator);
		const created = (await api.post<ScimUser>('/Users', { userName: 'ada@example.com' })).data;
		const meta = created.meta as { created: string; lastModified: string };
		expect(Date.parse(meta.created) - Date.parse('2026-01-01T00:00:00.000Z')).toBeLessThan(5000);

		emulator.clock.advance(30 * DAY);
		await api.patch(
			`/Users/${created.id}`,
			patchOp({ op: 'replace', path: 'active', value: false }),
		);
		const after = (await api.get<ScimUser>(`/Users/${created.id}`)).data.meta as typeof meta;
		expect(after.created).toBe(meta.created);
		const days = (Date.parse(after.lastModified) - Date.parse(meta.created)) / DAY;
		expect(days).toBeGreaterThanOrEqual(30);
		expect(days).toBeLessThan(30.001);
	});

	it('GET and POST /_emulator/clock read and move it; reset() leaves it', async () => {
		const emulator = await start();
		const origin = new URL(emulator.url).origin;
		const set = await axios.post(`${origin}/_emulator/clock`, { now: '2030-05-01T12:00:00Z' });
		expect(set.status).toBe(200);
		expect(Date.parse(set.data.now) - Date.parse('2030-05-01T12:00:00Z')).toBeLessThan(5000);
		const moved = await axios.post(`${origin}/_emulator/clock`, { advanceDays: 14 });
		expect(moved.data.offsetMs - set.data.offsetMs).toBe(14 * DAY);
		emulator.reset();
		expect((await axios.get(`${origin}/_emulator/clock`)).data.offsetMs).toBe(moved.data.offsetMs);
		const bad = await axios.post(`${origin}/_emulator/clock`, {}, { validateStatus: () => true });
		expect(bad.status).toBe(400);
	});
});

describe("an organization's license order", () => {
	it('refuses a downgrade with a 400 naming both licenses; allows an upgrade', async () => {
		const emulator = await start({ userTypes: ['Free', 'Full'] });
		const api = scim(emulator);
		const user = (await api.post<ScimUser>('/Users', { userName: 'ada@example.com' })).data;
		expect(user.userType).toBe('Full');
		const down = await api.patch(
			`/Users/${user.id}`,
			patchOp({ op: 'replace', path: 'userType', value: 'Free' }),
		);
		expect(down.status).toBe(400);
		expect(down.data).toMatchObject({
			scimType: 'invalidValue',
			detail: 'userType cannot be downgraded from Full to Free',
		});
		const free = (
			await api.post<ScimUser>('/Users', { userName: 'bo@example.com', userType: 'free' })
		).data;
		const up = await api.patch(
			`/Users/${free.id}`,
			patchOp({ op: 'replace', path: 'userType', value: 'Full' }),
		);
		expect([up.status, up.data.userType]).toEqual([200, 'Full']);
	});

	it('refuses a license the organization does not offer', async () => {
		const emulator = await start({ userTypes: ['Free', 'Full'] });
		const response = await scim(emulator).post('/Users', {
			userName: 'ada@example.com',
			userType: 'Advanced',
		});
		expect(response.status).toBe(400);
		expect(response.data.detail).toBe('userType "Advanced" is not one of Free, Full');
	});

	it('an unknown license in the option fails at start', async () => {
		await expect(start({ userTypes: ['Platinum'] })).rejects.toThrow(/Platinum/);
	});
});
