// @ts-check
// The one way the benchmarks, the end-to-end tests and the demo start the Miro SCIM emulator as
// a separate process: its CLI (test/emulator/cli.ts) through tsx, on a random port of
// 127.0.0.1, tracked and stopped like every other child (processes.mjs).
// Callers see the types in emulator.d.mts; the JSDoc below holds this file to them.

import { existsSync } from 'node:fs';
import path from 'node:path';

import { ROOT, sleep, spawnTracked, stopChild, tail } from './processes.mjs';

/**
 * Starts the emulator and waits until it prints its URL and token. `timeScale` shrinks Miro's
 * 30 s rate-limit windows; `flags` are further CLI flags (`--seed-users 1000`, faults, ...).
 * Returns a handle with the inspection routes (never logged, never rate limited).
 * @param {Parameters<typeof import('./emulator.mjs').startEmulator>[0]} [options]
 * @returns {Promise<import('./emulator.mjs').EmulatorHandle<any, any>>}
 */
export async function startEmulator({
	token,
	timeScale,
	groupModel,
	contract = false,
	flags = [],
	env = process.env,
	timeoutMs = 60_000,
} = {}) {
	if (!existsSync(path.join(ROOT, 'node_modules', 'tsx'))) {
		throw new Error('The project is not installed: run `npm ci` in the repository root first.');
	}
	const args = ['--import', 'tsx', 'test/emulator/cli.ts', '--host', '127.0.0.1', '--port', '0'];
	if (timeScale !== undefined) args.push('--time-scale', String(timeScale));
	if (groupModel) args.push('--group-model', groupModel);
	if (token) args.push('--token', token);
	if (contract) args.push('--contract');
	const child = spawnTracked(process.execPath, [...args, ...flags], { env });
	let output = '';
	/** @type {object | null} */
	let exit = null;
	child.on('error', (error) => {
		output += `\n${error.message}`;
		exit = { error: error.message };
	});
	child.on('close', (code, signal) => (exit = { code, signal }));
	child.stdout?.setEncoding('utf8').on('data', (data) => (output += data));
	// stderr is kept to its tail: a long run must not grow memory with warnings.
	child.stderr?.setEncoding('utf8').on('data', (data) => (output = (output + data).slice(-8000)));
	const stop = () => stopChild(child);

	const deadline = Date.now() + timeoutMs;
	let url;
	let printedToken;
	for (;;) {
		url = /SCIM base URL\s+(\S+)/.exec(output)?.[1];
		printedToken = /Bearer token\s+(\S+)/.exec(output)?.[1];
		if (url && printedToken) break;
		if (exit || Date.now() > deadline) {
			await stop();
			throw new Error(
				`The emulator did not start (${exit ? `exited ${JSON.stringify(exit)}` : 'timed out'}):\n${tail(output)}`,
			);
		}
		await sleep(50);
	}
	const { origin, hostname } = new URL(url);
	if (hostname !== '127.0.0.1') {
		await stop();
		throw new Error(`The emulator listens on ${hostname}, not 127.0.0.1`);
	}
	/** @type {(method: string, route: string, body?: unknown) => Promise<any>} */
	const inspect = async (method, route, body) => {
		const response = await fetch(`${origin}/_emulator/${route}`, {
			method,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		if (!response.ok) throw new Error(`${method} /_emulator/${route}: HTTP ${response.status}`);
		return response.status === 204 ? undefined : await response.json();
	};
	return {
		url,
		origin,
		token: printedToken,
		timeScale,
		pid: child.pid,
		output: () => output,
		state: () => inspect('GET', 'state'),
		counts: async () => (await inspect('GET', 'state?summary=true')).counts,
		log: () => inspect('GET', 'log'),
		/** with `contract`: requests and answers that departed from Miro's description */
		contractViolations: async () => (await inspect('GET', 'contract')).violations,
		clearLog: () => inspect('DELETE', 'log'),
		/** back to the seeded state; `{ groupModel: 'user-group' }` switches Miro's group model */
		reset: (options) => inspect('POST', 'reset', options),
		stop,
	};
}
