// Runs before every test file (vitest.config.mts). The polyfills are their own module so that
// tools outside vitest (bench/worker.ts) can load them without vitest.
import './polyfills';

// The group directory is shared by every execution in a process, as in n8n; each test starts
// with an empty one so that no test answers another's lookups.
import { afterEach, beforeEach } from 'vitest';
import { resetGroupDirectories } from '../nodes/MiroScim/transport/directory';
import { resetRequestForms } from '../nodes/MiroScim/transport/forms';
import { installRecorder, takeViolations } from './contract/recorder';

beforeEach(() => {
	resetGroupDirectories();
	resetRequestForms();
});

// Every request the node sends (nock, emulator, interop) is held to Miro's OpenAPI description
// (test/contract): a departure not on test/contract/departures.ts fails the test that sent it.
installRecorder();
beforeEach(() => void takeViolations());
afterEach(() => {
	const violations = takeViolations();
	if (violations.length > 0) {
		throw new Error(
			`Requests outside Miro's API description (test/contract):\n${violations.map((v) => `- ${v.detail}`).join('\n')}`,
		);
	}
});
