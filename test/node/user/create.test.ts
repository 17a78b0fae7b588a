import type { INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	connectionReset,
	CORE_SCHEMA,
	ENTERPRISE,
	expectNoToken,
	expectPatch,
	expectPost,
	FAST,
	JANE_ID,
	JANE_SIMPLE,
	janeResource,
	listResponse,
	lookup,
	miro,
	SCIM,
	scimError,
	useNock,
} from '../../helpers/fixtures';

useNock();

const JANE_LOOKUP = lookup('userName eq "jane.doe@example.com"');

const create = (extra: INodeParameters = {}) => ({
	resource: 'user',
	operation: 'create',
	email: 'jane.doe@example.com',
	givenName: 'Jane',
	familyName: 'Doe',
	options: FAST,
	...extra,
});

const MINIMAL_BODY = {
	schemas: [CORE_SCHEMA],
	userName: 'jane.doe@example.com',
	name: { givenName: 'Jane', familyName: 'Doe' },
	active: true,
};

describe('user: create, request body', () => {
	it('posts the minimal user with If Email Exists = Fail (no lookup) and returns created: true', async () => {
		const scope = expectPost(miro(), MINIMAL_BODY).reply(201, janeResource(), {
			Location: `https://miro.com${SCIM}/Users/${JANE_ID}`,
		});

		const result = await runNode(create({ ifExists: 'fail' }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, created: true }]);
		expect(result.json[0].id).toBe('3074457345618261605');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('trims the email and the names', async () => {
		const scope = expectPost(miro(), MINIMAL_BODY).reply(201, janeResource());

		const result = await runNode(
			create({
				ifExists: 'fail',
				email: '={{ $json.email }}',
				givenName: ' Jane ',
				familyName: 'Doe  ',
			}),
			{ items: [{ email: '  jane.doe@example.com ' }] },
		);

		expect(scope.isDone()).toBe(true);
		expect(result.json[0].created).toBe(true);
	});

	it('sends every field, the enterprise schema and the org role; raw output with Simplify off', async () => {
		const scope = expectPost(miro(), {
			schemas: [CORE_SCHEMA, ENTERPRISE],
			userName: 'jane.doe@example.com',
			name: { givenName: 'Jane', familyName: 'Doe' },
			active: true,
			displayName: 'Jane D.',
			userType: 'Full',
			preferredLanguage: 'de_DE',
			roles: [
				{ type: 'organization_user_role', value: 'ORGANIZATION_INTERNAL_ADMIN', primary: true },
			],
			[ENTERPRISE]: {
				employeeNumber: 'E-1001',
				costCenter: 'CC-42',
				organization: 'Example Corp',
				division: 'Platform',
				department: 'R&D',
				manager: { value: '3074457345618261799', displayName: 'Max Boss' },
			},
		}).reply(201, janeResource());

		const result = await runNode(
			create({
				ifExists: 'fail',
				simplify: false,
				additionalFields: {
					displayName: 'Jane D.',
					userType: 'Full',
					preferredLanguage: 'de_DE',
					orgRole: 'ORGANIZATION_INTERNAL_ADMIN',
					employeeNumber: 'E-1001',
					costCenter: 'CC-42',
					organization: 'Example Corp',
					division: 'Platform',
					department: 'R&D',
					managerId: '3074457345618261799',
					managerDisplayName: 'Max Boss',
				},
			}),
		);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...janeResource(), created: true }]);
	});

	it('leaves the enterprise schema out when no enterprise field is set, and skips blank fields', async () => {
		const scope = expectPost(miro(), {
			schemas: [CORE_SCHEMA],
			userName: 'jane.doe@example.com',
			name: { givenName: 'Jane', familyName: 'Doe' },
			active: true,
			displayName: 'Jane Doe',
			userType: 'Basic',
			roles: [
				{ type: 'organization_user_role', value: 'ORGANIZATION_INTERNAL_USER', primary: true },
			],
		}).reply(201, janeResource());

		const result = await runNode(
			create({
				ifExists: 'fail',
				additionalFields: {
					displayName: 'Jane Doe',
					userType: 'Basic',
					orgRole: 'ORGANIZATION_INTERNAL_USER',
					department: '   ',
					managerId: '',
					preferredLanguage: '',
				},
			}),
		);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('sends only the manager under the enterprise schema when it is the only enterprise field', async () => {
		const scope = expectPost(miro(), {
			...MINIMAL_BODY,
			schemas: [CORE_SCHEMA, ENTERPRISE],
			[ENTERPRISE]: { manager: { value: '3074457345618261799' } },
		}).reply(201, janeResource());

		const result = await runNode(
			create({ ifExists: 'fail', additionalFields: { managerId: '3074457345618261799' } }),
		);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});
});

