/**
 * Reconcile against the emulator over real HTTP with Miro's rate limits on a fast clock and
 * injected faults (429s, 503s, requests applied and then dropped): an applied run ends in exactly
 * the desired state with nobody created twice, and re-running converges with zero writes.
 */
import type { IDataObject } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator } from '../../emulator/server';
import type { Emulator } from '../../emulator/server';
import { runNode } from '../../helpers/harness';

const TIME_SCALE = 0.01;
const PEOPLE = 120;
const TEAMS = ['g_app_a', 'g_app_b', 'g_app_c', 'g_app_d'];

interface Person {
	email: string;
	first: string;
	last: string;
	team: string;
}

let emulator: Emulator;
let desired: Person[];
let leavers: string[];

/** Seeded org: user1..N in four managed teams; HR: 10 leavers, 10 joiners, 10 movers, 10 renamed. */
function seed() {
	const members = new Map<string, string[]>(TEAMS.map((team) => [team, []]));
	for (let i = 1; i <= PEOPLE; i++) {
		const user = emulator.addUser({
			userName: `user${i}@example.com`,
			name: { givenName: 'User', familyName: String(i) },
		});
		members.get(TEAMS[i % 4])?.push(user.id);
	}
	for (const [team, ids] of members) emulator.addGroup(team, { memberIds: ids });
	desired = [];
	leavers = [];
	for (let i = 1; i <= PEOPLE; i++) {
		if (i > PEOPLE - 10) {
			leavers.push(`user${i}@example.com`);
			continue;
		}
		const team = TEAMS[(i + (i <= 10 ? 1 : 0)) % 4];
		const last = i > 10 && i <= 20 ? `Renamed ${i}` : String(i);
		desired.push({ email: `user${i}@example.com`, first: 'User', last, team });
	}
	for (let j = 1; j <= 10; j++) {
		desired.push({
			email: `new${j}@example.com`,
			first: 'New',
			last: String(j),
			team: TEAMS[j % 4],
		});
	}
}

const parameters = {
	resource: 'sync',
	operation: 'reconcile',
	dryRun: false,
	email: '={{ $json.email }}',
	givenName: '={{ $json.first }}',
	familyName: '={{ $json.last }}',
	groups: '={{ $json.team }}',
	scope: 'groups',
	managedGroups: 'prefix',
	groupPrefix: 'g_app_',
	// 20 of 120 users in scope lose access (10 leavers, 10 movers' old teams): above 10%.
	maxAccessRemovalsPercent: 100,
	options: { rateWindowSeconds: 30 * TIME_SCALE, initialBackoffMs: 5, maxAttempts: 8 },
};

const reconcile = () =>
	runNode(parameters, {
		items: desired as unknown as IDataObject[],
		credentials: { token: emulator.token, baseUrl: emulator.url },
	});

function expectDesiredState() {
	const users = emulator.state.users();
	const byName = new Map<string, number>();
	for (const user of users) {
		const key = user.userName.toLowerCase();
		byName.set(key, (byName.get(key) ?? 0) + 1);
	}
	expect([...byName.values()].filter((count) => count > 1)).toEqual([]);
	const teams = emulator.state.groups().filter((group) => group.displayName.startsWith('g_app_'));
	for (const person of desired) {
		const user = emulator.state.userByName(person.email);
		expect(user, person.email).toBeDefined();
		expect(user?.active, person.email).toBe(true);
		expect(user?.name).toMatchObject({ givenName: person.first, familyName: person.last });
		const memberOf = teams
			.filter((team) => (team.members ?? []).some((member) => member.value === user?.id))
			.map((team) => team.displayName);
		expect(memberOf, person.email).toEqual([person.team]);
	}
	for (const email of leavers) expect(emulator.state.userByName(email)?.active, email).toBe(false);
}

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, timeScale: TIME_SCALE, seedTeams: [], contract: true });
	seed();
	emulator.setFaults({
		rate429: 0.1,
		retryAfterShare: 0.5,
		rate503: 0.05,
		rateDrop: 0.05,
		seed: 7,
	});
});
afterAll(async () => {
	await emulator.close();
});

describe('sync > reconcile under faults', () => {
	it('ends in exactly the desired state; a re-run under the same faults writes nothing', async () => {
		const first = await reconcile();
		expect(first.error?.message).toBeUndefined();
		const faults = emulator.log.filter((entry) => entry.flags?.length).length;
		expect(faults).toBeGreaterThan(0);
		expect(first.json.filter((json) => json.outcome === 'failed')).toEqual([]);
		expectDesiredState();

		emulator.resetLog();
		const second = await reconcile();
		expect(second.error?.message).toBeUndefined();
		expect(emulator.log.filter((entry) => entry.method !== 'GET')).toEqual([]);
		expect(second.json.map((json) => json.action)).toEqual(['summary']);
		expectDesiredState();
	});
});
