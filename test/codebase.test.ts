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
/** Tests and tools (test/, bench/) are held to a looser bound than the published code. */
const MAX_TOOLING_FUNCTION_LINES = 80;

/**
 * Tooling functions longer than MAX_TOOLING_FUNCTION_LINES, each with why it is not split
 * (yet). A function leaves this list when it is split; a new long one fails the test.
 */
const LONG_TOOLING_FUNCTIONS: Record<string, string> = {
	'test/e2e/demo.mjs main': 'e2e scripts are being reworked (type-checking) in a parallel change',
	'test/e2e/scenario.mjs createScenario': 'e2e scripts: as above',
	'test/e2e/smoke.mjs runSmoke': 'e2e scripts: as above',
	'test/emulator/discovery.ts schemas':
		"data: the /Schemas document, Miro's attribute list written out",
	'test/interop/scimmyServer.ts startScimmy':
		"SCIMMY's resource handlers wired in one place; to split by resource",
	'test/queue/cluster.mjs createCluster':
		'starts Postgres, Redis, main and workers in order; to split by service',
	'test/registry/registry.mjs startRegistry': 'the registry routes; to split like the emulator',
	'test/registry/registry.mjs startNpmjsStandIn': 'as startRegistry',
	'bench/lib/workflows.ts baselineOnboardingWorkflow':
		'data: a workflow written out node by node, as n8n exports it',
	'bench/scenarios/onboarding.ts onboarding': 'one measured scenario, setup to report',
	'bench/scenarios/overhead.ts overhead': 'one measured scenario, setup to report',
};

function sourceFiles(dir: string, pattern = /\.ts$/): string[] {
	return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const relative = path.join(dir, entry.name);
		if (entry.isDirectory())
			return entry.name === 'node_modules' ? [] : sourceFiles(relative, pattern);
		return pattern.test(entry.name) && !/\.d\.m?ts$/.test(entry.name) ? [relative] : [];
	});
}

/**
 * A `describe(...)` callback only groups tests (each `it` inside is measured on its own): it is
 * a container, not a function anyone reads as one.
 */
function isDescribeBlock(node: ts.Node): boolean {
	const call = node.parent;
	if (!call || !ts.isCallExpression(call)) return false;
	let callee: ts.Expression = call.expression;
	while (ts.isCallExpression(callee) || ts.isPropertyAccessExpression(callee)) {
		callee = callee.expression;
	}
	return ts.isIdentifier(callee) && callee.text === 'describe';
}

/** Every function (declaration, method, arrow) longer than `max` lines, as "file:line name (n)". */
export function longFunctions(file: string, text: string, max: number): string[] {
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
	const found: string[] = [];
	const visit = (node: ts.Node) => {
		if (ts.isFunctionLike(node) && 'body' in node && node.body && !isDescribeBlock(node)) {
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

	it(`no function in test/ or bench/ is longer than ${MAX_TOOLING_FUNCTION_LINES} lines, but the listed ones`, () => {
		const files = [...sourceFiles('test', /\.(ts|mjs)$/), ...sourceFiles('bench', /\.(ts|mjs)$/)];
		expect(files.length).toBeGreaterThan(50);
		const long = files.flatMap((file) =>
			longFunctions(file, readFileSync(path.join(ROOT, file), 'utf8'), MAX_TOOLING_FUNCTION_LINES),
		);
		// "file:line name (lines)" -> "file name": line numbers move with every edit.
		const found = long.map((entry) => entry.replace(/:\d+ (\S+) \(\d+\)$/, ' $1'));
		expect(found.filter((key) => !(key in LONG_TOOLING_FUNCTIONS))).toEqual([]);
		// A split function leaves the list, so that the list says what is still long.
		expect(Object.keys(LONG_TOOLING_FUNCTIONS).filter((key) => !found.includes(key))).toEqual([]);
	});

	it('a describe block is a container, not a long function; the tests in it are measured', () => {
		const body = Array.from({ length: 90 }, (_, i) => `\tconst a${i} = ${i};`).join('\n');
		const text = `describe('x', () => {\n\tit('y', () => {\n${body}\n\t});\n});`;
		expect(longFunctions('x.ts', text, 80)).toEqual(['x.ts:2 (anonymous) (92)']);
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
