import type { Change, GuardVerdict, SyncOptions } from './types';

/** Entra ID's accidental-deletion threshold defaults to 500; a nightly sync deserves less. */
export const DEFAULT_MAX_ACCESS_REMOVALS = 100;
export const DEFAULT_MAX_ACCESS_REMOVALS_PERCENT = 10;
/**
 * The percentage limit never drops below this many removals: 10% of 3 people rounds down to 0,
 * and one leaver in a small organization is not an accident. Entra's threshold is a count too.
 */
export const DEFAULT_MAX_ACCESS_REMOVALS_PERCENT_FLOOR = 5;

export type GuardOptions = Pick<
	SyncOptions,
	| 'maxAccessRemovals'
	| 'maxAccessRemovalsPercent'
	| 'maxAccessRemovalsPercentFloor'
	| 'allowEmptyInput'
>;

/** "1 deactivation", "2 deletions": English counts for messages. */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
	return `${count} ${count === 1 ? singular : plural}`;
}

const REMOVAL_WORDS: Array<[Change['action'], string]> = [
	['deactivate', 'deactivation'],
	['delete', 'deletion'],
	['removeFromGroup', 'group removal'],
];

/** "1 deactivation, 2 group removals": only the kinds the plan has. */
function removalCounts(changes: Change[]): string {
	return REMOVAL_WORDS.map(([action, word]) => {
		const count = changes.filter((change) => change.action === action).length;
		return count > 0 ? counted(count, word) : '';
	})
		.filter((text) => text !== '')
		.join(', ');
}

/** The share of the users in scope, raised to the floor: a count the percentage allows. */
function percentLimit(inScope: number, options: GuardOptions): number {
	const byPercent = Math.floor((options.maxAccessRemovalsPercent / 100) * inScope);
	return options.maxAccessRemovalsPercent >= 100
		? Number.POSITIVE_INFINITY
		: Math.max(byPercent, options.maxAccessRemovalsPercentFloor);
}

/** Which field set the limit, with its value, as the panel names it. */
function limitReason(inScope: number, options: GuardOptions, byPercent: number): string {
	const percent = options.maxAccessRemovalsPercent;
	const share = Math.floor((percent / 100) * inScope);
	if (byPercent >= options.maxAccessRemovals) {
		return `Max Access Removals is ${options.maxAccessRemovals}`;
	}
	if (byPercent > share) {
		return `Max Access Removals (%) Floor is ${byPercent}; ${percent}% of the ${counted(inScope, 'user')} in scope is ${share}`;
	}
	return `Max Access Removals (%) is ${percent}: ${percent}% of the ${counted(inScope, 'user')} in scope is ${share}`;
}

const EMPTY_INPUT = {
	message: 'The input has no people: an empty source would make everyone in scope a leaver',
	fix: 'Check the step before the sync (an empty or failed HR export). If Miro really should have nobody in scope, turn on Allow Empty Input.',
};

/**
 * Whether a plan may run: it removes access (deactivations, deletions, group removals) at most
 * Max Access Removals times and at most the given percentage of the users in scope (never less
 * than the floor), and an empty input never reads as "everyone left" unless explicitly allowed.
 */
export function guardVerdict(
	changes: Change[],
	inScope: number,
	people: number,
	options: GuardOptions,
): GuardVerdict {
	const accessRemovals = changes.filter((change) => change.removesAccess).length;
	const byPercent = percentLimit(inScope, options);
	const limit = Math.max(0, Math.min(options.maxAccessRemovals, byPercent));
	const verdict: GuardVerdict = { passed: true, accessRemovals, limit, inScope };
	if (people === 0 && !options.allowEmptyInput)
		return { ...verdict, passed: false, ...EMPTY_INPUT };
	if (accessRemovals <= limit) return verdict;
	return {
		...verdict,
		passed: false,
		message: `The plan makes ${counted(accessRemovals, 'access removal')} (${removalCounts(changes)}), more than the limit of ${limit} (${limitReason(inScope, options, byPercent)})`,
		fix: "Nothing was changed. Check the input is complete: a cut-short export looks like many leavers. If the plan is right (run with Dry Run on to read it), raise Max Access Removals, Max Access Removals (%) or Max Access Removals (%) Floor in this node's parameters.",
	};
}
