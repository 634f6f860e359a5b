import { readFileSync } from 'node:fs';
import {
  ConfigError,
  exitCodeFor,
  type OffboardRequest,
  type OffboardResult,
  offboard,
  type Plan,
  type PlanOptions,
  planReport,
  type Region,
  type Report,
  reportToJson,
  SmartsheetApiError,
} from '@smartsheet-offboard/core';
import { Command, CommanderError, Option } from 'commander';
import { askYesNo } from './confirm.js';
import { UsageError } from './errors.js';
import { FILE_KINDS, readOffboardingFiles } from './files.js';
import { collect, domainList, header, positiveInteger } from './options.js';
import { createProgress } from './progress.js';
import {
  type Colors,
  colorsFor,
  formatFindings,
  formatResultsTable,
  formatSummary,
  formatTargetsTable,
  terminalWidth,
} from './render.js';

type Output = NodeJS.WritableStream & { isTTY?: boolean };

/** Everything the command line touches outside itself, injected so tests can run it in-process. */
export interface CliIo {
  stdout: Output;
  stderr: Output;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Calls `handler` on each Ctrl-C (SIGINT) until the returned function is called. */
  onInterrupt(handler: () => void): () => void;
  /** Ends the process at once: a second Ctrl-C does not wait for requests in flight. */
  exitNow(code: number): void;
}

/** The only place the token is read from: never an argument, so it stays out of shell history and `ps`. */
export const TOKEN_VARIABLE = 'SMARTSHEET_ACCESS_TOKEN';

export const EXIT_CODES = {
  /** Every target ended deactivated/already-deactivated (or nothing invalid, for plan/validate). */
  done: 0,
  /** Some target blocked, not found or failed; the run could not reach Smartsheet; or confirmation was declined. */
  problems: 1,
  /** Bad usage or invalid offboarding files: nothing was requested. */
  usage: 2,
  /** Ctrl-C during apply/reactivate (128 + SIGINT): the report says what happened; run again to finish. */
  interrupted: 130,
} as const;

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const FOOTER = `
Environment:
  ${TOKEN_VARIABLE}  a System Admin's Smartsheet access token (plan, apply, reactivate)

Exit codes:
  0    every target deactivated or already deactivated (plan, validate: nothing invalid)
  1    some target blocked, not found or failed, Smartsheet unreachable, or confirmation declined
  2    bad usage or invalid offboarding files: nothing was requested
  130  interrupted by Ctrl-C: the report shows what happened; run the same command again to finish
`;

type RunMode = 'plan' | 'apply' | 'reactivate';

interface RunOptions {
  file?: string[];
  userId?: string[];
  email?: string[];
  region?: Region;
  baseUrl?: string;
  planDomains?: string[];
  protect?: string[];
  allowAdmins?: boolean;
  maxDeactivations?: number;
  requestsPerMinute?: number;
  header?: Record<string, string>;
  json?: boolean;
  yes?: boolean;
}

