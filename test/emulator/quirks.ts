/**
 * Server behaviours the node must survive although Miro's description does not show them: a
 * server that refuses one spelling of a request (with a 400 naming it), or ignores a projection
 * parameter. Each node fallback (nodes/MiroScim/transport/forms.ts) is tested against these.
 */
import { ScimError } from './scim';

export type Refusable =
	| 'attributes'
	| 'excludedAttributes'
	/** `Add` / `Remove` / `Replace` */
	| 'capitalisedOp'
	/** `add` / `remove` / `replace` */
	| 'lowerCaseOp'
	/** `members[value eq 123]` */
	| 'bareMemberId'
	/** `members[value eq "123"]` */
	| 'quotedMemberId';

export interface Quirks {
	refuse?: Refusable[];
	/** Query parameters answered as if they were not sent. */
	ignore?: Array<'attributes' | 'excludedAttributes'>;
	/** Copy the request's Authorization header into every error detail (a careless proxy). */
	echoAuthorization?: boolean;
}

function operationsOf(body: unknown): Array<Record<string, unknown>> {
	const operations = (body as { Operations?: unknown } | undefined)?.Operations;
	return Array.isArray(operations) ? (operations as Array<Record<string, unknown>>) : [];
}

/** The 400 a quirky server answers this request with, if any. */
export function quirkRefusal(
	quirks: Quirks,
	query: Record<string, string>,
	body: unknown,
): ScimError | undefined {
	const refuse = new Set(quirks.refuse ?? []);
	for (const name of ['attributes', 'excludedAttributes'] as const) {
		if (refuse.has(name) && name in query) {
			return new ScimError(400, 'invalidSyntax', `Query parameter ${name} is not supported`);
		}
	}
	for (const operation of operationsOf(body)) {
		const op = String(operation.op ?? '');
		const capitalised = /^[A-Z]/.test(op);
		if (
			(capitalised && refuse.has('capitalisedOp')) ||
			(!capitalised && refuse.has('lowerCaseOp'))
		) {
			return new ScimError(400, 'invalidSyntax', `Unsupported op value "${op}"`);
		}
		const path = String(operation.path ?? '');
		const member = /^members\[value eq (.*)\]$/.exec(path);
		if (!member) continue;
		const quoted = member[1].startsWith('"');
		if ((quoted && refuse.has('quotedMemberId')) || (!quoted && refuse.has('bareMemberId'))) {
			return new ScimError(400, 'invalidPath', `Unsupported path ${path}`);
		}
	}
	return undefined;
}

/** The query as a server that ignores some parameters reads it. */
export function ignoring(quirks: Quirks, query: Record<string, string>): Record<string, string> {
	const ignored = new Set<string>(quirks.ignore ?? []);
	return Object.fromEntries(Object.entries(query).filter(([key]) => !ignored.has(key)));
}
