/**
 * Simplify and Output, run through n8n's engine: Simplify on (the default) is the Simplified
 * record; off, Output chooses Raw (the default, as before) or Selected Fields.
 */
import { NodeHelpers } from 'n8n-workflow';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { selectFields } from '../../nodes/MiroScim/actions/output';
import { properties } from '../../nodes/MiroScim/actions/properties';
import { runNode } from '../helpers/harness';
import {
	ENTERPRISE,
	exactly,
	FAST,
	JANE_ID,
	JANE_SIMPLE,
	janeResource,
	listResponse,
	lookup,
	memberBody,
	miro,
	rl,
	SCIM,
	team,
	useNock,
} from '../helpers/fixtures';

useNock();

const getJane = (extra: INodeParameters = {}) => ({
	resource: 'user',
	operation: 'get',
	user: rl.id(JANE_ID),
	options: FAST,
	...extra,
});

const replyJane = () => miro().get(`${SCIM}/Users/${JANE_ID}`).reply(200, janeResource());

describe('Output of User > Get', () => {
	it('Simplified (Simplify on, the default): the flat record', async () => {
		const scope = replyJane();
		const result = await runNode(getJane());
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([JANE_SIMPLE]);
	});

	it('Raw (Simplify off, Output left at its default): the resource as Miro sent it', async () => {
		const scope = replyJane();
		const result = await runNode(getJane({ simplify: false }));
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([janeResource()]);
	});

	it('Raw chosen explicitly is the same', async () => {
		const scope = replyJane();
		const result = await runNode(getJane({ simplify: false, output: 'raw' }));
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([janeResource()]);
	});

	it('Selected Fields: only those, nested ones and the extension URN included', async () => {
		const scope = replyJane();
		const result = await runNode(
			getJane({
				simplify: false,
				output: 'selectedFields',
				outputFields: `id, active, name.givenName, ${ENTERPRISE}.department, nickName`,
			}),
		);
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([
			{
				id: JANE_ID,
				active: true,
				name: { givenName: 'Jane' },
				[ENTERPRISE]: { department: 'R&D' },
			},
		]);
	});

	it('Selected Fields with an empty list fails before any request', async () => {
		const result = await runNode(
			getJane({ simplify: false, output: 'selectedFields', outputFields: ' , ' }),
		);
		expect(result.error?.message).toBe('Fields: is empty');
		expect(result.error?.description).toMatch(/choose Output: Raw/);
	});

	it('Output is ignored while Simplify is on (a saved workflow with both keeps Simplified)', async () => {
		const scope = replyJane();
		const result = await runNode(
			getJane({ simplify: true, output: 'selectedFields', outputFields: 'id' }),
		);
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([JANE_SIMPLE]);
	});
});

describe('Selected Fields on other operations', () => {
	it('Get Many: each record cut down', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query({ startIndex: 1, count: 50 })
			.reply(200, listResponse([janeResource(), janeResource({ id: '2', active: false })]));
		const result = await runNode({
			resource: 'user',
			operation: 'getAll',
			simplify: false,
			output: 'selectedFields',
			outputFields: 'id,active',
			options: FAST,
		});
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([
			{ id: JANE_ID, active: true },
			{ id: '2', active: false },
		]);
	});

	it('Create: the node\'s own "created" flag can be selected', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "jane.doe@example.com"'))
			.reply(200, listResponse([janeResource()]));
		const result = await runNode({
			resource: 'user',
			operation: 'create',
			email: 'jane.doe@example.com',
			givenName: 'Jane',
			familyName: 'Doe',
			simplify: false,
			output: 'selectedFields',
			outputFields: 'id, userName, created',
			options: FAST,
		});
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([
			{ id: JANE_ID, userName: 'jane.doe@example.com', created: false },
		]);
	});

	it('Group > Get: members kept whole when selected', async () => {
		const group = team('3458764513820540928', 'Engineering', [[JANE_ID, 'Jane Doe']]);
		const scope = miro().get(`${SCIM}/Groups/3458764513820540928`).reply(200, group);
		const result = await runNode({
			resource: 'group',
			operation: 'get',
			group: rl.id('3458764513820540928'),
			simplify: false,
			output: 'selectedFields',
			outputFields: 'displayName, members',
			options: FAST,
		});
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ displayName: 'Engineering', members: group.members }]);
	});

	it('does not apply to operations without Simplify (Update Members keeps its report)', async () => {
		const scope = miro()
			.patch(`${SCIM}/Groups/3458764513820540928`, exactly(memberBody([JANE_ID])))
			.reply(204);
		const result = await runNode({
			resource: 'group',
			operation: 'updateMembers',
			group: rl.id('3458764513820540928'),
			add: JANE_ID,
			simplify: false,
			output: 'selectedFields',
			outputFields: 'groupId',
			options: FAST,
		});
		expect(scope.isDone()).toBe(true);
		expect(Object.keys(result.json[0]).sort()).toEqual(
			[
				'changed',
				'groupId',
				'groupName',
				'itemsInPatch',
				'patchRequests',
				'usersToAdd',
				'usersToRemove',
			].sort(),
		);
	});
});

describe('selectFields', () => {
	const record: IDataObject = {
		id: '1',
		'a.b': { c: 1 },
		a: { b: 2, d: [1, 2] },
		flat: 'x',
	};
	it.each([
		[['id'], { id: '1' }],
		[['a.b'], { 'a.b': { c: 1 } }],
		[['a.b.c'], { 'a.b': { c: 1 } }],
		[['a.d'], { a: { d: [1, 2] } }],
		[['flat.deeper', 'missing'], {}],
		[['a.d', 'id'], { a: { d: [1, 2] }, id: '1' }],
	])('%j', (paths, expected) => {
		expect(selectFields(record, paths)).toEqual(expected);
	});
});

describe('what the panel shows (n8n resolves parameters as the editor and the engine do)', () => {
	const resolve = (parameters: INodeParameters) =>
		NodeHelpers.getNodeParameters(properties, parameters, true, false, null, null) ?? {};

	it('Simplify on: no Output, so a saved workflow keeps its Simplified records', () => {
		const shown = resolve({ resource: 'user', operation: 'get' });
		expect(shown.simplify).toBe(true);
		expect(shown).not.toHaveProperty('output');
		expect(shown).not.toHaveProperty('outputFields');
	});

	it('Simplify off: Output, Raw by default; Fields only for Selected Fields', () => {
		expect(resolve({ resource: 'user', operation: 'get', simplify: false })).toMatchObject({
			output: 'raw',
		});
		expect(
			resolve({ resource: 'group', operation: 'find', simplify: false, output: 'selectedFields' }),
		).toMatchObject({ output: 'selectedFields', outputFields: '' });
	});

	it.each([
		['user', 'delete'],
		['group', 'updateMembers'],
		['sync', 'reconcile'],
	])('%s > %s has neither Simplify nor Output', (resource, operation) => {
		const shown = resolve({ resource, operation, simplify: false, output: 'selectedFields' });
		expect(shown).not.toHaveProperty('simplify');
		expect(shown).not.toHaveProperty('output');
	});
});
