/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * Measurement from the emulator's request log: calls per endpoint and status, 429s and 5xx,
 * the busiest window per endpoint, and the rate-limit floor a job cannot beat.
 */
import fs from 'node:fs';
import path from 'node:path';

import { MIRO_RATE_LIMITS } from '../../test/emulator/rateLimit';
import { int } from './report';
import type { LogEntry } from './types';

export interface LogSummary {
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

/**
 * The rate-limit bucket the emulator logged (it classifies each request as Miro does); a
 * request it routed nowhere (401, 404) has none and is named by its method and path.
 */
function endpointOf(entry: LogEntry): string {
	return entry.endpoint ?? `${entry.method} ${entry.path}`;
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

export function describeBusiest(summary: LogSummary): string {
	return [...summary.busiestWindow]
		.map(([endpoint, count]) => {
			const limit = MIRO_RATE_LIMITS[endpoint as keyof typeof MIRO_RATE_LIMITS];
			return `\`${endpoint}\` ${count}${limit ? `/${limit}` : ''}`;
		})
		.join(', ');
}

export function summarizeLog(log: LogEntry[], windowMs: number): LogSummary {
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

export function callsOf(summary: LogSummary, endpoint: string): number {
	let sum = 0;
	for (const count of summary.byEndpoint.get(endpoint)?.values() ?? []) sum += count;
	return sum;
}

export function describeLog(summary: LogSummary): string {
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

export function errorsCell(summary: LogSummary): string {
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
export function rateFloorMs(minimumCalls: Record<string, number>, windowMs: number): number {
	let floor = 0;
	for (const [endpoint, calls] of Object.entries(minimumCalls)) {
		const limit = MIRO_RATE_LIMITS[endpoint as keyof typeof MIRO_RATE_LIMITS];
		if (!limit) throw new Error(`no limit known for ${endpoint}`);
		floor = Math.max(floor, (Math.ceil(calls / limit) - 1) * windowMs);
	}
	return floor;
}

/**
 * With BENCH_LOG_DIR set, writes a row's request log there (one JSON file per row): for
 * looking into a row's timeline with `tsx bench/timeline.ts <file> <window ms>`.
 */
export function keepLog(
	name: string,
	log: Array<Pick<LogEntry, 'at' | 'endpoint' | 'method' | 'path' | 'status' | 'flags'>>,
): void {
	const dir = process.env.BENCH_LOG_DIR;
	if (!dir) return;
	fs.mkdirSync(dir, { recursive: true });
	const slim = log.map(({ at, endpoint, method, path, status, flags }) => ({
		at,
		endpoint: endpoint ?? `${method} ${path}`,
		status,
		flags,
	}));
	fs.writeFileSync(path.join(dir, `${name.replace(/\W+/g, '_')}.json`), JSON.stringify(slim));
}
