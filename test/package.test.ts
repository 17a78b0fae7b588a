/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test tooling, not part of the published node */
/**
 * What `npm pack` publishes, as n8n's verification asks: the compiled node and credential, the
 * README and LICENSE, and a package.json with no runtime dependencies. Needs `npm run build`
 * (`npm test` runs it first).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

function filesUnder(folder: string): string[] {
	return readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((entry) =>
		statSync(path.join(folder, entry)).isFile(),
	);
}

describe('the published package', () => {
	it('has no runtime dependencies and n8n-workflow as its only peer', () => {
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(Object.keys(manifest.peerDependencies)).toEqual(['n8n-workflow']);
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
	});

	it('packs only dist, README, LICENSE and package.json, including every file n8n loads', () => {
		const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: root,
			encoding: 'utf8',
		});
		const files = (JSON.parse(output)[0].files as Array<{ path: string }>).map((file) => file.path);
		const outside = files.filter(
			(file) =>
				!file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file),
		);
		expect(outside).toEqual([]);
		for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			expect(files, `${entry} is missing: run npm run build first`).toContain(entry);
		}
		expect(files).toContain('dist/nodes/MiroScim/miroScim.svg');
		expect(files).toContain('dist/nodes/MiroScim/MiroScim.node.json');
		expect(files.some((file) => file.includes('/test/') || file.includes('node_modules'))).toBe(
			false,
		);
	});

	it('builds only the node and the credential: no e2e installs, screenshots or tests in dist/', () => {
		const dist = path.join(root, 'dist');
		expect(readdirSync(dist).sort()).toEqual(['credentials', 'nodes']);
		const files = filesUnder(dist);
		const bytes = files.reduce((sum, file) => sum + statSync(path.join(dist, file)).size, 0);
		expect(bytes).toBeLessThan(2 * 1024 * 1024);
	});
});
