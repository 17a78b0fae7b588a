/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not part of the published node */
/**
 * The output schemas n8n's editor loads (nodes/MiroScim/__schema__/v<version>/<resource>/<op>.json,
 * copied into dist/ by `n8n-node build`), so builders can map `{{ $json.id }}` before a run.
 * Every operation has one, and each matches what the node really returns: every operation runs
 * here against the Miro SCIM emulator, and each output item must fit its schema with no field
 * the schema leaves out.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, INodeParameters, INodePropertyOptions } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { properties } from '../../nodes/MiroScim/actions/properties';
import { startEmulator } from '../emulator/server';
import type { Emulator } from '../emulator/server';
import { runNode } from '../helpers/harness';

const SCHEMA_ROOT = path.join(__dirname, '../../nodes/MiroScim/__schema__');
/** The node's versions; n8n reads a version's schemas from v<version>.0.0. */
const VERSIONS = [1, 2];

interface JsonSchema {
	type: string;
	properties?: Record<string, JsonSchema>;
	items?: JsonSchema;
}

const schemaPath = (version: number, resource: string, operation: string) =>
	path.join(SCHEMA_ROOT, `v${version}.0.0`, resource, `${operation}.json`);
const schemaOf = (version: number, resource: string, operation: string) =>
	JSON.parse(readFileSync(schemaPath(version, resource, operation), 'utf8')) as JsonSchema;

/**
 * Where `value` departs from `schema`: a wrong type, or a field the schema does not describe.
 * null passes any type: it is how the node says Miro sent no value.
 */
function mismatches(value: unknown, schema: JsonSchema, at = '$'): string[] {
	if (value === null) return [];
	const type = Array.isArray(value)
		? 'array'
		: Number.isInteger(value) && schema.type === 'integer'
			? 'integer'
			: typeof value;
	if (type !== schema.type) return [`${at}: ${type}, schema says ${schema.type}`];
	if (Array.isArray(value))
		return value.flatMap((entry, i) =>
			mismatches(entry, schema.items as JsonSchema, `${at}[${i}]`),
		);
	if (type !== 'object') return [];
	return Object.entries(value as IDataObject).flatMap(([key, entry]) => {
		const property = schema.properties?.[key];
		return property
			? mismatches(entry, property, `${at}.${key}`)
			: [`${at}.${key}: not in the schema`];
	});
}

/** Every resource/operation pair the node's panel offers. */
function operations(): Array<[string, string]> {
	const resource = properties.find((property) => property.name === 'resource');
	return ((resource?.options ?? []) as INodePropertyOptions[]).flatMap(({ value }) => {
		const operation = properties.find(
			(property) =>
				property.name === 'operation' && property.displayOptions?.show?.resource?.includes(value),
		);
		return ((operation?.options ?? []) as INodePropertyOptions[]).map(
			(option) => [String(value), String(option.value)] as [string, string],
		);
	});
}

let emulator: Emulator;
let typeVersion = 2;
const run = async (parameters: INodeParameters, items?: IDataObject[]) => {
	const result = await runNode(
		{ ...parameters, options: { pacing: false } },
		{ credentials: { token: emulator.token, baseUrl: emulator.url }, items, typeVersion },
	);
	expect(result.error?.message).toBeUndefined();
	return result.json;
};
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const byName = (value: string) => ({ __rl: true, mode: 'name', value });

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, rateLimits: false, contract: true });
});
afterAll(async () => {
	await emulator.close();
});

