/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, never shipped */
/**
 * Checks one request or answer against our written reading of Miro's OpenAPI description
 * (miro-scim.openapi.json). The validator knows only the JSON Schema words that document uses
 * (type, required, properties, enum, pattern, minimum, maximum, minItems, items, oneOf, $ref):
 * a small, exact checker we can read beats a general one we cannot.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

type Json = Record<string, unknown>;

/** One request as it left the client, the path below the SCIM base URL (`/Users/123`). */
export interface ContractRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	contentType?: string;
	body?: unknown;
}

export interface ContractResponse {
	status: number;
	contentType?: string;
	body?: unknown;
}

/**
 * `rule` says what is broken: `operation`, `query:<name>`, `content-type`, `body<pointer>` or
 * `response<pointer>` (array indices written `*`). `subject` is the offending value and `parent`
 * the object holding it, for the allow-list's predicates.
 */
export interface Violation {
	endpoint: string;
	rule: string;
	detail: string;
	subject?: unknown;
	parent?: unknown;
}

export const CONTRACT_FILE = path.join(__dirname, 'miro-scim.openapi.json');
export const contract = JSON.parse(readFileSync(CONTRACT_FILE, 'utf8')) as Json;

const RESOURCE = /\/(Users|Groups|ServiceProviderConfig|ResourceTypes|Schemas)(\/[^/]+)?\/?$/;

/** `/api/v1/scim/Users/12` -> `/Users/12`: the part of a URL path Miro's description names. */
export function scimPathOf(pathname: string): string | undefined {
	const match = RESOURCE.exec(pathname);
	if (match) return `/${match[1]}${match[2] ?? ''}`;
	// Below a `/scim` base (Miro's, the emulator's) an unknown resource counts too.
	const below = /\/scim(\/[^?]*)$/i.exec(pathname);
	return below ? below[1].replace(/\/+$/, '') || '/' : undefined;
}

