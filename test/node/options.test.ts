import type { INodeProperties } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { optionsField } from '../../nodes/MiroScim/actions/common.descriptions';
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

	it('no options at all give the default settings', () => {
		expect(settingsFrom({})).toEqual(DEFAULT_CLIENT_SETTINGS);
	});

	it('the options as the editor shows them give the default settings too', () => {
		expect(settingsFrom(defaults)).toEqual(DEFAULT_CLIENT_SETTINGS);
	});
});
