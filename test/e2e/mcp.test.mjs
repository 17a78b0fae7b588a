// @ts-check
// End-to-end test of workflows/mcp-miro-tools.json as an IT team runs it: imported into a real
// n8n 2.41.1 with this package installed from its `npm pack` tarball (scenario.mjs), a Bearer
// Auth credential with a generated token, the workflow activated, `n8n start`, and the official
// MCP TypeScript SDK (@modelcontextprotocol/sdk, Streamable HTTP) as the agent's client; Miro is
// the emulator (a separate process on 127.0.0.1).
//
//   node --test test/e2e/mcp.test.mjs      (~3-5 min once n8n is installed)

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { activateWorkflow, importCredential, importWorkflow, startN8nServer } from './n8n.mjs';
import { ROOT, teamsOf, usersNamed, testScenario } from './scenario.mjs';

const MINUTE = 60_000;

const MCP = {
	file: 'mcp-miro-tools.json',
	id: 'MiroScimMcpTools',
	path: 'miro-lifecycle',
	credential: {
		id: 'mcpClientsBearer',
		name: 'MCP clients (bearer token)',
		type: 'httpBearerAuth',
	},
};

const { progress, scenario, removeSignalHandlers } = testScenario();

const TOKEN = randomBytes(32).toString('hex');
/** @type {import('./n8n.mjs').N8nServer} */
let server;
/** @type {string} */
let mcpUrl;
/** @type {Client | undefined} */
let client;

/**
 * An MCP client over Streamable HTTP, sending `token` as a bearer token (none if undefined).
 * @param {string | undefined} token
 */
async function connect(token) {
	/** @type {Record<string, string>} */
	const headers = token === undefined ? {} : { authorization: `Bearer ${token}` };
	const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
		requestInit: { headers },
	});
	const mcp = new Client({ name: 'miro-scim-e2e', version: '1.0.0' });
	await mcp.connect(transport);
	return mcp;
}

/**
 * Calls a tool; returns { isError, text, json } (json when the text is JSON).
 * @param {string} name
 * @param {Record<string, unknown>} args
 */
async function call(name, args) {
	assert.ok(client, 'connected in before()');
	const result = await client.callTool({ name, arguments: args });
	const content = /** @type {Array<{ type: string, text?: string }>} */ (result.content ?? []);
	const text = content
		.filter((part) => part.type === 'text')
		.map((part) => part.text)
		.join('\n');
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	assert.equal(text.includes(scenario.emulator.token), false, 'the Miro token in a tool answer');
	assert.equal(text.includes(TOKEN), false, 'the MCP token in a tool answer');
	return { isError: result.isError === true, text, json };
}

/** The first record of a tool answer (n8n answers with the node's items, one per record). */
/** @param {{ json: any }} answer */
const record = (answer) => (Array.isArray(answer.json) ? answer.json[0] : answer.json);

/** @param {import('./checks.mjs').LogEntry[]} log */
const writes = (log) => log.filter((entry) => entry.method !== 'GET');

