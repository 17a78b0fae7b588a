import type { INodeProperties } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import {
	DEFAULT_LIMIT,
	optionsField,
	returnAllOrLimit,
} from '../../nodes/MiroScim/actions/common.descriptions';
import { DEFAULT_CONCURRENCY, pacingOf, settingsFrom } from '../../nodes/MiroScim/actions/context';
import type { RunOptions } from '../../nodes/MiroScim/actions/context';
import type { Pacing } from '../../nodes/MiroScim/transport/pacing';
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

describe('Pacing: one setting, three values; saved workflows keep their two booleans', () => {
	it('offers adaptive, simple and off, and never offers the old boolean', () => {
		const options = optionsField.options as INodeProperties[];
		const pacing = options.find((option) => option.name === 'pacing');
		expect(pacing?.type).toBe('options');
		expect(pacing?.options?.map((option) => (option as { value: string }).value)).toEqual([
			'adaptive',
			'simple',
			'off',
		]);
		// Kept so that n8n keeps a saved value (it drops undeclared ones); the editor hides it.
		expect(options.find((option) => option.name === 'adaptivePacing')?.type).toBe('hidden');
	});

	it.each<[string, RunOptions, Pacing | undefined]>([
		['nothing saved', {}, 'adaptive'],
		['adaptive', { pacing: 'adaptive' }, 'adaptive'],
		['simple', { pacing: 'simple' }, 'simple'],
		['off', { pacing: 'off' }, 'off'],
		// Saved before Pacing had three values:
		['Pace Requests off', { pacing: false }, 'off'],
		['Pace Requests off, Adapt on', { pacing: false, adaptivePacing: true }, 'off'],
		['Pace Requests off, Adapt off', { pacing: false, adaptivePacing: false }, 'off'],
		['Pace Requests on', { pacing: true }, 'adaptive'],
		['Pace Requests on, Adapt on', { pacing: true, adaptivePacing: true }, 'adaptive'],
		['Pace Requests on, Adapt off', { pacing: true, adaptivePacing: false }, 'simple'],
		['Adapt off alone', { adaptivePacing: false }, 'simple'],
		['Adapt on alone', { adaptivePacing: true }, 'adaptive'],
		['a new value wins over a stale boolean', { pacing: 'off', adaptivePacing: true }, 'off'],
		['an unknown word', { pacing: 'fast' as Pacing }, undefined],
	])('%s -> %s', (_, options, pacing) => {
		expect(pacingOf(options)).toBe(pacing);
		if (pacing) expect(settingsFrom(options).pacing).toBe(pacing);
	});
});
