// @ts-check
// The end-to-end scenario shared by demo.mjs (`npm run demo`) and e2e.test.mjs
// (`npm run test:e2e`): the real n8n 2.41.1 from test/e2e/node_modules, our package
// installed from its `npm pack` tarball, the Miro SCIM emulator as a separate process,
// and the template workflows from workflows/ imported exactly as a user imports them.
//
//   const sc = await startScenario({ log: console.log });
//   try {
//     const run = await sc.run('onboarding');   // n8n execute + the emulator's state and log
//     checkOnboarding(run);                     // throws an AssertionError on any difference
//   } finally {
//     await sc.cleanup();                       // kills the emulator and n8n, deletes the temp dirs
//   }
//
// Plain ESM, no dependencies, Node 20 or 24. Everything listens on 127.0.0.1 only and
// every wait is bounded.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startEmulator as startEmulatorProcess } from '../helpers/emulator.mjs';
import { killOurChildren, tail } from '../helpers/processes.mjs';
import { formatBytes, formatDuration, formatSeconds } from './format.mjs';
import {
	createN8nHome,
	executeWorkflow,
	importCredential,
	importWorkflow,
	installPackage,
} from './n8n.mjs';
import { buildPackage, harnessInstalled, packPackage, runSetup } from './package.mjs';
import { CREDENTIAL, DEFAULT_TIME_SCALE, loadWorkflow, WORKFLOWS } from './templates.mjs';

// The scenario's pieces live in modules by concern; their names stay importable from here.
export * from './checks.mjs';
export * from './format.mjs';
export * from './package.mjs';
export * from './templates.mjs';
export { killOurChildren, runCommand, sleep, tail } from '../helpers/processes.mjs';

export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(E2E_DIR, '..', '..');

const MINUTE = 60_000;

/**
 * @typedef {object} ScenarioRun one workflow run
 * @property {import('./templates.mjs').WorkflowKey} key
 * @property {import('./n8n.mjs').ExecuteResult} result
 * @property {import('./checks.mjs').EmulatorState} state  the emulator's state after the run
 * @property {import('./checks.mjs').LogEntry[]} log  the emulator's request log of the run
 * @property {number} durationMs
 */
/**
 * @typedef {object} Scenario
 * @property {string} token
 * @property {import('../helpers/emulator.mjs').EmulatorHandle<import('./checks.mjs').EmulatorState, import('./checks.mjs').LogEntry>} emulator  set by start()
 * @property {import('./n8n.mjs').N8nHome} home  set by start()
 * @property {Awaited<ReturnType<typeof packPackage>>} pack  set by start()
 * @property {string | undefined} tmpDir
 * @property {ScenarioRun[]} runs
 * @property {() => Promise<void>} start
 * @property {() => Promise<void>} cleanup
 * @property {(key: import('./templates.mjs').WorkflowKey) => Promise<ScenarioRun>} run
 */

/**
 * Start the emulator's CLI on a random port of 127.0.0.1 (test/helpers/emulator.mjs), by
 * default at the scenario's time scale. Returns a handle with the inspection routes.
 * @param {Parameters<typeof startEmulatorProcess>[0]} [options]
 */
export function startEmulator({ timeScale = DEFAULT_TIME_SCALE, ...options } = {}) {
	return startEmulatorProcess({ timeScale, ...options });
}

/**
 * Everything up to the first workflow run: setup.sh, build, pack, emulator, n8n home, package,
 * credential, the three workflows. `log` receives progress lines meant for people, `step` the
 * title of each stage.
 *
 * @returns {Promise<Scenario>} { emulator, home, pack, token, run(key), runs, cleanup() }
 * @param {Parameters<typeof createScenario>[0]} [options]
 */
export async function startScenario(options) {
	const scenario = createScenario(options);
	await scenario.start();
	return scenario;
}

/**
 * The scenario before it starts: register `scenario.cleanup` (e.g. with cleanupOnSignals)
 * first, then `await scenario.start()`.
 * @param {{ log?: (line: string) => void, step?: (title: string) => void, timeScale?: number }} [options]
 */
