import nock from 'nock';
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import { FAST, useNock } from '../../helpers/fixtures';

useNock();

describe('router', () => {
	it.each([
		['group', 'delete'],
		['group', 'description'],
	])('refuses %s > %s as not supported', async (resource, operation) => {
		const result = await runNode({ resource, operation, options: FAST });

		expect(result.error?.message).toBe(
			`The operation "${operation}" is not supported for "${resource}"`,
		);
		expect(nock.pendingMocks()).toEqual([]);
	});
});
