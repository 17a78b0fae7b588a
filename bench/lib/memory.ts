/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmark tooling, not part of the published node */
/**
 * Peak memory of this process while a measured job runs: process.memoryUsage() sampled every
 * ~10 ms (a job that blocks the event loop delays samples, so the kernel's maxRSS is kept too).
 */
export interface MemoryReport {
	/** before the job, after module loading */
	baselineRssMb: number;
	baselineHeapMb: number;
	peakRssMb: number;
	peakHeapUsedMb: number;
	/** getrusage maxRSS over the whole process life */
	maxRssMb: number;
	samples: number;
}

const MB = 1024 * 1024;

export class MemorySampler {
	private peakRss = 0;
	private peakHeap = 0;
	private samples = 0;
	private timer: NodeJS.Timeout | undefined;
	private readonly baseline = process.memoryUsage();

	start(intervalMs = 10): void {
		this.sample();
		this.timer = setInterval(() => this.sample(), intervalMs);
		this.timer.unref();
	}

	private sample(): void {
		const usage = process.memoryUsage();
		if (usage.rss > this.peakRss) this.peakRss = usage.rss;
		if (usage.heapUsed > this.peakHeap) this.peakHeap = usage.heapUsed;
		this.samples++;
	}

	stop(): MemoryReport {
		this.sample();
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		const maxRss = process.resourceUsage().maxRSS * 1024;
		return {
			baselineRssMb: round(this.baseline.rss / MB),
			baselineHeapMb: round(this.baseline.heapUsed / MB),
			peakRssMb: round(Math.max(this.peakRss, maxRss) / MB),
			peakHeapUsedMb: round(this.peakHeap / MB),
			maxRssMb: round(maxRss / MB),
			samples: this.samples,
		};
	}
}

function round(value: number): number {
	return Math.round(value * 10) / 10;
}