describe('user: create, If Email Exists', () => {
	it.each([
		['409 uniqueness', 409, scimError(409, 'User already exists', 'uniqueness')],
		['400 "not unique"', 400, scimError(400, 'userName is not unique', 'invalidValue')],
	])('Fail: a %s answer becomes "user exists", without any lookup', async (_, status, body) => {
		const scope = expectPost(miro(), MINIMAL_BODY).reply(status, body);

		const result = await runNode(create({ ifExists: 'fail' }));

		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([]);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('A Miro user with this email already exists');
		expect(result.error?.httpCode).toBe(String(status));
		expect(result.error?.description).toContain(`Miro says: ${body.detail as string}`);
		expect(result.error?.description).toContain('Return Existing');
		expectNoToken(result.error, result.run);
	});

	it('Return Existing: looks the email up and returns that user without posting', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(JANE_LOOKUP)
			.reply(200, listResponse([janeResource()]));

		const result = await runNode(create({ ifExists: 'returnExisting' }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, created: false }]);
	});

	it('Return Existing is the default', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(JANE_LOOKUP)
			.reply(200, listResponse([janeResource()]));

		const result = await runNode(create({ simplify: false }));

		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...janeResource(), created: false }]);
	});

	it.each([
		['an empty list', 200, listResponse([])],
		['404', 404, scimError(404, 'No users found')],
	])('Return Existing: creates the user when the lookup returns %s', async (_, status, body) => {
		const scope = miro().get(`${SCIM}/Users`).query(JANE_LOOKUP).reply(status, body);
		expectPost(scope, MINIMAL_BODY).reply(201, janeResource());

		const result = await runNode(create({ ifExists: 'returnExisting' }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, created: true }]);
	});

	it('Update Existing: looks up, then sends one PATCH of replace operations', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(JANE_LOOKUP)
			.reply(200, listResponse([janeResource()]));
		expectPatch(scope, JANE_ID, [
			{ op: 'Replace', path: 'name.givenName', value: 'Janet' },
			{ op: 'Replace', path: 'name.familyName', value: 'Doe-Smith' },
			{ op: 'Replace', path: 'displayName', value: 'Janet Doe-Smith' },
			{ op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Sales' },
			{ op: 'Replace', path: 'roles[primary eq true].value', value: 'ORGANIZATION_INTERNAL_ADMIN' },
		]).reply(200, janeResource({ displayName: 'Janet Doe-Smith' }));

		const result = await runNode(
			create({
				ifExists: 'update',
				givenName: 'Janet',
				familyName: 'Doe-Smith',
				additionalFields: {
					displayName: 'Janet Doe-Smith',
					department: 'Sales',
					orgRole: 'ORGANIZATION_INTERNAL_ADMIN',
				},
			}),
		);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([
			{ ...JANE_SIMPLE, displayName: 'Janet Doe-Smith', created: false },
		]);
	});

	it('Update Existing: reads the user back when the PATCH answers 204', async () => {
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(JANE_LOOKUP)
			.reply(200, listResponse([janeResource()]));
		expectPatch(scope, JANE_ID, [
			{ op: 'Replace', path: 'name.givenName', value: 'Jane' },
			{ op: 'Replace', path: 'name.familyName', value: 'Doe' },
		]).reply(204);
		scope.get(`${SCIM}/Users/${JANE_ID}`).reply(200, janeResource({ userType: 'Advanced' }));

		const result = await runNode(create({ ifExists: 'update' }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, license: 'Advanced', created: false }]);
	});

	it('Update Existing: creates the user when nobody has the email', async () => {
		const scope = miro().get(`${SCIM}/Users`).query(JANE_LOOKUP).reply(200, listResponse([]));
		expectPost(scope, MINIMAL_BODY).reply(201, janeResource());

		const result = await runNode(create({ ifExists: 'update' }));

		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, created: true }]);
	});
});

