import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { BatchOutcomes } from './node.type';

/**
 * Without Continue On Fail, one item that cannot be read stops the node, and it had better stop
 * before any write: the outcomes to return then (each bad item its error), or undefined to go on.
 */
export function stopBeforeWrite(
	ctx: IExecuteFunctions,
	itemIndexes: number[],
	errors: Map<number, Error>,
): BatchOutcomes | undefined {
	if (errors.size === 0 || ctx.continueOnFail()) return undefined;
	return itemIndexes.map((itemIndex) => errors.get(itemIndex) ?? []);
}

/** One output record and the input item it pairs with (none: it goes with the last item). */
export type PairedRecord = [itemIndex: number | undefined, record: IDataObject];

/**
 * A batch's outcomes per input item: each item's error, or its records in order. Records that
 * belong to no item, and the summary, go with the last item that did not fail, so they come last.
 */
export function batchOutcomes(
	itemIndexes: number[],
	errors: Map<number, Error>,
	records: PairedRecord[],
	summary?: IDataObject,
): BatchOutcomes {
	const tail =
		[...itemIndexes].reverse().find((itemIndex) => !errors.has(itemIndex)) ??
		itemIndexes[itemIndexes.length - 1];
	const byItem = new Map<number, IDataObject[]>();
	const push = (itemIndex: number, record: IDataObject) =>
		byItem.set(itemIndex, [...(byItem.get(itemIndex) ?? []), record]);
	for (const [itemIndex, record] of records) push(itemIndex ?? tail, record);
	if (summary) push(tail, summary);
	return itemIndexes.map((itemIndex) => errors.get(itemIndex) ?? byItem.get(itemIndex) ?? []);
}
