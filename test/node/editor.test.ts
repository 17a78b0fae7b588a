/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not part of the published node */
/**
 * What the editor shows of the node before anything runs: the canvas subtitle, the picker
 * entries, and the credential test's messages. The browser test (test/e2e/editor.test.mjs)
 * checks the same on screen in n8n itself.
 */
import { runInNewContext } from 'node:vm';
import { NodeHelpers } from 'n8n-workflow';
import type { INodeProperties } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { CREDENTIAL_TEST_MESSAGES, MiroScimApi } from '../../credentials/MiroScimApi.credentials';
import { MiroScim } from '../../nodes/MiroScim/MiroScim.node';
import { groupLabels, userLabel } from '../../nodes/MiroScim/methods/labels';

/** The subtitle as the editor evaluates it: the expression inside ={{ }} with $parameter. */
function subtitle(parameters: Record<string, string>): unknown {
	const expression = String(new MiroScim().description.subtitle);
	const body = /^=\{\{([\s\S]*)\}\}$/.exec(expression)?.[1];
	expect(body).toBeDefined();
	return runInNewContext(`(${body as string})`, { $parameter: parameters });
}

describe('canvas subtitle', () => {
	it.each([
		['user', 'create', /^Create: User$/],
		['user', 'get', /^Get: User$/],
		['user', 'updateRole', /^Update Role: User$/],
		// The panel's word for the resource: "Group" (it read "Team" before the rename).
		['group', 'updateMembers', /^Update Members: (Group|Team)$/],
		['group', 'get', /^Get: (Group|Team)$/],
		['group', 'getAll', /^Get Many: (Group|Team)$/],
	])('%s > %s reads %s', (resource, operation, expected) => {
		expect(subtitle({ resource, operation })).toMatch(expected);
	});

	it('falls back to the internal values for an unknown pair', () => {
		expect(subtitle({ resource: 'user', operation: 'somethingNew' })).toBe('somethingNew: user');
	});
});

describe('picker entries', () => {
	it.each([
		[
			{ id: '1', userName: 'ada@example.com', displayName: 'Ada Lovelace' },
			'Ada Lovelace <ada@example.com>',
		],
		[{ id: '1', userName: 'ada@example.com' }, 'ada@example.com'],
		[{ id: '1', userName: 'ada@example.com', displayName: 'ADA@example.com' }, 'ada@example.com'],
		[{ id: '1', userName: 'ada@example.com', displayName: '  ' }, 'ada@example.com'],
	])('user %j reads "%s"', (user, expected) => {
		expect(userLabel(user)).toBe(expected);
	});

	it('names teams by name, adding the id only where two teams share one', () => {
		const labels = groupLabels([
			{ id: '10', displayName: 'Engineering' },
			{ id: '11', displayName: 'Design' },
			{ id: '12', displayName: 'Design' },
		]);
		expect([...labels]).toEqual([
			['10', 'Engineering'],
			['11', 'Design (11)'],
			['12', 'Design (12)'],
		]);
	});
});

describe('credential test', () => {
	const test = new MiroScimApi().test;

	it('lists one rule per status Miro answers a bad setting with', () => {
		expect(test.rules).toEqual(
			[401, 403, 404].map((value) => ({
				type: 'responseCode',
				properties: { value, message: CREDENTIAL_TEST_MESSAGES[value as 401 | 403 | 404] },
			})),
		);
	});

	it.each([
		[401, /Admin console > Enterprise integrations > SCIM provisioning.*SCIM Token/],
		[403, /Enterprise plan/],
		[404, /must end in \/api\/v1\/scim/],
	])('a %i names the field to fix', (status, pattern) => {
		const rule = test.rules?.find(
			(entry) => entry.type === 'responseCode' && entry.properties.value === status,
		);
		expect(rule?.properties.message).toMatch(pattern);
	});

	it('asks for one user at the credential base URL, without its trailing slash', () => {
		expect(test.request).toMatchObject({ url: '/Users', qs: { startIndex: 1, count: 1 } });
		const baseURL = String(test.request.baseURL).replace(/^=\{\{([\s\S]*)\}\}$/, '$1');
		const $credentials = { baseUrl: 'https://miro.com/api/v1/scim//' };
		expect(runInNewContext(baseURL, { $credentials })).toBe('https://miro.com/api/v1/scim');
	});
});

describe('panel hints', () => {
	const node = new MiroScim();
	const notice = node.description.properties.find((property) => property.name === 'emailNotice');
	const shown = (email: string) =>
		NodeHelpers.displayParameter(
			{ resource: 'user', operation: 'create', email },
			notice as INodeProperties,
			null,
			node.description,
		);

	it.each([
		['ada@', true],
		['ada example.com', true],
		['ada@example', true],
		['ada@example.com', false],
		['', false],
		['={{ $json.email }}', false],
	])('Create flags "%s" as not an email in the panel: %s', (email, expected) => {
		expect(notice?.type).toBe('notice');
		expect(shown(email)).toBe(expected);
	});

	it('the options say Initial Backoff in Milliseconds (n8n\'s casing rule refuses "(Ms)")', () => {
		const options = node.description.properties.find((property) => property.name === 'options');
		const names = (options?.options ?? []).map((option) => (option as INodeProperties).displayName);
		expect(names).toContain('Initial Backoff in Milliseconds');
	});

	it('the Base URL field says what a bare network code from the connection test means', () => {
		const baseUrl = new MiroScimApi().properties.find((property) => property.name === 'baseUrl');
		expect(baseUrl?.hint).toMatch(/ECONNREFUSED.*port.*ENOTFOUND.*host/);
	});
});
