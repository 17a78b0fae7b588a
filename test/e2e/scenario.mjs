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

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	createN8nHome,
	executeWorkflow,
	importCredential,
	importWorkflow,
	installPackage,
	N8N_ENTRY,
	NODE24,
	NODE_MODULES,
} from './n8n.mjs';

export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(E2E_DIR, '..', '..');

export const PACKAGE_NAME = 'n8n-nodes-miro-scim';
export const NODE_TYPE = 'n8n-nodes-miro-scim.miroScim';
export const CREDENTIAL_TYPE = 'miroScimApi';
/** The credential the template workflows reference. */
export const CREDENTIAL = { id: 'miroScimDemo', name: 'Miro SCIM account', type: CREDENTIAL_TYPE };

/** The templates, in the order the scenario runs them. The ids are ours: the files have none. */
export const WORKFLOWS = {
	onboarding: {
		file: 'onboarding.json',
		id: 'MiroScimOnboard1',
		title: 'Onboarding',
		what: 'creates Ada, Grace and Alan (or finds them) and adds each to their team',
	},
	roleChange: {
		file: 'role-change.json',
		id: 'MiroScimRoleChg1',
		title: 'Role change',
		what: 'makes Alan an organization admin and moves him from g_app_proeng_all to g_app_itadmin_all',
	},
	offboarding: {
		file: 'offboarding.json',
		id: 'MiroScimOffboard',
		title: 'Offboarding',
		what: 'deactivates Grace and takes her out of every team',
	},
};

/**
 * workflows/onboarding-webhook.json: a production webhook, so it is activated and called over
 * HTTP rather than run with `n8n execute`. Callers authenticate with the header named in the
 * Header Auth credential the template references (by this name and placeholder id).
 */
export const WEBHOOK = {
	file: 'onboarding-webhook.json',
	id: 'MiroScimWebhook1',
	title: 'Onboarding webhook',
	path: 'miro-onboarding',
	header: 'X-Onboarding-Secret',
	credential: { id: 'onboardingSecret', name: 'Onboarding webhook secret', type: 'httpHeaderAuth' },
};

/** The Header Auth credential for the webhook, with a fresh secret (as `openssl rand -hex 32`). */
export function webhookCredential(secret = randomBytes(32).toString('hex')) {
	return { ...WEBHOOK.credential, data: { name: WEBHOOK.header, value: secret } };
}

/** The webhook template exactly as it is in workflows/, plus its id. */
export async function loadWebhookWorkflow() {
	const json = JSON.parse(await fs.readFile(path.join(ROOT, 'workflows', WEBHOOK.file), 'utf8'));
	return { ...json, id: WEBHOOK.id };
}

