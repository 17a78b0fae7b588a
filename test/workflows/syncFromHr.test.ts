/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not part of the published node */
/**
 * workflows/sync-from-hr.json as a user imports it, run by n8n-core against the emulator over
 * real HTTP: as shipped it only plans; with Apply plan's Dry Run off it applies what gives
 * access and leaves removals waiting for approval; a second run writes nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startEmulator } from '../emulator/server';
import type { Emulator } from '../emulator/server';
import { runWorkflow } from '../helpers/harness';
import type { WorkflowJson } from '../helpers/harness';

const TIME_SCALE = 0.01;
const FILE = path.resolve(__dirname, '../../workflows/sync-from-hr.json');

function load(applyDryRun = true): WorkflowJson {
	const workflow = JSON.parse(readFileSync(FILE, 'utf8')) as WorkflowJson;
	for (const node of workflow.nodes) {
		if (node.type !== 'n8n-nodes-miro-scim.miroScim') continue;
		node.parameters.options = { rateWindowSeconds: 30 * TIME_SCALE };
		if (node.name === 'Apply plan') node.parameters.dryRun = applyDryRun;
	}
	return workflow;
}

let emulator: Emulator;

const run = async (workflow: WorkflowJson) => {
	const result = await runWorkflow(workflow, {
		startNode: "When clicking 'Execute workflow'",
		credentials: {
			miroScimDemo: { type: 'miroScimApi', data: { token: emulator.token, baseUrl: emulator.url } },
		},
	});
	expect(result.error?.message).toBeUndefined();
	return result;
};

const writes = () => emulator.log.filter((entry) => entry.method !== 'GET');
const teamsOf = (email: string) => {
	const user = emulator.state.userByName(email);
	return emulator.state
		.groups()
		.filter((group) => (group.members ?? []).some((member) => member.value === user?.id))
		.map((group) => group.displayName)
		.sort();
};

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, timeScale: TIME_SCALE, contract: true });
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

describe('sync-from-hr template', () => {
	it('as shipped: plans from one listing and writes nothing', async () => {
		const result = await run(load());
		expect(writes()).toEqual([]);
		expect(emulator.log.map((entry) => `${entry.method} ${entry.path}`).sort()).toEqual([
			'GET /api/v1/scim/Groups',
			'GET /api/v1/scim/Users',
		]);
		expect(
			result.output('Apply plan').map((item) => `${item.json.action} ${item.json.email ?? ''}`),
		).toEqual([
			'create ada.lovelace@example.com',
			'addToGroup ada.lovelace@example.com',
			'create grace.hopper@example.com',
			'addToGroup grace.hopper@example.com',
			'create alan.turing@example.com',
			'addToGroup alan.turing@example.com',
			'summary ',
		]);
	});

	it('applied: joiners in their teams, a removal waits for approval, a re-run writes nothing', async () => {
		const stray = emulator.addUser({ userName: 'stray@example.com' });
		// Added by hand to a managed team, and not in the HR list: a leaver.
		emulator.addGroup('g_app_design', { memberIds: [stray.id] });
		emulator.resetLog();

		const first = await run(load(false));
		expect(teamsOf('ada.lovelace@example.com')).toEqual(['Default Team', 'g_app_proeng_all']);
		expect(teamsOf('alan.turing@example.com')).toEqual(['Default Team', 'g_app_itadmin_all']);
		expect(
			first.output('Approve removals').map((item) => `${item.json.action} ${item.json.email}`),
		).toEqual(['deactivate stray@example.com']);
		expect(emulator.state.userByName('stray@example.com')?.active).toBe(true);
		expect(writes()).toHaveLength(3 + 2);

		emulator.resetLog();
		const second = await run(load(false));
		expect(writes()).toEqual([]);
		expect(second.output('Apply plan').at(-1)?.json).toMatchObject({
			action: 'summary',
			writes: 0,
		});
	});
});
