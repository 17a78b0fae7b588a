import type { IDataObject } from 'n8n-workflow';

import type { ScimUser } from '../../scim/user';
import type { RunContext } from '../context';

export interface CreateUserRequest {
	email: string;
	/** The POST /Users body (`userResource`). */
	body: IDataObject;
	itemIndex: number;
	/** Look the email up first and return the user found instead of creating one. */
	lookFirst: boolean;
	/**
	 * On a uniqueness refusal, take the user that has the email: another item, execution or
	 * person made it in between. Off, the refusal is the answer (User > Create's "Fail").
	 */
	takeExisting: boolean;
}

export interface CreatedUser {
	user: ScimUser;
	/** False when the user existed (lookup) or was made meanwhile by someone else (409). */
	created: boolean;
}

/**
 * Creates a user without ever creating it twice; User > Create and Sync both create through it.
 * A create whose answer was lost (timeout, reset, 5xx) may still have made the user: before
 * sending it again, and on a 409 after such an attempt, the transport asks `recover`, which looks
 * the email up and takes the user it finds.
 */
export async function createUser(
	run: RunContext,
	request: CreateUserRequest,
): Promise<CreatedUser> {
	const { email, itemIndex } = request;
	if (request.lookFirst) {
		const existing = await run.findUserByEmail(email, itemIndex);
		if (existing) return { user: existing, created: false };
	}
	const response = await run.client.request({
		method: 'POST',
		path: '/Users',
		body: request.body,
		idempotent: false,
		recover: async () => await run.findUserByEmail(email, itemIndex),
		recoverOnConflict: request.takeExisting,
		itemIndex,
	});
	return { user: response.body as ScimUser, created: response.recovered !== 'conflict' };
}
