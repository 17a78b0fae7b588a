import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RunContext } from '../context';
import { fieldError, requireEmail, requireId } from '../validation';

/** A user as the builder gave them: the id, and the email when they gave an email. */
export interface MemberRef extends IDataObject {
	id: string;
	email?: string;
}

export const idsOf = (users: MemberRef[]) => users.map((user) => user.id);

async function resolveMember(
	ctx: IExecuteFunctions,
	run: RunContext,
	itemIndex: number,
	entry: string,
	field: string,
): Promise<MemberRef> {
	if (!entry.includes('@')) return { id: requireId(ctx, itemIndex, field, entry) };
	const email = requireEmail(ctx, itemIndex, field, entry);
	const id = await run.userIdByEmail(email, itemIndex);
	if (id === undefined) {
		throw fieldError(
			ctx,
			itemIndex,
			field,
			`no Miro user has the email ${email}`,
			'Create the user first (User > Create), or check the address.',
		);
	}
	return { id, email };
}

/**
 * Turns Miro user IDs and emails, as a builder lists them, into one entry per user, in the order
 * given; a user given both ways keeps the email. Emails are looked up once per execution; an
 * unknown email fails the item before anything changes.
 */
export async function resolveMemberRefs(
	ctx: IExecuteFunctions,
	run: RunContext,
	itemIndex: number,
	entries: string[],
	field: string,
): Promise<MemberRef[]> {
	const users = new Map<string, MemberRef>();
	for (const entry of entries) {
		const user = await resolveMember(ctx, run, itemIndex, entry, field);
		users.set(user.id, { ...users.get(user.id), ...user });
	}
	return [...users.values()];
}

/** The user IDs of `resolveMemberRefs`. */
export async function resolveMembers(
	ctx: IExecuteFunctions,
	run: RunContext,
	itemIndex: number,
	entries: string[],
	field: string,
): Promise<string[]> {
	return idsOf(await resolveMemberRefs(ctx, run, itemIndex, entries, field));
}
