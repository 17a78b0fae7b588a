/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * Scenario 5: the node's overhead against a minimal n8n node and a plain axios loop.
 */
import fs from 'node:fs';
import path from 'node:path';

import { describeLog, errorsCell, summarizeLog } from '../lib/log';
import { EMULATOR_TOKEN, runWorker, startBenchEmulator, TMP } from '../lib/processes';
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
	warmupUrl,
	WINDOW_MS,
	writeWorkflow,
} from './common';

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
		const idsFile = path.join(TMP, `${process.pid}-ids.json`);
		fs.writeFileSync(idsFile, JSON.stringify(ids));
		files.push(idsFile);
		// No limits to respect on this emulator: pacing off; concurrency 5 on every side.
		const options = { concurrency: 5, pacing: false };
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
		type Side = 'node' | 'n8n' | 'axios' | 'axiosNoKeepAlive';
		const times: Record<Side, number[]> = { node: [], n8n: [], axios: [], axiosNoKeepAlive: [] };
		const cpu: Record<Side, number[]> = { node: [], n8n: [], axios: [], axiosNoKeepAlive: [] };
		const memories: string[] = [];
		let failures = 0;
		for (let round = 1; round <= OVERHEAD_ROUNDS; round++) {
			for (const side of ['node', 'n8n', 'axios', 'axiosNoKeepAlive'] as const) {
				const plain = side === 'axios' || side === 'axiosNoKeepAlive';
				const outcome = await runWorker(
					plain
						? {
								kind: 'axios',
								baseUrl: emulator.url,
								token: EMULATOR_TOKEN,
								idsFile,
								concurrency: 5,
								newConnectionPerRequest: side === 'axiosNoKeepAlive',
								warmupUrl: warmupUrl(emulator),
							}
						: tasks[side],
					BOUND.get,
				);
				const result = outcome.result;
				failureNote(`5. Overhead round ${round} (${side})`, outcome);
				if (!result.ok) {
					failures += ids.length;
					continue;
				}
				const summary = result.nodes[plain ? 'axios' : 'Get user'];
				failures += ids.length - (summary ? summary.items - summary.errorItems : 0);
				if (summary?.firstError) notes.push(`- 5. round ${round} ${side}: ${summary.firstError}`);
				times[side].push(plain ? result.wallMs : (result.nodeMs['Get user'] ?? NaN));
				cpu[side].push(result.cpuMs);
				if (side === 'node') memories.push(memoryCell(result));
			}
		}
		const log = summarizeLog(await emulator.log(), WINDOW_MS);
		const sides = ['node', 'n8n', 'axios', 'axiosNoKeepAlive'] as const;
		const wall = Object.fromEntries(sides.map((side) => [side, median(times[side])])) as Record<
			Side,
			number
		>;
		const used = Object.fromEntries(sides.map((side) => [side, median(cpu[side])])) as Record<
			Side,
			number
		>;
		const vsAxios = (side: Side) =>
			`${ratio(wall[side] / wall.axios)} (CPU ${ratio(used[side] / used.axios)})`;
		const overheadRatio = wall.node / wall.axios;
		const complete = Object.values(times).every((list) => list.length === OVERHEAD_ROUNDS);
		rows.push({
			scenario: `5. Node overhead: user get by ID x ${int(ids.length)}, no rate limits, concurrency 5 (median of ${OVERHEAD_ROUNDS}, interleaved)`,
			wall: `node ${ms(wall.node)} vs axios ${ms(wall.axios)}<br>CPU ${ms(used.node)} vs ${ms(used.axios)}`,
			reference: `ratio ${vsAxios('node')}. Same job vs axios: minimal n8n node ${vsAxios('n8n')}; axios with a new connection per request ${vsAxios('axiosNoKeepAlive')}`,
			calls: `${int(log.total)} (${OVERHEAD_ROUNDS} rounds x ${sides.length} sides x ${int(ids.length)})`,
			errors: errorsCell(log),
			failed: `${int(failures)}`,
			duplicates: '-',
			verified: failures === 0 ? 'every answer 200' : `${int(failures)} failed`,
			memory: `node: ${memories[Math.floor(memories.length / 2)] ?? 'n/a'}`,
			targets: `ratio <= 1.5 ${verdict(complete && failures === 0 && overheadRatio <= 1.5)}`,
		});
		const perRound = (side: Side) =>
			`${times[side].map(ms).join(', ')} (CPU ${cpu[side].map(ms).join(', ')})`;
		notes.push(
			`- 5. Overhead, per round: Miro SCIM node (its execution time) ${perRound('node')}; minimal n8n node (bench/lib/plainNode.ts: one expression + httpRequestWithAuthentication per item, nothing else) ${perRound('n8n')}; axios loop ${perRound('axios')}; axios loop with a new connection per request ${perRound('axiosNoKeepAlive')}. Miro SCIM node / minimal n8n node: ${ratio(wall.node / wall.n8n)} wall, ${ratio(used.node / used.n8n)} CPU. Requests ${describeLog(log)}.`,
		);
	} finally {
		for (const file of files) fs.rmSync(file, { force: true });
		await emulator.stop();
	}
}
