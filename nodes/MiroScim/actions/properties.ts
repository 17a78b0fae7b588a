import type { INodeProperties } from 'n8n-workflow';

import { optionsField } from './common.descriptions';
import { outputFields } from './output';
import * as group from './group/description';
import * as sync from './sync/description';
import * as user from './user/description';

/** Every parameter of the node, resource by resource; the node file adds the rest. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Group',
				value: 'group',
				description:
					'A Miro user group (a SCIM group); a team on organizations still on the team model',
			},
			{
				name: 'Sync',
				value: 'sync',
				description: 'Keep Miro in step with a source of truth (HR, a spreadsheet)',
			},
			{ name: 'User', value: 'user', description: 'A member of your Miro organization' },
		],
		default: 'user',
	},
	...user.description,
	...group.description,
	...sync.description,
	...outputFields,
	optionsField,
];