function resolve(node: unknown): Json {
	let current = node as Json;
	while (current && typeof current.$ref === 'string') {
		const pointer = current.$ref.replace(/^#\//, '').split('/');
		current = pointer.reduce<Json>((at, key) => at[key.replace(/~1/g, '/')] as Json, contract);
	}
	return current;
}

/** The contract's path template and operation for a concrete path, e.g. `/Users/{id}`. */
export function operationOf(method: string, scimPath: string) {
	const paths = contract.paths as Record<string, Json>;
	for (const [template, item] of Object.entries(paths)) {
		const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
		if (!pattern.test(scimPath)) continue;
		const operation = item[method.toLowerCase()] as Json | undefined;
		const parameters = [
			...((item.parameters as Json[]) ?? []),
			...((operation?.parameters as Json[]) ?? []),
		];
		return { template, operation, parameters: parameters.map(resolve) };
	}
	return {
		template: scimPath.replace(/\/\d+$/, '/{id}'),
		operation: undefined,
		parameters: [],
	};
}

function typeOf(value: unknown): string {
	if (Array.isArray(value)) return 'array';
	if (value === null) return 'null';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

function typeMatches(expected: string, value: unknown): boolean {
	const actual = typeOf(value);
	return actual === expected || (expected === 'number' && actual === 'integer');
}

/** Schema errors of `value` as `[pointer, detail, value, parent]`, pointer indices as `*`. */
function validate(
	schemaNode: unknown,
	value: unknown,
	pointer: string,
	parent: unknown,
	out: Array<[string, string, unknown, unknown]>,
): void {
	const schema = resolve(schemaNode);
	if (schema.oneOf) {
		const fits = (schema.oneOf as unknown[]).some((option) => {
			const errors: Array<[string, string, unknown, unknown]> = [];
			validate(option, value, pointer, parent, errors);
			return errors.length === 0;
		});
		if (!fits)
			out.push([
				pointer,
				`${JSON.stringify(value)} matches none of the documented forms`,
				value,
				parent,
			]);
		return;
	}
	if (typeof schema.type === 'string' && !typeMatches(schema.type, value)) {
		out.push([
			pointer,
			`expected ${schema.type}, got ${typeOf(value)} ${JSON.stringify(value)}`,
			value,
			parent,
		]);
		return;
	}
	scalarViolations(schema, value, pointer, parent, out);
	structureViolations(schema, value, pointer, parent, out);
}

type Found = Array<[string, string, unknown, unknown]>;

/** enum, pattern, minimum and maximum: what a single value must be. */
function scalarViolations(
	schema: Json,
	value: unknown,
	pointer: string,
	parent: unknown,
	out: Found,
): void {
	if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
		out.push([
			pointer,
			`${JSON.stringify(value)} is not one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`,
			value,
			parent,
		]);
	}
	if (
		typeof schema.pattern === 'string' &&
		typeof value === 'string' &&
		!new RegExp(schema.pattern).test(value)
	) {
		out.push([
			pointer,
			`${JSON.stringify(value)} is not of the documented form ${schema.pattern}`,
			value,
			parent,
		]);
	}
	if (typeof value === 'number') {
		if (typeof schema.minimum === 'number' && value < schema.minimum)
			out.push([pointer, `${value} is below ${schema.minimum}`, value, parent]);
		if (typeof schema.maximum === 'number' && value > schema.maximum)
			out.push([
				pointer,
				`${value} is above the documented maximum ${schema.maximum}`,
				value,
				parent,
			]);
	}
}

/** minItems, items, required and properties: what an array or object must hold. */
function structureViolations(
	schema: Json,
	value: unknown,
	pointer: string,
	parent: unknown,
	out: Found,
): void {
	if (Array.isArray(value)) {
		if (typeof schema.minItems === 'number' && value.length < schema.minItems)
			out.push([pointer, `fewer than ${schema.minItems} entries`, value, parent]);
		if (schema.items)
			for (const item of value) validate(schema.items, item, `${pointer}/*`, value, out);
	}
	if (typeOf(value) === 'object') {
		const object = value as Json;
		for (const key of (schema.required as string[]) ?? []) {
			if (!(key in object))
				out.push([`${pointer}/${key}`, `required ${key} is missing`, undefined, object]);
		}
		const properties = (schema.properties ?? {}) as Json;
		for (const [key, sub] of Object.entries(properties)) {
			if (key in object) validate(sub, object[key], `${pointer}/${key}`, object, out);
		}
	}
}

function queryViolations(
	endpoint: string,
	parameters: Json[],
	query: Record<string, string>,
): Violation[] {
	const violations: Violation[] = [];
	for (const [name, raw] of Object.entries(query)) {
		const parameter = parameters.find((p) => p.in === 'query' && p.name === name);
		if (!parameter) {
			violations.push({
				endpoint,
				rule: `query:${name}`,
				detail: `query parameter ${name} is not documented for ${endpoint}`,
				subject: raw,
			});
			continue;
		}
		const schema = resolve(parameter.schema);
		const value = schema.type === 'integer' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
		const errors: Array<[string, string, unknown, unknown]> = [];
		validate(schema, value, '', query, errors);
		for (const [, detail] of errors)
			violations.push({
				endpoint,
				rule: `query:${name}`,
				detail: `${name}: ${detail}`,
				subject: raw,
			});
	}
	return violations;
}

function mediaType(contentType: string | undefined): string {
	return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** Everything in `request` that Miro's description (as we read it) does not allow. */
export function checkRequest(request: ContractRequest): Violation[] {
	const { template, operation, parameters } = operationOf(request.method, request.path);
	const endpoint = `${request.method.toUpperCase()} ${template}`;
	if (!operation)
		return [{ endpoint, rule: 'operation', detail: `${endpoint} is not in Miro's description` }];
	const violations = queryViolations(endpoint, parameters, request.query);
	const requestBody = resolve(operation.requestBody);
	const content = (requestBody?.content ?? {}) as Record<string, Json>;
	if (request.body !== undefined) {
		const type = mediaType(request.contentType);
		const described = content[type] ?? Object.values(content)[0];
		if (!content[type])
			violations.push({
				endpoint,
				rule: 'content-type',
				detail: `Content-Type "${type}" is not one of ${Object.keys(content).join(', ') || 'none (no body documented)'}`,
			});
		const errors: Array<[string, string, unknown, unknown]> = [];
		if (described) validate(described.schema, request.body, 'body', undefined, errors);
		for (const [pointer, detail, subject, parent] of errors)
			violations.push({
				endpoint,
				rule: pointer,
				detail: `${pointer}: ${detail}`,
				subject,
				parent,
			});
	} else if (requestBody?.required) {
		violations.push({ endpoint, rule: 'body', detail: `${endpoint} needs a body` });
	}
	return violations;
}

/** Everything in an answer to `request` that the description's response shapes do not allow. */
export function checkResponse(
	request: Pick<ContractRequest, 'method' | 'path'>,
	response: ContractResponse,
): Violation[] {
	const { template, operation } = operationOf(request.method, request.path);
	const endpoint = `${request.method.toUpperCase()} ${template}`;
	if (!operation) return [];
	const responses = operation.responses as Json;
	const documented =
		responses[String(response.status)] ?? (response.status >= 400 ? responses.default : undefined);
	if (!documented)
		return [
			{
				endpoint,
				rule: 'response:status',
				detail: `status ${response.status} is not documented for ${endpoint}`,
				subject: response.status,
			},
		];
	const content = (resolve(documented).content ?? {}) as Record<string, Json>;
	if (response.body === undefined || Object.keys(content).length === 0) return [];
	const type = mediaType(response.contentType);
	const violations: Violation[] = [];
	if (!content[type])
		violations.push({
			endpoint,
			rule: 'response:content-type',
			detail: `answer Content-Type "${type}" is not documented`,
		});
	const errors: Array<[string, string, unknown, unknown]> = [];
	validate(
		(content[type] ?? Object.values(content)[0]).schema,
		response.body,
		'response',
		undefined,
		errors,
	);
	for (const [pointer, detail, subject, parent] of errors)
		violations.push({
			endpoint,
			rule: pointer,
			detail: `${response.status} ${pointer}: ${detail}`,
			subject,
			parent,
		});
	return violations;
}
