import type { INodeProperties } from 'n8n-workflow';

import * as find from './find.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as rename from './rename.operation';
import * as updateMembers from './updateMembers.operation';

export { find, get, getAll, rename, updateMembers };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['group'] } },
		options: [
			{
				name: 'Find by Name',
				value: 'find',
				description: 'Find a team by its exact name',
				action: 'Find a team by name',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a team and its members',
				action: 'Get a team',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List teams, optionally filtered by name',
				action: 'Get many teams',
			},
			{
				name: 'Rename',
				value: 'rename',
				description: "Change a team's SCIM name",
				action: 'Rename a team',
			},
			{
				name: 'Update Members',
				value: 'updateMembers',
				description: 'Add and remove users in one step',
				action: 'Update team members',
			},
		],
		default: 'find',
	},
	...find.description,
	...get.description,
	...getAll.description,
	...rename.description,
	...updateMembers.description,
];
