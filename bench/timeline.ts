/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * A row's requests per window and endpoint, from a log kept with BENCH_LOG_DIR:
 *   tsx bench/timeline.ts <file.json> <window ms> [slice ms]
 * Each line is one slice (default: a tenth of a window) from the first request: accepted/429
 * per endpoint, so that where a row lost time shows.
 */
import fs from 'node:fs';

const [file, windowArg, sliceArg] = process.argv.slice(2);
const windowMs = Number(windowArg);
const sliceMs = Number(sliceArg ?? windowMs / 10);
const log = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{
	at: number;
	endpoint: string;
	status: number;
	flags?: string[];
}>;
const start = Math.min(...log.map((e) => e.at));
const endpoints = [...new Set(log.map((e) => e.endpoint))];
const slices = new Map<number, Map<string, { ok: number; limited: number; other: number }>>();
for (const entry of log) {
	const slice = Math.floor((entry.at - start) / sliceMs);
	const row = slices.get(slice) ?? new Map();
	slices.set(slice, row);
	const cell = row.get(entry.endpoint) ?? { ok: 0, limited: 0, other: 0 };
	row.set(entry.endpoint, cell);
	if (entry.status === 429) cell.limited++;
	else if (entry.status < 400 && !entry.flags?.includes('dropped')) cell.ok++;
	else cell.other++;
}
const last = Math.max(...slices.keys());
process.stdout.write(`slice ${sliceMs} ms, window ${windowMs} ms; ${endpoints.join(' | ')}\n`);
for (let i = 0; i <= last; i++) {
	const row = slices.get(i);
	const cells = endpoints.map((endpoint) => {
		const cell = row?.get(endpoint);
		if (!cell) return '-';
		return `${cell.ok}${cell.limited ? `/429x${cell.limited}` : ''}${cell.other ? `/errx${cell.other}` : ''}`;
	});
	const at = ((i * sliceMs) / 1000).toFixed(2);
	process.stdout.write(
		`${at.padStart(7)} s${i % Math.round(windowMs / sliceMs) === 0 ? ' |' : '  '} ${cells.join(' | ')}\n`,
	);
}
