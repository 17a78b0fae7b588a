// End-to-end: workflows/sync-from-hr.json in a real n8n 2.41.1, installed from the tarball, with
// `n8n execute` against the emulator (the same setup as e2e.test.mjs, from scenario.mjs). As
// shipped, the template plans from one listing of users and teams and writes nothing.
//
//   node --test test/e2e/sync.test.mjs

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { cleanupOnSignals, createScenario, WORKFLOWS } from './scenario.mjs';

const MINUTE = 60_000;
const progress = (line = '') => process.stderr.write(`${line}\n`);

WORKFLOWS.syncFromHr = {
	file: 'sync-from-hr.json',
	id: 'MiroScimSyncHr01',
	title: 'Sync from HR',
	what: 'plans Ada, Grace and Alan into their g_app_ teams (dry run: nothing is written)',
};

const scenario = createScenario({ log: progress, step: (title) => progress(`== ${title}`) });
const removeSignalHandlers = cleanupOnSignals(() => scenario.cleanup());

describe('sync-from-hr template in a real n8n 2.41.1', () => {
	before(async () => await scenario.start(), { timeout: 50 * MINUTE });
	after(
		async () => {
			try {
				await scenario.cleanup();
			} finally {
				removeSignalHandlers();
			}
		},
		{ timeout: 2 * MINUTE },
	);

	it(
		'plans the joiners and their teams from two listings, and writes nothing',
		{ timeout: 6 * MINUTE },
		async () => {
			const { result, log } = await scenario.run('syncFromHr');
			assert.deepEqual(
				log.map((entry) => `${entry.method} ${entry.path.replace(/^.*\/scim/, '')}`).sort(),
				['GET /Groups', 'GET /Users'],
			);
			const plan = result.items('Apply plan', { output: 0 });
			assert.deepEqual(
				plan.map((item) => `${item.action} ${item.outcome}`),
				[
					'create planned',
					'addToGroup planned',
					'create planned',
					'addToGroup planned',
					'create planned',
					'addToGroup planned',
					'summary planned',
				],
			);
			// Nothing removes access, so the approval branch gets no items and does not run.
			assert.equal(result.runData['Approve removals'], undefined);
		},
	);
	// Last: the emulator ran in contract mode (scenario.mjs); see test/contract/README.md.
	it("no request n8n sent and no answer the emulator gave departed from Miro's description", async () => {
		assert.deepEqual(await scenario.emulator.contractViolations(), []);
	});
});
