import type { ChildProcess, SpawnOptions } from 'node:child_process';

export declare const ROOT: string;
export declare function sleep(ms: number): Promise<void>;
export declare function killGroup(pid: number | undefined, signal?: NodeJS.Signals): void;
export declare function spawnTracked(
	command: string,
	args: string[],
	options?: SpawnOptions,
): ChildProcess;
export declare function exited(child: ChildProcess, timeoutMs: number): Promise<boolean>;
export declare function stopChild(
	child: ChildProcess,
	options?: { graceMs?: number },
): Promise<void>;
export declare function killOurChildren(): void;

export interface CommandResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	output: string;
	timedOut: boolean;
	durationMs: number;
}
export declare function runCommand(
	command: string,
	args: string[],
	options: {
		cwd?: string;
		/** required: without it the command would be killed at once */
		timeoutMs: number;
		env?: NodeJS.ProcessEnv;
		onLine?: (line: string) => void;
	},
): Promise<CommandResult>;
export declare function stripAnsi(text: string): string;
export declare function tail(text: string, lines?: number): string;
