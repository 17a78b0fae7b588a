import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	DEFAULT_MAX_ACCESS_REMOVALS,
	DEFAULT_MAX_ACCESS_REMOVALS_PERCENT,
	DEFAULT_MAX_ACCESS_REMOVALS_PERCENT_FLOOR,
} from '../../sync/guard';
import type { DesiredPerson, ManagedFields, SyncOptions } from '../../sync/types';
import { memberList } from '../group/members';
import { readUserFields } from '../user/fields';
import { fieldError, requireEmail } from '../validation';

/**
 * `={{ $json.a.b }}`, the expression n8n's editor writes when a field is dragged in, is the item's
 * own value. A sync reads five or so per person: through n8n's expression engine that is ~0.25 ms
 * each, seconds for 10,000 people, so this form is read straight from the item. Anything else
 * (any other expression, defaults) goes through getNodeParameter.
 */
const JSON_PATH = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*)+)\s*\}\}$/;

/** getNode() copies the node on every call: one copy of its parameters per execution. */
const rawParameters = new WeakMap<IExecuteFunctions, IDataObject>();
function rawOf(ctx: IExecuteFunctions): IDataObject {
	let parameters = rawParameters.get(ctx);
	if (!parameters) {
		parameters = ctx.getNode().parameters as IDataObject;
		rawParameters.set(ctx, parameters);
	}
	return parameters;
}

export function itemParameter(
	ctx: IExecuteFunctions,
	path: string,
	itemIndex: number,
	fallback: unknown = '',
): unknown {
	const raw = path
		.split('.')
		.reduce<unknown>((value, key) => (value as IDataObject)?.[key], rawOf(ctx));
	if (typeof raw === 'string') {
		if (!raw.startsWith('=')) return raw;
		const match = JSON_PATH.exec(raw);
		if (match) {
			const json: unknown = ctx.getInputData()[itemIndex]?.json;
			return match[1]
				.slice(1)
				.split('.')
				.reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], json);
		}
	}
	return ctx.getNodeParameter(path, itemIndex, fallback);
}

/** A collection parameter, each of its fields read as `itemParameter` does. */
function itemCollection(ctx: IExecuteFunctions, name: string, itemIndex: number): IDataObject {
	const raw = rawOf(ctx)[name];
	if (!raw || typeof raw !== 'object') return {};
	const values: IDataObject = {};
	for (const key of Object.keys(raw)) {
		values[key] = itemParameter(ctx, `${name}.${key}`, itemIndex) as IDataObject[string];
	}
	return values;
}

export function listParameter(ctx: IExecuteFunctions, name: string, itemIndex = 0): string[] {
	return memberList(itemParameter(ctx, name, itemIndex, ''));
}

function readActive(ctx: IExecuteFunctions, itemIndex: number, value: unknown) {
	if (value === undefined || value === '' || value === null) return undefined;
	if (typeof value === 'boolean') return value;
	const text = String(value).trim().toLowerCase();
	if (text === 'true') return true;
	if (text === 'false') return false;
	throw fieldError(
		ctx,
		itemIndex,
		'Mapped Fields > Active',
		`"${String(value)}" is not true or false`,
		'Map a boolean, e.g. {{ $json.status === "active" }}.',
	);
}

function readNames(ctx: IExecuteFunctions, itemIndex: number): ManagedFields {
	const text = (name: string) => String(itemParameter(ctx, name, itemIndex) ?? '').trim();
	const givenName = text('givenName');
	const familyName = text('familyName');
	if ((givenName === '') !== (familyName === '')) {
		throw fieldError(
			ctx,
			itemIndex,
			givenName === '' ? 'First Name' : 'Last Name',
			'is empty while the other name is given',
			'Miro needs first and last name together: map both, or neither to leave names alone.',
		);
	}
	return givenName === '' ? {} : { givenName, familyName };
}

/** One input item as a person, or the error naming its field. */
export function readPerson(
	ctx: IExecuteFunctions,
	itemIndex: number,
	manageGroups: boolean,
): DesiredPerson {
	const email = requireEmail(ctx, itemIndex, 'Email', itemParameter(ctx, 'email', itemIndex));
	const raw = itemCollection(ctx, 'fields', itemIndex);
	const { active, ...rest } = raw;
	const read = readUserFields(ctx, itemIndex, rest, 'Mapped Fields');
	const fields: ManagedFields = { ...readNames(ctx, itemIndex) };
	for (const [key, value] of Object.entries(read)) {
		if (key !== 'userName' && key !== 'preferredLanguage') {
			(fields as IDataObject)[key] = value;
		}
	}
	const activeValue = readActive(ctx, itemIndex, active);
	if (activeValue !== undefined) fields.active = activeValue;
	const groups = manageGroups ? listParameter(ctx, 'groups', itemIndex) : undefined;
	return { itemIndex, email, fields, groups };
}

/** What an unreadable item still says about who it is: such users are never leavers. */
export function keysOf(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const keys: string[] = [];
	try {
		const email = ctx.getNodeParameter('email', itemIndex, '');
		if (typeof email === 'string' && email.trim() !== '') keys.push(email.trim());
		const fields = ctx.getNodeParameter('fields', itemIndex, {}) as IDataObject;
		if (fields.employeeNumber) keys.push(String(fields.employeeNumber).trim());
	} catch {
		// An expression that fails to resolve names nobody.
	}
	return keys;
}

/** The node-level settings of a reconcile (read from the first item; they are not per person). */
export function readSyncOptions(ctx: IExecuteFunctions, protectedKeys: string[]): SyncOptions {
	const get = <T>(name: string, fallback: T) => ctx.getNodeParameter(name, 0, fallback) as T;
	return {
		matchBy: get('matchBy', 'email'),
		scope: get('scope', 'input'),
		domains: listParameter(ctx, 'domains').map((domain) => domain.replace(/^@/, '').toLowerCase()),
		exclude: listParameter(ctx, 'exclude'),
		leavers: get('leavers', 'deactivate'),
		includeAdmins: get('includeAdmins', false),
		managedGroups: get('managedGroups', 'input'),
		groupPrefix: get('groupPrefix', ''),
		groupList: listParameter(ctx, 'groupList'),
		maxAccessRemovals: get('maxAccessRemovals', DEFAULT_MAX_ACCESS_REMOVALS),
		maxAccessRemovalsPercent: get('maxAccessRemovalsPercent', DEFAULT_MAX_ACCESS_REMOVALS_PERCENT),
		maxAccessRemovalsPercentFloor: get(
			'maxAccessRemovalsPercentFloor',
			DEFAULT_MAX_ACCESS_REMOVALS_PERCENT_FLOOR,
		),
		allowEmptyInput: get('allowEmptyInput', false),
		protectedKeys,
	};
}
