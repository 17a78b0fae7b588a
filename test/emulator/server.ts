/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- n8n's community-node rules guard shipped node code; this dev/test tool is never shipped */
/**
 * A local Miro SCIM 2.0 service on node:http for tests and demos (never shipped). It follows
 * docs/miro-scim-api.md: Miro's endpoints, errors, limits and quirks, RFC 7644 where Miro says
 * nothing.
 *
 * Request pipeline, in this order: inspection routes (/_emulator/..., no auth, not logged) ->
 * log entry -> 401 -> 404/405 -> 415 -> 413 (body cap) -> Miro rate limit (429) -> injected
 * fault (429/503/drop) -> handler -> optional latency -> answer (or a destroyed socket).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { Clock, type ClockChange } from './clock';
import { resourceTypes, schemas, serviceProviderConfig } from './discovery';
import { type FaultOptions, FaultInjector } from './faults';
import { OtherClient, type OtherClientOptions } from './otherClient';
import { evaluate, type FilterNode } from './filter';
import {
	compareKeys,
	isExcluded,
	type ListQuery,
	listResponse,
	MAX_COUNT,
	parseListQuery,
	parseProjection,
	type Projection,
	project,
	sortKey,
} from './list';
import { patchGroup, patchUser } from './patch';
import { matchRoute, type Row } from './router';
import { ignoring, type Quirks, quirkRefusal } from './quirks';
import { checkRequest, checkResponse, scimPathOf, type Violation } from '../contract/contract';
import { recordViolations } from '../contract/recorder';
import { unlisted } from '../contract/departures';
import {
	type Endpoint,
	groupPatchEndpoint,
	MIRO_RATE_LIMITS,
	MIRO_WINDOW_MS,
	SlidingWindowLimiter,
} from './rateLimit';
import {
	ENTERPRISE_SCHEMA,
	type EnterpriseUser,
	ScimError,
	type ScimGroup,
	type ScimName,
	type ScimPhoto,
	type ScimUser,
	type UserType,
} from './scim';
import {
	checkGroupFilter,
	checkUserFilter,
	DEFAULT_TEAM,
	type GroupModel,
	type GroupRecord,
	Store,
} from './store';
import { licenseOrder, type UserRecord } from './user';
import { createUserGroup } from './userGroups';

export type { ClockChange, ClockState } from './clock';
export type { FaultOptions } from './faults';
export type { OtherClientOptions } from './otherClient';
export type { Quirks } from './quirks';
export type { GroupModel } from './store';
export type { ScimGroup, ScimMember, ScimRole, ScimUser, UserType } from './scim';
export { MIRO_RATE_LIMITS } from './rateLimit';

export const DEFAULT_TOKEN = 'emulator-token';
export const DEFAULT_BASE_PATH = '/api/v1/scim';
export const DEFAULT_SEED_TEAMS = [
	'Engineering',
	'IT Administration',
	'g_app_proeng_all',
	'g_app_itadmin_all',
	'Marketing',
];

/** Miro's documented ceiling for one group PATCH body. */
export const MAX_GROUP_PATCH_BYTES = 800_000;
/** Any larger body is refused before parsing, whatever the endpoint. */
const MAX_BODY_BYTES = 4_000_000;

