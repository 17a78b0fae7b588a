// @ts-check
// The package on the last n8n 1.x line (`npm run test:n8n1`): a real n8n 1.123.x on Node 22
// (test/e2e-n8n1/node_modules, from setup.sh) gets this package from its `npm pack` tarball,
// installed the way n8n installs a community package, lists its node and credential, and
// runs workflows/onboarding.json as-is with `n8n execute` against the Miro SCIM emulator (a
// separate process on 127.0.0.1), twice: the second run must change nothing. Then it activates
// workflows/onboarding-webhook.json (Header Auth) and calls it once over HTTP. Last, onboarding
// again on Miro's user-group model, where it creates a group the organization lacks.
//
//   bash test/e2e-n8n1/setup.sh && node --test test/e2e-n8n1/n8n1.test.mjs   (~2-3 min once set up)

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { callWebhook, loadWebhookWorkflow, WEBHOOK, webhookCredential } from '../e2e/scenario.mjs';
import { startEmulator } from '../helpers/emulator.mjs';
import {
	activateWorkflow,
	HARNESS_DIR,
	createN8nHome,
	executeWorkflow,
	importCredential,
	importWorkflow,
	installPackage,
	listNodeTypes,
	n8nVersion,
	setupOwner,
	startN8nServer,
	waitForWebhook,
} from './n8n1.mjs';

const ROOT = path.resolve(HARNESS_DIR, '..', '..');
const PACKAGE_NAME = 'n8n-nodes-miro-scim';
const NODE_TYPE = `${PACKAGE_NAME}.miroScim`;
const CREDENTIAL_TYPE = 'miroScimApi';
const MINUTE = 60_000;

// The onboarding template, used exactly as shipped; its nodes reference this credential.
const WORKFLOW_FILE = path.join(ROOT, 'workflows', 'onboarding.json');
const CREDENTIAL = { id: 'miroScimDemo', name: 'Miro SCIM account' };
const EXPECTED_MEMBERSHIP = {
	'ada.lovelace@example.com': 'Engineering',
	'grace.hopper@example.com': 'Engineering',
	'alan.turing@example.com': 'g_app_proeng_all',
};

// node --test shows a test file's stderr as `# ` comments
/** @param {string} line */
const progress = (line) => process.stderr.write(`[n8n1] ${line}\n`);
/** @type {Record<string, number>} */
const timings = {};
/**
 * @template T
 * @param {string} label
 * @param {() => Promise<T> | T} fn
 * @returns {Promise<T>}
 */
