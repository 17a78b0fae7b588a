import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { compare, or } from '../scim/filter';
import type { ListPage } from '../scim/paging';
import { DEFAULT_CLIENT_SETTINGS, ScimClient } from '../transport';

const PAGE = 50;

async function search(
	ctx: ILoadOptionsFunctions,
	path: '/Users' | '/Groups',
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<ListPage<IDataObject> & { startIndex: number }> {
	const startIndex = paginationToken ? Number(paginationToken) : 1;
	const qs: IDataObject = { startIndex, count: PAGE };
	if (filter) qs.filter = filter;
	if (path === '/Groups') qs.excludedAttributes = 'members';
	// The editor's list is interactive: pacing would only freeze it, so it is off here.
	const client = new ScimClient(ctx, {
		...DEFAULT_CLIENT_SETTINGS,
		pacing: false,
		retry: { ...DEFAULT_CLIENT_SETTINGS.retry, maxAttempts: 2 },
	});
	const response = await client.request({ method: 'GET', path, qs });
	return { ...(response.body as ListPage<IDataObject>), startIndex };
}

function nextToken(page: ListPage<IDataObject> & { startIndex: number }): string | undefined {
	const returned = page.Resources?.length ?? 0;
	const next = page.startIndex + returned;
	return returned > 0 && next <= (page.totalResults ?? 0) ? String(next) : undefined;
}

export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = filter?.trim();
	const page = await search(
		this,
		'/Users',
		text ? or(compare('userName', 'co', text), compare('displayName', 'co', text)) : undefined,
		paginationToken,
	);
	return {
		results: (page.Resources ?? []).map((user) => ({
			name: `${String(user.displayName ?? user.userName)} <${String(user.userName)}> (${String(user.id)})`,
			value: String(user.id),
		})),
		paginationToken: nextToken(page),
	};
}

export async function searchGroups(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = filter?.trim();
	const page = await search(
		this,
		'/Groups',
		text ? compare('displayName', 'co', text) : undefined,
		paginationToken,
	);
	return {
		results: (page.Resources ?? []).map((group) => ({
			name: `${String(group.displayName)} (${String(group.id)})`,
			value: String(group.id),
		})),
		paginationToken: nextToken(page),
	};
}
