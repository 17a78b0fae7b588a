/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published node */
/**
 * The workflows the bench runs, as n8n's editor would export them.
 */
import fs from 'node:fs';
import path from 'node:path';

import { PLAIN_NODE_TYPE } from './plainNode';
import { ROOT } from './processes';

export const MIRO_NODE_TYPE = 'n8n-nodes-miro-scim.miroScim';

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[setting: string]: unknown;
}

export interface Workflow {
	name?: string;
	nodes: WorkflowNode[];
	connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
	>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface Employee {
	email: string;
	firstName: string;
	lastName: string;
	department: string;
	team: string;
}

export function employees(count: number, teams: string[]): Employee[] {
	return Array.from({ length: count }, (_, index) => {
		const n = index + 1;
		const team = teams[index % teams.length];
		return {
			email: `new.hire${n}@example.com`,
			firstName: 'New',
			lastName: `Hire ${n}`,
			department: team,
			team,
		};
	});
}

/** The node's Options collection, set on every Miro SCIM node of a workflow. */
export function setMiroOptions(workflow: Workflow, options: Record<string, unknown>): Workflow {
	for (const node of workflow.nodes) {
		if (node.type === MIRO_NODE_TYPE) {
			node.parameters.options = { ...((node.parameters.options as object) ?? {}), ...options };
		}
	}
	return workflow;
}

function setCredential(workflow: Workflow, type: string, id: string): void {
	for (const node of workflow.nodes) {
		if (node.credentials?.[type])
			node.credentials[type] = { id, name: node.credentials[type].name };
	}
}

const chain = (...names: string[]): Workflow['connections'] =>
	Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);

function node(
	name: string,
	type: string,
	typeVersion: number,
	x: number,
	parameters: Record<string, unknown>,
	extra: Partial<WorkflowNode> = {},
): WorkflowNode {
	return {
		id: name.toLowerCase().replace(/\W+/g, '-'),
		name,
		type,
		typeVersion,
		position: [x, 300],
		parameters,
		...extra,
	};
}

const trigger = () => node('Start', 'n8n-nodes-base.manualTrigger', 1, 0, {});
const rawSet = (name: string, data: unknown) =>
	node(name, 'n8n-nodes-base.set', 3.4, 220, {
		mode: 'raw',
		jsonOutput: JSON.stringify(data),
		options: {},
	});
const splitOut = (name: string, field: string) =>
	node(name, 'n8n-nodes-base.splitOut', 1, 440, { fieldToSplitOut: field, options: {} });

/** workflows/onboarding.json with its sample data replaced by `people`. */
export function onboardingWorkflow(people: Employee[], credentialId: string): Workflow {
	const workflow = JSON.parse(
		fs.readFileSync(path.join(ROOT, 'workflows', 'onboarding.json'), 'utf8'),
	) as Workflow;
	const sample = workflow.nodes.find((n) => n.name === 'New employees (sample)');
	if (!sample) throw new Error('onboarding.json has no "New employees (sample)" node');
	sample.parameters.jsonOutput = JSON.stringify({ employees: people });
	setCredential(workflow, 'miroScimApi', credentialId);
	return workflow;
}

/** The final node of onboarding.json: its successful items are onboarded people. */
export const ONBOARDING_LAST_NODE = 'Add user to team';

const miroCredential = (id: string) => ({ miroScimApi: { id, name: 'Miro SCIM account' } });

/**
 * The same onboarding built from n8n's HTTP Request node, as users do without this package:
 * lookup per person, IF not found then create, team search per person, one add-member PATCH per
 * person; every HTTP node with n8n's "Retry On Fail" setting.
 */
