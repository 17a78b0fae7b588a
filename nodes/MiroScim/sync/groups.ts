import type { DesiredPerson, ItemProblem, MiroGroup, SyncOptions } from './types';

export interface GroupIndex {
	byId: Map<string, MiroGroup>;
	byName: Map<string, MiroGroup[]>;
}

export function indexGroups(groups: MiroGroup[]): GroupIndex {
	const byId = new Map<string, MiroGroup>();
	const byName = new Map<string, MiroGroup[]>();
	for (const group of groups) {
		byId.set(group.id, group);
		byName.set(group.displayName, [...(byName.get(group.displayName) ?? []), group]);
	}
	return { byId, byName };
}

/** A group given by id or by exact name; a name two groups share is ambiguous. */
export function resolveGroup(
	index: GroupIndex,
	reference: string,
): { group: MiroGroup } | { problem: string; fix: string } {
	const byId = index.byId.get(reference);
	if (byId) return { group: byId };
	const named = index.byName.get(reference) ?? [];
	if (named.length === 1) return { group: named[0] };
	if (named.length > 1) {
		return {
			problem: `${named.length} Miro groups are named "${reference}"`,
			fix: `Give the group by ID instead: ${named.map((group) => group.id).join(', ')}.`,
		};
	}
	return {
		problem: `no Miro group is named "${reference}"`,
		fix: 'Group names must match exactly, and Sync does not create groups: create it first (Group > Create where SCIM groups are user groups; in Miro where they are teams), or fix the name.',
	};
}

/**
 * The groups whose membership the sync manages: those the input names, those whose name starts
 * with a prefix, or a fixed list (checked first with `groupListProblem`). Other groups are never
 * changed.
 */
export function managedGroupIds(
	index: GroupIndex,
	people: DesiredPerson[],
	options: SyncOptions,
): Set<string> {
	if (options.managedGroups === 'prefix') {
		const prefix = options.groupPrefix;
		return new Set(
			[...index.byId.values()]
				.filter((group) => prefix !== '' && group.displayName.startsWith(prefix))
				.map((group) => group.id),
		);
	}
	if (options.managedGroups === 'list') {
		const ids = new Set<string>();
		for (const reference of options.groupList) {
			const resolved = resolveGroup(index, reference);
			if ('group' in resolved) ids.add(resolved.group.id);
		}
		return ids;
	}
	const ids = new Set<string>();
	for (const person of people) {
		for (const reference of person.groups ?? []) {
			const resolved = resolveGroup(index, reference);
			if ('group' in resolved) ids.add(resolved.group.id);
		}
	}
	return ids;
}

/** A listed managed group that does not exist is the node's configuration, not one item's. */
export function groupListProblem(
	groups: MiroGroup[],
	options: SyncOptions,
): { problem: string; fix: string } | undefined {
	if (options.managedGroups !== 'list') return undefined;
	const index = indexGroups(groups);
	for (const reference of options.groupList) {
		const resolved = resolveGroup(index, reference);
		if ('problem' in resolved) return resolved;
	}
	if (options.groupList.length === 0) {
		return { problem: 'is empty', fix: 'List the group names or IDs the sync manages.' };
	}
	return undefined;
}

/** Each person's groups as ids, or the problem with the first one that cannot be used. */
export function personGroupIds(
	index: GroupIndex,
	managed: Set<string>,
	person: DesiredPerson,
): Set<string> | ItemProblem {
	const ids = new Set<string>();
	for (const reference of person.groups ?? []) {
		const resolved = resolveGroup(index, reference);
		if ('problem' in resolved) {
			return { itemIndex: person.itemIndex, field: 'Groups', ...resolved };
		}
		if (!managed.has(resolved.group.id)) {
			return {
				itemIndex: person.itemIndex,
				field: 'Groups',
				problem: `the group "${resolved.group.displayName}" is not one the sync manages`,
				fix: "Add it to Managed Groups (or change the prefix), or leave it out of this person's groups.",
			};
		}
		ids.add(resolved.group.id);
	}
	return ids;
}
