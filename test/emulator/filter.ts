/* eslint-disable @n8n/community-nodes/require-node-api-error -- n8n's community-node rules guard shipped node code; this dev/test tool is never shipped */
/**
 * SCIM filter and attribute-path grammar (RFC 7644 section 3.4.2.2 and the PATCH `path` of
 * section 3.5.2), parsed into a small tree and evaluated against any resource through a resolver.
 */

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

const COMPARE_OPS: readonly string[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

/** `urn:...:User:manager.value` is { uri: 'urn:...:User', attr: 'manager', sub: 'value' }. */
export interface AttrPath {
	uri?: string;
	attr: string;
	sub?: string;
}

export type Literal =
	| { kind: 'string'; value: string }
	| { kind: 'number'; value: number; raw: string }
	| { kind: 'boolean'; value: boolean }
	| { kind: 'null' };

export type FilterNode =
	| { type: 'compare'; path: AttrPath; op: CompareOp; value: Literal }
	| { type: 'present'; path: AttrPath }
	| { type: 'and' | 'or'; left: FilterNode; right: FilterNode }
	| { type: 'not'; expr: FilterNode }
	| { type: 'valuePath'; path: AttrPath; filter: FilterNode };

/** A PATCH target: `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub`. */
export interface PatchPath {
	path: AttrPath;
	filter?: FilterNode;
	/** sub-attribute after a `[filter]`, e.g. `value` in `roles[primary eq true].value` */
	valueSub?: string;
}

export class FilterError extends Error {}

type Token =
	| { kind: 'open' | 'close' | 'openBracket' | 'closeBracket'; at: number }
	| { kind: 'string'; value: string; at: number }
	| { kind: 'word'; value: string; at: number };

const ATTR_NAME = /^[A-Za-z$][\w$-]*$/;

export function parseAttrPath(text: string): AttrPath {
	let uri: string | undefined;
	let rest = text;
	// Schema URNs contain dots and colons (`...:enterprise:2.0:User`): the attribute follows the
	// last colon (RFC 7644 section 3.10).
	if (/^urn:/i.test(text)) {
		const lastColon = text.lastIndexOf(':');
		uri = text.slice(0, lastColon);
		rest = text.slice(lastColon + 1);
	}
	const parts = rest.split('.');
	if (parts.length > 2 || !parts.every((part) => ATTR_NAME.test(part))) {
		throw new FilterError(`Invalid attribute path "${text}"`);
	}
	const path: AttrPath = { attr: parts[0] };
	if (uri !== undefined) path.uri = uri;
	if (parts[1] !== undefined) path.sub = parts[1];
	return path;
}

export function formatAttrPath(path: AttrPath): string {
	return `${path.uri ? `${path.uri}:` : ''}${path.attr}${path.sub ? `.${path.sub}` : ''}`;
}

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < text.length) {
		const c = text[i];
		if (/\s/.test(c)) {
			i++;
		} else if (c === '(' || c === ')' || c === '[' || c === ']') {
			const kind = { '(': 'open', ')': 'close', '[': 'openBracket', ']': 'closeBracket' } as const;
			tokens.push({ kind: kind[c], at: i });
			i++;
		} else if (c === '"') {
			let j = i + 1;
			while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
			if (j >= text.length) throw new FilterError(`Unterminated string at ${i}`);
			let value: string;
			try {
				// A filter value is a JSON string (RFC 7644 section 3.4.2.2), escapes included.
				value = JSON.parse(text.slice(i, j + 1)) as string;
			} catch {
				throw new FilterError(`Invalid string literal at ${i}`);
			}
			tokens.push({ kind: 'string', value, at: i });
			i = j + 1;
		} else {
			let j = i;
			while (j < text.length && !/[\s()[\]"]/.test(text[j])) j++;
			tokens.push({ kind: 'word', value: text.slice(i, j), at: i });
			i = j;
		}
	}
	return tokens;
}

class Parser {
	private index = 0;

	constructor(
		private readonly tokens: Token[],
		private readonly text: string,
	) {}

	parse(): FilterNode {
		if (this.tokens.length === 0) throw new FilterError('Empty filter');
		const node = this.parseOr();
		if (this.index < this.tokens.length) this.fail('Unexpected');
		return node;
	}

	private peek(): Token | undefined {
		return this.tokens[this.index];
	}

	private isWord(token: Token | undefined, word: string): boolean {
		return token?.kind === 'word' && token.value.toLowerCase() === word;
	}

	private fail(what: string): never {
		const token = this.peek();
		const where = token ? `at position ${token.at}` : 'at end';
		throw new FilterError(`${what} ${where} in filter ${JSON.stringify(this.text)}`);
	}

	private expect(kind: Token['kind']): void {
		if (this.peek()?.kind !== kind) this.fail(`Expected ${kind}`);
		this.index++;
	}

	parseOr(): FilterNode {
		let left = this.parseAnd();
		while (this.isWord(this.peek(), 'or')) {
			this.index++;
			left = { type: 'or', left, right: this.parseAnd() };
		}
		return left;
	}

	private parseAnd(): FilterNode {
		let left = this.parseUnary();
		while (this.isWord(this.peek(), 'and')) {
			this.index++;
			left = { type: 'and', left, right: this.parseUnary() };
		}
		return left;
	}

	private parseUnary(): FilterNode {
		const token = this.peek();
		if (token?.kind === 'open') {
			this.index++;
			const inner = this.parseOr();
			this.expect('close');
			return inner;
		}
		// RFC 7644 grammar: "not" "(" valFilter ")"; a bare `not attr eq x` is malformed.
		if (this.isWord(token, 'not') && this.tokens[this.index + 1]?.kind === 'open') {
			this.index += 2;
			const expr = this.parseOr();
			this.expect('close');
			return { type: 'not', expr };
		}
		if (token?.kind !== 'word') this.fail('Expected an attribute');
		this.index++;
		let path: AttrPath;
		try {
			path = parseAttrPath(token.value);
		} catch (error) {
			throw new FilterError(`${(error as Error).message} in filter ${JSON.stringify(this.text)}`);
		}
		if (this.peek()?.kind === 'openBracket') {
			this.index++;
			const filter = this.parseOr();
			this.expect('closeBracket');
			return { type: 'valuePath', path, filter };
		}
		const opToken = this.peek();
		if (opToken?.kind !== 'word') this.fail('Expected an operator');
		const op = opToken.value.toLowerCase();
		this.index++;
		if (op === 'pr') return { type: 'present', path };
		if (!COMPARE_OPS.includes(op)) {
			this.index--;
			this.fail(`Unknown operator "${opToken.value}"`);
		}
		const value = this.parseLiteral();
		if (value.kind === 'boolean' && op !== 'eq' && op !== 'ne') {
			this.fail(`Operator "${op}" cannot compare a boolean`);
		}
		if (value.kind === 'null' && op !== 'eq' && op !== 'ne') {
			this.fail(`Operator "${op}" cannot compare null`);
		}
		return { type: 'compare', path, op: op as CompareOp, value };
	}

	private parseLiteral(): Literal {
		const token = this.peek();
		if (token?.kind === 'string') {
			this.index++;
			return { kind: 'string', value: token.value };
		}
		if (token?.kind !== 'word') this.fail('Expected a value');
		const lower = token.value.toLowerCase();
		let literal: Literal | undefined;
		if (lower === 'true' || lower === 'false')
			literal = { kind: 'boolean', value: lower === 'true' };
		else if (lower === 'null') literal = { kind: 'null' };
		else if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(token.value)) {
			// Keep the raw digits: Miro ids exceed 2^53 and some clients send them unquoted.
			literal = { kind: 'number', value: Number(token.value), raw: token.value };
		}
		if (!literal) this.fail(`Invalid value "${token.value}" (strings must be quoted)`);
		this.index++;
		return literal;
	}
}

