import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { userLocator } from '../common.descriptions';
import { encodeId } from '../context';
import type { RunContext } from '../context';
import { protectAdmin } from '../guards';

const properties: INodeProperties[] = [
	{
		...userLocator(),
		hint: 'Deleting removes the user from the organization and hands their boards to the oldest team admin. To keep them, use Deactivate.',
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
