import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { userLocator } from '../common.descriptions';
import { encodeId } from '../context';
import type { RunContext } from '../context';
import { protectAdmin } from '../guards';

const properties: INodeProperties[] = [
	{
		...userLocator(),
		hint: "Deleting removes the user from the organization for good: Miro moves their boards to the organization's oldest team admin and frees their license; the account cannot be restored. To keep boards in place (and free the paid license all the same), use Deactivate.",
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['delete'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject> {
	const id = await run.userId('user', itemIndex);
	await protectAdmin(this, run, itemIndex, id, 'delete');
	await run.deleteOnce(`/Users/${encodeId(id)}`, itemIndex);
	return { deleted: true, id };
}
