/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not part of the published node */
/**
 * The part of express that scimmyServer.ts uses. express ships no types of its own and
 * @types/express is not among our dev dependencies (scimmy-routers needs express at run time
 * only), so this keeps the interop server type-checked without `any`.
 */
declare module 'express' {
	import type { IncomingMessage, Server, ServerResponse } from 'node:http';

	export type Request = IncomingMessage & { originalUrl: string; body?: unknown };
	export type Middleware = (req: Request, res: ServerResponse, next: () => void) => void;

	export interface Application {
		use(middleware: Middleware): Application;
		/** A router mounted under a path (scimmy-routers' SCIMMYRouters is one). */
		use(path: string, router: object): Application;
		listen(port: number, host: string, onListening: () => void): Server;
	}

	export default function express(): Application;
}
