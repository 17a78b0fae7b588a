import type { IExecuteFunctions } from 'n8n-workflow';

import type { RunContext } from '../context';
import { fieldError, requireEmail, requireId } from '../validation';

/**
 * Turns Miro user IDs and emails, as a builder lists them, into user IDs. Emails are looked up
 * once per execution; an unknown email fails the item before anything changes.
 */
export async function resolveMembers(
	ctx: IExecuteFunctions,
	run: RunContext,
	itemIndex: number,
	entries: string[],
	field: string,
): Promise<string[]> {
	const ids: string[] = [];
	for (const entry of entries) {
		if (!entry.includes('@')) {
			ids.push(requireId(ctx, itemIndex, field, entry));
			continue;
		}
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
		ids.push(id);
	}
	return [...new Set(ids)];
}
