import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';

import { nextStartIndex, pageSize } from '../scim/paging';
import type { ListPage } from '../scim/paging';
import { adviceFor, describe, isNotUnique } from './errors';
import { endpointOf, MIRO_WINDOW_MS, pacerFor } from './pacing';
import type { Pacer } from './pacing';
import {
	backoffDelay,
	DEFAULT_RETRY_POLICY,
	isRetriedNetworkCode,
	mayHaveActed,
	parseRetryAfter,
	RETRIED_STATUSES,
} from './retry';
import type { RetryPolicy } from './retry';

export const CREDENTIAL_TYPE = 'miroScimApi';
export const DEFAULT_BASE_URL = 'https://miro.com/api/v1/scim';
const SCIM_MEDIA_TYPE = 'application/scim+json';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

export interface ClientSettings {
	retry: RetryPolicy;
	/** Wait for Miro's per-endpoint budget before sending instead of bouncing off 429s. */
	pacing: boolean;
	windowMs: number;
	timeoutMs: number;
}

export const DEFAULT_CLIENT_SETTINGS: ClientSettings = {
	retry: DEFAULT_RETRY_POLICY,
	pacing: true,
	windowMs: MIRO_WINDOW_MS,
	timeoutMs: 30_000,
};

export interface ScimRequest {
	method: IHttpRequestMethods;
	/** Below the base URL, e.g. `/Users/123`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/**
	 * False when sending the request twice could do the work twice or fail the second time
	 * (a create, a removal). Such a request is resent after an ambiguous failure only once
	 * `recover` has looked and found the work not done.
	 */
	idempotent?: boolean;
	/** Looks whether an earlier attempt already did the work; returns its result if so. */
	recover?: () => Promise<IDataObject | undefined>;
	/**
	 * A uniqueness refusal (409, or 400 "not unique") means the resource already exists, made
	 * by someone else (another item or execution racing this one): ask `recover` for it.
	 */
	recoverOnConflict?: boolean;
	/** Statuses that are answers rather than errors for this call (e.g. 404 for a lookup). */
	accept?: number[];
	itemIndex?: number;
}

export interface ScimResponse {
	status: number;
	body: IDataObject;
	headers: IDataObject;
	attempts: number;
	/**
	 * How `recover` found the result instead of a fresh answer: an earlier attempt of this
	 * request did the work (`lostAnswer`), or someone else did (`conflict`).
	 */
	recovered: false | 'lostAnswer' | 'conflict';
}

/**
 * Returns the base URL without trailing slashes, or why it cannot be used: HTTPS only, as Miro
 * redirects plain HTTP; loopback may use HTTP so that local emulators work.
 */
export function checkBaseUrl(raw: unknown): { url: string } | { problem: string } {
	const text = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : DEFAULT_BASE_URL;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { problem: `The Base URL "${text}" is not a valid URL` };
	}
	const loopback =
		['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) ||
		/^127\.\d+\.\d+\.\d+$/.test(url.hostname);
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
		return {
			problem: `The Base URL must start with https:// (got "${url.protocol}//${url.host}"); plain HTTP is only allowed for localhost`,
		};
	}
	return { url: text.replace(/\/+$/, '') };
}

/** Whether a request failed because its target does not exist (any more). */
export function isNotFound(error: unknown): boolean {
	return (error as { httpCode?: unknown } | undefined)?.httpCode === '404';
}

