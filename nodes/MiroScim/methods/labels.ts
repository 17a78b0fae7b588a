import type { IDataObject } from 'n8n-workflow';

/**
 * What a picker entry shows. The editor draws one line per entry and cuts it at the dropdown's
 * width, so what identifies a person comes first: name and email. The 19-digit id is what the
 * entry stores (its value), and the node shows it under "By ID".
 */
export function userLabel(user: IDataObject): string {
	const email = String(user.userName ?? '');
	const name = typeof user.displayName === 'string' ? user.displayName.trim() : '';
	if (name === '' || name.toLowerCase() === email.toLowerCase()) return email;
	return `${name} <${email}>`;
}

/**
 * Group names label their entries; only groups sharing a name with another get their id added,
 * as the one way to tell them apart.
 */
export function groupLabels(groups: IDataObject[]): Map<string, string> {
	const count = new Map<string, number>();
	for (const group of groups) {
		const name = String(group.displayName ?? '');
		count.set(name, (count.get(name) ?? 0) + 1);
	}
	return new Map(
		groups.map((group) => {
			const name = String(group.displayName ?? '');
			const label = (count.get(name) ?? 0) > 1 ? `${name} (${String(group.id)})` : name;
			return [String(group.id), label];
		}),
	);
}
