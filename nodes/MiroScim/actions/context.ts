import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';

import { eq } from '../scim/filter';
import type { ListPage } from '../scim/paging';
import { patchOp } from '../scim/patch';
import type { PatchOperation } from '../scim/patch';
import { simplifyUser } from '../scim/user';
import type { ScimUser } from '../scim/user';
import { DEFAULT_CLIENT_SETTINGS, isNotFound, ScimClient } from '../transport';
import { groupDirectoryFor } from '../transport/directory';
import type { GroupDirectory } from '../transport/directory';
import type { ClientSettings } from '../transport';
import { isPacing, PACINGS } from '../transport/pacing';
import type { Pacing } from '../transport/pacing';
import { DEFAULT_RETRY_POLICY } from '../transport/retry';
import { fieldError, requireEmail, requireId, requireText } from './validation';

export interface RunOptions {
	concurrency?: number;
	/** `Pacing`; `true`/`false` in workflows saved before it had three values. */
	pacing?: Pacing | boolean;
	/** Saved before Pacing had three values: `false` meant the simple pacer. */
	adaptivePacing?: boolean;
	maxAttempts?: number;
	maxWaitSeconds?: number;
	initialBackoffMs?: number;
	rateWindowSeconds?: number;
	timeoutSeconds?: number;
	mergeMemberChanges?: boolean;
}

// At Miro's ~0.3-0.5 s per call, 10 items in flight keep a create (lookup + POST) within reach of
// the 200-per-30-s budget; pacing keeps more from turning into 429s.
export const DEFAULT_CONCURRENCY = 10;

/**
 * The Pacing a saved node asks for. Workflows saved before Pacing had three values hold two
 * booleans, `pacing` (off when false) and `adaptivePacing` (simple when false), and keep
 * behaving as they did; undefined when the value is none of these.
 */
export function pacingOf(
	options: Pick<RunOptions, 'pacing' | 'adaptivePacing'>,
): Pacing | undefined {
	const { pacing, adaptivePacing } = options;
	if (pacing === false) return 'off';
	if (pacing === undefined || pacing === true) {
		return adaptivePacing === false ? 'simple' : DEFAULT_CLIENT_SETTINGS.pacing;
	}
	return isPacing(pacing) ? pacing : undefined;
}

export function settingsFrom(options: RunOptions): ClientSettings {
	const defaults = DEFAULT_CLIENT_SETTINGS;
	return {
		pacing: pacingOf(options) ?? defaults.pacing,
		windowMs:
			options.rateWindowSeconds !== undefined && options.rateWindowSeconds > 0
				? Math.round(options.rateWindowSeconds * 1000)
				: defaults.windowMs,
		timeoutMs: options.timeoutSeconds
			? Math.round(options.timeoutSeconds * 1000)
			: defaults.timeoutMs,
		retry: {
			...DEFAULT_RETRY_POLICY,
			maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts)),
			baseDelayMs: options.initialBackoffMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
			maxTotalWaitMs:
				options.maxWaitSeconds !== undefined
					? Math.round(options.maxWaitSeconds * 1000)
					: DEFAULT_RETRY_POLICY.maxTotalWaitMs,
		},
	};
}

export function encodeId(id: string): string {
	return encodeURIComponent(id);
}

/**
 * What one execution of the node shares across its items: the client (with its pacing and
 * retry settings) and lookups that need doing only once, such as a user's id by email. Group
 * names go through the group directory, which every execution in the process shares (Miro
 * allows 5 group listings or searches per 30 seconds).
 */
