// @ts-check
// n8n 2.41.1 in queue mode, the way larger installs scale it: one `n8n start` (main: editor,
// webhooks, enqueues executions) and N `n8n worker` processes (run them), sharing Postgres,
// Redis and the encryption key. Each process has its own N8N_USER_FOLDER with the package
// installed from the npm tarball, as separate containers would. `switchMode('regular')` runs
// the main alone in regular mode instead. Used by test/queue/queue.test.mjs and bench/queue.ts.
//
//   const cluster = createCluster({ tarball, emulators: { miro: { timeScale: 0.1 } }, log });
//   try {
//     await cluster.start();                       // Postgres, Redis, emulator(s), n8n main
//     await cluster.startWorkers(2);
//     const burst = await cluster.fire(newHires(200), { concurrency: 20 });
//     const runs = await cluster.settle(200);      // executions by status, from Postgres
//     placement(people, await cluster.emulator.state());
//   } finally {
//     await cluster.stop();                        // everything it started, by process id
//   }

import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import path from 'node:path';

import {
	activateWorkflow,
	createN8nHome,
	E2E_DIR,
	importCredential,
	importWorkflow,
	installPackage,
	startN8nServer,
	startN8nWorker,
	waitForWebhook,
} from '../e2e/n8n.mjs';
import {
	buildPackage,
	CREDENTIAL,
	ROOT,
	startEmulator,
	WEBHOOK,
	webhookCredential,
} from '../e2e/scenario.mjs';
import { startPostgres, startRedis } from './services.mjs';

export const TEAMS = ['Engineering', 'Marketing'];
/** The template's Miro SCIM nodes: every request of the onboarding passes one of them. */
export const MIRO_NODE_TYPE = 'n8n-nodes-miro-scim.miroScim';
const MINUTE = 60_000;

/**
 * Modification times (ms) of the files at or under `paths`.
 * @param {string[]} paths
 */
async function fileTimes(paths) {
	/** @type {number[]} */
	const times = [];
	for (const file of paths) {
		const stat = await fs.stat(file).catch(() => undefined);
		if (stat && !stat.isDirectory()) times.push(stat.mtimeMs);
		if (!stat?.isDirectory()) continue;
		for (const entry of await fs.readdir(file, { recursive: true, withFileTypes: true })) {
			if (!entry.isFile()) continue;
			// parentPath: Node >= 20.12 (package.json engines: >= 20.15); Dirent.path is deprecated
			times.push((await fs.stat(path.join(entry.parentPath, entry.name))).mtimeMs);
		}
	}
	return times;
}

/**
 * `npm run build` unless every file in dist/ is newer than every source of it (CI has just
 * built it: that saves 30-100 s). Returns whether it built.
 */
export async function buildIfStale() {
	const sources = ['nodes', 'credentials', 'package.json', 'tsconfig.json'];
	const sourceTimes = await fileTimes(sources.map((file) => path.join(ROOT, file)));
	const builtTimes = await fileTimes([path.join(ROOT, 'dist')]);
	if (builtTimes.length > 0 && Math.min(...builtTimes) > Math.max(...sourceTimes)) return false;
	await buildPackage();
	return true;
}

/**
 * `count` people, one per webhook call, alternating between `teams` (seeded in the emulator).
 * @param {number} count
 * @param {string[]} [teams]
 * @returns {import('./cluster.mjs').NewHire[]}
 */
export function newHires(count, teams = TEAMS) {
	return Array.from({ length: count }, (_, i) => {
		const n = String(i + 1).padStart(4, '0');
		return {
			email: `hire${n}@example.com`,
			firstName: 'Hire',
			lastName: `Number${n}`,
			department: 'Product',
			team: teams[i % teams.length],
		};
	});
}

/**
 * The webhook template as shipped, with an id, a webhook path and webhook id of this variant,
 * active, and the Miro SCIM nodes told the emulator's clock: Miro's 30 s window and 1 s first
 * backoff scaled by `timeScale` (every other option as shipped, unless `miroOptions` sets it).
 * @param {{ id: string, pathSuffix?: string, timeScale: number,
 *   credential?: { id: string, name: string }, miroOptions?: object }} spec
 */
