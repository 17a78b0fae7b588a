/**
 * The rows that measure pacing, all at one clock chosen in the same run: row 0 measures how
 * fast n8n sends the onboarding job's requests on this machine with no limits at all; the
 * clock (time scale) is then the smallest at which Miro's floor needs at most a fifth of that
 * rate, so that a row's time says how the node paces, not how busy the machine is.
 */
import { MIRO_WINDOW_MS } from '../../test/emulator/rateLimit';
import type { OtherClientOptions } from '../../test/emulator/otherClient';
import { rateFloorMs } from '../lib/log';
import { int, ms, notes, ratio } from '../lib/report';
import {
	BASELINE_LAST_NODE,
	baselineOnboardingWorkflow,
	type Employee,
	ONBOARDING_LAST_NODE,
	onboardingWorkflow,
	setMiroOptions,
} from '../lib/workflows';
import {
	BASELINE_WAIT_BETWEEN_TRIES_MS,
	BEARER_ID,
	BOUND,
	CREDENTIAL_ID,
	ONBOARD_USERS,
	scaledOptions,
	TEAMS,
} from './common';
import { onboarding, type OnboardingMeasure } from './onboarding';

/** The targets for the pacing rows. */
export const PACING_TARGETS = {
	/** onboarding alone: wall <= this x floor */
	alone: 1.1,
	/** under faults: wall <= this x the same run without faults */
	faults: 2,
	/** shared budget: reach at least this share of the capacity left... */
	sharedCapacity: 0.9,
	/** ...with at most this share of 429s among the node's requests */
	shared429: 0.05,
	/**
	 * the floor needs at most this share of the unhindered rate: the issue asks for a third at
	 * most; a fifth keeps what no pacing can shorten (the last window's requests at this
	 * machine's speed, the template's two group steps after all users: about 1.5 s) small
	 * against the floor, as the alone row's target of 1.10x needs
	 */
	machineShare: 1 / 5,
} as const;

/** The fault mix of the transient-fault row. */
export const FAULTS = [
	'--fault-429',
	'0.1',
	'--retry-after',
	'0.5',
	'--fault-503',
	'0.03',
	'--fault-drop',
	'0.01',
];

/** The other client of the shared-budget rows: half of every budget (2b), 30% more in bursts (2c). */
export const OTHER_CLIENTS: Record<'steady' | 'bursts', OtherClientOptions> = {
	steady: { share: 0.5 },
	bursts: { share: 0.5, burstShare: 0.3, burstEverySeconds: 240, burstForSeconds: 90 },
};
/** The shared row onboards fewer people: half the budget doubles its floor. */
const SHARED_PEOPLE = ONBOARD_USERS / 2;

export interface Clock {
	timeScale: number;
	/** requests/s n8n reached with no limits (row 0), or undefined when fixed by --clock */
	unhinderedRate?: number;
}

const minimumCalls = (people: number): Record<string, number> => ({
	'GET /Users': people,
	'POST /Users': people,
	'GET /Groups': TEAMS.length,
	'PATCH /Groups/{id} (body > 500 bytes)': TEAMS.length,
});
const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

/** Requests/s the onboarding floor needs at `timeScale`. */
export function floorNeeds(timeScale: number, people = ONBOARD_USERS): number {
	const calls = minimumCalls(people);
	return total(calls) / (rateFloorMs(calls, MIRO_WINDOW_MS * timeScale) / 1000);
}

/** The smallest clock (in steps of 0.005) at which the floor needs at most `machineShare` (a fifth) of `rate`. */
export function clockFor(rate: number): number {
	const atScaleOne = floorNeeds(1);
	const scale = atScaleOne / (PACING_TARGETS.machineShare * rate);
	return Math.max(0.01, Math.ceil(scale * 200) / 200);
}

export function describeClock(clock: Clock): string {
	const windowS = (MIRO_WINDOW_MS * clock.timeScale) / 1000;
	const needs = Math.round(floorNeeds(clock.timeScale));
	const why =
		clock.unhinderedRate === undefined
			? 'fixed with --clock, not measured'
			: `${ratio(needs / clock.unhinderedRate)} of the ${int(Math.round(clock.unhinderedRate))} requests/s n8n reached unhindered in row 0`;
	return `time scale ${clock.timeScale} (${windowS} s windows): the floor needs ${int(needs)} requests/s, ${why}`;
}

const miro =
	(clock: Clock, options: Record<string, unknown> = {}) =>
	(people: Employee[]) =>
		setMiroOptions(onboardingWorkflow(people, CREDENTIAL_ID), {
			...scaledOptions(clock.timeScale),
			...options,
		});

