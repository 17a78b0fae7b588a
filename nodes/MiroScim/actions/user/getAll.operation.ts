import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { and, eq } from '../../scim/filter';
import { readLimit, returnAllOrLimit, simplifyField } from '../common.descriptions';
import type { RunContext } from '../context';
import { requireEmail, requireId } from '../validation';

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
				displayName: 'Active',
				name: 'active',
				type: 'options',
				default: 'any',
				options: [
					{ name: 'Any', value: 'any' },
					{ name: 'Active Only', value: 'true' },
					{ name: 'Deactivated Only', value: 'false' },
				],
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				default: '',
				placeholder: 'e.g. jane.doe@example.com',
				description: 'Only the user whose email (userName) is exactly this, ignoring case',
			},
			{
				displayName: 'SCIM Filter',
				name: 'filter',
				type: 'string',
				default: '',
				placeholder: 'e.g. userType eq "Full" and displayName sw "A"',
				description:
					'A raw SCIM filter (RFC 7644 §3.4.2.2), combined with the other filters by "and". Operators: eq ne co sw ew pr gt ge lt le, and, or, not.',
			},
			{
				displayName: 'Group ID',
				// Saved workflows hold this name: it stays `teamId`; the panel says Group ID.
				name: 'teamId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 3458764513820540928',
				description:
					'Only members of this group (groups.value eq ID); a team on organizations still on the team model',
			},
		],
	},
	simplifyField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject[]> {
	const limit = readLimit(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	const filter = and(
		filters.email
			? eq('userName', requireEmail(this, itemIndex, 'Filters > Email', filters.email))
			: undefined,
		filters.active === 'true' || filters.active === 'false'
			? eq('active', filters.active === 'true')
			: undefined,
		filters.teamId
			? eq('groups.value', requireId(this, itemIndex, 'Filters > Group ID', filters.teamId))
			: undefined,
		(filters.filter as string | undefined)?.trim(),
	);

	const resources = await run.client.list(
		'/Users',
		{
			...(filter ? { filter } : {}),
		},
		{ limit, itemIndex },
	);
	return simplify ? resources.map((user) => run.simplifyUser(user)) : resources;
}
