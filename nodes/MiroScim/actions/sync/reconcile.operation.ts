import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { miroGroupFrom, miroUserFrom } from '../../sync/fields';
import { groupListProblem } from '../../sync/groups';
import { planSync } from '../../sync/plan';
import type {
	Change,
	DesiredPerson,
	MiroGroup,
	MiroUser,
	Plan,
	SyncOptions,
} from '../../sync/types';
import type { RunContext } from '../context';
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

type Outcomes = Array<IDataObject | IDataObject[] | Error>;

/** The desired state is all items together: one item alone would make everyone else a leaver. */
export async function execute(this: IExecuteFunctions): Promise<IDataObject> {
	throw new NodeOperationError(this.getNode(), 'Reconcile runs on all input items together');
}

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
 * Each change goes out paired with the input item of its person; leavers and the summary with
 * the last usable item, so that they come last.
 */
function distribute(
	itemIndexes: number[],
	errors: Map<number, Error>,
	changes: Change[],
	outcomes: Outcome[],
	summary: IDataObject,
): Outcomes {
	const records = new Map<number, IDataObject[]>();
	const tail =
		[...itemIndexes].reverse().find((itemIndex) => !errors.has(itemIndex)) ??
		itemIndexes[itemIndexes.length - 1];
	const push = (itemIndex: number, record: IDataObject) => {
		const list = records.get(itemIndex) ?? [];
		list.push(record);
		records.set(itemIndex, list);
	};
	changes.forEach((change, n) => push(change.itemIndex ?? tail, changeRecord(change, outcomes[n])));
	push(tail, summary);
	return itemIndexes.map((itemIndex) => errors.get(itemIndex) ?? records.get(itemIndex) ?? []);
}

/**
 * Reads every item as a person, lists Miro's users and groups, plans the difference and, unless
 * Dry Run is on, applies exactly that plan. Bad items fail before any request (or, with
 * Continue On Fail, become error items and are never taken for leavers).
 */
export async function executeBatch(
	this: IExecuteFunctions,
	itemIndexes: number[],
	run: RunContext,
): Promise<Outcomes> {
	const startedAt = Date.now();
	const dryRun = this.getNodeParameter('dryRun', 0, true) as boolean;
	const { people, errors, protectedKeys } = readPeople(this, itemIndexes);
	if (errors.size > 0 && !this.continueOnFail()) return itemIndexes.map((i) => errors.get(i) ?? []);
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
	if (result.problems.length > 0 && !this.continueOnFail()) {
		return itemIndexes.map((itemIndex) => errors.get(itemIndex) ?? []);
	}
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
	return distribute(itemIndexes, errors, result.changes, outcomes, summary);
}
