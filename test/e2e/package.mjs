// @ts-check
// Getting the package into n8n: the n8n install (setup.sh), `npm run build`, `npm pack`.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { formatDuration } from './format.mjs';
import { N8N_ENTRY, NODE24, NODE_MODULES } from './n8n.mjs';
import { ROOT, runCommand, stripAnsi, tail } from '../helpers/processes.mjs';

const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
const MINUTE = 60_000;

/**
 * @param {string} what
 * @param {import('../helpers/processes.mjs').CommandResult} result
 */
function commandError(what, result) {
	const why = result.timedOut
		? `timed out after ${formatDuration(result.durationMs)}`
		: `exit ${result.code}${result.signal ? `, signal ${result.signal}` : ''}`;
	return new Error(`${what} failed (${why}):\n${tail(result.output)}`);
}

/** True when setup.sh has installed n8n (it still checks native modules when run). */
export function harnessInstalled() {
	return (
		existsSync(NODE24) &&
		existsSync(N8N_ENTRY) &&
		existsSync(path.join(NODE_MODULES, 'sqlite3', 'build', 'Release', 'node_sqlite3.node'))
	);
}

/**
 * `bash test/e2e/setup.sh`: a no-op of a second or two once installed; on first use it
 * installs n8n and Node 24 (~3 GB) and builds sqlite3. Prints setup's own lines and, while
 * it is quiet, how long it has been running.
 * @param {{ log?: (line: string) => void, timeoutMs?: number }} [options]
 */
export async function runSetup({ log = () => {}, timeoutMs = 45 * MINUTE } = {}) {
	const started = Date.now();
	const ticker = setInterval(() => {
		log(`  ... still installing (${formatDuration(Date.now() - started)} so far)`);
	}, 30_000);
	try {
		const result = await runCommand('bash', [path.join(E2E_DIR, 'setup.sh')], {
			timeoutMs,
			onLine: (line) => {
				if (line.trim()) log(`  ${stripAnsi(line).replace(/^\[e2e setup\] /, '')}`);
			},
		});
		if (result.code !== 0) throw commandError('bash test/e2e/setup.sh', result);
		return result;
	} finally {
		clearInterval(ticker);
	}
}

/** `npm run build` at the root (its spinner output is kept only for an error message). */
export async function buildPackage({ timeoutMs = 10 * MINUTE } = {}) {
	if (!existsSync(path.join(ROOT, 'node_modules', '.bin', 'n8n-node'))) {
		throw new Error('The project is not installed: run `npm ci` in the repository root first.');
	}
	const result = await runCommand('npm', ['run', 'build'], {
		timeoutMs,
		env: { ...process.env, CI: 'true', NO_COLOR: '1' },
	});
	if (result.code !== 0) throw commandError('npm run build', result);
	return result;
}

/**
 * `npm pack` into `destDir`; returns { tarball, size, unpackedSize, files: [paths] }.
 * @param {string} destDir
 * @param {{ timeoutMs?: number }} [options]
 */
export async function packPackage(destDir, { timeoutMs = 5 * MINUTE } = {}) {
	const result = await runCommand(
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', destDir],
		{ timeoutMs },
	);
	if (result.code !== 0) throw commandError('npm pack', result);
	const json = result.output.slice(result.output.indexOf('['));
	const [info] = JSON.parse(json.slice(0, json.lastIndexOf(']') + 1));
	return {
		tarball: path.join(destDir, info.filename),
		size: info.size,
		unpackedSize: info.unpackedSize,
		files: info.files.map((/** @type {{ path: string }} */ file) => file.path),
	};
}