/** Runs one command line (without `node` and the script) and resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const token = io.env[TOKEN_VARIABLE]?.trim() || undefined;
  // Defence in depth: core never puts the token in a message, and nothing printed here may either.
  const redact = (text: string) => (token ? text.replaceAll(token, '[redacted]') : text);
  const out = (text: string) => io.stdout.write(redact(text));
  const err = (text: string) => io.stderr.write(redact(text));
  let exitCode: number = EXIT_CODES.done;

  const program = new Command('smartsheet-offboard')
    .description('Validate, plan and apply Smartsheet user deactivations from reviewed offboarding files.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', FOOTER);

  program
    .command('validate')
    .description('Check offboarding files offline (IDs, emails, duplicates, limits). Needs no token.')
    .argument('<file...>', `offboarding files: ${FILE_KINDS}`)
    .option('--json', 'print the JSON report on stdout and nothing else')
    .addHelpText(
      'after',
      `
Example:
  $ smartsheet-offboard validate offboarding/2026-11-26-finance.yaml offboarding/leavers.csv
${FOOTER}`,
    )
    .action(async (files: string[], options: { json?: boolean }) => {
      exitCode = await validate(files, options, { io, out, err });
    });

  for (const [mode, description, example] of RUN_COMMANDS) {
    const command = program.command(mode).description(description);
    addRunOptions(command, mode);
    command.addHelpText('after', `\nExamples:\n${example}\n${FOOTER}`).action(async (options: RunOptions) => {
      exitCode = await run(mode, options, { io, out, err, token });
    });
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    // Commander has already printed its message; help and version end it successfully.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.done : EXIT_CODES.usage;
    return reportFailure(error, err);
  }
}

const RUN_COMMANDS: [RunMode, string, string][] = [
  [
    'plan',
    'Show what apply would do, reading Smartsheet only.',
    `  $ export ${TOKEN_VARIABLE}=...   # a System Admin's token
  $ smartsheet-offboard plan --file offboarding/2026-11-26-finance.yaml --plan-domains example.com
  $ smartsheet-offboard plan --email jane.doe@example.com --user-id 4583173393803140 --json`,
  ],
  [
    'apply',
    'Deactivate the targets; shows the plan and asks to confirm on a terminal unless --yes.',
    `  $ smartsheet-offboard apply --file offboarding/2026-11-26-finance.yaml --plan-domains example.com
  $ smartsheet-offboard apply --file offboarding/2026-11-26-finance.yaml --yes --json > report.json`,
  ],
  [
    'reactivate',
    'Reactivate deactivated targets (within Smartsheet’s window); asks to confirm like apply.',
    `  $ smartsheet-offboard reactivate --user-id 4583173393803140 --yes`,
  ],
];

function addRunOptions(command: Command, mode: RunMode): void {
  command
    .option('--file <file>', 'an offboarding file (repeatable)', collect)
    .option('--user-id <id>', 'a Smartsheet user ID (repeatable)', collect)
    .option('--email <email>', "a user's email (repeatable)", collect)
    .addOption(
      new Option('--region <region>', 'the Smartsheet region (default us; gov cannot deactivate)').choices([
        'us',
        'eu',
        'au',
        'gov',
      ]),
    )
    .option('--base-url <url>', 'the API base URL, instead of --region (e.g. a local simulator)')
    .option(
      '--plan-domains <domains>',
      'block emails outside these domains (a.com,b.com; repeatable)',
      domainList,
    )
    .option('--protect <id-or-email>', 'never touch this user (repeatable)', collect)
    .option('--allow-admins', 'allow deactivating System and Group Admins')
    .option(
      '--max-deactivations <n>',
      'refuse the whole run above this many changes (default 25)',
      positiveInteger,
    )
    .option('--requests-per-minute <n>', 'pace requests under this budget (default 300)', positiveInteger)
    .option('--header <header>', "an extra HTTP header, 'Name: value' (repeatable)", header)
    .option('--json', 'print the JSON report on stdout and nothing else');
  if (mode !== 'plan') command.option('--yes', 'do not ask for confirmation (required without a terminal)');
}

type Write = (text: string) => void;

interface Context {
  io: CliIo;
  out: Write;
  err: Write;
}

async function validate(paths: string[], options: { json?: boolean }, { io, out }: Context): Promise<number> {
  const files = await readOffboardingFiles(paths, 'file');
  const { report, targets, stoppedBecause } = await offboard({ mode: 'validate', files });
  const colors = colorsFor(io.stdout, io.env);
  if (options.json) {
    out(`${reportToJson(report)}\n`);
  } else if (stoppedBecause === 'invalid') {
    printFindings(report, colors, out);
  } else {
    out(formatTargetsTable(targets, colors, terminalWidth(io.stdout)));
    out(
      `${colors.bold('validate:')} ${plural(paths.length, 'file')} valid, ${plural(targets.length, 'target')}\n`,
    );
  }
  return stoppedBecause === 'invalid' ? EXIT_CODES.usage : EXIT_CODES.done;
}

async function run(
  mode: RunMode,
  options: RunOptions,
  context: Context & { token: string | undefined },
): Promise<number> {
  const { io, out, err, token } = context;
  if (!token) {
    throw new UsageError(
      `${TOKEN_VARIABLE} is not set. Allowed: a System Admin's Smartsheet access token in that environment variable (never as an argument).`,
    );
  }
  if (!options.file?.length && !options.userId?.length && !options.email?.length) {
    throw new UsageError('no targets. Allowed: --file FILE, --user-id ID or --email EMAIL, each repeatable.');
  }
  const changesUsers = mode !== 'plan';
  const json = options.json === true;
  // The plan and the question go where a person reads them; with --json stdout holds only the report.
  const promptStream = json ? io.stderr : io.stdout;
  const promptWrite = json ? err : out;
  const canAsk = io.stdin.isTTY === true && promptStream.isTTY === true;
  if (changesUsers && !options.yes && !canAsk) {
    throw new UsageError(
      `${mode} changes users and asks for confirmation, but there is no terminal to ask on. Allowed: pass --yes to ${mode} without asking.`,
    );
  }
  const files = await readOffboardingFiles(options.file ?? [], '--file');
  const colors = colorsFor(io.stdout, io.env);

  const controller = new AbortController();
  let interrupts = 0;
  const stopListening = changesUsers
    ? io.onInterrupt(() => {
        interrupts += 1;
        if (interrupts > 1) {
          io.exitNow(EXIT_CODES.interrupted);
          return;
        }
        controller.abort();
        err(
          `\nStopping: no new ${mode === 'apply' ? 'deactivations' : 'reactivations'} will start; waiting for those in flight. Press Ctrl-C again to quit at once.\n`,
        );
      })
    : () => {};
  // Results arrive one by one only while changing users; a plan's reads end all at once.
  const progress =
    changesUsers && io.stderr.isTTY === true && !json
      ? createProgress(io.stderr, mode === 'apply' ? 'Deactivating' : 'Reactivating')
      : undefined;

  const request: OffboardRequest = {
    mode,
    files,
    inputs: {
      userIds: options.userId ?? [],
      emails: options.email ?? [],
      names: { userIds: '--user-id', emails: '--email' },
    },
    connection: {
      token,
      region: options.region,
      baseUrl: options.baseUrl,
      headers: options.header,
      requestsPerMinute: options.requestsPerMinute,
      changeAgent: 'smartsheet-offboard-cli',
    },
    planOptions: planOptions(mode, options),
    signal: controller.signal,
    onResult: progress ? (_result, done, total) => progress.update(done, total) : undefined,
    confirm:
      changesUsers && !options.yes
        ? (plan) =>
            // Ctrl-C while planning means stop: no question, nothing changed.
            !controller.signal.aborted &&
            confirmPlan(plan, mode, {
              stdin: io.stdin,
              promptStream,
              colors: colorsFor(promptStream, io.env),
              width: terminalWidth(promptStream),
              write: promptWrite,
            })
        : undefined,
  };

  let result: OffboardResult;
  try {
    result = await offboard(request);
  } finally {
    progress?.stop();
    stopListening();
  }
  const interrupted = controller.signal.aborted;
  const { report, stoppedBecause } = result;
  if (json) out(`${reportToJson(report)}\n`);
  else printRunReport(mode, result, { colors, width: terminalWidth(io.stdout) }, out);
  if (interrupted) {
    err(
      `Interrupted: the report shows what happened so far. Run the same command again to finish the rest.\n`,
    );
    return EXIT_CODES.interrupted;
  }
  if (stoppedBecause === 'invalid') return EXIT_CODES.usage;
  if (stoppedBecause === 'declined') return EXIT_CODES.problems;
  return exitCodeFor(report);
}

/** The human report: findings, or the table, the summary and what to do next. */
function printRunReport(
  mode: RunMode,
  { report, stoppedBecause }: OffboardResult,
  { colors, width }: { colors: Colors; width: number | undefined },
  out: Write,
) {
  if (stoppedBecause === 'invalid') return printFindings(report, colors, out);
  if (stoppedBecause === 'declined') return out('Nothing was changed.\n');
  out(formatResultsTable(report.results, colors, width));
  out(formatSummary(report, colors));
  if (stoppedBecause === 'over-limit') {
    const change = mode === 'reactivate' ? 'reactivate' : 'deactivate';
    out(
      mode === 'plan'
        ? `apply would refuse the whole run: the plan has more changes than --max-deactivations allows.\n`
        : `Refused: the plan has more changes than --max-deactivations allows; nobody was ${change}d.\n`,
    );
  } else if (mode === 'plan') {
    printPlanHint(report, out);
  }
}

