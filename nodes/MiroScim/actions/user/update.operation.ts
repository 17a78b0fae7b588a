import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { userReplaceOperations } from '../../scim/user';
import { simplifyField, userLocator } from '../common.descriptions';
import type { RunContext } from '../context';
import { protectAdmin } from '../guards';
import { fieldError } from '../validation';
import { readUserFields, userFieldOptions } from './fields';

const properties: INodeProperties[] = [
	userLocator(),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: userFieldOptions(true),
	},
	simplifyField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['update'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject> {
	const fields = readUserFields(
		this,
		itemIndex,
		this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject,
		'Update Fields',
	);
	const operations = userReplaceOperations(fields);
	if (operations.length === 0) {
		throw fieldError(
			this,
			itemIndex,
			'Update Fields',
			'nothing to change',
			'Add at least one field under "Update Fields" and give it a value.',
		);
	}
	const id = await run.userId('user', itemIndex);
	await protectAdmin(this, run, itemIndex, id, 'change');
	const user = await run.patchUser(id, operations, itemIndex);
	return this.getNodeParameter('simplify', itemIndex, true) ? run.simplifyUser(user) : user;
}
