/**
 * The node sends Miro's documented forms first (nodes/MiroScim/transport/forms.ts). Against an
 * emulator that refuses one form with a 400 naming it, or ignores a projection, each operation
 * still works through n8n's WorkflowExecute: one retry in the other form, remembered for the
 * process, so later requests cost nothing extra.
 */
import type { INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startEmulator } from '../emulator/server';
import type { Emulator } from '../emulator/server';
import { FAST, rl } from '../helpers/fixtures';
import { runNode } from '../helpers/harness';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, rateLimits: false, contract: true });
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.reset();
	emulator.setQuirks({});
});

const run = async (parameters: INodeParameters) =>
	await runNode(
		{ options: FAST, ...parameters },
		{ credentials: { token: emulator.token, baseUrl: emulator.url } },
	);

/** `GET /Groups?attributes=… 200`: what reached the emulator, base path and paging left out. */
const sent = () =>
	emulator.log.map((entry) => {
		const query = { ...entry.query };
		delete query.startIndex;
		delete query.count;
		const qs = new URLSearchParams(query).toString();
		return `${entry.method} ${entry.path.replace(/^.*\/scim/, '').replace(/\d{19}/g, '{id}')}${qs ? `?${qs}` : ''} ${entry.status}`;
	});

const find = (name: string) => ({ resource: 'group', operation: 'find', name });

describe('groups without members', () => {
	it('sends attributes, and after a 400 naming it, excludedAttributes from then on', async () => {
		emulator.setQuirks({ refuse: ['attributes'] });

		const first = await run(find('Engineering'));
		const again = await run({
			resource: 'group',
			operation: 'get',
			group: rl.id(emulator.state.groupByName('Marketing')!.id),
			includeMembers: false,
		});

		expect(first.error).toBeUndefined();
		expect(first.json).toEqual([
			{ id: emulator.state.groupByName('Engineering')!.id, name: 'Engineering' },
		]);
		expect(again.json[0]).toMatchObject({ name: 'Marketing' });
		expect(again.json[0]).not.toHaveProperty('members');
		expect(sent()).toEqual([
			'GET /Groups?attributes=id%2CdisplayName%2Cmeta 400',
			'GET /Groups?excludedAttributes=members 200',
			'GET /Groups/{id}?excludedAttributes=members 200',
		]);
	});

	it('a server that refuses excludedAttributes gets only attributes', async () => {
		emulator.setQuirks({ refuse: ['excludedAttributes'] });
		const result = await run(find('Engineering'));
		expect(result.error).toBeUndefined();
		expect(sent()).toEqual(['GET /Groups?attributes=id%2CdisplayName%2Cmeta 200']);
	});

	it('a server that ignores both sends members anyway: dropped as pages are read', async () => {
		emulator.setQuirks({ ignore: ['attributes', 'excludedAttributes'] });
		const engineering = emulator.state.groupByName('Engineering')!;
		const ada = emulator.addUser({ userName: 'ada@example.com' });
		await run({
			resource: 'group',
			operation: 'updateMembers',
			group: rl.id(engineering.id),
			add: ada.id,
		});
		emulator.resetLog();

		const raw = await run({
			resource: 'group',
			operation: 'getAll',
			returnAll: true,
			simplify: false,
		});

		expect(raw.error).toBeUndefined();
		expect(raw.json.length).toBeGreaterThan(1);
		for (const group of raw.json) expect(group).not.toHaveProperty('members');
		// One listing page, no retry: an ignored parameter is no refusal.
		expect(sent()).toEqual(['GET /Groups?attributes=id%2CdisplayName%2Cmeta 200']);
	});
});

describe('PatchOp op', () => {
	it('sends Replace, and after a 400 naming op, lower case from then on', async () => {
		emulator.setQuirks({ refuse: ['capitalisedOp'] });
		const ada = emulator.addUser({ userName: 'ada@example.com' });
		const bob = emulator.addUser({ userName: 'bob@example.com' });

		const first = await run({ resource: 'user', operation: 'deactivate', user: rl.id(ada.id) });
		const second = await run({ resource: 'user', operation: 'deactivate', user: rl.id(bob.id) });

		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		expect(emulator.state.userByName('ada@example.com')?.active).toBe(false);
		expect(emulator.state.userByName('bob@example.com')?.active).toBe(false);
		const ops = emulator.log.map((entry) => [
			(entry.body as { Operations: Array<{ op: string }> }).Operations[0].op,
			entry.status,
		]);
		expect(ops).toEqual([
			['Replace', 400],
			['replace', 200],
			['replace', 200],
		]);
	});

	it('when both spellings are refused: one retry, then the error, and nothing is remembered', async () => {
		emulator.setQuirks({ refuse: ['capitalisedOp', 'lowerCaseOp'] });
		const ada = emulator.addUser({ userName: 'ada@example.com' });
		const result = await run({ resource: 'user', operation: 'deactivate', user: rl.id(ada.id) });
		// Both spellings refused: one retry, then Miro's words; the documented form stays.
		expect(result.error?.message).toBe('Miro rejected the request as invalid');
		expect(emulator.log.map((entry) => entry.status)).toEqual([400, 400]);
		emulator.resetLog();
		emulator.setQuirks({});
		await run({ resource: 'user', operation: 'reactivate', user: rl.id(ada.id) });
		expect((emulator.log[0].body as { Operations: Array<{ op: string }> }).Operations[0].op).toBe(
			'Replace',
		);
	});
});

describe('member removal path', () => {
	it("sends Miro's bare id, and after a 400 naming the path, the RFC's quoted id", async () => {
		emulator.setQuirks({ refuse: ['bareMemberId'] });
		const engineering = emulator.state.groupByName('Engineering')!;
		const ada = emulator.addUser({ userName: 'ada@example.com' });
		const bob = emulator.addUser({ userName: 'bob@example.com' });
		await run({
			resource: 'group',
			operation: 'updateMembers',
			group: rl.id(engineering.id),
			add: `${ada.id},${bob.id}`,
		});
		emulator.resetLog();

		const first = await run({
			resource: 'group',
			operation: 'updateMembers',
			group: rl.id(engineering.id),
			remove: ada.id,
		});
		const second = await run({
			resource: 'group',
			operation: 'updateMembers',
			group: rl.id(engineering.id),
			remove: bob.id,
		});

		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		const members = (emulator.state.groupByName('Engineering')!.members ?? []).map((m) => m.value);
		expect(members).not.toContain(ada.id);
		expect(members).not.toContain(bob.id);
		const paths = emulator.log.map((entry) => [
			(entry.body as { Operations: Array<{ path: string }> }).Operations[0].path,
			entry.status,
		]);
		expect(paths).toEqual([
			[`members[value eq ${ada.id}]`, 400],
			[`members[value eq "${ada.id}"]`, 200],
			[`members[value eq "${bob.id}"]`, 200],
		]);
	});
});