export function createScenario({
	log = () => {},
	step = (title) => log(title),
	timeScale = DEFAULT_TIME_SCALE,
} = {}) {
	/** @type {<T>(fn: () => Promise<T>) => Promise<[T, number]>} */
	const timed = async (fn) => {
		const started = Date.now();
		const value = await fn();
		return [value, Date.now() - started];
	};
	// emulator, home and pack are set by start(): the type describes the started scenario
	const scenario = /** @type {Scenario} */ (
		/** @type {unknown} */ ({
			token: `miro-e2e-${randomBytes(16).toString('hex')}`,
			emulator: undefined,
			home: undefined,
			pack: undefined,
			tmpDir: undefined,
			/** every workflow run: { key, result, state, log } */
			runs: [],
		})
	);
	/** @type {Promise<void> | undefined} */
	let cleaning;
	scenario.cleanup = () =>
		(cleaning ??= (async () => {
			/** @type {unknown[]} */
			const problems = [];
			/** @param {() => Promise<unknown>} fn */
			const attempt = async (fn) => {
				try {
					await fn();
				} catch (error) {
					problems.push(error);
				}
			};
			await attempt(async () => scenario.emulator?.stop());
			await attempt(async () => scenario.home?.cleanup());
			killOurChildren();
			await attempt(async () => {
				if (scenario.tmpDir) await fs.rm(scenario.tmpDir, { recursive: true, force: true });
			});
			if (problems.length > 0) throw problems[0];
		})());

	scenario.start = async () => {
		try {
			// 1. n8n itself
			step('n8n test install (test/e2e/node_modules)');
			if (!harnessInstalled()) {
				log('  First run: installing n8n 2.41.1 and Node 24 into test/e2e/node_modules.');
				log('  That is about 3 GB and takes 6-13 minutes (npm ci, then building sqlite3);');
				log('  later runs skip it and take seconds.');
			}
			const [, setupMs] = await timed(() => runSetup({ log }));
			log(`  ready (${formatDuration(setupMs)})`);

			// 2. the package
			step('Build and pack the Miro SCIM node');
			const [, buildMs] = await timed(() => buildPackage());
			log(`  npm run build     ok (${formatDuration(buildMs)})`);
			const tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'miro-scim-e2e-'));
			scenario.tmpDir = tmpDir;
			const [pack, packMs] = await timed(() => packPackage(tmpDir));
			scenario.pack = pack;
			log(
				`  npm pack          ${path.basename(pack.tarball)} (${formatBytes(pack.size)}, ${pack.files.length} files, ${formatDuration(packMs)})`,
			);

			// 3. the emulator
			step('Start the Miro SCIM emulator');
			// Contract mode: every request n8n sends and every answer is held to Miro's description.
			scenario.emulator = await startEmulator({ token: scenario.token, timeScale, contract: true });
			log(`  ${scenario.emulator.url}`);
			log(
				`  Miro's rate limits on, with ${formatSeconds(30 * timeScale)} windows instead of 30 s; the node still paces by 30 s`,
			);

			// 4. n8n home, package, credential, workflows
			step('Set up a fresh n8n');
			scenario.home = await createN8nHome();
			log(`  home              ${scenario.home.dir} (deleted at the end)`);
			const installed = await installPackage(scenario.home, pack.tarball);
			log(
				`  community package ${installed.name}@${installed.version} in ${path.relative(scenario.home.dir, installed.dir)}`,
			);
			log('  credential        importing (the first n8n command creates its database: ~20-30 s)');
			const [, credMs] = await timed(() =>
				importCredential(scenario.home, {
					...CREDENTIAL,
					data: { token: scenario.emulator.token, baseUrl: scenario.emulator.url },
				}),
			);
			log(
				`                    "${CREDENTIAL.name}" (${CREDENTIAL.type}, id ${CREDENTIAL.id}) -> the emulator (${formatDuration(credMs)})`,
			);
			const keys = /** @type {Array<keyof typeof WORKFLOWS>} */ (Object.keys(WORKFLOWS));
			const workflows = await Promise.all(keys.map((key) => loadWorkflow(key)));
			const [, wfMs] = await timed(() => importWorkflow(scenario.home, workflows));
			log(
				`  workflows         ${Object.values(WORKFLOWS)
					.map((w) => w.file)
					.join(', ')} (${formatDuration(wfMs)})`,
			);
		} catch (error) {
			await scenario.cleanup().catch(() => {});
			throw error;
		}
	};

	/**
	 * `n8n execute` one template; returns { key, result, state, log, durationMs }. Throws if n8n
	 * printed no run or the run failed (with the node's error).
	 */
	scenario.run = async (key) => {
		const spec = WORKFLOWS[key];
		if (!spec) throw new Error(`no workflow ${key}`);
		await scenario.emulator.clearLog();
		const result = await executeWorkflow(scenario.home, spec.id, { timeoutMs: 3 * MINUTE });
		const [state, requestLog] = await Promise.all([
			scenario.emulator.state(),
			scenario.emulator.log(),
		]);
		const run = { key, result, state, log: requestLog, durationMs: result.durationMs };
		scenario.runs.push(run);
		if (!result.ok) throw new Error(describeRunError(spec, result));
		return run;
	};
	return scenario;
}

