// @ts-check
// End-to-end: the end of the lifecycle in a real n8n 2.41.1 (package installed from its tarball,
// Miro = the emulator, scenario.mjs). `n8n start` runs the templates as an operator does:
//  - workflows/sync-from-hr.json: access given at once; removals wait at n8n's own Wait node
//    (resumed by its form); Approve applies exactly the listed removals, Reject applies none, an
//    approval older than Max Plan Age is refused; every change is a row in the `miro_scim_audit`
//    Data Table, read back with a Data table node.
//  - workflows/leavers-grace-period.json: a leaver is deactivated and recorded on day 0, deleted
//    once the record is older than graceDays, a returner is reactivated and never deleted, and
//    someone reactivated by hand in Miro is never deleted.
//
// Only the trigger and the HR source differ from the files: each test copy starts from a webhook
// whose body is the HR list (the schedule trigger cannot be called). Time moves by back-dating the
// leavers' `deactivatedAt` with a Data table node (what N days of waiting look like to the
// template, which compares it with n8n's $now), and, for the stale plan, with a Max Plan Age of a
// few seconds.
//
// `n8n start`, not `n8n execute`: that CLI command does not load n8n's Data Table module ("Attempted
// to use Data table node but the module is disabled"), which both templates use for their audit
// and leaver tables.
//
//   node --test test/e2e/offboarding.test.mjs      (~4-6 min once n8n is installed)

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
	activateWorkflow,
	importWorkflow,
	setupOwner,
	startN8nServer,
	waitForWebhook,
} from './n8n.mjs';
import { CHROMIUM, launchChromium } from './screenshot.mjs';
import { E2E_DIR, PEOPLE, ROOT, sleep, testScenario } from './scenario.mjs';

const MINUTE = 60_000;
const { progress, scenario, removeSignalHandlers } = testScenario();
const flatted = createRequire(path.join(E2E_DIR, 'node_modules', 'n8n', 'package.json'))('flatted');

/** @param {string} email @param {string} [team] */
const person = (email, team = 'g_app_proeng_all') => {
	const [first, last] = email.split('@')[0].split('.');
	return {
		email,
		firstName: first,
		lastName: last ?? 'X',
		department: 'Engineering',
		teams: [team],
	};
};
const ADA = person(PEOPLE.ada);
const GRACE = person(PEOPLE.grace);
const ALAN = person(PEOPLE.alan, 'g_app_itadmin_all');

/**
 * A template with a webhook in front and the HR list read from the webhook's body.
 * @param {string} file
 * @param {{ id: string, hookPath: string, firstNode: string, responseMode?: string, edit?: (json: any) => void }} spec
 */
async function testCopy(file, { id, hookPath, firstNode, responseMode, edit = () => {} }) {
	const json = JSON.parse(await fs.readFile(path.join(ROOT, 'workflows', file), 'utf8'));
	const hr = json.nodes.find((/** @type {any} */ node) => node.name === 'HR list (sample)');
	hr.parameters.jsonOutput =
		"={{ JSON.stringify({ people: $('Run (test)').first().json.body.people }) }}";
	json.nodes.push({
		parameters: {
			httpMethod: 'POST',
			path: hookPath,
			responseMode,
			...(responseMode === 'lastNode' ? { responseData: 'noData' } : {}),
			options: {},
		},
		id: `${id}-hook`,
		name: 'Run (test)',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 900],
		webhookId: `${id}-hook`,
	});
	json.connections['Run (test)'] = { main: [[{ node: firstNode, type: 'main', index: 0 }]] };
	edit(json);
	return { ...json, id, name: `${json.name} (${id})` };
}

