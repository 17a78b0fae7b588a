import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { RunContext } from './context';
import type { RunOptions } from './context';
import * as group from './group';
import type {
	ExecuteBatch,
	MiroScimResource,
	OperationModule,
	PerItemOperation,
	ResourceOperations,
} from './node.type';
import { outputShaper } from './output';
import * as sync from './sync';
import * as user from './user';

/** Every operation of every resource, each barrel checked against ResourceOperations. */
const resources: { [R in MiroScimResource]: ResourceOperations<R> } = { user, group, sync };

const operations = new Map<string, OperationModule>(
	Object.entries(resources).flatMap(([resource, modules]) =>
		Object.entries(modules).map(([operation, module]) => [`${resource}.${operation}`, module]),
	),
);

type Dispatch = { batch: ExecuteBatch } | { perItem: PerItemOperation['execute'] };

/** A batch operation runs as one batch; a per-item one too when it merges items this run. */
function dispatchOf(module: OperationModule, run: RunContext): Dispatch {
	if (!('execute' in module)) return { batch: module.executeBatch };
	if (module.executeBatch && module.batched?.(run) !== false) return { batch: module.executeBatch };
	return { perItem: module.execute };
}

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const description = (error as { description?: string }).description;
	const json: IDataObject = { error: error.message };
	if (description) json.description = description;
	const httpCode = (error as { httpCode?: string }).httpCode;
	if (httpCode) json.httpCode = httpCode;
	return { json, pairedItem: { item: itemIndex } };
}

type Outcome = IDataObject | IDataObject[] | Error;

/**
 * Puts one item's outcome into `outputs`: its records, shaped and paired with the item, or its
 * error (an error item with Continue On Fail, else it stops the node).
 */
function settler(
	ctx: IExecuteFunctions,
	outputs: INodeExecutionData[][],
	shape: (itemIndex: number, record: IDataObject) => IDataObject,
) {
	return (itemIndex: number, outcome: Outcome) => {
		if (outcome instanceof Error) {
			if (!ctx.continueOnFail()) {
				const withContext = outcome as Error & { context?: IDataObject };
				if (withContext.context) withContext.context.itemIndex = itemIndex;
				throw outcome;
			}
			outputs[itemIndex] = [errorItem(outcome, itemIndex)];
			return;
		}
		const records = Array.isArray(outcome) ? outcome : [outcome];
		outputs[itemIndex] = records.map((json) => ({
			json: shape(itemIndex, json),
			pairedItem: { item: itemIndex },
		}));
	};
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = operations.get(`${resource}.${operation}`);
	if (!module) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for "${resource}"`,
		);
	}

	const run = new RunContext(this, this.getNodeParameter('options', 0, {}) as RunOptions);
	const outputs: INodeExecutionData[][] = new Array(items.length);
	const indexes = items.map((_, itemIndex) => itemIndex);

	const settle = settler(this, outputs, outputShaper(this, items.length));

	const dispatch = dispatchOf(module, run);
	if ('batch' in dispatch) {
		const outcomes = await dispatch.batch.call(this, indexes, run);
		outcomes.forEach((outcome, itemIndex) => settle(itemIndex, outcome));
	} else {
		await run.forEach(indexes, async (itemIndex) => {
			let outcome: Outcome;
			try {
				outcome = await dispatch.perItem.call(this, itemIndex, run);
			} catch (error) {
				outcome = error as Error;
			}
			settle(itemIndex, outcome);
		});
	}
	return [outputs.flat()];
}
