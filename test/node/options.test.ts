import type { INodeProperties } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import {
	DEFAULT_LIMIT,
	optionsField,
	returnAllOrLimit,
} from '../../nodes/MiroScim/actions/common.descriptions';
import { DEFAULT_CONCURRENCY, settingsFrom } from '../../nodes/MiroScim/actions/context';
import { DEFAULT_CLIENT_SETTINGS } from '../../nodes/MiroScim/transport';

const defaults = Object.fromEntries(
	(optionsField.options as INodeProperties[]).map((option) => [option.name, option.default]),
);

describe('Options: one source for every default', () => {
	it.each([
		['concurrency', DEFAULT_CONCURRENCY],
		['initialBackoffMs', DEFAULT_CLIENT_SETTINGS.retry.baseDelayMs],
		['maxAttempts', DEFAULT_CLIENT_SETTINGS.retry.maxAttempts],
		['maxWaitSeconds', DEFAULT_CLIENT_SETTINGS.retry.maxTotalWaitMs / 1000],
		['pacing', DEFAULT_CLIENT_SETTINGS.pacing],
		['adaptivePacing', DEFAULT_CLIENT_SETTINGS.adaptivePacing],
		['rateWindowSeconds', DEFAULT_CLIENT_SETTINGS.windowMs / 1000],
		['timeoutSeconds', DEFAULT_CLIENT_SETTINGS.timeoutMs / 1000],
	])('%s shows the default the code uses: %j', (name, value) => {
		expect(defaults[name]).toBe(value);
	});

	it('Get Many shows the Limit the code applies when none is set', () => {
		const limit = returnAllOrLimit.find((property) => property.name === 'limit');
		expect(limit?.default).toBe(DEFAULT_LIMIT);
	});

	it('no options at all give the default settings', () => {
		expect(settingsFrom({})).toEqual(DEFAULT_CLIENT_SETTINGS);
	});

	it('the options as the editor shows them give the default settings too', () => {
		expect(settingsFrom(defaults)).toEqual(DEFAULT_CLIENT_SETTINGS);
	});
});