/** Reads a whole Data Table with n8n's Data table node; backDate rewrites one row's deactivatedAt. */
function tableTools() {
	/** @param {string} name @param {string} pathName @param {number} y */
	const hook = (name, pathName, y) => ({
		parameters: {
			httpMethod: 'POST',
			path: pathName,
			responseMode: 'lastNode',
			responseData: 'allEntries',
			options: {},
		},
		id: `tools-${pathName}`,
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, y],
		webhookId: `tools-${pathName}`,
	});
	const byName = { __rl: true, mode: 'name', value: '={{ $json.body.table }}' };
	return {
		id: 'MiroScimTblTools',
		name: 'Data table tools (test)',
		nodes: [
			hook('Read table', 'read-table', 0),
			{
				parameters: { operation: 'get', dataTableId: byName, returnAll: true, filters: {} },
				id: 'tools-get',
				name: 'Get rows',
				type: 'n8n-nodes-base.dataTable',
				typeVersion: 1.1,
				position: [220, 0],
				alwaysOutputData: true,
			},
			hook('Back-date', 'back-date', 200),
			{
				parameters: {
					operation: 'update',
					dataTableId: byName,
					matchType: 'allConditions',
					filters: {
						conditions: [
							{ keyName: 'email', condition: 'eq', keyValue: '={{ $json.body.email }}' },
						],
					},
					columns: {
						mappingMode: 'defineBelow',
						value: { deactivatedAt: '={{ $json.body.deactivatedAt }}' },
						matchingColumns: [],
						schema: [
							{
								id: 'deactivatedAt',
								displayName: 'deactivatedAt',
								required: false,
								defaultMatch: false,
								display: true,
								type: 'string',
								canBeUsedToMatch: true,
							},
						],
					},
					options: {},
				},
				id: 'tools-update',
				name: 'Update row',
				type: 'n8n-nodes-base.dataTable',
				typeVersion: 1.1,
				position: [220, 200],
			},
		],
		connections: {
			'Read table': { main: [[{ node: 'Get rows', type: 'main', index: 0 }]] },
			'Back-date': { main: [[{ node: 'Update row', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const SYNC = {
	id: 'MiroScimSyncAppr',
	hookPath: 'sync-test',
	firstNode: 'Create audit table if missing',
};
const STALE = {
	id: 'MiroScimSyncStal',
	hookPath: 'sync-stale',
	firstNode: 'Create audit table if missing',
};
const TIMEOUT = {
	id: 'MiroScimSyncTime',
	hookPath: 'sync-timeout',
	firstNode: 'Create audit table if missing',
};
const GRACE_WF = {
	id: 'MiroScimGrace001',
	hookPath: 'grace-test',
	firstNode: 'Create leavers table if missing',
};
/** The stale copy refuses a plan older than 18 s (Apply Plan's Max Plan Age, in hours). */
const STALE_HOURS = 0.005;

/** @type {import('./n8n.mjs').N8nServer} */
let server;
/** @type {(route: string) => Promise<any>} */
let api;

/**
 * @param {string} hookPath
 * @param {unknown} body
 * @param {{ timeoutMs?: number }} [options]
 */
async function post(hookPath, body, { timeoutMs = 3 * MINUTE } = {}) {
	const res = await fetch(`${server.baseUrl}/webhook/${hookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		/* not JSON */
	}
	return { status: res.status, text, json };
}

/** @param {string} table @returns {Promise<any[]>} */
const readTable = async (table) => {
	const { status, json, text } = await post('read-table', { table });
	assert.equal(status, 200, text);
	return (Array.isArray(json) ? json : [json]).filter((row) => row && row.id !== undefined);
};
/** @param {string} email @param {number} days */
const backDate = async (email, days) => {
	const deactivatedAt = new Date(Date.now() - days * 24 * 3_600_000).toISOString();
	const { status, text } = await post('back-date', {
		table: 'miro_scim_leavers',
		email,
		deactivatedAt,
	});
	assert.equal(status, 200, text);
};

/**
 * The REST API the editor uses, logged in as the owner.
 * @param {string} baseUrl
 * @param {string} cookie
 */
function restClient(baseUrl, cookie) {
	return async (/** @type {string} */ route) => {
		const res = await fetch(`${baseUrl}/rest${route}`, {
			headers: { cookie },
			signal: AbortSignal.timeout(30_000),
		});
		const text = await res.text();
		assert.equal(res.status, 200, `GET /rest${route}: ${res.status} ${text.slice(0, 300)}`);
		return JSON.parse(text).data;
	};
}

/** The executions of a workflow, newest first: [{ id, status }]. */
/** @param {string} workflowId @returns {Promise<Array<{ id: string, status: string }>>} */
const executionsOf = async (workflowId) => {
	const data = await api(
		`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=50`,
	);
	return (data.results ?? data).map((/** @type {{ id: unknown, status: string }} */ e) => ({
		id: String(e.id),
		status: e.status,
	}));
};

/**
 * Waits for a new execution of the workflow (not in `known`) to reach one of `statuses`.
 * @param {string} workflowId
 * @param {Set<string>} known  ids of executions before
 * @param {string[]} statuses
 * @param {number} [timeoutMs]
 */
async function waitForExecution(workflowId, known, statuses, timeoutMs = 3 * MINUTE) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = (await executionsOf(workflowId)).find(
			(e) => !known.has(e.id) && statuses.includes(e.status),
		);
		if (found) return await execution(found.id);
		if (Date.now() > deadline) throw new Error(`no execution of ${workflowId} reached ${statuses}`);
		await sleep(500);
	}
}

/**
 * One stored execution: status, the raw run data text and a reader of node outputs.
 * @param {string} id
 */
async function execution(id) {
	const data = await api(`/executions/${id}`);
	const run = flatted.parse(data.data);
	const runData = run.resultData.runData ?? {};
	return {
		id,
		status: data.status,
		text: data.data,
		error: run.resultData.error,
		ran: (/** @type {string} */ node) => runData[node] !== undefined,
		/** @param {string} node @param {number} [output] @returns {any[]} */
		items: (node, output = 0) => {
			const runs = runData[node] ?? [];
			return runs.flatMap((/** @type {any} */ task) =>
				(task.data?.main?.[output] ?? []).map((/** @type {any} */ item) => item.json),
			);
		},
	};
}

/**
 * Runs the sync copy with this HR list up to its end or its Wait; returns the execution.
 * @param {{ id: string, hookPath: string }} spec
 * @param {unknown[]} people
 */
async function runSync(spec, people) {
	const known = new Set((await executionsOf(spec.id)).map((e) => e.id));
	const { status, text } = await post(spec.hookPath, { people });
	assert.equal(status, 200, text);
	return await waitForExecution(spec.id, known, ['success', 'error', 'waiting', 'crashed']);
}

/**
 * The approval form of a waiting execution: its signed URL, the page, and a submit. With Chromium
 * (/usr/bin/chromium, or CHROMIUM_PATH) the decision is clicked in the page as a person does;
 * without it, the form's own encoding is posted (n8n sends a radio choice JSON-encoded).
 * APPROVAL_FORM_PNG=path saves a picture of the form before the click.
 * @param {Awaited<ReturnType<typeof execution>>} waiting  a waiting execution
 */
async function approvalForm(waiting) {
	const [request] = waiting.items('Approval request');
	assert.ok(request, 'Approval request ran');
	const url = request.approvalFormUrl;
	assert.match(url, /\/form-waiting\/\d+\?signature=/);
	const page = await fetch(url, { signal: AbortSignal.timeout(30_000) });
	assert.equal(page.status, 200);
	const html = await page.text();
	/** @param {string} decision @param {{ browser?: boolean }} [how] */
	const submit = async (decision, { browser = existsSync(CHROMIUM) } = {}) => {
		if (browser) return await submitInBrowser(url, decision);
		const form = new FormData();
		form.append('field-0', JSON.stringify(decision));
		const res = await fetch(url, {
			method: 'POST',
			body: form,
			signal: AbortSignal.timeout(60_000),
		});
		const text = await res.text();
		if (res.status >= 400) progress(server.output().slice(-6000));
		assert.ok(res.status < 400, `form POST: ${res.status} ${text}`);
	};
	return { url, html, request, submit };
}

let pictureTaken = false;

/**
 * @param {string} url
 * @param {string} decision
 */
async function submitInBrowser(url, decision) {
	const browser = await launchChromium();
	try {
		const page = await browser.newPage({ viewport: { width: 760, height: 520 } });
		await page.goto(url, { timeout: 60_000 });
		// the radio button's own label (the description mentions the choices too)
		await page
			.locator('label[for^="option"]', { hasText: new RegExp(`^${decision}$`) })
			.click({ timeout: 30_000 });
		if (process.env.APPROVAL_FORM_PNG && decision === 'Approve' && !pictureTaken) {
			await page.screenshot({ path: process.env.APPROVAL_FORM_PNG });
			progress(`  saved ${process.env.APPROVAL_FORM_PNG}`);
			pictureTaken = true;
		}
		await page.getByRole('button', { name: /submit/i }).click({ timeout: 30_000 });
		await page.waitForLoadState('networkidle', { timeout: 60_000 });
	} finally {
		await browser.close();
	}
}

/**
 * @param {{ id: string }} spec
 * @param {string} waitingId
 * @param {number} [timeoutMs]
 */
async function finished(spec, waitingId, timeoutMs = 2 * MINUTE) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const run = await execution(waitingId);
		if (!['waiting', 'running', 'new'].includes(run.status)) return run;
		if (Date.now() > deadline) throw new Error(`execution ${waitingId} still ${run.status}`);
		await sleep(500);
	}
}

/** @param {string} email */
const userOf = async (email) =>
	(await scenario.emulator.state()).users.find(
		(u) => u.userName.toLowerCase() === email.toLowerCase(),
	);
/** @param {string} executionId */
const auditOf = async (executionId) =>
	(await readTable('miro_scim_audit')).filter(
		(row) => String(row.executionId) === String(executionId),
	);
/** @param {any[]} rows */
const brief = (rows) => rows.map((row) => `${row.action} ${row.email} ${row.outcome}`).sort();

/**
 * Reactivates a user the way an admin does in Miro (a SCIM PATCH of active).
 * @param {string} email
 */
async function reactivateByHand(email) {
	const user = await userOf(email);
	assert.ok(user, `${email} in Miro`);
	const res = await fetch(`${scenario.emulator.url}/Users/${user.id}`, {
		method: 'PATCH',
		headers: {
			authorization: `Bearer ${scenario.emulator.token}`,
			'content-type': 'application/scim+json',
		},
		body: JSON.stringify({
			schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
			Operations: [{ op: 'Replace', path: 'active', value: true }],
		}),
	});
	assert.equal(res.status, 200, await res.text());
}

describe('offboarding in a real n8n 2.41.1: approval, grace period, audit', () => {
	before(
		async () => {
			await scenario.start();
			progress('== Import the test copies of the sync and grace-period templates, n8n start');
			const copies = [
				await testCopy('sync-from-hr.json', { ...SYNC, responseMode: 'onReceived' }),
				await testCopy('sync-from-hr.json', {
					...STALE,
					responseMode: 'onReceived',
					edit: (json) => {
						const apply = json.nodes.find(
							(/** @type {any} */ node) => node.name === 'Apply approved removals',
						);
						apply.parameters.maxPlanAgeHours = STALE_HOURS;
					},
				}),
				await testCopy('sync-from-hr.json', {
					...TIMEOUT,
					responseMode: 'onReceived',
					edit: (json) => {
						const wait = json.nodes.find(
							(/** @type {any} */ node) => node.name === 'Wait for approval',
						);
						Object.assign(wait.parameters, { resumeAmount: 5, resumeUnit: 'seconds' });
					},
				}),
				await testCopy('leavers-grace-period.json', { ...GRACE_WF, responseMode: 'lastNode' }),
				tableTools(),
			];
			await importWorkflow(scenario.home, copies);
			for (const copy of copies) await activateWorkflow(scenario.home, copy.id);
			server = await startN8nServer(scenario.home, { timeoutMs: 3 * MINUTE });
			for (const hookPath of [
				SYNC.hookPath,
				STALE.hookPath,
				TIMEOUT.hookPath,
				GRACE_WF.hookPath,
				'read-table',
			])
				await waitForWebhook(scenario.home, hookPath);
			const { cookie } = await setupOwner(server.baseUrl);
			api = restClient(server.baseUrl, cookie);
		},
		{ timeout: 50 * MINUTE },
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

	it(
		'plans from two listings, gives access at once, does not wait, writes one audit row per change',
		{ timeout: 5 * MINUTE },
		async () => {
			await scenario.emulator.clearLog();
			const run = await runSync(SYNC, [ADA, GRACE, ALAN]);
			assert.equal(run.status, 'success', JSON.stringify(run.error ?? {}));
			const calls = (await scenario.emulator.log()).map(
				(entry) => `${entry.method} ${entry.path.replace(/^.*\/scim/, '').replace(/\d+$/, 'ID')}`,
			);
			assert.deepEqual(calls.sort(), [
				'GET /Groups',
				'GET /Users',
				'PATCH /Groups/ID',
				'PATCH /Groups/ID',
				'POST /Users',
				'POST /Users',
				'POST /Users',
			]);
			assert.deepEqual(
				run.items('Plan (dry run)').map((item) => `${item.action} ${item.outcome}`),
				[
					'create planned',
					'addToGroup planned',
					'create planned',
					'addToGroup planned',
					'create planned',
					'addToGroup planned',
					'summary planned',
				],
			);
			assert.equal(run.items('Apply access changes').at(-1).outcome, 'done');
			assert.equal(run.ran('Approval request'), false);
			assert.equal(run.ran('Wait for approval'), false, 'nothing to approve: no wait');
			for (const email of [PEOPLE.ada, PEOPLE.grace, PEOPLE.alan])
				assert.equal((await userOf(email))?.active, true);
			const rows = await auditOf(run.id);
			assert.deepEqual(brief(rows), [
				`addToGroup ${PEOPLE.ada} done`,
				`addToGroup ${PEOPLE.alan} done`,
				`addToGroup ${PEOPLE.grace} done`,
				`create ${PEOPLE.ada} done`,
				`create ${PEOPLE.alan} done`,
				`create ${PEOPLE.grace} done`,
			]);
			for (const row of rows) {
				assert.equal(row.workflowId, SYNC.id);
				assert.match(row.at, /^\d{4}-\d\d-\d\dT/);
			}
			const created = rows.find((row) => row.action === 'create' && row.email === PEOPLE.ada);
			assert.equal(created.userId, (await userOf(PEOPLE.ada))?.id);
		},
	);

	it(
		'waits for approval of a removal; Approve applies exactly it, audited',
		{ timeout: 5 * MINUTE },
		async () => {
			const waiting = await runSync(SYNC, [ADA, ALAN]);
			assert.equal(waiting.status, 'waiting');
			assert.equal((await userOf(PEOPLE.grace))?.active, true, 'nothing removed while waiting');
			const form = await approvalForm(waiting);
			assert.deepEqual(
				form.request.removals.map((/** @type {any} */ r) => `${r.action} ${r.email}`),
				[`deactivate ${PEOPLE.grace}`],
			);
			assert.match(form.html, /Approve Miro access removals/);
			assert.match(form.html, /grace\.hopper@example\.com/);
			assert.match(form.html, /Approve/);
			assert.match(form.html, /Reject/);
			await scenario.emulator.clearLog();
			await form.submit('Approve');
			const done = await finished(SYNC, waiting.id);
			assert.equal(done.status, 'success', JSON.stringify(done.error ?? {}));
			assert.equal((await userOf(PEOPLE.grace))?.active, false);
			assert.equal((await userOf(PEOPLE.ada))?.active, true);
			const writes = (await scenario.emulator.log()).filter((entry) => entry.method !== 'GET');
			assert.deepEqual(
				writes.map((entry) => `${entry.method} ${entry.path.replace(/^.*\/scim/, '')}`),
				[`PATCH /Users/${(await userOf(PEOPLE.grace))?.id}`],
			);
			assert.deepEqual(brief(await auditOf(waiting.id)), [`deactivate ${PEOPLE.grace} done`]);
		},
	);

	it(
		'Reject removes nothing and the execution says so, audited as rejected',
		{ timeout: 5 * MINUTE },
		async () => {
			const waiting = await runSync(SYNC, [ADA]);
			assert.equal(waiting.status, 'waiting');
			const form = await approvalForm(waiting);
			assert.deepEqual(
				form.request.removals.map((/** @type {any} */ r) => `${r.action} ${r.email}`),
				[`deactivate ${PEOPLE.alan}`],
			);
			await scenario.emulator.clearLog();
			await form.submit('Reject', { browser: false });
			const done = await finished(SYNC, waiting.id);
			assert.equal(done.status, 'success', JSON.stringify(done.error ?? {}));
			assert.equal(done.ran('Apply approved removals'), false);
			assert.match(
				done.items('Nothing removed')[0].message,
				/^Rejected: nothing was removed \(1 access removal not applied\)/,
			);
			assert.deepEqual(
				(await scenario.emulator.log()).filter((entry) => entry.method !== 'GET'),
				[],
			);
			assert.equal((await userOf(PEOPLE.alan))?.active, true);
			assert.deepEqual(brief(await auditOf(waiting.id)), [`deactivate ${PEOPLE.alan} rejected`]);
		},
	);

	it(
		'no answer within the time limit removes nothing, and the execution says so',
		{ timeout: 5 * MINUTE },
		async () => {
			const waiting = await runSync(TIMEOUT, [ADA]);
			assert.equal(waiting.status, 'waiting');
			await scenario.emulator.clearLog();
			// n8n's wait tracker looks for due executions every minute
			const done = await finished(TIMEOUT, waiting.id, 3 * MINUTE);
			assert.equal(done.status, 'success', JSON.stringify(done.error ?? {}));
			assert.equal(done.ran('Apply approved removals'), false);
			assert.match(
				done.items('Nothing removed')[0].message,
				/^No answer within the time limit: nothing was removed \(1 access removal not applied\)/,
			);
			assert.deepEqual(
				(await scenario.emulator.log()).filter((entry) => entry.method !== 'GET'),
				[],
			);
			assert.equal((await userOf(PEOPLE.alan))?.active, true);
			assert.deepEqual(brief(await auditOf(waiting.id)), [
				`deactivate ${PEOPLE.alan} not approved in time`,
			]);
		},
	);

	// Needs Apply Plan's Max Plan Age (branch i17): without it the approval below is applied.
	it(
		'refuses an approval that comes after Max Plan Age, before any write',
		{ timeout: 5 * MINUTE },
		async () => {
			const waiting = await runSync(STALE, [ADA]);
			assert.equal(waiting.status, 'waiting');
			const form = await approvalForm(waiting);
			await sleep(STALE_HOURS * 3_600_000 + 3_000);
			await scenario.emulator.clearLog();
			await form.submit('Approve');
			const done = await finished(STALE, waiting.id);
			assert.equal(done.status, 'error');
			assert.equal(done.error?.node?.name, 'Apply approved removals');
			assert.match(done.error.message, /The plan was made .* ago .*more than Max Plan Age/);
			assert.deepEqual(
				(await scenario.emulator.log()).filter((entry) => entry.method !== 'GET'),
				[],
			);
			assert.equal((await userOf(PEOPLE.alan))?.active, true);
		},
	);

	it(
		'grace period: deactivated on day 0, deleted after graceDays; a returner and a hand reactivation never deleted',
		{ timeout: 10 * MINUTE },
		async () => {
			await scenario.emulator.reset();
			/** @param {unknown[]} people */
			const grace = async (people) => {
				const res = await post(GRACE_WF.hookPath, { people });
				assert.equal(res.status, 200, res.text);
				const [latest] = await executionsOf(GRACE_WF.id);
				const run = await execution(latest.id);
				assert.equal(run.status, 'success', JSON.stringify(run.error ?? {}));
				return run;
			};
			const leavers = async () =>
				Object.fromEntries((await readTable('miro_scim_leavers')).map((row) => [row.email, row]));

			await grace([ADA, GRACE, ALAN]);
			assert.deepEqual(await leavers(), {});

			// Day 0: Grace leaves HR -> deactivated and recorded, not deleted.
			const day0 = await grace([ADA, ALAN]);
			const graceId = (await userOf(PEOPLE.grace))?.id;
			assert.equal((await userOf(PEOPLE.grace))?.active, false);
			const record = (await leavers())[PEOPLE.grace];
			assert.equal(record.userId, graceId);
			assert.equal(record.reason, 'not in the HR list');
			assert.ok(Math.abs(Date.parse(record.deactivatedAt) - Date.now()) < 5 * MINUTE);
			assert.deepEqual(brief(await auditOf(day0.id)), [`deactivate ${PEOPLE.grace} done`]);

			// Day 13 of 14: still kept.
			await backDate(PEOPLE.grace, 13);
			await grace([ADA, ALAN]);
			assert.equal((await userOf(PEOPLE.grace))?.active, false);

			// Day 15: deleted, record gone, audited.
			await backDate(PEOPLE.grace, 15);
			const day15 = await grace([ADA, ALAN]);
			assert.equal(await userOf(PEOPLE.grace), undefined);
			assert.equal((await leavers())[PEOPLE.grace], undefined);
			const [deletion] = await auditOf(day15.id);
			assert.deepEqual(
				{
					action: deletion.action,
					email: deletion.email,
					userId: deletion.userId,
					outcome: deletion.outcome,
				},
				{ action: 'delete', email: PEOPLE.grace, userId: graceId, outcome: 'done' },
			);
			assert.match(deletion.detail, /oldest team admin/);

			// A returner: Alan leaves, comes back on day 5 -> reactivated, record removed, never deleted.
			await grace([ADA]);
			assert.equal((await userOf(PEOPLE.alan))?.active, false);
			await backDate(PEOPLE.alan, 5);
			const back = await grace([ADA, ALAN]);
			assert.equal((await userOf(PEOPLE.alan))?.active, true);
			assert.equal((await leavers())[PEOPLE.alan], undefined);
			assert.deepEqual(brief(await auditOf(back.id)), [`reactivate ${PEOPLE.alan} done`]);

			// Reactivated by hand in Miro while still missing from HR: never deleted, left alone.
			await grace([ALAN]);
			assert.equal((await userOf(PEOPLE.ada))?.active, false);
			await reactivateByHand(PEOPLE.ada);
			await backDate(PEOPLE.ada, 20);
			await grace([ALAN]);
			assert.equal((await userOf(PEOPLE.ada))?.active, true);
			assert.match((await leavers())[PEOPLE.ada].reason, /reactivated by hand/);
			const again = await grace([ALAN]);
			assert.equal((await userOf(PEOPLE.ada))?.active, true);
			assert.deepEqual(brief(await auditOf(again.id)), []);
		},
	);
	// Last: the emulator ran in contract mode (scenario.mjs); see test/contract/README.md.
	it("no request n8n sent and no answer the emulator gave departed from Miro's description", async () => {
		assert.deepEqual(await scenario.emulator.contractViolations(), []);
	});
});
