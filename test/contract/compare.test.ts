/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test tooling, not part of the published node */
/**
 * The compare script (compare.mjs) against a small made-up description that drifted from our
 * contract in known ways: each drift must be reported, and the exit code must say so.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = path.join(__dirname, 'compare.mjs');

function compare(...args: string[]): { code: number; lines: string[] } {
	try {
		const out = execFileSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
		return { code: 0, lines: out.trim().split('\n') };
	} catch (error) {
		const failed = error as { status: number; stdout: string };
		return { code: failed.status, lines: failed.stdout.trim().split('\n') };
	}
}

describe('compare.mjs', () => {
	it('reports every drift of a newer description and exits 1', () => {
		const { code, lines } = compare(path.join(__dirname, 'fixtures', 'drifted-spec.json'));
		expect(code).toBe(1);
		expect(lines).toEqual(
			expect.arrayContaining([
				'NEW   POST /Groups: described upstream, not in our contract',
				'NEW   GET /Users query parameters: ["attributes","count","excludedAttributes","filter","sortBy","sortOrder","startIndex"] upstream, ["attributes","count","filter","sortBy","sortOrder","startIndex"] ours',
				'NEW   GET /Groups query parameters: ["filter"] upstream, ["attributes","count","filter","sortBy","sortOrder","startIndex"] ours',
				'NEW   POST /Users body required: ["emails","userName"] upstream, ["userName"] ours',
				'NEW   PATCH /Groups/{id} body Operations.items.op: enum ["add","remove","replace","move"] upstream, ["Add","Remove","Replace"] ours',
				'NEW   GET /Users 200 Resources properties new upstream: lastLogin',
				'NEW   DELETE /Users/{id}: in our contract, no longer described upstream',
				'NEW   GET /Schemas: in our contract, no longer described upstream',
			]),
		);
		expect(lines.at(-1)).toMatch(/^\d+ new difference\(s\), \d+ known/);
	});

	it('finds nothing new in our own contract (no false alarms from its shape)', () => {
		const own = path.join(__dirname, 'miro-scim.openapi.json');
		expect(compare(own)).toEqual({
			code: 0,
			lines: ['0 new difference(s), 0 known (see x-reading in the contract)'],
		});
	});

	it('says how to use it without a file', () => {
		expect(compare().code).toBe(2);
	});
});
