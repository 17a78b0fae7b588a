// @ts-check
// Self-test of the harness, independent of our real package: generates a throwaway
// community package (n8n-nodes-e2e-fake, in a temp dir, never committed), packs it,
// installs it into a fresh n8n home, imports a Bearer credential and three workflows,
// runs them headless against a local HTTP server on 127.0.0.1 and checks the output.
//
//   node test/e2e/smoke.mjs          (after: bash test/e2e/setup.sh)
//   SMOKE_SCREENSHOT=/tmp/smoke.png node test/e2e/smoke.mjs   (also screenshots the editor)
//
// Exits non-zero on the first failed check. Prints timings.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	createN8nHome,
	executeWorkflow,
	importCredential,
	importWorkflow,
	installPackage,
	listNodeTypes,
} from './n8n.mjs';

const TOKEN = 's3cret-token';

/** Runs the whole smoke test; resolves to true when every check passed. */
export async function runSmoke() {
	/** @type {Record<string, number>} */
	const t = {};
	/** @type {<T>(label: string, fn: () => Promise<T>) => Promise<T>} */
	const time = async (label, fn) => {
		const s = Date.now();
		try {
			return await fn();
		} finally {
			t[label] = Date.now() - s;
			console.log(`  ${label}: ${t[label]} ms`);
		}
	};

	// ---- 1. local HTTP API ------------------------------------------------------------
	/** @type {Array<{ method?: string, url?: string, authorization: string | null }>} */
	const requests = [];
	const server = http.createServer((req, res) => {
		requests.push({
			method: req.method,
			url: req.url,
			authorization: req.headers.authorization ?? null,
		});
		const url = new URL(req.url ?? '/', 'http://x');
		res.setHeader('content-type', 'application/json');
		if (url.pathname === '/echo') {
			res.end(
				JSON.stringify({
					path: url.pathname,
					q: url.searchParams.get('q'),
					authorization: req.headers.authorization ?? null,
				}),
			);
		} else if (url.pathname === '/secure') {
			if (req.headers.authorization !== `Bearer ${TOKEN}`) {
				res.statusCode = 401;
				res.end(JSON.stringify({ detail: 'bad token' }));
			} else {
				res.end(JSON.stringify({ ok: true, user: 'alice' }));
			}
		} else {
			res.statusCode = 404;
			res.end('{}');
		}
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	const apiBase = `http://127.0.0.1:${port}`;

	// ---- 2. throwaway community package -----------------------------------------------
	const work = await fs.mkdtemp(path.join(os.tmpdir(), 'fakepkg-'));
	const tarball = await makeFakePackage(work);
	console.log(`packed ${tarball}`);

	// ---- 3. n8n -----------------------------------------------------------------------
	const engine = process.env.E2E_EXPRESSION_ENGINE; // optional override: vm | legacy | quickjs
	const home = await createN8nHome(
		engine ? { expressionEngine: /** @type {'vm' | 'legacy' | 'quickjs'} */ (engine) } : {},
	);
	console.log(`n8n home ${home.dir}`);
	let failed = false;
	try {
		const installed = await time('installPackage', () => installPackage(home, tarball));
		assert.equal(installed.name, 'n8n-nodes-e2e-fake');

		const types = await time('listNodeTypes (first n8n run: DB migrations)', () =>
			listNodeTypes(home),
		);
		const names = types.map((n) => n.name);
		assert.ok(
			names.includes('n8n-nodes-e2e-fake.fakeEcho'),
			'community node type is loaded by n8n',
		);
		console.log(`  n8n knows ${names.length} node types incl. n8n-nodes-e2e-fake.fakeEcho`);

		const [goodCred, badCred] = await time('importCredential', () =>
			importCredential(home, [
				{
					id: 'fakeCredGood0001',
					name: 'Fake good',
					type: 'fakeBearerApi',
					data: { token: TOKEN },
				},
				{
					id: 'fakeCredBad00001',
					name: 'Fake bad',
					type: 'fakeBearerApi',
					data: { token: 'wrong' },
				},
			]),
		);

		/** @param {string} name @param {object} params @param {string} [cred] */
		const wf = (name, params, cred) => ({
			name,
			nodes: [
				{
					id: 'n1',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'n2',
					name: 'Fake Echo',
					type: 'n8n-nodes-e2e-fake.fakeEcho',
					typeVersion: 1,
					position: [220, 0],
					parameters: { baseUrl: apiBase, ...params },
					...(cred ? { credentials: { fakeBearerApi: { id: cred, name: 'cred' } } } : {}),
				},
			],
			connections: { Start: { main: [[{ node: 'Fake Echo', type: 'main', index: 0 }]] } },
		});
		const [wfPlain, wfAuth, wfBadAuth] = await time('importWorkflow (3)', () =>
			importWorkflow(home, [
				// expression in a parameter exercises the expression engine
				wf('plain', { authentication: 'none', path: "={{ '/echo?q=' + (20 + 22) }}" }),
				wf('bearer', { authentication: 'bearer', path: '/secure' }, goodCred),
				wf('bearer-wrong-token', { authentication: 'bearer', path: '/secure' }, badCred),
			]),
		);

		const r1 = await time('execute plain', () => executeWorkflow(home, wfPlain));
		assert.equal(r1.status, 'success', JSON.stringify(r1.error));
		assert.deepEqual(r1.items('Fake Echo'), [{ path: '/echo', q: '42', authorization: null }]);
		console.log(
			`    exit=${r1.exitCode} signal=${r1.signal} crashedOnExit=${r1.crashedOnExit} items=${JSON.stringify(r1.items('Fake Echo'))}`,
		);

		const r2 = await time('execute bearer', () => executeWorkflow(home, wfAuth));
		assert.equal(r2.status, 'success', JSON.stringify(r2.error));
		assert.deepEqual(r2.items('Fake Echo'), [{ ok: true, user: 'alice' }]);
		console.log(
			`    exit=${r2.exitCode} signal=${r2.signal} crashedOnExit=${r2.crashedOnExit} items=${JSON.stringify(r2.items('Fake Echo'))}`,
		);

		const r3 = await time('execute bearer-wrong-token (expected to fail)', () =>
			executeWorkflow(home, wfBadAuth),
		);
		assert.equal(r3.status, 'error');
		assert.equal(r3.ok, false);
		assert.ok(r3.exitCode !== 0, 'failed execution exits non-zero (1, or SIGSEGV on exit)');
		assert.equal(r3.lastNodeExecuted, 'Fake Echo');
		assert.ok(r3.nodeError('Fake Echo'), 'node error recorded in runData');
		console.log(
			`    exit=${r3.exitCode} signal=${r3.signal} crashedOnExit=${r3.crashedOnExit} error=${JSON.stringify(r3.error.message)} httpCode=${r3.error.httpCode}`,
		);

		// NB: on a 401, n8n's httpRequestWithAuthentication re-authenticates and retries once,
		// so the wrong token is sent twice.
		const secureCalls = requests.filter((r) => r.url === '/secure').map((r) => r.authorization);
		assert.deepEqual(secureCalls, [`Bearer ${TOKEN}`, 'Bearer wrong', 'Bearer wrong']);
		const png = process.env.SMOKE_SCREENSHOT;
		if (png) {
			// optional: the community node rendered in the real editor (needs Debian chromium)
			const { screenshotWorkflow } = await import('./screenshot.mjs');
			await time('screenshot (n8n start + chromium)', () => screenshotWorkflow(home, wfAuth, png));
			console.log(`    wrote ${png}`);
		}
		console.log('SMOKE OK', JSON.stringify(t));
	} catch (e) {
		failed = true;
		console.error('SMOKE FAILED:', e);
	} finally {
		await home.cleanup();
		await fs.rm(work, { recursive: true, force: true });
		server.close();
	}
	return !failed;
}

/**
 * Writes n8n-nodes-e2e-fake (node `fakeEcho` + credential `fakeBearerApi`) into <work>/pkg and packs it; returns the .tgz path.
 * @param {string} work
 */
export async function makeFakePackage(work) {
	const pkgDir = path.join(work, 'pkg');
	await fs.mkdir(path.join(pkgDir, 'dist/nodes/FakeEcho'), { recursive: true });
	await fs.mkdir(path.join(pkgDir, 'dist/credentials'), { recursive: true });
	const pkg = {
		name: 'n8n-nodes-e2e-fake',
		version: '0.0.1',
		license: 'MIT',
		keywords: ['n8n-community-node-package'],
		files: ['dist'],
		n8n: {
			n8nNodesApiVersion: 1,
			strict: true,
			credentials: ['dist/credentials/FakeBearerApi.credentials.js'],
			nodes: ['dist/nodes/FakeEcho/FakeEcho.node.js'],
		},
		peerDependencies: { 'n8n-workflow': '*' },
	};
	await fs.writeFile(path.join(pkgDir, 'package.json'), JSON.stringify(pkg, null, 2));
	await fs.writeFile(
		path.join(pkgDir, 'dist/credentials/FakeBearerApi.credentials.js'),
		FAKE_CREDENTIAL_JS,
	);
	await fs.writeFile(path.join(pkgDir, 'dist/nodes/FakeEcho/FakeEcho.node.js'), FAKE_NODE_JS);
	const out = execFileSync(
		'npm',
		['pack', '--silent', '--ignore-scripts', '--pack-destination', work],
		{
			cwd: pkgDir,
			encoding: 'utf8',
		},
	);
	return path.join(work, out.trim().split('\n').pop() ?? '');
}

const FAKE_CREDENTIAL_JS = `'use strict';
class FakeBearerApi {
	constructor() {
		this.name = 'fakeBearerApi';
		this.displayName = 'Fake Bearer API';
		this.properties = [
			{ displayName: 'Token', name: 'token', type: 'string', typeOptions: { password: true }, default: '' },
		];
		this.authenticate = {
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } },
		};
	}
}
exports.FakeBearerApi = FakeBearerApi;
`;

const FAKE_NODE_JS = `'use strict';
const { NodeApiError } = require('n8n-workflow');
class FakeEcho {
	constructor() {
		this.description = {
			displayName: 'Fake Echo',
			name: 'fakeEcho',
			icon: 'fa:plug',
			group: ['transform'],
			version: 1,
			description: 'Calls a local HTTP API',
			defaults: { name: 'Fake Echo' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'fakeBearerApi', required: true, displayOptions: { show: { authentication: ['bearer'] } } }],
			properties: [
				{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
				{ displayName: 'Authentication', name: 'authentication', type: 'options', default: 'none',
				  options: [{ name: 'None', value: 'none' }, { name: 'Bearer', value: 'bearer' }] },
				{ displayName: 'Path', name: 'path', type: 'string', default: '/echo' },
			],
		};
	}
	async execute() {
		const items = this.getInputData();
		const out = [];
		for (let i = 0; i < items.length; i++) {
			const auth = this.getNodeParameter('authentication', i);
			const opts = {
				method: 'GET',
				url: this.getNodeParameter('baseUrl', i) + this.getNodeParameter('path', i),
				json: true,
			};
			try {
				const res = auth === 'bearer'
					? await this.helpers.httpRequestWithAuthentication.call(this, 'fakeBearerApi', opts)
					: await this.helpers.httpRequest(opts);
				out.push({ json: res, pairedItem: { item: i } });
			} catch (error) {
				throw new NodeApiError(this.getNode(), error, { itemIndex: i });
			}
		}
		return [out];
	}
}
exports.FakeEcho = FakeEcho;
`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	process.exit((await runSmoke()) ? 0 : 1);
}