export interface EmulatorOptions {
	/** 0 = random free port (default) */
	port?: number;
	/** default '127.0.0.1' */
	host?: string;
	/** Bearer token accepted (default 'emulator-token') */
	token?: string;
	/** default '/api/v1/scim' */
	basePath?: string;
	/** enforce Miro's per-endpoint limits (default true) */
	rateLimits?: boolean;
	/** window length multiplier: 0.01 turns Miro's 30 s window into 300 ms (default 1) */
	timeScale?: number;
	/** added to every response (default 0) */
	latencyMs?: number;
	/** injected 429 / 503 / dropped connections, deterministic from `seed` */
	faults?: FaultOptions;
	/**
	 * A second client (another IdP app) that takes a set share of every endpoint's budget,
	 * steadily and in bursts, from the moment the emulator starts (otherClient.ts).
	 */
	otherClient?: OtherClientOptions;
	/**
	 * What a SCIM Group is (default 'team'). 'team': Miro's older model, POST /Groups and
	 * DELETE /Groups/{id} answer 405 and new users join 'Default Team'. 'user-group': Miro's
	 * newer model, groups are created and deleted through SCIM and there is no default team.
	 */
	groupModel?: GroupModel;
	/** teams besides 'Default Team' (created first on the team model only) */
	seedTeams?: string[];
	/**
	 * The organization's licenses, lowest first (default: all of Free Restricted, Free, Basic,
	 * Standard, Advanced, Full). A PATCH may move a user up this list, never down (400).
	 */
	userTypes?: string[];
	/** the emulator's time at start, ISO 8601 (default: real time); see `Emulator.clock` */
	now?: string;
	/** N generated users user1@example.com ... userN@example.com (default 0) */
	seedUsers?: number;
	/** spread the generated users round robin over N teams g_app_team01 ... (default 0) */
	seedUserTeams?: number;
	/**
	 * Seed admin@example.com as ORGANIZATION_INTERNAL_ADMIN and admin of 'Default Team' (default
	 * true), so the last-admin rules are testable. User lists then hold one user before any POST.
	 */
	seedAdmin?: boolean;
	/** largest page a list returns (default 1000, Miro's documented maximum `count`) */
	maxPageSize?: number;
	/**
	 * Send Retry-After on rate-limit 429s (default false: Miro documents none). The value is the
	 * time until the window frees a slot, formatted like injected ones.
	 */
	retryAfterOnRateLimit?: boolean;
	/** Refuse or ignore request forms, echo the Authorization header in errors (./quirks.ts). */
	quirks?: Quirks;
	/**
	 * Check every SCIM request and answer against Miro's description (test/contract):
	 * violations not on test/contract/departures.ts collect in `contractViolations` (and
	 * `GET /_emulator/contract`), and fail the vitest test that caused them.
	 */
	contract?: boolean;
}

export interface LogEntry {
	method: string;
	/** full request path, base path included, e.g. '/api/v1/scim/Users' */
	path: string;
	query: Record<string, string>;
	/** parsed JSON body, the raw text when it is not JSON, undefined when empty */
	body: unknown;
	status: number;
	/** Date.now() when the request arrived */
	at: number;
	/** rate-limit bucket, e.g. 'PATCH /Users/{id}' */
	endpoint?: Endpoint;
	/**
	 * 'rateLimited', 'injected429', 'injected503', 'dropped', and for group PATCHes that wipe
	 * membership 'replaceMembers' / 'removeAllMembers'.
	 */
	flags?: string[];
}

export interface EmulatorState {
	users(): ScimUser[];
	groups(): ScimGroup[];
	/** case-insensitive, as Miro compares userNames */
	userByName(userName: string): ScimUser | undefined;
	/** exact displayName */
	groupByName(name: string): ScimGroup | undefined;
}

/** A POST /Users body; see the reference for what Miro accepts. */
export interface NewUser {
	userName: string;
	externalId?: string;
	name?: ScimName;
	displayName?: string;
	userType?: string;
	active?: boolean;
	preferredLanguage?: string;
	photos?: ScimPhoto[];
	roles?: Array<{ type?: string; value: string; primary?: boolean; display?: string }>;
	[ENTERPRISE_SCHEMA]?: EnterpriseUser;
}

export interface NewGroupOptions {
	memberIds?: string[];
	/** team admins (also made members): the last one cannot be removed by a PATCH */
	adminIds?: string[];
}

export interface Emulator {
	/** SCIM base URL, e.g. http://127.0.0.1:PORT/api/v1/scim */
	url: string;
	token: string;
	/** every SCIM request in arrival order, rejected ones included (not /_emulator routes) */
	log: LogEntry[];
	state: EmulatorState;
	/** direct seeding: bypasses limits, faults and the log; joins 'Default Team' like a POST */
	addUser(partial: NewUser): ScimUser;
	addGroup(displayName: string, options?: NewGroupOptions): ScimGroup;
	/** replaces the fault options and restarts the fault PRNG */
	setFaults(faults: FaultOptions): void;
	setQuirks(quirks: Quirks): void;
	/** contract mode: what departed from Miro's description, requests and answers */
	contractViolations: Violation[];
	/** empties `log` in place (the array keeps its identity) */
	resetLog(): void;
	/**
	 * back to the seeded state: users, groups, log, rate-limit windows and the fault PRNG; with
	 * `groupModel`, seeded on that model from now on
	 */
	reset(options?: { groupModel?: GroupModel }): void;
	/** accepts a new token and refuses the old one, as regenerating it in Miro does */
	setToken(token: string): void;
	/** the time meta.created / meta.lastModified read: set or advance it (reset() leaves it) */
	clock: Clock;
	close(): Promise<void>;
}

