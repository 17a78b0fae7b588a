import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyGroup } from '../../scim/group';
import { simplifyField } from '../common.descriptions';
import type { RunContext } from '../context';
import { fieldError, requireText } from '../validation';

const properties: INodeProperties[] = [
	{
		displayName: 'Team Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Engineering',
		description:
			'The exact team name (SCIM displayName), case included. Names are read from one listing of all teams that every execution in this n8n process shares for a minute, as Miro allows only 5 team listings or searches per 30 seconds.',
	},
	simplifyField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['group'], operation: ['find'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject> {
	const name = requireText(
		this,
		itemIndex,
		'Team Name',
		this.getNodeParameter('name', itemIndex, ''),
	);
	const group = await run.findGroupByName(name, itemIndex);
	if (!group) {
		throw fieldError(
			this,
			itemIndex,
			'Team Name',
			`no Miro team is named "${name}"`,
			'Names must match exactly, including case. Teams cannot be created through SCIM: create the team in Miro first.',
		);
	}
	return this.getNodeParameter('simplify', itemIndex, true) ? simplifyGroup(group) : group;
}
