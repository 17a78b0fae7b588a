import { describe, expect, it } from 'vitest';

import {
	add,
	addMembers,
	memberPath,
	patchBytes,
	patchOp,
	remove,
	removeMember,
	replace,
} from '../../nodes/MiroScim/scim/patch';

const SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('PatchOp builders (RFC 7644 §3.5.2)', () => {
	it.each([
		[
			'rename a team',
			patchOp([replace('displayName', 'g_app_proeng_all')]),
			'{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"displayName","value":"g_app_proeng_all"}]}',
		],
		[
			'deactivate a user',
			patchOp([replace('active', false)]),
			'{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":false}]}',
		],
		[
			'add an admin role',
			patchOp([
				add('roles', [{ value: 'Content Admin', type: 'organization_admin_role', primary: false }]),
			]),
			'{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"roles","value":[{"value":"Content Admin","type":"organization_admin_role","primary":false}]}]}',
		],
		[
			'remove an admin role',
			patchOp([remove('roles[value eq "Content Admin"]')]),
			'{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"roles[value eq \\"Content Admin\\"]"}]}',
		],
		[
			'add members and remove one',
			patchOp([addMembers(['1', '2']), removeMember('3')]),
			'{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"value":"1"},{"value":"2"}]},{"op":"Remove","path":"members[value eq 3]"}]}',
		],
		[
			'no operations',
			patchOp([]),
			'{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}',
		],
	])('%s', (_, body, wire) => {
		expect(JSON.stringify(body)).toBe(wire);
		expect(body.schemas).toEqual([SCHEMA]);
	});

	it.each([
		['3074457345618261605', 'members[value eq 3074457345618261605]'],
		['2a0375ff-fb31-467f', 'members[value eq "2a0375ff-fb31-467f"]'],
		['a"b', 'members[value eq "a\\"b"]'],
		['a\\b', 'members[value eq "a\\\\b"]'],
	])('memberPath(%j) is %s (bare digits, as Miro writes it)', (userId, path) => {
		expect(memberPath(userId)).toBe(path);
		expect(removeMember(userId)).toEqual({ op: 'Remove', path });
	});

	it.each([
		[[], { op: 'Add', path: 'members', value: [] }],
		[['1'], { op: 'Add', path: 'members', value: [{ value: '1' }] }],
		[
			['3074457345618261605', '3074457345618261606'],
			{
				op: 'Add',
				path: 'members',
				value: [{ value: '3074457345618261605' }, { value: '3074457345618261606' }],
			},
		],
	])('addMembers(%j) keeps ids as strings', (ids, operation) => {
		expect(addMembers(ids)).toEqual(operation);
	});
});

describe('patchBytes counts UTF-8 bytes on the wire', () => {
	it.each([
		[patchOp([]), 77],
		[patchOp([replace('displayName', 'abc')]), 128],
		// "é" and "ü" take two bytes each, "€" three.
		[patchOp([replace('displayName', 'éü€')]), 132],
	])('%j is %i bytes', (body, bytes) => {
		expect(patchBytes(body)).toBe(bytes);
		expect(patchBytes(body)).toBe(new TextEncoder().encode(JSON.stringify(body)).length);
	});
});
