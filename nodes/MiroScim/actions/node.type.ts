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
	group: 'find' | 'get' | 'getAll' | 'rename' | 'updateMembers';
};

export type MiroScimResource = keyof NodeMap;
export type MiroScimOperation<R extends MiroScimResource = MiroScimResource> = NodeMap[R];

/** What one `<op>.operation.ts` module exports. */
export interface OperationModule {
	description: INodeProperties[];
	/** Handles one input item; may return several records (Get Many). */
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		run: RunContext,
	): Promise<IDataObject | IDataObject[]>;
	/**
	 * Handles all input items at once when items can share requests (team member changes).
	 * Returns, per item in order, its records or the error that item alone failed with.
	 */
	executeBatch?(
		this: IExecuteFunctions,
		itemIndexes: number[],
		run: RunContext,
	): Promise<Array<IDataObject | IDataObject[] | Error>>;
	/** Whether this run uses `executeBatch` (an option may turn it off); without it, it always does. */
	batched?(run: RunContext): boolean;
}
