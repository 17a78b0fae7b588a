/**
 * The editor's "From List" searches, run through n8n-core's own LoadOptionsContext with the
 * credential type's real `authenticate`, as the editor calls them.
 */
import { LoadOptionsContext } from 'n8n-core';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	INode,
	INodeParameters,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { MiroScimApi } from '../../credentials/MiroScimApi.credentials';
import { searchGroups, searchUsers } from '../../nodes/MiroScim/methods/listSearch';
import { applyAuthentication, NODE_TYPE, nodeTypes } from '../helpers/harness';
import {
	ENGINEERING,
	expectAllDone,
	JANE_ID,
	JOHN_ID,
	listResponse,
	miro,
	SCIM,
	team,
	useNock,
} from '../helpers/fixtures';

useNock();

function loadOptionsContext(
	credentials: { token: string; baseUrl?: string },
	credentialId = 'cred-list',
) {
	const node: INode = {
		id: 'miro',
		name: 'Miro SCIM',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'group', operation: 'get' },
		credentials: { miroScimApi: { id: credentialId, name: 'Miro SCIM account' } },
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
	// Each test uses its own credential id, so the minute-long team cache starts empty.
	let credentialCounter = 0;
	const freshContext = () =>
		loadOptionsContext({ token: 'test-token' }, `cred-groups-${++credentialCounter}`);
	const manyTeams = Array.from({ length: 120 }, (_, index) =>
		team(`34587645138205${String(40000 + index)}`, `Team ${String(index).padStart(3, '0')}`),
	);

	it('reads all teams once, without members, and pages through them 50 at a time', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '1', count: '1000', attributes: 'id,displayName,meta' })
			.reply(200, listResponse(manyTeams.slice(0, 100), 120))
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '101', count: '1000', attributes: 'id,displayName,meta' })
			.reply(200, listResponse(manyTeams.slice(100), 120));
		const ctx = freshContext();

		const first = await searchGroups.call(ctx);
		expect(first.results).toHaveLength(50);
		expect(first.results[0]).toEqual({
			name: 'Team 000',
			value: manyTeams[0].id,
		});
		expect(first.paginationToken).toBe('50');
		const last = await searchGroups.call(ctx, undefined, '100');
		expect(last.results.map((result) => result.value)).toEqual(
			manyTeams.slice(100).map((entry) => entry.id),
		);
		expect(last.paginationToken).toBeUndefined();
		expectAllDone(scope);
	});

	it('filters the typed text case-insensitively without another request (5 searches per 30 s)', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '1', count: '1000', attributes: 'id,displayName,meta' })
			.reply(
				200,
				listResponse([team(ENGINEERING, 'Engineering'), team('3458764513820540929', 'R"D Lab')], 2),
			);
		const ctx = freshContext();

		expect(await searchGroups.call(ctx, '  r"d ')).toEqual({
			results: [{ name: 'R"D Lab', value: '3458764513820540929' }],
			paginationToken: undefined,
		});
		for (const typed of ['e', 'en', 'eng', 'engi', 'engin', 'engine']) {
			expect((await searchGroups.call(ctx, typed)).results.map((result) => result.value)).toEqual([
				ENGINEERING,
			]);
		}
		expectAllDone(scope);
	});

	it('reports an error instead of an empty list, and does not keep the failure', async () => {
		const scope = miro()
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '1', count: '1000', attributes: 'id,displayName,meta' })
			.reply(401, { detail: 'Invalid token' })
			.get(`${SCIM}/Groups`)
			.query({ startIndex: '1', count: '1000', attributes: 'id,displayName,meta' })
			.reply(200, listResponse([team(ENGINEERING, 'Engineering')], 1));
		const ctx = freshContext();

		await expect(searchGroups.call(ctx)).rejects.toThrow('Miro did not accept the SCIM token');
		expect((await searchGroups.call(ctx)).results).toHaveLength(1);
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
						{ id: JOHN_ID, userName: 'john@example.com', displayName: 'John Roe' },
						{ id: JANE_ID, userName: 'jo@example.com' },
					],
					2,
				),
			);

		const result = await searchUsers.call(context(), 'jo');

		expect(result).toEqual({
			results: [
				// Name and email first, and no 19-digit id for the dropdown to cut them off with.
				{ name: 'John Roe <john@example.com>', value: JOHN_ID },
				{ name: 'jo@example.com', value: JANE_ID },
			],
			paginationToken: undefined,
		});
		expectAllDone(scope);
	});

	it.each([
		// startIndex, returned, totalResults, next token
		[1, 50, 120, '51'],
		[101, 20, 120, undefined],
		[1, 50, undefined, '51'],
		[51, 0, undefined, undefined],
	])(
		'pages by the SCIM rule: from %i, %i returned of %s -> token %s',
		async (startIndex, returned, total, token) => {
			const users = Array.from({ length: returned }, (_, i) => ({
				id: String(9000 + i),
				userName: `u${i}@example.com`,
			}));
			const page = { ...listResponse(users, total ?? 0), startIndex };
			if (total === undefined) delete (page as { totalResults?: number }).totalResults;
			const scope = miro()
				.get(`${SCIM}/Users`)
				.query({ startIndex: String(startIndex), count: '50' })
				.reply(200, page);

			const result = await searchUsers.call(
				context(),
				undefined,
				startIndex === 1 ? undefined : String(startIndex),
			);

			expect(result.paginationToken).toBe(token);
			expectAllDone(scope);
		},
	);

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
