/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not part of the published node */
/**
 * The templates on both of Miro's group models, executed by n8n-core against the emulator: the
 * ones shipped now, and those of the previous release (test/workflows/fixtures/v0.1.0, copied
 * unchanged), which saved workflows of that release stand for. Only the credential and the
 * node's rate-limit window are changed, as in templates.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startEmulator } from '../emulator/server';
import type { Emulator, GroupModel } from '../emulator/server';
import { runNode, runWorkflow } from '../helpers/harness';
import type { WorkflowJson } from '../helpers/harness';

const TIME_SCALE = 0.01;
const RELEASES = {
	current: path.resolve(__dirname, '../../workflows'),
	'0.1.0': path.resolve(__dirname, 'fixtures/v0.1.0'),
};

function load(folder: string, file: string): WorkflowJson {
	const workflow = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as WorkflowJson;
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-miro-scim.miroScim') {
			node.parameters.options = {
				...(node.parameters.options as object),
				rateWindowSeconds: 30 * TIME_SCALE,
			};
		}
	}
	return workflow;
}

function withSample(workflow: WorkflowJson, nodeName: string, sample: unknown): WorkflowJson {
	const node = workflow.nodes.find((candidate) => candidate.name === nodeName);
	if (!node) throw new Error(`no node ${nodeName}`);
	node.parameters.jsonOutput = JSON.stringify(sample);
	return workflow;
}

describe.each<GroupModel>(['team', 'user-group'])('on the %s model', (groupModel) => {
	let emulator: Emulator;
	const run = async (workflow: WorkflowJson) =>
		await runWorkflow(workflow, {
			credentials: {
				miroScimDemo: {
					type: 'miroScimApi',
					data: { token: emulator.token, baseUrl: emulator.url },
				},
			},
		});
	const groupsOf = (email: string) => {
		const user = emulator.state.userByName(email);
		if (!user) throw new Error(`${email} does not exist`);
		return emulator.state
			.groups()
			.filter((group) => (group.members ?? []).some((member) => member.value === user.id))
			.map((group) => group.displayName)
			.filter((name) => name !== 'Default Team')
			.sort();
	};
	const posts = (pathEnd: RegExp) =>
		emulator.log.filter((entry) => entry.method === 'POST' && pathEnd.test(entry.path)).length;

	beforeAll(async () => {
		emulator = await startEmulator({ port: 0, timeScale: TIME_SCALE, groupModel, contract: true });
	});
	afterAll(async () => await emulator.close());
	beforeEach(() => emulator.reset());

	it.each(Object.entries(RELEASES))(
		'the %s templates onboard, promote and offboard; a re-run changes nothing',
		async (_, folder) => {
			const onboarding = load(folder, 'onboarding.json');
			expect((await run(onboarding)).error).toBeUndefined();
			expect(groupsOf('ada.lovelace@example.com')).toEqual(['Engineering']);
			expect(groupsOf('alan.turing@example.com')).toEqual(['g_app_proeng_all']);
			const state = JSON.stringify(emulator.state.groups().map((group) => group.members));
			expect((await run(onboarding)).error).toBeUndefined();
			expect(JSON.stringify(emulator.state.groups().map((group) => group.members))).toBe(state);
			expect(posts(/\/Groups$/)).toBe(0);

			expect((await run(load(folder, 'role-change.json'))).error).toBeUndefined();
			expect(groupsOf('alan.turing@example.com')).toEqual(['g_app_itadmin_all']);

			expect((await run(load(folder, 'offboarding.json'))).error).toBeUndefined();
			expect(emulator.state.userByName('grace.hopper@example.com')?.active).toBe(false);
			expect(groupsOf('grace.hopper@example.com')).toEqual([]);
		},
	);

	it('the onboarding template with a group Miro does not have yet', async () => {
		const workflow = withSample(
			load(RELEASES.current, 'onboarding.json'),
			'New employees (sample)',
			{
				employees: [
					{ email: 'ada@example.com', firstName: 'Ada', lastName: 'L', team: 'g_app_new_all' },
					{ email: 'alan@example.com', firstName: 'Alan', lastName: 'T', team: 'g_app_new_all' },
				],
			},
		);
		const result = await run(workflow);
		if (groupModel === 'user-group') {
			expect(result.error).toBeUndefined();
			expect(groupsOf('ada@example.com')).toEqual(['g_app_new_all']);
			expect(groupsOf('alan@example.com')).toEqual(['g_app_new_all']);
			// Two items name the group: one create, the other finds the name taken and returns it.
			expect(posts(/\/Groups$/)).toBeLessThanOrEqual(2);
			expect(emulator.state.groups().filter((g) => g.displayName === 'g_app_new_all')).toHaveLength(
				1,
			);
			const created = result.output('Find or create group').map((item) => item.json.created);
			expect(created.filter(Boolean)).toHaveLength(1);
		} else {
			expect(result.error?.message).toBe(
				'Miro refused to create the group: this organization maps SCIM groups to teams',
			);
			expect(result.error?.description).toContain('Create the team in Miro');
			expect(result.output('Add user to team')).toHaveLength(0);
		}
	});
});

describe('Group > Create against the emulator', () => {
	it('recovers a create whose answer was dropped after Miro applied it, posting once', async () => {
		// Seed 8: the first request (the POST) is applied and its answer dropped; the next passes.
		const emulator = await startEmulator({
			port: 0,
			timeScale: TIME_SCALE,
			groupModel: 'user-group',
			faults: { rateDrop: 0.5, seed: 8 },
		});
		try {
			const result = await runNode(
				{
					resource: 'group',
					operation: 'create',
					displayName: 'g_app_lost_all',
					ifExists: 'fail',
					options: { initialBackoffMs: 1, rateWindowSeconds: 30 * TIME_SCALE },
				},
				{ credentials: { token: emulator.token, baseUrl: emulator.url } },
			);
			expect(result.error).toBeUndefined();
			expect(result.json[0]).toMatchObject({ name: 'g_app_lost_all', created: true });
			const posts = emulator.log.filter((entry) => entry.method === 'POST');
			expect(posts).toHaveLength(1);
			expect(posts[0].flags).toEqual(['dropped']);
			expect(
				emulator.state.groups().filter((group) => group.displayName === 'g_app_lost_all'),
			).toHaveLength(1);
		} finally {
			await emulator.close();
		}
	});
});