interface Reply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	contentType?: string;
}

interface RawBody {
	text: string;
	bytes: number;
	tooLarge: boolean;
}

/** A matched request, its rate-limit class known, waiting for its parsed body. */
interface Route {
	endpoint?: Endpoint;
	handle: (body: unknown, entry: LogEntry) => Reply;
}

/** What a route's handler reads; `id` is the decoded `:id` segment ('' on collections). */
interface RouteRequest {
	id: string;
	query: Record<string, string>;
	raw: RawBody;
	body: unknown;
	entry: LogEntry;
}

type Handler = (request: RouteRequest) => Reply;

const ACCEPTED_MEDIA_TYPES = ['application/scim+json', 'application/json'];

function readBody(req: http.IncomingMessage): Promise<RawBody> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let bytes = 0;
		req.on('data', (chunk: Buffer) => {
			bytes += chunk.length;
			if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
		});
		req.on('end', () => {
			const tooLarge = bytes > MAX_BODY_BYTES;
			resolve({ text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), bytes, tooLarge });
		});
		req.on('error', reject);
	});
}

function ok(body: unknown): Reply {
	return { status: 200, body };
}

/** A discovery collection, all on one page. */
function all(items: Array<Record<string, unknown>>): Reply {
	return ok(listResponse(items, items.length, 1));
}

/** A discovery item by id (case-insensitive, as schema URNs are). */
function one(items: Array<Record<string, unknown>>, what: string, id: string): Reply {
	const item = items.find((candidate) => String(candidate.id).toLowerCase() === id.toLowerCase());
	if (!item) throw new ScimError(404, undefined, `${what} ${id} not found`);
	return ok(item);
}

function urlHost(host: string): string {
	if (host === '0.0.0.0') return '127.0.0.1';
	if (host === '::') return '[::1]';
	return host.includes(':') ? `[${host}]` : host;
}

class MiroScimEmulator implements Emulator {
	url = '';
	token: string;
	readonly log: LogEntry[] = [];
	readonly state: EmulatorState;

	private readonly server: http.Server;
	private readonly basePath: string;
	private readonly timeScale: number;
	private store!: Store;
	private readonly limiter: SlidingWindowLimiter;
	private readonly faults: FaultInjector;
	private otherClient?: OtherClient;
	private otherClientStartedAt?: number;
	private quirks: Quirks;
	private readonly timers = new Set<NodeJS.Timeout>();
	private listCache: { key: string; version: number; items: unknown[] } | undefined;
	groupModel: GroupModel;
	readonly clock: Clock;
	private readonly userTypes: UserType[] | undefined;

	constructor(private readonly options: EmulatorOptions) {
		this.token = options.token ?? DEFAULT_TOKEN;
		const base = `/${(options.basePath ?? DEFAULT_BASE_PATH).replace(/^\/+|\/+$/g, '')}`;
		this.basePath = base === '/' ? '' : base;
		this.timeScale = options.timeScale ?? 1;
		this.groupModel = checkGroupModel(options.groupModel ?? 'team');
		this.clock = new Clock(options.now);
		// Checked before listening, so that a bad option leaves no server behind.
		this.userTypes = licenseOrder(options.userTypes);
		if (!(this.timeScale > 0)) throw new RangeError('timeScale must be a positive number');
		this.limiter = this.makeLimiter(options.otherClient);
		this.faults = new FaultInjector(options.faults, this.timeScale);
		this.quirks = options.quirks ?? {};
		this.server = http.createServer((req, res) => {
			this.onRequest(req, res).catch(() => res.destroy());
		});
		this.state = {
			users: () => this.store.userRecords().map((user) => this.store.renderUser(user)),
			groups: () => this.store.groupRecords().map((group) => this.store.renderGroup(group)),
			userByName: (userName) => {
				const user = this.store.findUserByName(userName);
				return user && this.store.renderUser(user);
			},
			groupByName: (name) => {
				const group = this.store.groupRecords().find((g) => g.displayName === name);
				return group && this.store.renderGroup(group);
			},
		};
	}

