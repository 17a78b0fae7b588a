/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * `npm run bench`: every scenario of the scaling issue in one run, one table.
 *
 * Each scenario starts the emulator CLI (its own process, 127.0.0.1, random port) and runs the
 * measured job in another process (bench/worker.ts), so peak memory is the job's own. This
 * process only orchestrates: it reads the emulator's request log and state through the
 * inspection routes, checks the result, prints the table and writes bench/results.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { MIRO_RATE_LIMITS, MIRO_WINDOW_MS } from '../test/emulator/rateLimit';
import {
	EMULATOR_TOKEN,
	EmulatorProcess,
	killAll,
	ROOT,
	runWorker,
	TMP,
	type WorkerOutcome,
} from './lib/processes';
import type { CredentialStore, EmulatorState, LogEntry, WorkerResult } from './lib/types';
import { syncBench } from './sync';
import {
	addMembersWorkflow,
	BASELINE_LAST_NODE,
	baselineOnboardingWorkflow,
	type Employee,
	employees,
	forWarmup,
	getAllUsersWorkflow,
	getUserByIdWorkflow,
	ONBOARDING_LAST_NODE,
	onboardingWorkflow,
	plainGetUserWorkflow,
	setMiroOptions,
	type Workflow,
} from './lib/workflows';

// Scale: Miro's 30 s windows become 300 ms; the node is told the same window, and its first
// backoff (1 s by default) shrinks by the same factor.
const TIME_SCALE = 0.01;
const WINDOW_MS = MIRO_WINDOW_MS * TIME_SCALE;
const scaledOptions = (scale: number) => ({
	rateWindowSeconds: (MIRO_WINDOW_MS * scale) / 1000,
	initialBackoffMs: 1000 * scale,
});
const SCALED_NODE_OPTIONS = scaledOptions(TIME_SCALE);
/**
 * Scenario 1 (and its baseline) runs with 3 s windows: scaling shrinks Miro's windows but not
 * n8n's own time per request, and at 300 ms windows the floor would need ~1,500 requests/s, more
 * than n8n's engine sends on two cores whatever the node does. Scenario 1c shows that run.
 */
const ONBOARD_SCALE = 0.1;
const BASELINE_WAIT_BETWEEN_TRIES_MS = 10;

const ONBOARD_USERS = 2000;
const TEAMS = ['Engineering', 'Marketing'];
const BULK_MEMBERS = 20_000;
const LIST_USERS = 100_000;
const GET_BY_ID_USERS = 5000;
const OVERHEAD_ROUNDS = 3;

// Time bounds, in ms, for each measured process; the whole bench stops itself after BENCH_BOUND.
const BOUND = {
	onboarding: 90_000,
	baseline: 120_000,
	members: 90_000,
	list: 120_000,
	get: 90_000,
};
const BENCH_BOUND_MS = 20 * 60_000;

const CREDENTIAL_ID = 'miroScimDemo';
const BEARER_ID = 'bearerDemo';

// ---------------------------------------------------------------------------------------------

interface Row {
	scenario: string;
	wall: string;
	reference: string;
	calls: string;
	errors: string;
	failed: string;
	duplicates: string;
	verified: string;
	memory: string;
	targets: string;
}

const rows: Row[] = [];
const notes: string[] = [];

