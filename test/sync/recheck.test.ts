/**
 * Apply Plan's decisions as tables: how old a plan may be, and whether a removal still meets
 * the user the plan saw. No mocks, no requests.
 */
import { describe, expect, it } from 'vitest';

import { planAgeRefusal, removalRecheck } from '../../nodes/MiroScim/sync/recheck';
import type { FreshUser } from '../../nodes/MiroScim/sync/recheck';
import type { Change } from '../../nodes/MiroScim/sync/types';

const NOW = Date.parse('2026-12-06T12:00:00.000Z');
const ago = (hours: number) => new Date(NOW - hours * 3_600_000).toISOString();

describe('planAgeRefusal', () => {
	it.each<[string, Array<string | undefined>, number, string | undefined]>([
		['a fresh plan', [ago(1), ago(2)], 24, undefined],
		['exactly at the limit', [ago(24)], 24, undefined],
		[
			'the oldest item decides',
			[ago(1), ago(30)],
			24,
			'The plan was made 30 hours ago (2026-12-05T06:00:00.000Z), more than Max Plan Age (Hours), 24',
		],
		[
			'one hour, singular, and a decimal',
			[ago(1.04)],
			0.5,
			'The plan was made 1 hour ago (2026-12-06T10:57:36.000Z), more than Max Plan Age (Hours), 0.5',
		],
		['0 turns the check off', [ago(1000), undefined], 0, undefined],
		['no items, nothing to check', [], 24, undefined],
		[
			'an item without a time',
			[ago(1), undefined],
			24,
			'1 plan item has no plannedAt, so the age of the plan is unknown',
		],
		['a plan from the future (clock skew) is not stale', [ago(-1)], 24, undefined],
	])('%s', (_name, plannedAts, maxAge, problem) => {
		expect(planAgeRefusal(plannedAts, NOW, maxAge)?.problem).toBe(problem);
	});
});

describe('removalRecheck', () => {
	const GROUP = { id: '7', name: 'g_app_eng' };
	const deactivate: Change = {
		action: 'deactivate',
		email: 'Bob@example.com',
		id: '2',
		before: { active: true },
		after: { active: false },
		removesAccess: true,
	};
	const remove: Change = {
		action: 'removeFromGroup',
		email: 'bob@example.com',
		id: '2',
		group: GROUP,
		removesAccess: true,
	};
	const deleteInactive: Change = {
		action: 'delete',
		email: 'bob@example.com',
		id: '2',
		before: { active: false },
		removesAccess: true,
	};
	const bob = (extra: Partial<FreshUser> = {}): FreshUser => ({
		userName: 'bob@example.com',
		active: true,
		groupIds: ['7'],
		...extra,
	});
	it.each<[string, Change, FreshUser | undefined, string | undefined]>([
		['as planned (email compared without case)', deactivate, bob(), undefined],
		['gone', deactivate, undefined, 'userGone: not applied: the user no longer exists in Miro'],
		[
			'deactivated meanwhile',
			deactivate,
			bob({ active: false }),
			'userChanged: not applied: the user changed since the plan was made (active was true, is now false)',
		],
		[
			'reactivated by hand before a planned delete',
			deleteInactive,
			bob({ active: true }),
			'userChanged: not applied: the user changed since the plan was made (active was false, is now true)',
		],
		[
			'a new email',
			remove,
			bob({ userName: 'robert@example.com' }),
			'userChanged: not applied: the user changed since the plan was made (email was bob@example.com, is now robert@example.com)',
		],
		['still in the group', remove, bob(), undefined],
		[
			'already out of the group',
			remove,
			bob({ groupIds: [] }),
			'userChanged: not applied: the user changed since the plan was made (no longer a member of g_app_eng)',
		],
		[
			'groups not listed by Miro: cannot tell, apply',
			remove,
			bob({ groupIds: undefined }),
			undefined,
		],
		['a removal carries no active state to compare', remove, bob({ active: false }), undefined],
	])('%s', (_name, change, fresh, expected) => {
		const verdict = removalRecheck(change, fresh);
		expect(verdict && `${verdict.skipReason}: ${verdict.note}`).toBe(expected);
	});
});
