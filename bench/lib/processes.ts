/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * The bench's child processes: the emulator (its CLI) and the measured workers, started and ended
 * through test/helpers/processes.mjs (by pid, on completion, on a time bound, and on exit).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { startEmulator } from '../../test/helpers/emulator.mjs';
import type { EmulatorHandle } from '../../test/helpers/emulator.mjs';
import {
	exited,
	killGroup,
	killOurChildren,
	ROOT,
	spawnTracked,
} from '../../test/helpers/processes.mjs';
import type { EmulatorState, LogEntry, TaskInput, WorkerResult } from './types';

export { ROOT };
export const TMP = path.join(ROOT, 'bench', '.tmp');
export const EMULATOR_TOKEN = 'emulator-token';

/** Ends every child still running; called on the way out, whatever the way. */
export const killAll = killOurChildren;

function tsxProcess(args: string[]): ChildProcess {
	return spawnTracked(process.execPath, ['--import', 'tsx', ...args], {
		env: { ...process.env, NODE_ENV: 'production' },
	});
}

export type EmulatorProcess = EmulatorHandle<EmulatorState, LogEntry>;

/** Starts `test/emulator/cli.ts` on a random free port of 127.0.0.1 with the bench's token. */
export function startBenchEmulator(flags: string[]): Promise<EmulatorProcess> {
	return startEmulator<EmulatorState, LogEntry>({
		token: EMULATOR_TOKEN,
		flags,
		env: { ...process.env, NODE_ENV: 'production' },
	});
}

export interface WorkerOutcome {
	result: WorkerResult;
	timedOut: boolean;
	/** the child's own wall clock, process start to exit */
	processMs: number;
	stderr: string;
}

let taskCounter = 0;

/** Runs one task in `bench/worker.ts`, killed when it outlives `timeoutMs`. */
export async function runWorker(task: TaskInput, timeoutMs: number): Promise<WorkerOutcome> {
	const id = `${process.pid}-${++taskCounter}`;
	const resultFile = path.join(TMP, `result-${id}.json`);
	const taskFile = path.join(TMP, `task-${id}.json`);
	fs.writeFileSync(taskFile, JSON.stringify({ ...task, resultFile }));
	const started = performance.now();
	const child = tsxProcess(['bench/worker.ts', taskFile]);
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString()).slice(-4000);
	});
	child.stdout?.resume();
	const finished = await exited(child, timeoutMs);
	if (!finished) {
		killGroup(child.pid);
		await exited(child, 5_000);
	}
	const processMs = performance.now() - started;
	let result: WorkerResult;
	if (finished && fs.existsSync(resultFile)) {
		result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as WorkerResult;
	} else {
		result = {
			ok: false,
			failure: finished
				? `worker exited (${child.exitCode ?? child.signalCode}) without a result: ${stderr}`
				: `stopped after the ${Math.round(timeoutMs / 1000)} s time bound`,
		};
	}
	fs.rmSync(resultFile, { force: true });
	fs.rmSync(taskFile, { force: true });
	return { result, timedOut: !finished, processMs, stderr };
}
