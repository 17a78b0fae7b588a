/* eslint-disable @n8n/community-nodes/no-restricted-globals -- n8n's community-node rules guard shipped node code; this dev/test tool is never shipped */
/**
 * Runs the Miro SCIM emulator until killed: `npm run emulator -- --port 8787 --time-scale 0.1`.
 * Prints the base URL, the token and the inspection routes for pointing n8n (or curl) at it.
 */
import { type EmulatorOptions, type OtherClientOptions, startEmulator } from './server';

const USAGE = `Usage: tsx test/emulator/cli.ts [options]

  --port N            port to listen on (default 8787; 0 = random)
  --host H            interface to bind (default 127.0.0.1; 0.0.0.0 for containers)
  --token T           Bearer token to accept (default emulator-token)
  --base-path P       SCIM base path (default /api/v1/scim)
  --time-scale X      rate-limit window multiplier, 0.1 = 3 s windows (default 1)
  --no-rate-limit     do not enforce Miro's per-endpoint limits
  --contract          check requests and answers against Miro's description (GET /_emulator/contract)
  --quirks JSON       refuse/ignore request forms, e.g. '{"refuse":["attributes"]}' (quirks.ts)
  --seed-users N      generate user1@example.com ... userN@example.com
  --seed-user-teams N spread the generated users over N teams g_app_team01 ... (round robin)
  --no-seed-admin     do not seed admin@example.com (the org admin)
  --group-model M     team (default: groups are teams, POST/DELETE /Groups answer 405)
                      or user-group (groups are user groups, created and deleted via SCIM)
  --user-types LIST   the organization's licenses, lowest first, comma-separated
                      (default: Free Restricted,Free,Basic,Standard,Advanced,Full)
  --now ISO           start the emulator's clock (meta timestamps) at this time;
                      POST /_emulator/clock moves it while running
  --latency MS        delay every response by MS milliseconds
  --fault-429 R       share (0..1) of requests answered with an injected 429
  --retry-after R     share (0..1) of injected 429s carrying Retry-After
  --fault-503 R       share (0..1) of requests answered with 503
  --fault-drop R      share (0..1) of requests applied, then dropped unanswered
  --fault-seed N      seed of the fault PRNG (default 1)
  --other-client S    a second client (another IdP app) uses share S (0..1) of every
                      endpoint's budget, steadily
  --other-burst B     ...plus share B during its bursts (default 0)
  --other-burst-every N  a burst every N Miro seconds (default 120)
  --other-burst-for N    each lasting N Miro seconds (default 30)
  --help              show this text
`;

function fail(message: string): never {
	process.stderr.write(`${message}\n\n${USAGE}`);
	process.exit(2);
}

function number(flag: string, text: string | undefined): number {
	const value = Number(text);
	if (text === undefined || text.trim() === '' || !Number.isFinite(value)) {
		fail(`${flag} needs a number`);
	}
	return value;
}

type Faults = NonNullable<EmulatorOptions['faults']>;

/** The fault-injection flags and the setting each one sets. */
const FAULT_FLAGS: Record<string, keyof Faults> = {
	'--fault-429': 'rate429',
	'--retry-after': 'retryAfterShare',
	'--fault-503': 'rate503',
	'--fault-drop': 'rateDrop',
	'--fault-seed': 'seed',
};

/** The second client's flags (otherClient.ts) and the setting each one sets. */
const OTHER_CLIENT_FLAGS: Record<string, keyof OtherClientOptions> = {
	'--other-client': 'share',
	'--other-burst': 'burstShare',
	'--other-burst-every': 'burstEverySeconds',
	'--other-burst-for': 'burstForSeconds',
};

