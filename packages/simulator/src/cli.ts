import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FAULT_KINDS, type FaultKind, type FaultOptions } from './faults.js';
import { type Simulator, startSimulator } from './server.js';

export const USAGE = `Usage: smartsheet-simulator [options]

A local Smartsheet users API (GET /2.0/users, /users/me, /users/{id}; POST deactivate, reactivate).

Options:
  --seed FILE           the organisation, YAML or JSON (default: the shipped examples/org.yaml)
  --port N              default 8082 (0: any free port)
  --host HOST           default 127.0.0.1
  --rpm N               requests per minute per token (default 300)
  --time-scale N        speed up the rate-limit minute (100: it lasts 600 ms; default 1)
  --retry-after N|auto  send Retry-After on 429 (Smartsheet documents none; default: not sent)
  --fault KIND=RATE     random fault rate, repeatable; KIND: ${FAULT_KINDS.join(', ')}
  --fault-seed SEED     seed of the random faults (default 1)
  --log                 print one line per request (never the token)
  -v, --version         print the version
  -h, --help            this text

Control endpoints: GET /__simulator/requests, GET /__simulator/state, POST /__simulator/reset,
PUT /__simulator/faults, POST /__simulator/fail-next, GET /__simulator/users/{id}.`;

export const EXAMPLE_ORG = fileURLToPath(new URL('../examples/org.yaml', import.meta.url));

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Until the first release the package says 0.0.0: say that this is a build from a clone, not a release. */
export const VERSION =
  PACKAGE_VERSION === '0.0.0' ? '0.0.0 (unreleased: built from a clone of the repository)' : PACKAGE_VERSION;

/** A command-line mistake: the message names the option, the value and what is allowed. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function number(option: string, value: string | undefined, check: (n: number) => boolean, allowed: string) {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !check(parsed))
    throw new UsageError(`Invalid --${option} ${JSON.stringify(value)}: ${allowed}`);
  return parsed;
}

function faultRates(values: string[]): FaultOptions['rates'] {
  const rates: Partial<Record<FaultKind, number>> = {};
  for (const value of values) {
    const [kind = '', rate] = value.split('=');
    if (!FAULT_KINDS.includes(kind as FaultKind)) {
      throw new UsageError(
        `Invalid --fault ${JSON.stringify(value)}: KIND=RATE with KIND one of ${FAULT_KINDS.join(', ')}`,
      );
    }
    rates[kind as FaultKind] = number(
      'fault',
      rate,
      (n) => n >= 0 && n <= 1,
      'a rate from 0 to 1 after the =',
    );
  }
  return rates;
}

export interface CliIo {
  out: (line: string) => void;
}

/**
 * Starts the simulator from command-line arguments and returns it (running), or undefined after
 * printing the help. Throws `UsageError` on a bad argument.
 */
export async function runCli(argv: string[], io: CliIo): Promise<Simulator | undefined> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) {
    io.out(USAGE);
    return undefined;
  }
  if (values.version) {
    io.out(VERSION);
    return undefined;
  }
  const retryAfter = values['retry-after'];
  const faultSeed = values['fault-seed'];
  const port =
    number(
      'port',
      values.port,
      (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
      'a port from 0 to 65535',
    ) ?? 8082;
  const host = values.host ?? '127.0.0.1';
  const sim = await startSimulator({
    seedFile: values.seed ?? EXAMPLE_ORG,
    port,
    host,
    requestsPerMinute: number(
      'rpm',
      values.rpm,
      (n) => Number.isInteger(n) && n > 0,
      'a whole number above 0',
    ),
    timeScale: number('time-scale', values['time-scale'], (n) => n > 0, 'a number above 0'),
    retryAfterSeconds:
      retryAfter === 'auto'
        ? 'auto'
        : number(
            'retry-after',
            retryAfter,
            (n) => Number.isInteger(n) && n >= 0,
            "seconds (0 or more) or 'auto'",
          ),
    faults: {
      rates: faultRates(values.fault ?? []),
      ...(faultSeed === undefined ? {} : { seed: faultSeed }),
    },
    ...(values.log
      ? {
          onRequest: (entry) => {
            const code = entry.errorCode ? `/${entry.errorCode}` : '';
            const fault = entry.fault ? ` (${entry.fault})` : '';
            io.out(
              `${entry.method} ${entry.path} → ${entry.status}${code}${fault} ${entry.durationMs.toFixed(1)} ms`,
            );
          },
        }
      : {}),
  }).catch((error: unknown) => {
    throw startProblem(error, { seed: values.seed, port, host });
  });
  const state = sim.state();
  io.out(
    `Smartsheet simulator listening on ${sim.url} (${state.users.length} users, ${values.seed ?? 'examples/org.yaml'})`,
  );
  return sim;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      seed: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      rpm: { type: 'string' },
      'time-scale': { type: 'string' },
      'retry-after': { type: 'string' },
      fault: { type: 'string', multiple: true },
      'fault-seed': { type: 'string' },
      log: { type: 'boolean' },
      version: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** The system's error codes in words, naming the option to change; anything else is passed on. */
function startProblem(error: unknown, given: { seed?: string; port: number; host: string }): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const seed = JSON.stringify(given.seed);
  if (given.seed !== undefined && (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES')) {
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : 'permission denied';
    return new UsageError(
      `Cannot read --seed ${seed}: ${why}. Allowed: a readable YAML or JSON organisation file.`,
    );
  }
  if (code === 'EADDRINUSE') {
    return new UsageError(
      `Port ${given.port} on ${given.host} is already in use (another simulator?). Allowed: --port with a free port, or --port 0 for any free port.`,
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new UsageError(
      `Cannot listen on --host ${JSON.stringify(given.host)}: not an address of this machine.`,
    );
  }
  return error;
}
