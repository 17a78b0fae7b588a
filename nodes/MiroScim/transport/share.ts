/**
 * How much of Miro's budget for one endpoint this process takes, when the budget may be shared
 * with clients it cannot see (the Okta or Entra Miro app, another workflow, other n8n workers).
 *
 * The rule, after TCP's congestion control (which tells loss from congestion from random loss)
 * and Google SRE's client-side throttling: a 429 is evidence, not a verdict. A spent budget
 * refuses every request once it is used up, so its 429s come in a run; random 429s come alone,
 * at their usual share (the noise level, measured per window before any run). The budget is
 * spent when the recent answers hold more 429s than random ones at that level would reach
 * except about once in ten thousand (`spentThreshold`: 3 of 10 with no noise, 7 of 10 at 10%).
 * Then the process settles on what Miro accepted from it in the last window (a multiplicative
 * decrease, measured rather than guessed) and holds for Retry-After, or until a slot of its own
 * frees. A lone 429 (even with Retry-After) or a 5xx is noise: that request waits as Retry-After
 * or its backoff says and retries, the others go on. Each window that used the allowance without
 * a spent budget regains a share of the limit (10%, doubling while windows stay clean, up to
 * 50%), so that a share the other client frees is found again within a few windows; a probe
 * above the share costs a few 429s, not time, as refused requests do not count (pacing.ts).
 */

/** The tuning, in one place; `decideShare` reads nothing else. */
export const SHARE_RULES = {
	/** How many of this endpoint's latest answers (within one window) are weighed. */
	recentAnswers: 10,
	/** Spent: at least this many 429s among the recent answers, and more where 429s are usual: */
	spentAtLeast: 3,
	/**
	 * as many as random 429s at the noise level reach among `recentAnswers` with at most this
	 * chance (a binomial tail): at 10% noise, 7 of 10; with no noise, 3.
	 */
	falseAlarm: 1e-4,
	/** The noise level assumed before any window was measured. */
	priorNoise: 0.02,
	/** A clean, busy window regains this share of the limit... */
	increase: 0.1,
	/** ...doubled for each further one, up to this share of the limit. */
	maxIncrease: 0.5,
	/**
	 * Spent again before any success: the endpoint holds at least this share of the window,
	 * doubled for each verdict in a row, up to `maxHoldoff`. Where the other client's use grows
	 * (a burst building up), each place of this process's that frees is taken before it can use
	 * it: without the growing hold, every one would cost a 429.
	 */
	holdoff: 0.01,
	maxHoldoff: 0.5,
	/** A sample of at least this many answers measures the noise level... */
	noiseSample: 20,
	/** ...and updates it with this weight (an exponential average over windows). */
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
	/**
	 * Answers in the current window before its budget was read as spent (none after), and 429s
	 * among them: with the recent ones taken out, the freshest measure of the noise level.
	 */
	windowAnswers: number;
	windowRateLimited: number;
	/** The usual share of 429s per window (`nextNoise`), once a window was measured. */
	noise?: number;
	/** Clean, busy windows in a row before the one that ended (the regain doubles with each). */
	cleanWindows: number;
	/** When this process's oldest request in the window leaves it, freeing a slot of its own. */
	nextSlotMs: number;
	/** The window Miro counts in (ms). */
	windowMs: number;
	/** Spent verdicts since the last success. */
	spentInRow: number;
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

/** P(X >= k) for X ~ Binomial(n, p). */
function binomialTail(n: number, p: number, k: number): number {
	let term = (1 - p) ** n;
	let below = 0;
	for (let i = 0; i < k; i++) {
		below += term;
		term *= ((n - i) / (i + 1)) * (p / (1 - p));
	}
	return Math.max(0, 1 - below);
}

/**
 * The share of 429s that comes whatever the pace: the level measured over past windows; before
 * any, the prior or this window's so far (the recent answers left out), whichever is higher.
 * Only the first window reads itself: later, 429s of processes racing for a freed place would
 * raise the level they are measured against.
 */
export function noiseLevel(view: ShareView): number {
	const { priorNoise, noiseSample } = SHARE_RULES;
	if (view.noise !== undefined) return view.noise;
	const answers = view.windowAnswers - view.recentAnswers;
	const rateLimited = Math.max(0, view.windowRateLimited - view.recentRateLimited);
	const current = answers >= noiseSample ? rateLimited / answers : 0;
	return Math.min(0.99, Math.max(priorNoise, current));
}

/**
 * How many of the recent answers must be 429 to read the budget as spent at noise level `p`:
 * the fewest that random 429s reach with at most the `falseAlarm` chance.
 */
export function spentThreshold(p: number): number {
	const { recentAnswers: n, spentAtLeast, falseAlarm } = SHARE_RULES;
	for (let k = spentAtLeast; k < n; k++) {
		if (binomialTail(n, p, k) <= falseAlarm) return k;
	}
	return n;
}

/** Whether the recent answers say the budget is spent, not just noisy. */
export function isSpent(view: ShareView): boolean {
	return view.recentRateLimited >= spentThreshold(noiseLevel(view));
}

/**
 * The allowance once spent: what Miro accepted from this process in the last window. It is a
 * measurement, so a second verdict lowers it again only if less fit; and as false alarms are
 * rare (`spentThreshold`), it is not softened: sending more than fit would only meet 429s until
 * the window slides, one per place of this process's that frees. Probes and regains find a
 * share that grows again.
 */
function settledAllowance(view: ShareView): number {
	return Math.max(1, Math.min(view.allowance, view.acceptedInWindow));
}

function holdoffMs(view: ShareView): number {
	const { holdoff, maxHoldoff } = SHARE_RULES;
	return Math.round(
		view.windowMs * Math.min(maxHoldoff, holdoff * 2 ** Math.min(view.spentInRow, 16)),
	);
}

function regainStep(view: ShareView): number {
	const { increase, maxIncrease } = SHARE_RULES;
	const share = Math.min(maxIncrease, increase * 2 ** Math.min(view.cleanWindows, 8));
	return Math.max(1, Math.round(view.limit * share));
}

/**
 * What this process does with its share of one endpoint's budget after `event`: a pure
 * function, tested as a table (test/transport/share.test.ts).
 */
export function decideShare(view: ShareView, event: ShareEvent): ShareDecision {
	if (event.kind === 'windowEnded') {
		if (!event.binding || event.spent) {
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
		const pauseMs = event.retryAfterMs ?? Math.max(view.nextSlotMs, holdoffMs(view));
		return { verdict: 'spent', allowance: settledAllowance(view), pauseMs };
	}
	// Retry-After on a lone 429 holds its own request (decideRetry); random ones carry it too.
	return { verdict: 'noise', allowance: view.allowance, pauseMs: 0 };
}

/**
 * The noise level after a window whose answers before any spent verdict (the run that led to it
 * left out) were `answers`, `rateLimited` of them 429: an exponential average over windows with
 * enough answers. A run of 429s says nothing of the noise, so it never raises the level; the
 * answers around it still measure it.
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
