// @ts-check
// Regenerates the README screenshots in docs/images/ from this build, in the real n8n editor:
//
//   onboarding.png    workflows/onboarding.json after "Execute workflow" (green checks, item counts)
//   node-panel.png    the "Create or find Miro user" node open (NDV): input, parameters, output
//   operations.png    node creator: "Miro SCIM" searched and opened, its list of actions
//   role-change.png   workflows/role-change.json after "Execute workflow"
//   offboarding.png   workflows/offboarding.json after "Execute workflow"
//
//   node test/e2e/capture-docs.mjs [--out-dir docs/images]
//
// Needs `npm ci` at the root, `bash test/e2e/setup.sh` (run by the scenario) and Debian's
// chromium (`apt-get install -y chromium`). The path is the one of `npm run demo`: build, npm
// pack, install the tarball into a fresh n8n home, the Miro SCIM emulator on 127.0.0.1, the
// credential "Miro SCIM account" (id miroScimDemo) pointing at it and the three templates
// imported as they are. Then `n8n start` on 127.0.0.1 and headless chromium run each workflow
// from the editor, in order (role change and offboarding need the people onboarding creates).
// Everything is stopped and deleted at the end, also on failure, Ctrl+C or the overall limit.

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { startN8nServer } from './n8n.mjs';
import {
	cleanupOnSignals,
	createScenario,
	formatDuration,
	killOurChildren,
	requestSummary,
	ROOT,
	WORKFLOWS,
} from './scenario.mjs';
import {
	canvasNode,
	dismissPopups,
	executeInEditor,
	launchChromium,
	openEditorPage,
	openWorkflow,
	zoomToFit,
} from './screenshot.mjs';

const CANVAS = { width: 1400, height: 800 };
const NODE_PANEL = { width: 1400, height: 900 };
const OPERATIONS = { width: 1400, height: 1000 };
const OVERALL_LIMIT_MS = 20 * 60_000;

/** The node each template ends on when it succeeds (offboarding's "Delete user" branch stays idle). */
const LAST_NODE = {
	onboarding: 'Add user to team',
	roleChange: 'Add to IT admin team',
	offboarding: 'Remove from team',
};
const PANEL_NODE = 'Create or find Miro user';

const { values } = parseArgs({
	options: { 'out-dir': { type: 'string', default: path.join(ROOT, 'docs', 'images') } },
});
const outDir = path.resolve(values['out-dir']);

const started = Date.now();
const log = (line = '') => console.log(line);
/** @type {string[]} */
const written = [];

/**
 * @param {import('playwright-core').Page} page
 * @param {string} name
 */
async function save(page, name) {
	const file = path.join(outDir, name);
	await page.screenshot({ path: file });
	const { size } = await fs.stat(file);
	written.push(file);
	log(`  wrote ${path.relative(process.cwd(), file) || file} (${Math.round(size / 1024)} kB)`);
}

/**
 * Run one template from the editor and save the canvas.
 * @param {import('playwright-core').Page} page
 * @param {string} baseUrl
 * @param {import('../helpers/emulator.mjs').EmulatorHandle<unknown, import('./checks.mjs').LogEntry>} emulator
 * @param {keyof typeof WORKFLOWS & keyof typeof LAST_NODE} key
 * @param {string} png
 */
async function captureWorkflow(page, baseUrl, emulator, key, png) {
	const spec = WORKFLOWS[key];
	log(`${spec.title}: ${spec.file}`);
	await page.setViewportSize(CANVAS);
	await openWorkflow(page, baseUrl, spec.id);
	await emulator.clearLog();
	const t = Date.now();
	await executeInEditor(page, LAST_NODE[key]);
	log(
		`  executed in the editor (${formatDuration(Date.now() - t)}); Miro SCIM requests: ${requestSummary(await emulator.log())}`,
	);
	await dismissPopups(page);
	await zoomToFit(page);
	await dismissPopups(page);
	await save(page, png);
}

/**
 * The NDV of PANEL_NODE after onboarding ran: input, parameters, output as a schema.
 * @param {import('playwright-core').Page} page
 */
async function captureNodePanel(page) {
	log(`Node panel: "${PANEL_NODE}"`);
	await page.setViewportSize(NODE_PANEL);
	await page.dblclick(canvasNode(PANEL_NODE));
	await page.waitForSelector('[data-test-id="ndv"] [data-test-id="node-parameters"]');
	await page.waitForSelector('[data-test-id="parameter-input-ifExists"]');
	await page.click('[data-test-id="output-panel"] [data-test-id="radio-button-schema"]');
	await page.waitForSelector('[data-test-id="output-panel"] [data-test-id="run-data-schema-item"]');
	await page.waitForSelector(
		'[data-test-id="ndv-input-panel"] [data-test-id="run-data-schema-item"]',
	);
	// the credential dropdown shows the imported credential, not "Select credential"
	const credential = await page.inputValue('[data-test-id="node-credentials-select"] input');
	if (credential !== 'Miro SCIM account')
		throw new Error(`the NDV shows credential "${credential}", not "Miro SCIM account"`);
	// pointer on the dimmed backdrop under the panel
	await dismissPopups(page, { pointer: { x: NODE_PANEL.width / 2, y: NODE_PANEL.height - 8 } });
	await save(page, 'node-panel.png');
	await page.click('[data-test-id="ndv-close-button"]');
	await page.waitForSelector('[data-test-id="ndv"]', { state: 'hidden' });
}

/** The node creator panel covers the right of the canvas (about 385 px at 1400 px). */
const CREATOR_WIDTH = 390;

/**
 * Left and right edge, in page pixels, of everything on the canvas (nodes and sticky notes).
 * @param {import('playwright-core').Page} page
 */