async function timed(label, fn) {
	const start = Date.now();
	try {
		return await fn();
	} finally {
		timings[label] = Date.now() - start;
		progress(`${label}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
	}
}

/**
 * Runs `cmd` with a hard time limit; returns stdout, throws with stderr on failure.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, timeoutMs?: number }} [options]
 */
function run(cmd, args, { cwd = ROOT, timeoutMs = 5 * MINUTE } = {}) {
	try {
		return execFileSync(cmd, args, {
			cwd,
			encoding: 'utf8',
			timeout: timeoutMs,
			killSignal: 'SIGKILL',
			stdio: ['ignore', 'pipe', 'pipe'],
			maxBuffer: 64 * 1024 * 1024,
		});
	} catch (error) {
		throw new Error(
			`${cmd} ${args.join(' ')} failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`,
		);
	}
}

/**
 * Builds dist/ if the files package.json's "n8n" block names are missing, then packs.
 * @param {string} destDir
 */
function buildAndPack(destDir) {
	const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const listed = [...pkg.n8n.nodes, ...pkg.n8n.credentials];
	if (!listed.every((f) => existsSync(path.join(ROOT, f)))) {
		progress('dist/ is missing: npm run build');
		run('npm', ['run', 'build'], { timeoutMs: 10 * MINUTE });
	}
	const out = JSON.parse(
		run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destDir]),
	);
	const entry = out[0];
	/** @type {string[]} */
	const files = entry.files.map((/** @type {{ path: string }} */ f) => f.path);
	for (const f of listed) assert.ok(files.includes(f), `${f} is not in the tarball`);
	return { tarball: path.join(destDir, entry.filename), files, size: entry.size };
}

/**
 * @param {string} url
 * @param {RequestInit} [init]
 * @returns {Promise<any>}
 */
async function getJson(url, init = {}) {
	const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
	assert.equal(res.status, 200, `${url} answered ${res.status}`);
	return await res.json();
}

// Set by before() and the first steps (the tests run in order); cleared by cleanup().
/** @type {string | undefined} */
let tmpDir;
/** @type {import('../helpers/emulator.mjs').EmulatorHandle<import('../e2e/checks.mjs').EmulatorState, import('../e2e/checks.mjs').LogEntry>} */
let emulator;
/** @type {import('../e2e/n8n.mjs').N8nHome} */
let home;
/** @type {string} */
let workflowId;
/** @type {ReturnType<typeof buildAndPack>} */
let packed;

async function cleanup() {
	await home?.cleanup().catch(() => {});
	home = /** @type {any} */ (undefined);
	await emulator?.stop().catch(() => {});
	emulator = /** @type {any} */ (undefined);
	if (tmpDir) await fs.rm(tmpDir, { recursive: true, force: true });
	tmpDir = undefined;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
	process.once(sig, () => {
		cleanup().finally(() => process.exit(130));
	});
}

/** Tests share state and run in order; after a failure the rest are skipped. */
let brokenBy = '';
/**
 * @param {string} name
 * @param {(t: import('node:test').TestContext) => Promise<void>} fn
 * @param {number} [timeout]
 */
const step = (name, fn, timeout = 6 * MINUTE) =>
	it(name, { timeout }, async (t) => {
		if (brokenBy) {
			t.skip(`"${brokenBy}" failed`);
			return;
		}
		try {
			await fn(t);
		} catch (error) {
			brokenBy = name;
			throw error;
		}
	});

describe(
	'n8n 1.x (last 1.x line) with the packed community package',
	{ timeout: 20 * MINUTE },
	() => {
		before(async () => {
			const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'n8n1-pack-'));
			tmpDir = dir;
			packed = await timed('build+pack', async () => buildAndPack(dir));
			progress(
				`packed ${path.basename(packed.tarball)} (${packed.files.length} files, ${packed.size} bytes)`,
			);
			emulator = await timed('emulator start', () => startEmulator({ timeScale: 0.1 }));
			progress(`emulator on ${emulator.url}`);
			home = await createN8nHome();
			progress(`n8n ${await n8nVersion()} home ${home.dir}`);
		});

		after(async () => {
			await cleanup();
			progress(
				`timings (s): ${Object.entries(timings)
					.map(([k, v]) => `${k}=${(v / 1000).toFixed(1)}`)
					.join(', ')}`,
			);
		});

		step('installs the tarball as a community package', async () => {
			const installed = await timed('install package', () => installPackage(home, packed.tarball));
			assert.equal(installed.name, PACKAGE_NAME);
			assert.ok(existsSync(path.join(home.nodesDir, 'node_modules', PACKAGE_NAME, 'package.json')));
		});

		step('n8n export:nodes lists the node, with the credential', async () => {
			const types = await timed('export:nodes', () => listNodeTypes(home));
			const node = types.find((t) => t.name === NODE_TYPE);
			assert.ok(node, `${NODE_TYPE} not among ${types.length} node types`);
			assert.deepEqual(
				(node.credentials ?? []).map((/** @type {{ name: string }} */ c) => c.name),
				[CREDENTIAL_TYPE],
			);
			// n8n adds a '__CUSTOM_API_CALL__' option to nodes whose credential authenticates requests
			const resources = node.properties
				.find((/** @type {{ name: string }} */ p) => p.name === 'resource')
				.options.map((/** @type {{ value: string }} */ o) => o.value)
				.filter((/** @type {string} */ v) => v !== '__CUSTOM_API_CALL__');
			assert.deepEqual(resources.sort(), ['group', 'sync', 'user']);
		});

		step('the editor API (n8n start) lists the node and the credential type', async () => {
			const server = await timed('n8n start', () => startN8nServer(home));
			try {
				const { cookie } = await setupOwner(server.baseUrl);
				const headers = { cookie };
				/** @type {any[]} */
				const credentials = await getJson(`${server.baseUrl}/types/credentials.json`, { headers });
				const cred = credentials.find((c) => c.name === CREDENTIAL_TYPE);
				assert.ok(cred, `${CREDENTIAL_TYPE} not among ${credentials.length} credential types`);
				// ours first; n8n 1.123 appends its own allowedHttpRequestDomains / allowedDomains
				assert.deepEqual(
					cred.properties.map((/** @type {{ name: string }} */ p) => p.name).slice(0, 2),
					['token', 'baseUrl'],
				);
				assert.ok(cred.test, 'credential test request missing');
				/** @type {any[]} */
				const nodes = await getJson(`${server.baseUrl}/types/nodes.json`, { headers });
				assert.ok(
					nodes.some((n) => n.name === NODE_TYPE),
					`${NODE_TYPE} not among ${nodes.length} node types in the editor`,
				);
			} finally {
				await server.stop();
			}
		});

		step('imports a credential for the emulator and workflows/onboarding.json as-is', async () => {
			await timed('import credential', () =>
				importCredential(home, {
					...CREDENTIAL,
					type: CREDENTIAL_TYPE,
					data: { token: emulator.token, baseUrl: emulator.url },
				}),
			);
			const workflow = JSON.parse(await fs.readFile(WORKFLOW_FILE, 'utf8'));
			workflowId = /** @type {string} */ (
				await timed('import workflow', () => importWorkflow(home, workflow))
			);
		});

		step('executes onboarding: each user created once, in the team', async () => {
			const res = await timed('execute #1', () => executeWorkflow(home, workflowId));
			progress(`execute #1: status ${res.status}, exit ${res.exitCode ?? res.signal}`);
			assert.ok(res.ok, `run failed: ${JSON.stringify(res.error ?? res.status)}`);
			assert.equal(res.items('Create or find Miro user').length, 3);
			assert.equal(res.items('Add user to team').length, 3);
			await assertOnboarded();
		});

		step('a second run creates nothing and changes no membership', async () => {
			/** @type {import('../e2e/checks.mjs').LogEntry[]} */
			const before = await getJson(`${emulator.origin}/_emulator/log`);
			const res = await timed('execute #2', () => executeWorkflow(home, workflowId));
			progress(`execute #2: status ${res.status}, exit ${res.exitCode ?? res.signal}`);
			assert.ok(res.ok, `run failed: ${JSON.stringify(res.error ?? res.status)}`);
			const created = res.items('Create or find Miro user');
			assert.equal(created.length, 3);
			await assertOnboarded();
			/** @type {import('../e2e/checks.mjs').LogEntry[]} */
			const log = await getJson(`${emulator.origin}/_emulator/log`);
			const second = log.slice(before.length);
			assert.equal(
				second.filter((e) => e.method === 'POST' && e.path.endsWith('/Users') && e.status === 201)
					.length,
				0,
				'the second run created a user',
			);
		});

		step('the onboarding webhook, activated: only an authenticated call onboards', async () => {
			const secret = randomBytes(32).toString('hex');
			await timed('import webhook', async () => {
				await importCredential(home, webhookCredential(secret));
				await importWorkflow(home, await loadWebhookWorkflow());
			});
			await timed('activate webhook', () => activateWorkflow(home, WEBHOOK.id));
			const server = await timed('n8n start (webhook)', () => startN8nServer(home));
			try {
				const unauthenticated = await waitForWebhook(home, WEBHOOK.path);
				assert.equal(unauthenticated.status, 403, 'a call without the header');
				const email = 'katherine.johnson@example.com';
				const employees = [
					{ email, firstName: 'Katherine', lastName: 'Johnson', team: 'Marketing' },
				];
				const res = await timed('webhook call', () =>
					callWebhook(server.baseUrl, { employees }, { secret }),
				);
				assert.equal(res.status, 200, res.text);
				assert.deepEqual(res.json, {
					people: [{ email, team: 'Marketing', status: 'created', placed: true }],
				});
				/** @type {import('../e2e/checks.mjs').EmulatorState} */
				const state = await getJson(`${emulator.origin}/_emulator/state`);
				const user = state.users.find((u) => u.userName === email);
				const team = state.groups.find((g) => g.displayName === 'Marketing');
				assert.ok(user && team?.members.some((m) => m.value === user.id), `${email} in Marketing`);
			} finally {
				await server.stop();
			}
		});

		step("on Miro's user-group model, onboarding creates the group it lacks", async () => {
			const reset = await fetch(`${emulator.origin}/_emulator/reset`, {
				method: 'POST',
				body: JSON.stringify({ groupModel: 'user-group' }),
			});
			assert.equal(reset.status, 200);
			/** @type {import('../e2e/checks.mjs').EmulatorState} */
			const seeded = await getJson(`${emulator.origin}/_emulator/state`);
			assert.equal(seeded.groupModel, 'user-group');
			const missing = seeded.groups.find((g) => g.displayName === 'g_app_proeng_all');
			assert.ok(missing, 'g_app_proeng_all is seeded');
			const gone = await fetch(`${emulator.url}/Groups/${missing.id}`, {
				method: 'DELETE',
				headers: { authorization: `Bearer ${emulator.token}` },
			});
			assert.equal(gone.status, 204);
			const res = await timed('execute (user-group model)', () =>
				executeWorkflow(home, workflowId),
			);
			assert.ok(res.ok, `run failed: ${JSON.stringify(res.error ?? res.status)}`);
			assert.equal(res.items('Add user to team').length, 3);
			await assertOnboarded();
			/** @type {import('../e2e/checks.mjs').LogEntry[]} */
			const log = await getJson(`${emulator.origin}/_emulator/log`);
			const posts = log.filter((e) => e.method === 'POST' && e.path.endsWith('/Groups'));
			assert.deepEqual(
				posts.map((e) => [e.body.displayName, e.status]),
				[['g_app_proeng_all', 201]],
			);
		});

		async function assertOnboarded() {
			/** @type {import('../e2e/checks.mjs').EmulatorState} */
			const state = await getJson(`${emulator.origin}/_emulator/state`);
			for (const [email, team] of Object.entries(EXPECTED_MEMBERSHIP)) {
				const matches = state.users.filter((u) => u.userName === email);
				assert.equal(matches.length, 1, `${email}: ${matches.length} users`);
				const user = matches[0];
				assert.equal(user.active, true);
				const group = state.groups.find((g) => g.displayName === team);
				assert.ok(
					(group?.members ?? []).some((m) => m.value === user.id),
					`${email} is not a member of ${team}`,
				);
			}
			/** @type {import('../e2e/checks.mjs').LogEntry[]} */
			const log = await getJson(`${emulator.origin}/_emulator/log`);
			const creates = log.filter(
				(e) => e.method === 'POST' && e.path.endsWith('/Users') && e.status === 201,
			);
			assert.deepEqual(
				creates.map((e) => e.body.userName).sort(),
				Object.keys(EXPECTED_MEMBERSHIP).sort(),
				'each user is created exactly once',
			);
			assert.ok(
				!log.some((e) =>
					(e.flags ?? []).some((f) => f === 'replaceMembers' || f === 'removeAllMembers'),
				),
				'a group PATCH rewrote the membership',
			);
		}
	},
);
