// The template workflows the end-to-end scenario runs, the people they onboard and the
// credential they reference: what demo.mjs, e2e.test.mjs and capture-docs.mjs share.

import fs from 'node:fs/promises';
import path from 'node:path';

import { ROOT } from '../support/processes.mjs';

export const PACKAGE_NAME = 'n8n-nodes-miro-scim';
export const NODE_TYPE = 'n8n-nodes-miro-scim.miroScim';
export const CREDENTIAL_TYPE = 'miroScimApi';
/** The credential the template workflows reference. */
export const CREDENTIAL = { id: 'miroScimDemo', name: 'Miro SCIM account', type: CREDENTIAL_TYPE };

/** The templates, in the order the scenario runs them. The ids are ours: the files have none. */
export const WORKFLOWS = {
	onboarding: {
		file: 'onboarding.json',
		id: 'MiroScimOnboard1',
		title: 'Onboarding',
		what: 'creates Ada, Grace and Alan (or finds them) and adds each to their team',
	},
	roleChange: {
		file: 'role-change.json',
		id: 'MiroScimRoleChg1',
		title: 'Role change',
		what: 'makes Alan an organization admin and moves him from g_app_proeng_all to g_app_itadmin_all',
	},
	offboarding: {
		file: 'offboarding.json',
		id: 'MiroScimOffboard',
		title: 'Offboarding',
		what: 'deactivates Grace and takes her out of every team',
	},
};

export const PEOPLE = {
	ada: 'ada.lovelace@example.com',
	grace: 'grace.hopper@example.com',
	alan: 'alan.turing@example.com',
};
export const SEEDED_ADMIN = 'admin@example.com';
export const ADMIN_ROLE = 'ORGANIZATION_INTERNAL_ADMIN';
export const USER_ROLE = 'ORGANIZATION_INTERNAL_USER';

/**
 * The emulator runs Miro's rate limits with 0.3 s windows instead of 30 s. The workflows keep
 * `rateWindowSeconds` at 30, so the node paces by Miro's real windows: it can only be slower
 * than the emulator needs, never hit a 429 that real Miro would not send. (With time scale 1,
 * each `n8n execute` is a new process with a fresh pacer, so back-to-back runs could exceed
 * Miro's 5 team searches per 30 s and spend half a minute in backoff.)
 */
export const DEFAULT_TIME_SCALE = 0.01;

/** The template exactly as it is in workflows/, plus an id (the import needs one to be stable). */
export async function loadWorkflow(key) {
	const spec = WORKFLOWS[key];
	const json = JSON.parse(await fs.readFile(path.join(ROOT, 'workflows', spec.file), 'utf8'));
	return { ...json, id: spec.id };
}
