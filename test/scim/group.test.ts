import { describe, expect, it } from 'vitest';

import { memberPatches, simplifyGroup } from '../../nodes/MiroScim/scim/group';
import type { MemberLimits, MemberPatch } from '../../nodes/MiroScim/scim/group';
import { patchBytes } from '../../nodes/MiroScim/scim/patch';
import type { PatchOp } from '../../nodes/MiroScim/scim/patch';
import { DOCUMENTED_FORMS, shapeRequest } from '../../nodes/MiroScim/transport/forms';

const SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A PatchOp written out: one add of `adds` (if any), then one remove per id. */
function body(adds: string[], removes: string[] = []) {
	const Operations: object[] = [];
	if (adds.length > 0)
		Operations.push({ op: 'Add', path: 'members', value: adds.map((value) => ({ value })) });
	// Miro's form leaves a digit id bare; any other id is quoted as the RFC writes it.
	for (const id of removes) {
		const value = /^\d+$/.test(id) ? id : JSON.stringify(id);
		Operations.push({ op: 'Remove', path: `members[value eq ${value}]` });
	}
	return { schemas: [SCHEMA], Operations };
}

/** Miro-like ids: 19-digit strings, above 2^53. */
const ids = (count: number, from = 0) =>
	Array.from({ length: count }, (_, i) => `30744573456${String(from + i).padStart(8, '0')}`);

/**
 * What every split must keep: limits, order, each id once, never a replace, and the ids each
 * patch says it carries are exactly those in its body.
 */
function expectSound(
	patches: MemberPatch[],
	adds: string[],
	removes: string[],
	limits: MemberLimits,
) {
	const sentAdds: string[] = [];
	const sentRemoves: string[] = [];
	for (const { body: patch, add, remove } of patches) {
		expect(patch).toEqual(body(add, remove));
		expect(patch.schemas).toEqual([SCHEMA]);
		expect(patchBytes(patch)).toBeLessThanOrEqual(limits.maxBytes);
		let members = 0;
		for (const operation of patch.Operations) {
			expect(operation.op).not.toBe('Replace');
			if (operation.op === 'Add') {
				expect(operation.path).toBe('members');
				const value = operation.value as Array<{ value: string }>;
				members += value.length;
				sentAdds.push(...value.map((member) => member.value));
			} else {
				expect(operation.op).toBe('Remove');
				members += 1;
				const value = /^members\[value eq (.*)\]$/.exec(operation.path ?? '')?.[1] ?? '';
				sentRemoves.push(value.startsWith('"') ? (JSON.parse(value) as string) : value);
			}
		}
		expect(members).toBeLessThanOrEqual(limits.maxMembers);
		expect(members).toBeGreaterThan(0);
	}
	expect(sentAdds).toEqual(adds);
	expect(sentRemoves).toEqual(removes);
}

const MIRO: MemberLimits = { maxMembers: 8000, maxBytes: 800_000 };

describe('memberPatches: small changes', () => {
	it.each([
		['nothing', [], [], []],
		['one add', ['1'], [], [body(['1'])]],
		['adds share one operation', ['1', '2', '3'], [], [body(['1', '2', '3'])]],
		['removes are one operation each', [], ['4', '5'], [body([], ['4', '5'])]],
		['adds and removes together', ['1', '2'], ['3'], [body(['1', '2'], ['3'])]],
	])('%s', (_, adds, removes, expected) => {
		const patches = memberPatches(adds, removes);
		expect(patches.map((patch) => patch.body)).toEqual(expected);
		expectSound(patches, adds, removes, MIRO);
	});
});

