/* eslint-disable @n8n/community-nodes/require-node-api-error -- n8n's community-node rules guard shipped node code; this dev/test tool is never shipped */
/**
 * Query parameters of list and get requests (RFC 7644 sections 3.4.2 and 3.9): filter, paging,
 * sorting and attribute projection, plus the ListResponse envelope.
 */
import { type AttrPath, FilterError, type FilterNode, parseAttrPath, parseFilter } from './filter';
import { getCaseInsensitive, isPlainObject, LIST_RESPONSE_SCHEMA, ScimError } from './scim';

/** Miro documents count up to 1000 (its ServiceProviderConfig says 200: trust the page). */
export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 1000;

export interface ListQuery {
	filter?: FilterNode;
	startIndex: number;
	count: number;
	sortBy?: AttrPath;
	descending: boolean;
}

export interface Projection {
	attributes?: string[];
	excludedAttributes?: string[];
}

function integer(name: string, text: string | undefined): number | undefined {
	if (text === undefined || text.trim() === '') return undefined;
	if (!/^-?\d+$/.test(text.trim())) {
		throw new ScimError(400, 'invalidValue', `${name} must be an integer, got "${text}"`);
	}
	return Number(text.trim());
}

export function parseListFilter(text: string | undefined): FilterNode | undefined {
	if (text === undefined) return undefined;
	try {
		return parseFilter(text);
	} catch (error) {
		if (error instanceof FilterError) throw new ScimError(400, 'invalidFilter', error.message);
		throw error;
	}
}

export function parseListQuery(query: Record<string, string>, maxCount = MAX_COUNT): ListQuery {
	const get = (name: string) => getCaseInsensitive(query, name) as string | undefined;
	// RFC 7644 section 3.4.2.4: startIndex below 1 is read as 1, a negative count as 0.
	const startIndex = Math.max(1, integer('startIndex', get('startIndex')) ?? 1);
	const count = Math.min(maxCount, Math.max(0, integer('count', get('count')) ?? DEFAULT_COUNT));
	const result: ListQuery = { startIndex, count, descending: false };
	const filter = parseListFilter(get('filter'));
	if (filter) result.filter = filter;
	const sortBy = get('sortBy');
	if (sortBy !== undefined && sortBy.trim() !== '') {
		try {
			result.sortBy = parseAttrPath(sortBy.trim());
		} catch (error) {
			throw new ScimError(400, 'invalidValue', (error as Error).message);
		}
		const order = (get('sortOrder') ?? 'ascending').toLowerCase();
		if (order !== 'ascending' && order !== 'descending') {
			throw new ScimError(400, 'invalidValue', 'sortOrder must be ascending or descending');
		}
		result.descending = order === 'descending';
	}
	return result;
}

export function parseProjection(query: Record<string, string>): Projection {
	const split = (text: string | undefined) =>
		text === undefined
			? undefined
			: text
					.split(',')
					.map((name) => name.trim())
					.filter((name) => name !== '');
	const projection: Projection = {};
	const attributes = split(getCaseInsensitive(query, 'attributes') as string | undefined);
	if (attributes?.length) projection.attributes = attributes;
	const excluded = split(getCaseInsensitive(query, 'excludedAttributes') as string | undefined);
	if (excluded?.length) projection.excludedAttributes = excluded;
	return projection;
}

export function isExcluded(projection: Projection, attribute: string): boolean {
	const lower = attribute.toLowerCase();
	if (projection.excludedAttributes?.some((name) => name.toLowerCase() === lower)) return true;
	if (projection.attributes) {
		return !projection.attributes.some((name) => name.toLowerCase().split('.')[0] === lower);
	}
	return false;
}

function findKey(object: Record<string, unknown>, key: string): string | undefined {
	const lower = key.toLowerCase();
	return Object.keys(object).find((k) => k.toLowerCase() === lower);
}

