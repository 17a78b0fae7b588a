import { describe, expect, it } from 'vitest';

import { decideShare, isSpent, nextNoise, SHARE_RULES } from '../../nodes/MiroScim/transport/share';
import type { ShareDecision, ShareEvent, ShareView } from '../../nodes/MiroScim/transport/share';

/** An endpoint of 200 per window, this process at the full limit, 150 accepted, no 429 lately. */
const busy: ShareView = {
	limit: 200,
	allowance: 200,
	acceptedInWindow: 150,
	recentAnswers: 10,
	recentRateLimited: 0,
	windowAnswers: 100,
	windowRateLimited: 0,
	windowAllowance: 200,
	cleanWindows: 0,
	nextSlotMs: 40,
};

const ok: ShareEvent = { kind: 'answered', status: 200 };
const tooMany = (retryAfterMs?: number): ShareEvent => ({
	kind: 'answered',
	status: 429,
	retryAfterMs,
});
const unavailable: ShareEvent = { kind: 'answered', status: 503 };
const windowEnded = (binding: boolean, spent = false): ShareEvent => ({
	kind: 'windowEnded',
	binding,
	spent,
});
const decision = (
	verdict: ShareDecision['verdict'],
	allowance: number,
	pauseMs = 0,
): ShareDecision => ({ verdict, allowance, pauseMs });