describe('memberPatches: split by member count', () => {
	it.each([
		[
			'2 per PatchOp, 3 adds and a remove',
			['1', '2', '3'],
			['4'],
			{ maxMembers: 2, maxBytes: 1e6 },
			[body(['1', '2']), body(['3'], ['4'])],
		],
		[
			'1 per PatchOp',
			['1'],
			['2', '3'],
			{ maxMembers: 1, maxBytes: 1e6 },
			[body(['1']), body([], ['2']), body([], ['3'])],
		],
	])('%s', (_, adds, removes, limits, expected) => {
		const patches = memberPatches(adds, removes, limits);
		expect(patches.map((patch) => patch.body)).toEqual(expected);
		expectSound(patches, adds, removes, limits);
	});

	it.each([
		['8000 adds fit one PATCH', ids(8000), [], [8000]],
		['8001 adds need two', ids(8001), [], [8000, 1]],
		['16001 adds need three', ids(16001), [], [8000, 8000, 1]],
		['8000 adds and 1 remove need two', ids(8000), ids(1, 9000), [8000, 1]],
		['8001 removes need two', [], ids(8001), [8000, 1]],
		['4000 adds and 4000 removes fit one', ids(4000), ids(4000, 5000), [8000]],
	])("Miro's 8000-member limit: %s", (_, adds, removes, sizes) => {
		const patches = memberPatches(adds, removes);
		const members = patches.map(({ body: patch }) =>
			patch.Operations.reduce(
				(sum, operation) =>
					sum + (operation.op === 'Add' ? (operation.value as unknown[]).length : 1),
				0,
			),
		);
		expect(members).toEqual(sizes);
		expectSound(patches, adds, removes, MIRO);
	});
});

describe('memberPatches: split by bytes', () => {
	it.each([
		// 100-character ids: 113 bytes each inside the add array, so 800,000 bytes hold about 7,079.
		['long ids to add', Array.from({ length: 7500 }, (_, i) => String(i).padStart(100, '9')), []],
		[
			'long ids to remove',
			[],
			Array.from({ length: 7500 }, (_, i) => String(i).padStart(100, '8')),
		],
		[
			'multi-byte ids',
			Array.from({ length: 3000 }, (_, i) => `${'é'.repeat(60)}${i}`),
			Array.from({ length: 3000 }, (_, i) => `${'€'.repeat(40)}${i}`),
		],
	])("Miro's 800,000-byte limit: %s", (_, adds, removes) => {
		const patches = memberPatches(adds, removes);
		expect(patches.length).toBe(2);
		expectSound(patches, adds, removes, MIRO);
		// Packed close to the limit rather than split early, counted in the longer form a server
		// that refuses bare ids gets (quoted), which must fit too.
		const quoted = shapeRequest(
			{ body: patches[0].body },
			{ ...DOCUMENTED_FORMS, memberPath: 'quoted' },
		);
		expect(patchBytes(quoted.body as PatchOp)).toBeLessThanOrEqual(800_000);
		expect(patchBytes(quoted.body as PatchOp)).toBeGreaterThan(800_000 - 400);
	});

	it.each([
		[{ maxMembers: 100, maxBytes: 200 }, ['1', '2', '3', '4', '5', '6', '7', '8', '9'], []],
		[{ maxMembers: 100, maxBytes: 200 }, [], ['1', '2', '3', '4']],
		[{ maxMembers: 3, maxBytes: 180 }, ['10', '11', '12', '13'], ['14', '15']],
	])('small limits %j still keep every PatchOp within them', (limits, adds, removes) => {
		const patches = memberPatches(adds, removes, limits);
		expect(patches.length).toBeGreaterThan(1);
		expectSound(patches, adds, removes, limits);
	});
});

describe('simplifyGroup', () => {
	it.each([
		[
			'with members',
			{
				id: '3458764513820540928',
				displayName: 'Engineering',
				members: [
					{ value: '3074457345618261605', display: 'Jane Doe', type: 'User' },
					{ value: '3074457345618261606', type: 'User' },
				],
				meta: { resourceType: 'Group' },
			},
			{
				id: '3458764513820540928',
				name: 'Engineering',
				memberCount: 2,
				members: [
					{ id: '3074457345618261605', display: 'Jane Doe' },
					{ id: '3074457345618261606', display: null },
				],
			},
		],
		[
			'an empty team',
			{ id: '1', displayName: 'Empty', members: [] },
			{ id: '1', name: 'Empty', memberCount: 0, members: [] },
		],
		[
			'members left out (excludedAttributes)',
			{ id: '1', displayName: 'Engineering' },
			{ id: '1', name: 'Engineering' },
		],
		['no displayName', { id: '1' }, { id: '1', name: null }],
	])('%s', (_, group, expected) => {
		expect(simplifyGroup(group)).toEqual(expected);
	});
});