export async function webhookWorkflow({
	id,
	pathSuffix = '',
	timeScale,
	credential = CREDENTIAL,
	miroOptions = {},
}) {
	const file = path.join(ROOT, 'workflows', WEBHOOK.file);
	const template = JSON.parse(await fs.readFile(file, 'utf8'));
	const nodes = template.nodes.map((/** @type {any} */ node) => {
		if (node.type === 'n8n-nodes-base.webhook') {
			const parameters = { ...node.parameters, path: `${node.parameters.path}${pathSuffix}` };
			// two active workflows may not share a webhook id
			return { ...node, parameters, webhookId: pathSuffix ? randomUUID() : node.webhookId };
		}
		if (node.type !== MIRO_NODE_TYPE) return node;
		const options = {
			...node.parameters.options,
			rateWindowSeconds: 30 * timeScale,
			initialBackoffMs: Math.max(1, Math.round(1000 * timeScale)),
			...miroOptions,
		};
		const credentials = { miroScimApi: { id: credential.id, name: credential.name } };
		return { ...node, credentials, parameters: { ...node.parameters, options } };
	});
	const webhook = nodes.find((/** @type {any} */ node) => node.type === 'n8n-nodes-base.webhook');
	return {
		workflow: { ...template, id, nodes, active: true },
		path: webhook.parameters.path,
		headerAuth:
			webhook.parameters.authentication === 'headerAuth'
				? webhook.credentials?.httpHeaderAuth
				: undefined,
	};
}

/**
 * Counts of each value of `key(item)`, as a plain object sorted by key.
 * @template T
 * @param {T[]} items
 * @param {(item: T) => string | number} key
 * @returns {Record<string, number>}
 */
function countBy(items, key) {
	/** @type {Record<string, number>} */
	const counts = {};
	for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
	return Object.fromEntries(Object.entries(counts).sort());
}

/**
 * The harness before it starts (register `cluster.stop` for signals first).
 *
 * @param {object} opts
 * @param {string} opts.tarball             the npm pack tarball to install in every n8n home
 * @param {Record<string, {timeScale?:number, rateLimits?:boolean}>} [opts.emulators]  emulators
 *   by key, each with a credential of its own (the first one the template's): Miro's limits on a
 *   clock of `timeScale` (0.1: Miro's 30 s windows last 3 s), or none (`rateLimits: false`)
 * @param {Array<{key:string, emulator?:string, miroOptions?:object}>} [opts.variants]  one active
 *   copy of the template per variant, each on its own webhook path, against its emulator
 *   (default: the first) with these Miro SCIM options on top of the template's
 * @param {(line:string)=>void} [opts.log]
 */
