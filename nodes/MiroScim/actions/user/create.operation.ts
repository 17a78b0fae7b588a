import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { userReplaceOperations, userResource } from '../../scim/user';
import { simplifyField } from '../common.descriptions';
import type { RunContext } from '../context';
import { EMAIL_OR_EXPRESSION_PATTERN, requireEmail } from '../validation';
import { createUser } from './createUser';
import { readNames, readUserFields, userFieldOptions } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. jane.doe@example.com',
		description:
			"The new user's email; Miro's userName. Its domain must be one your organization allows.",
	},
	{
		// A string field has no validation of its own in the panel: this notice flags a typo
		// there, as the By Email locator does, before a run fails on it.
		displayName: 'Not a valid email: Miro identifies users by an address like name@company.com',
		name: 'emailNotice',
		type: 'notice',
		default: '',
		displayOptions: { hide: { email: [{ _cnd: { regex: EMAIL_OR_EXPRESSION_PATTERN } }] } },
	},
	{
		displayName: 'First Name',
		name: 'givenName',
		type: 'string',
		required: true,
		default: '',
	},
	{
		displayName: 'Last Name',
		name: 'familyName',
		type: 'string',
		required: true,
		default: '',
	},
	{
		displayName: 'If Email Exists',
		name: 'ifExists',
		type: 'options',
		default: 'returnExisting',
		options: [
			{
				name: 'Fail',
				value: 'fail',
				description: 'Stop with an error; Miro is asked to create the user without a lookup first',
			},
			{
				name: 'Return Existing',
				value: 'returnExisting',
				description:
					'Look the email up first and return that user unchanged. Re-running the workflow creates nobody twice.',
			},
			{
				name: 'Update Existing',
				value: 'update',
				description: 'Look the email up first and apply the names and fields below to that user',
			},
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: userFieldOptions(false),
	},
	simplifyField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['create'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject> {
	const email = requireEmail(
		this,
		itemIndex,
		'Email',
		this.getNodeParameter('email', itemIndex, ''),
	);
	const names = readNames(this, itemIndex);
	const extra = readUserFields(
		this,
		itemIndex,
		this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject,
		'Additional Fields',
	);
	const ifExists = this.getNodeParameter('ifExists', itemIndex, 'returnExisting') as string;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const output = (user: IDataObject, created: boolean) => ({
		...(simplify ? run.simplifyUser(user) : user),
		created,
	});
	const body = userResource({ userName: email, ...names, ...extra });

	if (ifExists === 'fail') {
		return output(
			(await createUser(run, { email, body, itemIndex, lookFirst: false, takeExisting: false }))
				.user,
			true,
		);
	}
	// Items naming the same person (an HR export in mixed case) share one lookup and one create;
	// Miro compares userName case-insensitively. Only the item whose create ran reports created.
	const { result, first } = run.once(
		`create:${email.toLowerCase()}`,
		async () =>
			await createUser(run, { email, body, itemIndex, lookFirst: true, takeExisting: true }),
	);
	const found = await result;
	const created = found.created && first;
	if (ifExists === 'update' && !created) {
		const operations = userReplaceOperations({ ...names, ...extra });
		return output(await run.patchUser(String(found.user.id), operations, itemIndex), false);
	}
	return output(found.user, created);
}
