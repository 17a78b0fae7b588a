// @ts-check
// End-to-end test (`npm run test:e2e`): the same path as `npm run demo` (scenario.mjs), with
// assertions. A real n8n 2.41.1 (test/e2e/node_modules, set up on first use) gets this package
// from its `npm pack` tarball and runs the template workflows from workflows/ with
// `n8n execute` against the Miro SCIM emulator (a separate process on 127.0.0.1):
// onboarding, onboarding again (must change nothing), role change, offboarding; then the three
// again on Miro's user-group model (the emulator reset with --group-model user-group).
//
//   node --test test/e2e/e2e.test.mjs      (~4-6 min once n8n is installed)

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { listNodeTypes, setupOwner, startN8nServer } from './n8n.mjs';
import {
	checkOffboarding,
	checkOnboarding,
	checkOnboardingRerun,
	checkRoleChange,
	CREDENTIAL_TYPE,
	NODE_TYPE,
	PACKAGE_NAME,
	testScenario,
} from './scenario.mjs';

const MINUTE = 60_000;

const { progress, scenario, removeSignalHandlers } = testScenario();

/** Output of every n8n process that saw the credential in use, for the token check. */
/** @type {string[]} */
const n8nOutputs = [];

/** Tests that share the emulator's state run in order; after a failure the rest are skipped. */
let brokenBy = '';
/** @param {string} name @param {(t: import('node:test').TestContext) => Promise<void>} fn */
const stepTest = (name, fn) =>
	it(name, { timeout: 6 * MINUTE }, async (t) => {
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

/** @param {import('./templates.mjs').WorkflowKey} key */
const run = async (key) => {
	try {
		return await scenario.run(key);
	} finally {
		const last = scenario.runs.at(-1);
		if (last?.key === key) n8nOutputs.push(last.result.stdout, last.result.stderr);
	}
};

describe('n8n-nodes-miro-scim in a real n8n 2.41.1 against the Miro SCIM emulator', () => {
	before(
		async () => {
			await scenario.start();
		},
		{ timeout: 50 * MINUTE }, // the first run installs n8n (6-13 min)
	);

	after(
		async () => {
			try {
				await scenario.cleanup();
			} finally {
				removeSignalHandlers();
			}
		},
		{ timeout: 2 * MINUTE },
	);

	it('the tarball holds the node and the credential, and nothing from test/', () => {
		const files = scenario.pack.files;
		assert.ok(files.includes('package.json'));
		assert.ok(files.includes('dist/nodes/MiroScim/MiroScim.node.js'), 'node in the tarball');
		assert.ok(
			files.includes('dist/credentials/MiroScimApi.credentials.js'),
			'credential in the tarball',
		);
		const stray = files.filter(
			(/** @type {string} */ file) =>
				!/^dist\/(nodes|credentials)\//.test(file) &&
				!/^(package\.json|README\.md|LICENSE(\.md)?)$/.test(file),
		);
		assert.deepEqual(stray.slice(0, 20), [], `unexpected files in the tarball (${stray.length})`);
	});

	it('n8n lists the Miro SCIM node and credential types from the installed tarball', async () => {
		const home = scenario.home;
		// `n8n export:nodes`: the node types n8n loaded, community packages included
		const nodeTypes = await listNodeTypes(home);
		const node = nodeTypes.find((type) => type.name === NODE_TYPE);
		assert.ok(node, `${NODE_TYPE} among the ${nodeTypes.length} node types of export:nodes`);
		assert.equal(node.displayName, 'Miro SCIM');
		assert.deepEqual(
			node.credentials?.map((/** @type {{ name: string }} */ credential) => credential.name),
			[CREDENTIAL_TYPE],
			'the node uses the miroScimApi credential',
		);

		// Credential types have no CLI export: ask the editor's type files (`n8n start`).
		const server = await startN8nServer(home, { timeoutMs: 3 * MINUTE });
		try {
			const { cookie } = await setupOwner(server.baseUrl);
			/** @param {string} file @returns {Promise<any[]>} */
			const types = async (file) => {
				const res = await fetch(`${server.baseUrl}/types/${file}`, {
					headers: { cookie },
					signal: AbortSignal.timeout(60_000),
				});
				assert.equal(res.status, 200, `GET /types/${file}`);
				return await res.json();
			};
			const credentialTypes = await types('credentials.json');
			const credential = credentialTypes.find((type) => type.name === CREDENTIAL_TYPE);
			assert.ok(credential, `${CREDENTIAL_TYPE} among ${credentialTypes.length} credential types`);
			assert.equal(credential.displayName, 'Miro SCIM API');
			// n8n appends its own properties (e.g. allowedHttpRequestDomains) after ours
			assert.deepEqual(
				credential.properties.map((/** @type {{ name: string }} */ p) => p.name).slice(0, 2),
				['token', 'baseUrl'],
				'the credential fields',
			);
			const editorNodes = await types('nodes.json');
			assert.ok(
				editorNodes.some((type) => type.name === NODE_TYPE),
				`${NODE_TYPE} in the editor's node types`,
			);
		} finally {
			n8nOutputs.push(server.output());
			await server.stop();
		}
	});

	stepTest(
		'onboarding creates Ada, Grace and Alan once each and puts them in their teams',
		async () => {
			checkOnboarding(await run('onboarding'));
		},
	);

	stepTest('a second onboarding run creates nobody and changes nothing', async () => {
		const previous = scenario.runs.at(-1)?.state;
		assert.ok(previous, 'onboarding ran before');
		const rerun = await run('onboarding');
		checkOnboardingRerun(rerun, previous);
	});

	stepTest('role change makes Alan an org admin and moves him to g_app_itadmin_all', async () => {
		checkRoleChange(await run('roleChange'));
	});

	stepTest('offboarding deactivates Grace and takes her out of every team', async () => {
		checkOffboarding(await run('offboarding'));
	});

	stepTest(
		"on Miro's user-group model (no Default Team) the same templates onboard, promote and offboard",
		async () => {
			const emulator = scenario.emulator;
			await emulator.reset({ groupModel: 'user-group' });
			// Without g_app_proeng_all, onboarding's "Find or create group" creates it.
			const missing = (await emulator.state()).groups.find(
				(group) => group.displayName === 'g_app_proeng_all',
			);
			assert.ok(missing, 'g_app_proeng_all is seeded');
			const gone = await fetch(`${emulator.url}/Groups/${missing.id}`, {
				method: 'DELETE',
				headers: { authorization: `Bearer ${emulator.token}` },
			});
			assert.equal(gone.status, 204, 'DELETE /Groups/{id} on the user-group model');
			const onboarding = await run('onboarding');
			checkOnboarding(onboarding);
			const created = onboarding.log.filter(
				(entry) => entry.method === 'POST' && entry.path.endsWith('/Groups'),
			);
			assert.deepEqual(
				created.map((entry) => [entry.body.displayName, entry.status]),
				[['g_app_proeng_all', 201]],
				'one POST /Groups, for the missing group',
			);
			checkRoleChange(await run('roleChange'));
			checkOffboarding(await run('offboarding'));
		},
	);

	it('the credential token appears in no n8n output and no file of the n8n home', async () => {
		const token = scenario.emulator.token;
		assert.ok(token.length >= 32, 'a distinctive token');
		assert.ok(
			scenario.runs.some((r) => r.result.ok),
			'at least one run used the token',
		);
		assert.ok(n8nOutputs.length > 0);
		n8nOutputs.forEach((text, index) => {
			assert.equal(text.includes(token), false, `token in n8n output #${index}`);
		});
		// logs, event logs, the SQLite database (credentials are stored encrypted), settings
		/** @type {string[]} */
		const leaks = [];
		const nodesDir = path.join(scenario.home.nodesDir, 'node_modules');
		/** @param {string} dir @returns {Promise<void>} */
		const walk = async (dir) => {
			for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
				const file = path.join(dir, entry.name);
				if (file === nodesDir) continue;
				if (entry.isDirectory()) await walk(file);
				else if (entry.isFile() && (await fs.readFile(file)).includes(token)) leaks.push(file);
			}
		};
		await walk(scenario.home.dir);
		assert.deepEqual(leaks, [], 'files containing the token');
	});
	// Last: the emulator ran in contract mode (scenario.mjs); see test/contract/README.md.
	it("no request n8n sent and no answer the emulator gave departed from Miro's description", async () => {
		assert.deepEqual(await scenario.emulator.contractViolations(), []);
	});
});
