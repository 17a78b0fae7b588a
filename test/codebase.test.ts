/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error -- test tooling, not part of the published node */
/**
 * Rules the next maintainer relies on, checked rather than remembered: no function in the
 * published code grows past 50 lines, and nothing in the repository points outside it.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..');
const MAX_FUNCTION_LINES = 50;

function sourceFiles(dir: string): string[] {
	return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const relative = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(relative);
		return entry.name.endsWith('.ts') ? [relative] : [];
	});
}

/** Every function (declaration, method, arrow) longer than `max` lines, as "file:line name (n)". */
export function longFunctions(file: string, text: string, max: number): string[] {
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
	const found: string[] = [];
	const visit = (node: ts.Node) => {
		if (ts.isFunctionLike(node) && 'body' in node && node.body) {
			const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
			const last = source.getLineAndCharacterOfPosition(node.end).line;
			const name = node.name?.getText(source) ?? '(anonymous)';
			if (last - first + 1 > max) found.push(`${file}:${first + 1} ${name} (${last - first + 1})`);
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

describe('codebase rules', () => {
	it('finds a long function (the checker itself)', () => {
		const body = Array.from({ length: 51 }, (_, i) => `\tconst a${i} = ${i};`).join('\n');
		expect(longFunctions('x.ts', `function tooLong() {\n${body}\n}`, 50)).toEqual([
			'x.ts:1 tooLong (53)',
		]);
		expect(longFunctions('x.ts', 'const short = () => 1;', 50)).toEqual([]);
	});

	it(`no function in nodes/ or credentials/ is longer than ${MAX_FUNCTION_LINES} lines`, () => {
		const files = [...sourceFiles('nodes'), ...sourceFiles('credentials')];
		expect(files.length).toBeGreaterThan(20);
		const long = files.flatMap((file) =>
			longFunctions(file, readFileSync(path.join(ROOT, file), 'utf8'), MAX_FUNCTION_LINES),
		);
		expect(long).toEqual([]);
	});

	it('no tracked file points outside the repository', () => {
		let hits = '';
		try {
			hits = execFileSync(
				'git',
				[
					'grep',
					'-nE',
					String.raw`\.\./shared/|/work/|miro-scim-reference\.md`,
					'--',
					'.',
					':!*package-lock.json',
					':!test/codebase.test.ts',
				],
				{ cwd: ROOT, encoding: 'utf8' },
			);
		} catch (error) {
			// git grep exits 1 when nothing matches: that is the pass.
			if ((error as { status?: number }).status !== 1) throw error;
		}
		expect(hits.split('\n').filter(Boolean)).toEqual([]);
	});
});
