/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * `npm run bench`: every scenario of the scaling issue in one run, one table.
 *
 * Each scenario (bench/scenarios/) starts the emulator CLI (its own process, 127.0.0.1, random
 * port) and runs the measured job in another process (bench/worker.ts), so peak memory is the
 * job's own. This process only orchestrates: it reads the emulator's request log and state
 * through the inspection routes (bench/lib/log.ts), checks the result, prints the table
 * (bench/lib/report.ts) and writes it to bench/out/latest.md, which git ignores;
 * `npm run bench -- --write` writes the tracked bench/results.md instead.
 *
 *   npm run bench -- [row prefixes, e.g. 1 2b] [--clock 0.1 (skip row 0)] [--write]
 */
import fs from 'node:fs';
import path from 'node:path';

import { killAll, ROOT, TMP } from './lib/processes';
import { loadAverage, machine, ms, notes, rows, table } from './lib/report';
import { BENCH_BOUND_MS, SCALED_NODE_OPTIONS, TIME_SCALE, WINDOW_MS } from './scenarios/common';
import { listAll } from './scenarios/list';
import { bulkMembers } from './scenarios/members';
import type { OnboardingMeasure } from './scenarios/onboarding';
import { overhead } from './scenarios/overhead';
import {
	alone,
	baseline,
	calibrate,
	type Clock,
	faults,
	OTHER_CLIENTS,
	PACING_TARGETS,
	shared,
} from './scenarios/pacing';
import { syncBench } from './scenarios/sync';

const RESULTS_FILE = path.join(ROOT, 'bench', 'results.md');
const LATEST_FILE = path.join(ROOT, 'bench', 'out', 'latest.md');

function flag(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? process.argv[index + 1] : undefined;
}

/** Runs `task` once, on first use: rows that need the clock or row 1 share one run of them. */
function once<T>(task: () => Promise<T>): () => Promise<T> {
	let result: Promise<T> | undefined;
	return () => (result ??= task());
}

/** Every row, in order; `npm run bench -- 1 2b` runs those whose names start with a prefix. */
function steps(): Array<[string, () => Promise<void>]> {
	const fixed = flag('clock');
	const clock = once<Clock>(() => calibrate(fixed === undefined ? undefined : Number(fixed)));
	const rowOne = once<OnboardingMeasure>(async () => await alone(await clock()));
	return [
		['0. unhindered rate and clock', async () => void (await clock())],
		['1. onboarding (Miro SCIM node)', async () => void (await rowOne())],
		['1b. onboarding baseline (HTTP Request)', async () => await baseline(await clock())],
		['2. transient faults', async () => await faults(await clock(), await rowOne())],
		['2b. shared budget, steady', async () => await shared(await clock(), 'steady')],
		['2c. shared budget, bursts', async () => await shared(await clock(), 'bursts')],
		['3. members', bulkMembers],
		['4. get many', listAll],
		['5. CPU cost', overhead],
		[
			'6. sync',
			async () => {
				const sync = await syncBench();
				rows.push(...sync.rows);
				notes.push(...sync.notes);
			},
		],
	];
}

async function runStep(name: string, step: () => Promise<void>): Promise<void> {
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

function report(started: number, loadBefore: string): string {
	return [
		`# Miro SCIM node benchmark`,
		'',
		`${new Date().toISOString()} on ${machine()}. Whole run ${ms(Date.now() - started)}. Load average (1 / 5 / 15 min) ${loadBefore} before, ${loadAverage()} after: anything above the core count means other processes competed for the CPU, and times stretch accordingly.`,
		'',
		`Emulator (test/emulator/cli.ts, own process, 127.0.0.1) with Miro's documented rate limits. **Pacing rows (1, 1b, 2, 2b, 2c) run at one clock chosen in the same run**: row 0 measures the requests per second n8n sends for the onboarding job on this machine with no limits and pacing off; the clock (time scale) is the smallest at which the floor needs at most ${Math.round(PACING_TARGETS.machineShare * 100)}% of that rate (the issue asks for at most a third; a fifth keeps the tail no pacing can shorten, the last window at this machine's speed and the two group steps after all users, small against the floor), so that those rows measure the node's pacing, not the machine. Rows 3 and 4 run at time scale ${TIME_SCALE} (${WINDOW_MS} ms windows). Each measured job runs in its own process; wall time is the workflow run (module loading excluded); memory is that process's peak RSS and peak V8 heapUsed. Miro SCIM node options: the window and first backoff scaled with the clock (${JSON.stringify(SCALED_NODE_OPTIONS)} at ${TIME_SCALE}), all else default (concurrency 10, Pacing adaptive, 6 attempts); row 5 uses an emulator without limits, so Pacing off there. The other client of rows 2b and 2c (test/emulator/otherClient.ts) is modelled inside the emulator and always served first: ${JSON.stringify(OTHER_CLIENTS)}.`,
		'',
		table(),
		'',
		'**Rate-limit floor**: Miro counts each endpoint separately, per window. N calls to an endpoint allowing L per window need ceil(N/L) windows; the first batch goes at t = 0, the last at the start of the last window, so at least (ceil(N/L) - 1) x window passes. The floor is the largest of these over the endpoints the job must call, for the minimum number of calls. Onboarding minimum: per person 1 `GET /Users` lookup + 1 `POST /Users`, per team 1 `GET /Groups` + 1 `PATCH /Groups/{id}` (all of a team\'s additions in one body, > 500 bytes, 5 per window): 2,000 lookups at 200 per window = 10 windows -> 9 windows. **With another client** (rows 2b, 2c) the floor is when a client that knew the other\'s usage could have sent the same calls, taking at every millisecond what the sliding window leaves (bench/lib/shared.ts); "reaches X%" is that floor / the wall.',
		'',
		"**Busiest window** (in the details): the most requests the emulator accepted for an endpoint within any one window, from its request log. Below the limit means the run was not held back by Miro's limits but by how fast n8n sent requests. (+-1: the log stamps a request on arrival, the limiter counts it after reading its body.)",
		'',
		'Details:',
		...notes,
		'',
	].join('\n');
}

async function main(): Promise<void> {
	fs.mkdirSync(TMP, { recursive: true });
	const started = Date.now();
	const loadBefore = loadAverage();
	const only = process.argv
		.slice(2)
		.filter((arg, i, all) => !arg.startsWith('--') && all[i - 1] !== '--clock');
	for (const [name, step] of steps()) {
		if (only.length > 0 && !only.some((prefix) => name.startsWith(prefix))) continue;
		await runStep(name, step);
	}
	const output = report(started, loadBefore);
	process.stdout.write(`${output}\n`);
	// The tracked bench/results.md changes only when asked: a run leaves the tree clean.
	const file = process.argv.includes('--write') ? RESULTS_FILE : LATEST_FILE;
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, output);
	process.stderr.write(`bench: report written to ${path.relative(ROOT, file)}\n`);
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
