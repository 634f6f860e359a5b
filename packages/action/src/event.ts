import { readFile } from 'node:fs/promises';
import type { Repository } from './github.js';

/** What the runner tells the action about this run. */
export interface ActionEnvironment {
  eventName: string;
  payload: EventPayload;
  repository: Repository;
  runId: string;
  runAttempt: string;
  /** The commit the workflow runs on (`GITHUB_SHA`). */
  sha: string;
  serverUrl: string;
  workspace: string;
  runnerTemp: string;
}

/** The fields of the webhook payloads the action reads. */
export interface EventPayload {
  pull_request?: { number: number };
  review?: { state?: string };
  ref?: string;
  before?: string;
  after?: string;
  repository?: { default_branch?: string };
}

/** Reads the runner's `GITHUB_*` variables and the event payload file. */
export async function readEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<ActionEnvironment> {
  const [owner = '', repo = ''] = (env['GITHUB_REPOSITORY'] ?? '').split('/');
  const eventPath = env['GITHUB_EVENT_PATH'];
  const payload = eventPath ? (JSON.parse(await readFile(eventPath, 'utf8')) as EventPayload) : {};
  return {
    eventName: env['GITHUB_EVENT_NAME'] ?? '',
    payload,
    repository: { owner, repo },
    runId: env['GITHUB_RUN_ID'] ?? '',
    runAttempt: env['GITHUB_RUN_ATTEMPT'] ?? '1',
    sha: env['GITHUB_SHA'] ?? '',
    serverUrl: env['GITHUB_SERVER_URL'] ?? 'https://github.com',
    workspace: env['GITHUB_WORKSPACE'] ?? process.cwd(),
    runnerTemp: env['RUNNER_TEMP'] ?? env['TMPDIR'] ?? '/tmp',
  };
}

export const SUPPORTED_EVENTS = [
  'pull_request_target',
  'pull_request',
  'push',
  'pull_request_review',
  'workflow_dispatch',
] as const;

/** What this run does, decided from the event and the `mode` input. */
export type Trigger =
  | {
      event: 'pull_request' | 'pull_request_target';
      mode: 'plan' | 'apply';
      pullNumber: number;
      defaultBranch?: string;
    }
  | {
      event: 'pull_request_review';
      mode: 'plan' | 'apply';
      pullNumber: number;
      approval: boolean;
      defaultBranch?: string;
    }
  | {
      event: 'push';
      mode: 'plan' | 'apply';
      /** The branch's commit before the push: the pushed range is `before..sha`. */
      before: string;
      sha: string;
      ref: string;
      defaultBranch?: string;
    }
  | { event: 'workflow_dispatch'; mode: 'plan' | 'apply' };

/** Thrown for an event the action does not handle. */
export class UnsupportedEventError extends Error {
  override name = 'UnsupportedEventError';
  constructor(eventName: string) {
    super(
      `smartsheet-offboard does not handle the '${eventName || '(none)'}' event; ` +
        `run it on ${SUPPORTED_EVENTS.join(', ')}, or schedule (to reconcile)`,
    );
  }
}

/**
 * `auto` plans on `pull_request_target` and `pull_request` and applies on every other supported event.
 * `pull_request_target` runs the base branch's workflow (with secrets) for any pull request: safe here
 * because the action reads the pull request's files through the API as data and runs none of its code.
 */
export function triggerFor(environment: ActionEnvironment, mode: 'auto' | 'plan' | 'apply'): Trigger {
  const { eventName, payload } = environment;
  const resolve = (automatic: 'plan' | 'apply') => (mode === 'auto' ? automatic : mode);
  const defaultBranch = payload.repository?.default_branch;
  switch (eventName) {
    case 'pull_request':
    case 'pull_request_target': {
      const pullNumber = requirePullNumber(payload, eventName);
      return { event: eventName, mode: resolve('plan'), pullNumber, defaultBranch };
    }
    case 'pull_request_review': {
      const pullNumber = requirePullNumber(payload, eventName);
      const approval = payload.review?.state?.toLowerCase() === 'approved';
      return { event: 'pull_request_review', mode: resolve('apply'), pullNumber, approval, defaultBranch };
    }
    case 'push':
      if (!payload.after || !payload.ref || !payload.before) {
        throw new Error('The push event payload has no "before", "after" or "ref"');
      }
      return {
        event: 'push',
        mode: resolve('apply'),
        before: payload.before,
        sha: payload.after,
        ref: payload.ref,
        defaultBranch,
      };
    case 'workflow_dispatch':
      return { event: 'workflow_dispatch', mode: resolve('apply') };
    default:
      throw new UnsupportedEventError(eventName);
  }
}

function requirePullNumber(payload: EventPayload, eventName: string): number {
  const pullNumber = payload.pull_request?.number;
  if (typeof pullNumber !== 'number') throw new Error(`The ${eventName} event payload has no pull request`);
  return pullNumber;
}

/** The variable that sets the action's clock: for end-to-end tests of leave dates, which cannot wait a day. */
export const CLOCK_VARIABLE = 'SMARTSHEET_OFFBOARD_NOW';

/**
 * The moment leave dates are compared with when `SMARTSHEET_OFFBOARD_NOW` sets one (an ISO date-time with
 * an offset); undefined means the clock. A value that is not such a moment is an error, never ignored.
 */
export function clockOverride(env: NodeJS.ProcessEnv = process.env): Date | undefined {
  const text = env[CLOCK_VARIABLE]?.trim();
  if (!text) return undefined;
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)
    ? new Date(text)
    : undefined;
  if (at === undefined || Number.isNaN(at.getTime())) {
    throw new Error(
      `${CLOCK_VARIABLE} has the invalid value "${text}": expected a date-time with an offset, such as 2026-12-16T09:00:00Z`,
    );
  }
  return at;
}
