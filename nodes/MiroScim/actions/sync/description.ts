import type { INodeProperties } from 'n8n-workflow';

import * as applyPlan from './applyPlan.operation';
import * as reconcile from './reconcile.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['sync'] } },
		options: [
			{
				name: 'Apply Plan',
				value: 'applyPlan',
				description: 'Apply the plan items of an earlier Reconcile (e.g. after an approval)',
				action: 'Apply a sync plan',
			},
			{
				name: 'Reconcile',
				value: 'reconcile',
				description:
					'Make Miro match the input: create, update, reactivate, deactivate and move people between groups',
				action: 'Reconcile users and groups',
			},
		],
		default: 'reconcile',
	},
	...reconcile.description,
	...applyPlan.description,
];
