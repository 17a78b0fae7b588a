/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not part of the published node */
/**
 * workflows/leavers-grace-period.json as a user imports it, run by n8n-core against the emulator
 * over real HTTP, with n8n's Data Tables in memory. Time moves by back-dating a leaver's
 * `deactivatedAt` (the template compares it with n8n's $now). The same story against a real n8n:
 * test/e2e/offboarding.test.mjs.
 */
import type { IDataObject } from 'n8n-workflow';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startEmulator } from '../emulator/server';
import type { Emulator } from '../emulator/server';
import { memoryDataTables } from '../helpers/dataTables';
import type { MemoryDataTables } from '../helpers/dataTables';
import { runWorkflow } from '../helpers/harness';
import type { WorkflowJson } from '../helpers/harness';

const TIME_SCALE = 0.01;
const FILE = path.resolve(__dirname, '../../workflows/leavers-grace-period.json');
const DAY = 24 * 3_600_000;
const ADA = 'ada.lovelace@example.com';
const GRACE = 'grace.hopper@example.com';
const ALAN = 'alan.turing@example.com';
const SAMPLE = JSON.parse(
	(JSON.parse(readFileSync(FILE, 'utf8')) as WorkflowJson).nodes.find(
		(node) => node.name === 'HR list (sample)',
	)?.parameters.jsonOutput as string,
) as { people: IDataObject[] };

/** The template with the HR list cut to these people, as a user's HR source would be. */
function load(emails: string[]): WorkflowJson {
	const workflow = JSON.parse(readFileSync(FILE, 'utf8')) as WorkflowJson;
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-miro-scim.miroScim') {
			node.parameters.options = { rateWindowSeconds: 30 * TIME_SCALE };
		}
		if (node.name === 'HR list (sample)') {
			const people = SAMPLE.people.filter((person) => emails.includes(person.email as string));
			node.parameters.jsonOutput = JSON.stringify({ people });
		}
	}
	return workflow;
}

let emulator: Emulator;
let dataTables: MemoryDataTables;

const run = async (emails: string[]) => {
	const result = await runWorkflow(load(emails), {
		startNode: "When clicking 'Execute workflow'",
		credentials: {
			miroScimDemo: { type: 'miroScimApi', data: { token: emulator.token, baseUrl: emulator.url } },
		},
		dataTables,
	});
	expect(result.error?.message).toBeUndefined();
	return result;
};
const leaver = (email: string) =>
	dataTables.rows('miro_scim_leavers').find((row) => row.email === email);
const backDate = (email: string, days: number) => {
	const row = leaver(email);
	if (!row) throw new Error(`${email} is not on record`);
	row.deactivatedAt = new Date(Date.now() - days * DAY).toISOString();
};
const active = (email: string) => emulator.state.userByName(email)?.active;
const audit = () =>
	dataTables.rows('miro_scim_audit').map((row) => `${row.action} ${row.email} ${row.outcome}`);

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, timeScale: TIME_SCALE, contract: true });
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(async () => {
	emulator.reset();
	dataTables = memoryDataTables();
	await run([ADA, GRACE, ALAN]);
});

describe('leavers-grace-period template', () => {
	it('deactivates and records a leaver on day 0, keeps them until graceDays, then deletes them', async () => {
		await run([ADA, ALAN]);
		const id = emulator.state.userByName(GRACE)?.id;
		expect(active(GRACE)).toBe(false);
		expect(leaver(GRACE)).toMatchObject({ userId: id, email: GRACE, reason: 'not in the HR list' });
		expect(Date.now() - Date.parse(leaver(GRACE)?.deactivatedAt as string)).toBeLessThan(60_000);

		backDate(GRACE, 13);
		emulator.resetLog();
		await run([ADA, ALAN]);
		expect(active(GRACE)).toBe(false);
		expect(emulator.log.filter((entry) => entry.method === 'DELETE')).toEqual([]);

		backDate(GRACE, 15);
		await run([ADA, ALAN]);
		expect(emulator.state.userByName(GRACE)).toBeUndefined();
		expect(leaver(GRACE)).toBeUndefined();
		expect(emulator.log.filter((entry) => entry.method === 'DELETE').map((e) => e.path)).toEqual([
			`/api/v1/scim/Users/${id}`,
		]);
		const deletion = dataTables.rows('miro_scim_audit').find((row) => row.action === 'delete');
		expect(deletion).toMatchObject({ email: GRACE, userId: id, outcome: 'done' });
		expect(deletion?.detail).toMatch(
			/more than 14 days ago; boards moved to the oldest team admin/,
		);
		const deactivation = dataTables
			.rows('miro_scim_audit')
			.find((row) => row.action === 'deactivate');
		expect(deactivation).toMatchObject({ email: GRACE, userId: id, outcome: 'done' });
		expect(JSON.parse(deactivation?.before as string)).toMatchObject({ active: true });
		expect(JSON.parse(deactivation?.after as string)).toMatchObject({ active: false });
	});

	it('reactivates a returner within the grace period and forgets them: never deleted', async () => {
		await run([ADA, GRACE]);
		expect(active(ALAN)).toBe(false);
		backDate(ALAN, 5);
		await run([ADA, GRACE, ALAN]);
		expect(active(ALAN)).toBe(true);
		expect(leaver(ALAN)).toBeUndefined();
		expect(audit()).toContain(`reactivate ${ALAN} done`);
		await run([ADA, GRACE, ALAN]);
		expect(active(ALAN)).toBe(true);
	});

	it('never deletes someone reactivated by hand in Miro, and the sync leaves them alone', async () => {
		await run([GRACE, ALAN]);
		expect(active(ADA)).toBe(false);
		const ada = emulator.state.userByName(ADA);
		const response = await fetch(`${emulator.url}/Users/${ada?.id}`, {
			method: 'PATCH',
			headers: {
				authorization: `Bearer ${emulator.token}`,
				'content-type': 'application/scim+json',
			},
			body: JSON.stringify({
				schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
				Operations: [{ op: 'Replace', path: 'active', value: true }],
			}),
		});
		expect(response.status).toBe(200);
		backDate(ADA, 20);
		await run([GRACE, ALAN]);
		expect(active(ADA)).toBe(true);
		expect(leaver(ADA)?.reason).toMatch(/^reactivated by hand in Miro/);
		emulator.resetLog();
		await run([GRACE, ALAN]);
		expect(active(ADA)).toBe(true);
		expect(emulator.log.filter((entry) => entry.method !== 'GET')).toEqual([]);
	});

	it('forgets a leaver deleted by hand in Miro', async () => {
		await run([ADA, ALAN]);
		const id = emulator.state.userByName(GRACE)?.id;
		const response = await fetch(`${emulator.url}/Users/${id}`, {
			method: 'DELETE',
			headers: { authorization: `Bearer ${emulator.token}` },
		});
		expect(response.status).toBe(204);
		await run([ADA, ALAN]);
		expect(leaver(GRACE)).toBeUndefined();
	});
});
