import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';

import { simplifyGroup } from '../../scim/group';
import { groupLocator, simplifyField } from '../common.descriptions';
import { encodeId } from '../context';
import type { RunContext } from '../context';

const properties: INodeProperties[] = [
	groupLocator(),
	{
		displayName: 'Include Members',
		name: 'includeMembers',
		type: 'boolean',
		default: true,
		description: 'Whether to return the member list; large groups answer faster without it',
	},
	simplifyField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['group'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject> {
	const includeMembers = this.getNodeParameter('includeMembers', itemIndex, true) as boolean;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const locator = this.getNodeParameter('group', itemIndex) as INodeParameterResourceLocator;
	const group = await run.withGroupId('group', itemIndex, async (id) => {
		if (locator.mode === 'name' && !includeMembers) {
			// The directory's listing already has the group without members: no second request.
			const listed = await run.findGroupByName(String(locator.value).trim(), itemIndex);
			if (listed && String(listed.id) === id) return listed;
		}
		const response = await run.client.request({
			method: 'GET',
			path: `/Groups/${encodeId(id)}`,
			omitMembers: !includeMembers,
			itemIndex,
		});
		return response.body;
	});
	return simplify ? simplifyGroup(group) : group;
}
