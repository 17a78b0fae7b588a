import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { properties } from './actions/properties';
import { router } from './actions/router';
import { subtitleExpression } from './actions/subtitle';
import { listSearch } from './methods';

export class MiroScim implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Miro SCIM',
		name: 'miroScim',
		icon: { light: 'file:miroScim.svg', dark: 'file:miroScim.dark.svg' },
		group: ['transform'],
		// Version 2 speaks of groups in its output (groupId, groups) and says what Update Members
		// changed; workflows saved with version 1 keep 0.1.0's output (docs/versions.md).
		version: [1, 2],
		defaultVersion: 2,
		subtitle: subtitleExpression(properties),
		description:
			'Provision Miro users and groups over SCIM 2.0: create, update roles, deactivate and delete users, create groups and manage their members, and sync Miro with a source of truth (plan in dry run, guard, apply)',
		defaults: { name: 'Miro SCIM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'miroScimApi', required: true }],
		properties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
