/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not part of the published node */
/**
 * Runs the Miro SCIM node the way n8n runs it: a workflow (a source node feeding the node under
 * test) executed by n8n-core's WorkflowExecute, credentials resolved and applied by the
 * credential type's own `authenticate` definition through n8n's expression engine, and HTTP
 * through n8n-core's request helpers. Only the parts n8n's server normally provides (a
 * credentials store, node type registry, lifecycle hooks) are stood in here.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { createRunExecutionData, ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	INodeCredentialsDetails,
	IDataObject,
	IConnections,
	IExecuteResponsePromiseData,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { createRequire } from 'node:module';
import path from 'node:path';

import { MiroScimApi } from '../../credentials/MiroScimApi.credentials';
import type { MemoryDataTables } from './dataTables';
import { MiroScim } from '../../nodes/MiroScim/MiroScim.node';

export const NODE_TYPE = 'n8n-nodes-miro-scim.miroScim';
const SOURCE_TYPE = 'test.source';

/** Emits the items given in its `items` parameter, like a trigger with pinned sample data. */
class SourceNode implements INodeType {
	description = {
		displayName: 'Source',
		name: 'source',
		group: ['input'],
		version: 1,
		description: 'Emits test items',
		defaults: { name: 'Source' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

const miroScimApi = new MiroScimApi();

function credentialTypeOf(name: string): ICredentialType {
	if (name === miroScimApi.name) return miroScimApi;
	return loadBaseClass(basePackage.n8n.credentials, name, '.credentials.js') as ICredentialType;
}

const require = createRequire(__filename);
const nodesBase = path.dirname(require.resolve('n8n-nodes-base/package.json'));
const basePackage = require('n8n-nodes-base/package.json') as {
	n8n: { nodes: string[]; credentials: string[] };
};

/** `n8n-nodes-base.splitOut` -> the class in dist/nodes/Transform/SplitOut/SplitOut.node.js. */
function loadBaseClass(list: string[], name: string, suffix: string): unknown {
	const file = list.find((entry) => {
		const base = path.basename(entry, suffix);
		return base.charAt(0).toLowerCase() + base.slice(1) === name || base === name;
	});
	if (!file) throw new Error(`n8n-nodes-base has no ${name}`);
	const module = require(path.join(nodesBase, file)) as Record<string, new () => unknown>;
	const Class = Object.values(module).find((value) => typeof value === 'function');
	if (!Class) throw new Error(`${file} exports no class`);
	return new Class();
}

class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType> = {
		[NODE_TYPE]: new MiroScim(),
		[SOURCE_TYPE]: new SourceNode(),
	};

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		let type = this.types[nodeType];
		if (!type && nodeType.startsWith('n8n-nodes-base.')) {
			type = loadBaseClass(
				basePackage.n8n.nodes,
				nodeType.slice('n8n-nodes-base.'.length),
				'.node.js',
			) as INodeType;
			this.types[nodeType] = type;
		}
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const type = this.getByName(nodeType);
		return 'nodeVersions' in type ? (type as IVersionedNodeType).getNodeType(version) : type;
	}

	getKnownTypes() {
		return {};
	}
}

export const nodeTypes = new TestNodeTypes();

export interface TestCredentials {
	token: string;
	baseUrl?: string;
}

/** Stored credentials by id, as n8n's credential store holds them. */
export type CredentialStore = Record<string, { type: string; data: IDataObject }>;

/** A stand-in for n8n's credential store whose `authenticate` follows n8n's generic rules. */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: CredentialStore) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypeOf(type).properties;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.store[nodeCredentials.id ?? ''];
		if (!stored || stored.type !== type)
			throw new Error(`No ${type} credential with id ${nodeCredentials.id}`);
		return decrypted(type, stored.data);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		return applyAuthentication(typeName, credentials, requestOptions, workflow, node);
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}
}

/** Defaults come from the credential type's own properties, as n8n applies them. */
function decrypted(type: string, data: IDataObject): ICredentialDataDecryptedObject {
	return NodeHelpers.getNodeParameters(
		credentialTypeOf(type).properties,
		data as INodeParameters,
		true,
		false,
		null,
		null,
	) as ICredentialDataDecryptedObject;
}

