// @ts-check
// The template workflows the end-to-end scenario runs (and the webhook template it calls over
// HTTP), the people they onboard and the credentials they reference: shared by demo.mjs,
// e2e.test.mjs, webhook.test.mjs, capture-docs.mjs and the n8n 1.x test.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

import { ROOT } from '../helpers/processes.mjs';

const MINUTE = 60_000;

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

/**
 * workflows/onboarding-webhook.json: a production webhook, so it is activated and called over
 * HTTP rather than run with `n8n execute`. Callers authenticate with the header named in the
 * Header Auth credential the template references (by this name and placeholder id).
 */
/** @typedef {keyof typeof WORKFLOWS} WorkflowKey */

export const WEBHOOK = {
	file: 'onboarding-webhook.json',
	id: 'MiroScimWebhook1',
	title: 'Onboarding webhook',
	path: 'miro-onboarding',
	header: 'X-Onboarding-Secret',
	credential: { id: 'onboardingSecret', name: 'Onboarding webhook secret', type: 'httpHeaderAuth' },
};

/** The Header Auth credential for the webhook, with a fresh secret (as `openssl rand -hex 32`). */
export function webhookCredential(secret = randomBytes(32).toString('hex')) {
	return { ...WEBHOOK.credential, data: { name: WEBHOOK.header, value: secret } };
}

/** The webhook template exactly as it is in workflows/, plus its id. */
export async function loadWebhookWorkflow() {
	const json = JSON.parse(await fs.readFile(path.join(ROOT, 'workflows', WEBHOOK.file), 'utf8'));
	return { ...json, id: WEBHOOK.id };
}

/**
 * POST a JSON body (or a raw string) to the webhook; returns { status, text, json }.
 * @param {string} baseUrl
 * @param {unknown} body
 * @param {{ secret?: string, timeoutMs?: number }} [options]
 */
export async function callWebhook(baseUrl, body, { secret, timeoutMs = 2 * MINUTE } = {}) {
	/** @type {Record<string, string>} */
	const headers = { 'content-type': 'application/json' };
	if (secret !== undefined) headers[WEBHOOK.header] = secret;
	const res = await fetch(`${baseUrl}/webhook/${WEBHOOK.path}`, {
		method: 'POST',
		headers,
		body: typeof body === 'string' ? body : JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		/* not JSON */
	}
	return { status: res.status, text, json };
}

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

/**
 * The template exactly as it is in workflows/, plus an id (the import needs one to be stable).
 * @param {keyof typeof WORKFLOWS} key
 */
export async function loadWorkflow(key) {
	const spec = WORKFLOWS[key];
	const json = JSON.parse(await fs.readFile(path.join(ROOT, 'workflows', spec.file), 'utf8'));
	return { ...json, id: spec.id };
}