describe('user: create, lost answers', () => {
	it('after a 503 it looks the email up before resending, and returns the user it finds', async () => {
		const scope = expectPost(miro(), MINIMAL_BODY).reply(
			503,
			scimError(503, 'Service unavailable'),
		);
		scope
			.get(`${SCIM}/Users`)
			.query(JANE_LOOKUP)
			.reply(200, listResponse([janeResource()]));

		const result = await runNode(create({ ifExists: 'fail' }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, created: true }]);
	});

	it('after a dropped connection it looks up instead of posting twice', async () => {
		const scope = miro().get(`${SCIM}/Users`).query(JANE_LOOKUP).reply(200, listResponse([]));
		expectPost(scope, MINIMAL_BODY).replyWithError(connectionReset());
		scope
			.get(`${SCIM}/Users`)
			.query(JANE_LOOKUP)
			.reply(200, listResponse([janeResource()]));

		const result = await runNode(create({ ifExists: 'returnExisting' }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, created: true }]);
		expectNoToken(result.run);
	});

	it('after a 500 with nothing found, resends the POST once', async () => {
		const scope = expectPost(miro(), MINIMAL_BODY).reply(500, scimError(500, 'Internal error'));
		scope.get(`${SCIM}/Users`).query(JANE_LOOKUP).reply(200, listResponse([]));
		expectPost(scope, MINIMAL_BODY).reply(201, janeResource());

		const result = await runNode(create({ ifExists: 'fail' }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, created: true }]);
	});

	it('counts a 409 after an uncertain attempt as success once the lookup finds the user', async () => {
		// The first POST worked but its answer was lost; the lookup lagged behind; the resend
		// then collided with the user the first POST made.
		const scope = expectPost(miro(), MINIMAL_BODY).reply(
			503,
			scimError(503, 'Service unavailable'),
		);
		scope.get(`${SCIM}/Users`).query(JANE_LOOKUP).reply(200, listResponse([]));
		expectPost(scope, MINIMAL_BODY).reply(409, scimError(409, 'User already exists', 'uniqueness'));
		scope
			.get(`${SCIM}/Users`)
			.query(JANE_LOOKUP)
			.reply(200, listResponse([janeResource()]));

		const result = await runNode(create({ ifExists: 'fail' }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, created: true }]);
	});

	it('resends at once, without a lookup, when the connection was refused (never sent)', async () => {
		const scope = expectPost(miro(), MINIMAL_BODY).replyWithError(
			Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
		);
		expectPost(scope, MINIMAL_BODY).reply(201, janeResource());

		const result = await runNode(create({ ifExists: 'fail' }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, created: true }]);
	});

	it('resends after a 429 without a lookup: a rate-limited request did nothing', async () => {
		const scope = expectPost(miro(), MINIMAL_BODY).reply(429, scimError(429, 'Too many requests'));
		expectPost(scope, MINIMAL_BODY).reply(201, janeResource());

		const result = await runNode(create({ ifExists: 'fail' }));

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ ...JANE_SIMPLE, created: true }]);
	});

	it('reports the last error when every attempt fails and nothing is found', async () => {
		const scope = expectPost(miro(), MINIMAL_BODY).reply(500, scimError(500, 'Internal error'));
		scope.get(`${SCIM}/Users`).query(JANE_LOOKUP).reply(200, listResponse([]));
		expectPost(scope, MINIMAL_BODY).reply(500, scimError(500, 'Still broken'));

		const result = await runNode(
			create({ ifExists: 'fail', options: { ...FAST, maxAttempts: 2 } }),
		);

		expect(scope.isDone()).toBe(true);
		expect(result.error?.message).toBe('Miro had an internal error');
		expect(result.error?.httpCode).toBe('500');
		expect(result.error?.description).toMatch(/^Miro says: Still broken .*\(2 attempts\)$/);
	});
});