	async listen(): Promise<void> {
		const host = this.options.host ?? '127.0.0.1';
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.options.port ?? 0, host, () => {
				this.server.off('error', reject);
				resolve();
			});
		});
		const { port } = this.server.address() as AddressInfo;
		this.url = `http://${urlHost(host)}:${port}${this.basePath}`;
		this.store = new Store({
			baseUrl: this.url,
			teams: this.options.seedTeams ?? DEFAULT_SEED_TEAMS,
			groupModel: this.groupModel,
			seedAdmin: this.options.seedAdmin ?? true,
			seedUsers: this.options.seedUsers ?? 0,
			seedUserTeams: this.options.seedUserTeams ?? 0,
			clock: this.clock,
			userTypes: this.userTypes,
		});
	}

	addUser(partial: NewUser): ScimUser {
		return this.store.renderUser(this.store.createUser(partial));
	}

	addGroup(displayName: string, options: NewGroupOptions = {}): ScimGroup {
		return this.store.renderGroup(this.store.createGroup(displayName, options));
	}

	/** Starts its clock now: `startedAt` (epoch ms) maps the log's times onto it. */
	private makeLimiter(other: OtherClientOptions | undefined): SlidingWindowLimiter {
		const windowMs = MIRO_WINDOW_MS * this.timeScale;
		if (!other) return new SlidingWindowLimiter(windowMs);
		this.otherClient = new OtherClient(other, windowMs, this.timeScale);
		const origin = performance.now();
		this.otherClientStartedAt = Date.now();
		const client = this.otherClient;
		return new SlidingWindowLimiter(windowMs, MIRO_RATE_LIMITS, undefined, (_, limit, now) =>
			client.inWindow(limit, now - origin),
		);
	}

	setFaults(faults: FaultOptions): void {
		this.faults.set(faults);
	}

	contractViolations: Violation[] = [];

	setQuirks(quirks: Quirks): void {
		this.quirks = quirks;
	}

	private checkContract(req: http.IncomingMessage, entry: LogEntry, reply: Reply): void {
		const scimPath = scimPathOf(entry.path);
		if (!this.options.contract || !scimPath || reply.status === 401) return;
		const request = { method: entry.method, path: scimPath };
		const found = unlisted([
			...checkRequest({
				...request,
				query: entry.query,
				contentType: req.headers['content-type'],
				body: entry.body,
			}),
			...checkResponse(request, {
				status: reply.status,
				contentType: reply.contentType ?? 'application/scim+json',
				body: reply.body,
			}),
		]);
		this.contractViolations.push(...found);
		recordViolations(found);
	}

	resetLog(): void {
		this.log.length = 0;
	}

	reset(options: { groupModel?: GroupModel } = {}): void {
		if (options.groupModel !== undefined) this.groupModel = checkGroupModel(options.groupModel);
		this.store.reset(this.groupModel);
		this.resetLog();
		this.limiter.reset();
		this.faults.set(this.faults.current);
		this.listCache = undefined;
	}

	setToken(token: string): void {
		this.token = token;
	}

	async close(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		// Keep-alive sockets would hold server.close() open; tests must not wait on them.
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private delay(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}

	private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://emulator');
		if (url.pathname === '/_emulator' || url.pathname.startsWith('/_emulator/')) {
			return this.inspect(req, res, url);
		}
		// URLSearchParams reads '+' as a space, as servers do: a client must encode '+' in emails.
		const query = Object.fromEntries(url.searchParams);
		const entry: LogEntry = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query,
			body: undefined,
			status: 0,
			at: Date.now(),
		};
		this.log.push(entry);
		const raw = await readBody(req);
		let parsed: unknown;
		let parseError = false;
		if (raw.text.trim() !== '') {
			try {
				parsed = JSON.parse(raw.text);
			} catch {
				parseError = true;
				parsed = raw.text;
			}
		}
		entry.body = parsed;
		let drop = false;
		let reply: Reply;
		try {
			const route = this.route(req, url.pathname, ignoring(this.quirks, query), raw);
			if (route.endpoint) entry.endpoint = route.endpoint;
			this.checkLimits(route, entry);
			const fault = this.faults.next();
			if (fault.kind === '429') {
				// A 429 is a refusal: like Miro's own, it leaves the window's count as it was.
				if (route.endpoint && this.options.rateLimits !== false)
					this.limiter.release(route.endpoint);
				flag(entry, 'injected429');
				const headers: Record<string, string> = fault.retryAfter
					? { 'Retry-After': fault.retryAfter }
					: {};
				throw new ScimError(429, undefined, 'Too many requests (injected fault)', headers);
			}
			if (fault.kind === '503') {
				flag(entry, 'injected503');
				throw new ScimError(503, undefined, 'Service unavailable (injected fault)');
			}
			drop = fault.kind === 'drop';
			if (parseError) throw new ScimError(400, 'invalidSyntax', 'Body is not valid JSON');
			const refusal = quirkRefusal(this.quirks, query, parsed);
			if (refusal) throw refusal;
			reply = route.handle(parsed, entry);
		} catch (error) {
			reply = errorReply(error);
			if (this.quirks.echoAuthorization) echoAuthorization(reply, req);
		}
		this.checkContract(req, entry, reply);
		entry.status = reply.status;
		if (this.options.latencyMs) await this.delay(this.options.latencyMs);
		if (drop) {
			flag(entry, 'dropped');
			req.socket.destroy();
			return;
		}
		send(res, reply);
	}

	private checkLimits(route: Route, entry: LogEntry): void {
		if (!route.endpoint || this.options.rateLimits === false) return;
		const decision = this.limiter.take(route.endpoint);
		if (decision.allowed) return;
		flag(entry, 'rateLimited');
		const headers: Record<string, string> = {};
		if (this.options.retryAfterOnRateLimit) {
			const seconds = decision.retryAfterMs / 1000;
			headers['Retry-After'] =
				this.timeScale >= 1
					? String(Math.max(1, Math.ceil(seconds)))
					: String(Number(seconds.toFixed(3)));
		}
		const limit = MIRO_RATE_LIMITS[route.endpoint];
		const window = (MIRO_WINDOW_MS * this.timeScale) / 1000;
		throw new ScimError(
			429,
			undefined,
			`Rate limit exceeded: ${route.endpoint} allows ${limit} requests per ${window} s`,
			headers,
		);
	}

	private route(
		req: http.IncomingMessage,
		pathname: string,
		query: Record<string, string>,
		raw: RawBody,
	): Route {
		if (pathname !== this.basePath && !pathname.startsWith(`${this.basePath}/`)) {
			throw new ScimError(404, undefined, `No SCIM endpoint at ${pathname}`);
		}
		const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
		if (!match || match[1] !== this.token) {
			throw new ScimError(401, undefined, 'Missing or invalid bearer token', {
				'WWW-Authenticate': 'Bearer',
			});
		}
		const method = (req.method ?? 'GET').toUpperCase();
		let segments: string[];
		try {
			segments = pathname
				.slice(this.basePath.length)
				.split('/')
				.filter((s) => s !== '')
				.map(decodeURIComponent);
		} catch {
			throw new ScimError(404, undefined, `No SCIM endpoint at ${pathname}`);
		}
		const { route, params } = matchRoute(this.routes, method, segments, this.groupModel);
		const endpoint =
			typeof route.endpoint === 'function' ? route.endpoint(raw.bytes) : route.endpoint;
		if (['POST', 'PUT', 'PATCH'].includes(method) && raw.bytes > 0) {
			const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
			if (!ACCEPTED_MEDIA_TYPES.includes(mediaType)) {
				throw new ScimError(
					415,
					undefined,
					`Content-Type must be application/scim+json or application/json, got "${mediaType}"`,
				);
			}
		}
		if (raw.tooLarge)
			throw new ScimError(413, undefined, `Body larger than ${MAX_BODY_BYTES} bytes`);
		return {
			endpoint,
			handle: (body, entry) => route.handle({ id: params.id ?? '', query, raw, body, entry }),
		};
	}

	/** Miro's SCIM endpoints, one row per method and path; router.ts matches a request to one. */
	private readonly routes: ReadonlyArray<Row<Handler>> = [
		{
			method: 'GET',
			path: ['Users'],
			endpoint: 'GET /Users',
			handle: (r) => this.listUsers(r.query),
		},
		{
			method: 'POST',
			path: ['Users'],
			endpoint: 'POST /Users',
			handle: (r) => this.createUser(r.body),
		},
		{
			method: 'GET',
			path: ['Users', ':id'],
			endpoint: 'GET /Users/{id}',
			handle: (r) => this.userReply(this.store.requireUser(r.id), r.query),
		},
		{
			method: 'PUT',
			path: ['Users', ':id'],
			endpoint: 'PUT /Users/{id}',
			handle: (r) => this.userReply(this.store.replaceUser(r.id, r.body), r.query),
		},
		{
			method: 'PATCH',
			path: ['Users', ':id'],
			endpoint: 'PATCH /Users/{id}',
			handle: (r) => this.userReply(patchUser(this.store, r.id, r.body), r.query),
		},
		{
			method: 'DELETE',
			path: ['Users', ':id'],
			endpoint: 'DELETE /Users/{id}',
			handle: (r) => {
				this.store.deleteUser(r.id);
				return { status: 204 };
			},
		},
		{
			method: 'GET',
			path: ['Groups'],
			endpoint: 'GET /Groups',
			handle: (r) => this.listGroups(r.query),
		},
		{
			method: 'POST',
			path: ['Groups'],
			model: 'user-group',
			endpoint: 'POST /Groups',
			handle: (r) => this.createGroup(r.body, r.raw),
		},
		// Miro's team model: teams are created in Miro or the REST Teams API, then linked by name.
		{
			method: 'POST',
			path: ['Groups'],
			model: 'team',
			refused:
				'POST /Groups is not supported: this organization maps SCIM groups to Miro teams, which cannot be created through SCIM',
		},
		{
			method: 'GET',
			path: ['Groups', ':id'],
			endpoint: 'GET /Groups/{id}',
			handle: (r) => this.groupReply(this.store.requireGroup(r.id), parseProjection(r.query)),
		},
		{
			method: 'PATCH',
			path: ['Groups', ':id'],
			endpoint: groupPatchEndpoint,
			handle: (r) => this.patchGroup(r),
		},
		{
			method: 'DELETE',
			path: ['Groups', ':id'],
			model: 'user-group',
			endpoint: 'DELETE /Groups/{id}',
			handle: (r) => {
				this.store.deleteGroup(r.id);
				return { status: 204 };
			},
		},
		{
			method: 'DELETE',
			path: ['Groups', ':id'],
			model: 'team',
			refused:
				'DELETE /Groups/{id} is not supported: this organization maps SCIM groups to Miro teams, which cannot be deleted through SCIM',
		},
		{
			method: 'PUT',
			path: ['Groups', ':id'],
			refused: 'PUT is not supported on /Groups/{id}: use PATCH',
		},
		// Discovery (RFC 7644 section 4) counts against no rate limit.
		{
			method: 'GET',
			path: ['ServiceProviderConfig'],
			handle: () => ok(serviceProviderConfig(this.url)),
		},
		{ method: 'GET', path: ['ResourceTypes'], handle: () => all(resourceTypes(this.url)) },
		{
			method: 'GET',
			path: ['ResourceTypes', ':id'],
			handle: (r) => one(resourceTypes(this.url), 'ResourceType', r.id),
		},
		{ method: 'GET', path: ['Schemas'], handle: () => all(schemas(this.url)) },
		{
			method: 'GET',
			path: ['Schemas', ':id'],
			handle: (r) => one(schemas(this.url), 'Schema', r.id),
		},
	];

	private userReply(user: UserRecord, query: Record<string, string>): Reply {
		return { status: 200, body: project(this.store.renderUser(user), parseProjection(query)) };
	}

	private createUser(body: unknown): Reply {
		const user = this.store.createUser(body);
		const scim = this.store.renderUser(user);
		return { status: 201, body: scim, headers: { Location: scim.meta.location } };
	}

	private createGroup(body: unknown, raw: RawBody): Reply {
		const scim = this.store.renderGroup(createUserGroup(this.store, body, raw.bytes));
		return { status: 201, body: scim, headers: { Location: scim.meta.location } };
	}

	/** One cached result per (filter, sort): paging through 100,000 users filters once. */
	private select<T>(
		kind: string,
		query: ListQuery,
		all: () => T[],
		resolve: (item: T, path: NonNullable<ListQuery['sortBy']>) => unknown,
		fast?: (filter: FilterNode) => T[] | undefined,
	): T[] {
		const key = JSON.stringify([kind, query.filter, query.sortBy, query.descending]);
		if (this.listCache?.key === key && this.listCache.version === this.store.version) {
			return this.listCache.items as T[];
		}
		let items: T[];
		const filter = query.filter;
		if (!filter) items = all();
		else {
			items =
				fast?.(filter) ??
				all().filter((item) =>
					evaluate(filter, item, resolve, {
						caseExact: (path) => path.attr.toLowerCase() === 'externalid',
					}),
				);
		}
		const sortBy = query.sortBy;
		if (sortBy) {
			const keyed = items.map((item) => ({ item, key: sortKey(resolve(item, sortBy)) }));
			keyed.sort((a, b) => compareKeys(a.key, b.key));
			if (query.descending) keyed.reverse();
			items = keyed.map((entry) => entry.item);
		}
		this.listCache = { key, version: this.store.version, items };
		return items;
	}

	private page<T>(items: T[], query: ListQuery, render: (item: T) => unknown): Reply {
		const start = query.startIndex - 1;
		const resources = items.slice(start, start + query.count).map(render);
		return { status: 200, body: listResponse(resources, items.length, query.startIndex) };
	}

	private listUsers(query: Record<string, string>): Reply {
		const list = parseListQuery(query, this.options.maxPageSize ?? MAX_COUNT);
		if (list.filter) checkUserFilter(list.filter);
		const projection = parseProjection(query);
		// The IdPs' lookup `userName eq "x"` goes through the index, not a scan.
		const fast = (filter: FilterNode): UserRecord[] | undefined => {
			if (filter.type !== 'compare' || filter.op !== 'eq' || filter.value.kind !== 'string')
				return undefined;
			if (filter.path.attr.toLowerCase() !== 'username' || filter.path.sub) return undefined;
			if (
				filter.path.uri &&
				filter.path.uri.toLowerCase() !== 'urn:ietf:params:scim:schemas:core:2.0:user'
			) {
				return undefined;
			}
			const user = this.store.findUserByName(filter.value.value);
			return user ? [user] : [];
		};
		const users = this.select(
			'Users',
			list,
			() => this.store.userRecords(),
			this.store.resolveUser,
			fast,
		);
		return this.page(users, list, (user) => project(this.store.renderUser(user), projection));
	}

	private listGroups(query: Record<string, string>): Reply {
		const list = parseListQuery(query, this.options.maxPageSize ?? MAX_COUNT);
		if (list.filter) checkGroupFilter(list.filter);
		const projection = parseProjection(query);
		const members = !isExcluded(projection, 'members');
		const groups = this.select(
			'Groups',
			list,
			() => this.store.groupRecords(),
			this.store.resolveGroup,
		);
		return this.page(groups, list, (group) =>
			project(this.store.renderGroup(group, members), projection),
		);
	}

	private groupReply(group: GroupRecord, projection: Projection): Reply {
		const members = !isExcluded(projection, 'members');
		return { status: 200, body: project(this.store.renderGroup(group, members), projection) };
	}

	private patchGroup({ id, query, raw, body, entry }: RouteRequest): Reply {
		const projection = parseProjection(query);
		this.store.requireGroup(id);
		if (raw.bytes > MAX_GROUP_PATCH_BYTES) {
			throw new ScimError(
				413,
				undefined,
				`A group PATCH body may be at most ${MAX_GROUP_PATCH_BYTES} bytes`,
			);
		}
		const result = patchGroup(this.store, id, body);
		for (const name of result.flags) flag(entry, name);
		return this.groupReply(result.group, projection);
	}

	/**
	 * The inspection routes by "METHOD path": plain JSON, no auth, not logged. `body()` is the
	 * request's JSON ({} when empty).
	 */
	private readonly inspections: Record<
		string,
		(url: URL, body: () => unknown) => [number, unknown?]
	> = {
		'GET /_emulator/state': (url) => [200, this.inspectState(url)],
		'GET /_emulator/log': () => [200, this.log],
		'DELETE /_emulator/log': () => {
			this.resetLog();
			return [204];
		},
		'POST /_emulator/reset': (_, body) => {
			this.reset(body() as { groupModel?: GroupModel });
			return [200, { counts: this.store.counts() }];
		},
		'GET /_emulator/other-client': () => [
			200,
			{
				options: this.otherClient?.options ?? null,
				startedAt: this.otherClientStartedAt ?? null,
				windowMs: MIRO_WINDOW_MS * this.timeScale,
			},
		],
		'GET /_emulator/clock': () => [200, this.clock.state()],
		'POST /_emulator/clock': (_, body) => {
			this.clock.change(body() as ClockChange);
			return [200, this.clock.state()];
		},
		'GET /_emulator/faults': () => [200, this.faults.current],
		'POST /_emulator/faults': (_, body) => {
			this.setFaults(body() as FaultOptions);
			return [200, this.faults.current];
		},
		'GET /_emulator/contract': () => [200, { violations: this.contractViolations }],
		'POST /_emulator/quirks': (_, body) => {
			this.setQuirks(body() as Quirks);
			return [200, this.quirks];
		},
	};

	private inspectState(url: URL): unknown {
		const counts = this.store.counts();
		if (url.searchParams.get('summary') === 'true') return { counts, groupModel: this.groupModel };
		return {
			counts,
			groupModel: this.groupModel,
			users: this.state.users(),
			groups: this.state.groups(),
		};
	}

	private async inspect(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		url: URL,
	): Promise<void> {
		const raw = await readBody(req);
		const method = (req.method ?? 'GET').toUpperCase();
		const json = (status: number, body?: unknown) =>
			send(res, { status, body, contentType: 'application/json' });
		const key = `${method} ${url.pathname.replace(/\/+$/, '')}`;
		if (!Object.hasOwn(this.inspections, key)) {
			return json(404, { error: `No inspection route ${key}` });
		}
		try {
			const [status, body] = this.inspections[key](url, () =>
				raw.text.trim() === '' ? {} : JSON.parse(raw.text),
			);
			json(status, body);
		} catch (error) {
			json(400, { error: (error as Error).message });
		}
	}
}

