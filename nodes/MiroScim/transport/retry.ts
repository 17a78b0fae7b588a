import type { IDataObject } from 'n8n-workflow';

import { isNotUnique } from './errors';
import type { Pacing } from './pacing';

/**
 * When and how long to wait before sending a request again. Policy is data: the defaults below
 * are overridden per execution from the node's options.
 */
export interface RetryPolicy {
	/** Attempts in all, the first one included. */
	maxAttempts: number;
	/** First backoff when the server gives no Retry-After; doubles on every further attempt. */
	baseDelayMs: number;
	/** Ceiling for one backoff and for one honoured Retry-After. */
	maxDelayMs: number;
	/** Ceiling for all waiting done for one request. */
	maxTotalWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 6,
	baseDelayMs: 1000,
	maxDelayMs: 60_000,
	maxTotalWaitMs: 180_000,
};

/** 429 never changed anything; 5xx and gateways may or may not have (see `mayHaveActed`). */
export const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Node's and axios's names for a connection that broke or never answered. */
const NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'ECONNREFUSED',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
]);

/** Codes that prove the request never reached the server, so even a create may simply be resent. */
const NEVER_SENT_CODES = new Set([
	'ECONNREFUSED',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

export function isRetriedNetworkCode(code: string | undefined): boolean {
	return code !== undefined && NETWORK_CODES.has(code);
}

/** Whether a failed attempt may have been carried out by the server before its answer was lost. */
export function mayHaveActed(outcome: { status?: number; code?: string }): boolean {
	if (outcome.status === 429) return false;
	if (outcome.code !== undefined) return !NEVER_SENT_CODES.has(outcome.code);
	return true;
}

/**
 * Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). Returns milliseconds,
 * or undefined when absent or unreadable. Fractional seconds are accepted: an emulator with a
 * shrunk clock sends them, and reading them costs nothing.
 */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
	if (Array.isArray(value)) value = value[0];
	if (typeof value === 'number') return value >= 0 ? value * 1000 : undefined;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(parseFloat(text) * 1000);
	// An HTTP date has a weekday and month name; anything else ("-1", "soon") is unreadable.
	if (!/[a-z]/i.test(text)) return undefined;
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/** Exponential backoff with full jitter: a random wait between half and all of base * 2^n. */
export function backoffDelay(
	policy: RetryPolicy,
	failedAttempts: number,
	random: () => number = Math.random,
): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The name of the network fault behind a failed request (Node's and axios's codes, also when
 * wrapped in `cause`), or undefined when the failure is not recognisably one.
 */
export function networkCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		if (typeof current.code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(current.code)) {
			return current.code;
		}
		if (typeof current.message === 'string') {
			if (/socket hang up/i.test(current.message)) return 'ECONNRESET';
			if (/timeout of \d+ms exceeded/i.test(current.message)) return 'ETIMEDOUT';
		}
		current = current.cause as typeof current;
	}
	return undefined;
}

/**
 * Whether the server refused a request for what it asked (a 4xx that no retry changes), as
 * opposed to rate limits, outages and lost connections, which any request would meet alike.
 */
export function isContentRefusal(status: number | undefined): boolean {
	return status !== undefined && status >= 400 && status < 500 && !RETRIED_STATUSES.has(status);
}

/**
 * A 500 whose detail blames the filter is a parser that cannot read it (one server traced an
 * escaped quote), not an outage: sending it again gives the same answer, so it is retried once.
 */
export function blamesFilter(status: number | undefined, body: unknown): boolean {
	if (status !== 500 || !body || typeof body !== 'object') return false;
	const { detail, message } = body as { detail?: unknown; message?: unknown };
	return /filter/i.test(`${String(detail ?? '')} ${String(message ?? '')}`);
}

/** What one attempt came back with. */
export interface AttemptOutcome {
	/** HTTP status; undefined when no answer arrived. */
	status?: number;
	body?: IDataObject;
	/** The network fault, when no answer arrived and it could be named. */
	code?: string;
	/**
	 * How long the server (Retry-After) or, for a 429, the pacer asks to hold off; the wait
	 * defaults to backoff without it.
	 */
	holdMs?: number;
}

