import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyGroup } from '../../scim/group';
import { MIRO_RATE_LIMITS, MIRO_WINDOW_MS } from '../../transport/pacing';
import { simplifyField } from '../common.descriptions';
import type { RunContext } from '../context';
import { fieldError, requireText } from '../validation';

const properties: INodeProperties[] = [
	{
		displayName: 'Group Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Engineering',
		description: `The exact group name (SCIM displayName), case included. Names are read from one listing of all groups that every execution in this n8n process shares for a minute, as Miro allows only ${MIRO_RATE_LIMITS['GET /Groups']} group listings or searches per ${MIRO_WINDOW_MS / 1000} seconds.`,
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
		'Group Name',
		this.getNodeParameter('name', itemIndex, ''),
	);
	const group = await run.findGroupByName(name, itemIndex);
	if (!group) {
		throw fieldError(
			this,
			itemIndex,
			'Group Name',
			`no Miro group is named "${name}"`,
			'Names must match exactly, including case. Create the group first (Group > Create), or, where groups are teams, create the team in Miro.',
		);
	}
	return this.getNodeParameter('simplify', itemIndex, true) ? simplifyGroup(group) : group;
}
