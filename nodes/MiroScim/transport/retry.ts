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
