// @ts-check
// A local npm registry for the install tests, so that n8n's own installer (Settings > Community
// Nodes, its REST API, N8N_COMMUNITY_PACKAGES) can fetch this package without the internet.
// Plain ESM, no dependencies beyond Verdaccio (test/registry/node_modules, `bash
// test/registry/setup.sh`); runs on the system Node 20.
//
//   const registry = await startRegistry();             // Verdaccio on 127.0.0.1, temp storage
//   await registry.publish(tgz);                         // npm publish, throwaway user
//   const standIn = await startNpmjsStandIn(registry);   // "registry.npmjs.org" over a proxy
//   const home = await createN8nHome({ env: standIn.env() }); // n8n reaches only the stand-in
//   await standIn.writeNpmrc(home.nodesDir);              // and so does the npm it runs
//   ...
//   await standIn.stop(); await registry.stop();
//
// Why a stand-in for registry.npmjs.org: n8n 2.41 and 1.123 refuse any other registry
// (N8N_COMMUNITY_PACKAGES_REGISTRY) unless the instance has the enterprise license feature
// `feat:communityNodesCustomRegistry` (CommunityPackagesService.getNpmRegistry). A community
// edition always installs from https://registry.npmjs.org. So the test keeps that default and
// routes n8n's traffic through HTTPS_PROXY, a local proxy that answers for registry.npmjs.org
// with a throwaway certificate (trusted through NODE_EXTRA_CA_CERTS) from Verdaccio, and refuses
// every other host (n8n's package-status check at api.n8n.io then fails open, as it does offline).

