/**
 * The node as an AI agent's tool: n8n-core turns it into a LangChain tool whose arguments are
 * the node's `$fromAI()` placeholders, and runs it with the agent's arguments as its input item.
 */
import nock from 'nock';
import { createNodeAsTool } from 'n8n-core/dist/execution-engine/node-execution-context/utils/create-node-as-tool';
import type { INode } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { MiroScim } from '../../nodes/MiroScim/MiroScim.node';
import { runNode } from '../helpers/harness';
import { useNock } from '../helpers/fixtures';

const FAST = { pacing: false, initialBackoffMs: 1 };

const deactivateByEmail = {
	resource: 'user',
	operation: 'deactivate',
	user: {
		__rl: true,
		mode: 'email',
		value: "={{ $fromAI('email', 'Work email of the person leaving the company', 'string') }}",
	},
	options: FAST,
};

const toolNode: INode = {
	id: 'tool',
	name: 'Deactivate Miro user',
	type: 'n8n-nodes-miro-scim.miroScim',
	typeVersion: 1,
	position: [0, 0],
	parameters: deactivateByEmail,
};

useNock();

describe('usable as an AI agent tool', () => {
	const nodeType = new MiroScim();

	it('is marked usable as a tool', () => {
		expect(nodeType.description.usableAsTool).toBe(true);
	});

	it('describes itself by the chosen operation and asks the agent only for its placeholders', () => {
		const { response: tool } = createNodeAsTool({
			node: toolNode,
			nodeType,
			handleToolInvocation: async () => '',
		});
		expect(tool.description).toBe('Deactivate a user in Miro SCIM');
		const shape = (tool.schema as { shape: Record<string, { description?: string }> }).shape;
		expect(Object.keys(shape)).toEqual(['email']);
		expect(shape.email.description).toBe('Work email of the person leaving the company');
	});

	it('runs with the arguments the agent gives and returns the result', async () => {
		const id = '3074457345618261605';
		const scope = nock('https://miro.com/api/v1/scim', {
			reqheaders: { authorization: 'Bearer test-token' },
		})
			.get('/Users')
			.query({ filter: 'userName eq "ada@example.com"', startIndex: '1', count: '1' })
			.reply(200, {
				totalResults: 1,
				Resources: [{ id, userName: 'ada@example.com', active: true }],
			})
			.patch(`/Users/${id}`, {
				schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
				Operations: [{ op: 'Replace', path: 'active', value: false }],
			})
			.reply(200, { id, userName: 'ada@example.com', active: false });

		const { response: tool } = createNodeAsTool({
			node: toolNode,
			nodeType,
			// n8n hands the agent's arguments to the node as its input item; $fromAI reads them.
			handleToolInvocation: async (args) => {
				const result = await runNode(deactivateByEmail, { items: [args as never] });
				if (result.error) throw result.error;
				return JSON.stringify(result.json);
			},
		});
		const answer = await tool.invoke({ email: 'ada@example.com' });
		expect(JSON.parse(answer as string)).toEqual([
			expect.objectContaining({ id, email: 'ada@example.com', active: false }),
		]);
		expect(scope.isDone()).toBe(true);
	});
});