export function createCluster({
	tarball,
	emulators: emulatorSpecs = { miro: { timeScale: 0.1 } },
	variants = [{ key: 'default' }],
	log = () => {},
}) {
	/**
	 * The cluster (cluster.d.mts) and what its methods share; the methods are set below.
	 * @typedef {import('./cluster.mjs').Cluster & {
	 *   workers: Array<Awaited<ReturnType<typeof startN8nWorker>>>,
	 *   homes: import('../e2e/n8n.mjs').N8nHome[],
	 *   home: import('../e2e/n8n.mjs').N8nHome,
	 *   main?: import('../e2e/n8n.mjs').N8nServer,
	 *   postgres: Awaited<ReturnType<typeof startPostgres>>,
	 *   redis: Awaited<ReturnType<typeof startRedis>>,
	 * }} ClusterState
	 */
	const cluster = /** @type {ClusterState} */ (
		/** @type {unknown} */ ({
			mode: 'queue',
			emulators: {},
			workers: [],
			homes: [],
			webhookPaths: {},
			workflowIds: {},
			variantEmulator: {},
			/** sent with every webhook call (the template's Header Auth secret, when it has one) */
			webhookHeaders: {},
		})
	);
	const [firstEmulator] = Object.keys(emulatorSpecs);
	const credentialOf = (/** @type {string} */ key) =>
		key === firstEmulator
			? CREDENTIAL
			: { ...CREDENTIAL, id: `${CREDENTIAL.id}${key}`, name: `${CREDENTIAL.name} (${key})` };
	const modeEnv = () => ({
		...(cluster.mode === 'queue'
			? cluster.redis.env
			: // one process running every execution at once needs more than 4 database connections:
				// with 4, 194 of 200 concurrent executions failed waiting for one (pg-pool timeout)
				{ DB_POSTGRESDB_POOL_SIZE: '20' }),
		EXECUTIONS_MODE: cluster.mode,
	});
	const newHome = async () => {
		const home = await createN8nHome({
			env: {
				...cluster.postgres.env,
				...modeEnv(),
				// the default pool of 2 connections serializes a busy main's writes
				DB_POSTGRESDB_POOL_SIZE: '4',
				// the harness stops n8n once its runs are over: no need for 30 s of grace
				N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			},
		});
		cluster.homes.push(home);
		await installPackage(home, tarball);
		return home;
	};
	const startMain = async () => {
		cluster.main = await startN8nServer(cluster.home, { timeoutMs: 4 * MINUTE, env: modeEnv() });
		// a probe without the secret gets 403 and runs nothing (without Header Auth it would run)
		for (const webhookPath of Object.values(cluster.webhookPaths))
			await waitForWebhook(cluster.home, webhookPath);
	};

	cluster.start = async () => {
		const started = Date.now();
		const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
		Object.assign(cluster, { postgres, redis });
		for (const [key, spec] of Object.entries(emulatorSpecs)) {
			cluster.emulators[key] = await startEmulator({
				timeScale: spec.timeScale ?? 1,
				flags: spec.rateLimits === false ? ['--no-rate-limit'] : [],
			});
		}
		cluster.emulator = cluster.emulators[firstEmulator];
		const emulatorsText = Object.entries(emulatorSpecs).map(([key, spec]) =>
			spec.rateLimits === false
				? `${key} without limits`
				: `${key} with Miro's limits in ${30 * (spec.timeScale ?? 1)} s windows`,
		);
		log(
			`Postgres on ${postgres.host}:${postgres.port} (as ${postgres.runsAs ?? 'this user'}), ` +
				`Redis on ${redis.host}:${redis.port}, emulator ${emulatorsText.join(', ')}`,
		);
		const workflows = [];
		let headerAuth;
		for (const [index, variant] of variants.entries()) {
			const emulator = variant.emulator ?? firstEmulator;
			const built = await webhookWorkflow({
				id: `MiroScimQueue${String(index).padStart(3, '0')}`,
				pathSuffix: variants.length > 1 ? `-${variant.key}` : '',
				timeScale: emulatorSpecs[emulator].timeScale ?? 1,
				credential: credentialOf(emulator),
				miroOptions: variant.miroOptions,
			});
			headerAuth = built.headerAuth;
			workflows.push(built.workflow);
			cluster.webhookPaths[variant.key] = built.path;
			cluster.workflowIds[variant.key] = built.workflow.id;
			cluster.variantEmulator[variant.key] = cluster.emulators[emulator];
		}
		const credentials = Object.entries(cluster.emulators).map(([key, emulator]) => ({
			...credentialOf(key),
			data: { token: emulator.token, baseUrl: emulator.url },
		}));
		if (headerAuth) {
			// the template refuses calls without its secret: give it one, and send it
			const credential = webhookCredential();
			credentials.push({ ...credential, ...headerAuth });
			cluster.webhookHeaders = { [WEBHOOK.header]: credential.data.value };
		}
		cluster.home = await newHome();
		// the first command creates the schema in Postgres (~20-40 s)
		await importCredential(cluster.home, credentials);
		await importWorkflow(cluster.home, workflows);
		// n8n 2.x: an imported workflow is a draft; the main registers the webhooks of published ones
		await Promise.all(workflows.map((workflow) => activateWorkflow(cluster.home, workflow.id)));
		await startMain();
		log(
			`n8n ${cluster.mode === 'queue' ? 'main (queue mode)' : '(regular mode)'} on ${cluster.home.baseUrl}, ` +
				`${workflows.length} webhook workflow(s) active; set up in ${Math.round((Date.now() - started) / 1000)} s`,
		);
	};

	/** Restarts the main process in another mode ('queue' or 'regular'); stops the workers. */
	cluster.switchMode = async (newMode) => {
		await cluster.stopWorkers();
		await cluster.main?.stop();
		cluster.mode = newMode;
		await startMain();
		log(`n8n restarted in ${newMode} mode`);
	};

	/** Starts workers until `count` run (each with its own home); stops extra ones. */
	cluster.startWorkers = async (count, { concurrency = 20 } = {}) => {
		if (cluster.mode !== 'queue') throw new Error('workers need queue mode');
		while (cluster.workers.length > count) await cluster.workers.pop()?.stop();
		const started = Date.now();
		const more = Array.from({ length: count - cluster.workers.length }, async () => {
			const home = await newHome();
			const worker = await startN8nWorker(home, { concurrency, timeoutMs: 4 * MINUTE });
			cluster.workers.push(worker);
		});
		await Promise.all(more);
		log(
			`${count} n8n worker(s), concurrency ${concurrency} each (${Math.round((Date.now() - started) / 1000)} s)`,
		);
	};

	/** Stops every worker: the next ones start with a fresh pacer and group directory. */
	cluster.stopWorkers = async () => {
		await Promise.all(cluster.workers.splice(0).map((worker) => worker.stop()));
	};

	/**
	 * Calls the webhook once per person (`{ employees: [person] }`), `concurrency` at a time.
	 * @returns {Promise<import('./cluster.mjs').Fired>}
	 */
	cluster.fire = async (
		people,
		{ concurrency = 20, variant = 'default', headers = {}, timeoutMs = 10 * MINUTE } = {},
	) => {
		const url = `${cluster.home.baseUrl}/webhook/${cluster.webhookPaths[variant]}`;
		/** @type {import('./cluster.mjs').Fired['calls']} */
		const calls = [];
		let next = 0;
		const started = performance.now();
		const lane = async () => {
			while (next < people.length) {
				const person = people[next++];
				const sent = performance.now();
				let status = 0;
				let body = '';
				try {
					const res = await fetch(url, {
						method: 'POST',
						headers: { 'content-type': 'application/json', ...cluster.webhookHeaders, ...headers },
						body: JSON.stringify({ employees: [person] }),
						signal: AbortSignal.timeout(timeoutMs),
					});
					status = res.status;
					body = await res.text();
				} catch (error) {
					body = String(error?.cause?.message ?? error?.message ?? error);
				}
				calls.push({ email: person.email, status, ms: performance.now() - sent, body });
			}
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, people.length) }, lane));
		const wallMs = performance.now() - started;
		return { wallMs, calls, statuses: countBy(calls, (call) => call.status) };
	};

	/** The newest execution id so far: `executions({ afterId })` then counts only later ones. */
	cluster.lastExecutionId = async () => {
		const [row] = await cluster.postgres.query('select max(id) as id from execution_entity');
		return Number(row?.id ?? 0);
	};

	/** Executions of a variant's workflow by status, and why the failed ones failed. */
	cluster.executions = async ({ variant = 'default', afterId = 0 } = {}) => {
		const rows = await cluster.postgres.query(
			"select e.id, e.status, case when e.status <> 'success' then d.data end as data " +
				'from execution_entity e left join execution_data d on d."executionId" = e.id ' +
				'where e."workflowId" = $1 and e.id > $2',
			[cluster.workflowIds[variant], afterId],
		);
		const failures = rows
			.filter((row) => row.status !== 'success')
			.map((row) => ({ id: row.id, status: row.status, ...whyFailed(row.data) }));
		return { total: rows.length, byStatus: countBy(rows, (row) => row.status), failures };
	};

	/** Waits until `expected` executions have finished (the webhook may answer before). */
	cluster.settle = async (expected, { timeoutMs = 60_000, ...which } = {}) => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const runs = await cluster.executions(which);
			const open = (runs.byStatus.new ?? 0) + (runs.byStatus.running ?? 0);
			if ((runs.total >= expected && open === 0) || Date.now() > deadline) return runs;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	};

	cluster.stop = async () => {
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
		await attempt(() => cluster.stopWorkers());
		await attempt(async () => cluster.main?.stop());
		const services = [...Object.values(cluster.emulators), cluster.redis, cluster.postgres];
		await Promise.all(services.map((service) => attempt(async () => service?.stop())));
		await Promise.all(cluster.homes.map((home) => attempt(() => home.cleanup())));
		if (problems.length > 0) throw problems[0];
	};
	return cluster;
}

