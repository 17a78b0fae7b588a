// @ts-check
// Screenshot a workflow in the real n8n editor (headless Debian chromium via playwright-core).
//
// As a module:
//   import { screenshotWorkflow } from './screenshot.mjs';
//   await screenshotWorkflow(home, workflowId, '/tmp/wf.png');   // starts/stops n8n itself if needed
//
// As a CLI (needs: bash test/e2e/setup.sh; apt-get install -y chromium):
//   node test/e2e/screenshot.mjs --out shot.png [--tarball pkg.tgz] [--credentials creds.json] [--workflow wf.json]
//     --workflow   a workflow JSON file (object or array; the first one is shown); default: a tiny demo workflow
//     --credentials a JSON array of {id,name,type,data} to import first
//     --tarball    an `npm pack` tarball of a community package to install first
//     --execute    also run the workflow headless first (the editor then shows it in Executions)
//
// Building blocks for longer scripted captures (see capture-docs.mjs): launchChromium,
// openEditorPage, openWorkflow, executeInEditor, zoomToFit, dismissPopups, canvasNode.

import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import {
	createN8nHome,
	executeWorkflow,
	importCredential,
	importWorkflow,
	installPackage,
	setupOwner,
	startN8nServer,
} from './n8n.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-dev-shm-usage',
];

/**
 * Open /workflow/<id> in the editor as the instance owner and save a PNG.
 * Starts `n8n start` for this home unless one is already running (home.server).
 * @param {import('./n8n.mjs').N8nHome} home
 * @param {string} workflowId
 * @param {string} outPng
 * @param {{ width?: number, height?: number, fullPage?: boolean }} [options]
 * @returns {Promise<string>} the PNG path
 */
export async function screenshotWorkflow(
	home,
	workflowId,
	outPng,
	{ width = 1440, height = 900, fullPage = false } = {},
) {
	if (!existsSync(CHROMIUM))
		throw new Error(`${CHROMIUM} not found: apt-get update && apt-get install -y chromium`);
	const { chromium } = await import('playwright-core');
	const ownServer = !home.server;
	const server = home.server ?? (await startN8nServer(home));
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
	});
	try {
		const { authToken } = await setupOwner(server.baseUrl); // skips the owner-setup screen
		const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
		await context.addCookies([{ name: 'n8n-auth', value: authToken, url: server.baseUrl }]);
		const page = await context.newPage();
		await page.goto(`${server.baseUrl}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
		await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 90_000 });
		// let the canvas fit-to-view and fonts/icons settle
		await page.waitForLoadState('load');
		await page.waitForTimeout(1500);
		await fs.mkdir(path.dirname(path.resolve(outPng)), { recursive: true });
		await page.screenshot({ path: outPng, fullPage });
		await context.close();
		return outPng;
	} finally {
		await browser.close();
		if (ownServer) await server.stop();
	}
}

// ---- building blocks for scripted captures (capture-docs.mjs) --------------------------
// screenshotWorkflow above stays as it is; these drive one long-lived page instead.

/**
 * Debian's chromium, headless, with the flags above. Close it with `await browser.close()`.
 * Playwright's own SIGINT/SIGTERM/SIGHUP handlers are off by default: on Ctrl+C they close the
 * browser and call process.exit(130) at once, before the caller's cleanup (e.g. scenario.mjs's
 * cleanupOnSignals) has stopped n8n and deleted its temp folders.
 */
export async function launchChromium({ handleSignals = false } = {}) {
	if (!existsSync(CHROMIUM))
		throw new Error(`${CHROMIUM} not found: apt-get update && apt-get install -y chromium`);
	const { chromium } = await import('playwright-core');
	return await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
		handleSIGINT: handleSignals,
		handleSIGTERM: handleSignals,
		handleSIGHUP: handleSignals,
	});
}

/**
 * A new browser context logged in as the instance owner (created through the REST API if
 * needed) and a page in it. Every wait on the page defaults to `timeoutMs`. Requests to other
 * hosts than 127.0.0.1/localhost are aborted and listed in `blocked`.
 * @param {import('playwright-core').Browser} browser
 * @param {string} baseUrl
 * @param {{ width?: number, height?: number, timeoutMs?: number }} [options]
 * @returns {Promise<{context: import('playwright-core').BrowserContext, page: import('playwright-core').Page, blocked: string[]}>}
 */
export async function openEditorPage(
	browser,
	baseUrl,
	{ width = 1400, height = 800, timeoutMs = 60_000 } = {},
) {
	const { authToken } = await setupOwner(baseUrl);
	const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
	await context.addCookies([{ name: 'n8n-auth', value: authToken, url: baseUrl }]);
	// n8n is on 127.0.0.1: anything else the editor asks for (fonts, telemetry, ...) is refused
	/** @type {string[]} */
	const blocked = [];
	await context.route(
		(url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
		(route) => {
			blocked.push(route.request().url());
			return route.abort('blockedbyclient');
		},
	);
	const page = await context.newPage();
	page.setDefaultTimeout(timeoutMs);
	page.setDefaultNavigationTimeout(timeoutMs);
	return { context, page, blocked };
}

/** A CSS selector for the canvas node called `name`. */
/** @param {string} name */
export const canvasNode = (name) =>
	`[data-test-id="canvas-node"][data-node-name=${JSON.stringify(name)}]`;

/**
 * Open /workflow/<id> on `page` and wait until its nodes are drawn and every node icon
 * image (community node icons are <img> from /icons/...) has loaded.
 * @param {import('playwright-core').Page} page
 * @param {string} baseUrl
 * @param {string} workflowId
 * @param {{ timeoutMs?: number }} [options]
 */
export async function openWorkflow(page, baseUrl, workflowId, { timeoutMs = 90_000 } = {}) {
	await page.goto(`${baseUrl}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: timeoutMs });
	await page.waitForLoadState('load', { timeout: timeoutMs });
	await page.waitForFunction(
		() =>
			[
				.../** @type {NodeListOf<HTMLImageElement>} */ (
					document.querySelectorAll('[data-test-id="canvas-node"] img')
				),
			].every((img) => img.complete && img.naturalWidth > 0),
		undefined,
		{ timeout: timeoutMs },
	);
	await page.waitForTimeout(1000); // the canvas fits the view once the nodes are measured
}

