import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RunContext } from './context';

type NodeMap = {
	user:
		| 'create'
		| 'delete'
		| 'deactivate'
		| 'get'
		| 'getAll'
		| 'reactivate'
		| 'update'
		| 'updateRole';
	group: 'create' | 'delete' | 'find' | 'get' | 'getAll' | 'rename' | 'updateMembers';
	sync: 'applyPlan' | 'reconcile';
};

export type MiroScimResource = keyof NodeMap;
export type MiroScimOperation<R extends MiroScimResource = MiroScimResource> = NodeMap[R];

/** What a batch returns, per input item in order: its records, or the error it alone failed with. */
export type BatchOutcomes = Array<IDataObject | IDataObject[] | Error>;

export type ExecuteBatch = (
	this: IExecuteFunctions,
	itemIndexes: number[],
	run: RunContext,
) => Promise<BatchOutcomes>;

/** An operation that handles one input item at a time (the router loops over the items). */
export interface PerItemOperation {
	description: INodeProperties[];
	/** Handles one input item; may return several records (Get Many). */
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		run: RunContext,
	): Promise<IDataObject | IDataObject[]>;
	/**
	 * Set when items can share requests (group member changes): the router then hands over all
	 * items at once, unless `batched` says this run goes item by item (an option turned it off).
	 */
	executeBatch?: ExecuteBatch;
	batched?(run: RunContext): boolean;
}

/** An operation whose input is all items together (a sync's desired state, a plan). */
export interface BatchOperation {
	description: INodeProperties[];
	executeBatch: ExecuteBatch;
}

/** What one `<op>.operation.ts` module exports. */
export type OperationModule = PerItemOperation | BatchOperation;

/** What one resource barrel (`user/index.ts`, ...) exports: its operations and nothing else. */
export type ResourceOperations<R extends MiroScimResource> = Record<
	MiroScimOperation<R>,
	OperationModule
>;
