/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, not part of the published node */
import { describe, expect, it } from 'vitest';

import { runNode } from '../../helpers/harness';
import { FAST, member, miro, SCIM, useNock } from '../../helpers/fixtures';

useNock();

describe('user: concurrency', () => {
	it('runs 10 items at most 3 at a time and keeps input order and pairing', async () => {
		// Later items answer sooner, so completion order differs from input order.
		const delays = [40, 5, 25, 2, 30, 10, 1, 20, 8, 3];
		const users = delays.map((_, index) => member(index + 1));
		let inFlight = 0;
		let maxInFlight = 0;
		const completed: string[] = [];
		const scope = miro();
		users.forEach((user, index) => {
			scope.get(`${SCIM}/Users/${user.id as string}`).reply(async () => {
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				await new Promise((resolve) => setTimeout(resolve, delays[index]));
				inFlight--;
				completed.push(user.id as string);
				return [200, user];
			});
		});

		const result = await runNode(
			{
				resource: 'user',
				operation: 'get',
				user: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				simplify: false,
				options: { ...FAST, concurrency: 3 },
			},
			{ items: users.map((user) => ({ id: user.id })) },
		);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(maxInFlight).toBe(3);
		expect(completed).not.toEqual(users.map((user) => user.id));
		expect(result.json).toEqual(users);
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			users.map((_, index) => ({ item: index })),
		);
	});

	it('with concurrency 1 sends one request at a time', async () => {
		const users = [member(1), member(2), member(3)];
		let inFlight = 0;
		let maxInFlight = 0;
		const scope = miro();
		for (const user of users) {
			scope.get(`${SCIM}/Users/${user.id as string}`).reply(async () => {
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				await new Promise((resolve) => setTimeout(resolve, 5));
				inFlight--;
				return [200, user];
			});
		}

		const result = await runNode(
			{
				resource: 'user',
				operation: 'get',
				user: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				simplify: false,
				options: { ...FAST, concurrency: 1 },
			},
			{ items: users.map((user) => ({ id: user.id })) },
		);

		expect(scope.isDone()).toBe(true);
		expect(maxInFlight).toBe(1);
		expect(result.json).toEqual(users);
	});
});
