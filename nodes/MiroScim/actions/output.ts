import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from './validation';

/**
 * The operations whose records have a Simplify switch. With Simplify off, Output chooses between
 * the SCIM resource as Miro sent it (Raw, what Simplify off always returned) and only some of
 * its fields (Selected Fields), so that an agent's tool is not handed a whole SCIM resource.
 * Simplify on is the Simplified output and stays the default; nothing changes for saved workflows.
 */
const SHAPED_OPERATIONS = [
	'create',
	'deactivate',
	'find',
	'get',
	'getAll',
	'reactivate',
	'rename',
	'update',
	'updateRole',
];

export const OUTPUT_RAW = 'raw';
const OUTPUT_SELECTED = 'selectedFields';

export const outputFields: INodeProperties[] = [
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: OUTPUT_RAW,
		noDataExpression: true,
		displayOptions: {
			show: { resource: ['user', 'group'], operation: SHAPED_OPERATIONS, simplify: [false] },
		},
		options: [
			{
				name: 'Raw',
				value: OUTPUT_RAW,
				description: 'The whole SCIM resource, as Miro sent it',
			},
			{
				name: 'Selected Fields',
				value: OUTPUT_SELECTED,
				description: 'Only the SCIM attributes listed in Fields',
			},
		],
	},
	{
		displayName: 'Fields',
		name: 'outputFields',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. userName, active, name.givenName',
		displayOptions: {
			show: {
				resource: ['user', 'group'],
				operation: SHAPED_OPERATIONS,
				simplify: [false],
				output: [OUTPUT_SELECTED],
			},
		},
		description:
			'SCIM attributes to return, separated by commas; a dot reaches into an object (name.givenName). Attributes Miro did not send are left out.',
	},
];

/** `name.givenName` -> ['name', 'givenName'], matching whole keys first: SCIM's extension URNs contain dots. */
function pathIn(record: IDataObject, path: string): string[] {
	const key = Object.keys(record)
		.filter((candidate) => path === candidate || path.startsWith(`${candidate}.`))
		.sort((a, b) => b.length - a.length)[0];
	if (key === undefined) return [];
	const rest = path.slice(key.length + 1);
	const value = record[key];
	if (rest === '') return [key];
	if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
	const inner = pathIn(value as IDataObject, rest);
	return inner.length > 0 ? [key, ...inner] : [];
}

/** The record cut down to `paths`, nesting kept; a path the record lacks is left out. */
export function selectFields(record: IDataObject, paths: string[]): IDataObject {
	const selected: IDataObject = {};
	for (const path of paths) {
		const keys = pathIn(record, path);
		if (keys.length === 0) continue;
		let from = record;
		let to = selected;
		for (const key of keys.slice(0, -1)) {
			from = from[key] as IDataObject;
			to = (to[key] ??= {}) as IDataObject;
		}
		const last = keys[keys.length - 1];
		to[last] = from[last];
	}
	return selected;
}

/** The Fields list of an item when it chose Selected Fields, else undefined (records as they are). */
export function selectedFieldsOf(ctx: IExecuteFunctions, itemIndex: number): string[] | undefined {
	if (ctx.getNodeParameter('simplify', itemIndex, true) !== false) return undefined;
	if (ctx.getNodeParameter('output', itemIndex, OUTPUT_RAW) !== OUTPUT_SELECTED) return undefined;
	const raw = ctx.getNodeParameter('outputFields', itemIndex, '');
	const paths = String(raw ?? '')
		.split(',')
		.map((path) => path.trim())
		.filter((path) => path !== '');
	if (paths.length === 0) {
		throw fieldError(
			ctx,
			itemIndex,
			'Fields',
			'is empty',
			'List the SCIM attributes to return, e.g. "id, userName, active", or choose Output: Raw.',
		);
	}
	return paths;
}

/**
 * What each item's records become. Fields is read and checked for every item before the
 * operation sends anything: a setup mistake fails the node before Miro hears of it.
 */
export function outputShaper(
	ctx: IExecuteFunctions,
	itemCount: number,
): (itemIndex: number, record: IDataObject) => IDataObject {
	const selections = Array.from({ length: itemCount }, (_, itemIndex) =>
		selectedFieldsOf(ctx, itemIndex),
	);
	return (itemIndex, record) => {
		const paths = selections[itemIndex];
		return paths ? selectFields(record, paths) : record;
	};
}
