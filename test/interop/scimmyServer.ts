/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not part of the published node */
/**
 * A generic SCIM 2.0 service provider: SCIMMY's own User and Group resource types (with the
 * EnterpriseUser extension) behind scimmy-routers' express middleware, backed by a small
 * in-memory store. Nothing here knows about Miro: ids are UUIDs, there are no roles, licenses
 * or default teams. SCIMMY does the protocol (filters, paging, PATCH, attribute projection,
 * error bodies); the handlers below only store and look up records.
 */
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Json = Record<string, unknown>;

export interface LoggedRequest {
	method: string;
	url: string;
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

export interface ScimmyServer {
	/** The credential's Base URL: `http://127.0.0.1:<port>/scim/v2`. */
	baseUrl: string;
	token: string;
	users: Map<string, Json>;
	groups: Map<string, Json>;
	requests: LoggedRequest[];
	/** Creates a group directly in the store (the node has no group create). */
	addGroup(displayName: string, memberIds?: string[]): Json;
	close(): Promise<void>;
}

const plain = (value: unknown): Json => JSON.parse(JSON.stringify(value ?? {})) as Json;

function notFound(id: string | undefined): never {
	throw new SCIMMY.Types.Error(404, '', `Resource ${id} not found`);
}

export interface ScimmyOptions {
	token?: string;
	/** Most resources one list page returns, whatever `count` asks for. */
	maxPageSize?: number;
}

export async function startScimmy(options: ScimmyOptions = {}): Promise<ScimmyServer> {
	const { token = 'scimmy-test-token', maxPageSize = 200 } = options;
	const users = new Map<string, Json>();
	const groups = new Map<string, Json>();
	const requests: LoggedRequest[] = [];
	const now = () => new Date().toISOString();

	const memberOf = (userId: string) =>
		[...groups.values()]
			.filter((group) =>
				((group.members ?? []) as Json[]).some((member) => member.value === userId),
			)
			.map((group) => ({ value: group.id, display: group.displayName, type: 'direct' }));

	// Always an array: SCIMMY's Filter.match throws on `groups.value eq "…"` when a user has no
	// `groups` attribute at all.
	const userOut = (user: Json): Json => ({ ...user, groups: memberOf(String(user.id)) });

	const members = (raw: unknown): Json[] => {
		const seen = new Set<string>();
		const list: Json[] = [];
		for (const member of (Array.isArray(raw) ? raw : []) as Json[]) {
			const id = String(member.value);
			if (seen.has(id)) continue;
			const user = users.get(id);
			if (!user) {
				throw new SCIMMY.Types.Error(400, 'invalidValue', `No user with id ${id} can be a member`);
			}
			seen.add(id);
			list.push({ value: id, display: user.displayName ?? user.userName, type: 'User' });
		}
		return list;
	};

	const listOrOne = (
		resource: SCIMMY.Types.Resource,
		store: Map<string, Json>,
		out: (value: Json) => Json,
	) => {
		if (resource.id) {
			const found = store.get(resource.id);
			if (!found) notFound(resource.id);
			return out(found);
		}
		// RFC 7644 §3.4.2.4 lets a server return fewer results than `count` asked for; SCIMMY's
		// ListResponse pages by the constraints object it passes to this handler.
		const count = resource.constraints?.count;
		if (count === undefined || count > maxPageSize) {
			resource.constraints = { ...resource.constraints, count: maxPageSize };
		}
		const all = [...store.values()].map(out);
		return resource.filter ? (resource.filter.match(all) as Json[]) : all;
	};

	const User = SCIMMY.Resources.User.extend(
		SCIMMY.Schemas.EnterpriseUser,
		false,
	) as unknown as typeof SCIMMY.Resources.User;
	SCIMMY.Resources.declare(
		User.ingress((resource, instance) => {
			const data = plain(instance);
			const userName = String(data.userName ?? '');
			const clash = [...users.values()].find(
				(user) =>
					user.id !== resource.id && String(user.userName).toLowerCase() === userName.toLowerCase(),
			);
			if (clash) {
				throw new SCIMMY.Types.Error(409, 'uniqueness', `userName ${userName} is not unique`);
			}
			if (resource.id) {
				const existing = users.get(resource.id);
				if (!existing) notFound(resource.id);
				const meta = { ...(existing.meta as Json), lastModified: now() };
				const updated = { ...data, id: resource.id, meta };
				users.set(resource.id, updated);
				return userOut(updated) as never;
			}
			const id = randomUUID();
			const created = { active: true, ...data, id, meta: { created: now(), lastModified: now() } };
			users.set(id, created);
			return userOut(created) as never;
		})
			.egress((resource) => listOrOne(resource, users, userOut) as never)
			.degress((resource) => {
				if (!resource.id || !users.delete(resource.id)) notFound(resource.id);
				for (const group of groups.values()) {
					group.members = ((group.members ?? []) as Json[]).filter(
						(member) => member.value !== resource.id,
					);
				}
			}),
	);

	SCIMMY.Resources.declare(
		SCIMMY.Resources.Group.ingress((resource, instance) => {
			const data = plain(instance);
			const id = resource.id ?? randomUUID();
			const existing = resource.id ? groups.get(resource.id) : undefined;
			if (resource.id && !existing) notFound(resource.id);
			const group = {
				id,
				displayName: data.displayName,
				members: members(data.members),
				meta: {
					created: (existing?.meta as Json | undefined)?.created ?? now(),
					lastModified: now(),
				},
			};
			groups.set(id, group);
			return group as never;
		})
			.egress((resource) => listOrOne(resource, groups, (group) => group) as never)
			.degress((resource) => {
				if (!resource.id || !groups.delete(resource.id)) notFound(resource.id);
			}),
	);

	const app = express();
	// Logged once answered, so that the body scimmy-routers parsed and the status are known.
	type Incoming = IncomingMessage & { originalUrl: string; body?: unknown };
	app.use((req: Incoming, res: ServerResponse, next: () => void) => {
		res.on('finish', () => {
			requests.push({
				method: req.method ?? '',
				url: req.originalUrl,
				status: res.statusCode,
				headers: { ...req.headers },
				body: req.body,
			});
		});
		next();
	});
	app.use(
		'/scim/v2',
		new SCIMMYRouters({
			type: 'bearer',
			handler: (req) => {
				if (req.header('Authorization') !== `Bearer ${token}`) {
					throw new Error('Bearer token missing or not valid');
				}
				return 'provisioning-client';
			},
		}),
	);

	const server = await new Promise<Server>((resolve) => {
		const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
	});
	const { port } = server.address() as AddressInfo;

	return {
		baseUrl: `http://127.0.0.1:${port}/scim/v2`,
		token,
		users,
		groups,
		requests,
		addGroup(displayName, memberIds = []) {
			const id = randomUUID();
			const group = {
				id,
				displayName,
				members: members(memberIds.map((value) => ({ value }))),
				meta: { created: now(), lastModified: now() },
			};
			groups.set(id, group);
			return group;
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}
