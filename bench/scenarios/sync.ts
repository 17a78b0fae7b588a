/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * Scenario 6 of `npm run bench`: Sync > Reconcile of 10,000 people against an organization of
 * 10,000 users in 20 teams with 1% drift, a second run, the same under faults, and memory for
 * 10,000 and 100,000 people. Each job runs in bench/worker.ts against the emulator CLI.
 */
import fs from 'node:fs';
import path from 'node:path';

import { MIRO_RATE_LIMITS, MIRO_WINDOW_MS } from '../../test/emulator/rateLimit';
import { keepLog } from '../lib/log';
import {
	EMULATOR_TOKEN,
	type EmulatorProcess,
	runWorker,
	startBenchEmulator,
	TMP,
} from '../lib/processes';
import type { LogEntry, WorkerResult } from '../lib/types';
import type { Workflow } from '../lib/workflows';

const PEOPLE = 10_000;
const TEAMS = 20;
const DRIFT = { joiners: 50, leavers: 30, movers: 20, renamed: 20 };
/**
 * Miro answers in ~0.3 s at least; the emulator adds a latency to every answer so that the floor
 * is not the CPU's. The latency is this or more: the reconcile runs once with instant answers
 * first, and the latency is chosen so that this machine's own time for the job (that run's
 * wall) is at most `MACHINE_SHARE` of the latency floor, as the pacing rows choose their clock.
 */
const MIN_LATENCY_MS = 300;
const MACHINE_SHARE = 1 / 20;
const CONCURRENCY = 10;
const FAULT_SCALE = 0.01;
const CREDENTIAL_ID = 'miroScimDemo';

