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
 */
import fs from 'node:fs';
import path from 'node:path';

import { MIRO_WINDOW_MS } from '../test/emulator/rateLimit';
import { killAll, ROOT, TMP } from './lib/processes';
import { int, loadAverage, machine, ms, notes, rows, table } from './lib/report';
import {
	BASELINE_LAST_NODE,
	baselineOnboardingWorkflow,
	type Employee,
	ONBOARDING_LAST_NODE,
	onboardingWorkflow,
	setMiroOptions,
} from './lib/workflows';
import {
	BASELINE_WAIT_BETWEEN_TRIES_MS,
	BEARER_ID,
	BENCH_BOUND_MS,
	BOUND,
	CREDENTIAL_ID,
	ONBOARD_SCALE,
	ONBOARD_USERS,
	SCALED_NODE_OPTIONS,
	scaledOptions,
	TIME_SCALE,
	WINDOW_MS,
} from './scenarios/common';
import { listAll } from './scenarios/list';
import { bulkMembers } from './scenarios/members';
import { onboarding, type OnboardingMeasure } from './scenarios/onboarding';
import { overhead } from './scenarios/overhead';
import { syncBench } from './scenarios/sync';

const RESULTS_FILE = path.join(ROOT, 'bench', 'results.md');
const LATEST_FILE = path.join(ROOT, 'bench', 'out', 'latest.md');

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
	const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
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
