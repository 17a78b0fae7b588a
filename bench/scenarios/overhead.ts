/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * Row 5: the node's CPU cost against a minimal n8n node doing the same requests (one expression
 * and httpRequestWithAuthentication per item, nothing else): what the node's own work (checks,
 * pacing, retry bookkeeping, output shaping) adds to what any n8n node pays.
 */
import fs from 'node:fs';

import { describeLog, errorsCell, summarizeLog } from '../lib/log';
import { runWorker, startBenchEmulator } from '../lib/processes';
import {
	failureNote,
	int,
	median,
	memoryCell,
	ms,
	notes,
	ratio,
	rows,
	verdict,
} from '../lib/report';
import { getUserByIdWorkflow, plainGetUserWorkflow, setMiroOptions } from '../lib/workflows';
import {
	BOUND,
	CREDENTIAL_ID,
	credentials,
	GET_BY_ID_USERS,
	OVERHEAD_ROUNDS,
	WARMUP_ITEMS,
	warmup,
	WINDOW_MS,
	writeWorkflow,
} from './common';

/** The target: the node's CPU at most this multiple of the minimal node's. */
const CPU_TARGET = 1.2;

export async function overhead(): Promise<void> {
	const emulator = await startBenchEmulator([
		'--no-rate-limit',
		'--seed-users',
		String(GET_BY_ID_USERS),
	]);
	const files: string[] = [];
	try {
		const state = await emulator.state();
		const ids = state.users.filter((u) => /^user\d+@/.test(u.userName)).map((u) => u.id);
		// No limits to respect on this emulator: pacing off; concurrency 5 on every side.
		const options = { concurrency: 5, pacing: 'off' };
		const builders = {
			node: getUserByIdWorkflow,
			n8n: plainGetUserWorkflow,
		};
		const tasks = Object.fromEntries(
			Object.entries(builders).map(([side, build]) => {
				const workflowFile = writeWorkflow(
					`get-${side}`,
					setMiroOptions(build(ids, CREDENTIAL_ID), options),
				);
				const warm = warmup(
					emulator,
					`get-${side}`,
					setMiroOptions(build(ids.slice(0, WARMUP_ITEMS), CREDENTIAL_ID), options),
				);
				files.push(workflowFile, warm.workflowFile);
				return [
					side,
					{
						kind: 'workflow' as const,
						workflowFile,
						credentials: credentials(emulator.url),
						report: [{ node: 'Get user' }],
						warmup: warm,
					},
				];
			}),
		);
		type Side = 'node' | 'n8n';
		const times: Record<Side, number[]> = { node: [], n8n: [] };
		const cpu: Record<Side, number[]> = { node: [], n8n: [] };
		const memories: string[] = [];
		let failures = 0;
		for (let round = 1; round <= OVERHEAD_ROUNDS; round++) {
			for (const side of ['node', 'n8n'] as const) {
				const outcome = await runWorker(tasks[side], BOUND.get);
				const result = outcome.result;
				failureNote(`5. CPU cost round ${round} (${side})`, outcome);
				if (!result.ok) {
					failures += ids.length;
					continue;
				}
				const summary = result.nodes['Get user'];
				failures += ids.length - (summary ? summary.items - summary.errorItems : 0);
				if (summary?.firstError) notes.push(`- 5. round ${round} ${side}: ${summary.firstError}`);
				times[side].push(result.nodeMs['Get user'] ?? NaN);
				cpu[side].push(result.cpuMs);
				if (side === 'node') memories.push(memoryCell(result));
			}
		}
		const log = summarizeLog(await emulator.log(), WINDOW_MS);
		const wall = { node: median(times.node), n8n: median(times.n8n) };
		const used = { node: median(cpu.node), n8n: median(cpu.n8n) };
		const cpuRatio = used.node / used.n8n;
		const complete = times.node.length === OVERHEAD_ROUNDS && times.n8n.length === OVERHEAD_ROUNDS;
		rows.push({
			scenario: `5. CPU cost: user get by ID x ${int(ids.length)}, no rate limits, concurrency 5, Miro SCIM node vs a minimal n8n node making the same requests (median of ${OVERHEAD_ROUNDS}, interleaved)`,
			wall: `node ${ms(wall.node)} vs ${ms(wall.n8n)}<br>CPU ${ms(used.node)} vs ${ms(used.n8n)}`,
			reference: `CPU ${ratio(cpuRatio)}, wall ${ratio(wall.node / wall.n8n)}`,
			calls: `${int(log.total)} (${OVERHEAD_ROUNDS} rounds x 2 sides x ${int(ids.length)})`,
			errors: errorsCell(log),
			failed: `${int(failures)}`,
			duplicates: '-',
			verified: failures === 0 ? 'every answer 200' : `${int(failures)} failed`,
			memory: `node: ${memories[Math.floor(memories.length / 2)] ?? 'n/a'}`,
			targets: `CPU <= ${CPU_TARGET}x the minimal node ${verdict(complete && failures === 0 && cpuRatio <= CPU_TARGET)}`,
		});
		const perRound = (side: Side) =>
			`${times[side].map(ms).join(', ')} (CPU ${cpu[side].map(ms).join(', ')})`;
		notes.push(
			`- 5. CPU cost, per round: Miro SCIM node (its execution time) ${perRound('node')}; minimal n8n node (bench/lib/plainNode.ts) ${perRound('n8n')}. CPU is the whole worker process's (user + system) over the workflow run. Requests ${describeLog(log)}.`,
		);
	} finally {
		for (const file of files) fs.rmSync(file, { force: true });
		await emulator.stop();
	}
}
