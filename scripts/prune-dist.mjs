// @ts-check
/**
 * Runs after `n8n-node build`. Its static-file step copies every png/svg it finds outside the
 * top-level node_modules into dist/, which here means the icons of the n8n installs under
 * test/e2e*\/node_modules (thousands of files) and the README screenshots in docs/images. The
 * package is the compiled node and credential only, so everything else is removed.
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const dist = path.resolve(import.meta.dirname, '..', 'dist');
const keep = new Set(['nodes', 'credentials']);

for (const entry of readdirSync(dist)) {
	if (!keep.has(entry)) rmSync(path.join(dist, entry), { recursive: true, force: true });
}
