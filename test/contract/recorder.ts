/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, never shipped */
/**
 * Records every request the node sends during a vitest run and checks it against Miro's
 * description: installed in test/setup.ts as a request interceptor on the axios instance
 * n8n-core sends through, so nock tests, emulator tests and interop tests are all covered. The
 * emulator's contract mode adds what it sees (answers included) to the same sink.
 */
import { createRequire } from 'node:module';

import { checkRequest, scimPathOf } from './contract';
import type { Violation } from './contract';
import { unlisted } from './departures';

interface Sink {
	violations: Violation[];
	installed: boolean;
}

const KEY = Symbol.for('miro-scim.contract.sink');
const sink: Sink =
	((globalThis as Record<symbol, unknown>)[KEY] as Sink | undefined) ??
	((globalThis as Record<symbol, unknown>)[KEY] = { violations: [], installed: false } as Sink);

/** Adds violations (the allow-list's departures are dropped here). */
export function recordViolations(violations: Violation[]): void {
	sink.violations.push(...unlisted(violations));
}

/** Returns and forgets what was recorded so far. */
export function takeViolations(): Violation[] {
	return sink.violations.splice(0);
}

interface AxiosLike {
	interceptors: { request: { use: (fn: (config: AxiosConfig) => AxiosConfig) => number } };
}

interface AxiosConfig {
	method?: string;
	url?: string;
	baseURL?: string;
	params?: Record<string, unknown>;
	headers?: Record<string, unknown> & { get?: (name: string) => unknown };
	data?: unknown;
}

function headerOf(config: AxiosConfig, name: string): string | undefined {
	const headers = config.headers ?? {};
	const viaGetter = typeof headers.get === 'function' ? headers.get(name) : undefined;
	if (typeof viaGetter === 'string') return viaGetter;
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
	return key ? String(headers[key]) : undefined;
}

/** The request as the contract sees it, or undefined for traffic that is not SCIM. */
export function contractRequestOf(config: AxiosConfig) {
	const url = new URL(config.url ?? '', config.baseURL ?? 'http://localhost');
	const scimPath = scimPathOf(url.pathname);
	if (!scimPath) return undefined;
	const query: Record<string, string> = Object.fromEntries(url.searchParams);
	for (const [key, value] of Object.entries(config.params ?? {})) {
		if (value !== undefined && value !== null) query[key] = String(value);
	}
	let body = config.data;
	if (typeof body === 'string' && body !== '') body = JSON.parse(body) as unknown;
	return {
		method: (config.method ?? 'get').toUpperCase(),
		path: scimPath,
		query,
		contentType: headerOf(config, 'content-type'),
		body: body === '' ? undefined : body,
	};
}

/** Hooks the CJS axios that n8n-core resolves (not an ESM copy vitest might load). */
export function installRecorder(): void {
	if (sink.installed) return;
	sink.installed = true;
	// The same node_modules/axios (CJS) that @n8n/backend-network requires.
	const axios = createRequire(__filename)('axios') as AxiosLike;
	axios.interceptors.request.use((config) => {
		const request = contractRequestOf(config);
		if (request) recordViolations(checkRequest(request));
		return config;
	});
}
