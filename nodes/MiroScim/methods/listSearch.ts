import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { compare, or } from '../scim/filter';
import { nextStartIndex } from '../scim/paging';
import type { ListPage } from '../scim/paging';
import { CREDENTIAL_TYPE, DEFAULT_CLIENT_SETTINGS, ScimClient } from '../transport';
import { groupLabels, userLabel } from './labels';

const PAGE = 50;

async function search(
	ctx: ILoadOptionsFunctions,
	path: '/Users',
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<ListPage<IDataObject> & { startIndex: number }> {
	const startIndex = paginationToken ? Number(paginationToken) : 1;
	const qs: IDataObject = { startIndex, count: PAGE };
	if (filter) qs.filter = filter;
	// The editor's list is interactive: pacing would only freeze it, so it is off here.
	const client = new ScimClient(ctx, {
		...DEFAULT_CLIENT_SETTINGS,
		pacing: 'off',
		retry: { ...DEFAULT_CLIENT_SETTINGS.retry, maxAttempts: 2 },
	});
	const response = await client.request({ method: 'GET', path, qs });
	return { ...(response.body as ListPage<IDataObject>), startIndex };
}

/** The picker pages by the one SCIM paging rule the client's list reader follows. */
function nextToken(page: ListPage<IDataObject> & { startIndex: number }): string | undefined {
	const next = nextStartIndex(page.startIndex, page);
	return next === undefined ? undefined : String(next);
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
			name: userLabel(user),
			value: String(user.id),
		})),
		paginationToken: nextToken(page),
	};
}

/**
 * Miro allows only 5 group listings or searches per 30 seconds, and the editor searches on every keystroke.
 * So the group list is read once (without members) and kept for a minute per credential; typing
 * filters it here.
 */
const GROUP_CACHE_MS = 60_000;
const groupCache = new Map<string, { at: number; groups: Promise<IDataObject[]> }>();

async function allGroups(ctx: ILoadOptionsFunctions): Promise<IDataObject[]> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const key = `${ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? ''}|${String(credentials.baseUrl)}`;
	const cached = groupCache.get(key);
	if (cached && Date.now() - cached.at < GROUP_CACHE_MS) return await cached.groups;
	const client = new ScimClient(ctx, {
		...DEFAULT_CLIENT_SETTINGS,
		retry: { ...DEFAULT_CLIENT_SETTINGS.retry, maxAttempts: 2 },
	});
	const entry = {
		at: Date.now(),
		groups: client.list('/Groups', {}, { omitMembers: true }),
	};
	groupCache.set(key, entry);
	entry.groups.catch(() => groupCache.delete(key));
	return await entry.groups;
}

export async function searchGroups(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = filter?.trim().toLowerCase() ?? '';
	const groups = (await allGroups(this)).filter((group) =>
		String(group.displayName ?? '')
			.toLowerCase()
			.includes(text),
	);
	const offset = paginationToken ? Number(paginationToken) : 0;
	const next = offset + PAGE;
	const labels = groupLabels(groups);
	return {
		results: groups.slice(offset, next).map((group) => ({
			name: labels.get(String(group.id)) ?? String(group.displayName),
			value: String(group.id),
		})),
		paginationToken: next < groups.length ? String(next) : undefined,
	};
}
