import type { MemoryReport } from './memory';

export type CredentialStore = Record<string, { type: string; data: Record<string, string> }>;

export interface WorkflowTask {
	kind: 'workflow';
	workflowFile: string;
	credentials: CredentialStore;
	/** nodes whose output the parent wants summarised */
	report: Array<{ node: string; uniqueField?: string }>;
	/** run first, untimed, against a base URL that changes nothing */
	warmup?: { workflowFile: string; credentials: CredentialStore };
	resultFile: string;
}

export interface AxiosTask {
	kind: 'axios';
	baseUrl: string;
	token: string;
	idsFile: string;
	concurrency: number;
	/** a fresh connection per request, as n8n's request helper makes */
	newConnectionPerRequest?: boolean;
	/** 20 untimed requests here first (answered 404, not logged) */
	warmupUrl?: string;
	resultFile: string;
}

export type Task = WorkflowTask | AxiosTask;
/** A task before the runner gives it a result file. */
export type TaskInput = Omit<WorkflowTask, 'resultFile'> | Omit<AxiosTask, 'resultFile'>;

export interface NodeSummary {
	ran: boolean;
	items: number;
	errorItems: number;
	firstError?: string;
	nodeError?: string;
	unique?: number;
}

export type WorkerResult =
	| {
			ok: true;
			/** the workflow run (or the axios loop), module loading excluded */
			wallMs: number;
			/** this process's CPU time (user + system) over the same span */
			cpuMs: number;
			/** n8n's executionTime per node, summed over runs */
			nodeMs: Record<string, number>;
			nodes: Record<string, NodeSummary>;
			workflowError?: { message: string; node?: string; description?: string };
			memory: MemoryReport;
	  }
	| { ok: false; failure: string };

export interface LogEntry {
	method: string;
	path: string;
	query: Record<string, string>;
	body: unknown;
	status: number;
	at: number;
	endpoint?: string;
	flags?: string[];
}

export interface StateUser {
	id: string;
	userName: string;
	groups?: Array<{ value: string; display?: string }>;
}

export interface StateGroup {
	id: string;
	displayName: string;
	members?: Array<{ value: string }>;
}

export interface EmulatorState {
	counts: { users: number; groups: number };
	users: StateUser[];
	groups: StateGroup[];
}
