// @ts-check
// Postgres and Redis for n8n's queue mode, started on 127.0.0.1 with free ports and data in temp
// dirs, and stopped by process id. Plain ESM, no dependencies (the Postgres client is n8n's own
// `pg` from test/e2e/node_modules). test/queue/setup.sh installs the servers when missing.
//
//   const pg = await startPostgres();      // { host, port, user, database, env, query(), stop() }
//   const redis = await startRedis();      // { host, port, env, stop() }

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { E2E_DIR, freePort } from '../e2e/n8n.mjs';

const HOST = '127.0.0.1';

/**
 * A server in its own process group; `stop(signal)` sends `signal` to its leader, waits up to
 * `graceMs`, then kills the group.
 * @param {string} command
 * @param {string[]} args
 * @param {{ uid?: number, gid?: number, cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 */
function spawnServer(command, args, { uid, gid, cwd, env } = {}) {
	const child = spawn(command, args, {
		cwd,
		env: env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
		...(uid === undefined ? {} : { uid, gid }),
	});
	let out = '';
	child.stdout?.setEncoding('utf8').on('data', (d) => (out = (out + d).slice(-20_000)));
	child.stderr?.setEncoding('utf8').on('data', (d) => (out = (out + d).slice(-20_000)));
	/** @typedef {{ code?: number | null, signal?: NodeJS.Signals | null, error?: string }} Exit */
	/** @type {Exit | null} */
	let exited = null;
	const closed = new Promise((resolve) => {
		child.on('error', (error) => resolve((exited = { error: error.message })));
		child.on('close', (code, signal) => resolve((exited = { code, signal })));
	});
	// undefined only when the spawn failed: process.kill then throws, and kill ignores that
	const pid = /** @type {number} */ (child.pid);
	/** @param {number} target @param {NodeJS.Signals} signal */
	const kill = (target, signal) => {
		try {
			process.kill(target, signal);
		} catch {
			/* already gone */
		}
	};
	return {
		pid: child.pid,
		/** how it ended; null while it runs */
		get exited() {
			return exited;
		},
		output: () => out,
		/** @param {NodeJS.Signals} [signal] @param {number} [graceMs] */
		stop: async (signal = 'SIGTERM', graceMs = 10_000) => {
			if (!exited) {
				kill(pid, signal);
				const timer = setTimeout(() => kill(-pid, 'SIGKILL'), graceMs);
				await closed;
				clearTimeout(timer);
			}
			kill(-pid, 'SIGKILL');
		},
		closed,
	};
}

/**
 * @param {ReturnType<typeof spawnServer>} server
 * @param {string} what
 * @param {() => Promise<boolean> | boolean} ready
 * @param {number} timeoutMs
 */
