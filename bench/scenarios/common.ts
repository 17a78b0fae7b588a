/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * What every scenario shares: the time scale, the sizes and time bounds, the credentials the
 * workflows use, and the workflow files handed to the worker processes.
 */
import fs from 'node:fs';
import path from 'node:path';

import { MIRO_WINDOW_MS } from '../../test/emulator/rateLimit';
import { EMULATOR_TOKEN, type EmulatorProcess, TMP } from '../lib/processes';
import type { CredentialStore } from '../lib/types';
import { forWarmup, type Workflow } from '../lib/workflows';

// Scale: Miro's 30 s windows become 300 ms; the node is told the same window, and its first
// backoff (1 s by default) shrinks by the same factor.
export const TIME_SCALE = 0.01;
export const WINDOW_MS = MIRO_WINDOW_MS * TIME_SCALE;
export const scaledOptions = (scale: number) => ({
	rateWindowSeconds: (MIRO_WINDOW_MS * scale) / 1000,
	initialBackoffMs: 1000 * scale,
});
export const SCALED_NODE_OPTIONS = scaledOptions(TIME_SCALE);
export const BASELINE_WAIT_BETWEEN_TRIES_MS = 10;

export const ONBOARD_USERS = 2000;
export const TEAMS = ['Engineering', 'Marketing'];
export const BULK_MEMBERS = 20_000;
export const LIST_USERS = 100_000;
export const GET_BY_ID_USERS = 5000;
export const OVERHEAD_ROUNDS = 3;

// Time bounds, in ms, for each measured process; the whole bench stops itself after BENCH_BOUND.
export const BOUND = {
	onboarding: 240_000,
	baseline: 120_000,
	members: 90_000,
	list: 120_000,
	get: 90_000,
};
export const BENCH_BOUND_MS = 20 * 60_000;

export const CREDENTIAL_ID = 'miroScimDemo';
export const BEARER_ID = 'bearerDemo';

export function credentials(baseUrl: string): CredentialStore {
	return {
		[CREDENTIAL_ID]: { type: 'miroScimApi', data: { token: EMULATOR_TOKEN, baseUrl } },
		[BEARER_ID]: { type: 'httpBearerAuth', data: { token: EMULATOR_TOKEN } },
	};
}

export function writeWorkflow(name: string, workflow: Workflow): string {
	const file = path.join(TMP, `${process.pid}-${name}.workflow.json`);
	fs.writeFileSync(file, JSON.stringify(workflow));
	return file;
}

/** Inspection-route URL: every request to it answers 404, changes nothing and is not logged. */
export const warmupUrl = (emulator: EmulatorProcess) => `${emulator.origin}/_emulator/warmup`;
export const WARMUP_ITEMS = 20;

export function warmup(emulator: EmulatorProcess, name: string, workflow: Workflow) {
	return {
		workflowFile: writeWorkflow(`${name}-warmup`, forWarmup(workflow)),
		credentials: credentials(warmupUrl(emulator)),
	};
}
