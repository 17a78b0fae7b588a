import type { INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import {
	connectionReset,
	expectNoToken,
	expectPatch,
	FAST,
	JANE_ID,
	miro,
	rl,
	SCIM,
	scimError,
	useNock,
} from '../../helpers/fixtures';

useNock();

const getById = (options: INodeParameters = FAST) => ({
	resource: 'user',
	operation: 'get',
	user: rl.id(JANE_ID),
	options,
});

describe('user: error mapping', () => {
	it.each([
		[400, 'Miro rejected the request as invalid', 'Attribute displayName is too long'],
		[401, 'Miro did not accept the SCIM token', 'Invalid bearer token'],
		[403, 'Miro refused access to SCIM', 'SCIM provisioning is disabled for this organization'],
		[404, 'Miro has no such user or group', 'User 3074457345618261605 not found'],
		[409, 'Miro reported a conflict', 'User is deactivated'],
		[413, 'The request was too large for Miro', 'Payload exceeds 800000 bytes'],
		[429, 'Miro rate limit reached and retries ran out', 'Too many requests'],
		[500, 'Miro had an internal error', 'Unexpected failure'],
	])(
		"maps HTTP %i to a NodeApiError with its message and Miro's detail",
		async (status, message, detail) => {
			// maxAttempts 1: even the retried statuses (429, 500) fail on the first answer.
			const scope = miro().get(`${SCIM}/Users/${JANE_ID}`).reply(status, scimError(status, detail));

			const result = await runNode(getById({ ...FAST, maxAttempts: 1 }));

			expect(scope.isDone()).toBe(true);
			expect(result.json).toEqual([]);
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toBe(message);
			expect(result.error?.httpCode).toBe(String(status));
			expect(result.error?.description).toMatch(new RegExp(`^Miro says: ${detail} `));
			expect(result.error?.description).not.toContain('attempts');
			expectNoToken(result.error, result.run);
		},
	);

	it.each([
		[429, 'Miro rate limit reached and retries ran out'],
		[500, 'Miro had an internal error'],
		[503, 'Miro is unavailable'],
	])(
		'retries HTTP %i up to Max Attempts, then fails saying how often it tried',
		async (status, message) => {
			const scope = miro()
				.get(`${SCIM}/Users/${JANE_ID}`)
				.times(3)
				.reply(status, scimError(status, 'Try later'));

			const result = await runNode(getById({ ...FAST, maxAttempts: 3 }));

			expect(scope.isDone()).toBe(true);
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toBe(message);
			expect(result.error?.httpCode).toBe(String(status));
			expect(result.error?.description).toMatch(/^Miro says: Try later .*\(3 attempts\)$/);
			expectNoToken(result.error, result.run);
		},
	);

	it('succeeds when a retried 429 is followed by an answer', async () => {
		const scope = miro()
			.get(`${SCIM}/Users/${JANE_ID}`)
			.reply(429, scimError(429, 'Too many requests'), { 'Retry-After': '0' })
			.get(`${SCIM}/Users/${JANE_ID}`)
			.reply(200, { id: JANE_ID, userName: 'jane.doe@example.com' });

		const result = await runNode({ ...getById(), simplify: false });

		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ id: '3074457345618261605', userName: 'jane.doe@example.com' }]);
	});

	it('does not retry a 400, even with attempts left', async () => {
		const scope = miro().get(`${SCIM}/Users/${JANE_ID}`).reply(400, scimError(400, 'Bad filter'));

		const result = await runNode(getById());

		expect(scope.isDone()).toBe(true);
		expect(result.error?.httpCode).toBe('400');
		expect(result.error?.description).not.toContain('attempts');
	});

	it('uses "HTTP <status>" when Miro sends no detail, and reads a numeric status', async () => {
		const scope = miro()
			.get(`${SCIM}/Users/${JANE_ID}`)
			.reply(403, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: 403 });

		const result = await runNode(getById());

		expect(scope.isDone()).toBe(true);
		expect(result.error?.message).toBe('Miro refused access to SCIM');
		expect(result.error?.description).toMatch(/^HTTP 403 SCIM needs a Miro Enterprise plan/);
	});

	it('keeps the text of a non-JSON error page as the detail', async () => {
		const scope = miro()
			.get(`${SCIM}/Users/${JANE_ID}`)
			.reply(502, '<html><body>Bad Gateway</body></html>', { 'Content-Type': 'text/html' });

		const result = await runNode(getById({ ...FAST, maxAttempts: 1 }));

		expect(scope.isDone()).toBe(true);
		expect(result.error?.message).toBe('Miro is unavailable');
		expect(result.error?.httpCode).toBe('502');
		expect(result.error?.description).toContain('Miro says: <html><body>Bad Gateway</body></html>');
	});

	it('maps a 400 on a PATCH with the Content-Type and body Miro rejected', async () => {
		const scope = expectPatch(miro(), JANE_ID, [
			{ op: 'Replace', path: 'displayName', value: 'Jane' },
		]).reply(400, scimError(400, 'displayName: invalid value', 'invalidValue'));

		const result = await runNode({
			resource: 'user',
			operation: 'update',
			user: rl.id(JANE_ID),
			updateFields: { displayName: 'Jane' },
			options: FAST,
		});

		expect(scope.isDone()).toBe(true);
		expect(result.error?.message).toBe('Miro rejected the request as invalid');
		expect(result.error?.description).toMatch(/^Miro says: displayName: invalid value /);
		expectNoToken(result.error, result.run);
	});
});

describe('user: network errors', () => {
	it('retries a dropped connection, then reports it without the token', async () => {
		const scope = miro().get(`${SCIM}/Users/${JANE_ID}`).times(2).replyWithError(connectionReset());

		const result = await runNode(getById({ ...FAST, maxAttempts: 2 }));

		expect(scope.isDone()).toBe(true);
		expect(result.error?.name).toBe('NodeApiError');
		// n8n's NodeApiError words the message for a known network code itself.
		expect(result.error?.message).toMatch(/connection .* closed unexpectedly/);
		expect(result.error?.description).toMatch(
			/^GET \/Users\/3074457345618261605 failed with ECONNRESET after 2 attempts\./,
		);
		expectNoToken(result.error, result.run);
	});

	it('recovers from one dropped connection on a read', async () => {
		const scope = miro()
			.get(`${SCIM}/Users/${JANE_ID}`)
			.replyWithError(connectionReset())
			.get(`${SCIM}/Users/${JANE_ID}`)
			.reply(200, { id: JANE_ID, userName: 'jane.doe@example.com' });

		const result = await runNode({ ...getById(), simplify: false });

		expect(scope.isDone()).toBe(true);
		expect(result.json).toEqual([{ id: '3074457345618261605', userName: 'jane.doe@example.com' }]);
	});

	it('redacts a bearer token that appears in a low-level error message', async () => {
		const scope = miro()
			.get(`${SCIM}/Users/${JANE_ID}`)
			.replyWithError('proxy refused request with Authorization: Bearer test-token');

		const result = await runNode(getById());

		expect(scope.isDone()).toBe(true);
		expect(result.error?.message).toBe('Could not reach Miro');
		expect(result.error?.description).toContain('Bearer ***');
		expectNoToken(result.error, result.run);
	});
});
