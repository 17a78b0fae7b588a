/**
 * The floor of a job whose budget another client shares (test/emulator/otherClient.ts): the
 * earliest time a client that knew the other's usage could have sent its calls, sending as
 * many as the sliding window allows at every millisecond. "Reaches X% of the capacity left"
 * means this floor / the measured wall.
 */
import { OtherClient, type OtherClientOptions } from '../../test/emulator/otherClient';
import { MIRO_RATE_LIMITS } from '../../test/emulator/rateLimit';

/** One endpoint: ms after `startMs` (on the other client's clock) when the `calls`th call can go. */
function endpointFloorMs(
	calls: number,
	limit: number,
	windowMs: number,
	other: OtherClient,
	startMs: number,
): number {
	// sent[t] = calls sent in millisecond t; a ring over one window keeps the count in it.
	const ring = new Float64Array(Math.ceil(windowMs));
	let inWindow = 0;
	let sent = 0;
	for (let t = 0; ; t++) {
		const slot = t % ring.length;
		inWindow -= ring[slot];
		ring[slot] = 0;
		const free = Math.floor(limit - other.inWindow(limit, startMs + t) - inWindow);
		const now = Math.max(0, Math.min(free, calls - sent));
		ring[slot] = now;
		inWindow += now;
		sent += now;
		if (sent >= calls) return t;
		if (t > 3_600_000) throw new Error('shared floor: the other client leaves nothing');
	}
}

export function sharedFloorMs(
	minimumCalls: Record<string, number>,
	windowMs: number,
	timeScale: number,
	options: OtherClientOptions,
	startMs: number,
): number {
	const other = new OtherClient(options, windowMs, timeScale);
	let floor = 0;
	for (const [endpoint, calls] of Object.entries(minimumCalls)) {
		const limit = MIRO_RATE_LIMITS[endpoint as keyof typeof MIRO_RATE_LIMITS];
		if (!limit) throw new Error(`no limit known for ${endpoint}`);
		floor = Math.max(floor, endpointFloorMs(calls, limit, windowMs, other, startMs));
	}
	return floor;
}
