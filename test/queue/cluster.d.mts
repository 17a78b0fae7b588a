// Types of cluster.mjs for TypeScript callers (bench/queue.ts). Keep in step with cluster.mjs.

export const TEAMS: string[];
export const MIRO_NODE_TYPE: string;
export const ROOT: string;

export interface NewHire {
	email: string;
	firstName: string;
	lastName: string;
	department: string;
	team: string;
}

export interface EmulatorHandle {
	url: string;
	origin: string;
	token: string;
	state(): Promise<{
		users: Array<{ id: string; userName: string }>;
		groups: Array<{ displayName: string; members: Array<{ value: string }> }>;
	}>;
	log(): Promise<LogEntry[]>;
	clearLog(): Promise<void>;
	reset(): Promise<void>;
	stop(): Promise<void>;
}

export interface LogEntry {
	method: string;
	path: string;
	status: number;
	/** Date.now() when the request arrived */
	at: number;
	endpoint?: string;
	flags?: string[];
}

export interface Fired {
	wallMs: number;
	calls: Array<{ email: string; status: number; ms: number; body: string }>;
	statuses: Record<string, number>;
}

export interface Executions {
	total: number;
	byStatus: Record<string, number>;
	failures: Array<{ id: number; status: string; node?: string; message: string }>;
}

export interface Placement {
	people: number;
	exist: number;
	exactlyOnce: number;
	inTeam: number;
	duplicates: number;
}

export interface RequestStats {
	total: number;
	rateLimited: number;
	share429: number;
	byEndpoint: Record<string, Record<string, number>>;
}

export interface Cluster {
	mode: 'queue' | 'regular';
	/** the running workers: their process ids (each leads its own process group) */
	workers: Array<{ pid: number; stop(): Promise<void> }>;
	emulator: EmulatorHandle;
	emulators: Record<string, EmulatorHandle>;
	variantEmulator: Record<string, EmulatorHandle>;
	webhookPaths: Record<string, string>;
	workflowIds: Record<string, string>;
	webhookHeaders: Record<string, string>;
	start(): Promise<void>;
	switchMode(mode: 'queue' | 'regular'): Promise<void>;
	startWorkers(count: number, options?: { concurrency?: number }): Promise<void>;
	stopWorkers(): Promise<void>;
	fire(
		people: NewHire[],
		options?: {
			concurrency?: number;
			variant?: string;
			headers?: Record<string, string>;
			/** how long a caller waits for an answer (default 10 minutes) */
			timeoutMs?: number;
		},
	): Promise<Fired>;
	lastExecutionId(): Promise<number>;
	executions(options?: { variant?: string; afterId?: number }): Promise<Executions>;
	settle(
		expected: number,
		options?: { variant?: string; afterId?: number; timeoutMs?: number },
	): Promise<Executions>;
	stop(): Promise<void>;
}

export function buildIfStale(): Promise<boolean>;
export function newHires(count: number, teams?: string[]): NewHire[];
export function createCluster(options: {
	tarball: string;
	emulators?: Record<string, { timeScale?: number; rateLimits?: boolean }>;
	variants?: Array<{ key: string; emulator?: string; miroOptions?: Record<string, unknown> }>;
	log?: (line: string) => void;
}): Cluster;
export function placement(
	people: NewHire[],
	state: Awaited<ReturnType<EmulatorHandle['state']>>,
): Placement;
export function requestStats(log: LogEntry[]): RequestStats;
export function describeRequests(stats: RequestStats): string;
export function cleanupOnSignals(cleanup: () => Promise<void>): () => void;
export function killOurChildren(): void;
export function packPackage(destDir: string): Promise<{ tarball: string; files: string[] }>;
