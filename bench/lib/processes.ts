/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * The bench's child processes: the emulator (its CLI) and the measured workers. Every child is
 * tracked by pid and ended by pid: on completion, on its time bound, and when the bench exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import type { EmulatorState, LogEntry, TaskInput, WorkerResult } from './types';

export const ROOT = path.resolve(__dirname, '..', '..');
export const TMP = path.join(ROOT, 'bench', '.tmp');
export const EMULATOR_TOKEN = 'emulator-token';

const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
	children.add(child);
	child.once('exit', () => children.delete(child));
	return child;
}

/** Ends every child still running; called on the way out, whatever the way. */
export function killAll(): void {
	for (const child of children) {
		if (child.exitCode === null && child.signalCode === null && child.pid) {
			try {
				process.kill(child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}
	}
	children.clear();
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), timeoutMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}

async function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
	child.kill('SIGTERM');
	if (!(await exited(child, 5_000))) {
		child.kill('SIGKILL');
		await exited(child, 5_000);
	}
}

function tsxProcess(args: string[]): ChildProcess {
	return track(
		spawn(process.execPath, ['--import', 'tsx', ...args], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, NODE_ENV: 'production' },
		}),
	);
}

export class EmulatorProcess {
	private constructor(
		private readonly child: ChildProcess,
		/** SCIM base URL */
		readonly url: string,
		readonly origin: string,
	) {}

	/** Starts `test/emulator/cli.ts` on a random free port of 127.0.0.1. */
	static async start(flags: string[], startTimeoutMs = 60_000): Promise<EmulatorProcess> {
		const child = tsxProcess([
			'test/emulator/cli.ts',
			'--host',
			'127.0.0.1',
			'--port',
			'0',
			'--token',
			EMULATOR_TOKEN,
			...flags,
		]);
		let output = '';
		let errors = '';
		child.stderr?.on('data', (chunk: Buffer) => {
			errors = (errors + chunk.toString()).slice(-4000);
		});
		const url = await new Promise<string>((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new Error('emulator did not start in time')),
				startTimeoutMs,
			);
			child.stdout?.on('data', (chunk: Buffer) => {
				output += chunk.toString();
				const match = /SCIM base URL\s+(\S+)/.exec(output);
				if (match) {
					clearTimeout(timer);
					resolve(match[1]);
				}
			});
			child.once('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`emulator exited (${code}) before starting: ${errors}`));
			});
		}).catch(async (error: Error) => {
			await stop(child);
			throw error;
		});
		child.stdout?.resume();
		const parsed = new URL(url);
		if (parsed.hostname !== '127.0.0.1') {
			await stop(child);
			throw new Error(`emulator listens on ${parsed.hostname}, not 127.0.0.1`);
		}
		return new EmulatorProcess(child, url, parsed.origin);
	}

	private async inspect<T>(route: string): Promise<T> {
		const response = await fetch(`${this.origin}/_emulator/${route}`, {
			signal: AbortSignal.timeout(60_000),
		});
		if (!response.ok) throw new Error(`GET /_emulator/${route}: ${response.status}`);
		return (await response.json()) as T;
	}

	log(): Promise<LogEntry[]> {
		return this.inspect<LogEntry[]>('log');
	}

	state(): Promise<EmulatorState> {
		return this.inspect<EmulatorState>('state');
	}

	counts(): Promise<EmulatorState['counts']> {
		return this.inspect<{ counts: EmulatorState['counts'] }>('state?summary=true').then(
			(body) => body.counts,
		);
	}

	stop(): Promise<void> {
		return stop(this.child);
	}
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
		child.kill('SIGKILL');
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
