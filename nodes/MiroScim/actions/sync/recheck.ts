import type { IDataObject } from 'n8n-workflow';

import { removalRecheck } from '../../sync/recheck';
import type { FreshUser } from '../../sync/recheck';
import type { Change } from '../../sync/types';
import { encodeId } from '../context';
import type { RunContext } from '../context';
import type { Outcome } from './apply';

function freshUserFrom(body: IDataObject): FreshUser {
	const groups = body.groups;
	return {
		userName: String(body.userName ?? ''),
		active: body.active !== false,
		groupIds: Array.isArray(groups)
			? groups.map((group) => String((group as IDataObject).value))
			: undefined,
	};
}

/** One GET per user: 404 means the user is gone, which a lookup answers rather than fails. */
async function readFresh(run: RunContext, id: string, itemIndex: number) {
	const response = await run.client.request({
		method: 'GET',
		path: `/Users/${encodeId(id)}`,
		accept: [404],
		itemIndex,
	});
	return response.status === 404 ? undefined : freshUserFrom(response.body);
}

/**
 * Reads, fresh, every user a change would take access from (one GET /Users/{id} each, at most
 * as many as the guard lets through) and returns the changes to leave out, with why. Only
 * removals are checked: the rest gives access, and a stale one is put right by the next sync.
 */
export async function recheckRemovals(
	run: RunContext,
	changes: Change[],
): Promise<Map<Change, Outcome>> {
	const removals = changes.filter((change) => change.removesAccess && change.id);
	const firstItem = new Map<string, number>();
	for (const change of removals) {
		if (!firstItem.has(change.id as string))
			firstItem.set(change.id as string, change.itemIndex ?? 0);
	}
	const fresh = new Map<string, FreshUser | undefined>();
	await run.forEach([...firstItem], async ([id, itemIndex]) => {
		fresh.set(id, await readFresh(run, id, itemIndex));
	});
	const skipped = new Map<Change, Outcome>();
	for (const change of removals) {
		const verdict = removalRecheck(change, fresh.get(change.id as string));
		if (verdict) skipped.set(change, { outcome: 'skipped', id: change.id, ...verdict });
	}
	return skipped;
}
