// Runs before every test file (vitest.config.mts). The polyfills are their own module so that
// tools outside vitest (bench/worker.ts) can load them without vitest.
import './polyfills';

// The group directory is shared by every execution in a process, as in n8n; each test starts
// with an empty one so that no test answers another's lookups.
import { beforeEach } from 'vitest';
import { resetGroupDirectories } from '../nodes/MiroScim/transport/directory';

beforeEach(() => resetGroupDirectories());
