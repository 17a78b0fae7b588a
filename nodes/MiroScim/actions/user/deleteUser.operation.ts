import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { userLocator } from '../common.descriptions';
import { encodeId } from '../context';
import type { RunContext } from '../context';

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
	// A 404 is an error on the first attempt (wrong id), but after an attempt whose answer was
	// lost it means that attempt deleted the user: the recover step accepts it as done.
	await run.client.request({
		method: 'DELETE',
		path: `/Users/${encodeId(id)}`,
		idempotent: false,
		recover: async () => {
			const check = await run.client.request({
				method: 'GET',
				path: `/Users/${encodeId(id)}`,
				accept: [404],
				itemIndex,
			});
			return check.status === 404 ? { id } : undefined;
		},
		itemIndex,
	});
	return { deleted: true, id };
}
