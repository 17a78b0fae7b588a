import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_MAX_ACCESS_REMOVALS,
	DEFAULT_MAX_ACCESS_REMOVALS_PERCENT,
	DEFAULT_MAX_ACCESS_REMOVALS_PERCENT_FLOOR,
	guardVerdict,
} from '../../sync/guard';
import type { GuardOptions } from '../../sync/guard';
import { DEFAULT_MAX_PLAN_AGE_HOURS, planAgeRefusal } from '../../sync/recheck';
import type { Change, ChangeAction, FieldValues } from '../../sync/types';
import { batchOutcomes, stopBeforeWrite } from '../batch';
import type { PairedRecord } from '../batch';
import type { RunContext } from '../context';
import type { BatchOutcomes } from '../node.type';
import { fieldError, requireEmail, requireId } from '../validation';
import { applyChanges, GROUP_ACTIONS, plannedOutcome } from './apply';
import type { Outcome } from './apply';
import {
	dryRunField,
	maxRemovalsField,
	maxRemovalsPercentField,
	maxRemovalsPercentFloorField,
} from './descriptions';
import { ACTIONS, changeRecord, summaryRecord } from './output';
import { recheckRemovals } from './recheck';

const properties: INodeProperties[] = [
	{
		...dryRunField,
		description:
			'Whether to only show what would be applied (the checks below still run). On by default, so that an imported workflow never writes until you turn it off.',
	},
	{
		displayName: 'Max Plan Age (Hours)',
		name: 'maxPlanAgeHours',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULT_MAX_PLAN_AGE_HOURS,
		description:
			"Refuse a plan made longer ago than this (the items' plannedAt), before any request: Miro may have changed since. 0 turns the check off.",
	},
	maxRemovalsField,
	{
		...maxRemovalsPercentField,
		description: `${maxRemovalsPercentField.description as string}. The share is of the users in scope when the plan was made (the items' inScope).`,
	},
	maxRemovalsPercentFloorField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['sync'], operation: ['applyPlan'] } },
	properties,
);

const NEEDS_ID: ChangeAction[] = [
	'update',
	'reactivate',
	'deactivate',
	'delete',
	'removeFromGroup',
];

/** `plannedAt` and `inScope` as Reconcile wrote them; a time that is no time names its field. */
function readStamp(ctx: IExecuteFunctions, itemIndex: number, json: IDataObject, change: Change) {
	if (json.plannedAt !== undefined && json.plannedAt !== null) {
		const text = String(json.plannedAt);
		if (Number.isNaN(Date.parse(text))) {
			throw fieldError(
				ctx,
				itemIndex,
				'plannedAt',
				`"${text}" is not a date and time`,
				'Pass the plan items a Reconcile produced unchanged (plannedAt is an ISO 8601 time).',
			);
		}
		change.plannedAt = text;
	}
	const inScope = Number(json.inScope);
	if (json.inScope !== null && Number.isFinite(inScope) && inScope > 0) change.inScope = inScope;
}

/** One plan item (as Reconcile output it) back into a change, or the error naming its field. */
export function readChange(ctx: IExecuteFunctions, itemIndex: number, json: IDataObject): Change {
	const action = json.action as ChangeAction;
	if (!ACTIONS.includes(action)) {
		throw fieldError(
			ctx,
			itemIndex,
			'action',
			`"${String(json.action)}" is not a change a plan holds`,
			'Apply Plan takes the items a Reconcile in Dry Run produced, unchanged.',
		);
	}
	const email = requireEmail(ctx, itemIndex, 'email', json.email);
	const change: Change = { action, email, itemIndex, removesAccess: false };
	// A create or an addition carries an id once applied (the user's, made or found then).
	if (NEEDS_ID.includes(action) || ((action === 'addToGroup' || action === 'create') && json.id)) {
		change.id = requireId(ctx, itemIndex, 'id', json.id);
	}
	if (GROUP_ACTIONS.includes(action)) {
		const group = (json.group ?? {}) as IDataObject;
		const id = requireId(ctx, itemIndex, 'group.id', group.id);
		change.group = { id, name: String(group.name ?? id) };
	}
	if (json.before && typeof json.before === 'object') change.before = json.before as FieldValues;
	if (json.after && typeof json.after === 'object') change.after = json.after as FieldValues;
	change.removesAccess =
		['deactivate', 'delete', 'removeFromGroup'].includes(action) || change.after?.active === false;
	if (json.note) change.note = String(json.note);
	readStamp(ctx, itemIndex, json, change);
	return change;
}

/** An item an earlier run applied: Reconcile with Dry Run off, or an Apply Plan, said "done". */
function wasApplied(json: IDataObject): boolean {
	return json.outcome === 'done' || json.skipReason === 'alreadyApplied';
}