const ms = (value: number) =>
	value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${(value / 1000).toFixed(2)} s`;
const int = (value: number) => value.toLocaleString('en-US');
const ratio = (value: number) => `${value.toFixed(2)}x`;
const verdict = (pass: boolean) => (pass ? '**PASS**' : '**FAIL**');
const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function credentials(baseUrl: string): CredentialStore {
	return {
		[CREDENTIAL_ID]: { type: 'miroScimApi', data: { token: EMULATOR_TOKEN, baseUrl } },
		[BEARER_ID]: { type: 'httpBearerAuth', data: { token: EMULATOR_TOKEN } },
	};
}

function writeWorkflow(name: string, workflow: Workflow): string {
	const file = path.join(TMP, `${process.pid}-${name}.workflow.json`);
	fs.writeFileSync(file, JSON.stringify(workflow));
	return file;
}

/** Inspection-route URL: every request to it answers 404, changes nothing and is not logged. */
const warmupUrl = (emulator: EmulatorProcess) => `${emulator.origin}/_emulator/warmup`;
const WARMUP_ITEMS = 20;

function warmup(emulator: EmulatorProcess, name: string, workflow: Workflow) {
	return {
		workflowFile: writeWorkflow(`${name}-warmup`, forWarmup(workflow)),
		credentials: credentials(warmupUrl(emulator)),
	};
}

// ---------------------------------------------------------------------------------------------
// The request log and state, as the emulator reports them

interface LogSummary {
	total: number;
	/** endpoint -> status -> count */
	byEndpoint: Map<string, Map<number, number>>;
	rateLimited: number;
	injected429: number;
	status5xx: number;
	dropped: number;
	/** first to last request arrival */
	spanMs: number;
	/** endpoint -> most requests Miro accepted within any one window */
	busiestWindow: Map<string, number>;
}

function endpointOf(entry: LogEntry): string {
	if (entry.endpoint) return entry.endpoint;
	const parts = entry.path
		.replace(/^\/api\/v1\/scim/, '')
		.split('/')
		.filter(Boolean);
	return `${entry.method} /${parts[0] ?? ''}${parts.length > 1 ? '/{id}' : ''}`;
}

/** Two pointers over arrival times: the most accepted requests inside any `windowMs` span. */
function busiestWindow(log: LogEntry[], windowMs: number): Map<string, number> {
	const arrivals = new Map<string, number[]>();
	for (const entry of log) {
		if (entry.status === 429 || entry.flags?.includes('rateLimited')) continue;
		const endpoint = endpointOf(entry);
		arrivals.set(endpoint, [...(arrivals.get(endpoint) ?? []), entry.at]);
	}
	const busiest = new Map<string, number>();
	for (const [endpoint, times] of arrivals) {
		times.sort((a, b) => a - b);
		let best = 0;
		for (let first = 0, last = 0; last < times.length; last++) {
			while (times[last] - times[first] >= windowMs) first++;
			best = Math.max(best, last - first + 1);
		}
		busiest.set(endpoint, best);
	}
	return busiest;
}

function describeBusiest(summary: LogSummary): string {
	return [...summary.busiestWindow]
		.map(([endpoint, count]) => {
			const limit = MIRO_RATE_LIMITS[endpoint as keyof typeof MIRO_RATE_LIMITS];
			return `\`${endpoint}\` ${count}${limit ? `/${limit}` : ''}`;
		})
		.join(', ');
}

function summarizeLog(log: LogEntry[], windowMs = WINDOW_MS): LogSummary {
	const byEndpoint = new Map<string, Map<number, number>>();
	let rateLimited = 0;
	let injected429 = 0;
	let status5xx = 0;
	let dropped = 0;
	for (const entry of log) {
		const endpoint = endpointOf(entry);
		const statuses = byEndpoint.get(endpoint) ?? new Map<number, number>();
		const status = entry.flags?.includes('dropped') ? 0 : entry.status;
		statuses.set(status, (statuses.get(status) ?? 0) + 1);
		byEndpoint.set(endpoint, statuses);
		if (entry.flags?.includes('rateLimited')) rateLimited++;
		if (entry.flags?.includes('injected429')) injected429++;
		if (entry.flags?.includes('dropped')) dropped++;
		else if (entry.status >= 500) status5xx++;
	}
	const spanMs = log.length > 1 ? log[log.length - 1].at - log[0].at : 0;
	const busiest = busiestWindow(log, windowMs);
	return {
		total: log.length,
		byEndpoint,
		rateLimited,
		injected429,
		status5xx,
		dropped,
		spanMs,
		busiestWindow: busiest,
	};
}

function callsOf(summary: LogSummary, endpoint: string): number {
	let sum = 0;
	for (const count of summary.byEndpoint.get(endpoint)?.values() ?? []) sum += count;
	return sum;
}

function describeLog(summary: LogSummary): string {
	const parts: string[] = [];
	for (const [endpoint, statuses] of summary.byEndpoint) {
		const detail = [...statuses]
			.sort((a, b) => a[0] - b[0])
			.map(([status, count]) => `${status === 0 ? 'dropped' : status}x${int(count)}`)
			.join(' ');
		parts.push(`\`${endpoint}\` ${detail}`);
	}
	return parts.join('; ') || 'no requests';
}

function errorsCell(summary: LogSummary): string {
	const parts = [`429: ${int(summary.rateLimited)} limit`];
	if (summary.injected429) parts.push(`${int(summary.injected429)} injected`);
	parts.push(`5xx: ${int(summary.status5xx)}`);
	if (summary.dropped) parts.push(`dropped: ${int(summary.dropped)}`);
	return parts.join(', ');
}

/**
 * Miro's limits are per endpoint and per 30 s window. N calls to an endpoint allowing L per
 * window need ceil(N / L) windows; the first batch goes at t = 0 and the last at the start of
 * the last window, so at least (ceil(N / L) - 1) windows pass. Endpoints have separate budgets
 * and can run in parallel: the floor is the largest of these.
 */
