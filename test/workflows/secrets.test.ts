/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not part of the published node */
/**
 * Templates are imported and activated as shipped: none may carry a secret, and none may open an
 * endpoint without authentication. Credentials are referenced by name and a placeholder id only;
 * the user creates them in n8n, where n8n stores them encrypted.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../workflows');
const files = readdirSync(root).filter((file) => file.endsWith('.json'));

interface TemplateNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, unknown>;
}

/** Long random-looking runs (hex, base64, base64url): what generated secrets and tokens look like. */
const RANDOM_RUN = /[A-Za-z0-9+/_]{32,}={0,2}|[A-Fa-f0-9]{32,}/g;
/** Token shapes with a known prefix, and the test suites' own tokens. */
const KNOWN_SHAPES = [
	/\bBearer\s+[A-Za-z0-9._~+/-]{8,}/i,
	/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, // a JWT
	/\b(?:ghp|gho|github_pat|xox[abps]|sk|AKIA)[-_]?[A-Za-z0-9]{16,}/,
	/emulator-token|miro-e2e-[0-9a-f]/,
];
/** Parameter names whose literal (non-expression) value would be a secret. */
const SECRET_KEY =
	/^(password|passwd|secret|token|apiKey|api_key|accessToken|clientSecret|authorization)$/i;

/** Every secret-like string in a JSON value, with where it is. */
function findSecrets(value: unknown, where = '$'): string[] {
	if (typeof value === 'string') {
		const runs = (value.match(RANDOM_RUN) ?? []).filter(
			(run) => /\d/.test(run) && /[A-Za-z]/.test(run),
		);
		const shapes = KNOWN_SHAPES.filter((shape) => shape.test(value)).map(String);
		return [...runs, ...shapes].map((found) => `${where}: ${found}`);
	}
	if (Array.isArray(value))
		return value.flatMap((entry, index) => findSecrets(entry, `${where}[${index}]`));
	if (value && typeof value === 'object') {
		return Object.entries(value).flatMap(([key, entry]) => {
			const literal = typeof entry === 'string' && entry !== '' && !entry.startsWith('=');
			const named = SECRET_KEY.test(key) && literal ? [`${where}.${key}: a literal value`] : [];
			return [...named, ...findSecrets(entry, `${where}.${key}`)];
		});
	}
	return [];
}

describe('findSecrets (the detector itself)', () => {
	it.each([
		['openssl rand -hex 32', randomBytes(32).toString('hex')],
		['openssl rand -base64 32', randomBytes(32).toString('base64')],
		['a bearer header', 'Authorization: Bearer abc.def-ghi_jkl'],
		['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig'],
		['a GitHub token', 'ghp_0123456789abcdefABCDEF'],
		['the emulator token', 'emulator-token'],
	])('finds %s', (_name, text) => {
		expect(findSecrets({ note: text })).not.toEqual([]);
	});

	it('finds a literal value under a secret-like parameter name', () => {
		expect(findSecrets({ parameters: { password: 'hunter2' } })).toEqual([
			'$.parameters.password: a literal value',
		]);
	});

	it.each([
		['a node id', '16152ba6-c025-5e36-8a28-b1e80dc12b50'],
		['a team name', 'g_app_itadmin_all'],
		['an expression', "={{ $('Create or find Miro user').item.json.id }}"],
		['the advice in a sticky note', 'e.g. the output of `openssl rand -hex 32`'],
	])('leaves %s alone', (_name, text) => {
		expect(findSecrets({ note: text, token: '={{ $json.token }}' })).toEqual([]);
	});
});

describe.each(files)('workflows/%s', (file) => {
	const workflow = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as {
		nodes: TemplateNode[];
	};

	it('contains nothing that looks like a secret', () => {
		expect(findSecrets(workflow)).toEqual([]);
	});

	it('references credentials by name and placeholder id only, never with their data', () => {
		for (const node of workflow.nodes) {
			for (const [type, reference] of Object.entries(node.credentials ?? {})) {
				expect(Object.keys(reference as object).sort(), `${node.name}: ${type}`).toEqual([
					'id',
					'name',
				]);
			}
		}
	});

	it('asks for authentication on every webhook and MCP server it opens', () => {
		const opened = ['n8n-nodes-base.webhook', '@n8n/n8n-nodes-langchain.mcpTrigger'];
		for (const node of workflow.nodes.filter((n) => opened.includes(n.type))) {
			expect(node.parameters.authentication ?? 'none', node.name).not.toBe('none');
			expect(Object.keys(node.credentials ?? {}), node.name).toHaveLength(1);
		}
	});
});