function expressionWorkflow(): { workflow: Workflow; node: INode } {
	const node: INode = {
		id: 'resolver',
		name: 'Resolver',
		type: SOURCE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	return {
		workflow: new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes }),
		node,
	};
}

function resolve(
	value: unknown,
	credentials: ICredentialDataDecryptedObject,
	workflow: Workflow,
	node: INode,
) {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return workflow.expression.getSimpleParameterValue(
		node,
		value,
		'internal',
		{ $credentials: credentials },
		undefined,
		'',
	);
}

/** n8n's rule for `authenticate: { type: 'generic' }`: resolve each entry, merge it into the request. */
export function applyAuthentication(
	typeName: string,
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
	workflow?: Workflow,
	node?: INode,
): IHttpRequestOptions {
	const context = workflow && node ? { workflow, node } : expressionWorkflow();
	const authenticate = credentialTypeOf(typeName).authenticate;
	if (!authenticate || typeof authenticate === 'function' || authenticate.type !== 'generic') {
		throw new Error(`${typeName}: only generic authentication is supported by this harness`);
	}
	for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
		const target = ((requestOptions as unknown as IDataObject)[outerKey] ?? {}) as IDataObject;
		for (const [key, value] of Object.entries(entries as IDataObject)) {
			target[String(resolve(key, credentials, context.workflow, context.node))] = resolve(
				value,
				credentials,
				context.workflow,
				context.node,
			) as string;
		}
		(requestOptions as unknown as IDataObject)[outerKey] = target;
	}
	return requestOptions;
}

/** The credential's `test` request as n8n's credential tester builds it, authenticated. */
export async function credentialTestRequest(data: TestCredentials): Promise<IHttpRequestOptions> {
	const credentials = decrypted(miroScimApi.name, data as unknown as IDataObject);
	const { workflow, node } = expressionWorkflow();
	const request = miroScimApi.test.request;
	const options: IHttpRequestOptions = {
		method: request.method ?? 'GET',
		baseURL: resolve(request.baseURL, credentials, workflow, node) as string,
		url: resolve(request.url, credentials, workflow, node) as string,
		qs: request.qs,
		headers: { ...(request.headers ?? {}) },
		json: true,
	};
	return applyAuthentication(miroScimApi.name, credentials, options, workflow, node);
}

export interface WorkflowJson {
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IDataObject;
	pinData?: IDataObject;
}

export interface WorkflowRunOptions {
	credentials?: CredentialStore;
	mode?: WorkflowExecuteMode;
	/** The node to start from; default: the first node without inputs that is not a sticky note. */
	startNode?: string;
	/** What the start node receives, e.g. a webhook's request as n8n hands it over. */
	startData?: IDataObject[];
	/** n8n's Data Tables, for templates with a Data table node (test/helpers/dataTables.ts). */
	dataTables?: MemoryDataTables;
}

export interface WorkflowRunResult {
	run: IRun;
	/** Output items of a node's first output (its last run). */
	output(nodeName: string): INodeExecutionData[];
	/** The error a node ended with, if any. */
	nodeError(nodeName: string): (Error & IDataObject) | undefined;
	error?: Error & IDataObject;
	/** What Respond to Webhook nodes sent, in order, as n8n hands it to the HTTP response. */
	responses: IExecuteResponsePromiseData[];
}

let executionCounter = 0;

/** What n8n hands WorkflowExecute besides the workflow: hooks, credentials, base URLs. */
function executionContext(json: WorkflowJson, nodes: INode[], options: WorkflowRunOptions) {
	const mode = options.mode ?? 'manual';
	const executionId = `test-${++executionCounter}`;
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: 'test-workflow',
		name: json.name ?? 'test',
		nodes,
		connections: json.connections,
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
		settings: {},
	} as never);
	const finished: { run?: IRun } = {};
	hooks.addHandler('workflowExecuteAfter', async (run) => {
		finished.run = run;
	});
	const responses: IExecuteResponsePromiseData[] = [];
	hooks.addHandler('sendResponse', async (response) => {
		responses.push(response);
	});
	const additionalData = {
		hooks,
		credentialsHelper: new TestCredentialsHelper(options.credentials ?? {}),
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: '',
		instanceBaseUrl: '',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookTestBaseUrl: '',
		variables: {},
		executeWorkflow: async () => ({}),
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => ({}),
		dataTableProjectId: 'test-project',
		...(options.dataTables
			? { 'data-table': { dataTableProxyProvider: options.dataTables.provider } }
			: {}),
	} as unknown as IWorkflowExecuteAdditionalData;
	return { mode, additionalData, finished, responses };
}

