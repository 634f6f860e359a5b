import type { ActionEnvironment } from '../../src/event.js';
import type { ActionInputs } from '../../src/inputs.js';
import { SMARTSHEET_TOKEN } from './org.js';

/** The offboarding file the test pull requests add. */
export const FILE = 'offboarding/2026-11-26-finance.yaml';

/** One entry per outcome a plan reports, with a mention in a reason that must not notify anyone. */
export const MIXED = `users:
  - email: jane.doe@example.com
    reason: Left the company @everyone
    ticket: HR-1234
  - id: 48569348493401201
  - joe@gmail.com
  - gone@example.com
`;

/** Entries that all end done: two to deactivate, one already deactivated. */
export const CLEAN = `users:
  - email: jane.doe@example.com
    ticket: HR-1234
  - id: 48569348493401201
  - gone@example.com
`;

/** What the runner would tell the action about a run of acme/people on `eventName`. */
export function testEnvironment(
  eventName: string,
  payload: ActionEnvironment['payload'],
  overrides: Partial<ActionEnvironment> = {},
): ActionEnvironment {
  return {
    eventName,
    payload,
    repository: { owner: 'acme', repo: 'people' },
    runId: '1',
    runAttempt: '1',
    sha: 'a'.repeat(40),
    serverUrl: 'https://github.com',
    workspace: '.',
    runnerTemp: '.',
    ...overrides,
  };
}

/** Every output at its safe default, as a run sets them before anything can fail. */
export const SAFE_OUTPUTS = {
  deactivated: '[]',
  scheduled: '[]',
  'already-deactivated': '[]',
  blocked: '[]',
  'not-found': '[]',
  failed: '[]',
  drifted: '[]',
  'plan-digest': '',
  report: '',
  'report-path': '',
};

/**
 * The inputs a run gets with every optional input left at its default, against `apiBaseUrl` (no pacing to
 * speak of); a test names only what it changes.
 */
export function testInputs(apiBaseUrl: string, overrides: Partial<ActionInputs> = {}): ActionInputs {
  return {
    smartsheetToken: SMARTSHEET_TOKEN,
    githubToken: 'ghs_fake',
    mode: 'auto',
    dryRun: false,
    userIds: [],
    emails: [],
    apiBaseUrl,
    allowAdmins: false,
    allowChildOrganizations: false,
    maxDeactivations: 25,
    requiredApprovals: 1,
    requestsPerMinute: 60_000,
    commentOnPr: true,
    requireReviewedPlan: true,
    drift: 'report',
    driftIssueLabel: 'smartsheet-offboard-drift',
    ...overrides,
  };
}