/**
 * A readable message for a failed execution: the failing node, its message and Miro's detail.
 * @param {{ title: string, file: string }} spec
 * @param {import('./n8n.mjs').ExecuteResult} result
 */
export function describeRunError(spec, result) {
	const error = result.error ?? {};
	const node = error.node?.name ?? result.lastNodeExecuted;
	const lines = [`${spec.title} (${spec.file}) failed in n8n: status ${result.status}`];
	if (node) lines.push(`  node:        ${node}`);
	if (error.message) lines.push(`  message:     ${error.message}`);
	if (error.description) lines.push(`  description: ${error.description}`);
	if (error.httpCode) lines.push(`  HTTP status: ${error.httpCode}`);
	if (!error.message) lines.push(tail(`${result.stdout}\n${result.stderr}`, 20));
	return lines.join('\n');
}

/**
 * A test file's scenario: progress lines on stderr (node --test shows a test file's stderr as
 * `# ` comments), steps as `== title`, and cleanup on Ctrl+C / SIGTERM.
 */
export function testScenario() {
	/** @param {string} [line] */
	const progress = (line = '') => process.stderr.write(`${line}\n`);
	const scenario = createScenario({ log: progress, step: (title) => progress(`== ${title}`) });
	const removeSignalHandlers = cleanupOnSignals(() => scenario.cleanup());
	return { progress, scenario, removeSignalHandlers };
}

/**
 * On Ctrl+C or SIGTERM: stop n8n and the emulator, delete the temp folders, exit 130/143.
 * `cleanup` is awaited (bounded to 20 s). Returns a function that removes the handlers.
 * @param {() => Promise<unknown>} cleanup
 * @param {{ log?: (line: string) => void }} [options]
 */
export function cleanupOnSignals(cleanup, { log = (m) => process.stderr.write(`${m}\n`) } = {}) {
	let stopping = false;
	/** @param {NodeJS.Signals} signal */
	const handler = (signal) => {
		if (stopping) {
			killOurChildren();
			process.exit(signal === 'SIGINT' ? 130 : 143);
		}
		stopping = true;
		log(`\n${signal}: stopping n8n and the emulator, deleting the temp folders...`);
		killOurChildren();
		const force = setTimeout(() => process.exit(1), 20_000);
		force.unref();
		Promise.resolve()
			.then(cleanup)
			.catch(() => {})
			.finally(() => {
				killOurChildren();
				process.exit(signal === 'SIGINT' ? 130 : 143);
			});
	};
	process.on('SIGINT', handler);
	process.on('SIGTERM', handler);
	return () => {
		process.off('SIGINT', handler);
		process.off('SIGTERM', handler);
	};
}
