import { redactSecrets } from '@smartsheet-offboard/core';
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from './errors.js';
import { FILE_KINDS } from './files.js';
import { EXAMPLES, EXIT_CODES, footer, TOKEN_VARIABLE, VERSION } from './help.js';
import { collect, domainList, header, positiveInteger, region } from './options.js';
import { type RunMode, reportFailure, type Write } from './print.js';
import { type RunOptions, run } from './run.js';
import { type ValidateOptions, validate } from './validate.js';

export { EXIT_CODES, TOKEN_VARIABLE } from './help.js';

type Output = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

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

/** Runs one command line (without `node` and the script) and resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const token = io.env[TOKEN_VARIABLE]?.trim() || undefined;
  // Defence in depth: core never puts the token in a message, and nothing printed here may either.
  const redact = (text: string) => redactSecrets(text, [token]);
  const out: Write = (text) => io.stdout.write(redact(text));
  const err: Write = (text) => io.stderr.write(redact(text));
  let exitCode: number = EXIT_CODES.done;

  const program = new Command('smartsheet-offboard')
    .description('Validate, plan and apply Smartsheet user deactivations from reviewed offboarding files.')
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', footer('all'));

  const validateCommand = program
    .command('validate')
    .description(
      'Check offboarding files and targets offline (IDs, emails, duplicates, limits). Needs no token.',
    )
    .argument('[file...]', `offboarding files: ${FILE_KINDS}`);
  addTargetOptions(validateCommand);
  validateCommand
    .option('--json', 'print the JSON report on stdout and nothing else')
    .addHelpText('after', footer('validate', EXAMPLES.validate))
    .action(async (files: string[], options: ValidateOptions & { token?: string }) => {
      refuseTokenOption(options);
      exitCode = await validate([...files, ...(options.file ?? [])], options, { io, out });
    });

  for (const [mode, description] of RUN_COMMANDS) {
    const command = program.command(mode).description(description);
    addTargetOptions(command);
    addRunOptions(command, mode);
    command
      .addHelpText('after', footer(mode, EXAMPLES[mode]))
      .action(async (options: RunOptions & { token?: string }) => {
        refuseTokenOption(options);
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

const RUN_COMMANDS: [RunMode, string][] = [
  ['plan', 'Show what apply would do, reading Smartsheet only.'],
  ['apply', 'Deactivate the targets; shows the plan and asks to confirm on a terminal unless --yes.'],
  ['reactivate', 'Reactivate deactivated targets (within Smartsheet’s window); asks to confirm like apply.'],
];

/** The targets every command takes: `--file a b` (what a shell glob gives) and repeated options alike. */
function addTargetOptions(command: Command): void {
  command
    .option('--file <file...>', `offboarding files: ${FILE_KINDS} (several, or repeat the option)`)
    .option('--user-id <id>', 'a Smartsheet user ID (repeatable)', collect)
    .option('--email <email>', "a user's email (repeatable)", collect)
    // Not an option: said so, pointing at the variable, rather than "unknown option".
    .addOption(new Option('--token <token>').hideHelp());
}

function refuseTokenOption(options: { token?: string }): void {
  if (options.token === undefined) return;
  throw new UsageError(
    `--token is not accepted: a token on the command line lands in shell history and process lists. Allowed: the token in the environment variable ${TOKEN_VARIABLE} (export ${TOKEN_VARIABLE}=...).`,
  );
}

function addRunOptions(command: Command, mode: RunMode): void {
  command
    .addOption(
      new Option(
        '--region <region>',
        'the Smartsheet region: us (default), eu or au, any case; gov is always refused (Smartsheet Gov cannot deactivate users)',
      ).argParser(region),
    )
    .option(
      '--base-url <url>',
      'the API base URL ending in /2.0, instead of --region (e.g. a local simulator)',
    )
    .option(
      '--plan-domains <domains>',
      'block emails outside these domains (a.com,b.com; repeatable)',
      domainList,
    )
    .option(
      '--extra-isp-domains <domains>',
      'also block emails on these domains, as Smartsheet does its named ISP domains (repeatable)',
      domainList,
    )
    .option('--protect <id-or-email>', 'never touch this user (repeatable)', collect)
    .option('--allow-admins', 'allow deactivating System and Group Admins')
    .option(
      '--allow-child-organizations',
      'plan IDs your user list lacks as Enterprise Plan Manager child-organization users (Smartsheet decides)',
    )
    .option(
      '--max-deactivations <n>',
      'refuse the whole run above this many changes (default 25)',
      positiveInteger,
    )
    .option('--requests-per-minute <n>', 'pace requests under this budget (default 300)', positiveInteger)
    .option('--header <header>', "an extra HTTP header, 'Name: value' (repeatable)", header)
    .option('--json', 'print the JSON report on stdout and nothing else');
  if (mode === 'plan') return;
  command
    .option('--yes', 'do not ask for confirmation (required without a terminal)')
    .option('--dry-run', `show what ${mode} would do and change nothing (needs no --yes)`);
}
