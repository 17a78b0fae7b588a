/**
 * How much of Miro's budget for one endpoint this process takes, when the budget may be shared
 * with clients it cannot see (the Okta or Entra Miro app, another workflow, other n8n workers).
 *
 * The rule, after TCP's congestion control and Google SRE's client-side throttling: a 429 is
 * evidence, not a verdict. The budget is spent when 429s keep coming (most of the recent
 * answers, Retry-After or not), or when this window's 429s clearly exceed their usual
 * share (the noise level: random 429s come at any pace, while those of a spent budget stop once
 * the process slows down, so the level falls back to zero after a decrease). Then the process
 * settles on what Miro accepted from it in the last window (a multiplicative decrease, measured
 * rather than guessed) and holds for Retry-After, or until a slot of its own frees. A lone 429
 * (even with Retry-After) or a 5xx among successes is noise: that request waits as Retry-After
 * or its backoff says and retries, the others go on. After two windows in a row that used the
 * allowance without a spent budget it regains a little (additive increase, doubling while
 * windows stay clean), so that a share the other client frees is found again.
 */

/** The tuning, in one place; `decideShare` reads nothing else. */
export const SHARE_RULES = {
	/** How many of this endpoint's latest answers (within one window) are weighed. */
	recentAnswers: 10,
	/** Spent: at least this many 429s among the recent answers... */
	spentAtLeast: 3,
	/** ...and at least this share of them. Random 429s at 10% reach it about once per 600. */
	spentShare: 0.5,
	/** Or: this window's 429s pass the noise level by this many standard deviations. */
	aboveNoise: 3,
	/** When spent, the allowance becomes what fit in the last window, but never less than
	 * this share of the allowance the window started with. */
	floorShare: 0.5,
	/** The second clean, busy window in a row regains this share of the limit... */
	increase: 0.05,
	/** ...doubled for each further one, up to this share of the limit. */
	maxIncrease: 0.2,
	/** A window with at least this many answers updates the noise level... */
	noiseSample: 5,
	/** ...with this weight (an exponential average). */
	noiseWeight: 0.5,
} as const;

/** What the pacer knows about one endpoint when something happens. */
export interface ShareView {
	/** Miro's limit per window for the endpoint. */
	limit: number;
	/** The requests per window this process allows itself now. */
	allowance: number;
	/** This process's requests to the endpoint that Miro accepted in the last window (or still in flight). */
	acceptedInWindow: number;
	/** The endpoint's latest answers (at most `recentAnswers`, within one window), this one included. */
	recentAnswers: number;
	/** 429s among them. */
	recentRateLimited: number;
	/** Answers in the current window so far, and 429s among them. */
	windowAnswers: number;
	windowRateLimited: number;
	/** The usual share of 429s per window (`nextNoise`), once a window was seen. */
	noise?: number;
	/** The allowance the current window started with: one window lowers it at most by half. */
	windowAllowance: number;
	/** Clean, busy windows in a row before the one that ended (the regain doubles with each). */
	cleanWindows: number;
	/** When this process's oldest request in the window leaves it, freeing a slot of its own. */
	nextSlotMs: number;
}

export type ShareEvent =
	/** Miro answered a request to the endpoint, with or without Retry-After (ms). */
	| { kind: 'answered'; status: number; retryAfterMs?: number }
	/** A window ended: `binding` if requests waited for the allowance, `spent` if 429s kept coming. */
	| { kind: 'windowEnded'; binding: boolean; spent: boolean };

export type ShareVerdict =
	/**
	 * A lone 429 (with or without Retry-After), or a server error (even a burst): only the
	 * request that met it waits, as long as Retry-After says or its backoff.
	 */
	| 'noise'
	/**
	 * 429s keep coming: the share drops to what fit, and the endpoint holds for Retry-After, or
	 * until a slot of this process's own frees.
	 */
	| 'spent'
	/** A clean, busy window: the share grows. */
	| 'regain'
	/** Nothing to change: a success, or a window that ended idle or spent. */
	| 'keep';

export interface ShareDecision {
	verdict: ShareVerdict;
	/** The allowance from now on. */
	allowance: number;
	/** How long every request of this process to the endpoint holds from now (0: none). */
	pauseMs: number;
}

/** Whether the recent answers say the budget is spent, not just noisy. */
export function isSpent(view: ShareView): boolean {
	const { spentAtLeast, spentShare, aboveNoise } = SHARE_RULES;
	if (
		view.recentRateLimited >= spentAtLeast &&
		view.recentRateLimited >= spentShare * view.recentAnswers
	) {
		return true;
	}
	const { noise, windowAnswers: n, windowRateLimited: k } = view;
	if (noise === undefined || k < spentAtLeast) return false;
	// Binomial: random 429s at the noise level rarely pass its mean by three deviations.
	return k > n * noise + aboveNoise * Math.sqrt(n * noise * (1 - noise));
}

/**
 * The allowance once spent: what fit in the last window. It is a measurement, so a second
 * verdict in the same window lowers it again only if less fit; one window at most halves
 * what it started with.
 */
function settledAllowance(view: ShareView): number {
	const fit = Math.max(view.acceptedInWindow, view.windowAllowance * SHARE_RULES.floorShare);
	return Math.max(1, Math.min(view.allowance, Math.floor(fit)));
}

function regainStep(view: ShareView): number {
	const { increase, maxIncrease } = SHARE_RULES;
	const share = Math.min(maxIncrease, increase * 2 ** Math.min(view.cleanWindows - 1, 8));
	return Math.max(1, Math.round(view.limit * share));
}

/**
 * What this process does with its share of one endpoint's budget after `event`: a pure
 * function, tested as a table (test/transport/share.test.ts).
 */
export function decideShare(view: ShareView, event: ShareEvent): ShareDecision {
	if (event.kind === 'windowEnded') {
		// A share that just fit is kept for one clean window before probing above it.
		if (!event.binding || event.spent || view.cleanWindows < 1) {
			return { verdict: 'keep', allowance: view.allowance, pauseMs: 0 };
		}
		return {
			verdict: 'regain',
			allowance: Math.min(view.limit, view.allowance + regainStep(view)),
			pauseMs: 0,
		};
	}
	if (event.status !== 429) {
		// A 5xx says Miro is unwell, not that the budget is spent: backoff per request covers it.
		const verdict = event.status >= 500 ? 'noise' : 'keep';
		return { verdict, allowance: view.allowance, pauseMs: 0 };
	}
	if (isSpent(view)) {
		// Retry-After first; without it, sending before a slot of its own frees would only
		// collect more 429s.
		const pauseMs = event.retryAfterMs ?? view.nextSlotMs;
		return { verdict: 'spent', allowance: settledAllowance(view), pauseMs };
	}
	// Retry-After on a lone 429 holds its own request (decideRetry); random ones carry it too.
	return { verdict: 'noise', allowance: view.allowance, pauseMs: 0 };
}

/**
 * The noise level after a window with `answers` answers, `rateLimited` of them 429: an
 * exponential average over windows with enough answers. Spent windows count too: after a
 * decrease the 429s of a spent budget stop and the level falls back within a few windows, while
 * random ones keep it up; skipping them would let a first false alarm hide the noise for good.
 */
export function nextNoise(
	noise: number | undefined,
	window: { answers: number; rateLimited: number },
): number | undefined {
	if (window.answers < SHARE_RULES.noiseSample) return noise;
	const share = window.rateLimited / window.answers;
	if (noise === undefined) return share;
	return noise + SHARE_RULES.noiseWeight * (share - noise);
}
