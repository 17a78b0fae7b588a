/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * One measured job in its own process, so that its peak memory is its own:
 *   node --import tsx bench/worker.ts <task.json>
 * Writes its result as JSON to the task's resultFile and exits. Two kinds of job: a workflow run
 * by n8n-core's WorkflowExecute (the test harness), or a plain axios loop (the overhead baseline).
 */
import '../test/polyfills';
import './lib/resolve';

import fs from 'node:fs';
import http from 'node:http';

import { MemorySampler } from './lib/memory';
import { PLAIN_NODE_TYPE, PlainGetUser } from './lib/plainNode';
import type { AxiosTask, NodeSummary, Task, WorkerResult, WorkflowTask } from './lib/types';

function cpuMsSince(start: NodeJS.CpuUsage): number {
	const used = process.cpuUsage(start);
	return (used.user + used.system) / 1000;
}

type Harness = typeof import('../test/helpers/harness');

/** Node types load on first use; in n8n they are loaded at startup, not during a run. */
function preload(
	harness: Harness,
	workflow: { nodes: Array<{ type: string; typeVersion: number }> },
) {
	const registry = harness.nodeTypes as unknown as { types: Record<string, unknown> };
	registry.types[PLAIN_NODE_TYPE] ??= new PlainGetUser();
	for (const node of workflow.nodes) {
		if (node.type !== 'n8n-nodes-base.stickyNote') {
			harness.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		}
	}
}

async function runWorkflowTask(task: WorkflowTask): Promise<WorkerResult> {
	const harness = await import('../test/helpers/harness');
	const { runWorkflow } = harness;
	const workflow = JSON.parse(fs.readFileSync(task.workflowFile, 'utf8'));
	preload(harness, workflow);
	if (task.warmup) {
		// Untimed: loads what n8n loads lazily and warms the JIT, against a route that changes
		// nothing and is not logged. A long-running n8n is warm; so is this measurement.
		const warmup = JSON.parse(fs.readFileSync(task.warmup.workflowFile, 'utf8'));
		preload(harness, warmup);
		await runWorkflow(warmup, { credentials: task.warmup.credentials });
	}
	const memory = new MemorySampler();
	memory.start();
	const cpu = process.cpuUsage();
	const started = performance.now();
	const result = await runWorkflow(workflow, { credentials: task.credentials });
	const wallMs = performance.now() - started;
	const cpuMs = cpuMsSince(cpu);
	const report = memory.stop();

	const runData = result.run.data.resultData.runData;
	const nodeMs: Record<string, number> = {};
	for (const [name, runs] of Object.entries(runData)) {
		nodeMs[name] = runs.reduce((sum, taskData) => sum + (taskData.executionTime ?? 0), 0);
	}
	const nodes: Record<string, NodeSummary> = {};
	for (const { node, uniqueField } of task.report) {
		const items = result.output(node);
		const errors = items.filter((item) => item.json.error !== undefined);
		const summary: NodeSummary = {
			ran: runData[node] !== undefined,
			items: items.length,
			errorItems: errors.length,
		};
		if (errors.length > 0) summary.firstError = String(errors[0].json.error).slice(0, 300);
		const nodeError = result.nodeError(node);
		if (nodeError) summary.nodeError = String(nodeError.message).slice(0, 300);
		if (uniqueField) {
			summary.unique = new Set(items.map((item) => String(item.json[uniqueField]))).size;
		}
		nodes[node] = summary;
	}
	const error = result.error;
	return {
		ok: true,
		wallMs,
		cpuMs,
		nodeMs,
		nodes,
		workflowError: error
			? {
					message: String(error.message).slice(0, 300),
					node: (error.node as { name?: string } | undefined)?.name,
					description:
						typeof error.description === 'string' ? error.description.slice(0, 300) : undefined,
				}
			: undefined,
		memory: report,
	};
}

async function runAxiosTask(task: AxiosTask): Promise<WorkerResult> {
	const { default: axios } = await import('axios');
	const ids = JSON.parse(fs.readFileSync(task.idsFile, 'utf8')) as string[];
	const headers = { Authorization: `Bearer ${task.token}`, Accept: 'application/scim+json' };
	// Node's default agent keeps connections alive; n8n's request helper builds a new agent, so
	// a new connection, for every request. This variant does the same to show what that costs.
	const agent = task.newConnectionPerRequest ? new http.Agent({ keepAlive: false }) : undefined;
	if (task.warmupUrl) {
		for (const id of ids.slice(0, 20)) {
			await axios.get(`${task.warmupUrl}/Users/${id}`, { headers, validateStatus: () => true });
		}
	}
	const memory = new MemorySampler();
	memory.start();
	const cpu = process.cpuUsage();
	const started = performance.now();
	let next = 0;
	let failures = 0;
	let firstError: string | undefined;
	const worker = async () => {
		while (next < ids.length) {
			const id = ids[next++];
			try {
				const response = await axios.get(`${task.baseUrl}/Users/${encodeURIComponent(id)}`, {
					headers,
					timeout: 30_000,
					httpAgent: agent,
				});
				if (response.data?.id !== id) throw new Error(`unexpected body for ${id}`);
			} catch (error) {
				failures++;
				firstError ??= (error as Error).message;
			}
		}
	};
	await Promise.all(Array.from({ length: task.concurrency }, worker));
	const wallMs = performance.now() - started;
	return {
		ok: true,
		wallMs,
		cpuMs: cpuMsSince(cpu),
		nodeMs: {},
		nodes: {
			axios: { ran: true, items: ids.length - failures, errorItems: failures, firstError },
		},
		memory: memory.stop(),
	};
}

async function main(): Promise<void> {
	const taskFile = process.argv[2];
	if (!taskFile) throw new Error('usage: worker.ts <task.json>');
	const task = JSON.parse(fs.readFileSync(taskFile, 'utf8')) as Task;
	let result: WorkerResult;
	try {
		result = task.kind === 'axios' ? await runAxiosTask(task) : await runWorkflowTask(task);
	} catch (error) {
		result = { ok: false, failure: (error as Error).stack ?? String(error) };
	}
	fs.writeFileSync(task.resultFile, JSON.stringify(result));
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	},
);
