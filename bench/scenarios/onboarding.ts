/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * The onboarding rows: 2,000 people into two teams, unhindered (the machine's rate), the Miro
 * SCIM node alone, against an HTTP Request baseline, under injected faults and beside another
 * client that shares the budget.
 */
import fs from 'node:fs';

import { MIRO_WINDOW_MS } from '../../test/emulator/rateLimit';
import {
	describeBusiest,
	describeLog,
	errorsCell,
	keepLog,
	rateFloorMs,
	summarizeLog,
} from '../lib/log';
import { runWorker, startBenchEmulator } from '../lib/processes';
import {
	cpuOf,
	failureNote,
	int,
	memoryCell,
	ms,
	notes,
	ratio,
	rows,
	verdict,
} from '../lib/report';
import { sharedFloorMs } from '../lib/shared';
import type { EmulatorState } from '../lib/types';
import type { OtherClientOptions } from '../../test/emulator/otherClient';
import { type Employee, employees, type Workflow } from '../lib/workflows';
import {
	credentials,
	ONBOARD_USERS,
	TEAMS,
	WARMUP_ITEMS,
	warmup,
	warmupUrl,
	writeWorkflow,
} from './common';

export interface OnboardingCheck {
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

export interface OnboardingRun {
	label: string;
	timeScale: number;
	emulatorFlags: string[];
	build: (people: Employee[], baseUrl: string) => Workflow;
	lastNode: string;
	bound: number;
	targets: (m: OnboardingMeasure) => Array<[string, boolean]>;
	/** calls per endpoint its own design needs when every call succeeds, if not the minimum */
	ownPattern?: (people: Employee[]) => Record<string, number>;
	/** another client sharing the budget (the emulator's --other-client flags) */
	otherClient?: OtherClientOptions;
	/** the emulator without limits: the row measures the machine, not a floor */
	unhindered?: boolean;
	/** people to onboard (default ONBOARD_USERS) */
	people?: number;
}

export interface OnboardingMeasure {
	wallMs: number;
	floorMs: number;
	/** with another client: the floor against the capacity it leaves */
	sharedFloorMs?: number;
	/** 429s the node met (from Miro's limits and injected) */
	rateLimited: number;
	/** requests per second over the workflow run */
	requestRate: number;
	calls: number;
	minimumCalls: number;
	failed: number;
	check: OnboardingCheck;
	people: number;
	completed: boolean;
}

function otherClientFlags(other: OtherClientOptions | undefined): string[] {
	if (!other) return [];
	const flags = ['--other-client', String(other.share)];
	if (other.burstShare) flags.push('--other-burst', String(other.burstShare));
	if (other.burstEverySeconds) flags.push('--other-burst-every', String(other.burstEverySeconds));
	if (other.burstForSeconds) flags.push('--other-burst-for', String(other.burstForSeconds));
	return flags;
}

/** The floor against what the other client leaves, from the node's first request on. */
async function sharedFloor(
	emulator: { origin: string },
	run: OnboardingRun,
	minimum: Record<string, number>,
	firstRequestAt: number,
): Promise<number | undefined> {
	if (!run.otherClient) return undefined;
	const response = await fetch(`${emulator.origin}/_emulator/other-client`);
	const info = (await response.json()) as { startedAt: number; windowMs: number };
	const startMs = firstRequestAt - info.startedAt;
	return sharedFloorMs(minimum, info.windowMs, run.timeScale, run.otherClient, startMs);
}

export async function onboarding(run: OnboardingRun): Promise<OnboardingMeasure> {
	const people = employees(run.people ?? ONBOARD_USERS, TEAMS);
	const emulator = await startBenchEmulator([
		'--time-scale',
		String(run.timeScale),
		...(run.unhindered ? ['--no-rate-limit'] : []),
		...otherClientFlags(run.otherClient),
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
		const entries = await emulator.log();
		keepLog(name, entries);
		const log = summarizeLog(entries, windowMs);
		const state = await emulator.state();
		const check = checkOnboarding(people, state);
		const minimum = onboardingMinimumCalls(people);
		const minimumCalls = Object.values(minimum).reduce((a, b) => a + b, 0);
		const floorMs = rateFloorMs(minimum, MIRO_WINDOW_MS * run.timeScale);
		const firstAt = Math.min(...entries.map((entry) => entry.at));
		const shared = await sharedFloor(emulator, run, minimum, firstAt);
		const result = outcome.result;
		const last = result.ok ? result.nodes[run.lastNode] : undefined;
		const succeeded = last ? last.items - last.errorItems : 0;
		const completed = result.ok && !result.workflowError;
		const wallMs = result.ok ? result.wallMs : outcome.processMs;
		const measure: OnboardingMeasure = {
			wallMs,
			floorMs,
			sharedFloorMs: shared,
			rateLimited: log.rateLimited + log.injected429,
			requestRate: log.total / (wallMs / 1000),
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
			reference: referenceCell(run, measure),
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
			`- ${run.label}: requests ${describeLog(log)}; first to last request ${ms(log.spanMs)} = ${Math.round(log.total / (log.spanMs / 1000))} requests/s (the floor needs ${Math.round(minimumCalls / ((shared ?? floorMs) / 1000))}/s). Busiest ${windowMs} ms window, accepted/limit: ${describeBusiest(log)}.`,
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
		return measure;
	} finally {
		await emulator.stop();
	}
}

function referenceCell(run: OnboardingRun, m: OnboardingMeasure): string {
	if (run.unhindered) return `${int(Math.round(m.requestRate))} requests/s (no limits, pacing off)`;
	const alone = `floor ${ms(m.floorMs)}; ${ratio(m.wallMs / m.floorMs)}`;
	if (m.sharedFloorMs === undefined) return alone;
	return `floor with the capacity left ${ms(m.sharedFloorMs)}: reaches **${Math.round((100 * m.sharedFloorMs) / m.wallMs)}%** of it (alone: ${alone})`;
}
