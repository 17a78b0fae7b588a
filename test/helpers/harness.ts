/**
 * Runs the Miro SCIM node the way n8n runs it: a workflow (a source node feeding the node under
 * test) executed by n8n-core's WorkflowExecute, credentials resolved and applied by the
 * credential type's own `authenticate` definition through n8n's expression engine, and HTTP
 * through n8n-core's request helpers. Only the parts n8n's server normally provides (a
 * credentials store, node type registry, lifecycle hooks) are stood in here.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
} from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	IDataObject,
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

import { MiroScimApi } from '../../credentials/MiroScimApi.credentials';
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

const credentialType = new MiroScimApi();

class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType> = {
		[NODE_TYPE]: new MiroScim(),
		[SOURCE_TYPE]: new SourceNode(),
	};

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(nodeType);
	}

	getByNameAndVersion(nodeType: string): INodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return type;
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

/** A stand-in for n8n's credential store whose `authenticate` follows n8n's generic rules. */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: TestCredentials) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(): INodeProperties[] {
		return credentialType.properties;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		// Defaults come from the credential type's own properties, as n8n applies them.
		return NodeHelpers.getNodeParameters(
			credentialType.properties,
			this.data as unknown as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		return applyAuthentication(credentials, requestOptions, workflow, node);
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

function expressionWorkflow(): { workflow: Workflow; node: INode } {
	const node: INode = {
		id: 'resolver',
		name: 'Resolver',
		type: SOURCE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	return { workflow: new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes }), node };
}

function resolve(value: unknown, credentials: ICredentialDataDecryptedObject, workflow: Workflow, node: INode) {
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
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
	workflow?: Workflow,
	node?: INode,
): IHttpRequestOptions {
	const context = workflow && node ? { workflow, node } : expressionWorkflow();
	const authenticate = credentialType.authenticate;
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
	const helper = new TestCredentialsHelper(data);
	const credentials = await helper.getDecrypted();
	const { workflow, node } = expressionWorkflow();
	const request = credentialType.test.request;
	const options: IHttpRequestOptions = {
		method: request.method ?? 'GET',
		baseURL: resolve(request.baseURL, credentials, workflow, node) as string,
		url: resolve(request.url, credentials, workflow, node) as string,
		qs: request.qs,
		headers: { ...(request.headers ?? {}) },
		json: true,
	};
	return applyAuthentication(credentials, options, workflow, node);
}

export interface RunOptions {
	/** The items entering the node under test. */
	items?: IDataObject[];
	credentials?: TestCredentials;
	continueOnFail?: boolean;
	mode?: WorkflowExecuteMode;
}

export interface RunResult {
	/** The node's output items (its first output). */
	items: INodeExecutionData[];
	json: IDataObject[];
	/** The error the node ended with, when it failed. */
	error?: Error & IDataObject;
	run: IRun;
}

let executionCounter = 0;

/** Executes Source -> Miro SCIM with the given parameters and returns what the node produced. */
export async function runNode(parameters: INodeParameters, options: RunOptions = {}): Promise<RunResult> {
	const credentials = options.credentials ?? { token: 'test-token', baseUrl: 'https://miro.com/api/v1/scim' };
	const nodes: INode[] = [
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
			typeVersion: 1,
			position: [200, 0],
			parameters,
			credentials: { miroScimApi: { id: 'cred-1', name: 'Miro SCIM account' } },
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		},
	];
	const connections = { Source: { main: [[{ node: 'Miro SCIM', type: 'main' as const, index: 0 }]] } };
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'Miro SCIM test',
		nodes,
		connections,
		active: false,
		nodeTypes,
	});
	const mode = options.mode ?? 'manual';
	const executionId = `test-${++executionCounter}`;
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: 'test-workflow',
		name: 'Miro SCIM test',
		nodes,
		connections,
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
		settings: {},
	} as never);
	let finished: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', async (run) => {
		finished = run;
	});
	const additionalData = {
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials),
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
	} as unknown as IWorkflowExecuteAdditionalData;

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null },
			],
		},
	});
	const run = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	const result = finished ?? run;
	const taskData = result.data.resultData.runData['Miro SCIM']?.[0];
	const items = taskData?.data?.main?.[0] ?? [];
	const error = (taskData?.error ?? result.data.resultData.error) as (Error & IDataObject) | undefined;
	return { items, json: items.map((item) => item.json), error, run: result };
}
