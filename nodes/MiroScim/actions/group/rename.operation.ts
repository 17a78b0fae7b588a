import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyGroup } from '../../scim/group';
import { patchOp, replace } from '../../scim/patch';
import { groupLocator, simplifyField } from '../common.descriptions';
import { encodeId } from '../context';
import type { RunContext } from '../context';
import { requireText } from '../validation';

const properties: INodeProperties[] = [
	groupLocator(),
	{
		displayName: 'New Name',
		name: 'newName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. g_app_proeng_all',
		hint: 'Where groups are teams, renaming the SCIM group decouples it from the team name shown in Miro',
	},
	simplifyField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['group'], operation: ['rename'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject> {
	const newName = requireText(
		this,
		itemIndex,
		'New Name',
		this.getNodeParameter('newName', itemIndex, ''),
	);
	const group = await run.withGroupId('group', itemIndex, async (id) => {
		const response = await run.client.request({
			method: 'PATCH',
			path: `/Groups/${encodeId(id)}`,
			body: patchOp([replace('displayName', newName)]),
			itemIndex,
		});
		return response.body.id ? response.body : { id, displayName: newName };
	});
	// Every execution in this process finds the group by its new name from now on.
	(await run.groupDirectory(itemIndex)).rename(String(group.id), newName);
	return this.getNodeParameter('simplify', itemIndex, true) ? simplifyGroup(group) : group;
}
