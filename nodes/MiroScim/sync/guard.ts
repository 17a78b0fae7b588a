import type { Change, GuardVerdict, SyncOptions } from './types';

/** Entra ID's accidental-deletion threshold defaults to 500; a nightly sync deserves less. */
export const DEFAULT_MAX_ACCESS_REMOVALS = 100;
export const DEFAULT_MAX_ACCESS_REMOVALS_PERCENT = 10;

function removalCounts(changes: Change[]): string {
	const count = (action: string) => changes.filter((change) => change.action === action).length;
	return `${count('deactivate')} deactivations, ${count('delete')} deletions, ${count('removeFromGroup')} team removals`;
}

/**
 * Whether a plan may run: it removes access (deactivations, deletions, team removals) from at
 * most Max Access Removals users and at most the given percentage of the users in scope, and an
 * empty input never reads as "everyone left" unless explicitly allowed.
 */
export function guardVerdict(
	changes: Change[],
	inScope: number,
	people: number,
	options: Pick<SyncOptions, 'maxAccessRemovals' | 'maxAccessRemovalsPercent' | 'allowEmptyInput'>,
): GuardVerdict {
	const accessRemovals = changes.filter((change) => change.removesAccess).length;
	const byPercent = Math.floor((options.maxAccessRemovalsPercent / 100) * inScope);
	const limit = Math.max(0, Math.min(options.maxAccessRemovals, byPercent));
	const verdict: GuardVerdict = { passed: true, accessRemovals, limit, inScope };
	if (people === 0 && !options.allowEmptyInput) {
		return {
			...verdict,
			passed: false,
			message: 'The input has no people: an empty source would make everyone in scope a leaver',
			fix: 'Check the step before the sync (an empty or failed HR export). If Miro really should have nobody in scope, turn on Allow Empty Input.',
		};
	}
	if (accessRemovals <= limit) return verdict;
	const which =
		limit === options.maxAccessRemovals
			? `Max Access Removals is ${options.maxAccessRemovals}`
			: `${options.maxAccessRemovalsPercent}% of the ${inScope} users in scope is ${byPercent}`;
	return {
		...verdict,
		passed: false,
		message: `The plan removes access ${accessRemovals} times (${removalCounts(changes)}), more than the limit of ${limit} (${which})`,
		fix: 'Nothing was changed. Check the input is complete: a cut-short export looks like many leavers. If the plan is right (run with Dry Run on to read it), raise Max Access Removals or Max Access Removals (%) under Safety.',
	};
}
