import nock from 'nock';
import { describe, expect, it } from 'vitest';

import * as group from '../../../nodes/MiroScim/actions/group';
import { properties } from '../../../nodes/MiroScim/actions/properties';
import * as sync from '../../../nodes/MiroScim/actions/sync';
import * as user from '../../../nodes/MiroScim/actions/user';
import { runNode } from '../../helpers/harness';
import { FAST, useNock } from '../../helpers/fixtures';

useNock();

function offered(resource: string): string[] {
	const list = properties.find(
		(property) =>
			property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource),
	);
	return (list?.options ?? []).map((option) => String((option as { value: string }).value));
}

describe('router', () => {
	it.each([
		['user', user],
		['group', group],
		['sync', sync],
	])('the %s barrel exports exactly the operations its Operation list offers', (name, barrel) => {
		expect(Object.keys(barrel).sort()).toEqual(offered(name).sort());
		for (const module of Object.values(barrel)) {
			// Each is a per-item operation, a batch one, or a per-item one that can merge items.
			const kinds = ['execute', 'executeBatch'].filter((key) => key in module);
			expect(kinds.length).toBeGreaterThan(0);
			expect(Array.isArray(module.description)).toBe(true);
		}
	});

	it('batch operations carry no per-item execute (no throwing stubs)', () => {
		expect(Object.values(sync).map((module) => 'execute' in module)).toEqual([false, false]);
	});

	it.each([
		['group', 'description'],
		['user', 'updateMembers'],
	])('refuses %s > %s as not supported', async (resource, operation) => {
		const result = await runNode({ resource, operation, options: FAST });

		expect(result.error?.message).toBe(
			`The operation "${operation}" is not supported for "${resource}"`,
		);
		expect(nock.pendingMocks()).toEqual([]);
	});
});
