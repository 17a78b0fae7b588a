/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * Scenario 4: Get Many over 100,000 users.
 */
import fs from 'node:fs';

import { describeLog, errorsCell, rateFloorMs, summarizeLog } from '../lib/log';
import { runWorker, startBenchEmulator } from '../lib/processes';
import { failureNote, int, memoryCell, ms, notes, rows, verdict } from '../lib/report';
import { getAllUsersWorkflow, setMiroOptions } from '../lib/workflows';
import {
	BOUND,
	CREDENTIAL_ID,
	credentials,
	LIST_USERS,
	SCALED_NODE_OPTIONS,
	TIME_SCALE,
	warmup,
	WINDOW_MS,
	writeWorkflow,
} from './common';

export async function listAll(): Promise<void> {
	const emulator = await startBenchEmulator([
		'--time-scale',
		String(TIME_SCALE),
		'--seed-users',
		String(LIST_USERS),
	]);
	try {
		const counts = await emulator.counts();
		const build = () => setMiroOptions(getAllUsersWorkflow(CREDENTIAL_ID), SCALED_NODE_OPTIONS);
		const workflowFile = writeWorkflow('list', build());
		const warm = warmup(emulator, 'list', build());
		const outcome = await runWorker(
			{
				kind: 'workflow',
				workflowFile,
				credentials: credentials(emulator.url),
				report: [{ node: 'Get many users', uniqueField: 'id' }],
				warmup: warm,
			},
			BOUND.list,
		);
		fs.rmSync(workflowFile, { force: true });
		fs.rmSync(warm.workflowFile, { force: true });
		const log = summarizeLog(await emulator.log(), WINDOW_MS);
		const result = outcome.result;
		const summary = result.ok ? result.nodes['Get many users'] : undefined;
		const items = summary?.items ?? 0;
		const wallMs = result.ok ? result.wallMs : outcome.processMs;
		const nodeMs = result.ok ? (result.nodeMs['Get many users'] ?? 0) : 0;
		const pages = Math.ceil(counts.users / 1000);
		rows.push({
			scenario: `4. Get Many over ${int(LIST_USERS)} users (user getAll, Return All)`,
			wall: `${ms(wallMs)} (node ${ms(nodeMs)})`,
			reference: `${(nodeMs / (items / 1000 || 1)).toFixed(1)} ms per 1,000 users (node); floor ${ms(rateFloorMs({ 'GET /Users': pages }, WINDOW_MS))}`,
			calls: `${int(log.total)} (min ${pages} pages of 1,000)`,
			errors: errorsCell(log),
			failed: summary?.nodeError ? 'node failed' : '0',
			duplicates: `${int(items - (summary?.unique ?? 0))} repeated ids`,
			verified: `${int(items)} items, ${int(summary?.unique ?? 0)} distinct ids; emulator holds ${int(counts.users)} (${int(LIST_USERS)} + admin)`,
			memory: memoryCell(result),
			targets: `all ${int(counts.users)} returned ${verdict(items === counts.users && summary?.unique === counts.users)}`,
		});
		notes.push(`- 4. Get Many: requests ${describeLog(log)}.`);
		failureNote('4. Get Many', outcome);
	} finally {
		await emulator.stop();
	}
}
