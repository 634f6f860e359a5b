// The committed bundle run the way a GitHub runner does (testkit's process runner), with every input at
// its action.yml default unless given, and what the end-to-end tests check of each run.
import { node24Path } from '@smartsheet-offboard/node24';
import type { JournalEntry } from '@smartsheet-offboard/simulator';
import { deactivationRequests } from '@smartsheet-offboard/testkit/journal';
import { type BundleOptions, type BundleRun, runActionBundle } from '@smartsheet-offboard/testkit/processes';
import { expect } from 'vitest';
import { SMARTSHEET_TOKEN } from './org.js';

export const GITHUB_TOKEN = 'ghs_e2eFakeGitHubToken0123';
export type ActionRun = BundleRun;

/** Inputs as the runner passes them: every input with its action.yml default unless given. */
const DEFAULT_INPUTS: Record<string, string> = {
  mode: 'auto',
  'allow-admins': 'false',
  'max-deactivations': '25',
  'required-approvals': '1',
  'requests-per-minute': '300',
  'comment-on-pr': 'true',
  'require-reviewed-plan': 'true',
  drift: 'report',
  'drift-issue-label': 'smartsheet-offboard-drift',
  'github-token': GITHUB_TOKEN,
};

/** Where the bundle finds GitHub's API and Smartsheet. */
export interface Endpoints {
  githubUrl: string;
  smartsheetUrl: string;
}

/** One run of the bundle under Node 24, as the runner starts it. */
export function runAction(
  endpoints: Endpoints,
  eventName: string,
  payload: object,
  inputs: Record<string, string> = {},
  sha = 'a'.repeat(40),
  process: Pick<BundleOptions, 'env' | 'onSpawn' | 'timeoutMs'> = {},
): Promise<ActionRun> {
  return runActionBundle({
    ...process,
    eventName,
    payload,
    inputs: {
      ...DEFAULT_INPUTS,
      'smartsheet-token': SMARTSHEET_TOKEN,
      'api-base-url': endpoints.smartsheetUrl,
      ...inputs,
    },
    githubApiUrl: endpoints.githubUrl,
    sha,
    runId: '777',
    node: node24Path,
  });
}

/** The user IDs that got a deactivate request, sorted. */
export const deactivations = (journal: readonly JournalEntry[]) => deactivationRequests(journal).sort();

/** The token may reach the runner only in its `::add-mask::` command, which hides it from logs. */
export function expectNoSecret(run: ActionRun, comments: unknown, token = SMARTSHEET_TOKEN) {
  const visible = [
    run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
    run.stderr,
    JSON.stringify(run.outputs),
    run.summary,
    JSON.stringify(comments),
  ].join('\n');
  for (const secret of [token, GITHUB_TOKEN]) expect(visible).not.toContain(secret);
  expect(run.stdout).toContain(`::add-mask::${token}`);
}

/** `core.setFailed` writes one `::error::` line without a file; annotations carry `file=`. */
export const failures = (run: ActionRun) =>
  run.stdout.split('\n').filter((line) => line.startsWith('::error::'));