import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REGISTRY_DIR = path.dirname(fileURLToPath(import.meta.url));
const VERDACCIO_BIN = path.join(REGISTRY_DIR, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
export const NPMJS_HOST = 'registry.npmjs.org';

/** Throws a readable error if setup.sh has not installed Verdaccio. */
export function assertRegistryInstalled() {
	if (!existsSync(VERDACCIO_BIN))
		throw new Error(
			`Verdaccio is not installed (${VERDACCIO_BIN}). Run: bash test/registry/setup.sh`,
		);
}

async function freePort() {
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

/** @param {number | undefined} pid @param {NodeJS.Signals} signal */
function killGroup(pid, signal) {
	if (pid === undefined) return; // never started
	try {
		process.kill(-pid, signal);
	} catch {
		/* already gone */
	}
}

/**
 * Runs npm (the system one) and throws with its output on failure.
 * @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv }} options
 */
function npm(args, { cwd, env }) {
	try {
		return execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: 'pipe' });
	} catch (error) {
		throw new Error(`npm ${args.join(' ')} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
	}
}

/**
 * Verdaccio on 127.0.0.1 with temp storage, no uplinks (it never reaches the internet) and a
 * throwaway user that may publish. Stop it with `await registry.stop()`.
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<{url:string, dir:string, publish:(tgz:string)=>void, output:()=>string, stop:()=>Promise<void>}>}
 */
export async function startRegistry({ timeoutMs = 60_000 } = {}) {
	assertRegistryInstalled();
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'n8n-registry-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const config = [
		`storage: ${path.join(dir, 'storage')}`,
		'auth:',
		'  htpasswd:',
		`    file: ${path.join(dir, 'htpasswd')}`,
		'uplinks: {}',
		'packages:',
		"  '**':",
		'    access: $all',
		'    publish: $authenticated',
		'    unpublish: $authenticated',
		'web:',
		'  enable: false',
		'log: { type: stdout, format: json, level: warn }',
		'',
	].join('\n');
	const configFile = path.join(dir, 'config.yaml');
	await fs.writeFile(configFile, config);
	const child = spawn(
		process.execPath,
		[VERDACCIO_BIN, '--config', configFile, '--listen', `127.0.0.1:${port}`],
		{
			cwd: dir,
			env: { PATH: process.env.PATH, HOME: dir },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		},
	);
	let out = '';
	child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
	child.stderr.setEncoding('utf8').on('data', (d) => (out += d));
	/** @type {{ code: number | null, signal: NodeJS.Signals | null } | null} */
	let exited = null;
	const closed = new Promise((resolve) =>
		child.on('close', (code, signal) => resolve((exited = { code, signal }))),
	);
	const stop = async () => {
		if (!exited) {
			killGroup(child.pid, 'SIGTERM');
			const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5_000);
			await closed;
			clearTimeout(timer);
		}
		await fs.rm(dir, { recursive: true, force: true });
	};
	try {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (exited) throw new Error(`Verdaccio exited early (${JSON.stringify(exited)}):\n${out}`);
			try {
				const res = await fetch(`${url}/-/ping`, { signal: AbortSignal.timeout(2_000) });
				if (res.ok) break;
			} catch {
				/* not listening yet */
			}
			if (Date.now() > deadline)
				throw new Error(`Verdaccio not ready after ${timeoutMs} ms:\n${out}`);
			await new Promise((r) => setTimeout(r, 200));
		}
		// a throwaway user (npm's adduser call); its token publishes
		const user = 'publisher';
		const res = await fetch(`${url}/-/user/org.couchdb.user:${user}`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				name: user,
				password: 'publisher-password-1',
				type: 'user',
				roles: [],
			}),
		});
		const { token } = await res.json();
		if (res.status !== 201 || !token) throw new Error(`Verdaccio adduser: ${res.status}`);
		const npmrc = path.join(dir, 'npmrc');
		await fs.writeFile(npmrc, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=${token}\n`, {
			mode: 0o600,
		});
		const npmEnv = {
			PATH: process.env.PATH,
			HOME: dir,
			npm_config_userconfig: npmrc,
			npm_config_cache: path.join(dir, 'npm-cache'),
			npm_config_update_notifier: 'false',
		};
		return {
			url,
			dir,
			/** `npm publish <tarball>` to this registry. */
			publish: (tarball) =>
				npm(['publish', path.resolve(tarball), '--registry', `${url}/`, '--ignore-scripts'], {
					cwd: dir,
					env: npmEnv,
				}),
			output: () => out,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

/**
 * A throwaway certificate authority (valid one day) and a certificate for registry.npmjs.org
 * signed by it (openssl). Trusted only by the processes given NODE_EXTRA_CA_CERTS=caFile.
 * @param {string} dir
 */
async function npmjsCertificate(dir) {
	const file = (/** @type {string} */ name) => path.join(dir, name);
	const openssl = (/** @type {string[]} */ args) =>
		execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	openssl([
		'req',
		'-x509',
		...ec,
		'-keyout',
		'ca-key.pem',
		'-out',
		'ca.pem',
		'-days',
		'1',
		'-subj',
		'/CN=n8n-nodes-miro-scim test CA',
		'-addext',
		'basicConstraints=critical,CA:TRUE',
		'-addext',
		'keyUsage=critical,keyCertSign,cRLSign',
	]);
	openssl(['req', ...ec, '-keyout', 'key.pem', '-out', 'req.csr', '-subj', `/CN=${NPMJS_HOST}`]);
	await fs.writeFile(
		file('ext.cnf'),
		`subjectAltName=DNS:${NPMJS_HOST}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
	);
	openssl([
		'x509',
		'-req',
		'-in',
		'req.csr',
		'-CA',
		'ca.pem',
		'-CAkey',
		'ca-key.pem',
		'-CAcreateserial',
		'-out',
		'cert.pem',
		'-days',
		'1',
		'-extfile',
		'ext.cnf',
	]);
	return {
		caFile: file('ca.pem'),
		key: await fs.readFile(file('key.pem')),
		cert: await fs.readFile(file('cert.pem')),
	};
}

/**
 * An HTTP proxy on 127.0.0.1 that answers CONNECT registry.npmjs.org:443 itself, with a
 * throwaway certificate, and serves it from `registry` (Verdaccio); every other host is refused
 * (403) and listed in `refused`. `env()` is for n8n's process, `writeNpmrc(nodesDir)` for the npm it
 * runs.
 * @param {{ url: string }} registry  where the tunnelled requests go (startRegistry)
 * @returns {Promise<{url:string, caFile:string, requests:string[], refused:string[], env:()=>Record<string, string>, writeNpmrc:(dir:string)=>Promise<void>, stop:()=>Promise<void>}>}
 */
export async function startNpmjsStandIn(registry) {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'n8n-npmjs-'));
	const { key, cert, caFile } = await npmjsCertificate(dir);
	const target = new URL(registry.url);
	/** @type {string[]} */
	const requests = [];
	/** @type {string[]} */
	const refused = [];
	// Requests arriving through the tunnel, decrypted: forwarded to Verdaccio as if it were
	// https://registry.npmjs.org (its tarball URLs then point there too).
	const npmjs = https.createServer({ key, cert }, (req, res) => {
		requests.push(`${req.method} ${req.url}`);
		const upstream = http.request(
			{
				host: target.hostname,
				port: target.port,
				method: req.method,
				path: req.url,
				headers: { ...req.headers, host: NPMJS_HOST, 'x-forwarded-proto': 'https' },
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', (error) => res.destroy(error));
		req.pipe(upstream);
	});
	const proxy = http.createServer((req, res) => {
		refused.push(req.url ?? '');
		res.writeHead(403).end('offline test proxy\n');
	});
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();
	/** @param {import('node:net').Socket} socket */
	const track = (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	};
	proxy.on('connection', track);
	proxy.on('connect', (req, socket, head) => {
		const [host, port] = (req.url ?? '').split(':');
		if (host !== NPMJS_HOST || port !== '443') {
			refused.push(req.url ?? '');
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head.length > 0) socket.unshift(head);
		npmjs.emit('connection', socket);
	});
	const port = await new Promise((resolve, reject) => {
		proxy.on('error', reject);
		proxy.listen(0, '127.0.0.1', () =>
			resolve(/** @type {import('node:net').AddressInfo} */ (proxy.address()).port),
		);
	});
	const url = `http://127.0.0.1:${port}`;
	return {
		url,
		caFile,
		requests,
		refused,
		/** For n8n itself (its own registry and api.n8n.io requests). */
		env: () => ({
			HTTPS_PROXY: url,
			HTTP_PROXY: url,
			NO_PROXY: '127.0.0.1,localhost',
			NODE_EXTRA_CA_CERTS: caFile,
		}),
		/**
		 * For the npm n8n runs: an .npmrc in n8n's nodes folder, the cwd of every npm command
		 * n8n runs there. An environment alone is not enough: n8n 1.123 runs `npm outdated` with
		 * only PATH and NODE_ENV, and npm ignores NODE_EXTRA_CA_CERTS (it passes its own CA list).
		 */
		writeNpmrc: async (nodesDir) => {
			await fs.mkdir(nodesDir, { recursive: true });
			const lines = [
				`https-proxy=${url}`,
				`proxy=${url}`,
				'noproxy=127.0.0.1,localhost',
				`cafile=${caFile}`,
				`cache=${path.join(nodesDir, '.npm-cache')}`,
				'update-notifier=false',
			];
			await fs.writeFile(path.join(nodesDir, '.npmrc'), `${lines.join('\n')}\n`);
		},
		stop: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => proxy.close(() => resolve(undefined)));
			npmjs.close();
			await fs.rm(dir, { recursive: true, force: true });
		},
	};
}

/**
 * A copy of an `npm pack` tarball with another version in its package.json (for an update
 * step), written to `destDir`. Returns the new tarball's path.
 * @param {string} tarball
 * @param {string} version
 * @param {string} destDir
 */
export async function withVersion(tarball, version, destDir) {
	const work = await fs.mkdtemp(path.join(os.tmpdir(), 'n8n-bump-'));
	try {
		execFileSync('tar', ['-xzf', path.resolve(tarball), '-C', work]);
		const pkgFile = path.join(work, 'package', 'package.json');
		const pkg = JSON.parse(await fs.readFile(pkgFile, 'utf8'));
		pkg.version = version;
		await fs.writeFile(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
		const out = path.join(path.resolve(destDir), `${pkg.name}-${version}.tgz`);
		execFileSync('tar', ['-czf', out, '-C', work, 'package']);
		return out;
	} finally {
		await fs.rm(work, { recursive: true, force: true });
	}
}
