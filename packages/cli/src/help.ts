import { readFileSync } from 'node:fs';

/** The only place the token is read from: never an argument, so it stays out of shell history and `ps`. */
export const TOKEN_VARIABLE = 'SMARTSHEET_ACCESS_TOKEN';

export const EXIT_CODES = {
  /** Every target deactivated/already deactivated (reactivate: reactivated/already active; plan, validate: nothing invalid). */
  done: 0,
  /** Some target blocked, not found or failed; the run could not reach Smartsheet; or confirmation was declined. */
  problems: 1,
  /** Bad usage or invalid offboarding files: nothing was requested. */
  usage: 2,
  /** Ctrl-C during apply/reactivate (128 + SIGINT): the report says what happened; run again to finish. */
  interrupted: 130,
} as const;

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Until the first release the package says 0.0.0: say that this is a build from a clone, not a release. */
export const VERSION =
  PACKAGE_VERSION === '0.0.0' ? '0.0.0 (unreleased: built from a clone of the repository)' : PACKAGE_VERSION;

export type Command = 'validate' | 'plan' | 'apply' | 'reactivate';

const ENVIRONMENT = `
Environment:
  ${TOKEN_VARIABLE}  a System Admin's Smartsheet access token (plan, apply, reactivate); there is no --token`;

/** Each command's own exit codes, in its own words (validate changes nobody, reactivate reactivates). */
const EXIT_LINES: Record<Command | 'all', string[]> = {
  all: [
    '0    every target ended as asked (plan: nothing blocked or missing; validate: nothing invalid)',
    '1    some target blocked, not found or failed, Smartsheet unreachable, or confirmation declined',
    '2    bad usage or invalid offboarding files: nothing was requested',
    '130  interrupted by Ctrl-C: the report shows what happened; run the same command again to finish',
  ],
  validate: [
    '0    every file and target is valid',
    '2    bad usage or invalid offboarding files (each problem is printed as file:line)',
  ],
  plan: [
    '0    every target would be deactivated or is already deactivated',
    '1    some target would be blocked or was not found, or Smartsheet could not be reached',
    '2    bad usage or invalid offboarding files: nothing was requested',
  ],
  apply: [
    '0    every target deactivated or already deactivated',
    '1    some target blocked, not found or failed, Smartsheet unreachable, or confirmation declined',
    '2    bad usage or invalid offboarding files: nothing was requested',
    '130  interrupted by Ctrl-C: nothing more was sent; run the same command again to finish',
  ],
  reactivate: [
    '0    every target reactivated or already active',
    '1    some target blocked, not found or failed, Smartsheet unreachable, or confirmation declined',
    '2    bad usage or invalid offboarding files: nothing was requested',
    '130  interrupted by Ctrl-C: nothing more was sent; run the same command again to finish',
  ],
};

/** The text after a command's options: examples, the environment (when it needs the token) and exit codes. */
export function footer(command: Command | 'all', examples?: string): string {
  const parts = [
    examples ? `\nExamples:\n${examples}` : '',
    command === 'validate' ? '' : ENVIRONMENT,
    `\nExit codes:\n${EXIT_LINES[command].map((line) => `  ${line}`).join('\n')}`,
  ];
  return `${parts.join('\n')}\n`;
}

export const EXAMPLES: Record<Command, string> = {
  validate: `  $ smartsheet-offboard validate offboarding/2026-11-26-finance.yaml offboarding/leavers.csv
  $ smartsheet-offboard validate --file offboarding/*.yaml --user-id 4583173393803140 --json`,
  plan: `  $ export ${TOKEN_VARIABLE}=...   # a System Admin's token
  $ smartsheet-offboard plan --file offboarding/2026-11-26-finance.yaml --plan-domains example.com
  $ smartsheet-offboard plan --file offboarding/*.yaml --email jane.doe@example.com --json`,
  apply: `  $ smartsheet-offboard apply --file offboarding/2026-11-26-finance.yaml --plan-domains example.com
  $ smartsheet-offboard apply --file offboarding/2026-11-26-finance.yaml --yes --json > report.json`,
  reactivate: `  $ smartsheet-offboard reactivate --file offboarding/2026-11-26-finance.yaml --dry-run   # what it would undo
  $ smartsheet-offboard reactivate --user-id 4583173393803140 --yes
  $ smartsheet-offboard reactivate --file offboarding/2026-11-26-finance.yaml   # shows the plan, asks first`,
};
