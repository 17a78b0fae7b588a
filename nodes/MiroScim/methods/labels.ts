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
 * Team names label their entries; only teams sharing a name with another get their id added,
 * as the one way to tell them apart.
 */
export function teamLabels(teams: IDataObject[]): Map<string, string> {
	const count = new Map<string, number>();
	for (const team of teams) {
		const name = String(team.displayName ?? '');
		count.set(name, (count.get(name) ?? 0) + 1);
	}
	return new Map(
		teams.map((team) => {
			const name = String(team.displayName ?? '');
			const label = (count.get(name) ?? 0) > 1 ? `${name} (${String(team.id)})` : name;
			return [String(team.id), label];
		}),
	);
}
