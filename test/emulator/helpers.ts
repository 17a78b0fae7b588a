/* eslint-disable @n8n/community-nodes/no-restricted-globals -- n8n's community-node rules guard shipped node code; this dev/test tool is never shipped */
/** Test helpers: a real emulator per test and an axios client that never throws on status. */
import axios, { type AxiosInstance } from 'axios';

import { PATCH_OP_SCHEMA } from './scim';
import { type Emulator, type EmulatorOptions, startEmulator } from './server';

const running: Emulator[] = [];

/** Starts an emulator on a random port; `closeAll` (an afterEach hook) closes it. */
export async function start(options: EmulatorOptions = {}): Promise<Emulator> {
	const emulator = await startEmulator({ port: 0, ...options });
	running.push(emulator);
	return emulator;
}

export async function closeAll(): Promise<void> {
	await Promise.all(running.splice(0).map((emulator) => emulator.close()));
}

export function scim(emulator: Emulator, token: string | null = emulator.token): AxiosInstance {
	const headers: Record<string, string> = {
		Accept: 'application/scim+json',
		'Content-Type': 'application/scim+json',
	};
	if (token !== null) headers.Authorization = `Bearer ${token}`;
	return axios.create({ baseURL: emulator.url, headers, validateStatus: () => true });
}

export function patchOp(...Operations: Array<Record<string, unknown>>): Record<string, unknown> {
	return { schemas: [PATCH_OP_SCHEMA], Operations };
}

/** JSON string escaping for filter values (RFC 7644 section 3.4.2.2), as a client must do. */
export function quote(value: string): string {
	return JSON.stringify(value);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
