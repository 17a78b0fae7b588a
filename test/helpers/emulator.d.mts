/** The emulator's inspection routes; `State` and `Entry` are the caller's view of their JSON. */
export interface EmulatorHandle<State, Entry> {
	/** SCIM base URL, e.g. http://127.0.0.1:PORT/api/v1/scim */
	url: string;
	origin: string;
	token: string;
	timeScale: number | undefined;
	pid: number | undefined;
	output(): string;
	state(): Promise<State>;
	counts(): Promise<{ users: number; groups: number }>;
	log(): Promise<Entry[]>;
	/** with `contract: true`: requests and answers outside Miro's description (test/contract) */
	contractViolations(): Promise<Array<{ endpoint: string; rule: string; detail: string }>>;
	clearLog(): Promise<void>;
	reset(): Promise<void>;
	stop(): Promise<void>;
}

export declare function startEmulator<State = unknown, Entry = unknown>(options?: {
	token?: string;
	timeScale?: number;
	groupModel?: string;
	contract?: boolean;
	flags?: string[];
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
}): Promise<EmulatorHandle<State, Entry>>;
