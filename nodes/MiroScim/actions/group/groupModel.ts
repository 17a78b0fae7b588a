import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { eq } from '../../scim/filter';
import type { ListPage } from '../../scim/paging';
import {
	isNotUnique,
	scimDetail,
	teamModelRefusal,
	TEAM_MODEL_REFUSAL_STATUSES,
} from '../../transport/errors';
import type { RunContext } from '../context';

const NAME_TAKEN = {
	message: 'A Miro group with this name already exists',
	hint: 'Set "If Name Exists" to "Return Existing" to make the step idempotent.',
};

/**
 * Runs a group create or delete and, when Miro refuses it the way an organization on the team
 * model does, replaces the generic "method not supported" with what that means and what to do;
 * a create refused for a taken name says so instead of the generic (user) conflict message.
 * Miro's own words stay in the description.
 */
export async function explainRefusal<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	action: 'create' | 'delete',
	send: () => Promise<T>,
): Promise<T> {
	const outcome = await send().then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);
	if ('value' in outcome) return outcome.value;
	const error = outcome.error;
	const advice = error instanceof NodeApiError ? refusalAdvice(action, error) : undefined;
	// Anything else (rate limits, outages, bad input) already carries the right message.
	if (!advice) throw error;
	const { httpCode, errorResponse } = error as NodeApiError;
	const detail = scimDetail(errorResponse);
	throw new NodeApiError(ctx.getNode(), errorResponse ?? {}, {
		message: advice.message,
		description: `${detail ? `Miro says: ${detail}` : `HTTP ${httpCode}`} ${advice.hint}`,
		httpCode: httpCode ?? undefined,
		itemIndex,
	});
}

function refusalAdvice(action: 'create' | 'delete', error: NodeApiError) {
	const status = error.httpCode;
	if (status === null) return undefined;
	if (TEAM_MODEL_REFUSAL_STATUSES.includes(status)) return teamModelRefusal(action);
	if (action === 'create' && isNotUnique(Number(status), error.errorResponse)) return NAME_TAKEN;
	return undefined;
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