function rateFloorMs(minimumCalls: Record<string, number>, windowMs = WINDOW_MS): number {
	let floor = 0;
	for (const [endpoint, calls] of Object.entries(minimumCalls)) {
		const limit = MIRO_RATE_LIMITS[endpoint as keyof typeof MIRO_RATE_LIMITS];
		if (!limit) throw new Error(`no limit known for ${endpoint}`);
		floor = Math.max(floor, (Math.ceil(calls / limit) - 1) * windowMs);
	}
	return floor;
}

function cpuOf(result: WorkerResult): string {
	return result.ok ? `<br>CPU ${ms(result.cpuMs)}` : '';
}

function memoryCell(result: WorkerResult): string {
	if (!result.ok) return 'n/a';
	return `${result.memory.peakRssMb} MB / ${result.memory.peakHeapUsedMb} MB`;
}

function failureNote(name: string, outcome: WorkerOutcome): void {
	if (!outcome.result.ok)
		notes.push(`- ${name}: worker failed: ${outcome.result.failure.slice(0, 800)}`);
	else if (outcome.result.workflowError) {
		const error = outcome.result.workflowError;
		notes.push(
			`- ${name}: the workflow stopped at "${error.node ?? '?'}": ${error.message}${error.description ? ` (${error.description})` : ''}`,
		);
	}
}

// ---------------------------------------------------------------------------------------------
// Scenario 1 and 2: onboarding 2,000 people into two teams

interface OnboardingCheck {
	created: number;
	exactlyOnce: number;
	inRightTeam: number;
	duplicates: number;
}

function checkOnboarding(people: Employee[], state: EmulatorState): OnboardingCheck {
	const byName = new Map<string, string[]>();
	for (const user of state.users) {
		const key = user.userName.toLowerCase();
		byName.set(key, [...(byName.get(key) ?? []), user.id]);
	}
	let duplicates = 0;
	for (const ids of byName.values()) if (ids.length > 1) duplicates += ids.length - 1;
	const members = new Map(
		state.groups.map((g) => [g.displayName, new Set((g.members ?? []).map((m) => m.value))]),
	);
	let created = 0;
	let exactlyOnce = 0;
	let inRightTeam = 0;
	for (const person of people) {
		const ids = byName.get(person.email.toLowerCase()) ?? [];
		if (ids.length > 0) created++;
		if (ids.length === 1) {
			exactlyOnce++;
			if (members.get(person.team)?.has(ids[0])) inRightTeam++;
		}
	}
	return { created, exactlyOnce, inRightTeam, duplicates };
}

/** GET /Users (lookup) and POST /Users per person, one GET /Groups and one PATCH per team. */
function onboardingMinimumCalls(people: Employee[]): Record<string, number> {
	return {
		'GET /Users': people.length,
		'POST /Users': people.length,
		'GET /Groups': TEAMS.length,
		'PATCH /Groups/{id} (body > 500 bytes)': TEAMS.length,
	};
}

interface OnboardingRun {
	label: string;
	timeScale: number;
	emulatorFlags: string[];
	build: (people: Employee[], baseUrl: string) => Workflow;
	lastNode: string;
	bound: number;
	targets: (m: OnboardingMeasure) => Array<[string, boolean]>;
	/** calls per endpoint its own design needs when every call succeeds, if not the minimum */
	ownPattern?: (people: Employee[]) => Record<string, number>;
}

interface OnboardingMeasure {
	wallMs: number;
	floorMs: number;
	calls: number;
	minimumCalls: number;
	failed: number;
	check: OnboardingCheck;
	people: number;
	completed: boolean;
}

