/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * Under tsx, `import { MiroScim } from '.../MiroScim.node'` resolves to the codex file
 * `MiroScim.node.json` (Node tries `.json` before tsx's `.ts`), so the harness would get JSON
 * instead of the node class. Vitest resolves `.ts` first; this hook gives bench processes the
 * same answer: a `*.node.json` with a sibling `*.node.ts` means the `.ts`.
 */
import fs from 'node:fs';
import Module from 'node:module';

type Resolve = (this: unknown, ...args: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolve };
const original = moduleInternals._resolveFilename;

moduleInternals._resolveFilename = function (this: unknown, ...args: unknown[]): string {
	const resolved = original.apply(this, args);
	if (resolved.endsWith('.node.json')) {
		const source = resolved.replace(/\.json$/, '.ts');
		if (fs.existsSync(source)) return source;
	}
	return resolved;
};
