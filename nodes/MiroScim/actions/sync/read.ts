import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_MAX_ACCESS_REMOVALS, DEFAULT_MAX_ACCESS_REMOVALS_PERCENT } from '../../sync/guard';
import type { DesiredPerson, ManagedFields, SyncOptions } from '../../sync/types';
import { memberList } from '../group/updateMembers.operation';
import { readUserFields } from '../user/fields';
import { fieldError, requireEmail } from '../validation';

export function listParameter(ctx: IExecuteFunctions, name: string, itemIndex = 0): string[] {
	return memberList(ctx.getNodeParameter(name, itemIndex, ''));
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
	const text = (name: string) => String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
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
	const email = requireEmail(ctx, itemIndex, 'Email', ctx.getNodeParameter('email', itemIndex, ''));
	const raw = ctx.getNodeParameter('fields', itemIndex, {}) as IDataObject;
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
		allowEmptyInput: get('allowEmptyInput', false),
		protectedKeys,
	};
}
