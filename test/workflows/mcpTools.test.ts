/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not part of the published node */
/**
 * workflows/mcp-miro-tools.json: what it exposes (and does not), that its guard rails are fixed
 * values, and that each tool node does its job against the emulator when given the arguments an
 * agent sends (n8n hands them to the node as its input item; `$fromAI()` reads them there).
 * test/e2e/mcp.test.mjs drives the same template through a real MCP client in a real n8n.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startEmulator } from '../emulator/server';
import type { Emulator } from '../emulator/server';
import { runNode } from '../helpers/harness';

interface TemplateNode {
	name: string;
	type: string;
	parameters: INodeParameters;
	credentials?: Record<string, { id: string; name: string }>;
}

const workflow = JSON.parse(
	readFileSync(path.resolve(__dirname, '../../workflows/mcp-miro-tools.json'), 'utf8'),
) as { nodes: TemplateNode[]; connections: Record<string, Record<string, unknown>> };

const trigger = workflow.nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.mcpTrigger');
const tools = workflow.nodes.filter((node) => node.type === 'n8n-nodes-miro-scim.miroScimTool');
const tool = (name: string) => {
	const found = tools.find((node) => node.name === name);
	if (!found) throw new Error(`no tool ${name}`);
	return found;
};

/** Every `$fromAI(key, description, ...)` in a value, as [key, description]. */
function fromAiCalls(value: unknown): Array<[string, string]> {
	const text = JSON.stringify(value);
	return [...text.matchAll(/\$fromAI\('([^']+)', `([^`]*)`/g)].map((match) => [match[1], match[2]]);
}

describe('the template', () => {
	it('has one MCP Server Trigger that asks for a bearer token, with no secret in the file', () => {
		expect(trigger?.parameters.authentication).toBe('bearerAuth');
		expect(Object.keys(trigger?.credentials ?? {})).toEqual(['httpBearerAuth']);
		expect(trigger?.parameters.path).toBe('miro-lifecycle');
	});

	it('exposes exactly the reversible lifecycle verbs, each connected as a tool', () => {
		const verbs = tools.map((node) => [
			node.name,
			`${String(node.parameters.resource)}.${String(node.parameters.operation)}`,
		]);
		expect(verbs).toEqual([
			['find_user_by_email', 'user.get'],
			['get_user', 'user.get'],
			['create_user', 'user.create'],
			['deactivate_user', 'user.deactivate'],
			['reactivate_user', 'user.reactivate'],
			['find_group', 'group.find'],
			['add_users_to_group', 'group.updateMembers'],
			['remove_users_from_group', 'group.updateMembers'],
		]);
		for (const node of tools) {
			expect(workflow.connections[node.name], node.name).toEqual({
				ai_tool: [[{ node: trigger?.name, type: 'ai_tool', index: 0 }]],
			});
			expect(node.parameters.descriptionType).toBe('manual');
			expect(String(node.parameters.toolDescription).length).toBeGreaterThan(60);
		}
	});

	it('asks the model only for described values, never for a guard rail or an output setting', () => {
		for (const node of tools) {
			const calls = fromAiCalls(node.parameters);
			expect(calls.length, node.name).toBeGreaterThan(0);
			for (const [key, description] of calls) {
				expect(description.length, `${node.name}.${key}`).toBeGreaterThan(30);
			}
			const { options, simplify, ifExists } = node.parameters;
			expect(fromAiCalls({ options, simplify, ifExists }), node.name).toEqual([]);
		}
		expect(tool('create_user').parameters.ifExists).toBe('returnExisting');
	});

	it('turns the guard rails on and returns Simplified records', () => {
		expect(tool('deactivate_user').parameters.options).toEqual({ protectAdmins: true });
		for (const name of ['add_users_to_group', 'remove_users_from_group']) {
			expect(tool(name).parameters.options).toEqual({ maxUsersPerItem: 5 });
		}
		for (const node of tools.filter((n) => n.parameters.operation !== 'updateMembers')) {
			expect(node.parameters.simplify, node.name).toBe(true);
		}
	});
});

describe('each tool against the emulator, with the arguments an agent sends', () => {
	let emulator: Emulator;
	beforeAll(async () => {
		emulator = await startEmulator({ port: 0, timeScale: 0.01, contract: true });
	});
	afterAll(async () => {
		await emulator.close();
	});
	beforeEach(() => emulator.reset());

	const call = async (name: string, args: IDataObject) => {
		const parameters = { ...tool(name).parameters } as INodeParameters;
		parameters.options = { ...(parameters.options as IDataObject), rateWindowSeconds: 0.3 };
		return await runNode(parameters, {
			items: [args],
			credentials: { token: emulator.token, baseUrl: emulator.url },
		});
	};
	const teamsOf = (email: string) => {
		const user = emulator.state.userByName(email);
		return emulator.state
			.groups()
			.filter((group) => (group.members ?? []).some((member) => member.value === user?.id))
			.map((group) => group.displayName);
	};

	it('create, find, add to a group, deactivate, reactivate, remove', async () => {
		const email = 'dana.scully@example.com';
		const created = await call('create_user', { email, givenName: 'Dana', familyName: 'Scully' });
		expect(created.error).toBeUndefined();
		expect(created.json[0]).toMatchObject({ email, givenName: 'Dana', created: true });
		const again = await call('create_user', { email, givenName: 'Dana', familyName: 'Scully' });
		expect(again.json[0]).toMatchObject({ id: created.json[0].id, created: false });

		expect((await call('find_user_by_email', { email })).json[0].id).toBe(created.json[0].id);
		expect((await call('get_user', { userId: created.json[0].id })).json[0].email).toBe(email);
		expect((await call('find_group', { name: 'Engineering' })).json[0].name).toBe('Engineering');

		const added = await call('add_users_to_group', { group: 'Engineering', users: email });
		expect(added.error).toBeUndefined();
		expect(teamsOf(email)).toContain('Engineering');

		expect((await call('deactivate_user', { email })).json[0].active).toBe(false);
		expect(emulator.state.userByName(email)?.active).toBe(false);
		expect((await call('reactivate_user', { email })).json[0].active).toBe(true);

		await call('remove_users_from_group', { group: 'Engineering', users: email });
		expect(teamsOf(email)).not.toContain('Engineering');
	});

	it('refuses to deactivate the organization admin and changes nothing', async () => {
		const result = await call('deactivate_user', { email: 'admin@example.com' });
		expect(result.error?.message).toMatch(
			/^Refused: admin@example\.com is a Miro organization admin/,
		);
		expect(emulator.state.userByName('admin@example.com')?.active).toBe(true);
		expect(emulator.log.filter((entry) => entry.method !== 'GET')).toEqual([]);
	});

	it('refuses six users in one group call before any request', async () => {
		const users = [1, 2, 3, 4, 5, 6].map((n) => `user${n}@example.com`).join(', ');
		const result = await call('remove_users_from_group', { group: 'Engineering', users });
		expect(result.error?.message).toMatch(/^Refused: this call adds or removes 6 users/);
		expect(emulator.log).toEqual([]);
	});
});