async function waitFor(server, what, ready, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await ready()) return;
		if (server.exited || Date.now() > deadline) {
			await server.stop('SIGKILL', 0);
			const why = server.exited ? `exited ${JSON.stringify(server.exited)}` : 'timed out';
			throw new Error(`${what} did not start (${why}):\n${server.output().slice(-4000)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

// ---- Postgres ---------------------------------------------------------------------------

/** initdb and postgres: PG_BIN, else PATH, else Debian's /usr/lib/postgresql/<newest>/bin. */
export function postgresBinDir() {
	if (process.env.PG_BIN) return process.env.PG_BIN;
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres')))
			return dir;
	}
	const debian = '/usr/lib/postgresql';
	const versions = existsSync(debian)
		? readdirSync(debian)
				.filter((v) => existsSync(path.join(debian, v, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (versions.length > 0) return path.join(debian, versions[0], 'bin');
	throw new Error('Postgres is not installed (no initdb). Run: bash test/queue/setup.sh');
}

/**
 * initdb and postgres refuse to run as root: as root, run them as `postgres` (Debian's package
 * creates it) or else `nobody`; otherwise as ourselves.
 */
function postgresAccount() {
	if (process.getuid?.() !== 0) return {};
	const passwd = readFileSync('/etc/passwd', 'utf8').split('\n');
	for (const name of [process.env.PG_RUN_AS, 'postgres', 'nobody']) {
		const line = name && passwd.find((l) => l.startsWith(`${name}:`));
		if (line) {
			const [, , uid, gid] = line.split(':');
			return { name, uid: Number(uid), gid: Number(gid) };
		}
	}
	throw new Error('running as root and no `postgres` or `nobody` account to run Postgres as');
}

/** n8n's own Postgres client (pg), so that this harness needs nothing installed at the root. */
function pgClient() {
	return createRequire(path.join(E2E_DIR, 'package.json'))('pg');
}

/**
 * A throwaway Postgres cluster: initdb into a temp dir (owned by the account it runs as), then
 * `postgres` on 127.0.0.1 and a free port, trust auth, no fsync (the data dies with the test).
 *
 * @param {{ timeoutMs?: number }} [options]
 */
export async function startPostgres({ timeoutMs = 60_000 } = {}) {
	const bin = postgresBinDir();
	const account = postgresAccount();
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'miro-scim-pg-'));
	const dataDir = path.join(dir, 'data');
	const ids = account.uid === undefined ? {} : { uid: account.uid, gid: account.gid };
	if (account.uid !== undefined) await fs.chown(dir, account.uid, account.gid);
	const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: dir };
	const user = 'postgres';
	const database = 'postgres';
	/** @type {ReturnType<typeof spawnServer> | undefined} */
	let server;
	const stop = async () => {
		// SIGINT: Postgres's fast shutdown (ends sessions, frees its shared memory)
		await server?.stop('SIGINT', 10_000);
		await fs.rm(dir, { recursive: true, force: true });
	};
	try {
		const initdb = spawnServer(
			path.join(bin, 'initdb'),
			['-D', dataDir, '-U', user, '-A', 'trust', '-E', 'UTF8', '--no-sync'],
			{ ...ids, cwd: dir, env },
		);
		await initdb.closed;
		if (initdb.exited?.code !== 0)
			throw new Error(`initdb failed (${JSON.stringify(initdb.exited)}):\n${initdb.output()}`);
		const port = await freePort();
		server = spawnServer(
			path.join(bin, 'postgres'),
			[
				...['-D', dataDir, '-h', HOST, '-p', String(port), '-k', dir],
				...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
			],
			{ ...ids, cwd: dir, env },
		);
		const { Client } = pgClient();
		const config = { host: HOST, port, user, database };
		/** @param {string} sql @param {unknown[]} [params] @returns {Promise<any[]>} */
		const query = async (sql, params = []) => {
			const client = new Client({ ...config, connectionTimeoutMillis: 5_000 });
			await client.connect();
			try {
				return (await client.query(sql, params)).rows;
			} finally {
				await client.end();
			}
		};
		await waitFor(
			server,
			'postgres',
			() =>
				query('select 1').then(
					() => true,
					() => false,
				),
			timeoutMs,
		);
		return {
			...config,
			dir,
			runsAs: account.name,
			pid: server.pid,
			/** n8n's database settings for this cluster */
			env: {
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: HOST,
				DB_POSTGRESDB_PORT: String(port),
				DB_POSTGRESDB_USER: user,
				DB_POSTGRESDB_PASSWORD: '',
				DB_POSTGRESDB_DATABASE: database,
			},
			query,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

// ---- Redis ------------------------------------------------------------------------------

/** A throwaway redis-server on 127.0.0.1 and a free port, nothing persisted. */
export async function startRedis({ timeoutMs = 30_000 } = {}) {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'miro-scim-redis-'));
	const port = await freePort();
	const server = spawnServer(
		'redis-server',
		[
			...['--bind', HOST, '--port', String(port), '--dir', dir],
			...['--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
		],
		{ cwd: dir },
	);
	const stop = async () => {
		await server.stop('SIGTERM', 5_000);
		await fs.rm(dir, { recursive: true, force: true });
	};
	try {
		await waitFor(
			server,
			'redis-server',
			() => server.output().includes('Ready to accept connections'),
			timeoutMs,
		);
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		host: HOST,
		port,
		pid: server.pid,
		/** n8n's queue settings for this server */
		env: { QUEUE_BULL_REDIS_HOST: HOST, QUEUE_BULL_REDIS_PORT: String(port) },
		stop,
	};
}