export function baselineOnboardingWorkflow(
	people: Employee[],
	baseUrl: string,
	credentialId: string,
	waitBetweenTriesMs: number,
): Workflow {
	const retry = { retryOnFail: true, maxTries: 3, waitBetweenTries: waitBetweenTriesMs };
	const credentials = { httpBearerAuth: { id: credentialId, name: 'Miro SCIM bearer' } };
	const http = (name: string, x: number, parameters: Record<string, unknown>) =>
		node(
			name,
			'n8n-nodes-base.httpRequest',
			4.2,
			x,
			{
				authentication: 'genericCredentialType',
				genericAuthType: 'httpBearerAuth',
				// Miro answers application/scim+json, which "Autodetect" would read as text.
				options: { response: { response: { responseFormat: 'json' } } },
				...parameters,
			},
			{ credentials, ...retry },
		);
	const person = "$('One item per employee').item.json";
	const nodes: WorkflowNode[] = [
		trigger(),
		rawSet('New employees', { employees: people }),
		splitOut('One item per employee', 'employees'),
		http('Look up user', 660, {
			method: 'GET',
			url: `${baseUrl}/Users`,
			sendQuery: true,
			specifyQuery: 'keypair',
			queryParameters: {
				parameters: [{ name: 'filter', value: '=userName eq "{{ $json.email }}"' }],
			},
		}),
		node('New user?', 'n8n-nodes-base.if', 2.2, 880, {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
				conditions: [
					{
						id: 'not-found',
						leftValue: '={{ $json.totalResults }}',
						rightValue: 0,
						operator: { type: 'number', operation: 'equals' },
					},
				],
				combinator: 'and',
			},
			options: {},
		}),
		http('Create user', 1100, {
			method: 'POST',
			url: `${baseUrl}/Users`,
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody: `={\n  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],\n  "userName": "{{ ${person}.email }}",\n  "name": { "givenName": "{{ ${person}.firstName }}", "familyName": "{{ ${person}.lastName }}" },\n  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { "department": "{{ ${person}.department }}" }\n}`,
		}),
		http('Find team', 1320, {
			method: 'GET',
			url: `${baseUrl}/Groups`,
			sendQuery: true,
			specifyQuery: 'keypair',
			queryParameters: {
				parameters: [{ name: 'filter', value: `=displayName eq "{{ ${person}.team }}"` }],
			},
		}),
		http('Add to team', 1540, {
			method: 'PATCH',
			url: `=${baseUrl}/Groups/{{ $json.Resources[0].id }}`,
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody: `={\n  "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],\n  "Operations": [{ "op": "add", "path": "members", "value": [{ "value": "{{ $('New user?').item.json.totalResults > 0 ? $('New user?').item.json.Resources[0].id : $('Create user').item.json.id }}" }] }]\n}`,
		}),
	];
	const connections = chain(
		'Start',
		'New employees',
		'One item per employee',
		'Look up user',
		'New user?',
	);
	connections['New user?'] = {
		main: [
			[{ node: 'Create user', type: 'main', index: 0 }],
			[{ node: 'Find team', type: 'main', index: 0 }],
		],
	};
	Object.assign(connections, chain('Create user', 'Find team', 'Add to team'));
	return {
		name: 'Onboarding with HTTP Request',
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}

export const BASELINE_LAST_NODE = 'Add to team';

/** Input items `{ id }` from a Set node, then one Miro SCIM node. */
function idsThenMiro(ids: string[], miro: WorkflowNode): Workflow {
	return {
		nodes: [
			trigger(),
			rawSet('Ids', { users: ids.map((id) => ({ id })) }),
			splitOut('One item per user', 'users'),
			miro,
		],
		connections: chain('Start', 'Ids', 'One item per user', miro.name),
		settings: { executionOrder: 'v1' },
	};
}

export function addMembersWorkflow(ids: string[], teamId: string, credentialId: string): Workflow {
	return idsThenMiro(
		ids,
		node(
			'Add to team',
			MIRO_NODE_TYPE,
			1,
			660,
			{
				resource: 'group',
				operation: 'updateMembers',
				group: { __rl: true, mode: 'id', value: teamId },
				add: '={{ $json.id }}',
				options: {},
			},
			{ credentials: miroCredential(credentialId) },
		),
	);
}

export function getAllUsersWorkflow(credentialId: string): Workflow {
	const miro = node(
		'Get many users',
		MIRO_NODE_TYPE,
		1,
		220,
		{ resource: 'user', operation: 'getAll', returnAll: true, filters: {}, options: {} },
		{ credentials: miroCredential(credentialId) },
	);
	return {
		nodes: [trigger(), miro],
		connections: chain('Start', miro.name),
		settings: { executionOrder: 'v1' },
	};
}

export function getUserByIdWorkflow(ids: string[], credentialId: string): Workflow {
	return idsThenMiro(
		ids,
		node(
			'Get user',
			MIRO_NODE_TYPE,
			1,
			660,
			{
				resource: 'user',
				operation: 'get',
				user: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				options: {},
			},
			{ credentials: miroCredential(credentialId) },
		),
	);
}

/** The n8n reference for scenario 5 (see plainNode.ts). */
export function plainGetUserWorkflow(ids: string[], credentialId: string): Workflow {
	return idsThenMiro(
		ids,
		node(
			'Get user',
			PLAIN_NODE_TYPE,
			1,
			660,
			{ id: '={{ $json.id }}' },
			{ credentials: miroCredential(credentialId) },
		),
	);
}

/** A warm-up copy: every node continues on errors, as its requests all answer 404. */
export function forWarmup(workflow: Workflow): Workflow {
	for (const n of workflow.nodes) n.onError = 'continueRegularOutput';
	return workflow;
}
