import { describe, expect, it } from 'vitest';

import { MAX_PAGE_SIZE, nextStartIndex, pageSize } from '../../nodes/MiroScim/scim/paging';
import type { ListPage } from '../../nodes/MiroScim/scim/paging';

const page = (returned: number, totalResults?: number): ListPage<unknown> => ({
	totalResults,
	Resources: Array.from({ length: returned }, (_, i) => ({ id: String(i) })),
});

describe('nextStartIndex (RFC 7644 §3.4.2.4: 1-based, advance by what the page returned)', () => {
	it.each([
		['a full first page of many', 1, page(100, 250), 101],
		['a short page (server capped count)', 1, page(200, 1000), 201],
		['a middle page', 201, page(200, 1000), 401],
		['the page that reaches the total', 201, page(50, 250), undefined],
		['the page that ends exactly at the total', 1, page(10, 10), undefined],
		['an empty page', 1, page(0, 10), undefined],
		['no Resources at all', 1, { totalResults: 10 }, undefined],
		['no total: go on while pages have resources', 1, page(100), 101],
		['no total and an empty page', 101, page(0), undefined],
		['a total of 0', 1, page(0, 0), undefined],
	])('%s', (_, startIndex, listPage, expected) => {
		expect(nextStartIndex(startIndex, listPage)).toBe(expected);
	});
});

describe('pageSize', () => {
	it.each([
		[undefined, undefined, 1000],
		[50, undefined, 50],
		[1, undefined, 1],
		[0, undefined, 1],
		[-3, undefined, 1],
		[1000, undefined, 1000],
		[5000, undefined, 1000],
		[75, 50, 50],
		[undefined, 50, 50],
	])('pageSize(%j, %j) is %i', (wanted, preferred, expected) => {
		expect(preferred === undefined ? pageSize(wanted) : pageSize(wanted, preferred)).toBe(expected);
	});

	it("uses Miro's documented maximum of 1000", () => {
		expect(MAX_PAGE_SIZE).toBe(1000);
	});
});
