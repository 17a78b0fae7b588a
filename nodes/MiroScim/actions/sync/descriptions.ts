import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_MAX_ACCESS_REMOVALS,
	DEFAULT_MAX_ACCESS_REMOVALS_PERCENT,
	DEFAULT_MAX_ACCESS_REMOVALS_PERCENT_FLOOR,
} from '../../sync/guard';
import { userFieldOptions } from '../user/fields';

/** Create's fields, less the language (a person's own setting, not the source of truth's). */
const activeOption: INodeProperties = {
	displayName: 'Active',
	name: 'active',
	type: 'boolean',
	default: true,
	description:
		'Whether the person should be active in Miro. Map false for someone on leave: they are deactivated. People in the input are active unless this says otherwise.',
};

const mappedFieldOptions: INodeProperties[] = [
	activeOption,
	...userFieldOptions(false).filter((option) => option.name !== 'preferredLanguage'),
].sort((a, b) => a.displayName.localeCompare(b.displayName));

export const dryRunField: INodeProperties = {
	displayName: 'Dry Run',
	name: 'dryRun',
	type: 'boolean',
	default: true,
	description:
		'Whether to only return the plan and change nothing. On by default, so that an imported workflow never writes until you turn it off.',
};

export const maxRemovalsField: INodeProperties = {
	displayName: 'Max Access Removals',
	name: 'maxAccessRemovals',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_MAX_ACCESS_REMOVALS,
	description:
		'Safety guard: the run fails before any write when more changes than this would remove access (deactivations, deletions, group removals)',
};

export const maxRemovalsPercentField: INodeProperties = {
	displayName: 'Max Access Removals (%)',
	name: 'maxAccessRemovalsPercent',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 100 },
	default: DEFAULT_MAX_ACCESS_REMOVALS_PERCENT,
	description:
		'Safety guard as a share of the users in scope (never below Max Access Removals (%) Floor); 100 turns this check off',
};

export const maxRemovalsPercentFloorField: INodeProperties = {
	displayName: 'Max Access Removals (%) Floor',
	name: 'maxAccessRemovalsPercentFloor',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_MAX_ACCESS_REMOVALS_PERCENT_FLOOR,
	description:
		'The percentage limit always allows this many access removals, so that one leaver among a few people does not stop the run (10% of 3 rounds down to 0). Max Access Removals still applies.',
};

export const reconcileProperties: INodeProperties[] = [
	dryRunField,
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.email }}',
		description: "Each person's email (Miro's userName), mapped from the input items",
	},
	{
		displayName: 'First Name',
		name: 'givenName',
		type: 'string',
		default: '',
		description: 'Leave empty to not manage names. First and last name go together.',
	},
	{
		displayName: 'Last Name',
		name: 'familyName',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Groups',
		name: 'groups',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.groups }}',
		description:
			'The group names or IDs the person should be in: a list, or separated by commas or new lines. Leave empty to not manage group membership. Groups must exist in Miro (where SCIM groups are Miro teams, these are team names).',
	},
	{
		displayName: 'Mapped Fields',
		name: 'fields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'Fields to keep in step with the input. A field that is not added here is never changed.',
		options: mappedFieldOptions,
	},
	{
		displayName: 'Match By',
		name: 'matchBy',
		type: 'options',
		default: 'email',
		options: [
			{ name: 'Email', value: 'email', description: 'Case-insensitive, as Miro compares userName' },
			{
				name: 'Employee Number',
				value: 'employeeNumber',
				description:
					'The enterprise attribute: an email change in the source becomes an email update in Miro. Map Employee Number under Mapped Fields.',
			},
		],
	},
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		default: 'input',
		description:
			'Which Miro users the sync may change or take access from; others are never touched',
		options: [
			{
				name: 'Email Domains',
				value: 'domains',
				description: 'Users whose email domain is in the list; those not in the input are leavers',
			},
			{
				name: 'Members of Managed Groups',
				value: 'groups',
				description: 'Members of the managed groups; those not in the input are leavers',
			},
			{
				name: 'Only People in the Input',
				value: 'input',
				description: 'Creates and updates, never takes anyone out',
			},
		],
	},
	{
		displayName: 'Email Domains',
		name: 'domains',
		type: 'string',
		default: '',
		placeholder: 'e.g. example.com, example.org',
		displayOptions: { show: { scope: ['domains'] } },
	},
	{
		displayName: 'Leavers',
		name: 'leavers',
		type: 'options',
		default: 'deactivate',
		description: 'What happens to users in scope who are not in the input',
		displayOptions: { hide: { scope: ['input'] } },
		options: [
			{
				name: 'Deactivate',
				value: 'deactivate',
				description:
					'Frees the paid license, keeps their boards in place and their group memberships; reactivating restores access (as identity providers do)',
			},
			{
				name: 'Delete',
				value: 'delete',
				description:
					"Removes them from the organization for good: Miro moves their boards to the organization's oldest team admin",
			},
			{ name: 'Report Only', value: 'report', description: 'Lists them and changes nothing' },
		],
	},
	{
		displayName: 'Managed Groups',
		name: 'managedGroups',
		type: 'options',
		default: 'input',
		description:
			"Groups whose members the sync adds and removes; other groups are never changed. Where SCIM groups are Miro teams, leaving a team moves the person's boards in it.",
		options: [
			{ name: 'Named in the Input', value: 'input' },
			{ name: 'Name Starts With', value: 'prefix' },
			{ name: 'List', value: 'list' },
		],
	},
	{
		displayName: 'Group Name Prefix',
		name: 'groupPrefix',
		type: 'string',
		default: '',
		placeholder: 'e.g. g_app_',
		displayOptions: { show: { managedGroups: ['prefix'] } },
	},
	{
		displayName: 'Group List',
		name: 'groupList',
		type: 'string',
		default: '',
		placeholder: 'e.g. Engineering, 3458764513820540928',
		description: 'Group names or IDs, separated by commas or new lines',
		displayOptions: { show: { managedGroups: ['list'] } },
	},
	{
		displayName: 'Exclude Emails',
		name: 'exclude',
		type: 'string',
		default: '',
		placeholder: 'e.g. break-glass@example.com',
		description:
			'Users the sync never changes, in or out of the input; separated by commas or new lines',
	},
	maxRemovalsField,
	maxRemovalsPercentField,
	maxRemovalsPercentFloorField,
	{
		displayName: 'Include Organization Admins',
		name: 'includeAdmins',
		type: 'boolean',
		default: false,
		description:
			'Whether organization admins may be deactivated or deleted; off, they are only reported',
	},
	{
		displayName: 'Allow Empty Input',
		name: 'allowEmptyInput',
		type: 'boolean',
		default: false,
		description: 'Whether an input with no people may run: then everyone in scope is a leaver',
	},
];
