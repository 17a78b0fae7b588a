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
import { adviceFor, describe } from './errors';
import { endpointOf, MIRO_WINDOW_MS, pacerFor } from './pacing';
import type { RatePacer } from './pacing';
import {
	decideRetry,
	DEFAULT_RETRY_POLICY,
	isContentRefusal,
	networkCode,
	parseRetryAfter,
} from './retry';
import type { AttemptOutcome, AttemptState, RetryPolicy } from './retry';

export const CREDENTIAL_TYPE = 'miroScimApi';
export const DEFAULT_BASE_URL = 'https://miro.com/api/v1/scim';
const SCIM_MEDIA_TYPE = 'application/scim+json';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

export interface ClientSettings {
	retry: RetryPolicy;
	/** Wait for Miro's per-endpoint budget before sending instead of bouncing off 429s. */
	pacing: boolean;
	/**
	 * Let a 429 pause the endpoint for the whole process and lower its allowance (so that
	 * workers share Miro's budget); false keeps the simple per-process pacer.
	 */
	adaptivePacing: boolean;
	windowMs: number;
	timeoutMs: number;
}

export const DEFAULT_CLIENT_SETTINGS: ClientSettings = {
	retry: DEFAULT_RETRY_POLICY,
	pacing: true,
	adaptivePacing: true,
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
	/**
	 * How `recover` found the result instead of a fresh answer: an earlier attempt of this
	 * request did the work (`lostAnswer`), or someone else did (`conflict`).
	 */
	recovered: false | 'lostAnswer' | 'conflict';
}

/** A request ready to send: the HTTP options and the budget it draws on. */
interface Prepared {
	options: IHttpRequestOptions;
	endpoint: string;
	state: AttemptState;
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

function failedStatus(error: unknown): number | undefined {
	const httpCode = (error as { httpCode?: unknown } | undefined)?.httpCode;
	return typeof httpCode === 'string' && /^\d{3}$/.test(httpCode) ? Number(httpCode) : undefined;
}

/** Whether a request failed because its target does not exist (any more). */
export function isNotFound(error: unknown): boolean {
	return failedStatus(error) === 404;
}

/**
 * Whether a request failed because Miro refused what it asked (a 4xx no retry changes), not
 * because of rate limits, outages or the network, which any request would meet alike.
 */
export function isRefusal(error: unknown): boolean {
	return isContentRefusal(failedStatus(error));
}

/**
 * The one door every request to Miro passes: credentials, base URL, content types, pacing,
 * retries and error mapping. One instance lives for one node execution.
 */
export class ScimClient {
	private baseUrl?: string;
	private pacer?: RatePacer;
	/** HTTP requests sent so far, retries and recovery reads included (a sync reports them). */
	sent = 0;

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
		if (this.settings.pacing) {
			const kind = this.settings.adaptivePacing ? 'adaptive' : 'simple';
			this.pacer = pacerFor(this.scopeOf(this.baseUrl), this.settings.windowMs, kind);
		}
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

	/**
	 * Sends `request`, retrying as `decideRetry` says: the decision is that function's, this
	 * loop only waits, looks (`recover`) and sends.
	 */
	async request(request: ScimRequest): Promise<ScimResponse> {
		const prepared = await this.prepare(request);
		const { state } = prepared;
		for (;;) {
			const outcome = await this.send(prepared, request);
			const decision = decideRetry(outcome, state, this.settings.retry);
			if (decision.action === 'answer') {
				return { status: outcome.status as number, body: outcome.body ?? {}, recovered: false };
			}
			if (decision.action === 'retry') {
				state.waitedMs += decision.delayMs;
				state.uncertain = decision.lookFirst;
				await this.wait(decision.delayMs, request);
			}
			const look =
				decision.action === 'retry'
					? decision.lookFirst && 'lostAnswer'
					: decision.action === 'lookThenFail' && decision.found;
			const found = look && request.recover ? await request.recover() : undefined;
			if (found && look) return { status: 200, body: found, recovered: look };
			if (decision.action !== 'retry') throw this.failure(outcome, state.attempt, request);
		}
	}

	private async prepare(request: ScimRequest): Promise<Prepared> {
		const baseUrl = await this.resolveBaseUrl(request.itemIndex);
		const bodyBytes = request.body ? Buffer.byteLength(JSON.stringify(request.body)) : 0;
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
		const state: AttemptState = {
			attempt: 0,
			waitedMs: 0,
			uncertain: false,
			idempotent: request.idempotent ?? request.method !== 'POST',
			canRecover: request.recover !== undefined,
			recoverOnConflict: request.recoverOnConflict === true,
			accept: request.accept ?? [],
			rateLimitsByWait: this.pacer?.boundsRateLimitsByWait ?? false,
		};
		return { options, endpoint: endpointOf(request.method, request.path, bodyBytes), state };
	}

	/** One attempt: waits for the budget, sends, and reads what came back (never throws for HTTP). */
	private async send(
		prepared: Prepared,
		request: ScimRequest,
	): Promise<AttemptOutcome & { error?: unknown }> {
		const { endpoint, options, state } = prepared;
		state.attempt++;
		if (this.pacer) await this.pacer.acquire(endpoint, async (ms) => await this.wait(ms, request));
		try {
			this.sent++;
			const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
				this.ctx,
				CREDENTIAL_TYPE,
				{ ...options },
			)) as { statusCode: number; body: unknown; headers?: IDataObject };
			const status = response.statusCode;
			let holdMs = parseRetryAfter(response.headers?.['retry-after']);
			if (status === 429 && this.pacer) holdMs = this.pacer.rateLimited(endpoint, holdMs) ?? holdMs;
			return { status, body: this.parseBody(response.body), holdMs };
		} catch (error) {
			return { code: networkCode(error), error };
		}
	}

	private failure(
		outcome: AttemptOutcome & { error?: unknown },
		attempts: number,
		request: ScimRequest,
	) {
		return outcome.status !== undefined
			? this.apiError(outcome.status, outcome.body ?? {}, attempts, request)
			: this.networkError(outcome.error, outcome.code, attempts, request);
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
		const advice = adviceFor(status, body, request.body);
		return new NodeApiError(this.ctx.getNode(), body as JsonObject, {
			message: advice.message,
			description: describe(status, body, attempts, request.body),
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
