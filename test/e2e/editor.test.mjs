// @ts-check
// The builder's flow in n8n 2.41.1's real editor (`npm run test:editor`), in Debian's chromium,
// headless, through playwright-core: what a person does after installing the package, asserted
// on screen rather than only photographed.
//
//   1. a new workflow: add the Miro SCIM node from the node panel ("Get a user")
//   2. create the Miro SCIM API credential in its form; the connection test fails with the
//      node's own message for a wrong token and for a Base URL without /scim, then succeeds
//   3. before any run, a following node's input offers the node's output fields (output schema)
//   4. User > Get: From List, type, pick, execute the step, read the output panel
//   5. Group > Get: the same with the team picker; the canvas subtitles use the panel's words
//   6. Update Members: its user lists are multi-line fields
//
// The package comes from its `npm pack` tarball, installed into a fresh n8n home; the Miro SCIM
// emulator runs on 127.0.0.1 with two people added. Each step that fails saves the page as
// test/e2e/artifacts/editor-<step>.png (git-ignored). Needs /usr/bin/chromium
// (`apt-get install -y chromium`; .ci/run installs it when missing).
//
//   node --test test/e2e/editor.test.mjs      (~2-3 min once n8n is installed)

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { createN8nHome, installPackage, startN8nServer } from './n8n.mjs';
import {
	buildPackage,
	cleanupOnSignals,
	E2E_DIR,
	killOurChildren,
	NODE_TYPE,
	packPackage,
	runSetup,
	startEmulator,
} from './scenario.mjs';
import { canvasNode, launchChromium, openEditorPage } from './screenshot.mjs';

const MINUTE = 60_000;
const ARTIFACTS = path.join(E2E_DIR, 'artifacts');
const progress = (line = '') => process.stderr.write(`${line}\n`);

/** The connection test's messages (credentials/MiroScimApi.credentials.ts), as n8n shows them. */
const WRONG_TOKEN =
	'Miro did not accept the SCIM token. Generate a new one in Miro (Admin console > Enterprise integrations > SCIM provisioning), paste it into SCIM Token and test again.';
const WRONG_URL =
	/^No SCIM service at this Base URL\. For Miro it must be https:\/\/miro\.com\/api\/v1\/scim \(it must end in \/api\/v1\/scim\)/;

const PEOPLE = [
	{ userName: 'ada.lovelace@example.com', givenName: 'Ada', familyName: 'Lovelace' },
	{ userName: 'grace.hopper@example.com', givenName: 'Grace', familyName: 'Hopper' },
];
/** The node added from the panel is named after its action. */
const NODE = 'Get a user';
/** The resource's word in the panel: "Group" ("Team" before the rename). */
const GROUP_WORD = /^(Group|Team)$/;

/**
 * @type {{
 *   tmpDir?: string,
 *   emulator?: import('../helpers/emulator.mjs').EmulatorHandle<any, any>,
 *   home?: import('./n8n.mjs').N8nHome,
 *   browser?: import('playwright-core').Browser,
 *   baseUrl: string,
 * }}
 */
const env = {
	tmpDir: undefined,
	emulator: undefined,
	home: undefined,
	browser: undefined,
	baseUrl: '',
};
/** @type {import('playwright-core').Page} the editor, opened in before() */
let page;
/** @type {string[]} Every /schemas/... answer the editor got: "status path". */
const schemaRequests = [];

const cleanup = async () => {
	await env.browser?.close().catch(() => {});
	await env.emulator?.stop().catch(() => {});
	await env.home?.cleanup().catch(() => {});
	killOurChildren();
	if (env.tmpDir) await fs.rm(env.tmpDir, { recursive: true, force: true });
};
const removeSignalHandlers = cleanupOnSignals(cleanup);

