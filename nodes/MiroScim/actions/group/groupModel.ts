import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { eq } from '../../scim/filter';
import type { ListPage } from '../../scim/paging';
import { scimDetail, teamModelRefusal, TEAM_MODEL_REFUSAL_STATUSES } from '../../transport/errors';
import type { RunContext } from '../context';

/**
 * Runs a group create or delete and, when Miro refuses it the way an organization on the team
 * model does, replaces the generic "method not supported" with what that means and what to do.
 * Miro's own words stay in the description.
 */
export async function onTeamModelRefusal<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	action: 'create' | 'delete',
	send: () => Promise<T>,
): Promise<T> {
	try {
		return await send();
	} catch (error) {
		const status = error instanceof NodeApiError ? error.httpCode : null;
		if (status === null || !TEAM_MODEL_REFUSAL_STATUSES.includes(status)) throw error;
		const advice = teamModelRefusal(action);
		const detail = scimDetail((error as NodeApiError).errorResponse);
		throw new NodeApiError(ctx.getNode(), (error as NodeApiError).errorResponse ?? {}, {
			message: advice.message,
			description: `${detail ? `Miro says: ${detail}` : `HTTP ${status}`} ${advice.hint}`,
			httpCode: status,
			itemIndex,
		});
	}
}

/**
 * The group with exactly this name, read fresh from Miro. A create's recovery must see what
 * the lost attempt did, so it cannot reuse a lookup made (and remembered) before sending.
 */
export async function groupNamed(
	run: RunContext,
	name: string,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const response = await run.client.request({
		method: 'GET',
		path: '/Groups',
		qs: { filter: eq('displayName', name), startIndex: 1, count: 10 },
		accept: [404],
		itemIndex,
	});
	if (response.status === 404) return undefined;
	const page = response.body as ListPage<IDataObject>;
	return page.Resources?.find((group) => group.displayName === name);
}
