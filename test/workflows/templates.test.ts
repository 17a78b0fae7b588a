/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not part of the published node */
/**
 * The template workflows in workflows/, exactly as a user imports them, executed by n8n-core
 * against the Miro SCIM emulator over real HTTP. Only the credential is pointed at the emulator,
 * and the node's rate-limit window is shrunk to the emulator's clock (30 s -> 300 ms).
 */
import type { IDataObject } from 'n8n-workflow';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startEmulator } from '../emulator/server';
import type { Emulator } from '../emulator/server';
import { runWorkflow } from '../helpers/harness';
import type { WorkflowJson } from '../helpers/harness';

const root = path.resolve(__dirname, '../../workflows');

const TIME_SCALE = 0.01;

function load(file: string): WorkflowJson {
	const workflow = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as WorkflowJson;
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

/** A template with its sample data replaced, as a user edits the Set node. */
function withSample(workflow: WorkflowJson, nodeName: string, sample: unknown): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowJson;
	const node = copy.nodes.find((candidate) => candidate.name === nodeName);
	if (!node) throw new Error(`no node ${nodeName}`);
	node.parameters.jsonOutput = JSON.stringify(sample);
	return copy;
}

let emulator: Emulator;
const credentials = () => ({
	miroScimDemo: { type: 'miroScimApi', data: { token: emulator.token, baseUrl: emulator.url } },
});

const run = async (workflow: WorkflowJson, startData?: IDataObject[]) => {
	const result = await runWorkflow(workflow, { credentials: credentials(), startData });
	expect(result.error?.message).toBeUndefined();
	return result;
};

const teamsOf = (email: string) => {
	const user = emulator.state.userByName(email);
	if (!user) throw new Error(`${email} does not exist`);
	return emulator.state
		.groups()
		.filter((group) => (group.members ?? []).some((member) => member.value === user.id))
		.map((group) => group.displayName)
		.sort();
};

const countOf = (method: string, pathEnd: RegExp) =>
	emulator.log.filter((entry) => entry.method === method && pathEnd.test(entry.path)).length;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, timeScale: TIME_SCALE });
});

afterAll(async () => {
	await emulator.close();
});

beforeEach(() => {
	emulator.reset();
});

describe('onboarding template', () => {
	it('creates each new employee once and adds them to their team; a re-run changes nothing', async () => {
		const workflow = load('onboarding.json');
		const first = await run(workflow);
		expect(first.output('Add user to team')).toHaveLength(3);

		const ada = emulator.state.userByName('ada.lovelace@example.com');
		expect(ada?.name).toMatchObject({ givenName: 'Ada', familyName: 'Lovelace' });
		expect(teamsOf('ada.lovelace@example.com')).toEqual(['Default Team', 'Engineering']);
		expect(teamsOf('grace.hopper@example.com')).toEqual(['Default Team', 'Engineering']);
		expect(teamsOf('alan.turing@example.com')).toEqual(['Default Team', 'g_app_proeng_all']);
		expect(countOf('POST', /\/Users$/)).toBe(3);
		// Two distinct team names: two searches, and one merged PATCH per team.
		expect(countOf('GET', /\/Groups$/)).toBe(2);
		expect(countOf('PATCH', /\/Groups\/\d+$/)).toBe(2);

		const withoutMeta = (users: Array<{ meta?: unknown }>) =>
			users.map((user) => ({ ...user, meta: undefined }));
		const usersBefore = JSON.stringify(withoutMeta(emulator.state.users()));
		const groupsBefore = JSON.stringify(emulator.state.groups().map((group) => group.members));
		emulator.resetLog();
		const second = await run(workflow);
		expect(second.output('Create or find Miro user').map((item) => item.json.created)).toEqual([
			false,
			false,
			false,
		]);
		expect(countOf('POST', /\/Users$/)).toBe(0);
		expect(
			emulator.state.users().filter((user) => user.userName.endsWith('@example.com')),
		).toHaveLength(4); // the three, plus the seeded organization admin
		expect(JSON.stringify(withoutMeta(emulator.state.users()))).toEqual(usersBefore);
		expect(JSON.stringify(emulator.state.groups().map((group) => group.members))).toEqual(
			groupsBefore,
		);
	});

	it('the webhook variant onboards what the request body lists', async () => {
		const workflow = load('onboarding-webhook.json');
		await run(workflow, [
			{
				headers: {},
				query: {},
				body: {
					employees: [
						{
							email: 'katherine.johnson@example.com',
							firstName: 'Katherine',
							lastName: 'Johnson',
							department: 'Marketing',
							team: 'Marketing',
						},
					],
				},
			},
		]);
		expect(teamsOf('katherine.johnson@example.com')).toEqual(['Default Team', 'Marketing']);
	});
});

describe('role change template', () => {
	it('makes the person an admin and moves them from g_app_proeng_all to g_app_itadmin_all', async () => {
		await run(load('onboarding.json'));
		expect(teamsOf('alan.turing@example.com')).toContain('g_app_proeng_all');

		await run(load('role-change.json'));
		const promoted = emulator.state.userByName('alan.turing@example.com');
		expect(promoted?.roles?.find((role) => role.primary)?.value).toBe(
			'ORGANIZATION_INTERNAL_ADMIN',
		);
		expect(teamsOf('alan.turing@example.com')).toEqual(['Default Team', 'g_app_itadmin_all']);
	});
});

describe('offboarding template', () => {
	it('deactivates the leaver by default and takes them out of every team', async () => {
		await run(load('onboarding.json'));
		const result = await run(load('offboarding.json'));
		expect(result.output('Delete user')).toHaveLength(0);
		const grace = emulator.state.userByName('grace.hopper@example.com');
		expect(grace?.active).toBe(false);
		expect(teamsOf('grace.hopper@example.com')).toEqual([]);
		// The others are untouched.
		expect(teamsOf('ada.lovelace@example.com')).toEqual(['Default Team', 'Engineering']);
	});

	it('deletes the leaver when deleteUser is true', async () => {
		await run(load('onboarding.json'));
		const workflow = withSample(load('offboarding.json'), 'Leaver (sample)', {
			email: 'grace.hopper@example.com',
			deleteUser: true,
		});
		const result = await run(workflow);
		expect(result.output('Delete user').map((item) => item.json.deleted)).toEqual([true]);
		expect(emulator.state.userByName('grace.hopper@example.com')).toBeUndefined();
		expect(countOf('DELETE', /\/Users\/\d+$/)).toBe(1);
	});
});
