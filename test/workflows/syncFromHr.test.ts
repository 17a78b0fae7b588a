/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not part of the published node */
/**
 * workflows/sync-from-hr.json as a user imports it, run by n8n-core against the emulator over
 * real HTTP, with n8n's Data Tables in memory: what gives access is applied at once and audited,
 * removals stop at the approval form (the execution waits) and nothing is removed; a second run
 * writes nothing. Approve, Reject and a stale approval need n8n's server to resume the form:
 * test/e2e/offboarding.test.mjs.
 */
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
const FILE = path.resolve(__dirname, '../../workflows/sync-from-hr.json');

interface TemplateNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
}

function load(): WorkflowJson {
	const workflow = JSON.parse(readFileSync(FILE, 'utf8')) as WorkflowJson;
	for (const node of workflow.nodes) {
		if (node.type !== 'n8n-nodes-miro-scim.miroScim') continue;
		node.parameters.options = { rateWindowSeconds: 30 * TIME_SCALE };
	}
	return workflow;
}

let emulator: Emulator;
let dataTables: MemoryDataTables;

const run = async (workflow: WorkflowJson) => {
	const result = await runWorkflow(workflow, {
		startNode: "When clicking 'Execute workflow'",
		credentials: {
			miroScimDemo: { type: 'miroScimApi', data: { token: emulator.token, baseUrl: emulator.url } },
		},
		dataTables,
	});
	expect(result.error?.message).toBeUndefined();
	return result;
};
const audit = () =>
	dataTables.rows('miro_scim_audit').map((row) => `${row.action} ${row.email} ${row.outcome}`);

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
beforeEach(() => {
	emulator.reset();
	dataTables = memoryDataTables();
});

describe('sync-from-hr template', () => {
	const nodes = (load().nodes as unknown as TemplateNode[]).filter(
		(node) => node.type === 'n8n-nodes-miro-scim.miroScim',
	);

	it('names each Sync step for what it does: only the plan is a dry run', () => {
		expect(nodes.map((node) => [node.name, node.parameters.dryRun])).toEqual([
			['Plan (dry run)', true],
			['Apply access changes', false],
			['Apply approved removals', false],
		]);
	});

	it('as shipped, in a Miro without the sample teams: stops before any write', async () => {
		// Renamed the way a Miro admin would: the sample's team names are not in this Miro.
		for (const group of emulator.state.groups().filter((g) => g.displayName.startsWith('g_app_'))) {
			const response = await fetch(`${emulator.url}/Groups/${group.id}`, {
				method: 'PATCH',
				headers: {
					authorization: `Bearer ${emulator.token}`,
					'content-type': 'application/scim+json',
				},
				body: JSON.stringify({
					schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
					Operations: [{ op: 'Replace', path: 'displayName', value: `old_${group.displayName}` }],
				}),
			});
			expect(response.status).toBe(200);
		}
		emulator.resetLog();
		const result = await runWorkflow(load(), {
			startNode: "When clicking 'Execute workflow'",
			credentials: {
				miroScimDemo: {
					type: 'miroScimApi',
					data: { token: emulator.token, baseUrl: emulator.url },
				},
			},
			dataTables,
		});
		expect(result.nodeError('Plan (dry run)')?.message).toMatch(/g_app_proeng_all/);
		expect(writes()).toEqual([]);
		expect(audit()).toEqual([]);
	});

	it('gives access at once, audited; a removal waits at the approval form and nothing is removed', async () => {
		const stray = emulator.addUser({ userName: 'stray@example.com' });
		// Added by hand to a managed team, and not in the HR list: a leaver.
		emulator.addGroup('g_app_design', { memberIds: [stray.id] });
		emulator.resetLog();

		const first = await run(load());
		expect(teamsOf('ada.lovelace@example.com')).toEqual(['Default Team', 'g_app_proeng_all']);
		expect(teamsOf('alan.turing@example.com')).toEqual(['Default Team', 'g_app_itadmin_all']);
		expect(writes()).toHaveLength(3 + 2);
		expect(audit().sort()).toEqual([
			'addToGroup ada.lovelace@example.com done',
			'addToGroup alan.turing@example.com done',
			'addToGroup grace.hopper@example.com done',
			'create ada.lovelace@example.com done',
			'create alan.turing@example.com done',
			'create grace.hopper@example.com done',
		]);
		const row = dataTables.rows('miro_scim_audit')[0];
		expect(row).toMatchObject({ workflowId: 'test-workflow', action: 'create', outcome: 'done' });
		expect(row.userId).toBe(emulator.state.userByName('ada.lovelace@example.com')?.id);

		// The removal: listed for the approver, with what it does to licence and boards.
		const [request] = first.output('Approval request');
		expect(request.json.removals).toEqual([
			{
				action: 'deactivate',
				email: 'stray@example.com',
				id: stray.id,
				team: null,
				label:
					'Deactivate stray@example.com: cannot sign in, the paid license is freed, boards stay',
			},
		]);
		expect(request.json.approvalFormUrl).toMatch(/form-waiting/);
		expect(first.run.status).toBe('waiting');
		expect(first.run.waitTill).toBeInstanceOf(Date);
		expect(first.output('Apply approved removals')).toEqual([]);
		expect(emulator.state.userByName('stray@example.com')?.active).toBe(true);

		emulator.resetLog();
		const before = audit().length;
		const second = await run(load());
		expect(writes()).toEqual([]);
		expect(second.output('Apply access changes').at(-1)?.json).toMatchObject({
			action: 'summary',
			writes: 0,
		});
		expect(audit()).toHaveLength(before);
	});
});
