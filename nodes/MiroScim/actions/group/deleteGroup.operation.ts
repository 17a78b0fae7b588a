import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { groupLocator } from '../common.descriptions';
import { encodeId } from '../context';
import type { RunContext } from '../context';
import { explainRefusal } from './groupModel';

const properties: INodeProperties[] = [
	{
		...groupLocator(),
		hint: 'Members stay in the organization but lose what the group gave them: team access and boards shared with the group. This cannot be undone.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['group'], operation: ['delete'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject> {
	const { id, name } = await run.withGroupId('group', itemIndex, async (groupId) => {
		// Named before the delete: afterwards the directory no longer knows the group.
		const groupName = await run.groupName('group', itemIndex, groupId);
		await deleteById(this, run, groupId, itemIndex);
		return { id: groupId, name: groupName };
	});
	(await run.groupDirectory(itemIndex)).forget(id);
	return { deleted: true, id, name };
}

async function deleteById(
	ctx: IExecuteFunctions,
	run: RunContext,
	id: string,
	itemIndex: number,
): Promise<void> {
	await explainRefusal(ctx, itemIndex, 'delete', async () => {
		await run.deleteOnce(`/Groups/${encodeId(id)}`, itemIndex, true);
	});
}
