/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * Scenario 3: 20,000 existing users into one team.
 */
import fs from 'node:fs';

import { callsOf, describeLog, errorsCell, rateFloorMs, summarizeLog } from '../lib/log';
import { runWorker, startBenchEmulator } from '../lib/processes';
import { failureNote, int, memoryCell, ms, notes, rows, verdict } from '../lib/report';
import { addMembersWorkflow, setMiroOptions } from '../lib/workflows';
import {
	BOUND,
	BULK_MEMBERS,
	CREDENTIAL_ID,
	credentials,
	SCALED_NODE_OPTIONS,
	TIME_SCALE,
	WARMUP_ITEMS,
	warmup,
	WINDOW_MS,
	writeWorkflow,
} from './common';

export async function bulkMembers(): Promise<void> {
	const emulator = await startBenchEmulator([
		'--time-scale',
		String(TIME_SCALE),
		'--seed-users',
		String(BULK_MEMBERS),
	]);
	try {
		const before = await emulator.state();
		const team = before.groups.find((g) => g.displayName === 'Engineering');
		if (!team) throw new Error('the emulator has no Engineering team');
		const ids = before.users.filter((u) => /^user\d+@/.test(u.userName)).map((u) => u.id);
		const workflowFile = writeWorkflow(
			'members',
			setMiroOptions(addMembersWorkflow(ids, team.id, CREDENTIAL_ID), SCALED_NODE_OPTIONS),
		);
		const warm = warmup(
			emulator,
			'members',
			setMiroOptions(
				addMembersWorkflow(ids.slice(0, WARMUP_ITEMS), team.id, CREDENTIAL_ID),
				SCALED_NODE_OPTIONS,
			),
		);
		const outcome = await runWorker(
			{
				kind: 'workflow',
				workflowFile,
				credentials: credentials(emulator.url),
				report: [{ node: 'Add to team' }],
				warmup: warm,
			},
			BOUND.members,
		);
		fs.rmSync(workflowFile, { force: true });
		fs.rmSync(warm.workflowFile, { force: true });
		const log = summarizeLog(await emulator.log(), WINDOW_MS);
		const after = await emulator.state();
		const members = new Set(
			(after.groups.find((g) => g.id === team.id)?.members ?? []).map((m) => m.value),
		);
		const allIn = ids.filter((id) => members.has(id)).length;
		const patches =
			callsOf(log, 'PATCH /Groups/{id} (body > 500 bytes)') +
			callsOf(log, 'PATCH /Groups/{id} (body <= 500 bytes)');
		const minimum = Math.ceil(ids.length / 8000);
		const result = outcome.result;
		const last = result.ok ? result.nodes['Add to team'] : undefined;
		const failed = ids.length - (last ? last.items - last.errorItems : 0);
		const wallMs = result.ok ? result.wallMs : outcome.processMs;
		const nodeMs = result.ok ? (result.nodeMs['Add to team'] ?? 0) : 0;
		const floorMs = rateFloorMs({ 'PATCH /Groups/{id} (body > 500 bytes)': minimum }, WINDOW_MS);
		rows.push({
			scenario: `3. Add ${int(ids.length)} existing users to one team (Miro SCIM updateMembers, ${int(ids.length)} items)`,
			wall: `${ms(wallMs)} (node ${ms(nodeMs)})`,
			reference: `floor ${ms(floorMs)} (${minimum} PATCHes fit one window)`,
			calls: `${int(log.total)}; PATCH /Groups: ${patches} (min ${minimum})`,
			errors: errorsCell(log),
			failed: `${int(failed)} / ${int(ids.length)}`,
			duplicates: '-',
			verified: `team has ${int(members.size)} members, ${int(allIn)} / ${int(ids.length)} of the users`,
			memory: memoryCell(result),
			targets: [
				`PATCHes = ${minimum} ${verdict(patches === minimum)}`,
				`all ${int(ids.length)} in team ${verdict(allIn === ids.length)}`,
			].join('<br>'),
		});
		notes.push(`- 3. Members: requests ${describeLog(log)}.`);
		failureNote('3. Members', outcome);
	} finally {
		await emulator.stop();
	}
}
