import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { replace } from '../../scim/patch';
import { simplifyField, userLocator } from '../common.descriptions';
import type { RunContext } from '../context';
import { protectAdmin } from '../guards';
import type { PerItemOperation } from '../node.type';

/** Deactivate and Reactivate differ only in the value of `active` (Miro's PATCH table). */
export function setActiveOperation(
	operation: string,
	active: boolean,
	hint?: string,
): PerItemOperation {
	const properties: INodeProperties[] = [
		{ ...userLocator(), ...(hint ? { hint } : {}) },
		simplifyField,
	];
	return {
		description: updateDisplayOptions(
			{ show: { resource: ['user'], operation: [operation] } },
			properties,
		),
		async execute(
			this: IExecuteFunctions,
			itemIndex: number,
			run: RunContext,
		): Promise<IDataObject> {
			const id = await run.userId('user', itemIndex);
			if (!active) await protectAdmin(this, run, itemIndex, id, 'deactivate');
			const user = await run.patchUser(id, [replace('active', active)], itemIndex);
			return this.getNodeParameter('simplify', itemIndex, true) ? run.simplifyUser(user) : user;
		},
	};
}
