// n8n-core 2.x targets Node 22+, where Promise.withResolvers exists; this machine and CI run the
// tests on Node 20 (n8n itself runs on Node 24 in the end-to-end tests).
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
	Object.defineProperty(Promise, 'withResolvers', {
		configurable: true,
		writable: true,
		value<T>() {
			let resolve!: (value: T | PromiseLike<T>) => void;
			let reject!: (reason?: unknown) => void;
			const promise = new Promise<T>((res, rej) => {
				resolve = res;
				reject = rej;
			});
			return { promise, resolve, reject };
		},
	});
}