/**
 * Before a screenshot: close the toasts ("Workflow executed successfully", ...), move the
 * pointer to `pointer` ({x, y}) and blur the focused element. The NDV and the node creator
 * stay open.
 * @param {import('playwright-core').Page} page
 * @param {{ timeoutMs?: number, pointer?: { x: number, y: number } }} [options]
 */
export async function dismissPopups(page, { timeoutMs = 10_000, pointer } = {}) {
	for (const button of await page.$$('.el-notification .el-notification__closeBtn')) {
		await button.click({ timeout: 2_000 }).catch(() => {});
	}
	await page
		.waitForFunction(() => document.querySelectorAll('.el-notification').length === 0, undefined, {
			timeout: timeoutMs,
		})
		.catch(() => {});
	// park the pointer (default: an empty corner of the canvas) and drop focus, so that
	// nothing shows a hover toolbar, a tooltip or a focus ring
	const { x, y } = pointer ?? { x: (page.viewportSize()?.width ?? 0) - 120, y: 80 };
	await page.mouse.move(x, y);
	await page.evaluate(() => /** @type {HTMLElement | null} */ (document.activeElement)?.blur?.());
	await page.waitForTimeout(400);
}

/**
 * The canvas' "Zoom to fit" control, then a short wait for the animation.
 * @param {import('playwright-core').Page} page
 */
export async function zoomToFit(page) {
	await page.click('[data-test-id="zoom-to-fit"]');
	await page.waitForTimeout(800);
}

/**
 * Click "Execute workflow" in the editor and wait until `lastNode` shows its green check.
 * Throws if a node ends in an error instead, or after `timeoutMs`.
 * @param {import('playwright-core').Page} page
 * @param {string} lastNode
 * @param {{ timeoutMs?: number }} [options]
 */
export async function executeInEditor(page, lastNode, { timeoutMs = 120_000 } = {}) {
	await page.click('[data-test-id="execute-workflow-button"]');
	const done = await page.waitForFunction(
		(selector) => {
			// a failed node (or one with parameter/credential issues) shows `node-issues`
			if (document.querySelector('[data-test-id="canvas-node"] [data-test-id="node-issues"]'))
				return 'error';
			return document.querySelector(`${selector} [data-test-id="canvas-node-status-success"]`)
				? 'success'
				: false;
		},
		canvasNode(lastNode),
		{ timeout: timeoutMs },
	);
	const outcome = await done.jsonValue();
	if (outcome !== 'success') {
		const failed = await page.$$eval('[data-test-id="canvas-node"]', (nodes) =>
			nodes
				.filter((n) => n.querySelector('[data-test-id="node-issues"]'))
				.map((n) => n.getAttribute('data-node-name')),
		);
		throw new Error(`the execution failed in the editor (node: ${failed.join(', ') || '?'})`);
	}
	await page.waitForTimeout(800); // edge labels ("3 items") settle
}

const DEMO_WORKFLOW = {
	name: 'E2E screenshot demo',
	nodes: [
		{
			id: 'n1',
			name: 'When clicking ‘Execute workflow’',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'n2',
			name: 'Edit Fields',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [240, 0],
			parameters: {
				assignments: { assignments: [{ id: 'a', name: 'hello', value: 'world', type: 'string' }] },
				options: {},
			},
		},
	],
	connections: {
		'When clicking ‘Execute workflow’': {
			main: [[{ node: 'Edit Fields', type: 'main', index: 0 }]],
		},
	},
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const { values } = parseArgs({
		options: {
			out: { type: 'string', default: 'n8n-workflow.png' },
			workflow: { type: 'string' },
			credentials: { type: 'string' },
			tarball: { type: 'string' },
			execute: { type: 'boolean', default: false },
		},
	});
	const home = await createN8nHome();
	try {
		if (values.tarball) await installPackage(home, values.tarball);
		if (values.credentials)
			await importCredential(home, JSON.parse(await fs.readFile(values.credentials, 'utf8')));
		let wf = values.workflow
			? JSON.parse(await fs.readFile(values.workflow, 'utf8'))
			: DEMO_WORKFLOW;
		if (Array.isArray(wf)) wf = wf[0];
		const id = /** @type {string} */ (await importWorkflow(home, wf));
		if (values.execute) console.log('execution status:', (await executeWorkflow(home, id)).status);
		const t = Date.now();
		await screenshotWorkflow(home, id, values.out);
		console.log(`wrote ${values.out} (${Date.now() - t} ms incl. n8n start)`);
	} finally {
		await home.cleanup();
	}
}