function networkCode(error: unknown): string | undefined {
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
 * The one door every request to Miro passes: credentials, base URL, content types, pacing,
 * retries and error mapping. One instance lives for one node execution.
 */
export class ScimClient {
	private baseUrl?: string;
	private pacer?: Pacer;

	constructor(
		private readonly ctx: Context,
		readonly settings: ClientSettings = DEFAULT_CLIENT_SETTINGS,
	) {}

	private async resolveBaseUrl(itemIndex: number | undefined): Promise<string> {
		if (this.baseUrl) return this.baseUrl;
		const credentials = await this.ctx.getCredentials(CREDENTIAL_TYPE);
		const checked = checkBaseUrl(credentials.baseUrl);
		if ('problem' in checked) {
			throw new NodeOperationError(this.ctx.getNode(), checked.problem, {
				itemIndex,
				description: 'Fix the Base URL in the Miro SCIM API credential.',
			});
		}
		this.baseUrl = checked.url;
		if (this.settings.pacing)
			this.pacer = pacerFor(this.scopeOf(this.baseUrl), this.settings.windowMs);
		return this.baseUrl;
	}

	private scopeOf(baseUrl: string): string {
		const credentialId = this.ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? 'default';
		return `${credentialId}|${baseUrl}`;
	}

	/**
	 * The Miro organization this client talks to, as a key (credential and base URL): state
	 * shared across executions in this process (pacing, the group directory) is kept per key.
	 */
	async scope(itemIndex?: number): Promise<string> {
		return this.scopeOf(await this.resolveBaseUrl(itemIndex));
	}

	async request(request: ScimRequest): Promise<ScimResponse> {
		const baseUrl = await this.resolveBaseUrl(request.itemIndex);
		const policy = this.settings.retry;
		const idempotent = request.idempotent ?? request.method !== 'POST';
		const bodyBytes = request.body ? Buffer.byteLength(JSON.stringify(request.body)) : 0;
		const endpoint = endpointOf(request.method, request.path, bodyBytes);
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `${baseUrl}${request.path}`,
			qs: request.qs,
			headers: { Accept: SCIM_MEDIA_TYPE },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: this.settings.timeoutMs,
			// n8n forwards credentials on cross-origin redirects by default; the token is for Miro only.
			sendCredentialsOnCrossOriginRedirect: false,
		};
		if (request.body) {
			options.body = request.body;
			options.headers = { ...options.headers, 'Content-Type': SCIM_MEDIA_TYPE };
		}

		let waitedMs = 0;
		let uncertain = false;
		for (let attempt = 1; ; attempt++) {
			if (uncertain && request.recover) {
				const found = await request.recover();
				if (found)
					return {
						status: 200,
						body: found,
						headers: {},
						attempts: attempt - 1,
						recovered: 'lostAnswer',
					};
			}
			if (this.pacer)
				await this.pacer.acquire(endpoint, async (ms) => await this.wait(ms, request));

			let status: number | undefined;
			let code: string | undefined;
			let body: IDataObject = {};
			let headers: IDataObject = {};
			try {
				const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
					this.ctx,
					CREDENTIAL_TYPE,
					{ ...options },
				)) as { statusCode: number; body: unknown; headers: IDataObject };
				status = response.statusCode;
				headers = response.headers ?? {};
				body = this.parseBody(response.body);
			} catch (error) {
				code = networkCode(error);
				if (!isRetriedNetworkCode(code)) throw this.networkError(error, code, attempt, request);
			}

			if (status !== undefined) {
				if (status < 400 || request.accept?.includes(status)) {
					return { status, body, headers, attempts: attempt, recovered: false };
				}
				// A conflict or a missing target after an attempt that may have worked is that
				// attempt's own trace: look before calling it a failure.
				const conflict = request.recoverOnConflict === true && isNotUnique(status, body);
				if (request.recover && ((uncertain && (status === 409 || status === 404)) || conflict)) {
					const found = await request.recover();
					const recovered = uncertain ? 'lostAnswer' : 'conflict';
					if (found) return { status: 200, body: found, headers: {}, attempts: attempt, recovered };
				}
			}

			const retryable = code !== undefined || RETRIED_STATUSES.has(status as number);
			if (!retryable || attempt >= policy.maxAttempts) {
				throw status !== undefined
					? this.apiError(status, body, attempt, request)
					: this.networkError(undefined, code, attempt, request);
			}
			if (!idempotent && mayHaveActed({ status, code })) {
				if (!request.recover) {
					throw status !== undefined
						? this.apiError(status, body, attempt, request)
						: this.networkError(undefined, code, attempt, request);
				}
				uncertain = true;
			}

			const delay =
				(status !== undefined ? parseRetryAfter(headers['retry-after']) : undefined) ??
				backoffDelay(policy, attempt);
			const bounded = Math.min(delay, policy.maxDelayMs);
			if (waitedMs + bounded > policy.maxTotalWaitMs) {
				throw status !== undefined
					? this.apiError(status, body, attempt, request)
					: this.networkError(undefined, code, attempt, request);
			}
			waitedMs += bounded;
			await this.wait(bounded, request);
		}
	}

	/**
	 * Waits in short slices so that stopping the execution in n8n ends a long backoff or pacing
	 * wait promptly instead of after up to a minute.
	 */
	private async wait(ms: number, request: ScimRequest): Promise<void> {
		const signal =
			'getExecutionCancelSignal' in this.ctx ? this.ctx.getExecutionCancelSignal() : undefined;
		const until = Date.now() + ms;
		for (;;) {
			if (signal?.aborted) {
				throw new NodeOperationError(
					this.ctx.getNode(),
					'The execution was cancelled while waiting to send a request to Miro',
					{
						itemIndex: request.itemIndex,
					},
				);
			}
			const left = until - Date.now();
			if (left <= 0) return;
			await sleep(Math.min(left, 250));
		}
	}

	/**
	 * Reads a list endpoint page by page (RFC 7644 §3.4.2.4) until `limit` resources or the end.
	 * Pages advance by what each actually returned; a 404 for "no match" counts as empty.
	 */
	async list(
		path: string,
		qs: IDataObject,
		options: { limit?: number; itemIndex?: number } = {},
	): Promise<IDataObject[]> {
		const { limit, itemIndex } = options;
		const resources: IDataObject[] = [];
		let startIndex: number | undefined = 1;
		while (startIndex !== undefined) {
			const count = pageSize(limit === undefined ? undefined : limit - resources.length);
			const response = await this.request({
				method: 'GET',
				path,
				qs: { ...qs, startIndex, count },
				accept: [404],
				itemIndex,
			});
			if (response.status === 404) break;
			const page = response.body as ListPage<IDataObject>;
			resources.push(...(page.Resources ?? []));
			if (limit !== undefined && resources.length >= limit) return resources.slice(0, limit);
			startIndex = nextStartIndex(startIndex, page);
		}
		return resources;
	}

	private parseBody(raw: unknown): IDataObject {
		if (raw === undefined || raw === null || raw === '') return {};
		if (typeof raw === 'string') {
			try {
				return JSON.parse(raw) as IDataObject;
			} catch {
				return { detail: raw.slice(0, 500) };
			}
		}
		if (Buffer.isBuffer(raw)) return this.parseBody(raw.toString('utf8'));
		return raw as IDataObject;
	}

	private apiError(status: number, body: IDataObject, attempts: number, request: ScimRequest) {
		const advice = adviceFor(status, body);
		return new NodeApiError(this.ctx.getNode(), body as JsonObject, {
			message: advice.message,
			description: describe(status, body, attempts),
			httpCode: String(status),
			itemIndex: request.itemIndex,
		});
	}

	/**
	 * Built from a fresh object, never from the HTTP library's error: that one carries the
	 * request configuration, Authorization header included.
	 */
	private networkError(
		error: unknown,
		code: string | undefined,
		attempts: number,
		request: ScimRequest,
	) {
		if (error instanceof NodeOperationError) return error;
		const reason =
			code ??
			((error as Error | undefined)?.message ?? 'unknown error').replace(
				/Bearer\s+\S+/gi,
				'Bearer ***',
			);
		return new NodeApiError(
			this.ctx.getNode(),
			{ message: `Could not reach Miro: ${reason}`, code: code ?? null } as JsonObject,
			{
				message: 'Could not reach Miro',
				description: `${request.method} ${request.path} failed with ${reason} after ${attempts} attempt${attempts === 1 ? '' : 's'}. Check the Base URL in the credential and your network, then try again.`,
				itemIndex: request.itemIndex,
			},
		);
	}
}