describe('decideShare: the budget is spent, or it is noise', () => {
	it('uses the documented rules', () => {
		expect(SHARE_RULES).toEqual({
			recentAnswers: 10,
			spentAtLeast: 3,
			spentShare: 0.5,
			aboveNoise: 3,
			floorShare: 0.5,
			increase: 0.05,
			maxIncrease: 0.2,
			noiseSample: 5,
			noiseWeight: 0.5,
		});
	});

	it.each<[string, Partial<ShareView>, ShareEvent, ShareDecision]>([
		['a success changes nothing', {}, ok, decision('keep', 200)],
		// Noise: random 429s and server errors only delay the request that met them.
		['a lone 429', { recentRateLimited: 1 }, tooMany(), decision('noise', 200)],
		['two 429s among ten answers', { recentRateLimited: 2 }, tooMany(), decision('noise', 200)],
		[
			'the first two answers of a window both 429: not yet a pattern',
			{ recentAnswers: 2, recentRateLimited: 2 },
			tooMany(),
			decision('noise', 200),
		],
		['a 503', {}, unavailable, decision('noise', 200)],
		[
			'a burst of 503s (no 429 among them)',
			{ recentAnswers: 10, recentRateLimited: 0 },
			unavailable,
			decision('noise', 200),
		],
		[
			'a 503 among 429s that keep coming: never lowers the share itself',
			{ recentRateLimited: 6 },
			unavailable,
			decision('noise', 200),
		],
		// Retry-After first: it sets how long the request that met it waits (decideRetry); on a
		// lone 429 it says nothing about the budget (random 429s carry it too), so others go on.
		[
			'a lone 429 with Retry-After: noise, its request waits',
			{ recentRateLimited: 1 },
			tooMany(2000),
			decision('noise', 200),
		],
		['Retry-After 0', { recentRateLimited: 1 }, tooMany(0), decision('noise', 200)],
		// Shared budget: another client uses half; 429s keep coming once this process passes it.
		// The share drops to what fit, and the endpoint holds until a slot of its own frees.
		[
			'shared budget: 6 of the last 10 answers 429, 100 fit: settle on 100',
			{ recentRateLimited: 6, acceptedInWindow: 100 },
			tooMany(),
			decision('spent', 100, 40),
		],
		[
			'shared budget, Miro sends Retry-After: settle, and hold for Retry-After',
			{ recentRateLimited: 6, acceptedInWindow: 100 },
			tooMany(1500),
			decision('spent', 100, 1500),
		],
		[
			'exactly half of the recent answers, three 429s',
			{ recentAnswers: 6, recentRateLimited: 3, acceptedInWindow: 120 },
			tooMany(),
			decision('spent', 120, 40),
		],
		[
			'three 429s, all the window has seen',
			{ recentAnswers: 3, recentRateLimited: 3, acceptedInWindow: 160 },
			tooMany(),
			decision('spent', 160, 40),
		],
		[
			'spent again in the same window, as much fit: no lower',
			{ allowance: 95, recentRateLimited: 8, acceptedInWindow: 100 },
			tooMany(),
			decision('spent', 95, 40),
		],
		[
			'spent in a later window, less fit (a burst): lower',
			{ allowance: 95, windowAllowance: 95, recentRateLimited: 8, acceptedInWindow: 60 },
			tooMany(),
			decision('spent', 60, 40),
		],
		[
			'little fit (another client took almost all): at most halved in one window',
			{ recentRateLimited: 10, acceptedInWindow: 20 },
			tooMany(),
			decision('spent', 100, 40),
		],
		[
			'halved from what the window started with, not again and again',
			{ allowance: 95, windowAllowance: 200, recentRateLimited: 10, acceptedInWindow: 20 },
			tooMany(),
			decision('spent', 95, 40),
		],
		[
			'three workers at the full limit, a third each fit',
			{ recentRateLimited: 7, acceptedInWindow: 67 },
			tooMany(),
			decision('spent', 100, 40),
		],
		[
			'never above the allowance it had',
			{ allowance: 50, recentRateLimited: 5, acceptedInWindow: 150 },
			tooMany(),
			decision('spent', 50, 40),
		],
		[
			'a scarce endpoint (5 per window): 3 of 4 answers 429, 2 fit',
			{
				limit: 5,
				allowance: 5,
				windowAllowance: 5,
				recentAnswers: 4,
				recentRateLimited: 3,
				acceptedInWindow: 2,
			},
			tooMany(),
			decision('spent', 2, 40),
		],
		[
			'never below one request per window',
			{
				limit: 5,
				allowance: 1,
				windowAllowance: 1,
				recentAnswers: 4,
				recentRateLimited: 4,
				acceptedInWindow: 0,
			},
			tooMany(),
			decision('spent', 1, 40),
		],
		// Above the noise level: 429s a calm window did not have.
		[
			'shared budget, slightly over: 3 429s in a window where calm ones had none',
			{
				recentRateLimited: 1,
				windowAnswers: 80,
				windowRateLimited: 3,
				noise: 0,
				acceptedInWindow: 100,
			},
			tooMany(),
			decision('spent', 100, 40),
		],
		[
			'... but not 2',
			{ recentRateLimited: 1, windowAnswers: 80, windowRateLimited: 2, noise: 0 },
			tooMany(),
			decision('noise', 200),
		],
		[
			'random 429s at their usual 10%: noise',
			{ recentRateLimited: 2, windowAnswers: 100, windowRateLimited: 12, noise: 0.1 },
			tooMany(),
			decision('noise', 200),
		],
		[
			'random 429s at 10%, this window 19 of 100: within three deviations',
			{ recentRateLimited: 2, windowAnswers: 100, windowRateLimited: 19, noise: 0.1 },
			tooMany(),
			decision('noise', 200),
		],
		[
			'random 429s at 10%, this window 20 of 100: above them, spent',
			{
				recentRateLimited: 2,
				windowAnswers: 100,
				windowRateLimited: 20,
				noise: 0.1,
				acceptedInWindow: 170,
			},
			tooMany(),
			decision('spent', 170, 40),
		],
		[
			'no window seen yet: only 429s that keep coming count',
			{ recentRateLimited: 2, windowAnswers: 40, windowRateLimited: 6 },
			tooMany(),
			decision('noise', 200),
		],
		// Additive increase: a share that fit is kept for a clean window, then probed above,
		// faster while windows stay clean.
		[
			'the first clean, busy window after settling: keep',
			{ allowance: 90, cleanWindows: 0 },
			windowEnded(true),
			decision('keep', 90),
		],
		[
			'the second in a row: regain 5% of the limit',
			{ allowance: 90, cleanWindows: 1 },
			windowEnded(true),
			decision('regain', 100),
		],
		[
			'the third: 10%',
			{ allowance: 100, cleanWindows: 2 },
			windowEnded(true),
			decision('regain', 120),
		],
		[
			'the regain grows to at most 20% of the limit',
			{ allowance: 40, cleanWindows: 6 },
			windowEnded(true),
			decision('regain', 80),
		],
		[
			'regain stops at the limit',
			{ allowance: 195, cleanWindows: 1 },
			windowEnded(true),
			decision('regain', 200),
		],
		[
			'a busy window with noise only (not spent): regain',
			{ allowance: 150, recentRateLimited: 2, cleanWindows: 1 },
			windowEnded(true, false),
			decision('regain', 160),
		],
		[
			'an idle window: keep',
			{ allowance: 90, cleanWindows: 3 },
			windowEnded(false),
			decision('keep', 90),
		],
		[
			'a spent window: keep',
			{ allowance: 90, cleanWindows: 3 },
			windowEnded(true, true),
			decision('keep', 90),
		],
		[
			'a scarce endpoint regains one request per window',
			{ limit: 5, allowance: 2, cleanWindows: 1 },
			windowEnded(true),
			decision('regain', 3),
		],
	])('%s', (_, view, event, expected) => {
		expect(decideShare({ ...busy, ...view }, event)).toEqual(expected);
	});
});

