// @ts-check
// Text output for people: tables of users and teams, request summaries, changes, durations.

import { memberships, orgRole } from './checks.mjs';

/**
 * Left-aligned columns, a header row and a rule under it; every line starts with `indent`.
 * @param {string[]} header
 * @param {unknown[][]} rows
 * @param {string} [indent]
 */
export function textTable(header, rows, indent = '  ') {
	const widths = header.map((title, i) =>
		Math.max(title.length, ...rows.map((row) => String(row[i]).length)),
	);
	/** @param {unknown[]} cells */
	const line = (cells) =>
		(indent + cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ')).trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * @param {import('./checks.mjs').EmulatorState} state
 * @param {string} [indent]
 */
export function usersTable(state, indent) {
	const rows = state.users.map((user) => [
		user.userName,
		user.displayName ?? '',
		user.active ? 'yes' : 'no',
		orgRole(user) ?? '',
	]);
	return textTable(['EMAIL', 'NAME', 'ACTIVE', 'ORG ROLE'], rows, indent);
}

/**
 * Teams and their member emails; long member lists wrap onto further lines.
 * @param {import('./checks.mjs').EmulatorState} state
 * @param {string} [indent]
 * @param {{ width?: number }} [options]
 */
export function teamsTable(state, indent, { width = 72 } = {}) {
	const rows = [];
	for (const [team, emails] of Object.entries(memberships(state))) {
		if (emails.length === 0) {
			rows.push([team, '(nobody)']);
			continue;
		}
		const lines = [];
		for (const email of emails) {
			const last = lines.length - 1;
			if (last >= 0 && lines[last].length + email.length + 2 <= width) lines[last] += `, ${email}`;
			else lines.push(email);
		}
		lines.forEach((line, i) => {
			const more = i < lines.length - 1 ? ',' : '';
			rows.push([i === 0 ? team : '', line + more]);
		});
	}
	return textTable(['TEAM', 'MEMBERS'], rows, indent);
}

/**
 * "GET /Users x3, POST /Users x3, ..." from the emulator's log, in first-seen order.
 * @param {import('./checks.mjs').LogEntry[]} log
 */
export function requestSummary(log) {
	const counts = new Map();
	for (const entry of log) {
		const endpoint = (entry.endpoint ?? `${entry.method} ${entry.path}`).replace(/ \(.*\)$/, '');
		const key = entry.status >= 400 ? `${endpoint} -> ${entry.status}` : endpoint;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	if (counts.size === 0) return 'no requests';
	return [...counts].map(([key, n]) => (n > 1 ? `${key} x${n}` : key)).join(', ');
}

/**
 * Human-readable differences between two states: users added/changed, team members in/out.
 * @param {import('./checks.mjs').EmulatorState} before
 * @param {import('./checks.mjs').EmulatorState} after
 */
export function describeChanges(before, after) {
	const changes = [];
	const beforeUsers = new Map(before.users.map((user) => [user.id, user]));
	for (const user of after.users) {
		const old = beforeUsers.get(user.id);
		if (!old) {
			changes.push(`+ user ${user.userName} (${user.displayName})`);
			continue;
		}
		if (old.active !== user.active)
			changes.push(`~ ${user.userName}: ${user.active ? 'reactivated' : 'deactivated'}`);
		if (orgRole(old) !== orgRole(user))
			changes.push(`~ ${user.userName}: ${orgRole(old)} -> ${orgRole(user)}`);
		if (old.displayName !== user.displayName)
			changes.push(`~ ${user.userName}: name ${old.displayName} -> ${user.displayName}`);
	}
	const afterIds = new Set(after.users.map((user) => user.id));
	for (const user of before.users) {
		if (!afterIds.has(user.id)) changes.push(`- user ${user.userName} deleted`);
	}
	const oldTeams = memberships(before);
	for (const [team, members] of Object.entries(memberships(after))) {
		const old = new Set(oldTeams[team] ?? []);
		const now = new Set(members);
		for (const email of members) if (!old.has(email)) changes.push(`+ ${email} joined ${team}`);
		for (const email of old) if (!now.has(email)) changes.push(`- ${email} left ${team}`);
	}
	return changes;
}

/** @param {number} ms */
export function formatDuration(ms) {
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	const minutes = Math.floor(ms / 60_000);
	const seconds = Math.round((ms % 60_000) / 1000);
	return `${minutes} min ${seconds} s`;
}

/** @param {number} seconds */
export function formatSeconds(seconds) {
	return `${Number(seconds.toPrecision(3))} s`;
}

/** @param {number} bytes */
export function formatBytes(bytes) {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
