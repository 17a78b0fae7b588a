/**
 * The emulator's "now", for meta.created and meta.lastModified: real time shifted by an offset a
 * test (or POST /_emulator/clock) sets or advances, so that time-based workflows (a grace period
 * of N days before deleting a leaver) can be tested in seconds. Rate-limit windows keep real time:
 * pacing is about real requests per second.
 */
export interface ClockState {
	now: string;
	offsetMs: number;
}

/** A body for POST /_emulator/clock: one of `now`, `advanceSeconds`, `advanceDays`, `reset`. */
export interface ClockChange {
	now?: string;
	advanceSeconds?: number;
	advanceDays?: number;
	reset?: boolean;
}

const DAY_MS = 86_400_000;

export class Clock {
	private offsetMs = 0;

	constructor(start?: string) {
		if (start !== undefined) this.set(start);
	}

	now(): Date {
		return new Date(Date.now() + this.offsetMs);
	}

	iso(): string {
		return this.now().toISOString();
	}

	/** From now on, time runs on from `at` (an ISO 8601 time). */
	set(at: string): void {
		const target = Date.parse(at);
		if (Number.isNaN(target)) throw new RangeError(`"${at}" is not an ISO 8601 time`);
		this.offsetMs = target - Date.now();
	}

	advance(ms: number): void {
		if (!Number.isFinite(ms)) throw new RangeError('advance needs a finite number');
		this.offsetMs += ms;
	}

	reset(): void {
		this.offsetMs = 0;
	}

	/** Applies an inspection-route body; exactly one change per request. */
	change(body: ClockChange): void {
		const given = (['now', 'advanceSeconds', 'advanceDays', 'reset'] as const).filter(
			(key) => body[key] !== undefined,
		);
		if (given.length !== 1) {
			throw new RangeError('Send one of now, advanceSeconds, advanceDays or reset');
		}
		if (body.now !== undefined) this.set(body.now);
		if (body.advanceSeconds !== undefined) this.advance(Number(body.advanceSeconds) * 1000);
		if (body.advanceDays !== undefined) this.advance(Number(body.advanceDays) * DAY_MS);
		if (body.reset) this.reset();
	}

	state(): ClockState {
		return { now: this.iso(), offsetMs: this.offsetMs };
	}
}