describe('nextNoise: the share of 429s that comes whatever the pace', () => {
	it.each<
		[string, number | undefined, { answers: number; rateLimited: number }, number | undefined]
	>([
		['the first window sets it', undefined, { answers: 100, rateLimited: 10 }, 0.1],
		['a window without 429s', undefined, { answers: 50, rateLimited: 0 }, 0],
		['later windows average in', 0.1, { answers: 100, rateLimited: 0 }, 0.05],
		['after a spent window it falls back within a few', 0.5, { answers: 90, rateLimited: 0 }, 0.25],
		['a window with few answers says nothing', 0.1, { answers: 4, rateLimited: 4 }, 0.1],
		['nor does it set it', undefined, { answers: 4, rateLimited: 0 }, undefined],
	])('%s', (_, noise, window, expected) => {
		expect(nextNoise(noise, window)).toBe(expected);
	});
});

/** mulberry32, as the emulator's fault injector draws. */
function prng(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('isSpent over answer streams', () => {
	/** Walks a stream of answers (true = 429) and counts the 429s read as a spent budget. */
	function spentReadings(stream: boolean[]): number {
		const recent: boolean[] = [];
		let readings = 0;
		for (const rateLimited of stream) {
			recent.push(rateLimited);
			if (recent.length > SHARE_RULES.recentAnswers) recent.shift();
			const view = {
				...busy,
				recentAnswers: recent.length,
				recentRateLimited: recent.filter(Boolean).length,
			};
			if (rateLimited && isSpent(view)) readings++;
		}
		return readings;
	}

	it('random 429s at 10% (the bench fault mix) are read as a spent budget rarely', () => {
		const random = prng(7);
		const stream = Array.from({ length: 10_000 }, () => random() < 0.1);
		const rateLimited = stream.filter(Boolean).length;
		// Of about 1,000 429s, a handful: each costs at most one lowered window.
		expect(spentReadings(stream)).toBeLessThan(0.02 * rateLimited);
	});

	it.each([
		['in steady traffic, by the fifth 429 in a row', 30, [0, 0, 0, 0, 1, 1, 1]],
		['at the start of a window, by the third', 0, [0, 0, 1, 1, 1]],
		['after a single success, by the third', 1, [0, 0, 1, 1, 1]],
	])('a spent budget (every answer 429 until a slot frees) is read %s', (_, before, readings) => {
		const successes = new Array<boolean>(before).fill(false);
		const seen = readings.map((__, i) =>
			spentReadings([...successes, ...new Array<boolean>(i + 1).fill(true)]),
		);
		// Cumulative readings after each further 429.
		expect(seen).toEqual(
			readings.map((__, i) => readings.slice(0, i + 1).reduce((a, b) => a + b, 0)),
		);
	});
});
