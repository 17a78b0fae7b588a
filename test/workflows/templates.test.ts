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
	emulator = await startEmulator({ port: 0, timeScale: TIME_SCALE, contract: true });
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
		// Two distinct team names: one listing of the group directory, one merged PATCH per team.
		expect(countOf('GET', /\/Groups$/)).toBe(1);
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
});

describe('onboarding webhook template', () => {
	const SECRET_HEADER = 'x-onboarding-secret';
	const SECRET = 'a-shared-secret-that-must-never-be-echoed';
	const person = (email: string, team: string, extra: Record<string, unknown> = {}) => ({
		email,
		firstName: 'Katherine',
		lastName: 'Johnson',
		team,
		...extra,
	});

	/** One authenticated call, as n8n hands the request to the Webhook node. */
	const call = async (body: IDataObject[string], workflow = load('onboarding-webhook.json')) => {
		const result = await run(workflow, [
			{ headers: { [SECRET_HEADER]: SECRET, 'content-type': 'application/json' }, query: {}, body },
		]);
		expect(result.responses).toHaveLength(1);
		const [response] = result.responses;
		expect(JSON.stringify(response)).not.toContain(SECRET);
		return response as { statusCode: number; body: { people?: unknown[]; error?: string } };
	};

	it('onboards each listed person: created, placed in the team, and says so', async () => {
		const response = await call({
			employees: [
				person('katherine.johnson@example.com', 'Marketing', { department: 'Marketing' }),
				person('dorothy.vaughan@example.com', 'Engineering'),
			],
		});
		expect(response.statusCode).toBe(200);
		expect(response.body).toEqual({
			people: [
				{
					email: 'katherine.johnson@example.com',
					team: 'Marketing',
					status: 'created',
					placed: true,
				},
				{
					email: 'dorothy.vaughan@example.com',
					team: 'Engineering',
					status: 'created',
					placed: true,
				},
			],
		});
		expect(teamsOf('katherine.johnson@example.com')).toEqual(['Default Team', 'Marketing']);
		expect(teamsOf('dorothy.vaughan@example.com')).toEqual(['Default Team', 'Engineering']);
		expect(emulator.state.userByName('katherine.johnson@example.com')).toMatchObject({
			name: { givenName: 'Katherine', familyName: 'Johnson' },
		});
	});

	it('reports a person who already exists as existing, and creates nobody', async () => {
		const body = { employees: [person('katherine.johnson@example.com', 'Marketing')] };
		await call(body);
		emulator.resetLog();
		const response = await call(body);
		expect(response.body.people).toEqual([
			{
				email: 'katherine.johnson@example.com',
				team: 'Marketing',
				status: 'existing',
				placed: true,
			},
		]);
		expect(countOf('POST', /\/Users$/)).toBe(0);
	});

	it('refuses, with the reason, whoever the allowlists do not cover; the others go on', async () => {
		const response = await call({
			employees: [
				person('mallory@example.com', 'g_app_itadmin_all'),
				person('katherine.johnson@example.com', 'Marketing'),
				person('eve@attacker.test', 'Marketing'),
				person('not-an-email', 'Marketing'),
				person('Katherine.Johnson@example.com ', 'Engineering'),
				person('oscar@example.com', 'IT Administration'),
				person('trudy@EXAMPLE.com', 'engineering'),
			],
		});
		expect(response.statusCode).toBe(200);
		const refused = (email: string, team: string, reason: string) => ({
			email,
			team,
			status: 'refused',
			reason,
		});
		expect(response.body.people).toEqual([
			{
				email: 'katherine.johnson@example.com',
				team: 'Marketing',
				status: 'created',
				placed: true,
			},
			refused('mallory@example.com', 'g_app_itadmin_all', 'team is not on the allowlist'),
			refused('eve@attacker.test', 'Marketing', 'email domain is not on the allowlist'),
			refused('not-an-email', 'Marketing', 'not an email address'),
			refused(
				'Katherine.Johnson@example.com',
				'Engineering',
				'listed more than once in this request',
			),
			refused('oscar@example.com', 'IT Administration', 'team is not on the allowlist'),
			// team names are matched exactly; domains in any case
			refused('trudy@EXAMPLE.com', 'engineering', 'team is not on the allowlist'),
		]);
		const refusedEmails = ['mallory', 'eve', 'not-an-email', 'oscar', 'trudy'];
		expect(
			emulator.log.filter((entry) =>
				refusedEmails.some((name) => JSON.stringify(entry).toLowerCase().includes(name)),
			),
		).toEqual([]);
		expect(
			emulator.state
				.users()
				.map((user) => user.userName)
				.sort(),
		).toEqual(['admin@example.com', 'katherine.johnson@example.com']);
		expect(teamsOf('katherine.johnson@example.com')).toEqual(['Default Team', 'Marketing']);
	});

	it('when everyone is refused, answers with the reasons and sends Miro nothing', async () => {
		const response = await call({
			employees: [person('mallory@example.com', 'g_app_itadmin_all')],
		});
		expect(response.body.people).toEqual([
			{
				email: 'mallory@example.com',
				team: 'g_app_itadmin_all',
				status: 'refused',
				reason: 'team is not on the allowlist',
			},
		]);
		expect(emulator.log).toEqual([]);
	});

	it('the allowlists live in one Set node: adding a team there lets the webhook place people in it', async () => {
		const workflow = withSample(load('onboarding-webhook.json'), 'Allowlists', {
			allowedEmailDomains: ['Example.com'],
			allowedTeams: ['g_app_itadmin_all'],
		});
		const response = await call(
			{
				employees: [
					person('grace.hopper@example.com', 'g_app_itadmin_all'),
					person('ada.lovelace@example.com', 'Engineering'),
				],
			},
			workflow,
		);
		expect(response.body.people).toEqual([
			{
				email: 'grace.hopper@example.com',
				team: 'g_app_itadmin_all',
				status: 'created',
				placed: true,
			},
			{
				email: 'ada.lovelace@example.com',
				team: 'Engineering',
				status: 'refused',
				reason: 'team is not on the allowlist',
			},
		]);
		expect(teamsOf('grace.hopper@example.com')).toEqual(['Default Team', 'g_app_itadmin_all']);
	});

	const NOT_A_LIST =
		'The body must be a JSON object {"employees": [...]} listing at least one person.';
	const badEntry = (index: number) =>
		`employees[${index}]: email, firstName, lastName and team must be non-empty text, department (optional) text.`;
	it.each([
		['no body', undefined, NOT_A_LIST],
		['text instead of JSON', 'employees=ada', NOT_A_LIST],
		[
			'a list instead of an object',
			[person('ada.lovelace@example.com', 'Engineering')],
			NOT_A_LIST,
		],
		['no employees', { people: [] }, NOT_A_LIST],
		['employees not a list', { employees: { email: 'ada.lovelace@example.com' } }, NOT_A_LIST],
		['an empty list', { employees: [] }, NOT_A_LIST],
		['a person that is not an object', { employees: ['ada.lovelace@example.com'] }, badEntry(0)],
		[
			'a missing team',
			{
				employees: [person('ada.lovelace@example.com', 'Engineering'), { email: 'x@example.com' }],
			},
			badEntry(1),
		],
		[
			'a blank first name',
			{ employees: [person('ada@example.com', 'Marketing', { firstName: ' ' })] },
			badEntry(0),
		],
		[
			'a number as email',
			{ employees: [person('ada@example.com', 'Marketing', { email: 7 })] },
			badEntry(0),
		],
		[
			'a department that is not text',
			{ employees: [person('ada@example.com', 'Marketing', { department: ['x'] })] },
			badEntry(0),
		],
	])('answers 400 and calls Miro for nobody when the body has %s', async (_case, body, error) => {
		const response = await call(body);
		expect(response).toMatchObject({ statusCode: 400, body: { error } });
		expect(Object.keys(response.body)).toEqual(['error']);
		expect(emulator.log).toEqual([]);
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