/** Steps share one page; after a failure the rest are skipped, and the page is saved. */
let brokenBy = '';
/** @param {string} name @param {() => Promise<void>} fn */
const step = (name, fn) =>
	it(name, { timeout: 4 * MINUTE }, async (t) => {
		if (brokenBy) {
			t.skip(`"${brokenBy}" failed`);
			return;
		}
		try {
			await fn();
		} catch (error) {
			brokenBy = name;
			if (page) {
				await fs.mkdir(ARTIFACTS, { recursive: true });
				const file = path.join(
					ARTIFACTS,
					`editor-${name.replace(/[^\w]+/g, '-').slice(0, 60)}.png`,
				);
				if (await page.screenshot({ path: file, timeout: 10_000 }).catch(() => false))
					progress(`page at the failure: ${path.relative(process.cwd(), file)}`);
			}
			throw error;
		}
	});

/** @param {{ url: string, token: string }} emulator */
async function seedPeople(emulator) {
	for (const person of PEOPLE) {
		const res = await fetch(`${emulator.url}/Users`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${emulator.token}`,
				'content-type': 'application/scim+json',
			},
			body: JSON.stringify({
				schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
				userName: person.userName,
				name: { givenName: person.givenName, familyName: person.familyName },
				displayName: `${person.givenName} ${person.familyName}`,
			}),
			signal: AbortSignal.timeout(15_000),
		});
		assert.equal(res.status, 201, `seeding ${person.userName}`);
	}
}

// ---- small page helpers ------------------------------------------------------------------

/** @param {string} selector */
const visible = (selector) => page.locator(`${selector} >> visible=true`);

/**
 * Pick the option whose title (first line) is `label` (text or RegExp) in select `name`.
 * @param {string} name
 * @param {string | RegExp} label
 */
async function choose(name, label) {
	await page.click(`[data-test-id="parameter-input-${name}"]`);
	const options = visible('.el-select-dropdown__item');
	await options.first().waitFor();
	const titles = (await options.allInnerTexts()).map((text) => text.split('\n')[0].trim());
	const index = titles.findIndex((title) =>
		label instanceof RegExp ? label.test(title) : title === label,
	);
	assert.ok(index >= 0, `"${label}" among the options of ${name}: ${titles.join(', ')}`);
	await options.nth(index).click();
	await visible('.el-select-dropdown__item').first().waitFor({ state: 'hidden' });
}

/** The connection test's banner in the credential form: "success" or the failure's details. */
async function credentialTestOutcome() {
	const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
	const success = dialog.locator('[data-test-id="credentials-config-container-test-success"]');
	const failure = dialog.getByText('Couldn’t connect with these settings');
	await success.or(failure).first().waitFor();
	if (await success.isVisible()) return 'success';
	const more = dialog.getByText('More details');
	if (await more.isVisible()) await more.click();
	return (await dialog.innerText()).split('\n').map((line) => line.trim());
}

/** Press the form's Retry (the connection test) and wait until that test has answered. */
async function retryCredentialTest() {
	const selector = '[data-test-id="credential-edit-dialog"] button[title="Retry credential test"]';
	await visible(selector).first().click();
	// while the test runs the button reads "Retrying" and the previous banner stays
	await page.waitForFunction(
		(buttons) =>
			[...document.querySelectorAll(buttons)].every(
				(button) => button.textContent?.trim() !== 'Retrying',
			),
		selector,
		{ polling: 200 },
	);
}

/**
 * Open "From List" of the resource locator `name`, type `text`, return the entries shown.
 * @param {string} name
 * @param {string} text
 * @param {string | RegExp} expectedEntry
 */
async function searchPicker(name, text, expectedEntry) {
	await page.click(`[data-test-id="resource-locator-${name}"] [data-test-id="rlc-input"]`);
	await visible('[data-test-id="rlc-search"]').first().waitFor();
	await page.keyboard.type(text, { delay: 60 });
	const entry = visible('[data-test-id="rlc-item"]').filter({ hasText: expectedEntry });
	await entry.first().waitFor();
	const entries = await visible('[data-test-id="rlc-item"]').allInnerTexts();
	return { entries: entries.map((entry) => entry.trim()), pick: () => entry.first().click() };
}

/** The output panel's items as JSON (its JSON view), or undefined before the first run. */
async function outputJson() {
	const output = page.locator('[data-test-id="output-panel"]');
	if (!(await output.locator('[data-test-id="node-run-status-success"]').isVisible()))
		return undefined;
	await output.locator('[data-test-id="radio-button-json"]').click();
	const text = (await output.locator('[data-test-id="ndv-data-container"]').innerText())
		// the JSON view indents with no-break spaces
		.replace(/\u00a0/g, ' ');
	return JSON.parse(text.slice(text.indexOf('['), text.lastIndexOf(']') + 1));
}

/** Execute the open node (NDV); returns the new output, read from the output panel. */
async function executeStep() {
	const before = JSON.stringify((await outputJson()) ?? null);
	await page.click('[data-test-id="ndv"] [data-test-id="node-execute-button"]');
	const deadline = Date.now() + 2 * MINUTE;
	let problem = 'no output yet';
	for (;;) {
		const items = await outputJson().catch((error) => {
			problem = error.message;
		});
		if (items && JSON.stringify(items) !== before) return items;
		assert.ok(Date.now() < deadline, `the step ran and the output panel changed (${problem})`);
		await page.waitForTimeout(500);
	}
}

/** @param {string} name */
async function openNode(name) {
	await page.dblclick(canvasNode(name));
	await page.waitForSelector('[data-test-id="ndv"] [data-test-id="node-parameters"]');
}

async function closeNode() {
	await page.click('[data-test-id="ndv-close-button"]');
	await page.waitForSelector('[data-test-id="ndv"]', { state: 'hidden' });
}

/**
 * The Miro SCIM node's name now: n8n renames a node still called after its action when the
 * action changes ("Get a user" becomes "Get a team"), so it is found by what it is not.
 */
async function miroNode() {
	const names = await page.$$eval('[data-test-id="canvas-node"]', (nodes) =>
		nodes.map((node) => node.getAttribute('data-node-name') ?? ''),
	);
	const miro = names.filter((name) => !/^(When clicking|No Operation)/.test(name));
	assert.equal(miro.length, 1, `one Miro SCIM node among ${names.join(', ')}`);
	return miro[0];
}

/** The canvas node's lines of text: its name, then the subtitle. */
/** @param {string} name */
const canvasText = async (name) =>
	(await page.locator(canvasNode(name)).innerText()).split('\n').map((line) => line.trim());

// ---- the test ----------------------------------------------------------------------------

describe('the builder flow in n8n 2.41.1 editor (chromium)', () => {
	before(
		async () => {
			const started = Date.now();
			progress('== n8n install, build, pack, emulator, n8n start');
			const stage = (/** @type {string} */ what) =>
				progress(`  ${what} (${Math.round((Date.now() - started) / 1000)} s)`);
			await runSetup({ log: progress });
			await buildPackage();
			env.tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'miro-scim-editor-'));
			const pack = await packPackage(env.tmpDir);
			stage('built and packed');
			env.emulator = await startEmulator({ token: `miro-editor-${Date.now()}` });
			await seedPeople(env.emulator);
			env.home = await createN8nHome();
			await installPackage(env.home, pack.tarball);
			stage('emulator up, package installed');
			const server = await startN8nServer(env.home, { timeoutMs: 4 * MINUTE });
			env.browser = await launchChromium();
			({ page } = await openEditorPage(env.browser, server.baseUrl, { timeoutMs: 60_000 }));
			page.on('response', (response) => {
				const url = new URL(response.url());
				if (url.pathname.startsWith('/schemas/'))
					schemaRequests.push(`${response.status()} ${url.pathname}`);
			});
			env.baseUrl = server.baseUrl;
			progress(`  ready in ${Math.round((Date.now() - started) / 1000)} s: ${server.baseUrl}`);
		},
		{ timeout: 50 * MINUTE }, // the first run installs n8n (6-13 min)
	);

	after(
		async () => {
			try {
				await cleanup();
			} finally {
				removeSignalHandlers();
			}
		},
		{ timeout: 2 * MINUTE },
	);

	step('adds the Miro SCIM node from the node panel', async () => {
		await page.goto(`${env.baseUrl}/workflow/new`, { waitUntil: 'domcontentloaded' });
		await page.click('[data-test-id="canvas-add-button"]');
		await page.waitForSelector('[data-test-id="node-creator-search-bar"]');
		await page.keyboard.type('Miro SCIM', { delay: 30 });
		const items = page.locator('[data-test-id="node-creator-item-name"]');
		await items
			.filter({ hasText: /^Miro SCIM$/ })
			.first()
			.click();
		await items
			.filter({ hasText: /^Get a user$/ })
			.first()
			.click();
		await page.waitForSelector('[data-test-id="ndv"] [data-test-id="resource-locator-user"]');
		assert.equal(await page.inputValue('[data-test-id="parameter-input-resource"] input'), 'User');
		assert.equal(await page.inputValue('[data-test-id="parameter-input-operation"] input'), 'Get');
	});

	step('creates the credential: the test names the fix, then succeeds', async () => {
		await page.click('[data-test-id="node-credentials-empty-state"] button');
		await page.waitForSelector('[data-test-id="credential-edit-dialog"]');
		const token = page.locator('[data-test-id="parameter-input-token"] input');
		const baseUrl = page.locator('[data-test-id="parameter-input-baseUrl"] input');
		const emulator = env.emulator;
		assert.ok(emulator, 'the emulator started in before()');
		await token.fill('not-the-scim-token');
		await baseUrl.fill(emulator.url);
		// n8n tests a credential when it is saved
		await page.click('[data-test-id="credential-save-button"]');
		const wrongToken = await credentialTestOutcome();
		assert.ok(Array.isArray(wrongToken), 'a wrong token fails the test');
		assert.ok(wrongToken.includes(WRONG_TOKEN), `the 401 message in: ${wrongToken.join(' | ')}`);
		assert.ok(!wrongToken.includes('Unauthorized'), 'not the bare status text');

		await token.fill(emulator.token);
		await baseUrl.fill(emulator.url.replace(/\/scim$/, ''));
		await retryCredentialTest();
		const wrongUrl = await credentialTestOutcome();
		assert.ok(Array.isArray(wrongUrl), 'a Base URL without /scim fails the test');
		assert.ok(
			wrongUrl.some((line) => WRONG_URL.test(line)),
			`the 404 message in: ${wrongUrl.join(' | ')}`,
		);

		await baseUrl.fill(emulator.url);
		await retryCredentialTest();
		assert.equal(await credentialTestOutcome(), 'success');
		await page.click('[data-test-id="credential-save-button"]');
		await page.waitForSelector('[data-test-id="credential-edit-dialog"]', { state: 'hidden' });
		assert.match(
			await page.inputValue('[data-test-id="node-credentials-select"] input'),
			/Miro SCIM/,
			'the node uses the new credential',
		);
	});

	step('picks a user From List by typing, and shows name and email first', async () => {
		const picker = await searchPicker('user', 'ada', 'ada.lovelace@example.com');
		assert.deepEqual(picker.entries, ['Ada Lovelace <ada.lovelace@example.com>']);
		await picker.pick();
		await page.waitForSelector('[data-test-id="rlc-search"]', { state: 'hidden' });
		assert.equal(
			await page.inputValue(
				'[data-test-id="resource-locator-user"] input[data-test-id="rlc-input"]',
			),
			'Ada Lovelace <ada.lovelace@example.com>',
		);
	});

	step('offers the output fields to the next node before any run (output schema)', async () => {
		await closeNode();
		const [canvasName, subtitle] = (await canvasText(NODE)).slice(-2);
		assert.equal(canvasName, NODE);
		assert.equal(subtitle, 'Get: User', 'the subtitle in the panel words');
		// the package serves the schema n8n's editor asks for
		const answer = await page.evaluate(async (url) => {
			const res = await fetch(url);
			return { status: res.status, body: res.ok ? await res.json() : null };
		}, `/schemas/${NODE_TYPE}/2.0.0/user/get.json`);
		assert.equal(answer.status, 200, 'GET /schemas/.../user/get.json');
		assert.ok(answer.body.properties.id && answer.body.properties.email);

		// a No Operation node after it: its input panel previews the fields before a run
		await page.hover(canvasNode(NODE));
		await page.click(`${canvasNode(NODE)} [data-test-id="canvas-handle-plus"]`);
		await page.waitForSelector('[data-test-id="node-creator-search-bar"]');
		await page.keyboard.type('No Operation', { delay: 30 });
		await page
			.locator('[data-test-id="node-creator-item-name"]')
			.filter({ hasText: /^No Operation, do nothing$/ })
			.first()
			.click();
		const input = page.locator('[data-test-id="ndv-input-panel"]');
		await input.locator('[data-test-id="run-data-schema-item"]').first().waitFor();
		await input.locator('[data-test-id="schema-preview-warning"]').waitFor();
		const names = (await input.innerText()).split('\n').map((line) => line.trim());
		for (const field of ['id', 'email', 'displayName', 'active', 'groups'])
			assert.ok(
				names.includes(field),
				`"${field}" among the previewed fields: ${names.join(', ')}`,
			);
		assert.ok(
			schemaRequests.includes(`200 /schemas/${NODE_TYPE}/2.0.0/user/get.json`),
			`the editor loaded the schema: ${schemaRequests.join(', ') || 'no request'}`,
		);
		await closeNode();
	});

	step('User > Get runs and the output panel shows the picked user', async () => {
		await openNode(NODE);
		const [user] = await executeStep();
		assert.equal(user.email, 'ada.lovelace@example.com');
		assert.equal(user.displayName, 'Ada Lovelace');
		assert.match(user.id, /^\d{19}$/, 'a 19-digit id, kept as a string');
		assert.deepEqual(
			user.groups.map((/** @type {{ name: string }} */ group) => group.name),
			['Default Team'],
		);
	});

	step('Group > Get: picks a team From List and runs', async () => {
		await choose('resource', GROUP_WORD);
		await choose('operation', 'Get');
		const picker = await searchPicker('group', 'engin', /^Engineering$/);
		assert.deepEqual(picker.entries, ['Engineering'], 'team entries are their names');
		await picker.pick();
		const [team] = await executeStep();
		assert.equal(team.name, 'Engineering');
		assert.match(team.id, /^\d{19}$/);
		await closeNode();
		const subtitle = (await canvasText(await miroNode())).at(-1) ?? '';
		assert.match(subtitle, /^Get: (Group|Team)$/);
	});

	step('Update Members: subtitle in words, user lists are multi-line', async () => {
		await openNode(await miroNode());
		await choose('operation', 'Update Members');
		for (const name of ['add', 'remove']) {
			const field = page.locator(`[data-test-id="parameter-input-${name}"] textarea`);
			await field.waitFor();
			await field.fill('ada.lovelace@example.com\ngrace.hopper@example.com');
			assert.equal(
				await field.inputValue(),
				'ada.lovelace@example.com\ngrace.hopper@example.com',
				`${name}: one user per line`,
			);
			await field.fill('');
		}
		await closeNode();
		assert.match(
			(await canvasText(await miroNode())).at(-1) ?? '',
			/^Update Members: (Group|Team)$/,
		);
	});
});