function planOptions(mode: RunMode, options: RunOptions): PlanOptions {
  return {
    operation: mode === 'reactivate' ? 'reactivate' : 'deactivate',
    planDomains: options.planDomains,
    protectedUsers: options.protect,
    allowAdmins: options.allowAdmins === true,
    maxDeactivations: options.maxDeactivations,
  };
}

function printFindings(report: Report, colors: Colors, out: Write): void {
  const findings = report.findings ?? [];
  out(formatFindings(findings, colors));
  out(
    `${colors.bold(`${report.mode}:`)} ${plural(findings.length, 'problem')} in the offboarding files or options; nothing was requested from Smartsheet.\n`,
  );
}

function printPlanHint(report: Report, out: Write): void {
  if (report.planDigest) out(`Plan digest: ${report.planDigest}\n`);
  const count = report.summary['would-deactivate'] ?? 0;
  if (count > 0) {
    out(`Run apply with the same targets and options to deactivate ${plural(count, 'user')}.\n`);
  }
}

interface PromptContext {
  stdin: CliIo['stdin'];
  promptStream: Output;
  colors: Colors;
  width: number | undefined;
  write: Write;
}

/** Shows the plan, then asks (core asks only when the plan changes someone). */
async function confirmPlan(
  plan: Plan,
  mode: Exclude<RunMode, 'plan'>,
  { stdin, promptStream, colors, width, write }: PromptContext,
): Promise<boolean> {
  const preview = planReport(plan);
  write(formatResultsTable(preview.results, colors, width));
  write(formatSummary(preview, colors));
  const pending = mode === 'apply' ? 'would-deactivate' : 'would-reactivate';
  const count = preview.summary[pending] ?? 0;
  const verb = mode === 'apply' ? 'Deactivate' : 'Reactivate';
  return askYesNo(`${verb} ${plural(count, 'user')} marked ${pending}? [y/N] `, stdin, promptStream);
}

const OPTION_FOR_INPUT: Record<string, string> = {
  region: '--region',
  baseUrl: '--base-url',
  'plan-domains': '--plan-domains',
  'protected-users': '--protect',
  requestsPerMinute: '--requests-per-minute',
  maxDeactivations: '--max-deactivations',
  token: TOKEN_VARIABLE,
};

function optionFor(input: string): string {
  return OPTION_FOR_INPUT[input] ?? input.replace(/^header\b/, '--header');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Prints a failure once, in words a person can act on; the token never appears (see `redact`). */
function reportFailure(error: unknown, err: Write): number {
  if (error instanceof ConfigError) {
    // Core names its inputs generically; say them the way they were typed on this command line.
    err(`error: ${new ConfigError(optionFor(error.input), error.value, error.allowed).message}\n`);
    return EXIT_CODES.usage;
  }
  if (error instanceof UsageError) {
    err(`error: ${error.message}\n`);
    return EXIT_CODES.usage;
  }
  if (error instanceof SmartsheetApiError) {
    err(`error: ${error.info.message}\n${error.info.remediation}\n`);
    return EXIT_CODES.problems;
  }
  err(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_CODES.problems;
}
