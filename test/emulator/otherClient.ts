/**
 * A second client sharing the organization's SCIM budget, as the Okta or Entra Miro app does
 * when it pushes at the same time as n8n. It is modelled, not sent: it takes a set share of every
 * endpoint's budget, steadily, plus a burst that comes and goes, and always gets it (it was there
 * first), so that the budget left to the node is known exactly: `limit x (1 - its share)`.
 *
 * Times are Miro's (a 30 s window, a burst every 120 s...) and shrink with the time scale.
 */

export interface OtherClientOptions {
	/** Share (0..1) of each endpoint's budget it uses all the time. */
	share: number;
	/** Extra share (0..1) it uses during a burst (default 0: no bursts). */
	burstShare?: number;
	/** A burst starts every this many Miro seconds (default 120)... */
	burstEverySeconds?: number;
	/** ...and lasts this many (default 30); the first starts after one quiet stretch. */
	burstForSeconds?: number;
}

export const DEFAULT_BURST_EVERY_SECONDS = 120;
export const DEFAULT_BURST_FOR_SECONDS = 30;

export function checkOtherClient(options: OtherClientOptions): OtherClientOptions {
	const { share, burstShare = 0 } = options;
	const every = options.burstEverySeconds ?? DEFAULT_BURST_EVERY_SECONDS;
	const lasts = options.burstForSeconds ?? DEFAULT_BURST_FOR_SECONDS;
	if (!(share >= 0 && burstShare >= 0 && share + burstShare <= 1)) {
		throw new RangeError('otherClient: share and burstShare must be >= 0 and add up to at most 1');
	}
	if (!(every > 0 && lasts >= 0 && lasts <= every)) {
		throw new RangeError('otherClient: need 0 <= burstForSeconds <= burstEverySeconds, every > 0');
	}
	return { share, burstShare, burstEverySeconds: every, burstForSeconds: lasts };
}

/**
 * What the other client uses, on a clock in ms that starts at 0 when it starts. The burst of
 * period k covers [k x every + (every - for), (k + 1) x every).
 */
export class OtherClient {
	readonly options: Required<OtherClientOptions>;
	private readonly everyMs: number;
	private readonly forMs: number;

	constructor(
		options: OtherClientOptions,
		private readonly windowMs: number,
		timeScale: number,
	) {
		this.options = checkOtherClient(options) as Required<OtherClientOptions>;
		this.everyMs = this.options.burstEverySeconds * 1000 * timeScale;
		this.forMs = this.options.burstForSeconds * 1000 * timeScale;
	}

	/** The share of the budget it uses at `t`. */
	shareAt(t: number): number {
		const inPeriod = t - Math.floor(t / this.everyMs) * this.everyMs;
		const bursting = this.forMs > 0 && inPeriod >= this.everyMs - this.forMs;
		return this.options.share + (bursting ? this.options.burstShare : 0);
	}

	/** Burst time within [from, to): the overlap with every burst interval. */
	private burstMs(from: number, to: number): number {
		if (this.forMs === 0 || to <= from) return 0;
		let total = 0;
		for (let k = Math.floor(from / this.everyMs); k * this.everyMs < to; k++) {
			const start = k * this.everyMs + this.everyMs - this.forMs;
			const end = (k + 1) * this.everyMs;
			total += Math.max(0, Math.min(to, end) - Math.max(from, start));
		}
		return total;
	}

	/**
	 * Requests it sent to an endpoint allowing `limit` per window within [from, to), spread
	 * evenly: `limit / window` per ms times its share. Before 0 it was already at its steady share.
	 */
	used(limit: number, from: number, to: number): number {
		if (to <= from) return 0;
		const perMs = limit / this.windowMs;
		return (
			perMs * (this.options.share * (to - from) + this.options.burstShare * this.burstMs(from, to))
		);
	}

	/** Requests it sent in the window that ends at `t`: what it holds of the budget now. */
	inWindow(limit: number, t: number): number {
		return this.used(limit, t - this.windowMs, t);
	}
}