async function onboarding(run: OnboardingRun): Promise<void> {
	const people = employees(ONBOARD_USERS, TEAMS);
	const emulator = await EmulatorProcess.start([
		'--time-scale',
		String(run.timeScale),
		...run.emulatorFlags,
	]);
	try {
		const name = run.label.slice(0, 2).replace(/\W+/g, '');
		const workflowFile = writeWorkflow(name, run.build(people, emulator.url));
		const warm = warmup(
			emulator,
			name,
			run.build(employees(WARMUP_ITEMS, TEAMS), warmupUrl(emulator)),
		);
		const outcome = await runWorker(
			{
				kind: 'workflow',
				workflowFile,
				credentials: credentials(emulator.url),
				report: [{ node: run.lastNode }],
				warmup: warm,
			},
			run.bound,
		);
		fs.rmSync(workflowFile, { force: true });
		fs.rmSync(warm.workflowFile, { force: true });
		const windowMs = MIRO_WINDOW_MS * run.timeScale;
		const log = summarizeLog(await emulator.log(), windowMs);
		const state = await emulator.state();
		const check = checkOnboarding(people, state);
		const minimum = onboardingMinimumCalls(people);
		const minimumCalls = Object.values(minimum).reduce((a, b) => a + b, 0);
		const floorMs = rateFloorMs(minimum, MIRO_WINDOW_MS * run.timeScale);
		const result = outcome.result;
		const last = result.ok ? result.nodes[run.lastNode] : undefined;
		const succeeded = last ? last.items - last.errorItems : 0;
		const completed = result.ok && !result.workflowError;
		const wallMs = result.ok ? result.wallMs : outcome.processMs;
		const measure: OnboardingMeasure = {
			wallMs,
			floorMs,
			calls: log.total,
			minimumCalls,
			failed: people.length - succeeded,
			check,
			people: people.length,
			completed,
		};
		const targets = run.targets(measure);
		const wall = outcome.timedOut
			? `> ${ms(run.bound)} (stopped)`
			: `${ms(wallMs)}${completed ? '' : ' (stopped with an error)'}${cpuOf(result)}`;
		rows.push({
			scenario: run.label,
			wall,
			reference: `floor ${ms(floorMs)}; ${ratio(wallMs / floorMs)}`,
			calls: `${int(log.total)} (min ${int(minimumCalls)}); ${ratio(log.total / minimumCalls)}`,
			errors: errorsCell(log),
			failed: `${int(measure.failed)} / ${int(people.length)}`,
			duplicates: String(check.duplicates),
			verified: `${int(check.exactlyOnce)} exist once, ${int(check.inRightTeam)} in right team`,
			memory: memoryCell(result),
			targets:
				targets.map(([name, pass]) => `${name} ${verdict(pass)}`).join('<br>') || 'report only',
		});
		notes.push(
			`- ${run.label}: requests ${describeLog(log)}; first to last request ${ms(log.spanMs)} = ${Math.round(log.total / (log.spanMs / 1000))} requests/s (the floor needs ${Math.round(minimumCalls / (floorMs / 1000))}/s). Busiest ${windowMs} ms window, accepted/limit: ${describeBusiest(log)}.`,
		);
		if (result.ok) {
			const nodeTimes = Object.entries(result.nodeMs)
				.map(([name, time]) => `${name} ${ms(time)}`)
				.join(', ');
			notes.push(`  Node times: ${nodeTimes}.`);
		}
		if (run.ownPattern) {
			const own = run.ownPattern(people);
			const total = Object.values(own).reduce((a, b) => a + b, 0);
			notes.push(
				`  Its own call pattern, if every call succeeded: ${int(total)} calls (${Object.entries(own)
					.map(([endpoint, calls]) => `\`${endpoint}\` ${int(calls)}`)
					.join(
						', ',
					)}), floor ${ms(rateFloorMs(own, windowMs))}: one team search per person at 5 per window.`,
			);
		}
		failureNote(run.label, outcome);
	} finally {
		await emulator.stop();
	}
}

// ---------------------------------------------------------------------------------------------
// Scenario 3: 20,000 existing users into one team

async function bulkMembers(): Promise<void> {
	const emulator = await EmulatorProcess.start([
		'--time-scale',
		String(TIME_SCALE),
		'--seed-users',
		String(BULK_MEMBERS),
	]);
	try {
		const before = await emulator.state();
		const team = before.groups.find((g) => g.displayName === 'Engineering');
		if (!team) throw new Error('the emulator has no Engineering team');
		const ids = before.users.filter((u) => /^user\d+@/.test(u.userName)).map((u) => u.id);
		const workflowFile = writeWorkflow(
			'members',
			setMiroOptions(addMembersWorkflow(ids, team.id, CREDENTIAL_ID), SCALED_NODE_OPTIONS),
		);
		const warm = warmup(
			emulator,
			'members',
			setMiroOptions(
				addMembersWorkflow(ids.slice(0, WARMUP_ITEMS), team.id, CREDENTIAL_ID),
				SCALED_NODE_OPTIONS,
			),
		);
		const outcome = await runWorker(
			{
				kind: 'workflow',
				workflowFile,
				credentials: credentials(emulator.url),
				report: [{ node: 'Add to team' }],
				warmup: warm,
			},
			BOUND.members,
		);
		fs.rmSync(workflowFile, { force: true });
		fs.rmSync(warm.workflowFile, { force: true });
		const log = summarizeLog(await emulator.log());
		const after = await emulator.state();
		const members = new Set(
			(after.groups.find((g) => g.id === team.id)?.members ?? []).map((m) => m.value),
		);
		const allIn = ids.filter((id) => members.has(id)).length;
		const patches =
			callsOf(log, 'PATCH /Groups/{id} (body > 500 bytes)') +
			callsOf(log, 'PATCH /Groups/{id} (body <= 500 bytes)');
		const minimum = Math.ceil(ids.length / 8000);
		const result = outcome.result;
		const last = result.ok ? result.nodes['Add to team'] : undefined;
		const failed = ids.length - (last ? last.items - last.errorItems : 0);
		const wallMs = result.ok ? result.wallMs : outcome.processMs;
		const nodeMs = result.ok ? (result.nodeMs['Add to team'] ?? 0) : 0;
		const floorMs = rateFloorMs({ 'PATCH /Groups/{id} (body > 500 bytes)': minimum });
		rows.push({
			scenario: `3. Add ${int(ids.length)} existing users to one team (Miro SCIM updateMembers, ${int(ids.length)} items)`,
			wall: `${ms(wallMs)} (node ${ms(nodeMs)})`,
			reference: `floor ${ms(floorMs)} (${minimum} PATCHes fit one window)`,
			calls: `${int(log.total)}; PATCH /Groups: ${patches} (min ${minimum})`,
			errors: errorsCell(log),
			failed: `${int(failed)} / ${int(ids.length)}`,
			duplicates: '-',
			verified: `team has ${int(members.size)} members, ${int(allIn)} / ${int(ids.length)} of the users`,
			memory: memoryCell(result),
			targets: [
				`PATCHes = ${minimum} ${verdict(patches === minimum)}`,
				`all ${int(ids.length)} in team ${verdict(allIn === ids.length)}`,
			].join('<br>'),
		});
		notes.push(`- 3. Members: requests ${describeLog(log)}.`);
		failureNote('3. Members', outcome);
	} finally {
		await emulator.stop();
	}
}

// ---------------------------------------------------------------------------------------------
// Scenario 4: Get Many over 100,000 users

async function listAll(): Promise<void> {
	const emulator = await EmulatorProcess.start([
		'--time-scale',
		String(TIME_SCALE),
		'--seed-users',
		String(LIST_USERS),
	]);
	try {
		const counts = await emulator.counts();
		const build = () => setMiroOptions(getAllUsersWorkflow(CREDENTIAL_ID), SCALED_NODE_OPTIONS);
		const workflowFile = writeWorkflow('list', build());
		const warm = warmup(emulator, 'list', build());
		const outcome = await runWorker(
			{
				kind: 'workflow',
				workflowFile,
				credentials: credentials(emulator.url),
				report: [{ node: 'Get many users', uniqueField: 'id' }],
				warmup: warm,
			},
			BOUND.list,
		);
		fs.rmSync(workflowFile, { force: true });
		fs.rmSync(warm.workflowFile, { force: true });
		const log = summarizeLog(await emulator.log());
		const result = outcome.result;
		const summary = result.ok ? result.nodes['Get many users'] : undefined;
		const items = summary?.items ?? 0;
		const wallMs = result.ok ? result.wallMs : outcome.processMs;
		const nodeMs = result.ok ? (result.nodeMs['Get many users'] ?? 0) : 0;
		const pages = Math.ceil(counts.users / 1000);
		rows.push({
			scenario: `4. Get Many over ${int(LIST_USERS)} users (user getAll, Return All)`,
			wall: `${ms(wallMs)} (node ${ms(nodeMs)})`,
			reference: `${(nodeMs / (items / 1000 || 1)).toFixed(1)} ms per 1,000 users (node); floor ${ms(rateFloorMs({ 'GET /Users': pages }))}`,
			calls: `${int(log.total)} (min ${pages} pages of 1,000)`,
			errors: errorsCell(log),
			failed: summary?.nodeError ? 'node failed' : '0',
			duplicates: `${int(items - (summary?.unique ?? 0))} repeated ids`,
			verified: `${int(items)} items, ${int(summary?.unique ?? 0)} distinct ids; emulator holds ${int(counts.users)} (${int(LIST_USERS)} + admin)`,
			memory: memoryCell(result),
			targets: `all ${int(counts.users)} returned ${verdict(items === counts.users && summary?.unique === counts.users)}`,
		});
		notes.push(`- 4. Get Many: requests ${describeLog(log)}.`);
		failureNote('4. Get Many', outcome);
	} finally {
		await emulator.stop();
	}
}

// ---------------------------------------------------------------------------------------------
// Scenario 5: node overhead against a plain axios loop

async function overhead(): Promise<void> {
	const emulator = await EmulatorProcess.start([
		'--no-rate-limit',
		'--seed-users',
		String(GET_BY_ID_USERS),
	]);
	const files: string[] = [];
	try {
		const state = await emulator.state();
		const ids = state.users.filter((u) => /^user\d+@/.test(u.userName)).map((u) => u.id);
		const idsFile = path.join(TMP, `${process.pid}-ids.json`);
		fs.writeFileSync(idsFile, JSON.stringify(ids));
		files.push(idsFile);
		// No limits to respect on this emulator: pacing off; concurrency 5 on every side.
		const options = { concurrency: 5, pacing: false };
		const builders = {
			node: getUserByIdWorkflow,
			n8n: plainGetUserWorkflow,
		};
		const tasks = Object.fromEntries(
			Object.entries(builders).map(([side, build]) => {
				const workflowFile = writeWorkflow(
					`get-${side}`,
					setMiroOptions(build(ids, CREDENTIAL_ID), options),
				);
				const warm = warmup(
					emulator,
					`get-${side}`,
					setMiroOptions(build(ids.slice(0, WARMUP_ITEMS), CREDENTIAL_ID), options),
				);
				files.push(workflowFile, warm.workflowFile);
				return [
					side,
					{
						kind: 'workflow' as const,
						workflowFile,
						credentials: credentials(emulator.url),
						report: [{ node: 'Get user' }],
						warmup: warm,
					},
				];
			}),
		);
		type Side = 'node' | 'n8n' | 'axios' | 'axiosNoKeepAlive';
		const times: Record<Side, number[]> = { node: [], n8n: [], axios: [], axiosNoKeepAlive: [] };
		const cpu: Record<Side, number[]> = { node: [], n8n: [], axios: [], axiosNoKeepAlive: [] };
		const memories: string[] = [];
		let failures = 0;
		for (let round = 1; round <= OVERHEAD_ROUNDS; round++) {
			for (const side of ['node', 'n8n', 'axios', 'axiosNoKeepAlive'] as const) {
				const plain = side === 'axios' || side === 'axiosNoKeepAlive';
				const outcome = await runWorker(
					plain
						? {
								kind: 'axios',
								baseUrl: emulator.url,
								token: EMULATOR_TOKEN,
								idsFile,
								concurrency: 5,
								newConnectionPerRequest: side === 'axiosNoKeepAlive',
								warmupUrl: warmupUrl(emulator),
							}
						: tasks[side],
					BOUND.get,
				);
				const result = outcome.result;
				failureNote(`5. Overhead round ${round} (${side})`, outcome);
				if (!result.ok) {
					failures += ids.length;
					continue;
				}
				const summary = result.nodes[plain ? 'axios' : 'Get user'];
				failures += ids.length - (summary ? summary.items - summary.errorItems : 0);
				if (summary?.firstError) notes.push(`- 5. round ${round} ${side}: ${summary.firstError}`);
				times[side].push(plain ? result.wallMs : (result.nodeMs['Get user'] ?? NaN));
				cpu[side].push(result.cpuMs);
				if (side === 'node') memories.push(memoryCell(result));
			}
		}
		const log = summarizeLog(await emulator.log());
		const sides = ['node', 'n8n', 'axios', 'axiosNoKeepAlive'] as const;
		const wall = Object.fromEntries(sides.map((side) => [side, median(times[side])])) as Record<
			Side,
			number
		>;
		const used = Object.fromEntries(sides.map((side) => [side, median(cpu[side])])) as Record<
			Side,
			number
		>;
		const vsAxios = (side: Side) =>
			`${ratio(wall[side] / wall.axios)} (CPU ${ratio(used[side] / used.axios)})`;
		const overheadRatio = wall.node / wall.axios;
		const complete = Object.values(times).every((list) => list.length === OVERHEAD_ROUNDS);
		rows.push({
			scenario: `5. Node overhead: user get by ID x ${int(ids.length)}, no rate limits, concurrency 5 (median of ${OVERHEAD_ROUNDS}, interleaved)`,
			wall: `node ${ms(wall.node)} vs axios ${ms(wall.axios)}<br>CPU ${ms(used.node)} vs ${ms(used.axios)}`,
			reference: `ratio ${vsAxios('node')}. Same job vs axios: minimal n8n node ${vsAxios('n8n')}; axios with a new connection per request ${vsAxios('axiosNoKeepAlive')}`,
			calls: `${int(log.total)} (${OVERHEAD_ROUNDS} rounds x ${sides.length} sides x ${int(ids.length)})`,
			errors: errorsCell(log),
			failed: `${int(failures)}`,
			duplicates: '-',
			verified: failures === 0 ? 'every answer 200' : `${int(failures)} failed`,
			memory: `node: ${memories[Math.floor(memories.length / 2)] ?? 'n/a'}`,
			targets: `ratio <= 1.5 ${verdict(complete && failures === 0 && overheadRatio <= 1.5)}`,
		});
		const perRound = (side: Side) =>
			`${times[side].map(ms).join(', ')} (CPU ${cpu[side].map(ms).join(', ')})`;
		notes.push(
			`- 5. Overhead, per round: Miro SCIM node (its execution time) ${perRound('node')}; minimal n8n node (bench/lib/plainNode.ts: one expression + httpRequestWithAuthentication per item, nothing else) ${perRound('n8n')}; axios loop ${perRound('axios')}; axios loop with a new connection per request ${perRound('axiosNoKeepAlive')}. Miro SCIM node / minimal n8n node: ${ratio(wall.node / wall.n8n)} wall, ${ratio(used.node / used.n8n)} CPU. Requests ${describeLog(log)}.`,
		);
	} finally {
		for (const file of files) fs.rmSync(file, { force: true });
		await emulator.stop();
	}
}

// ---------------------------------------------------------------------------------------------

const loadAverage = () =>
	os
		.loadavg()
		.map((load) => load.toFixed(1))
		.join(' / ');

function machine(): string {
	const cpus = os.cpus();
	return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

function table(): string {
	const header = [
		'Scenario',
		'Wall time',
		'Against',
		'API calls',
		'429 / 5xx',
		'Failed items',
		'Duplicates',
		'Emulator state',
		'Peak RSS / heapUsed',
		'Targets',
	];
	const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
	for (const row of rows) {
		const cells = [
			row.scenario,
			row.wall,
			row.reference,
			row.calls,
			row.errors,
			row.failed,
			row.duplicates,
			row.verified,
			row.memory,
			row.targets,
		].map((cell) => cell.replace(/\|/g, '\\|'));
		lines.push(`| ${cells.join(' | ')} |`);
	}
	return lines.join('\n');
}

async function main(): Promise<void> {
	fs.mkdirSync(TMP, { recursive: true });
	const started = Date.now();
	const loadBefore = loadAverage();
	const onboardingTargets = (m: OnboardingMeasure): Array<[string, boolean]> => [
		[`time <= 1.15x floor`, m.completed && m.wallMs <= 1.15 * m.floorMs],
		[`calls <= 1.02x min`, m.calls <= 1.02 * m.minimumCalls],
		[
			`all onboarded once`,
			m.failed === 0 && m.check.inRightTeam === m.people && m.check.duplicates === 0,
		],
	];
	const miroOnboarding = (scale: number) => (people: Employee[]) =>
		setMiroOptions(onboardingWorkflow(people, CREDENTIAL_ID), scaledOptions(scale));
	const steps: Array<[string, () => Promise<void>]> = [
		[
			'1. onboarding (Miro SCIM node)',
			() =>
				onboarding({
					label: `1. Onboard ${int(ONBOARD_USERS)} new users into 2 teams: workflows/onboarding.json (time scale ${ONBOARD_SCALE}: ${(MIRO_WINDOW_MS * ONBOARD_SCALE) / 1000} s windows)`,
					timeScale: ONBOARD_SCALE,
					emulatorFlags: [],
					build: miroOnboarding(ONBOARD_SCALE),
					lastNode: ONBOARDING_LAST_NODE,
					bound: BOUND.onboarding,
					targets: onboardingTargets,
				}),
		],
		[
			'1b. onboarding baseline (HTTP Request)',
			() =>
				onboarding({
					label: `1b. Baseline: same job with HTTP Request v4.2 + IF, Retry On Fail (3 tries, ${BASELINE_WAIT_BETWEEN_TRIES_MS} ms), time scale ${ONBOARD_SCALE}`,
					timeScale: ONBOARD_SCALE,
					emulatorFlags: [],
					build: (people, baseUrl) =>
						baselineOnboardingWorkflow(people, baseUrl, BEARER_ID, BASELINE_WAIT_BETWEEN_TRIES_MS),
					lastNode: BASELINE_LAST_NODE,
					bound: BOUND.baseline,
					targets: () => [],
					ownPattern: (people) => ({
						'GET /Users': people.length,
						'POST /Users': people.length,
						'GET /Groups': people.length,
						'PATCH /Groups/{id} (body <= 500 bytes)': people.length,
					}),
				}),
		],
		[
			'1c. onboarding at time scale 0.01',
			() =>
				onboarding({
					label: `1c. Check: scenario 1 at time scale ${TIME_SCALE} (${WINDOW_MS} ms windows): bound by n8n's request rate, not by Miro's limits`,
					timeScale: TIME_SCALE,
					emulatorFlags: [],
					build: miroOnboarding(TIME_SCALE),
					lastNode: ONBOARDING_LAST_NODE,
					bound: BOUND.onboarding,
					targets: (m) => onboardingTargets(m).filter(([name]) => !name.startsWith('time')),
				}),
		],
		[
			'2. onboarding with faults',
			() =>
				onboarding({
					label: `2. Onboarding with faults: 10% 429 (half with Retry-After), 3% 503, 1% dropped after applying`,
					timeScale: TIME_SCALE,
					emulatorFlags: [
						'--fault-429',
						'0.1',
						'--retry-after',
						'0.5',
						'--fault-503',
						'0.03',
						'--fault-drop',
						'0.01',
					],
					build: miroOnboarding(TIME_SCALE),
					lastNode: ONBOARDING_LAST_NODE,
					bound: BOUND.onboarding,
					targets: (m) => [
						[`0 failed items`, m.completed && m.failed === 0],
						[
							`each user once, right team`,
							m.check.exactlyOnce === m.people &&
								m.check.inRightTeam === m.people &&
								m.check.duplicates === 0,
						],
					],
				}),
		],
		['3. members', bulkMembers],
		['4. get many', listAll],
		['5. overhead', overhead],
		[
			'6. sync',
			async () => {
				const sync = await syncBench();
				rows.push(...sync.rows);
				notes.push(...sync.notes);
			},
		],
	];
	// `npm run bench -- 1 2` runs only the scenarios whose names start with those prefixes.
	const only = process.argv.slice(2);
	for (const [name, step] of steps) {
		if (only.length > 0 && !only.some((prefix) => name.startsWith(prefix))) continue;
		const stepStarted = Date.now();
		process.stderr.write(`bench: ${name}...`);
		try {
			await step();
		} catch (error) {
			rows.push({
				scenario: name,
				wall: 'n/a',
				reference: '',
				calls: '',
				errors: '',
				failed: '',
				duplicates: '',
				verified: '',
				memory: '',
				targets: `**FAIL** (${(error as Error).message})`,
			});
		}
		process.stderr.write(` ${ms(Date.now() - stepStarted)}\n`);
	}

	const output = [
		`# Miro SCIM node benchmark`,
		'',
		`${new Date().toISOString()} on ${machine()}. Whole run ${ms(Date.now() - started)}. Load average (1 / 5 / 15 min) ${loadBefore} before, ${loadAverage()} after: anything above the core count means other processes competed for the CPU, and times stretch accordingly.`,
		'',
		`Emulator (test/emulator/cli.ts, own process, 127.0.0.1) with Miro's documented rate limits at **time scale ${TIME_SCALE}** (scenario 1 and its baseline: **${ONBOARD_SCALE}**): a 30 s window lasts ${WINDOW_MS} ms (${(MIRO_WINDOW_MS * ONBOARD_SCALE) / 1000} s), so a limit of 200 per 30 s becomes 200 per ${WINDOW_MS} ms. Each measured job runs in its own process; wall time is the workflow run (module loading excluded); memory is that process's peak RSS (sampled every 10 ms, and getrusage maxRSS) and peak V8 heapUsed. Miro SCIM node options: ${JSON.stringify(SCALED_NODE_OPTIONS)} on every Miro SCIM node (the window and backoff scaled alike in scenario 1), all else default (concurrency 10, pacing on, 6 attempts); scenario 5 uses an emulator without limits, so pacing off there.`,
		'',
		table(),
		'',
		"**Rate-limit floor**: Miro counts each endpoint separately, per window. N calls to an endpoint allowing L per window need ceil(N/L) windows; the first batch goes at t = 0, the last at the start of the last window, so at least (ceil(N/L) - 1) x window passes. The floor is the largest of these over the endpoints the job must call, for the minimum number of calls. Onboarding minimum: per person 1 `GET /Users` lookup + 1 `POST /Users`, per team 1 `GET /Groups` + 1 `PATCH /Groups/{id}` (all of a team's additions in one body, > 500 bytes, 5 per window): 2,000 lookups at 200 per window = 10 windows -> 9 x 300 ms = 2.70 s (same for the creates).",
		'',
		"**Busiest window** (in the details): the most requests the emulator accepted for an endpoint within any one window, from its request log. Below the limit means the run was not held back by Miro's limits but by how fast n8n sent requests. (+-1: the log stamps a request on arrival, the limiter counts it after reading its body.)",
		'',
		'Details:',
		...notes,
		'',
	].join('\n');
	process.stdout.write(`${output}\n`);
	fs.writeFileSync(path.join(ROOT, 'bench', 'results.md'), output);
}

const deadline = setTimeout(() => {
	process.stderr.write(`bench: stopped after its ${BENCH_BOUND_MS / 60_000} min bound\n`);
	killAll();
	process.exit(3);
}, BENCH_BOUND_MS);
deadline.unref();

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		killAll();
		process.exit(130);
	});
}

main()
	.then(() => {
		killAll();
		// Only this run's files were in it, each removed when done; the directory goes if empty.
		if (fs.existsSync(TMP) && fs.readdirSync(TMP).length === 0) fs.rmdirSync(TMP);
		process.exit(0);
	})
	.catch((error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		killAll();
		process.exit(1);
	});
