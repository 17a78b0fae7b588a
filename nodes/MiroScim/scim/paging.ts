/**
 * SCIM list paging (RFC 7644 §3.4.2.4): startIndex is 1-based. A server may return fewer
 * resources than asked for (Miro's ServiceProviderConfig says 200 while `count` is documented
 * up to 1000), so the next page starts after what this page actually returned, and paging stops
 * at totalResults or at an empty page.
 */
export interface ListPage<T> {
	totalResults?: number;
	startIndex?: number;
	itemsPerPage?: number;
	Resources?: T[];
}

/** Largest `count` Miro documents for one list page. */
export const MAX_PAGE_SIZE = 1000;

export function nextStartIndex(startIndex: number, page: ListPage<unknown>): number | undefined {
	const returned = page.Resources?.length ?? 0;
	if (returned === 0) return undefined;
	const next = startIndex + returned;
	const total = page.totalResults;
	if (typeof total === 'number' && next > total) return undefined;
	return next;
}

/** How many to ask for next: what is still wanted, within the documented page size. */
export function pageSize(wanted: number | undefined, preferred = MAX_PAGE_SIZE): number {
	if (wanted === undefined) return preferred;
	return Math.max(1, Math.min(wanted, preferred));
}
