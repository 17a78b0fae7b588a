/**
 * The approval path over real HTTP against the emulator: a dry-run Reconcile plans, a person
 * approves the removals, someone changes a user by hand meanwhile, and Apply Plan applies exactly
 * the approved items that still hold; fed its own output again, it writes nothing.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator } from '../../emulator/server';
import type { Emulator } from '../../emulator/server';
import { runNode } from '../../helpers/harness';

let emulator: Emulator;
const ids: Record<string, string> = {};

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, rateLimits: false, seedTeams: [] });
	for (const name of ['ada', 'bob', 'eve']) {
		ids[name] = emulator.addUser({ userName: `${name}@example.com` }).id;
	}
	emulator.addGroup('g_app_eng', { memberIds: Object.values(ids) });
});
afterAll(async () => {
	await emulator.close();
});

const run = (parameters: INodeParameters, items: IDataObject[]) =>
	runNode(
		{ resource: 'sync', options: { pacing: false }, ...parameters },
		{ items, credentials: { token: emulator.token, baseUrl: emulator.url } },
	);

const writes = () =>
	emulator.log.filter((entry) => entry.method !== 'GET').map((e) => `${e.method} ${e.path}`);

describe('sync: plan, approve the removals, apply', () => {
	it('applies the approved removals that still hold, once', async () => {
		const plan = await run(
			{
				operation: 'reconcile',
				email: '={{ $json.email }}',
				groups: '={{ $json.team }}',
				scope: 'groups',
				managedGroups: 'prefix',
				groupPrefix: 'g_app_',
			},
			[{ email: 'ada@example.com', team: 'g_app_eng' }],
		);
		const removals = plan.json.filter((item) => item.removesAccess === true);
		expect(removals.map((item) => `${item.action} ${item.email}`)).toEqual([
			'deactivate bob@example.com',
			'deactivate eve@example.com',
		]);
		// While the approval waits, an admin deactivates Eve by hand.
		await fetch(`${emulator.url}/Users/${ids.eve}`, {
			method: 'PATCH',
			headers: { Authorization: `Bearer ${emulator.token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({
				schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
				Operations: [{ op: 'Replace', path: 'active', value: false }],
			}),
		});
		emulator.resetLog();

		const applied = await run({ operation: 'applyPlan', dryRun: false }, removals);
		expect(
			applied.json.map((item) => `${item.email} ${item.outcome} ${item.skipReason ?? ''}`),
		).toEqual(['bob@example.com done ', 'eve@example.com skipped userChanged', 'undefined done ']);
		expect(emulator.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
			`GET /api/v1/scim/Users/${ids.bob}`,
			`GET /api/v1/scim/Users/${ids.eve}`,
			`PATCH /api/v1/scim/Users/${ids.bob}`,
		]);
		expect(emulator.state.userByName('bob@example.com')?.active).toBe(false);

		emulator.resetLog();
		const again = await run({ operation: 'applyPlan', dryRun: false }, applied.json.slice(0, 2));
		expect(again.json.map((item) => `${item.email} ${item.skipReason ?? item.outcome}`)).toEqual([
			'bob@example.com alreadyApplied',
			'eve@example.com userChanged',
			'undefined done',
		]);
		expect(writes()).toEqual([]);
	});
});