function parseArgs(argv: string[]): EmulatorOptions {
	const options: EmulatorOptions = { port: 8787 };
	const faults: Faults = {};
	const other: Partial<OtherClientOptions> = {};
	if (argv.includes('--help') || argv.includes('-h')) {
		process.stdout.write(USAGE);
		process.exit(0);
	}
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] =
			arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--port':
				options.port = number(flag, value());
				break;
			case '--host':
				options.host = value() ?? fail('--host needs a value');
				break;
			case '--token':
				options.token = value() ?? fail('--token needs a value');
				break;
			case '--base-path':
				options.basePath = value() ?? fail('--base-path needs a value');
				break;
			case '--time-scale':
				options.timeScale = number(flag, value());
				break;
			case '--no-rate-limit':
				options.rateLimits = false;
				break;
			case '--contract':
				options.contract = true;
				break;
			case '--quirks':
				options.quirks = JSON.parse(
					value() ?? fail('--quirks needs JSON'),
				) as EmulatorOptions['quirks'];
				break;
			case '--seed-users':
				options.seedUsers = number(flag, value());
				break;
			case '--seed-user-teams':
				options.seedUserTeams = number(flag, value());
				break;
			case '--group-model': {
				const model = value();
				if (model !== 'team' && model !== 'user-group') {
					fail('--group-model needs team or user-group');
				}
				options.groupModel = model;
				break;
			}
			case '--no-seed-admin':
				options.seedAdmin = false;
				break;
			case '--user-types':
				options.userTypes = (value() ?? fail('--user-types needs a list'))
					.split(',')
					.map((type) => type.trim());
				break;
			case '--now':
				options.now = value() ?? fail('--now needs an ISO 8601 time');
				break;
			case '--latency':
				options.latencyMs = number(flag, value());
				break;
			default:
				if (flag in OTHER_CLIENT_FLAGS) other[OTHER_CLIENT_FLAGS[flag]] = number(flag, value());
				else if (flag in FAULT_FLAGS) faults[FAULT_FLAGS[flag]] = number(flag, value());
				else fail(`Unknown option ${arg}`);
		}
	}
	return withTables(options, faults, other);
}

/** The options with the fault and second-client settings the table flags gave, if any. */
function withTables(
	options: EmulatorOptions,
	faults: Faults,
	other: Partial<OtherClientOptions>,
): EmulatorOptions {
	if (Object.keys(faults).length > 0) options.faults = faults;
	if (Object.keys(other).length > 0) {
		if (other.share === undefined) fail('--other-burst* needs --other-client');
		options.otherClient = other as OtherClientOptions;
	}
	return options;
}

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	const emulator = await startEmulator(options);
	const origin = new URL(emulator.url).origin;
	const window = 30 * (options.timeScale ?? 1);
	process.stdout.write(
		[
			'Miro SCIM 2.0 emulator (dev/test only)',
			`  SCIM base URL  ${emulator.url}`,
			`  Bearer token   ${emulator.token}`,
			`  Group model    ${options.groupModel ?? 'team'}`,
			`  Rate limits    ${options.rateLimits === false ? 'off' : `on, ${window} s windows`}`,
			`  Other client   ${options.otherClient ? JSON.stringify(options.otherClient) : 'none'}`,
			`  Seeded users   ${(options.seedUsers ?? 0) + (options.seedAdmin === false ? 0 : 1)}`,
			'  Inspection (no auth):',
			`    GET    ${origin}/_emulator/state   (?summary=true for counts only)`,
			`    GET    ${origin}/_emulator/log`,
			`    DELETE ${origin}/_emulator/log`,
			`    POST   ${origin}/_emulator/reset`,
			`    GET    ${origin}/_emulator/faults   POST a JSON body to change them`,
			`    GET    ${origin}/_emulator/clock    POST {"advanceDays": N} or {"now": ISO} to move it`,
			`    GET    ${origin}/_emulator/other-client`,
			'Ctrl+C to stop.',
			'',
		].join('\n'),
	);
	let closing = false;
	const shutdown = (signal: string) => {
		if (closing) return;
		closing = true;
		process.stdout.write(`\n${signal}: closing the emulator\n`);
		emulator.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
