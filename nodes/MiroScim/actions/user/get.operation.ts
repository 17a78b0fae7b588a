import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';

import { simplifyField, userLocator } from '../common.descriptions';
import type { RunContext } from '../context';
import { fieldError, requireEmail, requireId } from '../validation';

const properties: INodeProperties[] = [userLocator(), simplifyField];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject> {
	const locator = this.getNodeParameter('user', itemIndex) as INodeParameterResourceLocator;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	let user: IDataObject;
	if (locator.mode === 'email') {
		// One filtered list call returns the whole user: no need to resolve the id first.
		const email = requireEmail(this, itemIndex, 'User (By Email)', locator.value);
		const found = await run.findUserByEmail(email, itemIndex);
		if (!found) {
			throw fieldError(
				this,
				itemIndex,
				'User (By Email)',
				`no Miro user has the email ${email}`,
				'Check the address; guests and external users are not visible through SCIM.',
			);
		}
		user = found;
	} else {
		// The locator is already read: reading it again would evaluate its expression twice.
		user = await run.getUser(requireId(this, itemIndex, 'User', locator.value), itemIndex);
	}
	return simplify ? run.simplifyUser(user) : user;
}
