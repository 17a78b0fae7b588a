/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test tooling, not part of the published node */
/**
 * A third-party validator on the node's real traffic: Stoplight Prism (proxy mode), loaded with
 * our contract (miro-scim.openapi.json), stands between the node and the emulator while the
 * shipped templates run through n8n-core. Prism refuses (422) any request whose body, path or
 * parameters break the contract and logs any answer that breaks it; either fails this test.
 * Prism lives in test/contract/prism (its own lockfile); `npm run test:contract` installs it
 * and sets CONTRACT_PRISM=1, which turns a missing install into a failure instead of a skip.
 */
import type { IDataObject } from 'n8n-workflow';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator } from '../emulator/server';
import type { Emulator } from '../emulator/server';
import { runWorkflow } from '../helpers/harness';
import type { WorkflowJson, WorkflowRunOptions } from '../helpers/harness';
import { memoryDataTables } from '../helpers/dataTables';
import { CONTRACT_FILE } from './contract';

const PRISM = path.join(__dirname, 'prism', 'node_modules', '.bin', 'prism');
const installed = existsSync(PRISM);
if (!installed && process.env.CONTRACT_PRISM === '1') {
	throw new Error(`Prism is not installed in ${path.dirname(PRISM)}: run npm run test:contract`);
}

const TIME_SCALE = 0.01;
const WORKFLOWS = path.resolve(__dirname, '../../workflows');

function load(file: string) {
	const workflow = JSON.parse(readFileSync(path.join(WORKFLOWS, file), 'utf8')) as WorkflowJson;
	for (const node of workflow.nodes) {
		if (node.type !== 'n8n-nodes-miro-scim.miroScim') continue;
		node.parameters.options = {
			...(node.parameters.options as object),
			rateWindowSeconds: 30 * TIME_SCALE,
		};
	}
	return workflow;
}

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

let emulator: Emulator;
let prism: ChildProcess;
let prismUrl = '';
let output = '';
let documentDir = '';

/**
 * Prism knows no allow-list: it gets our contract plus the one departure the templates send
 * (test/contract/departures.ts), `active` as a JSON boolean in a user PATCH. The others (group
 * create/delete, the fallback forms) are not sent here: the emulator runs the team model and
 * accepts Miro's documented forms.
 */
function prismDocument(): string {
	const document = JSON.parse(readFileSync(CONTRACT_FILE, 'utf8')) as {
		components: { schemas: Record<string, IDataObject> };
	};
	const operations = document.components.schemas.PatchUser.properties as IDataObject;
	const value = ((operations.Operations as IDataObject).items as IDataObject).properties as {
		value: { oneOf: IDataObject[] };
	};
	value.value.oneOf.push({ type: 'boolean' });
	documentDir = mkdtempSync(path.join(tmpdir(), 'miro-contract-'));
	const file = path.join(documentDir, 'prism.json');
	writeFileSync(file, JSON.stringify(document));
	return file;
}

async function startPrism(upstream: string): Promise<void> {
	const port = await freePort();
	prism = spawn(
		PRISM,
		['proxy', prismDocument(), upstream, '--host', '127.0.0.1', '-p', String(port), '--errors'],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	prism.stdout?.setEncoding('utf8').on('data', (data: string) => (output += data));
	prism.stderr?.setEncoding('utf8').on('data', (data: string) => (output += data));
	const deadline = Date.now() + 60_000;
	while (!output.includes('Prism is listening')) {
		if (Date.now() > deadline || prism.exitCode !== null) {
			throw new Error(`Prism did not start:\n${output.slice(-2000)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	prismUrl = `http://127.0.0.1:${port}`;
}

/** Prism's complaints since `from`: refused requests and answers that break the contract. */
const complaints = (from: number) =>
	output
		.slice(from)
		.split('\n')
		.filter((line) => /✖|Violation|warning/i.test(line));

const run = async (workflow: WorkflowJson, options: Partial<WorkflowRunOptions> = {}) => {
	const result = await runWorkflow(workflow, {
		...options,
		credentials: {
			miroScimDemo: { type: 'miroScimApi', data: { token: emulator.token, baseUrl: prismUrl } },
		},
	});
	expect(result.error?.message, complaints(0).join('\n')).toBeUndefined();
	return result;
};

describe.skipIf(!installed)('the templates through Stoplight Prism (proxy mode)', () => {
	beforeAll(async () => {
		emulator = await startEmulator({ port: 0, timeScale: TIME_SCALE, contract: true });
		await startPrism(emulator.url);
	}, 90_000);

	afterAll(async () => {
		prism?.kill('SIGTERM');
		await emulator?.close();
		if (documentDir) rmSync(documentDir, { recursive: true, force: true });
	});

	it('onboarding, role change, offboarding and sync-from-hr: every request forwarded, none refused', async () => {
		const from = output.length;
		await run(load('onboarding.json'));
		await run(load('role-change.json'));
		await run(load('offboarding.json'));
		// As shipped: plans, then applies what gives access (removals wait for approval).
		const sync = await run(load('sync-from-hr.json'), {
			startNode: "When clicking 'Execute workflow'",
			dataTables: memoryDataTables(),
		});
		expect(sync.output('Apply access changes').length).toBeGreaterThan(0);

		const forwarded = output.slice(from).match(/Forwarding "\w+" request/g) ?? [];
		const methods = new Set(emulator.log.map((entry) => entry.method));
		expect(forwarded.length).toBe(emulator.log.length);
		expect([...methods].sort()).toEqual(['GET', 'PATCH', 'POST']);
		expect(complaints(from)).toEqual([]);
		expect(emulator.contractViolations).toEqual([]);
	});

	it('refuses a misspelled op (the check can fail)', async () => {
		const from = output.length;
		const group = emulator.state.groupByName('Engineering')!;
		const response = await fetch(`${prismUrl}/Groups/${group.id}`, {
			method: 'PATCH',
			headers: {
				Authorization: `Bearer ${emulator.token}`,
				'Content-Type': 'application/scim+json',
			},
			body: JSON.stringify({
				schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
				Operations: [{ op: 'Replase', path: 'displayName', value: 'x' }],
			}),
		});
		expect(response.status).toBe(422);
		for (let waited = 0; complaints(from).length === 0 && waited < 5000; waited += 50) {
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		expect(complaints(from).join('\n')).toContain('Request terminated with error');
		// Recorded by the emulator too? No: Prism stopped it before it arrived.
		expect(
			emulator.log.filter(
				(entry) =>
					entry.method === 'PATCH' &&
					(entry.body as { Operations: Array<{ op: string }> }).Operations[0].op === 'Replase',
			),
		).toEqual([]);
	});
});
