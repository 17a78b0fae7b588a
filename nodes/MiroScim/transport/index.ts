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
import { adviceFor, describe, redact, redactDeep } from './errors';
import { formsFor, rememberForms, shapeRequest, otherFormsFor } from './forms';
import { endpointOf, MIRO_WINDOW_MS, pacerFor } from './pacing';
import type { PacedEndpoint, Pacing, RatePacer } from './pacing';
import {
	decideRetry,
	DEFAULT_RETRY_POLICY,
	FIRST_ATTEMPT,
	isContentRefusal,
	networkCode,
	nextAttempt,
	parseRetryAfter,
} from './retry';
import type { AttemptOutcome, Recovery, RequestTraits, RetryPolicy } from './retry';

export const CREDENTIAL_TYPE = 'miroScimApi';
export const DEFAULT_BASE_URL = 'https://miro.com/api/v1/scim';
const SCIM_MEDIA_TYPE = 'application/scim+json';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

export interface ClientSettings {
	retry: RetryPolicy;
	/** How requests wait for Miro's per-endpoint budget (see `Pacing`). */
	pacing: Pacing;
	windowMs: number;
	timeoutMs: number;
}

export const DEFAULT_CLIENT_SETTINGS: ClientSettings = {
	retry: DEFAULT_RETRY_POLICY,
	pacing: 'adaptive',
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
	/**
	 * A group read that needs no members: the transport asks for the group without them in the
	 * spelling this server accepts (`forms.ts`), and a list drops members a server sent anyway.
	 */
	omitMembers?: boolean;
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
	recovered: false | Recovery;
}

/** A request that failed for good: what came back last, after how many attempts. */
interface Failed {
	failed: Outcome;
	attempts: number;
}

/** A request ready to send: the HTTP options, the budget it draws on, and what it is. */
interface Prepared {
	options: IHttpRequestOptions;
	endpoint: PacedEndpoint | undefined;
	traits: RequestTraits;
}

type Outcome = AttemptOutcome & { error?: unknown };

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
	/** The credential's token, known only to take it out of what servers say (`redact`). */
	private token?: string;
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
		if (typeof credentials.token === 'string') this.token = credentials.token;
		const checked = checkBaseUrl(credentials.baseUrl);
		if ('problem' in checked) {
			throw new NodeOperationError(this.ctx.getNode(), checked.problem, {
				itemIndex,
				description: 'Fix the Base URL in the Miro SCIM API credential.',
			});
		}
		this.baseUrl = checked.url;
		const { pacing, windowMs } = this.settings;
		if (pacing !== 'off') this.pacer = pacerFor(this.scopeOf(this.baseUrl), windowMs, pacing);
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
	 * Sends `request` in the spellings this server accepts (`forms.ts`): Miro's documented ones
	 * first; after a 400 naming the part, once more in the other spelling, remembered for the
	 * process when it is accepted.
	 */
	async request(request: ScimRequest): Promise<ScimResponse> {
		const scope = await this.scope(request.itemIndex);
		const forms = formsFor(scope);
		const first = await this.exchange({ ...request, ...shapeRequest(request, forms) });
		if (!('failed' in first)) return first;
		const other =
			first.failed.status === undefined
				? undefined
				: otherFormsFor(first.failed.status, first.failed.body, request, forms);
		if (!other) throw this.failure(first.failed, first.attempts, request);
		const second = await this.exchange({ ...request, ...shapeRequest(request, other) });
		if ('failed' in second) throw this.failure(second.failed, second.attempts, request);
		rememberForms(scope, other);
		return second;
	}

	/** Sends, retrying as `decideRetry` says: the decision is that function's, this loop only waits, looks (`recover`) and sends. */
	private async exchange(request: ScimRequest): Promise<ScimResponse | Failed> {
		const prepared = await this.prepare(request);
		let progress = FIRST_ATTEMPT;
		for (;;) {
			const outcome = await this.send(prepared, request);
			const decision = decideRetry(outcome, prepared.traits, progress, this.settings.retry);
			switch (decision.action) {
				case 'answer':
					return { status: outcome.status as number, body: outcome.body ?? {}, recovered: false };
				case 'lookThenFail': {
					const done = await this.recovered(request, decision.recovery);
					return done ?? { failed: outcome, attempts: progress.attempt };
				}
				case 'fail':
					return { failed: outcome, attempts: progress.attempt };
				case 'retry': {
					await this.wait(decision.delayMs, request);
					if (decision.lookFirst) {
						const done = await this.recovered(request, 'lostAnswer');
						if (done) return done;
					}
					progress = nextAttempt(progress, decision);
				}
			}
		}
	}

	/** The result an earlier attempt (or someone else) already made, if `recover` finds one. */
	private async recovered(
		request: ScimRequest,
		recovery: Recovery,
	): Promise<ScimResponse | undefined> {
		const found = request.recover ? await request.recover() : undefined;
		return found ? { status: 200, body: found, recovered: recovery } : undefined;
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
		const traits: RequestTraits = {
			idempotent: request.idempotent ?? request.method !== 'POST',
			canRecover: request.recover !== undefined,
			recoverOnConflict: request.recoverOnConflict === true,
			accept: request.accept ?? [],
			pacing: this.settings.pacing,
		};
		return { options, endpoint: endpointOf(request.method, request.path, bodyBytes), traits };
	}

	/** One attempt: waits for the budget, sends, and reads what came back (never throws for HTTP). */
	private async send(prepared: Prepared, request: ScimRequest): Promise<Outcome> {
		const { endpoint, options } = prepared;
		const pacer = endpoint && this.pacer;
		const booking = pacer
			? await pacer.acquire(endpoint, async (ms) => await this.wait(ms, request))
			: undefined;
		try {
			this.sent++;
			const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
				this.ctx,
				CREDENTIAL_TYPE,
				{ ...options },
			)) as { statusCode: number; body: unknown; headers?: IDataObject };
			const status = response.statusCode;
			let holdMs = parseRetryAfter(response.headers?.['retry-after']);
			if (pacer) holdMs = pacer.answered(endpoint, status, holdMs, booking) ?? holdMs;
			const body = this.parseBody(response.body);
			// An error's words are the server's: never let them carry our own credential onward.
			return { status, body: status >= 400 ? redactDeep(body, this.token) : body, holdMs };
		} catch (error) {
			if (pacer) pacer.released(endpoint);
			return { code: networkCode(error), error };
		}
	}

	private failure(outcome: Outcome, attempts: number, request: ScimRequest) {
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
		options: { limit?: number; itemIndex?: number; omitMembers?: boolean } = {},
	): Promise<IDataObject[]> {
		const { limit, itemIndex, omitMembers } = options;
		const resources: IDataObject[] = [];
		let startIndex: number | undefined = 1;
		while (startIndex !== undefined) {
			const count = pageSize(limit === undefined ? undefined : limit - resources.length);
			const response = await this.request({
				method: 'GET',
				path,
				qs: { ...qs, startIndex, count },
				omitMembers,
				accept: [404],
				itemIndex,
			});
			if (response.status === 404) break;
			const page = response.body as ListPage<IDataObject>;
			// A server that ignores the projection sends every member: drop them page by page.
			resources.push(...(page.Resources ?? []).map((r) => (omitMembers ? withoutMembers(r) : r)));
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
			code ?? redact((error as Error | undefined)?.message ?? 'unknown error', this.token);
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

function withoutMembers(resource: IDataObject): IDataObject {
	if (!('members' in resource)) return resource;
	const rest = { ...resource };
	delete rest.members;
	return rest;
}
