import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_ACCESS_REMOVALS, guardVerdict } from '../../sync/guard';
import type { Change, ChangeAction, FieldValues } from '../../sync/types';
import { batchOutcomes, stopBeforeWrite } from '../batch';
import type { PairedRecord } from '../batch';
import type { RunContext } from '../context';
import type { BatchOutcomes } from '../node.type';
import { fieldError, requireEmail, requireId } from '../validation';
import { applyChanges, GROUP_ACTIONS, plannedOutcome } from './apply';
import { dryRunField, maxRemovalsField } from './descriptions';
import { ACTIONS, changeRecord, summaryRecord } from './output';

const properties: INodeProperties[] = [
	{
		...dryRunField,
		description:
			'Whether to only show what would be applied. On by default, so that an imported workflow never writes until you turn it off.',
	},
	maxRemovalsField,
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
	if (NEEDS_ID.includes(action) || (action === 'addToGroup' && json.id)) {
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
	return change;
}

function readPlan(ctx: IExecuteFunctions, itemIndexes: number[]) {
	const items = ctx.getInputData();
	const changes: Change[] = [];
	const errors = new Map<number, Error>();
	let inScope = 0;
	for (const itemIndex of itemIndexes) {
		const json = items[itemIndex].json;
		if (json.action === 'summary') {
			inScope = Number(json.inScope) || 0;
			continue;
		}
		try {
			changes.push(readChange(ctx, itemIndex, json));
		} catch (error) {
			errors.set(itemIndex, error as Error);
		}
	}
	return { changes, errors, inScope };
}

/**
 * Applies the changes of a plan, exactly as given: after an approval step, a builder sends the
 * approved plan items here. Only Max Access Removals guards it (the plan's own scope is past).
 */
export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
	run: RunContext,
): Promise<BatchOutcomes> {
	const startedAt = Date.now();
	const dryRun = this.getNodeParameter('dryRun', 0, true) as boolean;
	const { changes, errors, inScope } = readPlan(this, itemIndexes);
	const stop = stopBeforeWrite(this, itemIndexes, errors);
	if (stop) return stop;
	const maxAccessRemovals = this.getNodeParameter(
		'maxAccessRemovals',
		0,
		DEFAULT_MAX_ACCESS_REMOVALS,
	) as number;
	const removals = changes.filter((change) => change.removesAccess).length;
	const guard = guardVerdict(changes, Math.max(inScope, removals), 1, {
		maxAccessRemovals,
		maxAccessRemovalsPercent: 100,
		allowEmptyInput: true,
	});
	if (!guard.passed && !dryRun) {
		throw new NodeOperationError(this.getNode(), guard.message as string, {
			description: guard.fix,
		});
	}
	const outcomes = dryRun ? changes.map(plannedOutcome) : await applyChanges(run, changes);
	const summary = summaryRecord({
		mode: 'applyPlan',
		dryRun,
		changes,
		outcomes,
		guard,
		reads: 0,
		writes: run.client.sent,
		startedAt,
		invalidItems: errors.size,
	});
	const records = changes.map(
		(change, n): PairedRecord => [change.itemIndex, changeRecord(change, outcomes[n])],
	);
	return batchOutcomes(itemIndexes, errors, records, summary);
}
