#!/usr/bin/env node
// @ts-check
// Compares our written contract (miro-scim.openapi.json) with a newer copy of Miro's OpenAPI
// description and prints what differs, so that a maintainer re-reads those parts of Miro's
// description and updates the contract in our own words:
//
//   node test/contract/compare.mjs path/to/miroapp-api-clients/packages/generator/spec.json
//
// Nothing of Miro's file is copied or written. Compared: SCIM operations (path + method), the
// query parameters each documents, the PatchOp `op` values, the group PATCH `path` values, the
// required fields and property names of request bodies, and the property names of the User,
// Group and ListResponse answers. Differences our contract makes on purpose (its `x-reading`
// notes) are listed as known and do not fail. Exit code: 0 nothing new, 1 differences, 2 usage.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCIM =
	/^(?:\/api\/v1\/scim)?(\/(?:Users|Groups|ServiceProviderConfig|ResourceTypes|Schemas)(?:\/\{[^}]+\})?)$/;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Differences our contract makes on purpose, each explained by an x-reading in it. */
const KNOWN = new Map([
	[
		'PATCH /Users/{id} body Operations.items required: ["op","path","value"] upstream, ["op","path"] ours',
		"a Remove carries no value in Miro's own example",
	],
	[
		'PATCH /Groups/{id} body Operations.items.path: enum ["members","displayName"] upstream, a pattern ours',
		"Miro's example removes a member with members[value eq <id>]",
	],
	[
		'PUT /Users/{id} body required: [] upstream, ["userName"] ours',
		'RFC 7643 section 4.1: a replaced user keeps its userName',
	],
	[
		'PUT /Users/{id} body properties new upstream: emails, groups, id, meta',
		'read-only attributes; we hold PUT bodies to the create shape',
	],
]);

/**
 * @param {string} file
 * @returns {any} an OpenAPI document
 */