const ALREADY_APPLIED: Outcome = {
	outcome: 'skipped',
	skipReason: 'alreadyApplied',
	note: 'not applied again: the input says an earlier run applied it (outcome "done")',
};

function readPlan(ctx: IExecuteFunctions, itemIndexes: number[]) {
	const items = ctx.getInputData();
	const changes: Change[] = [];
	const settled = new Map<Change, Outcome>();
	const errors = new Map<number, Error>();
	let inScope = 0;
	for (const itemIndex of itemIndexes) {
		const json = items[itemIndex].json;
		if (json.action === 'summary') {
			inScope = Number(json.inScope) || 0;
			continue;
		}
		try {
			const change = readChange(ctx, itemIndex, json);
			changes.push(change);
			if (wasApplied(json)) settled.set(change, { ...ALREADY_APPLIED, id: change.id });
		} catch (error) {
			errors.set(itemIndex, error as Error);
		}
	}
	return { changes, settled, errors, inScope };
}

function readGuardOptions(ctx: IExecuteFunctions, inScopeKnown: boolean): GuardOptions {
	const get = (name: string, fallback: number) => ctx.getNodeParameter(name, 0, fallback) as number;
	return {
		maxAccessRemovals: get('maxAccessRemovals', DEFAULT_MAX_ACCESS_REMOVALS),
		// Items made by hand carry no inScope: then only the count can be checked.
		maxAccessRemovalsPercent: inScopeKnown
			? get('maxAccessRemovalsPercent', DEFAULT_MAX_ACCESS_REMOVALS_PERCENT)
			: 100,
		maxAccessRemovalsPercentFloor: get(
			'maxAccessRemovalsPercentFloor',
			DEFAULT_MAX_ACCESS_REMOVALS_PERCENT_FLOOR,
		),
		allowEmptyInput: true,
	};
}

/** Age, then both guards, over the changes still to apply: all before any request. */
function checkPlan(ctx: IExecuteFunctions, pending: Change[], summaryInScope: number) {
	const maxAge = ctx.getNodeParameter('maxPlanAgeHours', 0, DEFAULT_MAX_PLAN_AGE_HOURS) as number;
	const age = planAgeRefusal(
		pending.map((change) => change.plannedAt),
		Date.now(),
		maxAge,
	);
	if (age) throw new NodeOperationError(ctx.getNode(), age.problem, { description: age.fix });
	const inScope = pending.reduce(
		(most, change) => Math.max(most, change.inScope ?? 0),
		summaryInScope,
	);
	return guardVerdict(pending, inScope, 1, readGuardOptions(ctx, inScope > 0));
}

function oldest(changes: Change[]): string | undefined {
	return changes
		.map((change) => change.plannedAt)
		.filter((at): at is string => at !== undefined)
		.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
}

/** Every change's outcome: settled ones as they are, the rest planned (dry run) or applied. */
async function outcomesOf(
	run: RunContext,
	changes: Change[],
	settled: Map<Change, Outcome>,
	dryRun: boolean,
) {
	const toApply = changes.filter((change) => !settled.has(change));
	const applied = dryRun ? toApply.map(plannedOutcome) : await applyChanges(run, toApply);
	const byChange = new Map(toApply.map((change, n) => [change, applied[n]]));
	return changes.map((change) => settled.get(change) ?? (byChange.get(change) as Outcome));
}

/**
 * Applies the changes of a plan, exactly as given: after an approval step, a builder sends the
 * approved plan items here. Before any write it refuses a plan older than Max Plan Age or over
 * either guard, leaves out items an earlier run applied, and reads each user a change would
 * take access from: one who changed since the plan was made is left as they are.
 */
export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
	run: RunContext,
): Promise<BatchOutcomes> {
	const startedAt = Date.now();
	const dryRun = this.getNodeParameter('dryRun', 0, true) as boolean;
	const { changes, settled, errors, inScope } = readPlan(this, itemIndexes);
	const stop = stopBeforeWrite(this, itemIndexes, errors);
	if (stop) return stop;
	const pending = changes.filter((change) => !settled.has(change));
	const guard = checkPlan(this, pending, inScope);
	if (!guard.passed && !dryRun) {
		throw new NodeOperationError(this.getNode(), guard.message as string, {
			description: guard.fix,
		});
	}
	for (const [change, outcome] of await recheckRemovals(run, pending)) settled.set(change, outcome);
	const reads = run.client.sent;
	const outcomes = await outcomesOf(run, changes, settled, dryRun);
	const summary = summaryRecord({
		mode: 'applyPlan',
		dryRun,
		changes,
		outcomes,
		guard,
		reads,
		writes: run.client.sent - reads,
		startedAt,
		invalidItems: errors.size,
		plannedAt: oldest(changes),
	});
	const records = changes.map(
		(change, n): PairedRecord => [change.itemIndex, changeRecord(change, outcomes[n])],
	);
	return batchOutcomes(itemIndexes, errors, records, summary);
}
