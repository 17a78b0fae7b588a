import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { miroGroupFrom, miroUserFrom } from '../../sync/fields';
import { groupListProblem } from '../../sync/groups';
import { planSync } from '../../sync/plan';
import type { DesiredPerson, MiroGroup, MiroUser, Plan, SyncOptions } from '../../sync/types';
import { batchOutcomes, stopBeforeWrite } from '../batch';
import type { PairedRecord } from '../batch';
import type { RunContext } from '../context';
import type { BatchOutcomes } from '../node.type';
import { fieldError } from '../validation';
import { applyChanges, plannedOutcome } from './apply';
import type { Outcome } from './apply';
import { reconcileProperties } from './descriptions';
import { changeRecord, summaryRecord } from './output';
import { keysOf, readPerson, readSyncOptions } from './read';

export const description = updateDisplayOptions(
	{ show: { resource: ['sync'], operation: ['reconcile'] } },
	reconcileProperties,
);

function readPeople(ctx: IExecuteFunctions, itemIndexes: number[]) {
	const manageGroups = String(ctx.getNode().parameters.groups ?? '').trim() !== '';
	const people: DesiredPerson[] = [];
	const errors = new Map<number, Error>();
	const protectedKeys: string[] = [];
	for (const itemIndex of itemIndexes) {
		try {
			people.push(readPerson(ctx, itemIndex, manageGroups));
		} catch (error) {
			errors.set(itemIndex, error as Error);
			protectedKeys.push(...keysOf(ctx, itemIndex));
		}
	}
	return { people, errors, protectedKeys };
}

/** Users page by page and groups with their members: the only reads a plan needs. */
async function readListings(run: RunContext): Promise<{ users: MiroUser[]; groups: MiroGroup[] }> {
	const [users, groups] = await Promise.all([
		run.client.list('/Users', {}),
		run.client.list('/Groups', {}),
	]);
	return { users: users.map(miroUserFrom), groups: groups.map(miroGroupFrom) };
}

function plan(
	ctx: IExecuteFunctions,
	people: DesiredPerson[],
	listing: { users: MiroUser[]; groups: MiroGroup[] },
	options: SyncOptions,
): Plan {
	const listProblem = groupListProblem(listing.groups, options);
	if (listProblem) {
		throw new NodeOperationError(ctx.getNode(), `Group List: ${listProblem.problem}`, {
			description: listProblem.fix,
		});
	}
	return planSync(people, listing.users, listing.groups, options);
}

/** An empty input always stops; a plan over the limit stops before any write. */
function checkGuard(ctx: IExecuteFunctions, result: Plan, people: number, dryRun: boolean) {
	const { guard } = result;
	if (guard.passed || (dryRun && people > 0)) return;
	throw new NodeOperationError(
		ctx.getNode(),
		guard.message ?? 'The safety guard stopped the sync',
		{
			description: guard.fix,
		},
	);
}

/**
 * The desired state is all items together (one item alone would make everyone else a leaver).
 * Reads every item as a person, lists Miro's users and groups, plans the difference and, unless
 * Dry Run is on, applies exactly that plan. Bad items fail before any request (or, with
 * Continue On Fail, become error items and are never taken for leavers).
 */
export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
	run: RunContext,
): Promise<BatchOutcomes> {
	const startedAt = Date.now();
	const dryRun = this.getNodeParameter('dryRun', 0, true) as boolean;
	const { people, errors, protectedKeys } = readPeople(this, itemIndexes);
	const stop = stopBeforeWrite(this, itemIndexes, errors);
	if (stop) return stop;
	const options = readSyncOptions(this, protectedKeys);
	// The plan is as old as the listing it compares with: the time the reads began.
	const plannedAt = new Date().toISOString();
	const result = plan(this, people, await readListings(run), options);
	for (const change of result.changes)
		Object.assign(change, { plannedAt, inScope: result.inScope });
	for (const problem of result.problems) {
		const { itemIndex, field, fix } = problem;
		errors.set(itemIndex, fieldError(this, itemIndex, field, problem.problem, fix));
	}
	const invalid = stopBeforeWrite(this, itemIndexes, errors);
	if (invalid) return invalid;
	checkGuard(this, result, people.length - result.problems.length, dryRun);
	const reads = run.client.sent;
	const outcomes: Outcome[] = dryRun
		? result.changes.map(plannedOutcome)
		: await applyChanges(run, result.changes);
	const summary = summaryRecord({
		mode: 'reconcile',
		dryRun,
		changes: result.changes,
		outcomes,
		guard: result.guard,
		excluded: result.excluded,
		reads,
		writes: run.client.sent - reads,
		startedAt,
		invalidItems: errors.size,
		plannedAt,
	});
	// Leavers (no input item) and the summary go with the last usable item, so they come last.
	const records = result.changes.map(
		(change, n): PairedRecord => [change.itemIndex, changeRecord(change, outcomes[n])],
	);
	return batchOutcomes(itemIndexes, errors, records, summary);
}
