import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { createMemberBatches, groupResource, memberPatches, simplifyGroup } from '../../scim/group';
import type { MemberPatch } from '../../scim/group';
import { simplifyField } from '../common.descriptions';
import { encodeId } from '../context';
import type { RunContext } from '../context';
import { isNotUnique } from '../../transport/errors';
import { requireText } from '../validation';
import { groupNamed, explainRefusal } from './groupModel';
import { memberList, resolveMembers } from './members';

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'displayName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. g_app_proeng_all',
		description: "The new group's name (displayName); names are compared exactly, case included",
	},
	{
		displayName: 'Members',
		name: 'members',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. jane@example.com, 3074457345618261605',
		description:
			'Optional. Miro user IDs or emails, separated by commas or new lines, or an expression giving one or a list. A new group gets them; an existing one is returned unchanged.',
	},
	{
		displayName: 'If Name Exists',
		name: 'ifExists',
		type: 'options',
		default: 'returnExisting',
		options: [
			{
				name: 'Fail',
				value: 'fail',
				description: 'Stop with an error; Miro is asked to create the group without a lookup first',
			},
			{
				name: 'Return Existing',
				value: 'returnExisting',
				description:
					'Look the exact name up first and return that group unchanged. Re-running the workflow creates no group twice, and on organizations where groups are teams it finds the team.',
			},
		],
	},
	simplifyField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['group'], operation: ['create'] } },
	properties,
);

/** Members beyond what one request may carry; adding a member twice changes nothing. */
async function addFollowUps(
	run: RunContext,
	id: string,
	patches: MemberPatch[],
	itemIndex: number,
) {
	for (const { body } of patches) {
		await run.client.request({
			method: 'PATCH',
			path: `/Groups/${encodeId(id)}`,
			body,
			itemIndex,
		});
	}
}

async function createGroup(
	run: RunContext,
	name: string,
	memberIds: string[],
	itemIndex: number,
): Promise<IDataObject> {
	const { first, followUps } = createMemberBatches(name, memberIds);
	// A create whose answer was lost may still have made the group: before sending it again, and
	// on a 409 after such an attempt, the transport asks `recover` whether the name now exists.
	const response = await run.client.request({
		method: 'POST',
		path: '/Groups',
		body: groupResource(name, first),
		idempotent: false,
		recover: async () => await groupNamed(run, name, itemIndex),
		itemIndex,
	});
	const id = String(response.body.id);
	// A recovered group is the lost attempt's (or another run's): add every member to be sure.
	const patches = response.recovered ? memberPatches(memberIds, []) : followUps;
	if (patches.length === 0) return response.body;
	await addFollowUps(run, id, patches, itemIndex);
	const read = await run.client.request({
		method: 'GET',
		path: `/Groups/${encodeId(id)}`,
		itemIndex,
	});
	return read.body;
}

/**
 * Return Existing's create: another item or workflow may take the name between the lookup and
 * the POST; Miro then answers that the name is taken, and the group it names is the result.
 */
async function createOrFind(
	run: RunContext,
	name: string,
	memberIds: string[],
	itemIndex: number,
): Promise<{ group: IDataObject; created: boolean }> {
	const outcome = await createGroup(run, name, memberIds, itemIndex).then(
		(group) => ({ group }),
		(error: unknown) => ({ error }),
	);
	if ('group' in outcome) return { group: outcome.group, created: true };
	const error = outcome.error;
	const taken =
		error instanceof NodeApiError && isNotUnique(Number(error.httpCode), error.errorResponse);
	const found = taken ? await groupNamed(run, name, itemIndex) : undefined;
	if (!found) throw error;
	return { group: found, created: false };
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<IDataObject> {
	const name = requireText(
		this,
		itemIndex,
		'Name',
		this.getNodeParameter('displayName', itemIndex, ''),
	);
	const entries = memberList(this.getNodeParameter('members', itemIndex, ''));
	const memberIds = await resolveMembers(this, run, itemIndex, entries, 'Members');
	const ifExists = this.getNodeParameter('ifExists', itemIndex, 'returnExisting') as string;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const output = (group: IDataObject, created: boolean) => ({
		...(simplify ? simplifyGroup(group) : group),
		created,
	});

	if (ifExists !== 'fail') {
		const existing = await run.findGroupByName(name, itemIndex);
		if (existing) return output(existing, false);
	}
	const outcome = await explainRefusal(this, itemIndex, 'create', async () =>
		ifExists === 'fail'
			? { group: await createGroup(run, name, memberIds, itemIndex), created: true }
			: await createOrFind(run, name, memberIds, itemIndex),
	);
	// Every execution in this process finds the new group by name without listing again.
	(await run.groupDirectory(itemIndex)).remember({ ...outcome.group, displayName: name });
	return output(outcome.group, outcome.created);
}
