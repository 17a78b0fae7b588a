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
	};
	if (change.note) record.note = change.note;
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
}

/** The last output item: what the run planned or did, in counts. */
export function summaryRecord(input: SummaryInput): IDataObject {
	const counts: IDataObject = {};
	for (const action of ACTIONS) {
		counts[action] = input.changes.filter((change) => change.action === action).length;
	}
	const failed = input.outcomes.filter((outcome) => outcome.outcome === 'failed').length;
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
		invalidItems: input.invalidItems,
		reads: input.reads,
		writes: input.writes,
		durationMs: Date.now() - input.startedAt,
	};
}
