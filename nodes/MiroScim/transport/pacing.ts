import { sleep } from 'n8n-workflow';

import type { IHttpRequestMethods } from 'n8n-workflow';

/**
 * Miro's documented SCIM rate limits: requests per 30-second window, counted per endpoint
 * (all ids of /Users/{id} share one budget). Group PATCHes are limited by body size.
 */
export const MIRO_WINDOW_MS = 30_000;

export const MIRO_RATE_LIMITS: Record<string, number> = {
	'GET /Users': 200,
	'GET /Users/{id}': 200,
	'POST /Users': 200,
	'PUT /Users/{id}': 100,
	'PATCH /Users/{id}': 100,
	'DELETE /Users/{id}': 20,
	'GET /Groups': 5,
	'GET /Groups/{id}': 20,
	// Creating and deleting user groups: Miro publishes no limit, so these get the scarcest
	// published budget (a group search's) rather than none.
	'POST /Groups': 5,
	'DELETE /Groups/{id}': 5,
	'PATCH /Groups/{id} large': 5,
	'PATCH /Groups/{id} small': 100,
};

/** The body size up to which a group PATCH counts as small (100 per window instead of 5). */
export const SMALL_GROUP_PATCH_BYTES = 500;

export function endpointOf(method: IHttpRequestMethods, path: string, bodyBytes = 0): string {
	const parts = path.split('?')[0].split('/').filter(Boolean);
	const collection = parts[0] ?? '';
	const template = parts.length > 1 ? `/${collection}/{id}` : `/${collection}`;
	const key = `${method} ${template}`;
	if (key === 'PATCH /Groups/{id}') {
		return `${key} ${bodyBytes > SMALL_GROUP_PATCH_BYTES ? 'large' : 'small'}`;
	}
	return key;
}

/**
 * A sliding-window log per endpoint: a request may go when fewer than `limit` were sent in
 * the last window. The window is stretched by a small margin because Miro counts arrivals, not
 * departures, and arrivals of one window can bunch up behind slow ones of the previous.
 */
export class Pacer {
	private readonly sent = new Map<string, number[]>();

	constructor(
		private readonly windowMs: number,
		private readonly limits: Record<string, number> = MIRO_RATE_LIMITS,
		private readonly marginMs = Math.max(5, Math.round(windowMs * 0.02)),
	) {}

	/** Waits until one more request to `endpoint` fits the window, then books it. */
	async acquire(endpoint: string, wait: (ms: number) => Promise<void> = sleep): Promise<number> {
		const limit = this.limits[endpoint];
		if (limit === undefined) return 0;
		let log = this.sent.get(endpoint);
		if (!log) {
			log = [];
			this.sent.set(endpoint, log);
		}
		let waited = 0;
		for (;;) {
			const now = Date.now();
			const span = this.windowMs + this.marginMs;
			while (log.length > 0 && log[0] <= now - span) log.shift();
			if (log.length < limit) {
				log.push(now);
				return waited;
			}
			// Several callers may wake for the same freed slot; the loop re-checks.
			const delay = log[0] + span - now + 1;
			waited += delay;
			await wait(delay);
		}
	}
}

/**
 * One pacer per credential and window, shared by every execution in this process: two
 * workflows using the same Miro token draw on the same budget at Miro.
 */
const pacers = new Map<string, Pacer>();

export function pacerFor(key: string, windowMs: number): Pacer {
	const id = `${key}|${windowMs}`;
	let pacer = pacers.get(id);
	if (!pacer) {
		pacer = new Pacer(windowMs);
		pacers.set(id, pacer);
	}
	return pacer;
}