/** Where an attribute name lives: the resource itself or a schema-extension object. */
function locate(
	resource: Record<string, unknown>,
	name: string,
): { holder: Record<string, unknown>; key: string; sub?: string } | undefined {
	const whole = findKey(resource, name);
	if (whole) return { holder: resource, key: whole };
	let path: AttrPath;
	try {
		path = parseAttrPath(name);
	} catch {
		return undefined;
	}
	let holder = resource;
	if (path.uri && !/^urn:ietf:params:scim:schemas:core:/i.test(path.uri)) {
		const extensionKey = findKey(resource, path.uri);
		const extension = extensionKey ? resource[extensionKey] : undefined;
		if (!isPlainObject(extension)) return undefined;
		holder = extension;
	}
	const key = findKey(holder, path.attr);
	return key ? { holder, key, sub: path.sub } : undefined;
}

/** RFC 7643 section 7: `id` and `schemas` are returned always, whatever was asked. */
const ALWAYS_RETURNED = ['schemas', 'id'];

export function project<T extends object>(resource: T, projection: Projection): T {
	if (!projection.attributes && !projection.excludedAttributes) return resource;
	const source = resource as Record<string, unknown>;
	let result: Record<string, unknown>;
	if (projection.attributes) {
		result = {};
		for (const key of ALWAYS_RETURNED) if (key in source) result[key] = source[key];
		for (const name of projection.attributes) copyAttribute(source, result, name);
		// Keep the resource's own key order.
		const order = Object.keys(source);
		result = Object.fromEntries(
			Object.entries(result).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)),
		);
	} else {
		result = structuredClone(source);
	}
	for (const name of projection.excludedAttributes ?? []) {
		if (ALWAYS_RETURNED.includes(name.toLowerCase())) continue;
		const found = locate(result, name);
		if (!found) continue;
		const { holder, key, sub } = found;
		if (!sub) delete holder[key];
		else removeSub(holder[key], sub);
	}
	return result as T;
}

function copyAttribute(
	source: Record<string, unknown>,
	target: Record<string, unknown>,
	name: string,
): void {
	const found = locate(source, name);
	if (!found) return;
	const { holder, key, sub } = found;
	const value = holder[key];
	// Copy into the same place (the resource or its extension object) in the target.
	let targetHolder = target;
	if (holder !== source) {
		const extensionKey = Object.keys(source).find((k) => source[k] === holder) as string;
		const existing = target[extensionKey];
		targetHolder = isPlainObject(existing) ? existing : {};
		target[extensionKey] = targetHolder;
	}
	if (!sub) {
		targetHolder[key] = structuredClone(value);
		return;
	}
	const pick = (element: unknown) => {
		if (!isPlainObject(element)) return undefined;
		const subKey = findKey(element, sub);
		return subKey ? { [subKey]: structuredClone(element[subKey]) } : undefined;
	};
	if (Array.isArray(value)) {
		targetHolder[key] = value.map(pick).filter((element) => element !== undefined);
	} else {
		const picked = pick(value);
		if (picked) {
			const existing = targetHolder[key];
			targetHolder[key] = { ...(isPlainObject(existing) ? existing : {}), ...picked };
		}
	}
}

function removeSub(value: unknown, sub: string): void {
	const elements = Array.isArray(value) ? value : [value];
	for (const element of elements) {
		if (!isPlainObject(element)) continue;
		const key = findKey(element, sub);
		if (key) delete element[key];
	}
}

/**
 * Sort key of one attribute value: the first of a multi-valued one, lowercase for strings, and
 * numeric ids zero-padded so "10" sorts after "9", as their numbers do.
 */
export function sortKey(value: unknown): string | number | boolean | undefined {
	let first = Array.isArray(value) ? value[0] : value;
	if (isPlainObject(first)) first = first.value;
	if (typeof first === 'string')
		return /^\d+$/.test(first) ? first.padStart(40, '0') : first.toLowerCase();
	if (typeof first === 'number' || typeof first === 'boolean') return first;
	return undefined;
}

export function compareKeys(a: string | number | boolean | undefined, b: typeof a): number {
	// RFC 7644 section 3.4.2.3: unassigned values sort last in ascending order.
	if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
	return a < b ? -1 : a > b ? 1 : 0;
}

export function listResponse(
	resources: unknown[],
	totalResults: number,
	startIndex: number,
): Record<string, unknown> {
	return {
		schemas: [LIST_RESPONSE_SCHEMA],
		totalResults,
		startIndex,
		itemsPerPage: resources.length,
		Resources: resources,
	};
}
