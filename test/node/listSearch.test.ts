/**
 * The editor's "From List" searches, run through n8n-core's own LoadOptionsContext with the
 * credential type's real `authenticate`, as the editor calls them.
 */
import { LoadOptionsContext } from 'n8n-core';
import nock from 'nock';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	INode,
	INodeParameters,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { MiroScimApi } from '../../credentials/MiroScimApi.credentials';
import { searchGroups, searchUsers } from '../../nodes/MiroScim/methods/listSearch';
import { applyAuthentication, NODE_TYPE, nodeTypes } from '../helpers/harness';
import {
	ENGINEERING,
	expectAllDone,
	JANE,
	JOHN,
	listResponse,
	miro,
	SCIM,
	team,
} from './group/fixtures';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

function loadOptionsContext(credentials: { token: string; baseUrl?: string }) {
	const node: INode = {
		id: 'miro',
		name: 'Miro SCIM',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'group', operation: 'get' },
		credentials: { miroScimApi: { id: 'cred-list', name: 'Miro SCIM account' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const properties = new MiroScimApi().properties;
	const credentialsHelper = {
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
		getDecrypted: async () =>
			NodeHelpers.getNodeParameters(
				properties,
				credentials as unknown as INodeParameters,
				true,
				false,
				null,
				null,
			) as ICredentialDataDecryptedObject,
		authenticate: async (
			decrypted: ICredentialDataDecryptedObject,
			_type: string,
			options: IHttpRequestOptions,
		) => applyAuthentication('miroScimApi', decrypted, options, workflow, node),
		preAuthentication: async () => undefined,
		getCredentialsProperties: () => properties,
	};
	const additionalData = {
		credentialsHelper,
		restApiUrl: '',
		instanceBaseUrl: '',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: '',
		webhookTestBaseUrl: '',
		formWaitingBaseUrl: '',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(workflow, node, additionalData, 'parameters.group');
}

const context = () => loadOptionsContext({ token: 'test-token' });

describe('searchGroups', () => {
	it('lists teams without members, 50 at a time, with a token for the next page', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '1', count: '50', excludedAttributes: 'members' })
			.reply(
				200,
				listResponse(
					[team(ENGINEERING, 'Engineering'), team('3458764513820540929', 'Design')],
					120,
				),
			);

		const result = await searchGroups.call(context());

		expect(result).toEqual({
			results: [
				{ name: `Engineering (${ENGINEERING})`, value: ENGINEERING },
				{ name: 'Design (3458764513820540929)', value: '3458764513820540929' },
			],
			paginationToken: '3',
		});
		expectAllDone(scope);
	});

	it('filters by the typed text with displayName co, escaped, and continues from the token', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query({
				startIndex: '51',
				count: '50',
				excludedAttributes: 'members',
				filter: 'displayName co "R\\"D"',
			})
			.reply(200, listResponse([team(ENGINEERING, 'R"D Lab')], 51));

		const result = await searchGroups.call(context(), '  R"D ', '51');

		expect(result).toEqual({
			results: [{ name: `R"D Lab (${ENGINEERING})`, value: ENGINEERING }],
			paginationToken: undefined,
		});
		expectAllDone(scope);
	});

	it('reports an error instead of an empty list', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '1', count: '50', excludedAttributes: 'members' })
			.reply(401, { detail: 'Invalid token' });

		await expect(searchGroups.call(context())).rejects.toThrow(
			'Miro did not accept the SCIM token',
		);
		expectAllDone(scope);
	});
});

describe('searchUsers', () => {
	it('matches the typed text in userName or displayName', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query({
				startIndex: '1',
				count: '50',
				filter: '(userName co "jo") or (displayName co "jo")',
			})
			.reply(
				200,
				listResponse(
					[
						{ id: JOHN, userName: 'john@example.com', displayName: 'John Roe' },
						{ id: JANE, userName: 'jo@example.com' },
					],
					2,
				),
			);

		const result = await searchUsers.call(context(), 'jo');

		expect(result).toEqual({
			results: [
				{ name: `John Roe <john@example.com> (${JOHN})`, value: JOHN },
				{ name: `jo@example.com <jo@example.com> (${JANE})`, value: JANE },
			],
			paginationToken: undefined,
		});
		expectAllDone(scope);
	});

	it('uses the credential base URL without its trailing slash', async () => {
		const scope = miro('https://api.miro.com')
			.get('/api/v1/scim/Users')
			.query({ startIndex: '1', count: '50' })
			.reply(200, listResponse([]));

		const result = await searchUsers.call(
			loadOptionsContext({ token: 'test-token', baseUrl: 'https://api.miro.com/api/v1/scim/' }),
		);

		expect(result).toEqual({ results: [], paginationToken: undefined });
		expectAllDone(scope);
	});
});