/** Runs every operation once against the emulator, in an order where each finds what it needs. */
async function runEveryOperation() {
	const outputs: Record<string, IDataObject[]> = {};
	const user = (operation: string, extra: INodeParameters = {}) =>
		run({ resource: 'user', operation, ...extra });
	const group = (operation: string, extra: INodeParameters = {}) =>
		run({ resource: 'group', operation, ...extra });

	outputs['user/create'] = await user('create', {
		email: 'ada.lovelace@example.com',
		givenName: 'Ada',
		familyName: 'Lovelace',
		additionalFields: { department: 'Engineering', managerId: '3074457345618261799' },
	});
	const id = String(outputs['user/create'][0].id);
	outputs['group/find'] = await group('find', { name: 'Engineering' });
	const teamId = String(outputs['group/find'][0].id);
	outputs['group/updateMembers'] = await group('updateMembers', {
		group: byId(teamId),
		add: 'ada.lovelace@example.com',
	});
	outputs['user/get'] = await user('get', { user: byId(id) });
	outputs['user/getAll'] = await user('getAll', { returnAll: true });
	outputs['user/update'] = await user('update', {
		user: byId(id),
		updateFields: { division: 'Research' },
	});
	outputs['user/updateRole'] = await user('updateRole', {
		user: byId(id),
		orgRole: 'ORGANIZATION_INTERNAL_ADMIN',
	});
	outputs['user/deactivate'] = await user('deactivate', { user: byId(id) });
	outputs['user/reactivate'] = await user('reactivate', { user: byId(id) });
	outputs['group/get'] = await group('get', { group: byName('Engineering') });
	outputs['group/getAll'] = await group('getAll', { returnAll: true, includeMembers: true });
	outputs['group/rename'] = await group('rename', {
		group: byId(teamId),
		newName: 'g_app_eng_all',
	});
	outputs['user/delete'] = await user('delete', { user: byId(id) });
	outputs['sync/reconcile'] = await run(
		{
			resource: 'sync',
			operation: 'reconcile',
			email: '={{ $json.email }}',
			givenName: '={{ $json.first }}',
			familyName: '={{ $json.last }}',
			groups: '={{ $json.teams }}',
		},
		[{ email: 'nia.new@example.com', first: 'Nia', last: 'New', teams: ['g_app_eng_all'] }],
	);
	outputs['sync/applyPlan'] = await run(
		{ resource: 'sync', operation: 'applyPlan', dryRun: false },
		outputs['sync/reconcile'],
	);
	// Groups are created and deleted through SCIM on Miro's user-group model only.
	emulator.reset({ groupModel: 'user-group' });
	outputs['group/create'] = await group('create', {
		displayName: 'g_app_new_all',
		members: 'admin@example.com',
	});
	outputs['group/delete'] = await group('delete', {
		group: byId(String(outputs['group/create'][0].id)),
	});
	return { outputs, id, teamId };
}

describe('output schemas across versions', () => {
	it('version 2 differs from version 1 only where its output does (groups, Update Members)', () => {
		const differing = operations().filter(([resource, operation]) => {
			const v1 = JSON.stringify(schemaOf(1, resource, operation)).replace('"teams":', '"groups":');
			return v1 !== JSON.stringify(schemaOf(2, resource, operation));
		});
		expect(differing).toEqual([['group', 'updateMembers']]);
	});
});

describe.each(VERSIONS)('output schemas of version %i', (version) => {
	it.each(operations())('%s > %s has a schema', (resource, operation) => {
		expect(existsSync(schemaPath(version, resource, operation))).toBe(true);
		expect(schemaOf(version, resource, operation).type).toBe('object');
	});

	it('every operation fits its schema when run against the emulator', async () => {
		typeVersion = version;
		emulator.reset();
		const { outputs, id, teamId } = await runEveryOperation();
		expect(Object.keys(outputs).sort()).toEqual(
			operations()
				.map(([resource, operation]) => `${resource}/${operation}`)
				.sort(),
		);
		for (const [key, items] of Object.entries(outputs)) {
			const [resource, operation] = key.split('/');
			expect(items.length, key).toBeGreaterThan(0);
			const problems = items.flatMap((item) =>
				mismatches(item, schemaOf(version, resource, operation)),
			);
			expect(problems, key).toEqual([]);
		}
		// The fields a builder maps most are really there, not only allowed.
		expect(outputs['user/get'][0]).toMatchObject({ id, email: 'ada.lovelace@example.com' });
		expect(outputs['group/get'][0].members).toEqual(
			expect.arrayContaining([expect.objectContaining({ id })]),
		);
		expect(outputs['sync/applyPlan'].map((record) => [record.action, record.outcome])).toEqual([
			['create', 'done'],
			['addToGroup', 'done'],
			['summary', 'done'],
		]);
		expect(outputs['group/create'][0]).toMatchObject({ name: 'g_app_new_all', created: true });
		expect(outputs['group/updateMembers'][0]).toMatchObject(
			version === 1
				? { teamId, added: [id], merged: false }
				: {
						groupId: teamId,
						usersToAdd: [{ id, email: 'ada.lovelace@example.com', result: 'added' }],
						changed: true,
					},
		);
		expect(outputs['user/get'][0]).toHaveProperty(version === 1 ? 'teams' : 'groups');
	});

	it('the checker refuses a wrong type and an undocumented field', () => {
		const schema = schemaOf(version, 'user', 'delete');
		expect(mismatches({ deleted: true, id: '1' }, schema)).toEqual([]);
		expect(mismatches({ deleted: 'yes', id: '1', extra: 1 }, schema)).toEqual([
			'$.deleted: string, schema says boolean',
			'$.extra: not in the schema',
		]);
	});
});
