import type { INodeParameters, INodeParameterResourceLocator } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	FAST,
	JANE_ID,
	JANE_SIMPLE,
	janeResource,
	listResponse,
	lookup,
	member,
	miro,
	rl,
	SCIM,
	useNock,
} from '../../helpers/fixtures';

useNock();

const get = (user: INodeParameterResourceLocator, extra: INodeParameters = {}) => ({
	resource: 'user',
	operation: 'get',
	user,
	options: FAST,
	...extra,
});

describe('user: get', () => {
	it('gets a user by id and simplifies it', async () => {
		const scope = miro().get(`${SCIM}/Users/3074457345618261605`).reply(200, janeResource());

		const result = await runNode(get(rl.id('3074457345618261605')));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([JANE_SIMPLE]);
		expect(typeof result.json[0].id).toBe('string');
		expect(result.json[0].id).toBe('3074457345618261605');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('returns the SCIM resource unchanged with Simplify off', async () => {
		const scope = miro().get(`${SCIM}/Users/${JANE_ID}`).reply(200, janeResource());

		const result = await runNode(get(rl.id(JANE_ID), { simplify: false }));

		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([janeResource()]);
		expect(result.json[0].id).toBe('3074457345618261605');
		expect(result.json[0]['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toEqual({
			department: 'R&D',
			employeeNumber: 'E-1001',
			manager: { value: '3074457345618261799', displayName: 'Max Boss' },
		});
	});

	it('trims an id mapped from the input and reads a From List value like an id', async () => {
		const scope = miro()
			.get(`${SCIM}/Users/${JANE_ID}`)
			.reply(200, janeResource())
			.get(`${SCIM}/Users/${JANE_ID}`)
			.reply(200, janeResource());

		const byId = await runNode(get(rl.id('={{ $json.id }}')), {
			items: [{ id: `  ${JANE_ID} ` }],
		});
		const fromList = await runNode(get(rl.list(JANE_ID)));

		expect(scope.isDone()).toBe(true);
		expect(byId.json).toEqual([JANE_SIMPLE]);
		expect(fromList.json).toEqual([JANE_SIMPLE]);
	});

	it('accepts an id given as a safe JS number', async () => {
		const scope = miro().get(`${SCIM}/Users/123456789`).reply(200, member(1));

		const result = await runNode(get(rl.id(123456789), { simplify: false }));

		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([member(1)]);
	});

	it('simplifies a sparse user with nulls and empty lists', async () => {
		const scope = miro()
			.get(`${SCIM}/Users/${JANE_ID}`)
			.reply(200, {
				id: JANE_ID,
				userName: 'jane.doe@example.com',
				name: { formatted: 'J. Doe' },
				active: false,
			});

		const result = await runNode(get(rl.id(JANE_ID)));

		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([
			{
				id: '3074457345618261605',
				email: 'jane.doe@example.com',
				displayName: 'J. Doe',
				givenName: null,
				familyName: null,
				active: false,
				license: null,
				role: null,
				adminRoles: [],
				groups: [],
			},
		]);
	});

	it('gets a user by email with one filtered list request', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "jane.doe@example.com"'))
			.reply(200, listResponse([janeResource()]));

		const result = await runNode(get(rl.email('jane.doe@example.com')));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([JANE_SIMPLE]);
	});

	it('matches the email ignoring case, as Miro does, and returns raw with Simplify off', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "Jane.Doe@Example.com"'))
			.reply(200, listResponse([janeResource()]));

		const result = await runNode(get(rl.email('={{ $json.email }}'), { simplify: false }), {
			items: [{ email: ' Jane.Doe@Example.com ' }],
		});

		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([janeResource()]);
	});

	it.each([
		['an empty list', 200, listResponse([])],
		['404', 404, { detail: 'No users found' }],
		['a different user only', 200, listResponse([member(7)], 1)],
	])('fails naming the field when the email lookup returns %s', async (_, status, body) => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "nobody@example.com"'))
			.reply(status, body);

		const result = await runNode(get(rl.email('nobody@example.com')));

		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([]);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(
			'User (By Email): no Miro user has the email nobody@example.com',
		);
		expect(result.error?.description).toContain('guests and external users');
	});
});
