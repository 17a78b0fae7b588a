import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { compare, or } from '../scim/filter';
import { nextStartIndex } from '../scim/paging';
import type { ListPage } from '../scim/paging';
import { CREDENTIAL_TYPE, DEFAULT_CLIENT_SETTINGS, ScimClient } from '../transport';
import { teamLabels, userLabel } from './labels';

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
		pacing: false,
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
 * Miro allows only 5 team searches per 30 seconds, and the editor searches on every keystroke.
 * So the team list is read once (without members) and kept for a minute per credential; typing
 * filters it here.
 */
const TEAM_CACHE_MS = 60_000;
const teamCache = new Map<string, { at: number; teams: Promise<IDataObject[]> }>();

async function allTeams(ctx: ILoadOptionsFunctions): Promise<IDataObject[]> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const key = `${ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? ''}|${String(credentials.baseUrl)}`;
	const cached = teamCache.get(key);
	if (cached && Date.now() - cached.at < TEAM_CACHE_MS) return await cached.teams;
	const client = new ScimClient(ctx, {
		...DEFAULT_CLIENT_SETTINGS,
		retry: { ...DEFAULT_CLIENT_SETTINGS.retry, maxAttempts: 2 },
	});
	const entry = {
		at: Date.now(),
		teams: client.list('/Groups', {}, { omitMembers: true }),
	};
	teamCache.set(key, entry);
	entry.teams.catch(() => teamCache.delete(key));
	return await entry.teams;
}

export async function searchGroups(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = filter?.trim().toLowerCase() ?? '';
	const teams = (await allTeams(this)).filter((team) =>
		String(team.displayName ?? '')
			.toLowerCase()
			.includes(text),
	);
	const offset = paginationToken ? Number(paginationToken) : 0;
	const next = offset + PAGE;
	const labels = teamLabels(teams);
	return {
		results: teams.slice(offset, next).map((team) => ({
			name: labels.get(String(team.id)) ?? String(team.displayName),
			value: String(team.id),
		})),
		paginationToken: next < teams.length ? String(next) : undefined,
	};
}