export interface SyncRow {
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

interface Person {
	email: string;
	first: string;
	last: string;
	team: string;
}

const teamName = (n: number) => `g_app_team${String(n).padStart(2, '0')}`;
const int = (value: number) => value.toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const verdict = (pass: boolean) => (pass ? '**PASS**' : '**FAIL**');

/** user i is in team ((i - 1) mod 20) + 1, as `--seed-user-teams 20` seeds it. */
export function desiredPeople(people: number, drift = DRIFT): Person[] {
	const desired: Person[] = [];
	for (let i = 1; i <= people - drift.leavers; i++) {
		const home = ((i - 1) % TEAMS) + 1;
		const team = teamName(i <= drift.movers ? (home % TEAMS) + 1 : home);
		const renamed = i > drift.movers && i <= drift.movers + drift.renamed;
		desired.push({
			email: `user${i}@example.com`,
			first: 'User',
			last: renamed ? `${i} B` : String(i),
			team,
		});
	}
	for (let j = 1; j <= drift.joiners; j++) {
		desired.push({
			email: `joiner${j}@example.com`,
			first: 'Joiner',
			last: String(j),
			team: teamName(((j - 1) % TEAMS) + 1),
		});
	}
	return desired;
}

function workflow(people: Person[], dryRun: boolean, options: Record<string, unknown>): Workflow {
	return {
		name: 'sync bench',
		nodes: [
			{
				id: 'hr',
				name: 'HR',
				type: 'test.source',
				typeVersion: 1,
				position: [0, 0],
				parameters: { items: JSON.stringify(people) },
			},
			{
				id: 'sync',
				name: 'Sync',
				type: 'n8n-nodes-miro-scim.miroScim',
				typeVersion: 1,
				position: [200, 0],
				parameters: {
					resource: 'sync',
					operation: 'reconcile',
					dryRun,
					email: '={{ $json.email }}',
					givenName: '={{ $json.first }}',
					familyName: '={{ $json.last }}',
					groups: '={{ $json.team }}',
					scope: 'groups',
					managedGroups: 'prefix',
					groupPrefix: 'g_app_',
					options,
				},
				credentials: { miroScimApi: { id: CREDENTIAL_ID, name: 'Miro SCIM account' } },
			},
		],
		connections: { HR: { main: [[{ node: 'Sync', type: 'main', index: 0 }]] } },
	};
}

async function runSync(emulator: EmulatorProcess, name: string, flow: Workflow, boundMs: number) {
	const file = path.join(TMP, `${process.pid}-${name}.workflow.json`);
	fs.writeFileSync(file, JSON.stringify(flow));
	const credentials = {
		[CREDENTIAL_ID]: {
			type: 'miroScimApi',
			data: { token: EMULATOR_TOKEN, baseUrl: emulator.url },
		},
	};
	try {
		return await runWorker(
			{ kind: 'workflow', workflowFile: file, credentials, report: [{ node: 'Sync' }] },
			boundMs,
		);
	} finally {
		fs.rmSync(file, { force: true });
	}
}

const endpointOf = (entry: LogEntry) => entry.endpoint ?? `${entry.method} ${entry.path}`;
function callsByEndpoint(log: LogEntry[]): Map<string, number> {
	const calls = new Map<string, number>();
	for (const entry of log) calls.set(endpointOf(entry), (calls.get(endpointOf(entry)) ?? 0) + 1);
	return calls;
}
const writesOf = (log: LogEntry[]) => log.filter((entry) => entry.method !== 'GET').length;
const describeCalls = (calls: Map<string, number>) =>
	[...calls].map(([endpoint, count]) => `\`${endpoint}\` ${int(count)}`).join(', ');

/** The fewest requests: user pages of 1,000, one team page, one write per change, one PATCH per touched team. */
function minimumCalls(users: number, drift = DRIFT): Record<string, number> {
	return {
		'GET /Users': Math.ceil(users / 1000),
		'GET /Groups': 1,
		'POST /Users': drift.joiners,
		'PATCH /Users/{id}': drift.leavers + drift.renamed,
		'PATCH /Groups/{id} (body <= 500 bytes)': TEAMS,
	};
}

/** Miro's per-endpoint windows: (ceil(N / L) - 1) windows for N calls at L per window. */
function rateFloorMs(calls: Record<string, number>, windowMs: number): number {
	let floor = 0;
	for (const [endpoint, count] of Object.entries(calls)) {
		const limit = MIRO_RATE_LIMITS[endpoint as keyof typeof MIRO_RATE_LIMITS];
		floor = Math.max(floor, (Math.ceil(count / limit) - 1) * windowMs);
	}
	return floor;
}

/**
 * The round trips that must follow one another: user pages (each starts where the last ended;
 * the team page goes alongside), then user writes `CONCURRENCY` at a time, then team PATCHes.
 */
function latencyFloorMs(min: Record<string, number>, latencyMs: number): number {
	const userWrites = min['POST /Users'] + min['PATCH /Users/{id}'];
	const rounds =
		min['GET /Users'] +
		Math.ceil(userWrites / CONCURRENCY) +
		Math.ceil(min['PATCH /Groups/{id} (body <= 500 bytes)'] / CONCURRENCY);
	return rounds * latencyMs;
}

interface StateUser {
	id: string;
	userName: string;
	active?: boolean;
	name?: { familyName?: string };
}
interface StateGroup {
	displayName: string;
	members?: Array<{ value: string }>;
}

/** Every desired person once, active, named and in exactly their team; leavers deactivated. */
function check(state: { users: StateUser[]; groups: StateGroup[] }, people: Person[]) {
	const byName = new Map<string, StateUser[]>();
	for (const user of state.users) {
		const key = user.userName.toLowerCase();
		byName.set(key, [...(byName.get(key) ?? []), user]);
	}
	let duplicates = 0;
	for (const users of byName.values()) duplicates += users.length - 1;
	const teamsOf = new Map<string, string[]>();
	for (const group of state.groups) {
		if (!group.displayName.startsWith('g_app_')) continue;
		for (const member of group.members ?? [])
			teamsOf.set(member.value, [...(teamsOf.get(member.value) ?? []), group.displayName]);
	}
	const wanted = new Set(people.map((person) => person.email));
	let right = 0;
	for (const person of people) {
		const [user] = byName.get(person.email) ?? [];
		const teams = user ? (teamsOf.get(user.id) ?? []) : [];
		if (
			user?.active !== false &&
			user?.name?.familyName === person.last &&
			teams.length === 1 &&
			teams[0] === person.team
		)
			right++;
	}
	const leavers = state.users.filter(
		(user) => user.userName.startsWith('user') && !wanted.has(user.userName),
	);
	const leftOk = leavers.filter((user) => user.active === false).length;
	return { right, duplicates, leavers: leavers.length, leftOk };
}

function memoryOf(result: WorkerResult): string {
	return result.ok ? `${result.memory.peakRssMb} MB / ${result.memory.peakHeapUsedMb} MB` : 'n/a';
}

function failedItems(result: WorkerResult): number {
	return result.ok ? result.nodes.Sync.errorItems : -1;
}

/** The reconcile with instant answers: this machine's own time for the job. */
async function machineTimeMs(people: Person[]): Promise<number> {
	const emulator = await startBenchEmulator(syncEmulatorFlags(0));
	try {
		const run = await runSync(
			emulator,
			'sync0',
			workflow(people, false, { concurrency: CONCURRENCY }),
			120_000,
		);
		if (!run.result.ok || run.result.workflowError)
			throw new Error('6: the run without latency failed');
		return run.result.wallMs;
	} finally {
		await emulator.stop();
	}
}

const syncEmulatorFlags = (latencyMs: number) => [
	'--time-scale',
	'1',
	'--latency',
	String(latencyMs),
	'--seed-users',
	String(PEOPLE),
	'--seed-user-teams',
	String(TEAMS),
];

async function reconcileRun(rows: SyncRow[], notes: string[]): Promise<void> {
	const people = desiredPeople(PEOPLE);
	const min = minimumCalls(PEOPLE + 1);
	const machineMs = await machineTimeMs(people);
	const rounds = latencyFloorMs(min, 1);
	const latencyMs = Math.max(
		MIN_LATENCY_MS,
		Math.ceil(machineMs / MACHINE_SHARE / rounds / 100) * 100,
	);
	const emulator = await startBenchEmulator(syncEmulatorFlags(latencyMs));
	try {
		const options = { concurrency: CONCURRENCY };
		const first = await runSync(emulator, 'sync1', workflow(people, false, options), 120_000);
		const log = await emulator.log();
		keepLog('6', log);
		const state = await emulator.state();
		await fetch(`${emulator.origin}/_emulator/log`, { method: 'DELETE' });
		const second = await runSync(emulator, 'sync2', workflow(people, false, options), 120_000);
		const secondLog = await emulator.log();
		const minimum = Object.values(min).reduce((a, b) => a + b, 0);
		const floor = rateFloorMs(min, MIRO_WINDOW_MS) + latencyFloorMs(min, latencyMs);
		const wall = first.result.ok ? first.result.wallMs : first.processMs;
		const secondWall = second.result.ok ? second.result.wallMs : second.processMs;
		const perPersonFloor = rateFloorMs({ 'GET /Users': PEOPLE }, MIRO_WINDOW_MS);
		const verified = check(state as never, people);
		const ok = first.result.ok && !first.result.workflowError;
		rows.push({
			scenario: `6. Sync > Reconcile ${int(PEOPLE)} people vs ${int(PEOPLE)} users in ${TEAMS} teams, 1% drift (${DRIFT.joiners} joiners, ${DRIFT.leavers} leavers, ${DRIFT.movers} movers, ${DRIFT.renamed} renamed); Miro's windows (time scale 1), ${latencyMs} ms per answer: with instant answers the job took ${secs(machineMs)} here, at most ${Math.round(MACHINE_SHARE * 100)}% of the latency floor`,
			wall: `${secs(wall)}; second run ${secs(secondWall)}`,
			reference: `floor ${secs(floor)}; ${(wall / floor).toFixed(2)}x. Per-person lookups: floor ${(perPersonFloor / 60_000).toFixed(1)} min; ${(perPersonFloor / wall).toFixed(0)}x slower`,
			calls: `${int(log.length)} (min ${int(minimum)}); ${(log.length / minimum).toFixed(2)}x; second run ${int(secondLog.length)} calls, ${writesOf(secondLog)} writes`,
			errors: `429: ${log.filter((entry) => entry.status === 429).length}, 5xx: ${log.filter((entry) => entry.status >= 500).length}`,
			failed: `${failedItems(first.result)} / ${int(people.length)}`,
			duplicates: String(verified.duplicates),
			verified: `${int(verified.right)} / ${int(people.length)} as desired; ${verified.leftOk} / ${verified.leavers} leavers deactivated`,
			memory: memoryOf(first.result),
			targets: [
				`time <= 1.10x floor ${verdict(ok && wall <= 1.1 * floor)}`,
				`calls <= 1.02x min ${verdict(log.length <= 1.02 * minimum)}`,
				`>= 20x the per-person way ${verdict(perPersonFloor >= 20 * wall)}`,
				`second run 0 writes ${verdict(second.result.ok && writesOf(secondLog) === 0)}`,
				`state = desired ${verdict(verified.right === people.length && verified.duplicates === 0 && verified.leftOk === verified.leavers)}`,
			].join('<br>'),
		});
		for (const [run, outcome] of [
			['first run', first],
			['second run', second],
		] as const) {
			if (!outcome.result.ok) notes.push(`- 6, ${run}: worker failed: ${outcome.result.failure}`);
		}
		notes.push(
			`- 6: requests ${describeCalls(callsByEndpoint(log))}. Floor: every endpoint's calls fit in one 30 s window (rate-limit floor 0), so the floor is the emulator's ${latencyMs} ms per answer along the chain that must run in order: ${min['GET /Users']} user pages one after another, then ${min['POST /Users'] + min['PATCH /Users/{id}']} user writes ${CONCURRENCY} at a time, then ${TEAMS} team PATCHes ${CONCURRENCY} at a time. The per-person way (one \`GET /Users\` lookup per person, as the onboarding template does) needs ${int(PEOPLE)} lookups at 200 per window: ${Math.ceil(PEOPLE / 200) - 1} windows before its first write.`,
		);
	} finally {
		await emulator.stop();
	}
}

async function faultRun(rows: SyncRow[]): Promise<void> {
	const people = desiredPeople(PEOPLE);
	const emulator = await startBenchEmulator([
		'--time-scale',
		String(FAULT_SCALE),
		'--seed-users',
		String(PEOPLE),
		'--seed-user-teams',
		String(TEAMS),
		'--fault-429',
		'0.1',
		'--retry-after',
		'0.5',
		'--fault-503',
		'0.03',
		'--fault-drop',
		'0.01',
	]);
	try {
		const options = {
			rateWindowSeconds: (MIRO_WINDOW_MS * FAULT_SCALE) / 1000,
			initialBackoffMs: 1000 * FAULT_SCALE,
		};
		const first = await runSync(emulator, 'syncf1', workflow(people, false, options), 120_000);
		const log = await emulator.log();
		const verified = check((await emulator.state()) as never, people);
		await fetch(`${emulator.origin}/_emulator/log`, { method: 'DELETE' });
		const second = await runSync(emulator, 'syncf2', workflow(people, false, options), 120_000);
		const secondLog = await emulator.log();
		const flags = (flag: string) => log.filter((entry) => entry.flags?.includes(flag)).length;
		rows.push({
			scenario: `6b. The same under faults: 10% 429 (half with Retry-After), 3% 503, 1% dropped after applying (time scale ${FAULT_SCALE}, no added latency)`,
			wall: `${secs(first.result.ok ? first.result.wallMs : first.processMs)}`,
			reference: 'correctness only',
			calls: `${int(log.length)}; second run ${int(secondLog.length)} calls, ${writesOf(secondLog)} writes`,
			errors: `429: ${flags('injected429')} injected, 503: ${flags('injected503')}, dropped: ${flags('dropped')}`,
			failed: `${failedItems(first.result)} / ${int(people.length)}`,
			duplicates: String(verified.duplicates),
			verified: `${int(verified.right)} / ${int(people.length)} as desired; ${verified.leftOk} / ${verified.leavers} leavers deactivated`,
			memory: memoryOf(first.result),
			targets: [
				`state = desired, 0 duplicates ${verdict(verified.right === people.length && verified.duplicates === 0 && verified.leftOk === verified.leavers)}`,
				`re-run converges (0 writes) ${verdict(second.result.ok && writesOf(secondLog) === 0)}`,
			].join('<br>'),
		});
	} finally {
		await emulator.stop();
	}
}

async function memoryRun(rows: SyncRow[], people: number): Promise<void> {
	const emulator = await startBenchEmulator([
		'--no-rate-limit',
		'--seed-users',
		String(people),
		'--seed-user-teams',
		String(TEAMS),
	]);
	try {
		const desired = desiredPeople(people);
		const outcome = await runSync(
			emulator,
			`syncm${people}`,
			workflow(desired, true, { pacing: false }),
			300_000,
		);
		const items = outcome.result.ok ? outcome.result.nodes.Sync.items : 0;
		const expected = DRIFT.joiners * 2 + DRIFT.leavers + DRIFT.movers * 2 + DRIFT.renamed + 1;
		rows.push({
			scenario: `6c. Memory: Reconcile (dry run) of ${int(people)} people vs ${int(people)} users, no rate limits`,
			wall: secs(outcome.result.ok ? outcome.result.wallMs : outcome.processMs),
			reference: '',
			calls: int((await emulator.log()).length),
			errors: '',
			failed:
				outcome.result.ok && outcome.result.workflowError
					? outcome.result.workflowError.message
					: '0',
			duplicates: '-',
			verified: `${int(items)} plan items (expected ${expected})`,
			memory: memoryOf(outcome.result),
			targets: `plan complete ${verdict(items === expected)}`,
		});
	} finally {
		await emulator.stop();
	}
}

/** Scenario 6 and its variants, as table rows and notes for bench/run.ts. */
export async function syncBench(): Promise<{ rows: SyncRow[]; notes: string[] }> {
	const rows: SyncRow[] = [];
	const notes: string[] = [];
	await reconcileRun(rows, notes);
	await faultRun(rows);
	await memoryRun(rows, PEOPLE);
	await memoryRun(rows, 10 * PEOPLE);
	return { rows, notes };
}

if (require.main === module) {
	fs.mkdirSync(TMP, { recursive: true });
	syncBench().then(
		({ rows, notes }) => {
			process.stdout.write(`${JSON.stringify(rows, null, 1)}\n${notes.join('\n')}\n`);
			process.exit(0);
		},
		(error: unknown) => {
			process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
			process.exit(1);
		},
	);
}
