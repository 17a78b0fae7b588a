import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteGroup from './deleteGroup.operation';
import * as find from './find.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as rename from './rename.operation';
import * as updateMembers from './updateMembers.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['group'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a user group, or return the one with that name',
				action: 'Create a group',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a user group; its members stay in the organization',
				action: 'Delete a group',
			},
			{
				name: 'Find by Name',
				value: 'find',
				description: 'Find a group by its exact name',
				action: 'Find a group by name',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a group and its members',
				action: 'Get a group',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List groups, optionally filtered by name',
				action: 'Get many groups',
			},
			{
				name: 'Rename',
				value: 'rename',
				description: "Change a group's SCIM name",
				action: 'Rename a group',
			},
			{
				name: 'Update Members',
				value: 'updateMembers',
				description: 'Add and remove users in one step',
				action: 'Update group members',
			},
		],
		default: 'find',
	},
	...create.description,
	...deleteGroup.description,
	...find.description,
	...get.description,
	...getAll.description,
	...rename.description,
	...updateMembers.description,
];
