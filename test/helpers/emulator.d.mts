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
	/** back to the seeded state; `{ groupModel: 'user-group' }` switches Miro's group model */
	reset(options?: { groupModel?: string }): Promise<void>;
	stop(): Promise<void>;
}

export declare function startEmulator<State = any, Entry = any>(options?: {
	token?: string;
	timeScale?: number;
	groupModel?: string;
	contract?: boolean;
	flags?: string[];
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
}): Promise<EmulatorHandle<State, Entry>>;
