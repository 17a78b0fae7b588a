import type { IDataObject } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import {
	GROUP_DIRECTORY_MISS_MS,
	GROUP_DIRECTORY_TTL_MS,
	GroupDirectory,
	groupDirectoryFor,
	resetGroupDirectories,
} from '../../nodes/MiroScim/transport/directory';

const group = (id: string, displayName: string): IDataObject => ({ id, displayName });

/** A fake Miro group list: what `list()` returns now, how often it was read, and a gate. */
function miroGroups(initial: IDataObject[]) {
	const state = { groups: initial, listings: 0, gate: undefined as Promise<void> | undefined };
	const list = async () => {
		state.listings++;
		const groups = [...state.groups];
		if (state.gate) await state.gate;
		return groups;
	};
	return { state, list };
}

function clock(start = 1_000_000) {
	const at = { now: start };
	return { at, now: () => at.now };
}

const notFound = (error: unknown) => (error as { httpCode?: string }).httpCode === '404';
const gone = () => Object.assign(new Error('Miro has no such user or team'), { httpCode: '404' });

describe('GroupDirectory', () => {
	it('a hit within the TTL costs no listing; names match exactly, case included', async () => {
		const { at, now } = clock();
		const { state, list } = miroGroups([group('1', 'Engineering'), group('2', 'Design')]);
		const directory = new GroupDirectory(GROUP_DIRECTORY_TTL_MS, GROUP_DIRECTORY_MISS_MS, now);

		expect(await directory.find('Engineering', list)).toEqual(group('1', 'Engineering'));
		at.now += GROUP_DIRECTORY_TTL_MS - 1;
		expect(await directory.find('Design', list)).toEqual(group('2', 'Design'));
		expect(await directory.find('Engineering', list)).toEqual(group('1', 'Engineering'));
		expect(state.listings).toBe(1);
		expect(await directory.find('engineering', list)).toBeUndefined();
	});

	it('lists again once the TTL has passed, and sees what changed', async () => {
		const { at, now } = clock();
		const { state, list } = miroGroups([group('1', 'Engineering')]);
		const directory = new GroupDirectory(60_000, 10_000, now);

		await directory.find('Engineering', list);
		state.groups = [group('9', 'Engineering')];
		at.now += 60_000;
		expect(await directory.find('Engineering', list)).toEqual(group('9', 'Engineering'));
		expect(state.listings).toBe(2);
	});

	it.each([
		// ms since the last listing, listings in all, found
		[0, 1, false],
		[9_999, 1, false],
		[10_000, 2, true],
		[59_999, 2, true],
	])(
		'a miss %i ms after a listing (miss grace 10 s): %i listing(s), found: %s',
		async (after, listings, found) => {
			const { at, now } = clock();
			const { state, list } = miroGroups([group('1', 'Engineering')]);
			const directory = new GroupDirectory(60_000, 10_000, now);

			await directory.find('Engineering', list);
			state.groups = [group('1', 'Engineering'), group('2', 'New Team')];
			at.now += after;
			expect((await directory.find('New Team', list)) !== undefined).toBe(found);
			expect(state.listings).toBe(listings);
		},
	);

	it('concurrent misses share one listing', async () => {
		const { state, list } = miroGroups([group('1', 'A'), group('2', 'B'), group('3', 'C')]);
		let open!: () => void;
		state.gate = new Promise<void>((resolve) => (open = resolve));
		const directory = new GroupDirectory();

		const lookups = ['A', 'B', 'C', 'D', 'A'].map(async (name) => await directory.find(name, list));
		open();
		const found = await Promise.all(lookups);

		expect(found.map((entry) => entry?.id)).toEqual(['1', '2', '3', undefined, '1']);
		expect(state.listings).toBe(1);
	});

	it('a failed listing fails its callers and is not kept: the next lookup lists again', async () => {
		let fail = true;
		let listings = 0;
		const list = async () => {
			listings++;
			if (fail) throw new Error('Miro is unavailable');
			return [group('1', 'A')];
		};
		const directory = new GroupDirectory();

		await expect(directory.find('A', list)).rejects.toThrow('Miro is unavailable');
		fail = false;
		expect(await directory.find('A', list)).toEqual(group('1', 'A'));
		expect(listings).toBe(2);
	});

	it("a lookup that joined another execution's failed listing lists once itself", async () => {
		let listings = 0;
		let open!: () => void;
		const gate = new Promise<void>((resolve) => (open = resolve));
		const cancelled = async () => {
			listings++;
			await gate;
			throw new Error('The execution was cancelled');
		};
		const fine = async () => {
			listings++;
			return [group('1', 'A')];
		};
		const directory = new GroupDirectory();

		const first = directory.find('A', cancelled);
		const joined = directory.find('A', fine);
		open();

		await expect(first).rejects.toThrow('cancelled');
		expect(await joined).toEqual(group('1', 'A'));
		expect(listings).toBe(2);
	});

	it('a stale id (404 on use) lists again and retries once with the id the name has now', async () => {
		const { state, list } = miroGroups([group('1', 'Engineering')]);
		const directory = new GroupDirectory();
		await directory.find('Engineering', list);
		// Deleted and recreated in Miro under the same name, with a new id.
		state.groups = [group('7', 'Engineering')];
		const used: string[] = [];

		const result = await directory.use(
			'Engineering',
			list,
			async (found) => {
				used.push(String(found.id));
				if (found.id === '1') throw gone();
				return `patched ${String(found.id)}`;
			},
			notFound,
		);

		expect(result).toBe('patched 7');
		expect(used).toEqual(['1', '7']);
		expect(state.listings).toBe(2);
		expect(await directory.find('Engineering', list)).toEqual(group('7', 'Engineering'));
	});

	it.each([
		['the name is gone too: no such group', [], undefined, 1],
		['the listing still shows the same id: the 404 stands', [group('1', 'Engineering')], '404', 1],
	])('a stale id when %s', async (_, after, outcome, uses) => {
		const { state, list } = miroGroups([group('1', 'Engineering')]);
		const directory = new GroupDirectory();
		let calls = 0;
		await directory.find('Engineering', list);
		state.groups = after;

		const attempt = directory.use(
			'Engineering',
			list,
			async () => {
				calls++;
				throw gone();
			},
			notFound,
		);

		if (outcome === undefined) expect(await attempt).toBeUndefined();
		else await expect(attempt).rejects.toMatchObject({ httpCode: outcome });
		expect(calls).toBe(uses);
	});

	it('other failures of `act` are not retried and keep the entry', async () => {
		const { state, list } = miroGroups([group('1', 'Engineering')]);
		const directory = new GroupDirectory();
		const refused = Object.assign(new Error('too large'), { httpCode: '413' });

		await expect(
			directory.use('Engineering', list, async () => await Promise.reject(refused), notFound),
		).rejects.toBe(refused);
		expect(await directory.find('Engineering', list)).toEqual(group('1', 'Engineering'));
		expect(state.listings).toBe(1);
	});

	it('remember, rename and forget update it without a listing', async () => {
		const { state, list } = miroGroups([group('1', 'Engineering')]);
		const directory = new GroupDirectory();
		await directory.find('Engineering', list);

		directory.remember(group('5', 'g_app_proeng_all'));
		directory.rename('1', 'Platform');

		expect(await directory.find('g_app_proeng_all', list)).toEqual(group('5', 'g_app_proeng_all'));
		expect(await directory.find('Platform', list)).toEqual(group('1', 'Platform'));
		expect(await directory.find('Engineering', list)).toBeUndefined();
		directory.forget('5');
		expect(await directory.find('g_app_proeng_all', list)).toBeUndefined();
		expect(state.listings).toBe(1);
	});

	it('a rename made while a listing is in flight survives that listing', async () => {
		const { state, list } = miroGroups([group('1', 'Engineering')]);
		let open!: () => void;
		state.gate = new Promise<void>((resolve) => (open = resolve));
		const directory = new GroupDirectory();

		const listing = directory.refresh(list);
		directory.rename('1', 'Platform');
		open();
		await listing;

		expect(await directory.find('Platform', list)).toEqual(group('1', 'Platform'));
		expect(await directory.find('Engineering', list)).toBeUndefined();
	});

	it('keeps the first of two groups listed under one name', async () => {
		const { list } = miroGroups([group('1', 'Ops'), group('2', 'Ops')]);
		expect(await new GroupDirectory().find('Ops', list)).toEqual(group('1', 'Ops'));
	});
});

describe('groupDirectoryFor: one directory per credential and base URL, shared by executions', () => {
	it('returns the same directory for the same key, another for anything else', () => {
		resetGroupDirectories();
		const a = groupDirectoryFor('cred-x|https://miro.com/api/v1/scim');
		expect(groupDirectoryFor('cred-x|https://miro.com/api/v1/scim')).toBe(a);
		expect(groupDirectoryFor('cred-y|https://miro.com/api/v1/scim')).not.toBe(a);
		expect(groupDirectoryFor('cred-x|https://api.miro.com/api/v1/scim')).not.toBe(a);
		resetGroupDirectories();
		expect(groupDirectoryFor('cred-x|https://miro.com/api/v1/scim')).not.toBe(a);
	});
});
