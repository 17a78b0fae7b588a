import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deactivate from './deactivate.operation';
import * as deleteUser from './deleteUser.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as reactivate from './reactivate.operation';
import * as update from './update.operation';
import * as updateRole from './updateRole.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a user, or return or update the one with the same email',
				action: 'Create a user',
			},
			{
				name: 'Deactivate',
				value: 'deactivate',
				description: 'Deactivate a user: frees the paid license, keeps the boards in place',
				action: 'Deactivate a user',
			},
			{
				name: 'Delete',
				value: 'delete',
				description:
					"Remove a user from the organization for good: their boards move to the organization's oldest team admin",
				action: 'Delete a user',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a user by ID or email',
				action: 'Get a user',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List users, optionally filtered by email, status or group',
				action: 'Get many users',
			},
			{
				name: 'Reactivate',
				value: 'reactivate',
				description: 'Reactivate a deactivated user',
				action: 'Reactivate a user',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change names, email, license, language or enterprise attributes',
				action: 'Update a user',
			},
			{
				name: 'Update Role',
				value: 'updateRole',
				description: 'Set the organization role and add or remove admin roles',
				action: 'Update a user role',
			},
		],
		default: 'get',
	},
	...create.description,
	...deactivate.description,
	...deleteUser.description,
	...get.description,
	...getAll.description,
	...reactivate.description,
	...update.description,
	...updateRole.description,
];