/** POST a JSON body (or a raw string) to the webhook; returns { status, text, json }. */
export async function callWebhook(baseUrl, body, { secret, timeoutMs = 2 * MINUTE } = {}) {
	const headers = { 'content-type': 'application/json' };
	if (secret !== undefined) headers[WEBHOOK.header] = secret;
	const res = await fetch(`${baseUrl}/webhook/${WEBHOOK.path}`, {
		method: 'POST',
		headers,
		body: typeof body === 'string' ? body : JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		/* not JSON */
	}
	return { status: res.status, text, json };
}

export const PEOPLE = {
	ada: 'ada.lovelace@example.com',
	grace: 'grace.hopper@example.com',
	alan: 'alan.turing@example.com',
};
export const SEEDED_ADMIN = 'admin@example.com';
export const ADMIN_ROLE = 'ORGANIZATION_INTERNAL_ADMIN';
export const USER_ROLE = 'ORGANIZATION_INTERNAL_USER';

/**
 * The emulator runs Miro's rate limits with 0.3 s windows instead of 30 s. The workflows keep
 * `rateWindowSeconds` at 30, so the node paces by Miro's real windows: it can only be slower
 * than the emulator needs, never hit a 429 that real Miro would not send. (With time scale 1,
 * each `n8n execute` is a new process with a fresh pacer, so back-to-back runs could exceed
 * Miro's 5 team searches per 30 s and spend half a minute in backoff.)
 */
export const DEFAULT_TIME_SCALE = 0.01;

const MINUTE = 60_000;

// ---- processes -------------------------------------------------------------------------

/** Children we started (each leads its own process group); killed on cleanup and on signals. */
const children = new Set();

function killGroup(pid, signal = 'SIGKILL') {
	for (const target of [-pid, pid]) {
		try {
			process.kill(target, signal);
		} catch {
			/* already gone */
		}
	}
}

/**
 * Kill every process we started, by id: the ones tracked here, and direct children of this
 * process that n8n.mjs spawned (each `n8n` command leads its own process group).
 */
export function killOurChildren() {
	for (const child of children) killGroup(child.pid);
	children.clear();
	let entries = [];
	try {
		entries = readdirSync('/proc');
	} catch {
		return; // not Linux: runN8n still kills its group when the command ends or times out
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
 * Run a command in its own process group with a time limit. Output is collected (and passed
 * line by line to `onLine`); never throws on a non-zero exit.
 */
export async function runCommand(command, args, { cwd = ROOT, timeoutMs, env, onLine } = {}) {
	const started = Date.now();
	const child = spawn(command, args, {
		cwd,
		env: env ?? process.env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	children.add(child);
	let output = '';
	let partial = '';
	const onData = (data) => {
		output += data;
		if (!onLine) return;
		partial += data;
		const lines = partial.split(/\r?\n/);
		partial = lines.pop();
		for (const line of lines) onLine(line);
	};
	child.stdout.setEncoding('utf8').on('data', onData);
	child.stderr.setEncoding('utf8').on('data', onData);
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		killGroup(child.pid);
	}, timeoutMs);
	const [code, signal] = await new Promise((resolve) => {
		child.on('error', (error) => {
			output += `\n${error.message}`;
			resolve([null, null]);
		});
		child.on('close', (c, s) => resolve([c, s]));
	});
	clearTimeout(timer);
	children.delete(child);
	killGroup(child.pid);
	if (onLine && partial) onLine(partial);
	return { code, signal, output, timedOut, durationMs: Date.now() - started };
}

const stripAnsi = (text) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** The last lines of a command's output, without terminal control codes, for an error message. */
export function tail(text, lines = 30) {
	return stripAnsi(text)
		.split(/\r?\n/)
		.filter((line) => line.trim() !== '')
		.slice(-lines)
		.join('\n');
}

function commandError(what, result) {
	const why = result.timedOut
		? `timed out after ${formatDuration(result.durationMs)}`
		: `exit ${result.code}${result.signal ? `, signal ${result.signal}` : ''}`;
	return new Error(`${what} failed (${why}):\n${tail(result.output)}`);
}

// ---- steps -----------------------------------------------------------------------------

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

/** `npm pack` into `destDir`; returns { tarball, size, unpackedSize, files: [paths] }. */
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
		files: info.files.map((file) => file.path),
	};
}

/**
 * Start the emulator's CLI (tsx test/emulator/cli.ts) on a random port of 127.0.0.1 and wait
 * for it to print its URL. `args`: further CLI flags (e.g. --no-rate-limit). Returns a handle
 * with the inspection routes.
 */
export async function startEmulator({
	token,
	timeScale = DEFAULT_TIME_SCALE,
	timeoutMs = 60_000,
	args: extraArgs = [],
} = {}) {
	const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
	if (!existsSync(tsx)) {
		throw new Error('The project is not installed: run `npm ci` in the repository root first.');
	}
	const args = ['test/emulator/cli.ts', '--port', '0', '--host', '127.0.0.1'];
	args.push('--time-scale', String(timeScale));
	if (token) args.push('--token', token);
	args.push(...extraArgs);
	const child = spawn(tsx, args, {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	children.add(child);
	let output = '';
	let exited = null;
	const closed = new Promise((resolve) => {
		child.on('error', (error) => {
			output += `\n${error.message}`;
			resolve((exited = { error }));
		});
		child.on('close', (code, signal) => resolve((exited = { code, signal })));
	});
	child.stdout.setEncoding('utf8').on('data', (data) => (output += data));
	child.stderr.setEncoding('utf8').on('data', (data) => (output += data));

	const stop = async () => {
		if (!exited) {
			killGroup(child.pid, 'SIGTERM');
			const timer = setTimeout(() => killGroup(child.pid), 5_000);
			await closed;
			clearTimeout(timer);
		}
		killGroup(child.pid);
		children.delete(child);
	};

	const deadline = Date.now() + timeoutMs;
	let url;
	let printedToken;
	for (;;) {
		url = /SCIM base URL\s+(\S+)/.exec(output)?.[1];
		printedToken = /Bearer token\s+(\S+)/.exec(output)?.[1];
		if (url && printedToken) break;
		if (exited || Date.now() > deadline) {
			await stop();
			throw new Error(
				`The emulator did not start (${exited ? `exited ${JSON.stringify(exited)}` : 'timed out'}):\n${tail(output)}`,
			);
		}
		await sleep(100);
	}
	const origin = new URL(url).origin;
	const inspect = async (method, route) => {
		const res = await fetch(`${origin}/_emulator/${route}`, {
			method,
			signal: AbortSignal.timeout(15_000),
		});
		if (!res.ok) throw new Error(`${method} /_emulator/${route}: HTTP ${res.status}`);
		return res.status === 204 ? undefined : await res.json();
	};
	return {
		url,
		origin,
		token: printedToken,
		timeScale,
		pid: child.pid,
		output: () => output,
		/** { counts, users, groups } */
		state: () => inspect('GET', 'state'),
		/** every SCIM request since the last clearLog(): { method, path, query, body, status, endpoint?, flags? } */
		log: () => inspect('GET', 'log'),
		clearLog: () => inspect('DELETE', 'log'),
		reset: () => inspect('POST', 'reset'),
		stop,
	};
}

/** The template exactly as it is in workflows/, plus an id (the import needs one to be stable). */
export async function loadWorkflow(key) {
	const spec = WORKFLOWS[key];
	const json = JSON.parse(await fs.readFile(path.join(ROOT, 'workflows', spec.file), 'utf8'));
	return { ...json, id: spec.id };
}

/**
 * Everything up to the first workflow run: setup.sh, build, pack, emulator, n8n home, package,
 * credential, the three workflows. `log` receives progress lines meant for people, `step` the
 * title of each stage.
 *
 * @returns {Promise<Scenario>} { emulator, home, pack, token, run(key), runs, cleanup() }
 */
export async function startScenario(options) {
	const scenario = createScenario(options);
	await scenario.start();
	return scenario;
}

/**
 * The scenario before it starts: register `scenario.cleanup` (e.g. with cleanupOnSignals)
 * first, then `await scenario.start()`.
 */
export function createScenario({
	log = () => {},
	step = (title) => log(title),
	timeScale = DEFAULT_TIME_SCALE,
} = {}) {
	const timed = async (fn) => {
		const started = Date.now();
		const value = await fn();
		return [value, Date.now() - started];
	};
	const scenario = {
		token: `miro-e2e-${randomBytes(16).toString('hex')}`,
		emulator: undefined,
		home: undefined,
		pack: undefined,
		tmpDir: undefined,
		/** every workflow run: { key, result, state, log } */
		runs: [],
	};
	let cleaning;
	scenario.cleanup = () =>
		(cleaning ??= (async () => {
			const problems = [];
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
			scenario.tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'miro-scim-e2e-'));
			const [pack, packMs] = await timed(() => packPackage(scenario.tmpDir));
			scenario.pack = pack;
			log(
				`  npm pack          ${path.basename(pack.tarball)} (${formatBytes(pack.size)}, ${pack.files.length} files, ${formatDuration(packMs)})`,
			);

			// 3. the emulator
			step('Start the Miro SCIM emulator');
			scenario.emulator = await startEmulator({ token: scenario.token, timeScale });
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
			const workflows = await Promise.all(Object.keys(WORKFLOWS).map((key) => loadWorkflow(key)));
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

/** A readable message for a failed execution: the failing node, its message and Miro's detail. */
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

// ---- reading the emulator's state ------------------------------------------------------

export const usersNamed = (state, email) =>
	state.users.filter((user) => user.userName.toLowerCase() === email.toLowerCase());

export const orgRole = (user) =>
	user.roles?.find((role) => role.primary)?.value ??
	user.roles?.find((role) => role.type === 'organization_user_role')?.value;

/** Names of the teams `email` is a member of, sorted. */
export function teamsOf(state, email) {
	const ids = new Set(usersNamed(state, email).map((user) => user.id));
	return state.groups
		.filter((group) => group.members.some((member) => ids.has(member.value)))
		.map((group) => group.displayName)
		.sort();
}

/** { teamName: [member emails, sorted] } */
export function memberships(state) {
	const emailOf = new Map(state.users.map((user) => [user.id, user.userName]));
	return Object.fromEntries(
		state.groups.map((group) => [
			group.displayName,
			group.members.map((member) => emailOf.get(member.value) ?? `id ${member.value}`).sort(),
		]),
	);
}

/** Users without `meta` (timestamps), by id: compares two states. */
export const usersForComparison = (state) =>
	[...state.users].sort((a, b) => a.id.localeCompare(b.id)).map(({ meta: _meta, ...user }) => user);

const countRequests = (log, method, pathPattern) =>
	log.filter((entry) => entry.method === method && pathPattern.test(entry.path)).length;

// ---- the expected end states (the same as test/workflows/templates.test.ts) -------------

/** deepStrictEqual whose message shows what was expected and what was found. */
function same(actual, expected, what) {
	assert.deepStrictEqual(
		actual,
		expected,
		`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
	);
}

function userOnce(state, email) {
	const found = usersNamed(state, email);
	same(found.length, 1, `number of users named ${email}`);
	return found[0];
}

function assertNoMembershipRewrite(log) {
	const rewrites = log.filter((entry) =>
		(entry.flags ?? []).some((flag) => flag === 'replaceMembers' || flag === 'removeAllMembers'),
	);
	same(
		rewrites.map((entry) => `${entry.method} ${entry.path}`),
		[],
		'no request may replace or clear a whole team membership',
	);
}

/** Ada, Grace and Alan exist once each, active, named, in their teams; 3 POST /Users. */
export function checkOnboarding({ result, state, log }) {
	same(result.items('Add user to team').length, 3, 'three people added to a team');
	same(
		state.users.map((user) => user.userName).sort(),
		[SEEDED_ADMIN, PEOPLE.ada, PEOPLE.alan, PEOPLE.grace].sort(),
		'the org has the seeded admin and the three new people',
	);
	const names = { ada: ['Ada', 'Lovelace'], grace: ['Grace', 'Hopper'], alan: ['Alan', 'Turing'] };
	for (const [who, [givenName, familyName]] of Object.entries(names)) {
		const user = userOnce(state, PEOPLE[who]);
		same(
			{ givenName: user.name?.givenName, familyName: user.name?.familyName },
			{ givenName, familyName },
			`${PEOPLE[who]} name`,
		);
		same(user.active, true, `${PEOPLE[who]} is active`);
		same(orgRole(user), USER_ROLE, `${PEOPLE[who]} org role`);
	}
	same(teamsOf(state, PEOPLE.ada), ['Default Team', 'Engineering'], 'Ada teams');
	same(teamsOf(state, PEOPLE.grace), ['Default Team', 'Engineering'], 'Grace teams');
	same(teamsOf(state, PEOPLE.alan), ['Default Team', 'g_app_proeng_all'], 'Alan teams');
	same(countRequests(log, 'POST', /\/Users$/), 3, 'POST /Users requests');
	// Both team names come from one listing of the group directory (none if still fresh).
	same(countRequests(log, 'GET', /\/Groups$/) <= 1, true, 'at most one team listing');
	same(countRequests(log, 'PATCH', /\/Groups\/\d+$/), 2, 'one merged PATCH per team');
	assertNoMembershipRewrite(log);
}

/** A second onboarding run creates nobody and changes no user and no membership. */
export function checkOnboardingRerun({ result, state, log }, previous) {
	same(countRequests(log, 'POST', /\/Users$/), 0, 'no POST /Users on the second run');
	same(
		result.items('Create or find Miro user').map((item) => item.created),
		[false, false, false],
		'every person was found, none created',
	);
	for (const email of Object.values(PEOPLE)) userOnce(state, email);
	same(state.users.length, 4, 'still the admin and the three people');
	same(usersForComparison(state), usersForComparison(previous), 'users unchanged');
	same(memberships(state), memberships(previous), 'team memberships unchanged');
	assertNoMembershipRewrite(log);
}

/** Alan is an org admin, moved from g_app_proeng_all to g_app_itadmin_all; nobody else moved. */
export function checkRoleChange({ state, log }) {
	const alan = userOnce(state, PEOPLE.alan);
	same(orgRole(alan), ADMIN_ROLE, 'Alan is an organization admin');
	same(teamsOf(state, PEOPLE.alan), ['Default Team', 'g_app_itadmin_all'], 'Alan teams');
	same(teamsOf(state, PEOPLE.ada), ['Default Team', 'Engineering'], 'Ada teams');
	same(teamsOf(state, PEOPLE.grace), ['Default Team', 'Engineering'], 'Grace teams');
	same(orgRole(userOnce(state, PEOPLE.ada)), USER_ROLE, 'Ada org role');
	same(orgRole(userOnce(state, PEOPLE.grace)), USER_ROLE, 'Grace org role');
	same(state.users.length, 4, 'nobody created or deleted');
	same(countRequests(log, 'POST', /\/Users$/), 0, 'no POST /Users');
	assertNoMembershipRewrite(log);
}

/** Grace is deactivated (not deleted) and in no team; Ada and Alan are untouched. */
export function checkOffboarding({ result, state, log }) {
	const deleted = result.runData['Delete user']?.[0]?.data?.main?.[0] ?? [];
	same(deleted.length, 0, 'the Delete user branch did not run');
	same(countRequests(log, 'DELETE', /\/Users\/\d+$/), 0, 'no DELETE /Users/{id}');
	const grace = userOnce(state, PEOPLE.grace);
	same(grace.active, false, 'Grace is deactivated');
	same(teamsOf(state, PEOPLE.grace), [], 'Grace is in no team');
	same(userOnce(state, PEOPLE.ada).active, true, 'Ada is still active');
	same(teamsOf(state, PEOPLE.ada), ['Default Team', 'Engineering'], 'Ada teams');
	same(userOnce(state, PEOPLE.alan).active, true, 'Alan is still active');
	same(orgRole(userOnce(state, PEOPLE.alan)), ADMIN_ROLE, 'Alan is still an admin');
	same(teamsOf(state, PEOPLE.alan), ['Default Team', 'g_app_itadmin_all'], 'Alan teams');
	same(state.users.length, 4, 'nobody created or deleted');
	assertNoMembershipRewrite(log);
}

export const CHECKS = {
	onboarding: checkOnboarding,
	roleChange: checkRoleChange,
	offboarding: checkOffboarding,
};

// ---- text output -----------------------------------------------------------------------

/** Left-aligned columns, a header row and a rule under it; every line starts with `indent`. */
export function textTable(header, rows, indent = '  ') {
	const widths = header.map((title, i) =>
		Math.max(title.length, ...rows.map((row) => String(row[i]).length)),
	);
	const line = (cells) =>
		(indent + cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ')).trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function usersTable(state, indent) {
	const rows = state.users.map((user) => [
		user.userName,
		user.displayName ?? '',
		user.active ? 'yes' : 'no',
		orgRole(user) ?? '',
	]);
	return textTable(['EMAIL', 'NAME', 'ACTIVE', 'ORG ROLE'], rows, indent);
}

/** Teams and their member emails; long member lists wrap onto further lines. */
export function teamsTable(state, indent, { width = 72 } = {}) {
	const rows = [];
	for (const [team, emails] of Object.entries(memberships(state))) {
		if (emails.length === 0) {
			rows.push([team, '(nobody)']);
			continue;
		}
		const lines = [];
		for (const email of emails) {
			const last = lines.length - 1;
			if (last >= 0 && lines[last].length + email.length + 2 <= width) lines[last] += `, ${email}`;
			else lines.push(email);
		}
		lines.forEach((line, i) => {
			const more = i < lines.length - 1 ? ',' : '';
			rows.push([i === 0 ? team : '', line + more]);
		});
	}
	return textTable(['TEAM', 'MEMBERS'], rows, indent);
}

/** "GET /Users x3, POST /Users x3, ..." from the emulator's log, in first-seen order. */
export function requestSummary(log) {
	const counts = new Map();
	for (const entry of log) {
		const endpoint = (entry.endpoint ?? `${entry.method} ${entry.path}`).replace(/ \(.*\)$/, '');
		const key = entry.status >= 400 ? `${endpoint} -> ${entry.status}` : endpoint;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	if (counts.size === 0) return 'no requests';
	return [...counts].map(([key, n]) => (n > 1 ? `${key} x${n}` : key)).join(', ');
}

/** Human-readable differences between two states: users added/changed, team members in/out. */
export function describeChanges(before, after) {
	const changes = [];
	const beforeUsers = new Map(before.users.map((user) => [user.id, user]));
	for (const user of after.users) {
		const old = beforeUsers.get(user.id);
		if (!old) {
			changes.push(`+ user ${user.userName} (${user.displayName})`);
			continue;
		}
		if (old.active !== user.active)
			changes.push(`~ ${user.userName}: ${user.active ? 'reactivated' : 'deactivated'}`);
		if (orgRole(old) !== orgRole(user))
			changes.push(`~ ${user.userName}: ${orgRole(old)} -> ${orgRole(user)}`);
		if (old.displayName !== user.displayName)
			changes.push(`~ ${user.userName}: name ${old.displayName} -> ${user.displayName}`);
	}
	const afterIds = new Set(after.users.map((user) => user.id));
	for (const user of before.users) {
		if (!afterIds.has(user.id)) changes.push(`- user ${user.userName} deleted`);
	}
	const oldTeams = memberships(before);
	for (const [team, members] of Object.entries(memberships(after))) {
		const old = new Set(oldTeams[team] ?? []);
		const now = new Set(members);
		for (const email of members) if (!old.has(email)) changes.push(`+ ${email} joined ${team}`);
		for (const email of old) if (!now.has(email)) changes.push(`- ${email} left ${team}`);
	}
	return changes;
}

// ---- small helpers ---------------------------------------------------------------------

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function formatDuration(ms) {
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	const minutes = Math.floor(ms / 60_000);
	const seconds = Math.round((ms % 60_000) / 1000);
	return `${minutes} min ${seconds} s`;
}

function formatSeconds(seconds) {
	return `${Number(seconds.toPrecision(3))} s`;
}

export function formatBytes(bytes) {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * On Ctrl+C or SIGTERM: stop n8n and the emulator, delete the temp folders, exit 130/143.
 * `cleanup` is awaited (bounded to 20 s). Returns a function that removes the handlers.
 */
export function cleanupOnSignals(cleanup, { log = (m) => process.stderr.write(`${m}\n`) } = {}) {
	let stopping = false;
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
