/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not part of the published node */
/**
 * A workflow saved with version 1 of the node keeps the output it was built on: Update Members'
 * teamId / added / removed / requests / merged and a user's `teams`, read by the nodes after it.
 * The same workflow moved to version 2 reads version 2's fields (groupId, usersToAdd, groups).
 * Executed by n8n-core's WorkflowExecute against the emulator.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startEmulator } from '../emulator/server';
import type { Emulator } from '../emulator/server';
import { runNode, runWorkflow } from '../helpers/harness';
import type { WorkflowJson } from '../helpers/harness';

const SAVED = path.resolve(__dirname, 'fixtures/saved-v1/update-members-reads-added.json');
const ADA = 'ada.lovelace@example.com';

function saved(): WorkflowJson {
	return JSON.parse(readFileSync(SAVED, 'utf8')) as WorkflowJson;
}

describe('a workflow saved with version 1', () => {
	let emulator: Emulator;
	const credentials = () => ({ token: emulator.token, baseUrl: emulator.url });
	const run = async (workflow: WorkflowJson) =>
		await runWorkflow(workflow, {
			credentials: { miroScimDemo: { type: 'miroScimApi', data: credentials() } },
		});

	beforeAll(async () => {
		emulator = await startEmulator({ port: 0, rateLimits: false });
	});
	afterAll(async () => await emulator.close());
	beforeEach(async () => {
		emulator.reset();
		const created = await runNode(
			{ resource: 'user', operation: 'create', email: ADA, givenName: 'Ada', familyName: 'L' },
			{ credentials: credentials() },
		);
		expect(created.error).toBeUndefined();
	});

	it('runs unchanged: the next nodes read added, teamId and teams as in 0.1.0', async () => {
		const result = await run(saved());

		expect(result.error).toBeUndefined();
		const engineering = emulator.state
			.groups()
			.find((group) => group.displayName === 'Engineering');
		expect(result.output('Report').map((item) => item.json)).toEqual([
			{ team: engineering?.id, added: 1, removed: 0, requests: 1, merged: false },
		]);
		expect(result.output('One item per team').map((item) => item.json.name)).toEqual(
			expect.arrayContaining(['Engineering']),
		);
	});

	it('moved to version 2, the same nodes find version 2 fields instead', async () => {
		const workflow = saved();
		for (const node of workflow.nodes) {
			if (node.type === 'n8n-nodes-miro-scim.miroScim') node.typeVersion = 2;
		}

		const result = await run(workflow);

		// The Report expression reads `$json.added.length`, which version 2 does not have.
		expect(result.nodeError('Report')?.message).toMatch(/added|undefined|length/i);
		const miro = result.output('Add to Engineering').map((item) => item.json);
		expect(miro[0]).toMatchObject({
			groupName: 'Engineering',
			usersToAdd: [{ email: ADA, result: 'added' }],
			changed: true,
		});
	});
});