async function canvasContentBox(page) {
	return await page.$$eval('.vue-flow__node', (nodes) => {
		const boxes = nodes.map((node) => node.getBoundingClientRect());
		return {
			left: Math.min(...boxes.map((b) => b.left)),
			right: Math.max(...boxes.map((b) => b.right)),
		};
	});
}

/**
 * Zoom to fit, zoom out until the workflow is narrower than the canvas left of `rightEdge`
 * (px), then pan it (scroll = pan in n8n's canvas) to the middle of that part.
 * @param {import('playwright-core').Page} page
 * @param {number} rightEdge
 */
async function fitCanvasLeftOf(page, rightEdge) {
	await zoomToFit(page);
	const canvas = await page.locator('[data-test-id="canvas"]').boundingBox();
	if (!canvas) throw new Error('the canvas is not visible');
	const left = canvas.x;
	// a click on the empty margin zoom-to-fit leaves: deselects the node opened before
	await page.mouse.click(left + 20, canvas.y + 20);
	for (let i = 0; i < 4; i++) {
		const box = await canvasContentBox(page);
		if (box.right - box.left <= rightEdge - left - 80) break;
		await page.click('[data-test-id="zoom-out-button"]');
		await page.waitForTimeout(500);
	}
	for (let i = 0; i < 6; i++) {
		const box = await canvasContentBox(page);
		const dx = (box.left + box.right) / 2 - (left + rightEdge) / 2;
		if (Math.abs(dx) < 8) break;
		await page.mouse.move(left + 200, canvas.y + 60);
		await page.mouse.wheel(dx, 0);
		await page.waitForTimeout(400);
	}
}

/**
 * Node creator: search "Miro SCIM", open the node, its actions.
 * @param {import('playwright-core').Page} page
 */
async function captureOperations(page) {
	log('Node creator: "Miro SCIM" and its actions');
	await page.setViewportSize(OPERATIONS);
	await fitCanvasLeftOf(page, OPERATIONS.width - CREATOR_WIDTH);
	await page.click('[data-test-id="node-creator-plus-button"]');
	await page.waitForSelector('[data-test-id="node-creator-search-bar"]');
	await page.keyboard.type('Miro SCIM', { delay: 20 });
	const item = page
		.locator('[data-test-id="node-creator"] [data-test-id="node-creator-item-name"]')
		.filter({ hasText: /^Miro SCIM$/ });
	await item.first().click();
	await page
		.locator('[data-test-id="node-creator"] [data-test-id="node-creator-item-name"]')
		.filter({ hasText: /^Create a user$/ })
		.first()
		.waitFor();
	const actions = page.locator('[data-test-id="node-creator"] [data-keyboard-nav-type="action"]');
	await page.waitForFunction(() =>
		[
			.../** @type {NodeListOf<HTMLImageElement>} */ (
				document.querySelectorAll('[data-test-id="node-creator"] img')
			),
		].every((img) => img.complete && img.naturalWidth > 0),
	);
	log(`  ${await actions.count()} actions listed`);
	// pointer on the canvas, left of the panel
	await dismissPopups(page, { pointer: { x: 300, y: 120 } });
	await save(page, 'operations.png');
	await page.keyboard.press('Escape');
	await page.waitForSelector('[data-test-id="node-creator"]', { state: 'hidden' });
}

async function main() {
	log(`Capturing README screenshots into ${outDir}`);
	const scenario = createScenario({ log });
	/** @type {import('playwright-core').Browser | undefined} */
	let browser;
	/** @type {import('playwright-core').Page | undefined} */
	let page;
	const cleanup = async () => {
		await browser?.close().catch(() => {});
		await scenario.cleanup();
	};
	const removeSignalHandlers = cleanupOnSignals(cleanup);
	const limit = setTimeout(() => {
		log(`\nStill running after ${formatDuration(OVERALL_LIMIT_MS)}: giving up.`);
		killOurChildren();
		process.exit(1);
	}, OVERALL_LIMIT_MS);
	limit.unref();
	try {
		await scenario.start();
		log('Start the n8n editor');
		const server = await startN8nServer(scenario.home);
		log(`  ${server.baseUrl}`);
		await fs.mkdir(outDir, { recursive: true });
		browser = await launchChromium();
		const opened = await openEditorPage(browser, server.baseUrl, CANVAS);
		page = opened.page;
		const emulator = scenario.emulator;

		await captureWorkflow(page, server.baseUrl, emulator, 'onboarding', 'onboarding.png');
		await captureNodePanel(page);
		await captureOperations(page);
		await captureWorkflow(page, server.baseUrl, emulator, 'roleChange', 'role-change.png');
		await captureWorkflow(page, server.baseUrl, emulator, 'offboarding', 'offboarding.png');
		if (opened.blocked.length > 0)
			log(
				`(refused ${opened.blocked.length} request(s) to other hosts, e.g. ${opened.blocked[0]})`,
			);
		log(`\nDone: ${written.length} PNGs in ${formatDuration(Date.now() - started)}.`);
		return 0;
	} catch (error) {
		log(`\nFAILED: ${error.stack ?? error.message}`);
		if (page) {
			const shot = path.join(os.tmpdir(), 'capture-docs-failure.png');
			if (await page.screenshot({ path: shot, timeout: 10_000 }).catch(() => false))
				log(`The page at that moment: ${shot}`);
		}
		return 1;
	} finally {
		clearTimeout(limit);
		try {
			await cleanup();
		} catch (error) {
			log(`Cleanup problem: ${error.message}`);
		}
		removeSignalHandlers();
	}
}

process.exitCode = await main();
