/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test tooling, not part of the published node */
/**
 * The documentation holds together: every relative link and anchor in the repository's markdown
 * (README, docs/, bench/, the READMEs under test/) names a file that exists and a heading that
 * is there, nothing points outside the repository, and the README stays short enough to read.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..');
// The lead's budget for the README: what an n8n user reads; the rest lives in docs/.
const MAX_README_LINES = 400;

/** Tracked and new (not ignored) markdown files, relative to the repository root. */
function markdownFiles(): string[] {
	const listed = execFileSync(
		'git',
		['ls-files', '--cached', '--others', '--exclude-standard', '--', '*.md'],
		{ cwd: ROOT, encoding: 'utf8' },
	);
	return [...new Set(listed.split('\n').filter(Boolean))].filter((file) =>
		existsSync(path.join(ROOT, file)),
	);
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
		.replace(/ /g, '-');
}

/** Markdown without fenced code blocks, where a `#` line is not a heading. */
function withoutFences(markdown: string): string {
	return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** Markdown without code, where `[text](target)` is only text. */
function prose(markdown: string): string {
	return withoutFences(markdown).replace(/`[^`\n]*`/g, '');
}

/** The anchors a markdown file offers, with GitHub's -1, -2 suffixes for repeated headings. */
export function anchors(markdown: string): Set<string> {
	const seen = new Map<string, number>();
	const found = new Set<string>();
	for (const match of withoutFences(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
		const base = slug(match[1]);
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		found.add(count === 0 ? base : `${base}-${count}`);
	}
	return found;
}

/** Link and image targets, external ones (a scheme such as https: or mailto:) left out. */
export function relativeLinks(markdown: string): string[] {
	const targets = [
		...prose(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g),
	];
	return targets.map((match) => match[1]).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** Why `target`, linked from `file`, does not resolve; undefined when it does. */
export function brokenLink(
	file: string,
	target: string,
	read: (file: string) => string | undefined,
): string | undefined {
	const [pathPart, anchor] = target.split('#', 2);
	const linked =
		pathPart === ''
			? file
			: path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(pathPart)));
	if (linked.startsWith('../') || path.posix.isAbsolute(linked))
		return 'points outside the repository';
	const text = read(linked);
	if (text === undefined) return `${linked} does not exist`;
	if (anchor === undefined || !linked.endsWith('.md')) return undefined;
	return anchors(text).has(anchor) ? undefined : `${linked} has no heading #${anchor}`;
}

function readRepositoryFile(file: string): string | undefined {
	const full = path.join(ROOT, file);
	if (!existsSync(full)) return undefined;
	return statSync(full).isDirectory() ? '' : readFileSync(full, 'utf8');
}

describe('documentation links', () => {
	it('makes anchors as GitHub does (the checker itself)', () => {
		expect(slug('User > Create')).toBe('user--create');
		expect(slug('Other SCIM 2.0 services')).toBe('other-scim-20-services');
		expect(slug('Scaling: many executions and queue mode')).toBe(
			'scaling-many-executions-and-queue-mode',
		);
		expect([...anchors('# A\n```\n# not a heading\n```\n## A\n### B `c`')]).toEqual([
			'a',
			'a-1',
			'b-c',
		]);
	});

	it('finds broken links and ignores external ones and code (the checker itself)', () => {
		const files: Record<string, string> = {
			'README.md': '# Title\n## Install\n',
			'docs/a.md': '# A\n',
		};
		const read = (file: string) => files[file];
		expect(
			relativeLinks('[x](https://n8n.io) [y](docs/a.md#a) `[z](no.md)` ![i](img.png)'),
		).toEqual(['docs/a.md#a', 'img.png']);
		expect(brokenLink('README.md', 'docs/a.md#a', read)).toBeUndefined();
		expect(brokenLink('docs/a.md', '../README.md#install', read)).toBeUndefined();
		expect(brokenLink('README.md', '#install', read)).toBeUndefined();
		expect(brokenLink('README.md', '#usage', read)).toBe('README.md has no heading #usage');
		expect(brokenLink('README.md', 'docs/b.md', read)).toBe('docs/b.md does not exist');
		expect(brokenLink('docs/a.md', '../../elsewhere/x.md', read)).toBe(
			'points outside the repository',
		);
	});

	it('every relative link and anchor in the markdown files resolves', () => {
		const files = markdownFiles();
		expect(files).toEqual(
			expect.arrayContaining(['README.md', 'docs/miro-scim-api.md', 'bench/results.md']),
		);
		const links = files.flatMap((file) =>
			relativeLinks(readFileSync(path.join(ROOT, file), 'utf8')).map((target) => ({
				file,
				target,
			})),
		);
		expect(links.length).toBeGreaterThan(50);
		const broken = links.flatMap(({ file, target }) => {
			const why = brokenLink(file, target, readRepositoryFile);
			return why ? [`${file}: (${target}) ${why}`] : [];
		});
		expect(broken).toEqual([]);
	});

	it(`README.md has at most ${MAX_README_LINES} lines`, () => {
		const lines = readFileSync(path.join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n');
		expect(lines.length).toBeLessThanOrEqual(MAX_README_LINES);
	});
});