function checkGroupModel(model: GroupModel): GroupModel {
	if (model !== 'team' && model !== 'user-group') {
		throw new RangeError("groupModel must be 'team' or 'user-group'");
	}
	return model;
}

function flag(entry: LogEntry, name: string): void {
	(entry.flags ??= []).push(name);
}

/** A careless proxy's error: the caller's Authorization header repeated in the detail. */
function echoAuthorization(reply: Reply, req: http.IncomingMessage): void {
	const body = reply.body as Record<string, unknown> | undefined;
	if (body && typeof body.detail === 'string') {
		body.detail = `${body.detail} (request had Authorization: ${req.headers.authorization ?? ''})`;
	}
}

function errorReply(error: unknown): Reply {
	if (error instanceof ScimError) {
		return { status: error.status, body: error.toBody(), headers: error.headers };
	}
	const detail = error instanceof Error ? error.message : String(error);
	return { status: 500, body: new ScimError(500, undefined, `Emulator error: ${detail}`).toBody() };
}

function send(res: http.ServerResponse, reply: Reply): void {
	if (res.destroyed) return;
	const headers: Record<string, string | number> = { ...reply.headers };
	if (reply.body === undefined) {
		res.writeHead(reply.status, headers);
		res.end();
		return;
	}
	const text = JSON.stringify(reply.body);
	headers['Content-Type'] = reply.contentType ?? 'application/scim+json';
	headers['Content-Length'] = Buffer.byteLength(text);
	res.writeHead(reply.status, headers);
	res.end(text);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const emulator = new MiroScimEmulator(options);
	await emulator.listen();
	return emulator;
}

export { DEFAULT_TEAM };
