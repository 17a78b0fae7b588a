/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * `npm run bench:queue`: issue 9's webhook burst in a real n8n 2.41.1 in queue mode (main + 1,
 * 2 and 3 workers over Redis, Postgres; test/queue/cluster.mjs), and in one regular-mode process
 * with every call at once. workflows/onboarding-webhook.json is called once per new hire.
 *
 * Each row runs on fresh workers (a fresh pacer and group directory) against a reset emulator
 * with Miro's limits; the first row of a worker count then runs the same burst again on the same
 * workers against an emulator without limits and with pacing off: how long n8n itself needs on
 * this machine. A row measures the node
 * only when Miro's floor needs at most a third of the request rate n8n reaches unhindered;
 * otherwise it is marked machine-bound. Writes bench/out/queue-latest.md (git-ignored), or the
 * tracked bench/queue-results.md with `-- --write`.
 *
 * A last row kills (SIGKILL) one of two workers in the middle of the burst; the webhook callers
 * then send their failed calls again, as a caller with a retry policy does: nobody may be
 * created twice, and everyone must end up placed.
 *
 *   npm run bench:queue -- [--time-scale 5] [--workers 1,2,3] [--people 200] [--no-regular]
 *                          [--no-kill] [--simple (adds the simple pacer's rows)]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { MIRO_WINDOW_MS } from '../test/emulator/rateLimit';
import {
	buildIfStale,
	cleanupOnSignals,
	type Cluster,
	createCluster,
	describeRequests,
	type Executions,
	killOurChildren,
	newHires,
	packPackage,
	placement,
	type Placement,
	requestStats,
	type RequestStats,
	ROOT,
} from '../test/queue/cluster.mjs';
import { loadAverage, machine, rateFloorMs } from './lib/machine';
import { keepLog } from './lib/log';

function flag(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? process.argv[index + 1] : fallback;
}

/**
 * 200 one-person executions need one 30 s window of group PATCHes beyond the first (100 small
 * PATCHes per window): at time scale 5 the floor is 150 s. n8n needs about 20 s for 200 webhook
 * executions on two quiet cores (the unhindered run of each row measures it), and the second
 * window's PATCHes trail the first's by that much whatever the pacing: at time scale 3 or 3.5
 * that alone was 19-22% of the floor (regular mode 1.20x against a 1.2x target); at 5, 13%.
 */
const TIME_SCALE = Number(flag('time-scale', '5'));
const WORKER_COUNTS = flag('workers', '1,2,3').split(',').map(Number);
const PEOPLE = Number(flag('people', '200'));
const CONCURRENCY = 20;
const REGULAR = !process.argv.includes('--no-regular');
const WINDOW_MS = MIRO_WINDOW_MS * TIME_SCALE;
const BENCH_BOUND_MS = 75 * 60_000;

/** Issue 9's targets. */
const TARGET = { wallRatio: 1.2, share429: 0.05 };

const KILL = !process.argv.includes('--no-kill');

/**
 * The default Pacing (adaptive: each process settles on the share of the budget the others
 * leave) and, with --simple, the simple per-process pacer beside it.
 */
const PACERS: Array<{ key: string; label: string; miroOptions: Record<string, unknown> }> = [
	{ key: 'adaptive', label: 'Pacing adaptive (default)', miroOptions: {} },
	...(process.argv.includes('--simple')
		? [{ key: 'simple', label: 'Pacing simple', miroOptions: { pacing: 'simple' } }]
		: []),
];
const UNPACED = 'unpaced';

interface Burst {
	wallMs: number;
	statuses: Record<string, number>;
	executions: Executions;
	placed: Placement;
	requests: RequestStats;
	requestText: string;
}

const people = newHires(PEOPLE);
const rows: string[][] = [];
const notes: string[] = [];
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const verdict = (pass: boolean) => (pass ? '**PASS**' : '**FAIL**');
const progress = (line: string) => process.stderr.write(`bench:queue ${line}\n`);

async function burst(cluster: Cluster, variant: string, concurrency: number): Promise<Burst> {
	const emulator = cluster.variantEmulator[variant];
	await emulator.reset();
	const afterId = await cluster.lastExecutionId();
	const fired = await cluster.fire(people, { variant, concurrency });
	const executions = await cluster.settle(PEOPLE, { variant, afterId });
	const log = await emulator.log();
	keepLog(`queue-${variant}-${cluster.workers.length}`, log);
	const requests = requestStats(log);
	return {
		wallMs: fired.wallMs,
		statuses: fired.statuses,
		executions,
		placed: placement(people, await emulator.state()),
		requests,
		requestText: describeRequests(requests),
	};
}

/** Per person a lookup, a create and a one-member (small) team PATCH; a listing per process. */
function minimumCalls(processes: number): Record<string, number> {
	return {
		'GET /Users': PEOPLE,
		'POST /Users': PEOPLE,
		'GET /Groups': processes,
		'PATCH /Groups/{id} (body <= 500 bytes)': PEOPLE,
	};
}

function addRow(setup: string, processes: number, paced: Burst, free: Burst): void {
	const minimum = minimumCalls(processes);
	const minimumTotal = Object.values(minimum).reduce((a, b) => a + b, 0);
	const floorMs = rateFloorMs(minimum, WINDOW_MS);
	// a burst that fits one window has no floor to compare with (fewer than 101 people)
	const ratio = floorMs > 0 ? paced.wallMs / floorMs : Number.NaN;
	const failed = PEOPLE - (paced.executions.byStatus.success ?? 0);
	const needs = minimumTotal / (floorMs / 1000);
	const reaches = free.requests.total / (free.wallMs / 1000);
	const machineBound = needs > reaches / 3;
	const allPlaced =
		paced.placed.exactlyOnce === PEOPLE &&
		paced.placed.inTeam === PEOPLE &&
		paced.placed.duplicates === 0;
	const targets: Array<[string, boolean]> = [
		['0 failed executions', failed === 0],
		[`wall <= ${TARGET.wallRatio}x floor`, ratio <= TARGET.wallRatio], // NaN: FAIL
		[`429s <= ${TARGET.share429 * 100}%`, paced.requests.share429 <= TARGET.share429],
		['all placed once', allPlaced],
	];
	rows.push([
		setup,
		`${s(paced.wallMs)}`,
		`${s(floorMs)}; **${floorMs > 0 ? ratio.toFixed(2) : '-'}x**`,
		`${paced.requests.total} (min ${minimumTotal})`,
		`${paced.requests.rateLimited} (${pct(paced.requests.share429)})`,
		`${failed} / ${PEOPLE}`,
		`${paced.placed.exactlyOnce} once, ${paced.placed.inTeam} in team, ${paced.placed.duplicates} duplicates`,
		`${s(free.wallMs)}: ${Math.round(reaches)} req/s; floor needs ${floorMs > 0 ? needs.toFixed(1) : '-'}/s: ${machineBound ? '**machine-bound**' : 'node-bound'}`,
		targets.map(([name, pass]) => `${name} ${verdict(pass)}`).join('<br>'),
	]);
	notes.push(
		`- ${setup}: requests ${paced.requestText}; webhook answers ${JSON.stringify(paced.statuses)}; executions ${JSON.stringify(paced.executions.byStatus)}.` +
			(paced.executions.failures.length
				? ` Failures: ${paced.executions.failures
						.slice(0, 3)
						.map((f) => `#${f.id} in "${f.node ?? '?'}": ${f.message}`)
						.join('; ')}.`
				: '') +
			` Unhindered run: ${free.requestText}, executions ${JSON.stringify(free.executions.byStatus)}.`,
	);
	progress(`${setup}: ${rows[rows.length - 1].slice(1, 8).join(' | ')}`);
}

/** How often a webhook caller sends a failed call again, and how long it waits for an answer. */
const CALLER_RETRIES = 3;
const CALLER_TIMEOUT_MS = 3 * 60_000;
const KILL_WORKERS = 2;

/**
 * Two workers; once a third of the people exist at Miro, one worker is SIGKILLed (its running
 * executions die with it). Callers whose call failed (an error status, a broken connection, no
 * answer in time) call again, up to CALLER_RETRIES rounds.
 */
async function killRow(cluster: Cluster): Promise<void> {
	const [pacer] = PACERS;
	const emulator = cluster.variantEmulator[pacer.key];
	await cluster.stopWorkers();
	await cluster.startWorkers(KILL_WORKERS, { concurrency: CONCURRENCY });
	await emulator.reset();
	const afterId = await cluster.lastExecutionId();
	progress(`kill row: burst on ${KILL_WORKERS} workers`);
	const started = performance.now();
	const options = { variant: pacer.key, concurrency: CONCURRENCY, timeoutMs: CALLER_TIMEOUT_MS };
	const firing = cluster.fire(people, options);
	const killedAt = await killWhenAThirdExist(cluster, emulator);
	const first = await firing;
	let calls = first.calls;
	let retried = 0;
	for (let round = 0; round < CALLER_RETRIES; round++) {
		const failed = new Set(calls.filter((call) => call.status !== 200).map((call) => call.email));
		if (failed.size === 0) break;
		retried += failed.size;
		progress(`kill row: ${failed.size} callers call again (round ${round + 1})`);
		const again = people.filter((person) => failed.has(person.email));
		calls = (await cluster.fire(again, options)).calls;
	}
	const wallMs = performance.now() - started;
	const executions = await cluster.settle(PEOPLE, { variant: pacer.key, afterId });
	const placed = placement(people, await emulator.state());
	const requests = requestStats(await emulator.log());
	const unanswered = calls.filter((call) => call.status !== 200).length;
	const targets: Array<[string, boolean]> = [
		['0 duplicates', placed.duplicates === 0],
		['everyone placed once', placed.exactlyOnce === PEOPLE && placed.inTeam === PEOPLE],
	];
	rows.push([
		`${KILL_WORKERS} workers, one SIGKILLed mid-burst (at ${s(killedAt)}); callers retry failed calls`,
		s(wallMs),
		'-',
		`${requests.total}`,
		`${requests.rateLimited} (${pct(requests.share429)})`,
		`${retried} calls sent again; ${unanswered} still failed after ${CALLER_RETRIES} rounds`,
		`${placed.exactlyOnce} once, ${placed.inTeam} in team, ${placed.duplicates} duplicates`,
		'-',
		targets.map(([name, pass]) => `${name} ${verdict(pass)}`).join('<br>'),
	]);
	notes.push(
		`- Kill row: first round of webhook answers ${JSON.stringify(first.statuses)}; requests ${describeRequests(requests)}; executions ${JSON.stringify(executions.byStatus)} (the killed worker's included). A failed call sent again runs a new execution, and find-or-create finds what a killed one had already created.`,
	);
	progress(`kill row: ${rows[rows.length - 1].slice(1, 7).join(' | ')}`);
}

/** Waits until a third of the people exist at Miro, then SIGKILLs the first worker's processes. */
async function killWhenAThirdExist(
	cluster: Cluster,
	emulator: Cluster['emulator'],
): Promise<number> {
	const started = performance.now();
	for (;;) {
		const log = await emulator.log();
		const created = log.filter((entry) => entry.method === 'POST' && entry.status === 201).length;
		if (created >= PEOPLE / 3) break;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	const [victim] = cluster.workers;
	try {
		// its own process group (n8n and anything it started), as the harness stops it
		process.kill(-victim.pid, 'SIGKILL');
	} catch {
		process.kill(victim.pid, 'SIGKILL');
	}
	progress(`kill row: worker ${victim.pid} SIGKILLed`);
	return performance.now() - started;
}

function report(started: number, loadBefore: string): string {
	const header = [
		'Setup',
		'Wall',
		'Floor; ratio',
		'Requests',
		'429s',
		'Failed executions',
		'Users',
		'Unhindered (no limits, no pacing)',
		'Targets',
	];
	return [
		'# Queue-mode benchmark: one webhook execution per new hire',
		'',
		`${new Date().toISOString()} on ${machine()}. Whole run ${s(Date.now() - started)}. Load average (1 / 5 / 15 min) ${loadBefore} before, ${loadAverage()} after (above the core count, other processes competed for the CPU).`,
		'',
		`n8n 2.41.1 (Node 24) with this package from its npm tarball; queue mode: one main (webhooks, enqueues) and workers (concurrency ${CONCURRENCY} each) over Redis, Postgres 15; regular mode: the same main alone. workflows/onboarding-webhook.json, called ${PEOPLE} times with one new hire each (\`{"employees":[...]}\`, two teams), ${CONCURRENCY} calls at a time (regular mode: all at once). Emulator with Miro's limits at **time scale ${TIME_SCALE}** (${s(WINDOW_MS)} windows); the Miro SCIM nodes get \`rateWindowSeconds: ${(WINDOW_MS / 1000).toFixed(1)}\` and \`initialBackoffMs: ${Math.round(1000 * TIME_SCALE)}\`, all else as shipped. Fresh workers for each row; the unhindered run of a worker count follows its first row, on the same workers.`,
		'',
		`| ${header.join(' | ')} |`,
		`|${header.map(() => '---').join('|')}|`,
		...rows.map((row) => `| ${row.join(' | ')} |`),
		'',
		`**Floor**: the fewest calls are, per person, one \`GET /Users\` lookup, one \`POST /Users\` and one \`PATCH /Groups/{id}\` adding one member (a small body: 100 per window), plus one \`GET /Groups\` listing per n8n process (the group directory). N calls to an endpoint allowing L per window need ceil(N/L) windows, the first at t = 0, so (ceil(N/L) - 1) windows pass; the floor is the largest over the endpoints: ${PEOPLE} PATCHes at 100 per window = ${Math.ceil(PEOPLE / 100)} windows -> ${s(rateFloorMs(minimumCalls(1), WINDOW_MS))}. Wall: first webhook call sent to last answer.`,
		'',
		"**Machine-bound**: each row's burst runs again on the same processes against an emulator without limits, pacing off. The floor needs (minimum calls / floor) requests per second; when that is more than a third of the rate n8n reached unhindered, the wall time says more about this machine than about the node's pacing.",
		'',
		'Details:',
		...notes,
		'',
	].join('\n');
}

async function main(): Promise<void> {
	const started = Date.now();
	const loadBefore = loadAverage();
	progress((await buildIfStale()) ? 'built dist/' : 'dist/ is up to date');
	const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'miro-scim-bench-queue-'));
	const cluster = createCluster({
		tarball: (await packPackage(tmpDir)).tarball,
		emulators: { miro: { timeScale: TIME_SCALE }, free: { rateLimits: false } },
		variants: [
			...PACERS.map((pacer) => ({ key: pacer.key, miroOptions: pacer.miroOptions })),
			{ key: UNPACED, emulator: 'free', miroOptions: { pacing: 'off' } },
		],
		log: progress,
	});
	const removeSignalHandlers = cleanupOnSignals(() => cluster.stop());
	try {
		await cluster.start();
		for (const workers of WORKER_COUNTS) {
			// how long n8n itself needs with this many workers: once, after the first pacer's burst
			let free: Burst | undefined;
			for (const pacer of PACERS) {
				await cluster.stopWorkers();
				await cluster.startWorkers(workers, { concurrency: CONCURRENCY });
				progress(`${workers} worker(s), ${pacer.label}: burst`);
				const paced = await burst(cluster, pacer.key, CONCURRENCY);
				free ??= await burst(cluster, UNPACED, CONCURRENCY);
				addRow(`${workers} worker(s), queue mode, ${pacer.label}`, workers, paced, free);
			}
		}
		if (KILL) await killRow(cluster);
		if (REGULAR) {
			const [pacer] = PACERS;
			await cluster.switchMode('regular');
			progress(`regular mode, ${pacer.label}: burst`);
			const paced = await burst(cluster, pacer.key, PEOPLE);
			const free = await burst(cluster, UNPACED, PEOPLE);
			addRow(`1 process, regular mode, all ${PEOPLE} at once, ${pacer.label}`, 1, paced, free);
		}
	} finally {
		await cluster.stop();
		removeSignalHandlers();
		fs.rmSync(tmpDir, { recursive: true, force: true });
	}
	const output = report(started, loadBefore);
	process.stdout.write(`${output}\n`);
	// Like `npm run bench`: the tracked report changes only when asked (`-- --write`).
	const file = process.argv.includes('--write')
		? path.join(ROOT, 'bench', 'queue-results.md')
		: path.join(ROOT, 'bench', 'out', 'queue-latest.md');
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, output);
}

const deadline = setTimeout(() => {
	progress(`stopped after its ${BENCH_BOUND_MS / 60_000} min bound`);
	killOurChildren();
	process.exit(3);
}, BENCH_BOUND_MS);
deadline.unref();

main()
	.then(() => process.exit(0))
	.catch((error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		killOurChildren();
		process.exit(1);
	});