describe('the MCP server template, activated in a real n8n 2.41.1, driven by an MCP client', () => {
	before(
		async () => {
			await scenario.start();
			progress(`== Activate ${MCP.file} with a Bearer Auth credential`);
			await importCredential(scenario.home, { ...MCP.credential, data: { token: TOKEN } });
			const json = JSON.parse(await fs.readFile(path.join(ROOT, 'workflows', MCP.file), 'utf8'));
			await importWorkflow(scenario.home, { ...json, id: MCP.id });
			await activateWorkflow(scenario.home, MCP.id);
			server = await startN8nServer(scenario.home, { timeoutMs: 3 * MINUTE });
			mcpUrl = `${server.baseUrl}/mcp/${MCP.path}`;
			await waitForMcp(mcpUrl);
			progress(`  MCP server: ${mcpUrl}`);
			client = await connect(TOKEN);
		},
		{ timeout: 50 * MINUTE }, // the first run installs n8n (6-13 min)
	);

	after(
		async () => {
			try {
				await client?.close();
				await scenario.cleanup();
			} finally {
				removeSignalHandlers();
			}
		},
		{ timeout: 2 * MINUTE },
	);

	it('refuses a client without the token, or with another one, and Miro hears nothing', async () => {
		await scenario.emulator.clearLog();
		for (const token of [undefined, randomBytes(32).toString('hex'), TOKEN.slice(0, -1)]) {
			await assert.rejects(connect(token), (/** @type {any} */ error) => {
				assert.equal(error.code, 403, error.message);
				assert.match(error.message, /Authorization data is wrong/);
				return true;
			});
			const raw = await fetch(mcpUrl, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					accept: 'application/json, text/event-stream',
					...(token ? { authorization: `Bearer ${token}` } : {}),
				},
				body: JSON.stringify({
					jsonrpc: '2.0',
					id: 1,
					method: 'tools/call',
					params: { name: 'deactivate_user', arguments: { email: 'user1@example.com' } },
				}),
			});
			assert.equal(raw.status, 403);
		}
		assert.deepEqual(await scenario.emulator.log(), []);
	});

	it('lists the eight tools, each with the input schema an agent fills', async () => {
		assert.ok(client, 'connected in before()');
		const { tools } = await client.listTools();
		const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
		assert.deepEqual(Object.keys(byName).sort(), [
			'add_users_to_group',
			'create_user',
			'deactivate_user',
			'find_group',
			'find_user_by_email',
			'get_user',
			'reactivate_user',
			'remove_users_from_group',
		]);
		const expected = {
			find_user_by_email: ['email'],
			get_user: ['userId'],
			create_user: ['email', 'familyName', 'givenName'],
			deactivate_user: ['email'],
			reactivate_user: ['email'],
			find_group: ['name'],
			add_users_to_group: ['group', 'users'],
			remove_users_from_group: ['group', 'users'],
		};
		for (const [name, args] of Object.entries(expected)) {
			const { description, inputSchema } = byName[name];
			assert.ok(description && description.length > 60, `${name}: description "${description}"`);
			assert.equal(inputSchema.type, 'object', name);
			/** @type {Record<string, { type?: string, description?: string }>} */
			const properties = inputSchema.properties ?? {};
			assert.deepEqual(Object.keys(properties).sort(), args, name);
			assert.deepEqual([...(inputSchema.required ?? [])].sort(), args, `${name}: required`);
			for (const arg of args) {
				const property = properties[arg];
				assert.equal(property.type, 'string', `${name}.${arg}`);
				assert.ok(
					(property.description?.length ?? 0) > 30,
					`${name}.${arg}: "${property.description}"`,
				);
			}
		}
		assert.match(byName.deactivate_user.description ?? '', /Refuses organization admins/);
		assert.match(byName.add_users_to_group.description ?? '', /at most 5 per call/);
		// No delete, no sync, no role change on offer.
		for (const tool of tools) assert.doesNotMatch(tool.name, /delete|sync|role|update/i);
	});

	const email = 'dana.scully@example.com';

	it(
		'creates a user, adds them to a group and deactivates them; Miro shows each step',
		{ timeout: 5 * MINUTE },
		async () => {
			const created = await call('create_user', { email, givenName: 'Dana', familyName: 'Scully' });
			assert.equal(created.isError, false, created.text);
			const dana = record(created);
			assert.equal(dana.email, email);
			assert.equal(dana.created, true);
			assert.equal(dana.active, true);
			// Simplified: no SCIM resource details handed to the model.
			assert.equal(dana.schemas, undefined);
			assert.equal(dana.meta, undefined);
			let state = await scenario.emulator.state();
			assert.equal(usersNamed(state, email).length, 1);

			const again = await call('create_user', { email, givenName: 'Dana', familyName: 'Scully' });
			assert.equal(record(again).created, false, again.text);
			assert.equal(record(again).id, dana.id);

			const added = await call('add_users_to_group', { group: 'Engineering', users: email });
			assert.equal(added.isError, false, added.text);
			state = await scenario.emulator.state();
			assert.ok(
				teamsOf(state, email).includes('Engineering'),
				JSON.stringify(teamsOf(state, email)),
			);

			const deactivated = await call('deactivate_user', { email });
			assert.equal(deactivated.isError, false, deactivated.text);
			assert.equal(record(deactivated).active, false);
			state = await scenario.emulator.state();
			assert.equal(usersNamed(state, email)[0].active, false);

			const found = await call('find_user_by_email', { email });
			assert.equal(record(found).active, false);
			assert.ok(
				record(found).teams.some(
					(/** @type {{ name: string }} */ team) => team.name === 'Engineering',
				),
			);
		},
	);

	it('answers bad arguments with an error the client can read, and writes nothing', async () => {
		await scenario.emulator.clearLog();
		const bad = await call('deactivate_user', { email: 'dana.scully' });
		progress(`  bad email -> ${bad.text}`);
		assert.equal(bad.isError, true, bad.text);
		assert.match(bad.text, /"dana\.scully" is not an email address/);
		const unknown = await call('find_group', { name: 'Engineers' });
		progress(`  unknown group -> ${unknown.text}`);
		assert.equal(unknown.isError, true, unknown.text);
		assert.match(unknown.text, /no Miro group is named "Engineers"/);
		assert.deepEqual(writes(await scenario.emulator.log()), []);
	});

	it('refuses what crosses a guard rail, says so, and changes nothing', async () => {
		const before = await scenario.emulator.state();
		await scenario.emulator.clearLog();
		const admin = await call('deactivate_user', { email: 'admin@example.com' });
		progress(`  admin -> ${admin.text}`);
		assert.equal(admin.isError, true, admin.text);
		assert.match(admin.text, /Refused: admin@example\.com is a Miro organization admin/);

		const users = [1, 2, 3, 4, 5, 6].map((n) => `user${n}@example.com`).join(', ');
		const many = await call('remove_users_from_group', { group: 'Default Team', users });
		progress(`  six users -> ${many.text}`);
		assert.equal(many.isError, true, many.text);
		assert.match(many.text, /Refused: this call adds or removes 6 users, more than the 5/);

		assert.deepEqual(writes(await scenario.emulator.log()), []);
		const after = await scenario.emulator.state();
		assert.deepEqual(
			usersNamed(after, 'admin@example.com'),
			usersNamed(before, 'admin@example.com'),
		);
		assert.deepEqual(after.groups, before.groups);
	});
	// Last: the emulator ran in contract mode (scenario.mjs); see test/contract/README.md.
	it("no request n8n sent and no answer the emulator gave departed from Miro's description", async () => {
		assert.deepEqual(await scenario.emulator.contractViolations(), []);
	});
});

/**
 * Until the running server has registered the MCP endpoint (404 until then).
 * @param {string} url
 * @param {number} [timeoutMs]
 */
async function waitForMcp(url, timeoutMs = 2 * MINUTE) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			const res = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(10_000) });
			if (res.status !== 404) return;
		} catch {
			/* not listening */
		}
		if (Date.now() > deadline) throw new Error(`${url} not registered after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
