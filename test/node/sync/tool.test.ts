/**
 * Sync as an AI agent's tool: the action reads well, and the node's description (what an agent
 * sees when choosing tools) mentions the sync. Dry Run is the default, so an agent's call plans.
 */
import { createNodeAsTool } from 'n8n-core/dist/execution-engine/node-execution-context/utils/create-node-as-tool';
import { describe, expect, it } from 'vitest';

import { MiroScim } from '../../../nodes/MiroScim/MiroScim.node';

describe('sync as an AI agent tool', () => {
	const nodeType = new MiroScim();

	it('describes the node and the action in words an agent can pick', () => {
		expect(nodeType.description.description).toContain('sync Miro with a source of truth');
		const { response: tool } = createNodeAsTool({
			node: {
				id: 'tool',
				name: 'Plan Miro sync',
				type: 'n8n-nodes-miro-scim.miroScim',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					resource: 'sync',
					operation: 'reconcile',
					email: "={{ $fromAI('email', 'Work email of the person', 'string') }}",
				},
			},
			nodeType,
			handleToolInvocation: async () => '',
		});
		expect(tool.description).toBe('Reconcile users and groups in Miro SCIM');
	});

	it('plans by default (Dry Run on)', () => {
		const dryRun = nodeType.description.properties.find(
			(property) =>
				property.name === 'dryRun' &&
				property.displayOptions?.show?.operation?.includes('reconcile'),
		);
		expect(dryRun?.default).toBe(true);
	});
});
