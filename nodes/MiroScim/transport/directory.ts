import type { IDataObject } from 'n8n-workflow';

/**
 * How long one listing of the groups answers name lookups for every execution in this process.
 * Miro allows 5 GET /Groups per 30 s; one listing a minute per process leaves most of that to
 * everything else, and a group renamed or deleted outside n8n is noticed within a minute (or at
 * once, when its id answers 404).
 */
export const GROUP_DIRECTORY_TTL_MS = 60_000;

/**
 * A name missing from a listing younger than this is missing: asking again so soon would spend
 * the scarce budget on names that do not exist (at most 3 such listings per 30 s).
 */
export const GROUP_DIRECTORY_MISS_MS = 10_000;

/** Reads every group (without members), page by page. */
export type ListGroups = () => Promise<IDataObject[]>;

/**
 * Group name -> group (id, displayName, as listed), shared by every execution in this process
 * that uses the same credential and base URL. It is filled by listing the groups, so one
 * execution naming 500 groups costs a few listing pages instead of 500 searches, and 200
 * one-person executions cost one listing a minute. Names match exactly (case-sensitive), as
 * SCIM's `displayName eq` does on Miro. Nothing here is trusted blindly: `use` refreshes and
 * retries once when the id it handed out answers 404.
 */
export class GroupDirectory {
	private byName = new Map<string, IDataObject>();
	private listedAt: number | undefined;
	private refreshing: Promise<void> | undefined;
	/** Changes made while a listing was in flight: its older picture must not undo them. */
	private lateChanges: Array<() => void> = [];

	constructor(
		private readonly ttlMs = GROUP_DIRECTORY_TTL_MS,
		private readonly missMs = GROUP_DIRECTORY_MISS_MS,
		private readonly now: () => number = Date.now,
	) {}

	/** The group named exactly `name`, listing the groups first when what is known is too old. */
	async find(name: string, list: ListGroups): Promise<IDataObject | undefined> {
		if (this.refreshing) {
			// Another execution's listing may fail for its own reasons (cancelled): list anew.
			await this.refreshing.catch(async () => await this.refresh(list));
		} else if (
			!this.youngerThan(this.ttlMs) ||
			(!this.byName.has(name) && !this.youngerThan(this.missMs))
		) {
			await this.refresh(list);
		}
		return this.byName.get(name);
	}

	/**
	 * Finds `name` and runs `act` with its group. When `act` fails because the id is gone
	 * (`gone`), the group may have been deleted or renamed since the listing: list again and,
	 * if the name now belongs to another id, run `act` once more with it. Undefined: no such name.
	 */
	async use<T>(
		name: string,
		list: ListGroups,
		act: (group: IDataObject) => Promise<T>,
		gone: (error: unknown) => boolean,
	): Promise<T | undefined> {
		const group = await this.find(name, list);
		if (!group) return undefined;
		const first = await settle(act(group));
		if (first.ok || !gone(first.error)) return unwrap(first);
		this.forget(String(group.id));
		await this.refresh(list);
		const again = this.byName.get(name);
		if (!again) return undefined;
		// Still listed under the same id: the 404 is the answer, not a stale directory.
		if (String(again.id) === String(group.id)) return unwrap(first);
		return await act(again);
	}

	/** Lists the groups now; callers arriving meanwhile share this one listing. */
	async refresh(list: ListGroups): Promise<void> {
		this.refreshing ??= this.load(list).finally(() => {
			this.refreshing = undefined;
		});
		await this.refreshing;
	}

	/** A group this node created or read: known by its name from now on. */
	remember(group: IDataObject): void {
		this.change(() => {
			this.drop(String(group.id));
			const name = group.displayName;
			if (typeof name === 'string') this.byName.set(name, group);
		});
	}

	/** The name this process last saw for `id`, without listing; undefined when not known. */
	nameOf(id: string): string | undefined {
		for (const [name, group] of this.byName) if (String(group.id) === id) return name;
		return undefined;
	}

	/** A group this node deleted, or whose id answered 404. */
	forget(id: string): void {
		this.change(() => this.drop(id));
	}

	/** A group this node renamed: the old name no longer leads to it. */
	rename(id: string, displayName: string): void {
		this.change(() => {
			const known = [...this.byName.values()].find((group) => String(group.id) === id);
			this.drop(id);
			this.byName.set(displayName, { ...(known ?? { id }), displayName });
		});
	}

	private async load(list: ListGroups): Promise<void> {
		const startedAt = this.now();
		this.lateChanges = [];
		const groups = await list();
		const byName = new Map<string, IDataObject>();
		for (const group of groups) {
			const name = group.displayName;
			// Two groups of one name: keep the first listed, as the name search did.
			if (typeof name === 'string' && !byName.has(name)) byName.set(name, group);
		}
		this.byName = byName;
		this.listedAt = startedAt;
		for (const late of this.lateChanges) late();
		this.lateChanges = [];
	}

	private change(apply: () => void): void {
		apply();
		if (this.refreshing) this.lateChanges.push(apply);
	}

	private drop(id: string): void {
		for (const [name, group] of this.byName) if (String(group.id) === id) this.byName.delete(name);
	}

	private youngerThan(ms: number): boolean {
		return this.listedAt !== undefined && this.now() - this.listedAt < ms;
	}
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	return await promise.then(
		(value): Settled<T> => ({ ok: true, value }),
		(error: unknown): Settled<T> => ({ ok: false, error }),
	);
}

function unwrap<T>(outcome: Settled<T>): T {
	if (outcome.ok) return outcome.value;
	throw outcome.error;
}

/** One directory per credential and base URL, like the pacer: the same Miro organization. */
const directories = new Map<string, GroupDirectory>();

export function groupDirectoryFor(key: string): GroupDirectory {
	let directory = directories.get(key);
	if (!directory) {
		directory = new GroupDirectory();
		directories.set(key, directory);
	}
	return directory;
}

/** Forgets every directory: tests start from an empty process. */
export function resetGroupDirectories(): void {
	directories.clear();
}
