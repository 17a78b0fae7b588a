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
		const id = await importWorkflow(home, wf);
		if (values.execute) console.log('execution status:', (await executeWorkflow(home, id)).status);
		const t = Date.now();
		await screenshotWorkflow(home, id, values.out);
		console.log(`wrote ${values.out} (${Date.now() - t} ms incl. n8n start)`);
	} finally {
		await home.cleanup();
	}
}