export function parseFilter(text: string): FilterNode {
	return new Parser(tokenize(text), text).parse();
}

/** Parses a PATCH `path` (RFC 7644 section 3.5.2: attrPath / valuePath [subAttr]). */
export function parsePatchPath(text: string): PatchPath {
	const open = text.indexOf('[');
	if (open === -1) return { path: parseAttrPath(text.trim()) };
	let close = -1;
	let inString = false;
	for (let i = open + 1; i < text.length; i++) {
		if (inString) {
			if (text[i] === '\\') i++;
			else if (text[i] === '"') inString = false;
		} else if (text[i] === '"') inString = true;
		else if (text[i] === ']') {
			close = i;
			break;
		}
	}
	if (close === -1) throw new FilterError(`Unclosed "[" in path "${text}"`);
	const path = parseAttrPath(text.slice(0, open).trim());
	if (path.sub) throw new FilterError(`Invalid path "${text}"`);
	const filter = parseFilter(text.slice(open + 1, close));
	const after = text.slice(close + 1).trim();
	if (after === '') return { path, filter };
	if (!/^\.[A-Za-z$][\w$-]*$/.test(after)) throw new FilterError(`Invalid path "${text}"`);
	return { path, filter, valueSub: after.slice(1) };
}

/** Every attribute a filter names, so callers can reject the ones a resource type does not allow. */
export function filterAttributes(
	node: FilterNode,
): Array<{ path: AttrPath; inValuePath: boolean }> {
	switch (node.type) {
		case 'compare':
		case 'present':
			return [{ path: node.path, inValuePath: false }];
		case 'and':
		case 'or':
			return [...filterAttributes(node.left), ...filterAttributes(node.right)];
		case 'not':
			return filterAttributes(node.expr);
		case 'valuePath':
			return [
				{ path: node.path, inValuePath: true },
				...filterAttributes(node.filter).map((inner) => ({
					path: { ...node.path, sub: inner.path.attr },
					inValuePath: true,
				})),
			];
	}
}

