/**
 * The emulator's SCIM routing: a table of rows (method, path pattern, Miro's rate-limit class,
 * handler) and the matcher that picks one. A path no row has answers 404; a path whose rows lack
 * the method answers 405 with `Allow` naming the methods it has on the organization's group model.
 */
import type { Endpoint } from './rateLimit';
import { ScimError } from './scim';
import type { GroupModel } from './store';

interface RowBase {
	method: string;
	/** literal segments and `:name` for any one segment, e.g. ['Users', ':id'] */
	path: readonly string[];
	/** the row holds on this group model only */
	model?: GroupModel;
}

/** A request the emulator serves. */
export interface RouteRow<H> extends RowBase {
	/** the rate-limit class it counts against (none: discovery is not limited); by body size */
	endpoint?: Endpoint | ((bodyBytes: number) => Endpoint);
	handle: H;
}

/** A method Miro refuses on a path for a reason worth saying in the 405. */
export interface RefusalRow extends RowBase {
	refused: string;
}

export type Row<H> = RouteRow<H> | RefusalRow;

export interface Match<H> {
	route: RouteRow<H>;
	/** the `:name` segments, decoded */
	params: Record<string, string>;
}

function bind(pattern: readonly string[], segments: string[]): Record<string, string> | undefined {
	if (pattern.length !== segments.length) return undefined;
	const params: Record<string, string> = {};
	for (const [index, part] of pattern.entries()) {
		if (part.startsWith(':')) params[part.slice(1)] = segments[index];
		else if (part !== segments[index]) return undefined;
	}
	return params;
}

/** ['Users', ':id'] -> 'Users/{id}', as Miro's reference writes paths. */
function display(pattern: readonly string[]): string {
	return pattern.map((part) => (part.startsWith(':') ? `{${part.slice(1)}}` : part)).join('/');
}

/** The row for `method` on `segments` (the path below the base path), or the 404 / 405 to answer. */
export function matchRoute<H>(
	rows: ReadonlyArray<Row<H>>,
	method: string,
	segments: string[],
	model: GroupModel,
): Match<H> {
	const onPath = rows.filter(
		(row) => (row.model ?? model) === model && bind(row.path, segments) !== undefined,
	);
	if (onPath.length === 0) {
		throw new ScimError(404, undefined, `No SCIM endpoint at /${segments.join('/')}`);
	}
	const row = onPath.find((candidate) => candidate.method === method);
	if (row && 'handle' in row) return { route: row, params: bind(row.path, segments) ?? {} };
	const allow = onPath.filter((candidate) => 'handle' in candidate).map((r) => r.method);
	const detail =
		row && 'refused' in row
			? row.refused
			: `${method} is not supported on /${display(onPath[0].path)}`;
	throw new ScimError(405, undefined, detail, { Allow: allow.join(', ') });
}
