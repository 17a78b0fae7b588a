/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * What a bench report says about the machine and the rate-limit floor it measures against.
 * (bench/run.ts keeps its own copies until it is split; these are the same rules.)
 */
import os from 'node:os';

import { MIRO_RATE_LIMITS } from '../../test/emulator/rateLimit';

export const loadAverage = (): string =>
	os
		.loadavg()
		.map((value) => value.toFixed(1))
		.join(' / ');

export function machine(): string {
	const cpus = os.cpus();
	return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/**
 * Miro's limits are per endpoint and per 30 s window. N calls to an endpoint allowing L per
 * window need ceil(N / L) windows; the first batch goes at t = 0 and the last at the start of
 * the last window, so at least (ceil(N / L) - 1) windows pass. Endpoints have separate budgets
 * and can run in parallel: the floor is the largest of these.
 */
export function rateFloorMs(minimumCalls: Record<string, number>, windowMs: number): number {
	let floor = 0;
	for (const [endpoint, calls] of Object.entries(minimumCalls)) {
		const limit = MIRO_RATE_LIMITS[endpoint as keyof typeof MIRO_RATE_LIMITS];
		if (!limit) throw new Error(`no limit known for ${endpoint}`);
		floor = Math.max(floor, (Math.ceil(calls / limit) - 1) * windowMs);
	}
	return floor;
}