/** n8n stores run data with `flatted`; its own copy reads it. */
const flatted = () =>
	createRequire(path.join(E2E_DIR, 'node_modules', 'n8n', 'package.json'))('flatted');

/**
 * The failing node and message of a stored execution (best effort: the data is n8n's).
 * @param {string | undefined} data  an execution's stored data
 */
function whyFailed(data) {
	if (!data) return { node: undefined, message: 'no run data stored' };
	try {
		const run = flatted().parse(data);
		const error = run?.resultData?.error;
		return {
			node: error?.node?.name ?? run?.resultData?.lastNodeExecuted,
			message: error?.message ?? 'no error recorded',
		};
	} catch (error) {
		return { node: undefined, message: `unreadable run data: ${error.message}` };
	}
}

// ---- what the emulator saw ----------------------------------------------------------------

/**
 * Each person's Miro users (by userName, any case) and whether the only one is in the person's
 * team. `duplicates` counts users beyond the first of one userName.
 * @param {import('./cluster.mjs').NewHire[]} people
 * @param {Awaited<ReturnType<import('./cluster.mjs').EmulatorHandle['state']>>} state
 * @returns {import('./cluster.mjs').Placement}
 */
export function placement(people, state) {
	/** @type {Map<string, string[]>} */
	const idsByName = new Map();
	for (const user of state.users) {
		const key = user.userName.toLowerCase();
		idsByName.set(key, [...(idsByName.get(key) ?? []), user.id]);
	}
	const members = new Map(
		state.groups.map((group) => [group.displayName, new Set(group.members.map((m) => m.value))]),
	);
	const result = { people: people.length, exist: 0, exactlyOnce: 0, inTeam: 0, duplicates: 0 };
	for (const ids of idsByName.values()) result.duplicates += ids.length - 1;
	for (const person of people) {
		const ids = idsByName.get(person.email.toLowerCase()) ?? [];
		if (ids.length > 0) result.exist++;
		if (ids.length !== 1) continue;
		result.exactlyOnce++;
		if (members.get(person.team)?.has(ids[0])) result.inTeam++;
	}
	return result;
}