function load(file) {
	return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * @param {any} doc  an OpenAPI document
 * @returns {(node: any) => any} follows $ref (20 hops at most); {} for nothing
 */
function resolver(doc) {
	/** @param {any} node */
	const resolve = (node) => {
		let current = node;
		for (let hops = 0; current && typeof current.$ref === 'string' && hops < 20; hops++) {
			const parts = current.$ref.replace(/^#\//, '').split('/');
			current = parts.reduce(
				(/** @type {any} */ at, /** @type {string} */ key) =>
					at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
				doc,
			);
		}
		return current ?? {};
	};
	return resolve;
}

/**
 * @typedef {NonNullable<ReturnType<typeof describeSchema>>} SchemaFacts
 * @typedef {{ query: string[], body: SchemaFacts | undefined, ok: (SchemaFacts & { status: string }) | undefined }} OperationFacts
 */

/**
 * The facts we compare, per operation, read from an OpenAPI document of either shape.
 * @param {any} doc
 * @returns {Map<string, OperationFacts>}
 */
function facts(doc) {
	const resolve = resolver(doc);
	const out = new Map();
	for (const [rawPath, item] of Object.entries(doc.paths ?? {})) {
		const match = SCIM.exec(rawPath);
		if (!match) continue;
		const route = match[1].replace(/\{[^}]+\}/, (name) =>
			name === '{resource}' || name === '{uri}' ? name : '{id}',
		);
		for (const method of METHODS) {
			const operation = item[method];
			if (!operation) continue;
			const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(resolve);
			const body = resolve(
				resolve(operation.requestBody)?.content?.['application/scim+json']?.schema ??
					Object.values(resolve(operation.requestBody)?.content ?? {})[0]?.schema,
			);
			const okStatus = Object.keys(operation.responses ?? {}).find((status) => /^2/.test(status));
			const ok = resolve(
				resolve(operation.responses?.[okStatus ?? ''])?.content?.['application/scim+json']
					?.schema ??
					Object.values(resolve(operation.responses?.[okStatus ?? ''])?.content ?? {})[0]?.schema,
			);
			out.set(`${method.toUpperCase()} ${route}`, {
				query: parameters
					.filter((/** @type {any} */ p) => p.in === 'query')
					.map((/** @type {any} */ p) => p.name)
					.sort(),
				body: describeSchema(body, resolve),
				ok:
					okStatus && describeSchema(ok, resolve)
						? { status: okStatus, ...describeSchema(ok, resolve) }
						: undefined,
			});
		}
	}
	return out;
}

/**
 * @param {any} schema
 * @param {(node: any) => any} resolve
 */
function describeSchema(schema, resolve) {
	if (!schema || Object.keys(schema).length === 0) return undefined;
	const properties = schema.properties ?? {};
	const operations = resolve(resolve(properties.Operations)?.items);
	const resources = resolve(resolve(properties.Resources)?.items);
	return {
		required: [...(schema.required ?? [])].sort(),
		properties: Object.keys(properties).sort(),
		...(operations && Object.keys(operations).length > 0
			? {
					opEnum: resolve(operations.properties?.op)?.enum ?? null,
					pathEnum: resolve(operations.properties?.path)?.enum ?? null,
					opRequired: [...(operations.required ?? [])].sort(),
				}
			: {}),
		...(resources && Object.keys(resources).length > 0
			? { resourceProperties: Object.keys(resources.properties ?? {}).sort() }
			: {}),
	};
}

/** @param {unknown} value */
const show = (value) => JSON.stringify(value);

/**
 * @param {Map<string, OperationFacts>} ours
 * @param {Map<string, OperationFacts>} theirs
 */
export function compare(ours, theirs) {
	/** @type {Array<{ text: string, known: string | undefined }>} */
	const differences = [];
	/** @param {string} text */
	const note = (text) => differences.push({ text, known: KNOWN.get(text) });
	for (const key of theirs.keys())
		if (!ours.has(key)) note(`${key}: described upstream, not in our contract`);
	for (const [key, mine] of ours) {
		const other = theirs.get(key);
		if (!other) {
			note(`${key}: in our contract, no longer described upstream`);
			continue;
		}
		if (show(mine.query) !== show(other.query))
			note(`${key} query parameters: ${show(other.query)} upstream, ${show(mine.query)} ours`);
		compareSchema(`${key} body`, mine.body, other.body, note);
		if (mine.ok && other.ok)
			compareSchema(`${key} ${other.ok.status}`, mine.ok, other.ok, note, true);
	}
	return differences;
}

/**
 * @param {string} label
 * @param {SchemaFacts | undefined} mine
 * @param {SchemaFacts | undefined} other
 * @param {(text: string) => void} note
 * @param {boolean} [answer]
 */
function compareSchema(label, mine, other, note, answer = false) {
	if (!mine && !other) return;
	if (!mine || !other) return note(`${label}: ${other ? 'described upstream' : 'gone upstream'}`);
	// An answer we do not check field by field (discovery endpoints): nothing to compare.
	if (answer && mine.properties.length === 0) return;
	// Answers: Miro's schemas require nothing; ours require what RFC 7643 does (x-reading).
	const rfcRequired = answer && other.required.length === 0;
	if (!rfcRequired && show(mine.required) !== show(other.required))
		note(`${label} required: ${show(other.required)} upstream, ${show(mine.required)} ours`);
	const added = other.properties.filter((name) => !mine.properties.includes(name));
	const gone = mine.properties.filter((name) => !other.properties.includes(name));
	if (added.length) note(`${label} properties new upstream: ${added.join(', ')}`);
	if (gone.length && !answer) note(`${label} properties gone upstream: ${gone.join(', ')}`);
	if ('opEnum' in other || 'opEnum' in mine) {
		if (show(other.opEnum) !== show(mine.opEnum))
			note(
				`${label} Operations.items.op: enum ${show(other.opEnum)} upstream, ${show(mine.opEnum)} ours`,
			);
		if (show(other.pathEnum) !== show(mine.pathEnum))
			note(
				`${label} Operations.items.path: enum ${show(other.pathEnum)} upstream, ${mine.pathEnum ? show(mine.pathEnum) : 'a pattern'} ours`,
			);
		if (show(other.opRequired) !== show(mine.opRequired))
			note(
				`${label} Operations.items required: ${show(other.opRequired)} upstream, ${show(mine.opRequired)} ours`,
			);
	}
	const ourResourceProperties = mine.resourceProperties;
	if (other.resourceProperties && ourResourceProperties) {
		const newer = other.resourceProperties.filter((name) => !ourResourceProperties.includes(name));
		if (newer.length) note(`${label} Resources properties new upstream: ${newer.join(', ')}`);
	}
}

/** @param {string[]} argv */
function main(argv) {
	const [specFile, contractFile = path.join(HERE, 'miro-scim.openapi.json')] = argv;
	if (!specFile) {
		console.error('usage: node test/contract/compare.mjs <Miro spec.json> [our contract]');
		return 2;
	}
	const differences = compare(facts(load(contractFile)), facts(load(specFile)));
	const fresh = differences.filter((d) => !d.known);
	for (const d of differences)
		console.log(`${d.known ? 'known' : 'NEW  '} ${d.text}${d.known ? ` (${d.known})` : ''}`);
	console.log(
		`${fresh.length} new difference(s), ${differences.length - fresh.length} known (see x-reading in the contract)`,
	);
	return fresh.length > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	process.exitCode = main(process.argv.slice(2));
}