/** Returns the attribute's value: a scalar, an object, an array, or undefined when absent. */
export type Resolver<T> = (resource: T, path: AttrPath) => unknown;

export interface EvaluateOptions {
	/** RFC 7643 `caseExact`: most Miro strings (userName, emails, displayName) are not. */
	caseExact?: (path: AttrPath) => boolean;
}

function lookup(object: unknown, key: string): unknown {
	if (typeof object !== 'object' || object === null) return undefined;
	const record = object as Record<string, unknown>;
	if (key in record) return record[key];
	const lower = key.toLowerCase();
	for (const k of Object.keys(record)) if (k.toLowerCase() === lower) return record[k];
	return undefined;
}

/** Plain-object resolver: case-insensitive keys, schema URN as a nested object. */
export function resolvePlain(resource: unknown, path: AttrPath): unknown {
	let container: unknown = resource;
	if (path.uri && !/^urn:ietf:params:scim:schemas:core:2\.0:/i.test(path.uri)) {
		container = lookup(resource, path.uri);
	}
	const top = lookup(container, path.attr);
	if (!path.sub) return top;
	if (Array.isArray(top)) return top.map((element) => lookup(element, path.sub as string));
	return lookup(top, path.sub);
}

function isPresent(value: unknown): boolean {
	if (value === undefined || value === null || value === '') return false;
	if (Array.isArray(value)) return value.some(isPresent);
	return true;
}

function candidates(value: unknown): unknown[] {
	const list = Array.isArray(value) ? value : [value];
	// A complex multi-valued attribute compared without a sub-attribute uses its `value`
	// (RFC 7644 section 3.4.2.2: "emails co ..." means emails.value).
	return list.map((element) =>
		typeof element === 'object' && element !== null ? lookup(element, 'value') : element,
	);
}

function compareOne(actual: unknown, op: CompareOp, literal: Literal, caseExact: boolean): boolean {
	if (actual === undefined || actual === null) {
		if (literal.kind === 'null') return op === 'eq';
		return false;
	}
	if (literal.kind === 'null') return op === 'ne';
	// Entra ID writes `roles[primary eq "True"].value`: a quoted boolean against a boolean.
	if (
		typeof actual === 'boolean' &&
		literal.kind === 'string' &&
		/^(true|false)$/i.test(literal.value)
	) {
		const expected = literal.value.toLowerCase() === 'true';
		return op === 'eq' ? actual === expected : op === 'ne' ? actual !== expected : false;
	}
	if (literal.kind === 'boolean') {
		if (typeof actual !== 'boolean') return false;
		return op === 'eq' ? actual === literal.value : actual !== literal.value;
	}
	if (literal.kind === 'number' && typeof actual === 'number') {
		return compareOrdered(actual, literal.value, op);
	}
	if (typeof actual !== 'string') return false;
	// An unquoted number compared with a string attribute (an id) compares as its digits.
	const expected = literal.kind === 'number' ? literal.raw : literal.value;
	const a = caseExact ? actual : actual.toLowerCase();
	const b = caseExact ? expected : expected.toLowerCase();
	switch (op) {
		case 'co':
			return a.includes(b);
		case 'sw':
			return a.startsWith(b);
		case 'ew':
			return a.endsWith(b);
		default:
			return compareOrdered(a, b, op);
	}
}

function compareOrdered<V extends string | number>(a: V, b: V, op: CompareOp): boolean {
	switch (op) {
		case 'eq':
			return a === b;
		case 'ne':
			return a !== b;
		case 'gt':
			return a > b;
		case 'ge':
			return a >= b;
		case 'lt':
			return a < b;
		case 'le':
			return a <= b;
		default:
			return false;
	}
}

export function evaluate<T>(
	node: FilterNode,
	resource: T,
	resolve: Resolver<T>,
	options: EvaluateOptions = {},
): boolean {
	const caseExact = options.caseExact ?? (() => false);
	switch (node.type) {
		case 'and':
			return (
				evaluate(node.left, resource, resolve, options) &&
				evaluate(node.right, resource, resolve, options)
			);
		case 'or':
			return (
				evaluate(node.left, resource, resolve, options) ||
				evaluate(node.right, resource, resolve, options)
			);
		case 'not':
			return !evaluate(node.expr, resource, resolve, options);
		case 'present':
			return isPresent(resolve(resource, node.path));
		case 'compare': {
			const values = candidates(resolve(resource, node.path));
			const exact = caseExact(node.path);
			if (node.op === 'ne') {
				// "ne" holds when no value equals, so an absent attribute is "not equal".
				return !values.some((value) => compareOne(value, 'eq', node.value, exact));
			}
			return values.some((value) => compareOne(value, node.op, node.value, exact));
		}
		case 'valuePath': {
			const value = resolve(resource, node.path);
			const elements = Array.isArray(value) ? value : value === undefined ? [] : [value];
			return elements.some((element) => evaluate(node.filter, element, resolvePlain, options));
		}
	}
}
