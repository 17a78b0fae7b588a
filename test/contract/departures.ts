/**
 * The one list of places where the node's requests (or the emulator's answers) depart from
 * Miro's OpenAPI description as we read it (miro-scim.openapi.json). A violation not matched here
 * fails the test that caused it. Each entry: why we depart, and the test that proves the node
 * still works (a fallback, or the form on the RFC's side).
 */
import type { Violation } from './contract';

export interface Departure {
	endpoint: string;
	rule: string;
	/** Narrows the entry to the offending value, so a different mistake still fails. */
	when?: (violation: Violation) => boolean;
	reason: string;
	test: string;
}

const field = (violation: Violation, key: string) =>
	(violation.parent as Record<string, unknown> | undefined)?.[key];

export const DEPARTURES: Departure[] = [
	// Miro's user-group model (July 2026) is described in prose only: the description at 3a2506b
	// still has no POST /Groups or DELETE /Groups/{id}. Team-model organizations refuse both.
	{
		endpoint: 'POST /Groups',
		rule: 'operation',
		reason: 'user-group model: documented in prose only; RFC 7644 section 3.3 shape',
		test: 'test/workflows/groupModels.test.ts',
	},
	{
		endpoint: 'DELETE /Groups/{id}',
		rule: 'operation',
		reason: 'user-group model: documented in prose only; RFC 7644 section 3.6',
		test: 'test/workflows/groupModels.test.ts',
	},
	// Fallbacks, sent only after Miro refused the documented form with a 400 naming it.
	{
		endpoint: 'GET /Groups',
		rule: 'query:excludedAttributes',
		when: (v) => v.subject === 'members',
		reason: 'fallback when a server refuses `attributes` (RFC 7644 section 3.4.2.5 defines both)',
		test: 'test/contract/fallbacks.test.ts',
	},
	{
		endpoint: 'GET /Groups/{id}',
		rule: 'query:excludedAttributes',
		when: (v) => v.subject === 'members',
		reason: 'fallback when a server refuses `attributes`',
		test: 'test/contract/fallbacks.test.ts',
	},
	...['PATCH /Users/{id}', 'PATCH /Groups/{id}'].map((endpoint) => ({
		endpoint,
		rule: 'body/Operations/*/op',
		when: (v: Violation) => ['add', 'remove', 'replace'].includes(String(v.subject)),
		reason: 'fallback when a server refuses the capitalised op (RFC 7644 examples are lower case)',
		test: 'test/contract/fallbacks.test.ts',
	})),
	{
		endpoint: 'PATCH /Groups/{id}',
		rule: 'body/Operations/*/path',
		when: (v) => /^members\[value eq "[0-9A-Za-z_-]+"\]$/.test(String(v.subject)),
		reason:
			'fallback when a server refuses the unquoted id (RFC 7644 section 3.4.2.2 quotes strings)',
		test: 'test/contract/fallbacks.test.ts',
	},
	// PatchUserResource types every `value` as a string and its prose writes "true/false"; SCIM
	// (RFC 7643 section 4.1.1) and every identity provider send `active` as a JSON boolean.
	{
		endpoint: 'PATCH /Users/{id}',
		rule: 'body/Operations/*/value',
		when: (v) => field(v, 'path') === 'active' && typeof v.subject === 'boolean',
		reason: 'active is a boolean in RFC 7643; the schema says string, its prose "true/false"',
		test: 'test/interop/scimmy.test.ts',
	},
];

export function departureFor(violation: Violation): Departure | undefined {
	return DEPARTURES.find(
		(entry) =>
			entry.endpoint === violation.endpoint &&
			entry.rule === violation.rule &&
			(entry.when === undefined || entry.when(violation)),
	);
}

/** The violations no entry allows. */
export function unlisted(violations: Violation[]): Violation[] {
	return violations.filter((violation) => !departureFor(violation));
}
