// @ts-check
// End-to-end test of workflows/onboarding-webhook.json as an operator runs it: imported into a
// real n8n 2.41.1 with this package installed from its `npm pack` tarball (scenario.mjs), a Header
// Auth credential with a generated secret, the workflow activated, `n8n start`, and the webhook
// called over HTTP; Miro is the emulator (a separate process on 127.0.0.1).
//
//   node --test test/e2e/webhook.test.mjs      (~3-4 min once n8n is installed)

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
	activateWorkflow,
	importCredential,
	importWorkflow,
	startN8nServer,
	waitForWebhook,
} from './n8n.mjs';
import {
	callWebhook,
	loadWebhookWorkflow,
	teamsOf,
	usersNamed,
	WEBHOOK,
	webhookCredential,
	testScenario,
} from './scenario.mjs';

const MINUTE = 60_000;

const { progress, scenario, removeSignalHandlers } = testScenario();

const SECRET = randomBytes(32).toString('hex');
/** @param {string} email @param {string} team */
const person = (email, team) => ({ email, firstName: 'Test', lastName: 'Person', team });
/** @type {import('./n8n.mjs').N8nServer} */
let server;

/**
 * The emulator's request log of one call, and what the webhook answered.
 * @param {unknown} body
 * @param {string} [secret]
 */
async function callAndLog(body, secret) {
	await scenario.emulator.clearLog();
	const response = await callWebhook(server.baseUrl, body, { secret });
	const log = await scenario.emulator.log();
	for (const text of [response.text, JSON.stringify(response.json ?? '')]) {
		assert.equal(text.includes(SECRET), false, 'the secret in the response');
		assert.equal(text.includes(scenario.emulator.token), false, 'the Miro token in the response');
	}
	return { ...response, log };
}

/** @param {string} email @param {string} team @param {string} reason */
const refused = (email, team, reason) => ({ email, team, status: 'refused', reason });

describe('the onboarding webhook, activated in a real n8n 2.41.1', () => {
	before(
		async () => {
			await scenario.start();
			progress(`== Activate ${WEBHOOK.file} with a Header Auth credential`);
			await importCredential(scenario.home, webhookCredential(SECRET));
			await importWorkflow(scenario.home, await loadWebhookWorkflow());
			await activateWorkflow(scenario.home, WEBHOOK.id);
			server = await startN8nServer(scenario.home, { timeoutMs: 3 * MINUTE });
			await waitForWebhook(scenario.home, WEBHOOK.path);
			progress(`  POST ${server.baseUrl}/webhook/${WEBHOOK.path}`);
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

	const body = { employees: [person('katherine.johnson@example.com', 'Marketing')] };

	it('refuses a call without the header, and Miro hears nothing', async () => {
		const res = await callAndLog(body, undefined);
		assert.ok([401, 403].includes(res.status), `status ${res.status}: ${res.text}`);
		assert.deepEqual(res.log, []);
	});

	it('refuses a call with a wrong secret, and Miro hears nothing', async () => {
		for (const secret of [randomBytes(32).toString('hex'), '', SECRET.slice(0, -1)]) {
			const res = await callAndLog(body, secret);
			assert.ok([401, 403].includes(res.status), `status ${res.status}: ${res.text}`);
			assert.deepEqual(res.log, []);
		}
		const state = await scenario.emulator.state();
		assert.deepEqual(usersNamed(state, 'katherine.johnson@example.com'), []);
	});

	it(
		'onboards with the right secret: created and placed in the team',
		{ timeout: 3 * MINUTE },
		async () => {
			const res = await callAndLog(body, SECRET);
			assert.equal(res.status, 200, res.text);
			assert.deepEqual(res.json, {
				people: [
					{
						email: 'katherine.johnson@example.com',
						team: 'Marketing',
						status: 'created',
						placed: true,
					},
				],
			});
			const state = await scenario.emulator.state();
			assert.equal(usersNamed(state, 'katherine.johnson@example.com').length, 1);
			assert.deepEqual(teamsOf(state, 'katherine.johnson@example.com'), [
				'Default Team',
				'Marketing',
			]);
		},
	);

	it('refuses an allowlisted domain asking for an admin team, and creates nobody', async () => {
		const res = await callAndLog(
			{ employees: [person('mallory@example.com', 'g_app_itadmin_all')] },
			SECRET,
		);
		assert.equal(res.status, 200, res.text);
		assert.deepEqual(res.json, {
			people: [refused('mallory@example.com', 'g_app_itadmin_all', 'team is not on the allowlist')],
		});
		assert.deepEqual(res.log, []);
		const state = await scenario.emulator.state();
		assert.deepEqual(usersNamed(state, 'mallory@example.com'), []);
		assert.deepEqual(teamsOf(state, 'mallory@example.com'), []);
	});

	it('refuses an unknown domain and still onboards the others of the same call', async () => {
		const res = await callAndLog(
			{
				employees: [
					person('eve@attacker.test', 'Marketing'),
					person('katherine.johnson@example.com', 'Marketing'),
				],
			},
			SECRET,
		);
		assert.equal(res.status, 200, res.text);
		assert.deepEqual(res.json, {
			people: [
				{
					email: 'katherine.johnson@example.com',
					team: 'Marketing',
					status: 'existing',
					placed: true,
				},
				refused('eve@attacker.test', 'Marketing', 'email domain is not on the allowlist'),
			],
		});
		assert.equal(
			res.log.filter((entry) => JSON.stringify(entry).includes('attacker.test')).length,
			0,
			'a request about the refused person',
		);
		assert.deepEqual(usersNamed(await scenario.emulator.state(), 'eve@attacker.test'), []);
	});

	it('answers 400 with a message to a malformed body, and Miro hears nothing', async () => {
		for (const malformed of ['{"employees": "katherine"}', '{"people": []}', '[]', '""']) {
			const res = await callAndLog(malformed, SECRET);
			assert.equal(res.status, 400, `${malformed}: ${res.status} ${res.text}`);
			assert.deepEqual(Object.keys(res.json ?? {}), ['error'], res.text);
			assert.match(res.json.error, /employees/);
			assert.deepEqual(res.log, []);
		}
		// Not JSON at all: n8n's body parser refuses it (422) before the workflow runs.
		const res = await callAndLog('not json', SECRET);
		assert.equal(res.status, 422, res.text);
		assert.deepEqual(res.log, []);
	});

	it('the secret appears in no n8n log output', async () => {
		const output = server.output();
		assert.ok(output.length > 0);
		assert.equal(output.includes(SECRET), false, 'the secret in the output of n8n start');
		// Reported, not asserted: n8n stores each execution's webhook request, headers included.
		const found = await filesContaining(scenario.home.dir, SECRET);
		progress(`the secret is stored in: ${found.join(', ') || 'no file'} (n8n's execution data)`);
	});
	// Last: the emulator ran in contract mode (scenario.mjs); see test/contract/README.md.
	it("no request n8n sent and no answer the emulator gave departed from Miro's description", async () => {
		assert.deepEqual(await scenario.emulator.contractViolations(), []);
	});
});

/**
 * Files under `dir` whose bytes contain `text` (the installed package skipped).
 * @param {string} dir
 * @param {string} text
 * @returns {Promise<string[]>}
 */
async function filesContaining(dir, text) {
	/** @type {string[]} */
	const found = [];
	for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
		const file = path.join(dir, entry.name);
		if (entry.name === 'node_modules') continue;
		if (entry.isDirectory()) found.push(...(await filesContaining(file, text)));
		else if (entry.isFile() && (await fs.readFile(file)).includes(text))
			found.push(path.relative(scenario.home.dir, file));
	}
	return found;
}
