import type { IDataObject } from 'n8n-workflow';

import type { Change, ChangeAction, GuardVerdict } from '../../sync/types';
import type { Outcome } from './apply';

export const ACTIONS: ChangeAction[] = [
	'create',
	'update',
	'reactivate',
	'deactivate',
	'delete',
	'addToGroup',
	'removeFromGroup',
	'report',
];

/**
 * What Miro does to a person's boards and license when a change removes access (Miro's SCIM
 * reference and help centre, "Remove users" and "Deactivate users"), for whoever approves it.
 */
export const EFFECTS: Partial<Record<ChangeAction, string>> = {
	delete:
		"Miro removes the user from the organization for good: their boards move to the organization's oldest team admin and their license is freed. Deactivate instead to keep boards in place.",
	deactivate:
		'The user can no longer sign in; their boards stay in place and the paid license is freed. Reactivating restores access.',
	removeFromGroup:
		'Where SCIM groups are Miro teams, leaving the team takes the user off its boards and transfers the boards they own there; where they are user groups, only the access the group gives is removed.',
};

/** One output item per change, in the shape Apply Plan reads back. */
export function changeRecord(change: Change, outcome: Outcome): IDataObject {
	const record: IDataObject = {
		action: change.action,
		email: change.email,
		id: outcome.id ?? change.id ?? null,
		group: change.group ?? null,
		before: change.before ?? null,
		after: change.after ?? null,
		removesAccess: change.removesAccess,
		outcome: outcome.outcome,
		plannedAt: change.plannedAt ?? null,
		inScope: change.inScope ?? null,
	};
	const effect = EFFECTS[change.action];
	if (effect) record.effect = effect;
	if (outcome.skipReason) record.skipReason = outcome.skipReason;
	const note = outcome.note ?? change.note;
	if (note) record.note = note;
	if (outcome.error) record.error = outcome.error;
	if (outcome.description) record.errorDescription = outcome.description;
	return record;
}

export interface SummaryInput {
	mode: 'reconcile' | 'applyPlan';
	dryRun: boolean;
	changes: Change[];
	outcomes: Outcome[];
	guard: GuardVerdict;
	excluded?: number;
	reads: number;
	writes: number;
	startedAt: number;
	invalidItems: number;
	/** The oldest plan item's time (Apply Plan) or when this plan was made (Reconcile). */
	plannedAt?: string;
}

/** The last output item: what the run planned or did, in counts. */
export function summaryRecord(input: SummaryInput): IDataObject {
	const counts: IDataObject = {};
	for (const action of ACTIONS) {
		counts[action] = input.changes.filter((change) => change.action === action).length;
	}
	const count = (outcome: Outcome['outcome']) =>
		input.outcomes.filter((entry) => entry.outcome === outcome).length;
	const failed = count('failed');
	return {
		action: 'summary',
		mode: input.mode,
		dryRun: input.dryRun,
		outcome: input.dryRun ? 'planned' : failed > 0 ? 'failed' : 'done',
		counts,
		changes: input.changes.filter((change) => change.action !== 'report').length,
		accessRemovals: input.guard.accessRemovals,
		removesAccess: false,
		inScope: input.guard.inScope,
		excluded: input.excluded ?? 0,
		guard: {
			passed: input.guard.passed,
			limit: input.guard.limit,
			...(input.guard.message ? { message: input.guard.message } : {}),
		},
		failed,
		skipped: count('skipped'),
		plannedAt: input.plannedAt ?? null,
		invalidItems: input.invalidItems,
		reads: input.reads,
		writes: input.writes,
		durationMs: Date.now() - input.startedAt,
	};
}