export class RunContext {
	readonly client: ScimClient;
	readonly concurrency: number;
	readonly mergeMemberChanges: boolean;
	/** The node's typeVersion: version 1 keeps the output 0.1.0 gave (docs/versions.md). */
	readonly nodeVersion: number;
	private readonly userIdsByEmail = new Map<string, Promise<string | undefined>>();
	/** The groups of each user an email lookup found, as Miro listed them then. */
	private readonly groupsByUserId = new Map<string, string[]>();
	private readonly inFlight = new Map<string, Promise<unknown>>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		options: RunOptions = {},
	) {
		if (pacingOf(options) === undefined) {
			throw fieldError(
				ctx,
				0,
				'Options > Pacing',
				`"${String(options.pacing)}" is not a pacing`,
				`Choose ${PACINGS.join(', ')}; an expression must give one of these words.`,
			);
		}
		this.client = new ScimClient(ctx, settingsFrom(options));
		this.concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
		this.mergeMemberChanges = options.mergeMemberChanges ?? true;
		this.nodeVersion = ctx.getNode().typeVersion;
	}

	/**
	 * Runs `task` for every entry with at most `concurrency` at a time. Each task handles its own
	 * errors; the first one thrown stops new tasks from starting and is rethrown once the running
	 * ones have settled.
	 */
	async forEach<T>(entries: T[], task: (entry: T) => Promise<void>): Promise<void> {
		let next = 0;
		let failure: { error: unknown } | undefined;
		const worker = async () => {
			while (failure === undefined && next < entries.length) {
				const entry = entries[next++];
				try {
					await task(entry);
				} catch (error) {
					failure ??= { error };
				}
			}
		};
		await Promise.all(Array.from({ length: Math.min(this.concurrency, entries.length) }, worker));
		if (failure) throw failure.error;
	}

	/**
	 * Runs `task` once per `key` for this execution: items naming the same thing share one
	 * promise. `first` tells the one item whose task ran from those that joined it.
	 */
	once<T>(key: string, task: () => Promise<T>): { result: Promise<T>; first: boolean } {
		const pending = this.inFlight.get(key) as Promise<T> | undefined;
		if (pending) return { result: pending, first: false };
		const result = task();
		this.inFlight.set(key, result);
		return { result, first: true };
	}

	async findUserByEmail(email: string, itemIndex: number): Promise<ScimUser | undefined> {
		const response = await this.client.request({
			method: 'GET',
			path: '/Users',
			qs: { filter: eq('userName', email), startIndex: 1, count: 1 },
			accept: [404],
			itemIndex,
		});
		if (response.status === 404) return undefined;
		const page = response.body as ListPage<ScimUser>;
		// Miro compares userName case-insensitively; so does this check of its answer.
		return page.Resources?.find((user) => user.userName?.toLowerCase() === email.toLowerCase());
	}

	/** Email -> id, looked up once per execution however many items name the same person. */
	async userIdByEmail(email: string, itemIndex: number): Promise<string | undefined> {
		const key = email.toLowerCase();
		let pending = this.userIdsByEmail.get(key);
		if (!pending) {
			pending = this.findUserByEmail(email, itemIndex).then((user) => {
				if (user && Array.isArray(user.groups)) {
					const groups = user.groups as IDataObject[];
					this.groupsByUserId.set(
						user.id,
						groups.map((group) => String(group.value)),
					);
				}
				return user?.id;
			});
			pending.catch(() => this.userIdsByEmail.delete(key));
			this.userIdsByEmail.set(key, pending);
		}
		return await pending;
	}

	/** A user as the Simplify option shows them, in this node version's words. */
	simplifyUser(user: IDataObject): IDataObject {
		return simplifyUser(user, this.nodeVersion < 2 ? 'teams' : 'groups');
	}

	/**
	 * Whether a user was in a group when this execution looked their email up: Miro lists a
	 * user's groups on the user. Undefined when no lookup told (the user was given by ID).
	 */
	wasMember(userId: string, groupId: string): boolean | undefined {
		return this.groupsByUserId.get(userId)?.includes(groupId);
	}

	/**
	 * The name of the group a locator gave, without a request: the name it was given by, the
	 * picker's name for it, or the one the group directory last listed; null when none is known.
	 */
	async groupName(parameter: string, itemIndex: number, id: string): Promise<string | null> {
		const locator = this.ctx.getNodeParameter(
			parameter,
			itemIndex,
		) as INodeParameterResourceLocator;
		if (locator.mode === 'name') return String(locator.value).trim();
		const listed = (await this.groupDirectory(itemIndex)).nameOf(id);
		if (listed !== undefined) return listed;
		const picked = locator.mode === 'list' ? locator.cachedResultName : undefined;
		// The picker adds the id to names that several groups share: that is not the name.
		return typeof picked === 'string' ? picked.replace(` (${id})`, '') : null;
	}

	async getUser(id: string, itemIndex: number): Promise<ScimUser> {
		const response = await this.client.request({
			method: 'GET',
			path: `/Users/${encodeId(id)}`,
			itemIndex,
		});
		return response.body as ScimUser;
	}

	/** The group directory this execution shares with every other one in this process. */
	async groupDirectory(itemIndex?: number): Promise<GroupDirectory> {
		return groupDirectoryFor(await this.client.scope(itemIndex));
	}

	/** Reads every group without its members, one request per page. */
	private listGroups(itemIndex: number) {
		return async () =>
			await this.client.list('/Groups', {}, { itemIndex, omitMembers: true });
	}

	/**
	 * The group named exactly `name`, from the directory shared across executions: never
	 * another group of a similar name, which would send member changes to the wrong group.
	 */
	async findGroupByName(name: string, itemIndex: number): Promise<IDataObject | undefined> {
		const directory = await this.groupDirectory(itemIndex);
		return await directory.find(name, this.listGroups(itemIndex));
	}

	/**
	 * Resolves a group resource locator and runs `act` with the id. A name resolved through the
	 * directory may be stale: if its id answers 404, the directory lists again and `act` runs
	 * once more with the id the name has now.
	 */
	async withGroupId<T>(
		parameter: string,
		itemIndex: number,
		act: (id: string) => Promise<T>,
		label = 'Group',
	): Promise<T> {
		const locator = this.ctx.getNodeParameter(
			parameter,
			itemIndex,
		) as INodeParameterResourceLocator;
		if (locator.mode !== 'name') return await act(await this.groupId(parameter, itemIndex, label));
		const name = requireText(this.ctx, itemIndex, `${label} (By Name)`, locator.value);
		const directory = await this.groupDirectory(itemIndex);
		const found = await directory.use(
			name,
			this.listGroups(itemIndex),
			async (group) => ({ result: await act(String(group.id)) }),
			isNotFound,
		);
		if (!found) throw this.noGroupNamed(name, itemIndex, `${label} (By Name)`);
		return found.result;
	}

	private noGroupNamed(name: string, itemIndex: number, field: string) {
		return fieldError(
			this.ctx,
			itemIndex,
			field,
			`no Miro group is named "${name}"`,
			'Names must match exactly, including case. Create the group first (Group > Create), or, where groups are teams, create the team in Miro.',
		);
	}

	/**
	 * Deletes one resource (`/Users/{id}`, `/Groups/{id}`). A 404 is an error on the first attempt
	 * (a wrong id), but after an attempt whose answer was lost it means that attempt deleted it:
	 * the recover step reads the resource and accepts its absence as done.
	 */
	async deleteOnce(path: string, itemIndex: number, omitMembers?: boolean): Promise<void> {
		await this.client.request({
			method: 'DELETE',
			path,
			idempotent: false,
			recover: async () => {
				const check = await this.client.request({
					method: 'GET',
					path,
					omitMembers,
					accept: [404],
					itemIndex,
				});
				return check.status === 404 ? { path } : undefined;
			},
			itemIndex,
		});
	}

	/**
	 * Sends one PatchOp to a user and returns the user as it now is. RFC 7644 lets a server
	 * answer 204 without a body; then the user is read back.
	 */
	async patchUser(
		id: string,
		operations: PatchOperation[],
		itemIndex: number,
		recover?: () => Promise<IDataObject | undefined>,
	): Promise<ScimUser> {
		const response = await this.client.request({
			method: 'PATCH',
			path: `/Users/${encodeId(id)}`,
			body: patchOp(operations),
			idempotent: recover === undefined,
			recover,
			itemIndex,
		});
		if (response.status === 204 || !response.body.id) return await this.getUser(id, itemIndex);
		return response.body as ScimUser;
	}

	/** Reads a user resource locator (From List / By ID / By Email) and returns the Miro id. */
	async userId(parameter: string, itemIndex: number, label = 'User'): Promise<string> {
		const locator = this.ctx.getNodeParameter(
			parameter,
			itemIndex,
		) as INodeParameterResourceLocator;
		if (locator.mode === 'email') {
			const email = requireEmail(this.ctx, itemIndex, `${label} (By Email)`, locator.value);
			const id = await this.userIdByEmail(email, itemIndex);
			if (id === undefined) {
				throw fieldError(
					this.ctx,
					itemIndex,
					`${label} (By Email)`,
					`no Miro user has the email ${email}`,
					'Check the address; guests and external users are not visible through SCIM.',
				);
			}
			return id;
		}
		return requireId(this.ctx, itemIndex, label, locator.value);
	}

	/** Reads a group resource locator (From List / By ID / By Name) and returns the Miro id. */
	async groupId(parameter: string, itemIndex: number, label = 'Group'): Promise<string> {
		const locator = this.ctx.getNodeParameter(
			parameter,
			itemIndex,
		) as INodeParameterResourceLocator;
		if (locator.mode === 'name') {
			const name = requireText(this.ctx, itemIndex, `${label} (By Name)`, locator.value);
			const group = await this.findGroupByName(name, itemIndex);
			if (!group) throw this.noGroupNamed(name, itemIndex, `${label} (By Name)`);
			return String(group.id);
		}
		return requireId(this.ctx, itemIndex, label, locator.value);
	}
}