describe('user: create, races (one lookup and one create per person)', () => {
	const NOT_UNIQUE = [
		['409 uniqueness (RFC 7644)', 409, scimError(409, 'User already exists', 'uniqueness')],
		[
			'400 invalidValue "not unique" (Miro)',
			400,
			scimError(400, 'userName is not unique', 'invalidValue'),
		],
	] as const;

	it.each(NOT_UNIQUE)(
		'Return Existing: a %s answer to the POST looks the user up and returns them',
		async (_, status, body) => {
			const scope = miro().get(`${SCIM}/Users`).query(JANE_LOOKUP).reply(200, listResponse([]));
			expectPost(scope, MINIMAL_BODY).reply(status, body);
			scope
				.get(`${SCIM}/Users`)
				.query(JANE_LOOKUP)
				.reply(200, listResponse([janeResource()]));

			const result = await runNode(create({ ifExists: 'returnExisting' }));

			expect(result.error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			expect(result.json).toEqual([{ ...JANE_SIMPLE, created: false }]);
		},
	);

	it.each(NOT_UNIQUE)(
		'Update Existing: a %s answer looks the user up and updates them',
		async (_, status, body) => {
			const scope = miro().get(`${SCIM}/Users`).query(JANE_LOOKUP).reply(200, listResponse([]));
			expectPost(scope, MINIMAL_BODY).reply(status, body);
			scope
				.get(`${SCIM}/Users`)
				.query(JANE_LOOKUP)
				.reply(200, listResponse([janeResource()]));
			expectPatch(scope, JANE_ID, [
				{ op: 'Replace', path: 'name.givenName', value: 'Jane' },
				{ op: 'Replace', path: 'name.familyName', value: 'Doe' },
			]).reply(200, janeResource());

			const result = await runNode(create({ ifExists: 'update' }));

			expect(result.error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
			expect(result.json).toEqual([{ ...JANE_SIMPLE, created: false }]);
		},
	);

	it('a uniqueness refusal with the user still not found is reported, not retried', async () => {
		const scope = miro().get(`${SCIM}/Users`).query(JANE_LOOKUP).reply(200, listResponse([]));
		expectPost(scope, MINIMAL_BODY).reply(409, scimError(409, 'User already exists', 'uniqueness'));
		scope.get(`${SCIM}/Users`).query(JANE_LOOKUP).reply(200, listResponse([]));

		const result = await runNode(create({ ifExists: 'returnExisting' }));

		expect(scope.isDone()).toBe(true);
		expect(result.error?.message).toBe('A Miro user with this email already exists');
		expect(result.error?.httpCode).toBe('409');
	});

	it('five items for one person in different letter cases: one lookup, one POST, five outputs', async () => {
		const emails = [
			'Jane.Doe@Example.com',
			'jane.doe@example.com',
			'JANE.DOE@EXAMPLE.COM',
			'jane.DOE@example.com',
			'Jane.doe@example.COM',
		];
		const scope = miro()
			.get(`${SCIM}/Users`)
			.query(lookup('userName eq "Jane.Doe@Example.com"'))
			.once()
			.reply(200, listResponse([]));
		expectPost(scope, { ...MINIMAL_BODY, userName: 'Jane.Doe@Example.com' })
			.once()
			.reply(201, janeResource());

		const result = await runNode(create({ email: '={{ $json.email }}' }), {
			items: emails.map((email) => ({ email })),
		});

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([
			{ ...JANE_SIMPLE, created: true },
			...Array.from({ length: 4 }, () => ({ ...JANE_SIMPLE, created: false })),
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
	});

	it.each(NOT_UNIQUE)(
		"two executions racing for one person: the loser of the POST (%s) returns the winner's user",
		async (_, status, body) => {
			// Both lookups miss; one POST creates, the other is refused; only the refused
			// execution looks again, and finds the user the other one made.
			const scope = miro()
				.get(`${SCIM}/Users`)
				.query(JANE_LOOKUP)
				.times(2)
				.reply(200, listResponse([]));
			expectPost(scope, MINIMAL_BODY).once().reply(201, janeResource());
			expectPost(scope, MINIMAL_BODY).once().reply(status, body);
			scope
				.get(`${SCIM}/Users`)
				.query(JANE_LOOKUP)
				.once()
				.reply(200, listResponse([janeResource()]));

			const results = await Promise.all([runNode(create()), runNode(create())]);

			expect(results.map((result) => result.error)).toEqual([undefined, undefined]);
			expect(scope.isDone()).toBe(true);
			const outputs = results.map((result) => result.json[0]);
			expect(outputs.map((output) => output.created).sort()).toEqual([false, true]);
			for (const output of outputs) expect(output.id).toBe(JANE_ID);
		},
	);
});
