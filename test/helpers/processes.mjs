// @ts-check
// Child processes of the benchmarks (bench/), the end-to-end tests and the demo (test/e2e/):
// each starts in its own process group, is tracked, and is ended by id (its group), when it is
// done, when it outlives its time bound, and on the way out. Nothing is ever killed by name.
//
// Plain ESM, no dependencies: imported by Node 20 scripts as is and by the TypeScript bench
// through tsx (types in processes.d.mts; the JSDoc below holds this file to them).

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Children we started (each leads its own process group). */
/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

/** @param {number} ms @returns {Promise<void>} */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Signals the process group `pid` leads, and `pid` itself should it lead none.
 * @param {number | undefined} pid
 * @param {NodeJS.Signals} [signal]
 */
export function killGroup(pid, signal = 'SIGKILL') {
	if (!pid) return;
	for (const target of [-pid, pid]) {
		try {
			process.kill(target, signal);
		} catch {
			/* already gone */
		}
	}
}

/**
 * `spawn` in a new process group, output piped, tracked until it exits.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 */
export function spawnTracked(command, args, options = {}) {
	const child = spawn(command, args, {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
		...options,
	});
	children.add(child);
	child.once('exit', () => children.delete(child));
	return child;
}

/** @param {import('node:child_process').ChildProcess} child */
const running = (child) => child.exitCode === null && child.signalCode === null;

/**
 * Resolves true once `child` has exited, false if it is still running after `timeoutMs`.
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} timeoutMs
 * @returns {Promise<boolean>}
 */
export function exited(child, timeoutMs) {
	if (!running(child)) return Promise.resolve(true);
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), timeoutMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}

/**
 * SIGTERM to the child's group, SIGKILL after `graceMs`; then the group is reaped anyway.
 * @param {import('node:child_process').ChildProcess} child
 * @param {{ graceMs?: number }} [options]
 */
export async function stopChild(child, { graceMs = 5_000 } = {}) {
	if (running(child) && child.pid) {
		killGroup(child.pid, 'SIGTERM');
		if (!(await exited(child, graceMs))) {
			killGroup(child.pid);
			await exited(child, 5_000);
		}
	}
	killGroup(child.pid);
	children.delete(child);
}

/**
 * Kills every process we started, by id: the ones tracked here, and direct children of this
 * process spawned elsewhere (each `n8n` command of test/e2e/n8n.mjs leads its own group).
 */
export function killOurChildren() {
	for (const child of children) killGroup(child.pid);
	children.clear();
	/** @type {string[]} */
	let entries = [];
	try {
		entries = readdirSync('/proc');
	} catch {
		return; // not Linux: each helper still kills its own group when its command ends
	}
	for (const entry of entries) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === process.pid) killGroup(Number(entry));
		} catch {
			/* exited meanwhile */
		}
	}
}

/**
 * Runs a command in its own process group with a time limit. Output is collected (and passed
 * line by line to `onLine`); never throws on a non-zero exit.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, timeoutMs: number, env?: NodeJS.ProcessEnv, onLine?: (line: string) => void }} options
 * @returns {Promise<import('./processes.mjs').CommandResult>}
 */
export async function runCommand(command, args, { cwd = ROOT, timeoutMs, env, onLine }) {
	const started = Date.now();
	const child = spawnTracked(command, args, { cwd, env: env ?? process.env });
	let output = '';
	let partial = '';
	/** @param {string} data */
	const onData = (data) => {
		output += data;
		if (!onLine) return;
		partial += data;
		const lines = partial.split(/\r?\n/);
		partial = lines.pop() ?? '';
		for (const line of lines) onLine(line);
	};
	child.stdout?.setEncoding('utf8').on('data', onData);
	child.stderr?.setEncoding('utf8').on('data', onData);
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		killGroup(child.pid);
	}, timeoutMs);
	/** @type {[number | null, NodeJS.Signals | null]} */
	const [code, signal] = await new Promise((resolve) => {
		child.on('error', (error) => {
			output += `\n${error.message}`;
			resolve([null, null]);
		});
		child.on('close', (c, s) => resolve([c, s]));
	});
	clearTimeout(timer);
	children.delete(child);
	killGroup(child.pid); // reap what the command left behind in its group
	if (onLine && partial) onLine(partial);
	return { code, signal, output, timedOut, durationMs: Date.now() - started };
}

/** @param {string} text */
export const stripAnsi = (text) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/**
 * The last lines of a command's output, without terminal control codes, for an error message.
 * @param {string} text
 */
export function tail(text, lines = 30) {
	return stripAnsi(text)
		.split(/\r?\n/)
		.filter((line) => line.trim() !== '')
		.slice(-lines)
		.join('\n');
}
