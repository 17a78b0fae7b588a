import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

export function userLocator(overrides: Partial<INodeProperties> = {}): INodeProperties {
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
							regex: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
							errorMessage: 'Not a valid email',
						},
					},
				],
			},
		],
		...overrides,
	};
}

export function groupLocator(overrides: Partial<INodeProperties> = {}): INodeProperties {
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
		...overrides,
	};
}

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return a flat record (ID, email, names, active, role, teams) instead of the full SCIM resource',
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
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: 10,
			description:
				'How many input items are processed at the same time. Output order and item pairing are kept.',
		},
		{
			displayName: 'Initial Backoff (Ms)',
			name: 'initialBackoffMs',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1000,
			description:
				'First wait before a retry when Miro sends no Retry-After header; it doubles on each further attempt (with jitter)',
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 20 },
			default: 6,
			description:
				'Attempts per request, the first included, on rate limits (429), server errors (500, 502, 503, 504) and broken connections',
		},
		{
			displayName: 'Max Total Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 180,
			description: 'Longest time spent waiting between retries of one request before giving up',
		},
		{
			displayName: 'Merge Member Changes',
			name: 'mergeMemberChanges',
			type: 'boolean',
			default: true,
			displayOptions: { show: { '/operation': ['updateMembers'] } },
			description:
				'Whether to combine the member changes of all input items aimed at the same group into as few requests as Miro allows (8,000 members or 800,000 bytes each). Each item still reports its own result.',
		},
		{
			displayName: 'Pace Requests',
			name: 'pacing',
			type: 'boolean',
			default: true,
			description:
				"Whether to wait for Miro's per-endpoint rate limits (e.g. 200 user creates, 5 group searches per 30 s) before sending, rather than hitting 429 errors",
		},
		{
			displayName: 'Rate Limit Window (Seconds)',
			name: 'rateWindowSeconds',
			type: 'number',
			typeOptions: { minValue: 0.01 },
			default: 30,
			description:
				'Length of the window Miro counts its limits in. Keep 30 for Miro; change it only for a test server with a faster clock.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
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
	return returnAll ? undefined : (ctx.getNodeParameter('limit', itemIndex, 50) as number);
}