const onboardedOnce = (m: OnboardingMeasure) =>
	m.failed === 0 &&
	m.check.exactlyOnce === m.people &&
	m.check.inRightTeam === m.people &&
	m.check.duplicates === 0;

/** Row 0: the machine's rate for this job, and the clock it gives. */
export async function calibrate(fixed?: number): Promise<Clock> {
	if (fixed !== undefined) return { timeScale: fixed };
	const m = await onboarding({
		label: `0. Unhindered: the same onboarding of ${int(ONBOARD_USERS)} with no rate limits, pacing off (this machine's rate for the job)`,
		timeScale: 1,
		emulatorFlags: [],
		unhindered: true,
		build: (people) => setMiroOptions(onboardingWorkflow(people, CREDENTIAL_ID), { pacing: 'off' }),
		lastNode: ONBOARDING_LAST_NODE,
		bound: BOUND.onboarding,
		targets: () => [],
	});
	const clock = { timeScale: clockFor(m.requestRate), unhinderedRate: m.requestRate };
	notes.push(`- Clock of the pacing rows: ${describeClock(clock)}.`);
	return clock;
}

export async function alone(clock: Clock): Promise<OnboardingMeasure> {
	return await onboarding({
		label: `1. Onboard ${int(ONBOARD_USERS)} new users into 2 teams: workflows/onboarding.json; ${describeClock(clock)}`,
		timeScale: clock.timeScale,
		emulatorFlags: [],
		build: miro(clock),
		lastNode: ONBOARDING_LAST_NODE,
		bound: BOUND.onboarding,
		targets: (m) => [
			[
				`time <= ${PACING_TARGETS.alone}x floor`,
				m.completed && m.wallMs <= PACING_TARGETS.alone * m.floorMs,
			],
			[`calls <= 1.02x min`, m.calls <= 1.02 * m.minimumCalls],
			[`all onboarded once`, onboardedOnce(m)],
		],
	});
}

export async function baseline(clock: Clock): Promise<void> {
	await onboarding({
		label: `1b. Baseline: same job with HTTP Request v4.2 + IF, Retry On Fail (3 tries, ${BASELINE_WAIT_BETWEEN_TRIES_MS} ms), time scale ${clock.timeScale}`,
		timeScale: clock.timeScale,
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
	});
}

export async function faults(clock: Clock, without: OnboardingMeasure): Promise<void> {
	await onboarding({
		label: `2. Transient faults: row 1 with 10% 429 (half with Retry-After), 3% 503, 1% dropped after applying; time scale ${clock.timeScale}`,
		timeScale: clock.timeScale,
		emulatorFlags: FAULTS,
		build: miro(clock),
		lastNode: ONBOARDING_LAST_NODE,
		bound: BOUND.onboarding,
		targets: (m) => [
			[
				`wall <= ${PACING_TARGETS.faults}x row 1 (${ms(without.wallMs)})`,
				m.completed && m.wallMs <= PACING_TARGETS.faults * without.wallMs,
			],
			[`0 failed items`, m.completed && m.failed === 0],
			[`0 duplicates, right team`, onboardedOnce(m)],
		],
	});
}

function describeOther(other: OtherClientOptions): string {
	const { share, burstShare, burstEverySeconds, burstForSeconds } = other;
	const steady = `another client uses ${share * 100}% of every endpoint's budget`;
	if (!burstShare) return `${steady}, steadily`;
	return `${steady}, ${Math.round((share + burstShare) * 100)}% in bursts (${burstForSeconds} s of every ${burstEverySeconds} s, Miro time)`;
}

export async function shared(clock: Clock, kind: keyof typeof OTHER_CLIENTS): Promise<void> {
	const other = OTHER_CLIENTS[kind];
	await onboarding({
		label: `${kind === 'steady' ? '2b' : '2c'}. Shared budget: onboard ${int(SHARED_PEOPLE)} while ${describeOther(other)}; time scale ${clock.timeScale}`,
		timeScale: clock.timeScale,
		emulatorFlags: [],
		otherClient: other,
		people: SHARED_PEOPLE,
		build: miro(clock),
		lastNode: ONBOARDING_LAST_NODE,
		bound: BOUND.onboarding,
		targets: (m) => [
			[
				`reaches >= ${PACING_TARGETS.sharedCapacity * 100}% of the capacity left`,
				m.completed &&
					m.sharedFloorMs !== undefined &&
					m.sharedFloorMs >= PACING_TARGETS.sharedCapacity * m.wallMs,
			],
			[
				`429s <= ${PACING_TARGETS.shared429 * 100}% of its requests (${int(m.rateLimited)} of ${int(m.calls)})`,
				m.rateLimited <= PACING_TARGETS.shared429 * m.calls,
			],
			[`0 failed, all onboarded once`, m.completed && onboardedOnce(m)],
		],
	});
}
