import { counted } from './guard';
import type { Change } from './types';

/** A plan waits for an approval; a night later the directory it read may have moved on. */
export const DEFAULT_MAX_PLAN_AGE_HOURS = 24;

const HOUR_MS = 3_600_000;

/**
 * Why Apply Plan leaves a change out: `alreadyApplied`, its input outcome says an earlier run
 * applied it; `userGone`, the user no longer exists; `userChanged`, the user is no longer as the
 * plan found them (email, active, group membership), so the approval was for another situation.
 */
export type SkipReason = 'alreadyApplied' | 'userGone' | 'userChanged';

export interface Refusal {
	problem: string;
	fix: string;
}

/** A user as a fresh GET /Users/{id} shows them, reduced to what a removal assumed. */
export interface FreshUser {
	userName: string;
	active: boolean;
	/** Ids of the user's groups; undefined when Miro's answer did not list them. */
	groupIds?: string[];
}

function hoursText(hours: number): string {
	return counted(Math.round(hours * 10) / 10, 'hour');
}

/**
 * Whether a plan is recent enough to apply: its oldest item was planned at most `maxAgeHours`
 * before `now`. 0 turns the check off; an item without a time cannot be checked, so it refuses.
 */
export function planAgeRefusal(
	plannedAts: Array<string | undefined>,
	now: number,
	maxAgeHours: number,
): Refusal | undefined {
	if (maxAgeHours <= 0 || plannedAts.length === 0) return undefined;
	const missing = plannedAts.filter((at) => at === undefined).length;
	if (missing > 0) {
		return {
			problem: `${counted(missing, 'plan item')} ${missing === 1 ? 'has' : 'have'} no plannedAt, so the age of the plan is unknown`,
			fix: 'Apply Plan takes the items a Reconcile produced, which carry the time they were planned. To apply items made another way, set Max Plan Age (Hours) to 0.',
		};
	}
	// A reduce, not Math.min(...): a plan of 100,000 items would overflow the argument list.
	const oldest = plannedAts.reduce((min, at) => Math.min(min, Date.parse(at as string)), Infinity);
	const ageHours = (now - oldest) / HOUR_MS;
	if (ageHours <= maxAgeHours) return undefined;
	return {
		problem: `The plan was made ${hoursText(ageHours)} ago (${new Date(oldest).toISOString()}), more than Max Plan Age (Hours), ${maxAgeHours}`,
		fix: 'Nothing was changed. Miro may have changed since: run the Reconcile again (in Dry Run) and approve the fresh plan, or raise Max Plan Age (Hours).',
	};
}

/**
 * Whether a change that removes access still meets the user the plan saw: same email, same
 * active state (`before.active`), still in the group it removes them from. Undefined: apply it.
 */
export function removalRecheck(
	change: Change,
	fresh: FreshUser | undefined,
): { skipReason: SkipReason; note: string } | undefined {
	if (!fresh) {
		return { skipReason: 'userGone', note: 'not applied: the user no longer exists in Miro' };
	}
	const changed = (what: string) => ({
		skipReason: 'userChanged' as const,
		note: `not applied: the user changed since the plan was made (${what})`,
	});
	if (fresh.userName.toLowerCase() !== change.email.toLowerCase()) {
		return changed(`email was ${change.email}, is now ${fresh.userName}`);
	}
	const assumed = change.before?.active;
	if (typeof assumed === 'boolean' && assumed !== fresh.active) {
		return changed(`active was ${String(assumed)}, is now ${String(fresh.active)}`);
	}
	const group = change.group;
	if (change.action === 'removeFromGroup' && group && fresh.groupIds) {
		if (!fresh.groupIds.includes(group.id)) return changed(`no longer a member of ${group.name}`);
	}
	return undefined;
}