/** Executes a workflow, as exported from n8n's editor, with n8n-core's WorkflowExecute. */
export async function runWorkflow(
	json: WorkflowJson,
	options: WorkflowRunOptions = {},
): Promise<WorkflowRunResult> {
	const nodes = json.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
	const workflow = new Workflow({
		id: 'test-workflow',
		name: json.name ?? 'test',
		nodes,
		connections: json.connections,
		active: false,
		nodeTypes,
		settings: json.settings,
	});
	const { mode, additionalData, finished, responses } = executionContext(json, nodes, options);
	const hasInput = new Set(
		Object.values(json.connections).flatMap((outputs) =>
			(outputs.main ?? []).flatMap((targets) => (targets ?? []).map((target) => target.node)),
		),
	);
	const start = options.startNode
		? workflow.getNode(options.startNode)
		: nodes.find((node) => !hasInput.has(node.name));
	if (!start) throw new Error('No start node');
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: start,
					data: { main: [(options.startData ?? [{}]).map((json) => ({ json }))] },
					source: null,
				},
			],
		},
	});
	const run = await new WorkflowExecute(
		additionalData,
		mode,
		runExecutionData,
	).processRunExecutionData(workflow);
	const result = finished.run ?? run;
	const task = (nodeName: string) => {
		const runs = result.data.resultData.runData[nodeName];
		return runs?.[runs.length - 1];
	};
	return {
		run: result,
		output: (nodeName) => task(nodeName)?.data?.main?.[0] ?? [],
		nodeError: (nodeName) => task(nodeName)?.error as (Error & IDataObject) | undefined,
		error: result.data.resultData.error as (Error & IDataObject) | undefined,
		responses,
	};
}

export interface RunOptions {
	/** The items entering the node under test. */
	items?: IDataObject[];
	credentials?: TestCredentials;
	continueOnFail?: boolean;
	mode?: WorkflowExecuteMode;
	/** The Miro SCIM node's typeVersion; new nodes get the default version, 2. */
	typeVersion?: number;
}

export interface RunResult {
	/** The node's output items (its first output). */
	items: INodeExecutionData[];
	json: IDataObject[];
	/** The error the node ended with, when it failed. */
	error?: Error & IDataObject;
	run: IRun;
}

/** Executes Source -> Miro SCIM with the given parameters and returns what the node produced. */
export async function runNode(
	parameters: INodeParameters,
	options: RunOptions = {},
): Promise<RunResult> {
	const credentials = options.credentials ?? {
		token: 'test-token',
		baseUrl: 'https://miro.com/api/v1/scim',
	};
	const json: WorkflowJson = {
		nodes: [
			{
				id: 'source',
				name: 'Source',
				type: SOURCE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { items: JSON.stringify(options.items ?? [{}]) },
			},
			{
				id: 'miro',
				name: 'Miro SCIM',
				type: NODE_TYPE,
				typeVersion: options.typeVersion ?? 2,
				position: [200, 0],
				parameters,
				credentials: { miroScimApi: { id: 'cred-1', name: 'Miro SCIM account' } },
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: { Source: { main: [[{ node: 'Miro SCIM', type: 'main', index: 0 }]] } },
	};
	const result = await runWorkflow(json, {
		mode: options.mode,
		credentials: { 'cred-1': { type: 'miroScimApi', data: credentials as unknown as IDataObject } },
	});
	const items = result.output('Miro SCIM');
	const error = result.nodeError('Miro SCIM') ?? result.error;
	return { items, json: items.map((item) => item.json), error, run: result.run };
}
