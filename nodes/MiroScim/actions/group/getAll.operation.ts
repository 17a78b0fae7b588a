import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { and, compare, eq } from '../../scim/filter';
import { simplifyGroup } from '../../scim/group';
import { readLimit, returnAllOrLimit, simplifyField } from '../common.descriptions';
import type { RunContext } from '../context';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Only the group with exactly this name',
			},
			{
				displayName: 'Name Contains',
				name: 'nameContains',
				type: 'string',
				default: '',
				description: 'Only groups whose name contains this text',
			},
		],
	},
	{
		displayName: 'Include Members',
		name: 'includeMembers',
		type: 'boolean',
		default: false,
		description: "Whether to return each group's member list (larger, slower answers)",
	},
	simplifyField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['group'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject[]> {
	const limit = readLimit(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const includeMembers = this.getNodeParameter('includeMembers', itemIndex, false) as boolean;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const filter = and(
		filters.name ? eq('displayName', String(filters.name)) : undefined,
		filters.nameContains ? compare('displayName', 'co', String(filters.nameContains)) : undefined,
	);

	const resources = await run.client.list('/Groups', filter ? { filter } : {}, {
		limit,
		itemIndex,
		omitMembers: !includeMembers,
	});
	return simplify ? resources.map(simplifyGroup) : resources;
}
