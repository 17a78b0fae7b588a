import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { MAX_MEMBERS_PER_PATCH, MAX_PATCH_BYTES } from '../scim/group';
import { DEFAULT_CLIENT_SETTINGS } from '../transport';
import { readable } from '../transport/errors';
import { MIRO_RATE_LIMITS } from '../transport/pacing';
import { DEFAULT_CONCURRENCY } from './context';
import { maxUsersPerItemOption, protectAdminsOption } from './guards';
import { EMAIL_PATTERN } from './validation';

// The option defaults, read from the constants the code uses (the linter wants a plain name;
// booleans it wants literal, so a test checks those against DEFAULT_CLIENT_SETTINGS).
const { retry, ...client } = DEFAULT_CLIENT_SETTINGS;
const CONCURRENCY = DEFAULT_CONCURRENCY;
const BACKOFF_MS = retry.baseDelayMs;
const MAX_ATTEMPTS = retry.maxAttempts;
const MAX_WAIT_SECONDS = retry.maxTotalWaitMs / 1000;
const WINDOW_SECONDS = client.windowMs / 1000;
const TIMEOUT_SECONDS = client.timeoutMs / 1000;
const PACING = client.pacing;
/** Get Many's Limit when the builder sets none (the linter wants it literal below; a test checks). */
export const DEFAULT_LIMIT = 50;

export function userLocator(): INodeProperties {
	return {
		displayName: 'User',
		name: 'user',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The Miro user, picked from the list, by Miro user ID, or by email (userName)',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchUsers', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 3074457345618261605',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^[^/?#\\s]+$', errorMessage: 'Not a valid user ID' },
					},
				],
			},
			{
				displayName: 'By Email',
				name: 'email',
				type: 'string',
				placeholder: 'e.g. jane.doe@example.com',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: EMAIL_PATTERN,
							errorMessage: 'Not a valid email',
						},
					},
				],
			},
		],
	};
}

export function groupLocator(): INodeProperties {
	return {
		displayName: 'Group',
		name: 'group',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The Miro user group (a team on organizations on the team model), picked from the list, by ID, or by its exact name',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchGroups', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 3458764513820540928',
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'e.g. Engineering',
			},
		],
	};
}

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return a flat record (ID, email, names, active, role, groups); turn off for the SCIM resource as Miro sent it, whole or only selected fields',
};

/** Request behaviour shared by every operation; read once per execution. */
export const optionsField: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			// Saved before Pacing had three values (false: the simple pacer). Hidden: the editor
			// never offers it, but n8n keeps a saved value, which pacingOf still reads.
			displayName: 'Adapt Pacing to Rate Limits',
			name: 'adaptivePacing',
			type: 'hidden',
			default: true,
		},
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: CONCURRENCY,
			description:
				'How many input items are processed at the same time. Output order and item pairing are kept.',
		},
		{
			displayName: 'Initial Backoff in Milliseconds',
			name: 'initialBackoffMs',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: BACKOFF_MS,
			description:
				'First wait before a retry when Miro sends no Retry-After header; it doubles on each further attempt (with jitter)',
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 20 },
			default: MAX_ATTEMPTS,
			description:
				'Attempts per request, the first included, on server errors (500, 502, 503, 504) and broken connections; also on rate limits (429) unless Pacing is Adaptive',
		},
		{
			displayName: 'Max Total Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: MAX_WAIT_SECONDS,
			description:
				'Longest time spent waiting between retries of one request before giving up. With Pacing set to Adaptive this alone bounds the retries of rate limits (429).',
		},
		maxUsersPerItemOption,
		{
			displayName: 'Merge Member Changes',
			name: 'mergeMemberChanges',
			type: 'boolean',
			default: true,
			displayOptions: { show: { '/operation': ['updateMembers'] } },
			description: `Whether to combine the member changes of all input items aimed at the same group into as few requests as Miro allows (${readable(MAX_MEMBERS_PER_PATCH)} members or ${readable(MAX_PATCH_BYTES)} bytes each). Each item still reports its own result.`,
		},
		{
			displayName: 'Pacing',
			name: 'pacing',
			type: 'options',
			default: PACING,
			options: [
				{
					name: 'Adaptive',
					value: 'adaptive',
					description:
						"Wait for Miro's per-endpoint limits before sending; when 429s keep coming (another client, workflow or worker uses the same budget), settle on the share left. A lone 429 or server error only delays its own request.",
				},
				{
					name: 'Simple',
					value: 'simple',
					description:
						"Wait for Miro's per-endpoint limits as if this n8n process had the whole budget; 429s count against Max Attempts",
				},
				{
					name: 'Off',
					value: 'off',
					description: 'Send at once; 429s are retried like server errors, within Max Attempts',
				},
			],
			description: `How requests wait for Miro's rate limits (e.g. ${MIRO_RATE_LIMITS['POST /Users']} user creates, ${MIRO_RATE_LIMITS['GET /Groups']} group searches per ${WINDOW_SECONDS} s)`,
		},
		protectAdminsOption,
		{
			displayName: 'Rate Limit Window (Seconds)',
			name: 'rateWindowSeconds',
			type: 'number',
			typeOptions: { minValue: 0.01 },
			default: WINDOW_SECONDS,
			description:
				'Length of the window Miro counts its limits in. Keep 30 for Miro; change it only for a test server with a faster clock.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: TIMEOUT_SECONDS,
			description:
				'How long to wait for one answer from Miro before treating the connection as lost',
		},
	],
};

/** Get Many's Return All / Limit pair, as n8n's own nodes present it. */
export const returnAllOrLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** The Limit to apply, or undefined for Return All. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll
		? undefined
		: (ctx.getNodeParameter('limit', itemIndex, DEFAULT_LIMIT) as number);
}