/** What a request is, fixed before its first attempt. */
export interface RequestTraits {
	/** Resending cannot do the work twice (not a create or a removal). */
	idempotent: boolean;
	/** The request can look whether its work is done (`recover`). */
	canRecover: boolean;
	/** A uniqueness refusal means someone else made the resource: look it up. */
	recoverOnConflict: boolean;
	/** Statuses that answer this request rather than fail it (e.g. 404 for a lookup). */
	accept: readonly number[];
	/** The node's Pacing option: with `adaptive`, Max Total Wait alone bounds 429s. */
	pacing: Pacing;
}

/** How far the request has come: the only state its loop carries from attempt to attempt. */
export interface AttemptProgress {
	/** Attempts made so far, this one included. */
	attempt: number;
	/** Time already spent waiting between attempts of this request. */
	waitedMs: number;
	/** An earlier attempt may have done the work although its answer was lost. */
	uncertain: boolean;
}

export const FIRST_ATTEMPT: AttemptProgress = { attempt: 1, waitedMs: 0, uncertain: false };

/** The progress after a retry that waits `delayMs`. */
export function nextAttempt(
	progress: AttemptProgress,
	retry: { delayMs: number; lookFirst: boolean },
): AttemptProgress {
	return {
		attempt: progress.attempt + 1,
		waitedMs: progress.waitedMs + retry.delayMs,
		uncertain: retry.lookFirst,
	};
}

/** Why a result may already exist: an earlier attempt did the work, or someone else did. */
export type Recovery = 'lostAnswer' | 'conflict';

export type RetryDecision =
	| { action: 'answer' }
	/** Wait `delayMs`, then (if `lookFirst`) look whether the work is done, else send again. */
	| { action: 'retry'; delayMs: number; lookFirst: boolean }
	/** Look whether the work is done (`recovery` says who would have done it); if not, fail. */
	| { action: 'lookThenFail'; recovery: Recovery }
	| { action: 'fail' };

/**
 * What to do after one attempt: the whole retry rule in one place, free of I/O so that it is
 * tested as a table. The client only carries it out.
 */
export function decideRetry(
	outcome: AttemptOutcome,
	request: RequestTraits,
	progress: AttemptProgress,
	policy: RetryPolicy,
	random: () => number = Math.random,
): RetryDecision {
	const { status, code } = outcome;
	if (status !== undefined && (status < 400 || request.accept.includes(status))) {
		return { action: 'answer' };
	}
	if (request.canRecover && status !== undefined) {
		if (progress.uncertain && (status === 409 || status === 404)) {
			return { action: 'lookThenFail', recovery: 'lostAnswer' };
		}
		if (request.recoverOnConflict && isNotUnique(status, outcome.body)) {
			return { action: 'lookThenFail', recovery: 'conflict' };
		}
	}
	const retryable =
		status === undefined ? isRetriedNetworkCode(code) : RETRIED_STATUSES.has(status);
	// Adaptive pacing meets 429s when the budget is shared: waiting them out is the way through.
	const boundByWait = status === 429 && request.pacing === 'adaptive';
	const tries = blamesFilter(status, outcome.body)
		? Math.min(2, policy.maxAttempts)
		: policy.maxAttempts;
	if (!retryable || (!boundByWait && progress.attempt >= tries)) return { action: 'fail' };
	const acted = !request.idempotent && mayHaveActed({ status, code });
	if (acted && !request.canRecover) return { action: 'fail' };
	// Under adaptive pacing the pacer holds the endpoint when the budget is spent; a 429 it reads
	// as noise waits the first backoff again, not one that doubles: a request that lost the race
	// for freed places several times would otherwise wait far longer than the budget does.
	const backoffs = boundByWait ? 1 : progress.attempt;
	const delay = Math.min(
		outcome.holdMs ?? backoffDelay(policy, backoffs, random),
		policy.maxDelayMs,
	);
	if (progress.waitedMs + delay > policy.maxTotalWaitMs) return { action: 'fail' };
	return { action: 'retry', delayMs: delay, lookFirst: progress.uncertain || acted };
}