/**
 * Requests by endpoint and status, and the share answered 429.
 * @param {import('./cluster.mjs').LogEntry[]} log
 * @returns {import('./cluster.mjs').RequestStats}
 */
export function requestStats(log) {
	/** @type {Record<string, Record<string, number>>} */
	const byEndpoint = {};
	let rateLimited = 0;
	for (const entry of log) {
		const endpoint = entry.endpoint ?? `${entry.method} ${entry.path}`;
		byEndpoint[endpoint] ??= {};
		byEndpoint[endpoint][entry.status] = (byEndpoint[endpoint][entry.status] ?? 0) + 1;
		if (entry.status === 429) rateLimited++;
	}
	const total = log.length;
	return { total, rateLimited, share429: total ? rateLimited / total : 0, byEndpoint };
}

/**
 * "GET /Users 200x200, GET /Groups 200x2 429x1, ..."
 * @param {import('./cluster.mjs').RequestStats} stats
 */
export function describeRequests(stats) {
	return Object.entries(stats.byEndpoint)
		.map(
			([endpoint, statuses]) =>
				`${endpoint} ${Object.entries(statuses)
					.map(([status, n]) => `${status}x${n}`)
					.join(' ')}`,
		)
		.join(', ');
}

// What a runner of the cluster needs besides it (typed in cluster.d.mts for bench/queue.ts).
export { cleanupOnSignals, killOurChildren, packPackage, ROOT } from '../e2e/scenario.mjs';
