/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * The bench's report: one row per scenario, notes with the details, and the Markdown table.
 */
import os from 'node:os';

import type { WorkerOutcome } from './processes';
import type { WorkerResult } from './types';

export interface Row {
	scenario: string;
	wall: string;
	reference: string;
	calls: string;
	errors: string;
	failed: string;
	duplicates: string;
	verified: string;
	memory: string;
	targets: string;
}

export const rows: Row[] = [];
export const notes: string[] = [];

export const ms = (value: number) =>
	value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${(value / 1000).toFixed(2)} s`;
export const int = (value: number) => value.toLocaleString('en-US');
export const ratio = (value: number) => `${value.toFixed(2)}x`;
export const verdict = (pass: boolean) => (pass ? '**PASS**' : '**FAIL**');
export const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export function cpuOf(result: WorkerResult): string {
	return result.ok ? `<br>CPU ${ms(result.cpuMs)}` : '';
}

export function memoryCell(result: WorkerResult): string {
	if (!result.ok) return 'n/a';
	return `${result.memory.peakRssMb} MB / ${result.memory.peakHeapUsedMb} MB`;
}

export function failureNote(name: string, outcome: WorkerOutcome): void {
	if (!outcome.result.ok)
		notes.push(`- ${name}: worker failed: ${outcome.result.failure.slice(0, 800)}`);
	else if (outcome.result.workflowError) {
		const error = outcome.result.workflowError;
		notes.push(
			`- ${name}: the workflow stopped at "${error.node ?? '?'}": ${error.message}${error.description ? ` (${error.description})` : ''}`,
		);
	}
}

export const loadAverage = () =>
	os
		.loadavg()
		.map((load) => load.toFixed(1))
		.join(' / ');

export function machine(): string {
	const cpus = os.cpus();
	return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export function table(): string {
	const header = [
		'Scenario',
		'Wall time',
		'Against',
		'API calls',
		'429 / 5xx',
		'Failed items',
		'Duplicates',
		'Emulator state',
		'Peak RSS / heapUsed',
		'Targets',
	];
	const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
	for (const row of rows) {
		const cells = [
			row.scenario,
			row.wall,
			row.reference,
			row.calls,
			row.errors,
			row.failed,
			row.duplicates,
			row.verified,
			row.memory,
			row.targets,
		].map((cell) => cell.replace(/\|/g, '\\|'));
		lines.push(`| ${cells.join(' | ')} |`);
	}
	return lines.join('\n');
}
